"""The Markdown reader of the ward site: NFC text and checked metadata.

Replaces Pelican's Markdown reader with one that
- normalises the whole file (metadata included) to Unicode NFC before anything reads it;
- checks the metadata header line by line and stops on a mistake with a Vietnamese message
  that names the file and the line and says how to fix it;
- refuses a file that is a symbolic link to outside the content folder.

Before each build it also reports every link in content/ that leaves it or closes a loop
(links.scan) and keeps Pelican's walks out of those folders (the *_EXCLUDES settings).
"""

import logging
import os

from pelican import signals

from .links import scan
from .reader import WardMarkdownReader, display_path
from .settings import parse_settings

logger = logging.getLogger(__name__)

EXCLUDE_KEYS = ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES")
# What guard_links added to each *_EXCLUDES setting, taken back on the next run (`-r`).
_added = {}


def add_reader(readers):
    readers.settings["WARD_READER"] = parse_settings(readers.settings)
    for ext in WardMarkdownReader.file_extensions:
        readers.reader_classes[ext] = WardMarkdownReader


def link_message(link):
    where = display_path(link.path)
    if link.kind == "outside":
        return (
            f"{where}: liên kết (symlink) trỏ ra ngoài thư mục content/ (tới {link.target}). "
            "Trang không đọc và không đăng gì qua liên kết này. Hãy xóa liên kết và chép "
            "tệp hay thư mục cần đăng vào content/."
        )
    return (
        f"{where}: liên kết (symlink) tạo vòng lặp (trỏ về {link.target}, thư mục chứa "
        f"chính nó). Trang bỏ qua liên kết này. Hãy xóa liên kết: rm {where}"
    )


def guard_links(pelican):
    """Report links that leave content/ or loop; Pelican walks none of those folders."""
    settings = pelican.settings
    root = settings["PATH"]
    bad = scan(root)
    for link in bad:
        logger.error("%s", link_message(link))
    folders = [os.path.relpath(link.path, root) for link in bad if link.is_dir]
    for key in EXCLUDE_KEYS:
        kept = [e for e in settings.get(key, []) if e not in _added.get(key, ())]
        settings[key] = kept + [f for f in folders if f not in kept]
        _added[key] = folders


def register():
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(guard_links)
