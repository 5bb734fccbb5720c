"""Finding images a content file uses that do not exist (pure functions)."""

import os
import re
import unicodedata

from .markdown_ext import content_link

STATIC_SRC_RE = re.compile(r"""<img\b[^>]*?\bsrc=(["'])\{static\}(?P<path>[^"']+)\1""")


def resolve(path, source_path, content_root):
    """The file a `{static}` path points to: from content/ when it starts with '/',
    otherwise from the article's folder (Pelican's rule)."""
    if path.startswith("/"):
        return os.path.normpath(os.path.join(content_root, path.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(source_path), path))


def disk_path(path):
    """`path` as it is spelled on disk, its names compared in Unicode NFC.

    Content text is NFC (the ward reader normalises it) but macOS writes file names in NFD,
    so 'ả' in an article and 'a' + combining hook in a name are the same letter. The path
    is returned as given when it exists or when no name matches."""
    if os.path.lexists(path):
        return path
    parent, name = os.path.split(path)
    if not name or not parent or parent == path:
        return path
    parent = disk_path(parent)
    wanted = unicodedata.normalize("NFC", name)
    try:
        names = os.listdir(parent)
    except OSError:
        return os.path.join(parent, name)
    match = next((n for n in names if unicodedata.normalize("NFC", n) == wanted), name)
    return os.path.join(parent, match)


def line_of(source_path, needle):
    """The first line of the source file that contains `needle` (1 when none does)."""
    try:
        with open(source_path, encoding="utf-8-sig") as f:
            for number, line in enumerate(f, start=1):
                if needle in line:
                    return number
    except OSError:
        pass
    return 1


def missing_images(source_path, html, image_metadata, content_root):
    """Yield (line, written path) for each image of `html` or the Image: metadata that
    does not exist under content_root."""
    paths = [m["path"] for m in STATIC_SRC_RE.finditer(html)]
    if image_metadata:
        link = content_link(image_metadata)
        if link.startswith("{static}"):
            paths.append(link[len("{static}") :])
    seen = set()
    for path in paths:
        if path in seen:
            continue
        seen.add(path)
        if not os.path.isfile(disk_path(resolve(path, source_path, content_root))):
            written = path.lstrip("/")
            yield line_of(source_path, written), written
