"""The Pelican glue: a MarkdownReader that reads NFC text and checks the header first."""

import logging
import os
import unicodedata
from html import escape

from markdown import Markdown
from pelican.readers import MarkdownReader

from .header import check_header, read_header
from .links import inside
from .settings import ARTICLE_KEYS, PAGE_KEYS

logger = logging.getLogger(__name__)


class ContentError(ValueError):
    """A mistake in a content file, worded for the staff who wrote it."""


def display_path(path):
    """The path as staff know it: relative to the project when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def read_text(path):
    """The file's text as NFC, without a byte-order mark, with \\n line ends."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        message = (
            f"{display_path(path)}:{line}: tệp không được lưu dạng UTF-8. "
            "Hãy mở tệp và lưu lại với bảng mã UTF-8."
        )
        logger.error("%s", message)
        raise ContentError(message) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


class WardMarkdownReader(MarkdownReader):
    def is_page(self, source_path):
        content_root = os.path.abspath(self.settings["PATH"])
        rel = os.path.relpath(os.path.abspath(source_path), content_root)
        return any(
            rel == p or rel.startswith(p.rstrip("/") + os.sep) for p in self.settings["PAGE_PATHS"]
        )

    def read(self, source_path):
        options = self.settings["WARD_READER"]
        real = os.path.realpath(source_path)
        if not inside(real, os.path.realpath(self.settings["PATH"])):
            # The link itself was reported before the build (ward_reader.guard_links).
            raise ContentError(
                f"{display_path(source_path)}:1: tệp là liên kết (symlink) tới {real}, "
                "nằm ngoài thư mục content/: không được đọc. Hãy chép bài vào content/."
            )
        text = read_text(source_path)
        is_page = self.is_page(source_path)
        allowed = (PAGE_KEYS if is_page else ARTICLE_KEYS) | set(options["extra_keys"])
        fields, problems = read_header(text)
        problems += check_header(
            fields, is_page=is_page, allowed_keys=allowed, categories=options["categories"]
        )
        if problems:
            where = display_path(source_path)
            message = "\n".join(
                f"{where}:{p.line}: {p.message}" for p in sorted(problems, key=lambda p: p.line)
            )
            # Pelican logs only "Could not process <file>" for a reader's exception (the
            # reason only with DEBUG), so the reason is logged here, then the file skipped.
            logger.error("%s", message)
            raise ContentError(message)
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        if "title" in metadata:
            # Pelican treats a title as HTML (typogrify runs on it next); staff write text.
            metadata["title"] = escape(metadata["title"], quote=False)
        return content, metadata
