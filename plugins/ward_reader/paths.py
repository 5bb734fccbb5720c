"""Slugs and output paths: what a content file may write, and where others already write.

Every article and page is written to a path made from its slug (or, for a page, its
`Save_as`). A slug of `..` would write over the home page, `.` over its category page, a
`"` or `#` breaks every link to it, and two articles with one title would write one file
(Pelican stops with a traceback). These helpers are pure; the plugin applies them.
"""

import re

from unidecode import unidecode

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SAVE_AS_RE = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*[a-z0-9]+(?:-[a-z0-9]+)*\.html")
SLUG_RULE = "chỉ gồm chữ thường không dấu a-z, số 0-9 và dấu gạch ngang, không bắt đầu hay kết thúc bằng gạch ngang"


def valid_slug(value):
    return bool(SLUG_RE.fullmatch(value or ""))


def valid_save_as(value):
    return bool(SAVE_AS_RE.fullmatch(value or ""))


def suggest_slug(text):
    """The slug form of `text`: 'Lịch tiếp "công dân"?' -> 'lich-tiep-cong-dan'. Written
    here rather than pelican.utils.slugify, which keeps '_' and a leading '-'."""
    return "-".join(re.findall(r"[a-z0-9]+", unidecode(text).lower()))


def url_of(save_as):
    """The URL of a `Save_as` path: 'a/index.html' -> 'a/', '404.html' -> '404.html'."""
    return save_as.removesuffix("index.html")


def reserved_names(settings, categories, extra):
    """{first path segment or root file name: what writes there} for every path the site
    writes besides articles and pages: Pelican's own pages and feeds (from its *_SAVE_AS and
    feed settings), the theme's and static folders, the category pages, and `extra`."""
    out = {}
    for key, value in settings.items():
        if isinstance(value, str) and value and (key.endswith("_SAVE_AS") or "FEED" in key):
            first = value.split("/", 1)[0]
            if "{" not in first:
                out.setdefault(first, key)
    out.setdefault(settings.get("THEME_STATIC_DIR") or "theme", "THEME_STATIC_DIR")
    for path in settings.get("STATIC_PATHS", []):
        out.setdefault(path.split("/", 1)[0], "STATIC_PATHS")
    for slug, name in categories:
        out[slug] = f"chuyên mục {name}"
    for name in extra:
        out.setdefault(name, "WARD_READER['reserved']")
    return out


def duplicates(items):
    """{output path: [item, ...]} for the paths more than one item writes.
    `items`: [(output path, item)]."""
    seen = {}
    for path, item in items:
        seen.setdefault(path, []).append(item)
    return {path: group for path, group in seen.items() if len(group) > 1}
