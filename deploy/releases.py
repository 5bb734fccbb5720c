"""Release names and bookkeeping: which release is current, previous, or due for removal."""

import re
from datetime import UTC, datetime

NAME_RE = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?$")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


def is_release(name):
    return bool(NAME_RE.match(name))


def sort_key(name):
    match = NAME_RE.match(name)
    return (match["stamp"], int(match["n"] or 0))


def ordered(names):
    """Release names, oldest first (ignores anything that is not a release name)."""
    return sorted((n for n in names if is_release(n)), key=sort_key)


def new_name(now, existing):
    """`20261129T190637Z` for `now`; always sorting after every existing release.

    A second release in the same second (or a server whose releases look newer than this
    machine's clock) gets a suffix, `-1`, `-2`..., after the newest one."""
    base = now.astimezone(UTC).strftime(STAMP_FORMAT)
    names = ordered(existing)
    if not names or sort_key(names[-1]) < (base, 0):
        return base
    stamp, n = sort_key(names[-1])
    return f"{stamp}-{n + 1}"


def release_time(name):
    """The UTC time a release name stands for."""
    stamp = NAME_RE.match(name)["stamp"]
    return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)


def current_name(link_target):
    """`releases/X` (as the switch writes it) -> `X`; None for no link or a foreign target."""
    if not link_target:
        return None
    name = link_target.rstrip("/").rsplit("/", 1)[-1]
    return name if is_release(name) else None


def previous(names, current):
    """The release just before `current` (None when there is none)."""
    names = ordered(names)
    if current not in names:
        return names[-1] if names else None
    index = names.index(current)
    return names[index - 1] if index > 0 else None


def to_prune(names, keep, protect=()):
    """Releases to delete so that the newest `keep` remain; `protect` is never deleted."""
    names = ordered(names)
    kept = set(names[-keep:]) | set(protect)
    return [n for n in names if n not in kept]
