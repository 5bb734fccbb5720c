"""Pelican's own work made cheaper, with the same results.

Grouping, linear in the size of the site. Pelican writes each tag, category and author page with
`[a for a in self.dates if a in articles]` and each period archive with
`[a for a in articles if a in dates]`, where the `in` scans a list: the work grows with the
square of the site (about 4 s of every build at 10,000 articles, most of a preview's
rebuild). Content objects compare by identity, so the same answers come from:

- the lists of each tag, category and author made as `MemberList`s, whose `in` looks up a
  set of identities (built on the first `in`, dropped by any change of the list);
- the period archives built by Pelican with no articles, then filled in one pass.

URLs. Pelican formats an article's URL and file name again on every use (a dozen times a
build), each time working out the file's path relative to content/ through os.path (a third
of that time) and copying its metadata with every value a URL may use. That path is kept
on the object, with what it was worked out from; and the pattern (`{category}/{slug}/`) is
given only the values it names, worked out the way Pelican works them out.

An article kept by the incremental plugin has a `_memo` (kept while its file is unchanged,
and started again with any change of the settings): its URL and file name are worked out
there once, not on every build. The status and the language are part of the key; the
other fields a URL pattern may use (slug, date, category, author, metadata) are the ones
read, which no plugin changes afterwards. An `override_url` or `override_save_as` is still
Pelican's answer.

Listing content/. Pelican matches every file against each IGNORE_FILES pattern in turn
(fnmatch), and lists the folder again for the readers that are turned off: the patterns are
matched as one compiled expression, and the second listing is skipped when no reader is off.

Exit. When the process ends, Python's cycle collector walks every object still alive,
again and again as it clears the modules: the whole site, about a second at 2,000 articles,
to give back memory the system takes back anyway. At exit, what is alive is set aside first
(gc.freeze); `atexit` and `logging` still run their own clean-up, and every file the build
writes is closed when it is written.

Nothing else of Pelican's behaviour changes; tests/test_pelican_fast.py compares both ways.
"""

import atexit
import datetime
import fnmatch
import functools
import gc
import os
import re
import string
from collections import defaultdict

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, Generator
from pelican.utils import path_to_url


class MemberList(list):
    """A list whose `in` is a set lookup by identity (what `in` finds for Content objects,
    which have no __eq__ of their own)."""

    __slots__ = ("_ids",)

    def __init__(self, *args):
        super().__init__(*args)
        self._ids = None

    def __contains__(self, item):
        if self._ids is None:
            self._ids = {id(x) for x in self}
        return id(item) in self._ids


def _forgetting(name):
    method = getattr(list, name)

    def changed(self, *args):
        self._ids = None
        return method(self, *args)

    changed.__name__ = name
    return changed


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "__setitem__",
              "__delitem__", "__iadd__", "__imul__"):  # fmt: skip
    setattr(MemberList, _name, _forgetting(_name))


def member_lists(generator):
    """Before Pelican groups the articles (after `article_generator_pretaxonomy`)."""
    for name in ("tags", "categories", "authors"):
        setattr(generator, name, defaultdict(MemberList))


_pelican_period_archives = ArticlesGenerator._build_period_archives


def build_period_archives(self, sorted_articles, articles, settings):
    archives = _pelican_period_archives(self, sorted_articles, [], settings)
    for granularity in archives.values():
        owner = {}
        for archive in granularity:
            for article in archive["dates"]:
                owner[id(article)] = archive["articles"]
        for article in articles:
            found = owner.get(id(article))
            if found is not None:
                found.append(article)
    return archives


_pelican_relative_source_path = Content.get_relative_source_path


def get_relative_source_path(self, source_path=None):
    if source_path is not None:
        return _pelican_relative_source_path(self, source_path)
    key = (self.source_path, self.settings["PATH"])
    known = self.__dict__.get("_relative_source_path")
    if known is None or known[0] != key:
        known = self._relative_source_path = (key, _pelican_relative_source_path(self))
    return known[1]


_pelican_expand_settings = Content._expand_settings
_FIELDS = {}  # URL pattern -> the names it uses, or None: Pelican's own way


def _fields(pattern):
    names = _FIELDS.get(pattern, False)
    if names is False:
        names = set()
        try:
            for _, field, spec, _ in string.Formatter().parse(pattern):
                if field is None:
                    continue
                name = field.split(".", 1)[0].split("[", 1)[0]
                # Positional fields and fields nested in a format spec: Pelican's way.
                if not name or name.isdigit() or "{" in (spec or ""):
                    names = None
                    break
                names.add(name)
        except ValueError:  # a broken pattern: Pelican's error
            names = None
        _FIELDS[pattern] = names = None if names is None else tuple(names)
    return names


def _url_value(content, name):
    """Content.url_format[name], without working out the others."""
    if name == "path":
        return path_to_url(content.metadata.get("path", content.get_relative_source_path()))
    if name == "slug":
        return getattr(content, "slug", "")
    if name == "lang":
        return getattr(content, "lang", "en")
    if name == "date":
        return content.date if hasattr(content, "date") else datetime.datetime.now()
    if name == "author":
        return content.author.slug if hasattr(content, "author") else ""
    if name == "category":
        return content.category.slug if hasattr(content, "category") else ""
    return content.metadata[name]  # a KeyError, as Pelican's format(**metadata) gives


def expand_settings(self, key, klass=None):
    if not klass:
        klass = self.__class__.__name__
    pattern = str(self.settings[f"{klass}_{key}".upper()])
    names = _fields(pattern)
    if names is None:
        return _pelican_expand_settings(self, key, klass)
    return pattern.format(**{name: _url_value(self, name) for name in names})


_pelican_get_url_setting = Content.get_url_setting


def get_url_setting(self, key):
    attrs = self.__dict__
    memo = attrs.get("_memo")
    if memo is None or hasattr(self, "override_" + key):
        return _pelican_get_url_setting(self, key)
    known = ("url_setting", key, attrs.get("_status"), attrs.get("lang"))
    value = memo.get(known)
    if value is None:
        value = memo[known] = _pelican_get_url_setting(self, key)
    return value


@functools.cache
def _ignored(patterns):
    """One compiled pattern for IGNORE_FILES (fnmatch.fnmatch on each pattern in turn, as
    Pelican does for every file and folder of content/, is most of the cost of listing it);
    the same case rule as fnmatch.fnmatch (os.path.normcase, the identity on POSIX)."""
    if os.path.normcase("A") != "A":
        return None
    return re.compile("|".join(fnmatch.translate(p) for p in patterns)).match if patterns else None


def include_path(self, path, extensions=None):
    """Pelican's Generator._include_path, with IGNORE_FILES matched in one go."""
    ignores = tuple(self.settings["IGNORE_FILES"])
    match = _ignored(ignores)
    if match is None and ignores:
        return _pelican_include_path(self, path, extensions)
    if extensions is None:
        extensions = tuple(self.readers.extensions)
    basename = os.path.basename(path)
    if match is not None and match(basename):
        return False
    return extensions is False or os.path.splitext(basename)[1][1:] in extensions


_pelican_include_path = Generator._include_path
_pelican_check_disabled_readers = Generator._check_disabled_readers


def check_disabled_readers(self, paths, exclude):
    """Pelican lists content/ once more for the files of readers that are turned off:
    nothing to find when none is."""
    if self.readers.disabled_extensions:
        _pelican_check_disabled_readers(self, paths, exclude)


# At import, not in register() (run for each Pelican object of a process): once. atexit
# calls the last registered first, so the clean-up registered before this one (logging's
# flush, tempfile's) runs after it, unaffected.
atexit.register(gc.freeze)


def register():
    ArticlesGenerator._build_period_archives = build_period_archives
    Content.get_relative_source_path = get_relative_source_path
    Content._expand_settings = expand_settings
    Content.get_url_setting = get_url_setting
    Generator._include_path = include_path
    Generator._check_disabled_readers = check_disabled_readers
    signals.article_generator_pretaxonomy.connect(member_lists)
