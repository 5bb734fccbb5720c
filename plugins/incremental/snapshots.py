"""Articles and pages kept as they were read, for the next build of the same process.

The preview server builds again on every save; reading and preparing an article (Markdown,
typogrify, sanitising, photos, attachments) is most of a build's cost, and only the saved
file changed. A snapshot is the content object's attributes right after it was read (after
`content_object_init`, before any plugin enriched it), with the stamps (mtime, size, inode)
of its source and of every file it used (`_inputs`, filled by the plugins that read files:
photos, attachments). A later build gets a fresh copy of it when every stamp still matches
(or, in the preview, when its watcher saw none of these files change: State.changed);
plugins then enrich that copy as they would a new one. A file whose reading logged a warning
or an error is never kept, so its message comes back on every build.

Each copy has `_memo`, a dict shared by every copy of one snapshot: what a plugin works out
from the article as read (and from settings, which start new snapshots when they change)
is worked out once, not on every build. A plugin that finds no `_memo` (the incremental
plugin is off, or the content was not kept) works it out each time.
"""

import copy
import logging
import os
from datetime import UTC, datetime

import blinker

SKIPPED = ("settings", "_context", "_snapshot", "_memo")
# Sent with a kept content (a fresh copy) whose source did not change but some files it
# used did (`paths`); a receiver that brings the copy up to date for some of them (the
# photos plugin: its photos) returns those paths. When every changed file is taken care
# of, the file is not read again.
INPUTS_CHANGED = blinker.signal("content_inputs_changed")


class WarningCounter(logging.Handler):
    """Counts the warnings and errors logged while a build runs."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


COUNTER = WarningCounter()


def stamp(path):
    try:
        st = os.stat(path)
    except OSError:
        return (path, None)
    return (path, st.st_mtime_ns, st.st_size, st.st_ino)


class Snapshot:
    __slots__ = ("_digest", "_mutable", "attrs", "cls", "expires", "memo", "stamps", "static_links")

    def __init__(self, content, expires=None):
        source = content.source_path
        inputs = sorted(set(content.__dict__.get("_inputs", ())) - {source})
        self.stamps = tuple(stamp(p) for p in (source, *inputs))
        self.cls = type(content)
        self.attrs = {k: _copy(v) for k, v in content.__dict__.items() if k not in SKIPPED}
        self._digest = self._mutable = self.static_links = None
        self.expires = expires  # an aware datetime after which it is read again, or None
        self.memo = {}

    @classmethod
    def of(cls, kind, attrs, stamps, expires):
        """A snapshot from its parts() (kept between processes by state.py)."""
        snapshot = object.__new__(cls)
        snapshot.cls, snapshot.attrs, snapshot.stamps = kind, attrs, stamps
        snapshot.expires = expires
        snapshot._digest = snapshot._mutable = snapshot.static_links = None
        snapshot.memo = {}
        return snapshot

    def parts(self):
        return (self.cls, self.attrs, self.stamps, self.expires)

    def digest(self):
        """The digest of the attributes as read (digest.py's rules), made once."""
        if self._digest is None:
            from .digest import Digester, is_input

            self._digest = Digester().of({k: v for k, v in self.attrs.items() if is_input(k)})
        return self._digest

    def changed_inputs(self, stamps, watched=None):
        """None when the source changed or the snapshot expired; else the files it used
        (photos, attachments) that changed since, [] when none did. `stamps` (path ->
        stamp) keeps what one build found of the files many articles use (a photo).
        `watched`: the files a watcher saw change since the last build (the preview's
        State.changed); none of its files among them, it is current without a look."""
        if self.expires is not None and datetime.now(UTC) >= self.expires:
            return None
        if watched is not None and all(then[0] not in watched for then in self.stamps):
            return []
        source, *inputs = self.stamps
        if stamp(source[0]) != source:
            return None
        changed = []
        for then in inputs:
            path = then[0]
            now = stamps.get(path)
            if now is None:
                now = stamps[path] = stamp(path)
            if now != then:
                changed.append(path)
        return changed

    def restore(self, generator):
        content = object.__new__(self.cls)
        attrs = content.__dict__
        attrs.update(self.attrs)
        if self._mutable is None:
            self._mutable = tuple(k for k, v in self.attrs.items() if isinstance(v, CONTAINERS))
        for name in self._mutable:
            value = attrs[name]
            attrs[name] = value.copy() if type(value) in CONTAINERS else copy.copy(value)
        content.settings = generator.settings
        content._context = generator.context
        content._snapshot = self
        content._memo = self.memo
        return content


CONTAINERS = (dict, list, set)


def _copy(value):
    """Containers are copied (one level), so enriching a build's copy leaves the snapshot."""
    return copy.copy(value) if isinstance(value, CONTAINERS) else value


def refreshed(snapshot, changed, generator, store):
    """A copy of the kept content brought up to date for its `changed` inputs by the
    INPUTS_CHANGED receivers, kept in `store` as a new snapshot; None when they do not take
    care of every one (the file is then read again)."""
    content = snapshot.restore(generator)
    del content._snapshot, content._memo  # a new snapshot, a new memo
    warnings = COUNTER.count
    done = set()
    for _, paths in INPUTS_CHANGED.send(content, paths=changed):
        done |= set(paths or ())
    if not done >= set(changed):
        return None
    source = content.source_path
    if COUNTER.count == warnings:  # a warning comes back on every build: not kept then
        store[source] = Snapshot(content, expires=snapshot.expires)
        content._snapshot = store[source]
        content._memo = store[source].memo
    else:
        store.pop(source, None)
    return content


def snapshot_expiry(content):
    """A future-dated article is a draft until its date: its snapshot expires then."""
    date = getattr(content, "date", None)
    scheduled = date is not None and date.tzinfo is not None and date > datetime.now(UTC)
    return date if scheduled else None


def keep_contents(generator, state, keep=True, ahead=None):
    """Make `generator` (articles or pages) take unchanged files from `state.contents`
    (source path -> Snapshot) and, with `keep`, keep what it reads there; `state.seen` gets
    every source it looks up (the others are gone from content/ and are dropped at the end
    of the build). With `ahead` (parallel.ReadAhead), the files workers read are taken from
    them at their turn."""
    store, seen = state.contents, state.seen
    misses = {}

    def get_cached_data(filename, default=None):
        source = os.path.join(generator.path, filename)
        seen.add(source)
        snapshot = store.get(source)
        if snapshot is None:
            changed = None
        elif source in state.checked:  # looked at a moment ago (parallel.read_ahead)
            changed = state.checked.pop(source)
        else:
            changed = snapshot.changed_inputs(state.stamps, state.changed)
        if changed == []:
            state.reused += 1
            return snapshot.restore(generator)
        if changed:
            content = refreshed(snapshot, changed, generator, store)
            if content is not None:
                state.reused += 1
                state.contents_changed = True
                state.refreshed.add(source)
                return content
        state.fresh.add(source)
        store.pop(source, None)
        delivery = ahead.take(filename) if ahead is not None else None
        if delivery is not None:
            delivery.give()
            if keep:
                store[source] = delivery.snapshot
                state.contents_changed = True
            return delivery.snapshot.restore(generator)
        misses[filename] = COUNTER.count
        return default

    def cache_data(filename, content):
        warned = COUNTER.count != misses.pop(filename, COUNTER.count)
        if keep and not warned and getattr(content, "source_path", None):
            snapshot = Snapshot(content, expires=snapshot_expiry(content))
            store[content.source_path] = snapshot
            state.contents_changed = True
            content._snapshot = snapshot
            content._memo = snapshot.memo

    def add_static_links(content):
        # The links to static files an article's HTML holds (Pelican finds them with a
        # regular expression over the whole HTML, every build): kept with its snapshot.
        snapshot = content.__dict__.get("_snapshot")
        if snapshot is None or content._content is not snapshot.attrs.get("_content"):
            type(generator).add_static_links(generator, content)
            return
        if snapshot.static_links is None:
            snapshot.static_links = frozenset(content.get_static_links())
        generator.context["static_links"] |= snapshot.static_links

    generator.get_cached_data = get_cached_data
    generator.cache_data = cache_data
    generator.add_static_links = add_static_links
