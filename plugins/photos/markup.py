"""Finding the photos a content file uses and where they are (pure functions)."""

import html
import os
import re
import unicodedata
from html.parser import HTMLParser

from figures.check import disk_path

from .messages import MISSING_PLACEHOLDER

IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
EXTERNAL_RE = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
STATIC = "{static}"


class _TagParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs = None

    def handle_starttag(self, tag, attrs):
        if self.attrs is None:
            self.attrs = {name: (True if value is None else value) for name, value in attrs}

    handle_startendtag = handle_starttag


def tag_attrs(tag):
    """The attributes of one start tag, entities decoded: '<img alt="a &amp; b">' -> {...}."""
    parser = _TagParser()
    parser.feed(tag)
    parser.close()
    return parser.attrs or {}


def static_target(link):
    """The `{static}` target of an image link, or None for external/other links.

    `{static}/images/a.jpg` and `images/a.jpg` (Image: metadata) -> '/images/a.jpg' (from
    content/); `{static}../a.jpg`, `./a.jpg` -> '../a.jpg' (from the article's folder)."""
    if not link:
        return None
    link = link.strip()
    if link.startswith(STATIC):
        link = link[len(STATIC) :]
    elif EXTERNAL_RE.match(link) or link.startswith("{"):
        return None
    elif not link.startswith(("/", "./", "../")):
        link = "/" + link
    return link


def written_form(target):
    """How staff wrote it in Markdown (for finding the line): '/images/a.jpg' -> 'images/a.jpg'."""
    return target.lstrip("/")


def resolve(target, source_path, content_root):
    """(absolute path, posix path relative to content/, in NFC) or (path, None) when it
    leaves content/ (symlinks included). Names are matched in NFC (figures.check.disk_path)."""
    if target.startswith("/"):
        path = os.path.join(content_root, target.lstrip("/"))
    else:
        path = os.path.join(os.path.dirname(source_path), target)
    real = os.path.realpath(disk_path(path))
    root = os.path.realpath(content_root)
    if os.path.commonpath([real, root]) != root or real == root:
        return real, None
    return real, unicodedata.normalize("NFC", os.path.relpath(real, root).replace(os.sep, "/"))


def missing_html(written):
    """The box shown instead of a photo that does not exist, naming the file as written."""
    text = html.escape(MISSING_PLACEHOLDER.format(path=written), quote=True)
    return f'<span class="photo-missing" data-pagefind-ignore>{text}</span>'
