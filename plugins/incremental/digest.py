"""Stable digests of what a template is given: the inputs of one output page.

A page needs rendering again only when one of its inputs changed. The inputs are the values
of the context names its template tree reads (templates.referenced_names), digested here
with no memory addresses, so a digest means the same in the next build or the next process.

Content objects (articles, pages) are digested by their own attributes. A page's own
content (the `article` a template is given) counts with everything it holds; a content
object reached through it (its related articles, previous/next) or through a list or
another object (the articles of a list page, the most-read box) counts by its own values,
the content objects it holds in turn reduced to their source path. The theme reads no
deeper (`article.related[0].title`, `articles_page.object_list[0].title`); the differential
test in tests/test_incremental.py is what proves the cut is safe. Plugins' private
attributes (a leading "_") and Pelican's shared `settings` and `_context` are left
out of every object: the settings are digested once per build, as a whole.
"""

import datetime
import hashlib
import re
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

SKIPPED_ATTRIBUTES = frozenset({"settings", "_context"})
# A name starting with "_" is private to the code that set it (a plugin's bookkeeping, such
# as the photos it used): templates never read it. Pelican's own are read through properties
# (content, summary, status) and are inputs.
READ_PRIVATE = frozenset({"_content", "_summary", "_status"})
MISSING = object()


def is_input(name):
    return name not in SKIPPED_ATTRIBUTES and (name[:1] != "_" or name in READ_PRIVATE)


SCALARS = (str, int, float, bool, type(None), bytes)
CODE = (FunctionType, BuiltinFunctionType, MethodType, ModuleType, type)
# How many content objects deep a path is followed with all their attributes.
FULL_LEVELS = 2


class Digester:
    """Digests of values of one build. Memoised by object identity, so it must not outlive
    the build whose objects it has seen."""

    def __init__(self):
        self._contents = {}  # (id, level) -> (object, bytes)
        self._containers = {}  # id -> (object, bytes), object kept so its id stays unique

    def of(self, *values):
        h = hashlib.blake2b(digest_size=16)
        for value in values:
            self._feed(h.update, value, 0, ())
        return h.digest()

    def named(self, pairs):
        """The digest of (name, value) pairs: a page's inputs. A value that is not a plain
        one (the menu, the labels, an article) is digested once per build and object."""
        h = hashlib.blake2b(digest_size=16)
        for name, value in pairs:
            h.update(name.encode())
            if isinstance(value, SCALARS):
                self._feed(h.update, value, 0, ())
            elif isinstance(value, Content):
                h.update(self._content(value, 0))
            else:
                h.update(self._container(value, 0, (), self._feed_one))
        return h.digest()

    def _feed_one(self, update, value, level, path):
        self._feed(update, value, level, path)

    def _feed(self, update, value, level, path):
        kind = type(value)
        if kind is str or kind is Markup:
            data = value.encode("utf-8", "surrogatepass")
            update(b"s%d:" % len(data))
            update(data)
        elif isinstance(value, SCALARS):
            update(b"%s:%s;" % (kind.__name__.encode(), repr(value).encode()))
        elif isinstance(value, Content):
            update(self._content(value, level))
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            # What a template reaches through a list or an object (an article of a list, a
            # most-read entry) is shown by its own values: at least one level down.
            inner = level or 1
            if isinstance(value, (set, frozenset)):
                parts = sorted(self._container((item,), inner, path) for item in value)
                update(b"set%d{%s}" % (len(parts), b"".join(parts)))
            elif len(value) > 8:
                update(self._container(value, inner, path))
            elif isinstance(value, dict):
                update(b"d%d{" % len(value))
                for key, item in value.items():
                    self._feed(update, key, inner, path)
                    self._feed(update, item, inner, path)
                update(b"}")
            else:
                update(b"l%d[" % len(value))
                for item in value:
                    self._feed(update, item, inner, path)
                update(b"]")
        elif isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            update(
                b"t:%s:%s;"
                % (value.isoformat().encode(), str(getattr(value, "tzinfo", "")).encode())
            )
        elif isinstance(value, re.Pattern):
            update(b"re:%d:%s;" % (value.flags, repr(value.pattern).encode()))
        elif isinstance(value, ZoneInfo):
            update(b"z:%s;" % str(value.key).encode())
        elif isinstance(value, URLWrapper):
            update(b"w:%s:%s:%s;" % (kind.__name__.encode(), *self._text(value.name, value.slug)))
        elif isinstance(value, Paginator):
            # Its object_list is the whole list being paginated: the page itself holds its
            # own share (Page.object_list), so only the shape is an input here.
            data = (value.name, value.url, value.per_page, value.orphans, value.count)
            self._feed(update, data, level, path)
        elif isinstance(value, CODE):
            update(b"f:%s;" % getattr(value, "__qualname__", kind.__name__).encode())
        elif id(value) in path:
            update(b"cycle;")
        else:
            update(self._container(value, level or 1, (*path, id(value)), self._object))

    @staticmethod
    def _text(*values):
        return tuple(str(v).encode("utf-8", "surrogatepass") for v in values)

    def _object(self, update, value, level, path):
        update(b"o:%s{" % type(value).__qualname__.encode())
        attributes = getattr(value, "__dict__", None)
        if attributes is None:
            slots = getattr(type(value), "__slots__", ())
            attributes = {name: getattr(value, name, None) for name in slots}
        for key, item in attributes.items():
            if is_input(key):
                self._feed(update, key, level, path)
                self._feed(update, item, level, path)
        update(b"}")

    def _container(self, value, level, path, feed=None):
        """A long list or dict (every article of the site, the settings) or an object met on
        many pages (a photo's variants) is digested once per build."""
        key = (id(value), min(level, FULL_LEVELS))
        known = self._containers.get(key)
        if known is not None and known[0] is value:
            return known[1]
        h = hashlib.blake2b(digest_size=16)
        if feed is not None:
            feed(h.update, value, level, path)
        elif isinstance(value, dict):
            h.update(b"d%d{" % len(value))
            for name, item in value.items():
                self._feed(h.update, name, level, path)
                self._feed(h.update, item, level, path)
        else:
            h.update(b"l%d[" % len(value))
            for item in value:
                self._feed(h.update, item, level, path)
        digest = h.digest()
        self._containers[key] = (value, digest)
        return digest

    def _content(self, content, level):
        key = (id(content), min(level, FULL_LEVELS))
        known = self._contents.get(key)
        if known is not None and known[0] is content:
            return known[1]
        h = hashlib.blake2b(digest_size=16)
        h.update(b"c:%s:" % type(content).__name__.encode())
        h.update(str(getattr(content, "source_path", "")).encode("utf-8", "surrogatepass"))
        if level < FULL_LEVELS:
            attributes = content.__dict__
            snapshot = attributes.get("_snapshot")
            if snapshot is not None:
                # As read (kept between the preview's builds, digested once), then what
                # plugins changed or added since.
                h.update(snapshot.digest())
                kept = snapshot.attrs
            else:
                kept = {}
            for name, item in attributes.items():
                if not is_input(name):
                    continue
                before = kept.get(name, MISSING)
                if before is item or (
                    type(before) is type(item) and isinstance(item, (list, dict)) and before == item
                ):
                    continue
                self._feed(h.update, name, level + 1, ())
                self._feed(h.update, item, level + 1, ())
        digest = h.digest()
        self._contents[key] = (content, digest)
        return digest
