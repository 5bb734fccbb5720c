"""The VIEW_COUNTS settings dict: defaults, a description of each option, validation."""

from pathlib import Path

# name -> (default, description). The defaults are shared with the import command.
OPTIONS = {
    "store": ("var/views.sqlite3", "path of the SQLite store written by `make stats`"),
    "secret": (
        "var/view_counts.secret",
        "file holding the secret from which each day's visitor key is derived",
    ),
    "json": ("views.json", "file written into the output: counts per article URL"),
    "most_read_count": (5, "how many articles each most-read list holds"),
    "min_shown": (
        10,
        "the smallest count a page shows: below it no number is shown (never 'Lượt xem: 0'); "
        "the script that refreshes the counts from views.json keeps to it too",
    ),
    "windows": ((7, 30), "the most-read windows in days (an all-time list is always added)"),
    "required": (False, "stop the build when the store is missing (publish may want this)"),
}
DEFAULTS = {name: default for name, (default, _) in OPTIONS.items()}


def parse_settings(settings):
    """VIEW_COUNTS filled with defaults and checked; raises ValueError naming the problem."""
    given = settings.get("VIEW_COUNTS", {}) or {}
    if not isinstance(given, dict):
        raise ValueError("VIEW_COUNTS must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"VIEW_COUNTS: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    for key in ("store", "secret", "json"):
        if not isinstance(out[key], (str, Path)) or not str(out[key]).strip():
            raise ValueError(f"VIEW_COUNTS['{key}'] must be a non-empty path")
        out[key] = Path(out[key])
    if out["json"].is_absolute() or ".." in out["json"].parts:
        raise ValueError("VIEW_COUNTS['json'] must be a path inside the output folder")
    count = out["most_read_count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("VIEW_COUNTS['most_read_count'] must be a whole number of at least 1")
    shown = out["min_shown"]
    if isinstance(shown, bool) or not isinstance(shown, int) or shown < 1:
        raise ValueError("VIEW_COUNTS['min_shown'] must be a whole number of at least 1")
    windows = out["windows"]
    if not isinstance(windows, (list, tuple)) or not all(
        isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in windows
    ):
        raise ValueError("VIEW_COUNTS['windows'] must be a list of day counts (1 or more)")
    out["windows"] = tuple(sorted(set(windows)))
    if not isinstance(out["required"], bool):
        raise ValueError("VIEW_COUNTS['required'] must be True or False")
    return out


def resolve(path, base):
    """A relative settings path is relative to the project (the settings file's folder)."""
    path = Path(path)
    return path if path.is_absolute() else Path(base) / path
