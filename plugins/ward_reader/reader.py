"""The Pelican glue: a MarkdownReader that reads NFC text and checks the header first."""

import logging
import os
import unicodedata
from html import escape
from zoneinfo import ZoneInfo

from markdown import Markdown
from pelican.readers import MarkdownReader

from build_report import note

from . import invisible
from .advice import ToneSpellings, check_text, local_now
from .header import DATE_KEYS, KEY_RE, Problem, check_header, iso_date, read_header
from .legacy import LABELS, decode_legacy_bytes
from .links import inside
from .paths import url_of
from .sanitize import clean_body, plain_text, removed_markup
from .settings import ARTICLE_KEYS, PAGE_KEYS

logger = logging.getLogger(__name__)
# The names read in this build, for report_tone_spellings (ward_reader/__init__.py).
TONES = ToneSpellings()


class ContentError(ValueError):
    """A mistake in a content file, worded for the staff who wrote it (and logged: Pelican's
    "Could not process" line after it is dropped, see build_report)."""

    reported = True


def display_path(path):
    """The path as staff know it: relative to the project when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def read_text(path):
    """The file's text as NFC, without a byte-order mark, with \\n line ends."""
    return unicodedata.normalize("NFC", decode(path))


def decode(path):
    """The file's text as written (not normalised), without a byte-order mark, with \\n
    line ends; a file that is not UTF-8 is an error naming its line."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        where = display_path(path)
        _, kind = decode_legacy_bytes(raw)
        message = (
            f"{where}:{line}: tệp không được lưu dạng UTF-8 (có vẻ là bảng mã cũ "
            f"{LABELS[kind]}). Chạy 'make fix FILE={where}' để chuyển cả tệp sang Unicode "
            "(có giữ bản sao), hoặc mở tệp và lưu lại với bảng mã UTF-8."
        )
        logger.error("%s", message)
        raise ContentError(message) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class WardMarkdownReader(MarkdownReader):
    _markdown = None

    def markdown(self):
        """The reader's Markdown instance, reset for the next file. Pelican builds a new one
        per file; setting up its extensions took about 4 % of a full build."""
        if self._markdown is None:
            self._markdown = Markdown(**self.settings["MARKDOWN"])
        self._markdown.reset()
        return self._markdown

    def parse_metadata(self, md):
        """Pelican's _parse_metadata, which takes the `meta` preprocessor out of the
        instance (so that a summary's lines are not read as metadata): put back after."""
        meta = md.preprocessors["meta"]
        for key in DATE_KEYS:
            # Day-first dates (28/11/2026) as Pelican and the plugins read them (ISO).
            if key in md.Meta:
                md.Meta[key] = [iso_date(v) for v in md.Meta[key]]
        try:
            return self._parse_metadata(md.Meta)
        finally:
            if "meta" not in md.preprocessors:
                # 27: the priority markdown.extensions.meta registers it with
                md.preprocessors.register(meta, "meta", 27)

    def is_page(self, source_path):
        content_root = os.path.abspath(self.settings["PATH"])
        rel = os.path.relpath(os.path.abspath(source_path), content_root)
        return any(
            rel == p or rel.startswith(p.rstrip("/") + os.sep) for p in self.settings["PAGE_PATHS"]
        )

    def kind_of(self, source_path):
        """The header rules of the folder (WARD_READER["kinds"]) the file is in, or None."""
        kinds = self.settings["WARD_READER"]["kinds"]
        if not kinds:
            return None
        content_root = os.path.abspath(self.settings["PATH"])
        rel = os.path.relpath(os.path.abspath(source_path), content_root).replace(os.sep, "/")
        return next((kinds[f] for f in kinds if rel.startswith(f + "/")), None)

    def read(self, source_path):
        options = self.settings["WARD_READER"]
        real = os.path.realpath(source_path)
        if not inside(real, os.path.realpath(self.settings["PATH"])):
            # The link itself was reported before the build (ward_reader.guard_links).
            raise ContentError(
                f"{display_path(source_path)}:1: tệp là liên kết (symlink) tới {real}, "
                "nằm ngoài thư mục content/: không được đọc. Hãy chép bài vào content/."
            )
        where = display_path(source_path)
        if invisible.INVISIBLE_RE.search(source_path):
            fail(
                f"{where}:1: tên tệp có ký tự ẩn ({invisible.describe(source_path)}). "
                "Hãy đổi tên tệp: gõ lại tên bằng bàn phím, đừng dán."
            )
        raw = decode(source_path)
        original = unicodedata.normalize("NFC", raw)
        text = invisible.strip(original)
        is_page = self.is_page(source_path)
        allowed = (PAGE_KEYS if is_page else ARTICLE_KEYS) | set(options["extra_keys"])
        kind = self.kind_of(source_path)
        rules = {}
        if kind is not None:  # a document…: its own keys, no summary to advise on
            allowed, is_page = kind["keys"] | {"status"}, True
            rules = {"required": kind["required"], "dates": kind["dates"]}
        fields, problems = read_header(text)
        problems += check_header(
            fields,
            is_page=is_page,
            allowed_keys=allowed,
            categories=options["categories"],
            **rules,
        )
        problems += invisible_problems(original, where)
        if problems:
            fail(
                "\n".join(
                    f"{where}:{p.line}: {p.message}" for p in sorted(problems, key=lambda p: p.line)
                )
            )
        report_advice(raw, fields, source_path, is_page, self.settings)
        TONES.add(text, where)
        self._source_path = source_path
        self._md = self.markdown()
        converted = self._md.convert(text)
        content = clean_body(converted)
        removed = removed_markup(converted, content)
        if removed:
            header_end = max((line for line, _ in fields.values()), default=0)
            warn_removed(where, line_naming(text, removed, header_end), removed)
        metadata = self.parse_metadata(self._md) if hasattr(self._md, "Meta") else {}
        if "title" in metadata:
            # Pelican treats a title as HTML (typogrify runs on it next); staff write text.
            metadata["title"] = escape(metadata["title"], quote=False)
        if "summary" in metadata:
            # Plain text (escaped), the same on the site and in the feed.
            summary = metadata["summary"]
            removed = removed_markup(summary, clean_body(summary))
            warn_removed(where, fields["summary"][0], removed)
            metadata["summary"] = plain_text(summary)
        if "save_as" in metadata:
            metadata["url"] = url_of(metadata["save_as"])
        return content, metadata


def report_advice(raw, fields, source_path, is_page, settings):
    """Logs what advice.check_text finds in a file that can be read (errors, warnings, and
    notes for the build's summary)."""
    where = display_path(source_path)
    findings = check_text(
        raw,
        fields,
        source=source_path,
        where=where,
        content_root=settings["PATH"],
        is_page=is_page,
        now=local_now(ZoneInfo(settings.get("TIMEZONE") or "UTC")),
        max_image_bytes=settings["WARD_READER"]["max_image_mb"] * 1e6,
    )
    for finding in findings:
        if finding.level == "note":
            note(logger, "%s:%d: %s", where, finding.line, finding.message)
        else:
            level = logging.ERROR if finding.level == "error" else logging.WARNING
            logger.log(level, "%s:%d: %s", where, finding.line, finding.message)


def fail(message):
    # Pelican logs only "Could not process <file>" for a reader's exception (the reason
    # only with DEBUG), so the reason is logged here, then the file skipped.
    logger.error("%s", message)
    raise ContentError(message)


def invisible_problems(original, where):
    """Warns of invisible characters in the header (removed from the text by the caller);
    returns the Problems of those in a path: a photo or attachment name that has one."""
    problems = []
    path_keys = ("image", "attachments")
    for line, raw in invisible.header_lines(original):
        match = KEY_RE.match(invisible.strip(raw))
        key = match["key"].lower() if match else ""
        found = invisible.describe(raw)
        if key in path_keys:
            problems.append(Problem(line, path_message(found)))
            continue
        logger.warning(
            "%s:%d: dòng này có ký tự ẩn (%s), đã bỏ khi dựng trang. Hãy xóa dòng và gõ lại "
            "bằng bàn phím (ký tự ẩn thường đến khi dán từ Word, Zalo hay trang web).",
            where,
            line,
            found,
        )
    for line, target in invisible.link_targets(original):
        problems.append(Problem(line, path_message(invisible.describe(target))))
    return problems


def path_message(found):
    return (
        f"đường dẫn tệp có ký tự ẩn ({found}). Hãy đổi tên tệp ảnh hoặc tệp đính kèm "
        "(gõ lại tên bằng bàn phím) rồi gõ lại đường dẫn ở dòng này."
    )


def warn_removed(where, line, removed):
    """Warns that the sanitiser took `removed` out (see sanitize.removed_markup)."""
    if removed:
        logger.warning(
            "%s:%d: mã HTML không được phép đã bị bỏ khi dựng trang: %s. Bài chỉ được dùng "
            "Markdown (in đậm, danh sách, bảng, liên kết, ảnh); không dùng thẻ HTML, thuộc "
            "tính on…= hay liên kết javascript:. Hãy xóa phần đó khỏi bài.",
            where,
            line,
            ", ".join(removed),
        )


def line_naming(text, removed, after):
    """The first line after line `after` of `text` that names one of `removed`
    ('<textarea>' -> 'textarea', '<a onclick>' -> 'onclick', '<a href=javascript:>' ->
    'javascript:'), else the line after `after`."""
    names = [r.strip("<>").split()[-1].split("=")[-1] for r in removed]
    lines = text.split("\n")
    for number, line in enumerate(lines[after:], start=after + 1):
        if any(name in line.lower() for name in names):
            return number
    return after + 1
