"""Checks of a file that do not stop it being read: each finding names its line and the fix.

Levels: "error" (the page would be published wrong: garbled text, a photo too big to
send), "warning" (fix before publishing: an image without a description, a link to an
article that does not exist), "note" (worth knowing, never stops a build: no summary, a
future date, a pinned announcement that has expired, a file in decomposed Unicode).
Pure functions of the file's text, without Pelican, so `make check` and the tests share
them with the build.
"""

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from .header import iso_date, parse_date
from .legacy import LABELS, find_legacy

IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<path>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
LINK_RE = re.compile(r"\]\(\s*<?\{(?P<what>filename|static|attach)\}(?P<path>[^)\s>#?]+)")
YES = {"yes", "có"}


@dataclass(frozen=True)
class Finding:
    line: int
    level: str  # "error", "warning" or "note"
    message: str


def check_text(raw, fields, *, source, where, content_root, is_page, now, max_image_bytes):
    """Findings of one file: `raw` its text as decoded (before NFC), `fields` its header
    ({key: (line, value)}), `source` its path, `where` the path shown to staff, `now` a
    naive local datetime."""
    found = []
    for legacy in find_legacy(raw):
        found.append(
            Finding(
                legacy.line,
                "error",
                f"chữ bị lỗi phông '{legacy.sample}': đoạn này được gõ bằng bảng mã cũ "
                f"{LABELS[legacy.kind]} và sẽ hiện sai trên trang. Chạy "
                f"'make fix FILE={where}' để chuyển sang Unicode (có giữ bản sao), rồi "
                "đọc lại đoạn đó.",
            )
            if legacy.kind in ("tcvn3", "vni")
            else Finding(
                legacy.line,
                "note",
                f"chữ '{unicodedata.normalize('NFC', legacy.sample)}' được lưu ở dạng {LABELS[legacy.kind]}. "
                f"Trang tự sửa khi dựng; chạy 'make fix FILE={where}' để sửa luôn trong tệp.",
            )
        )
    if not is_page and not fields.get("summary", (0, ""))[1]:
        found.append(
            Finding(
                1,
                "note",
                "bài chưa có tóm tắt: trang tự lấy câu đầu của bài. Thêm một dòng "
                "'Summary: …' (một hai câu) ở đầu bài để danh sách và mạng xã hội hiện rõ hơn.",
            )
        )
    date = parse_date(fields["date"][1]) if "date" in fields else None
    if date and date > now and "status" not in fields:
        found.append(
            Finding(
                fields["date"][0],
                "note",
                f"ngày đăng {date:%d/%m/%Y %H:%M} ở tương lai: bài sẽ tự hiện trên trang từ lúc "
                "đó (hẹn giờ). Nếu là gõ nhầm năm hay tháng, hãy sửa dòng này.",
            )
        )
    pinned = fields.get("pinned", (0, ""))[1].lower() in YES
    expires = parse_date(fields["expires"][1]) if "expires" in fields else None
    if pinned and expires:
        # A date without a time is the end of that day.
        dated_only = len(iso_date(fields["expires"][1])) == len("2026-11-28")
        end = expires + timedelta(days=1) if dated_only else expires
        if end <= now:
            shown = f"{expires:%d/%m/%Y}" if dated_only else f"{expires:%d/%m/%Y %H:%M}"
            found.append(
                Finding(
                    fields["expires"][0],
                    "note",
                    f"thông báo ghim đã hết hạn ({shown}) nên không còn ở đầu trang chủ. "
                    "Có thể xóa dòng 'Pinned' và 'Expires'.",
                )
            )
    folder = os.path.dirname(source)
    for image in IMAGE_RE.finditer(raw):
        found += _image(image, line_of(raw, image), content_root, max_image_bytes)
    for link in LINK_RE.finditer(raw):
        target = link["path"]
        base = content_root if target.startswith("/") else folder
        if not os.path.exists(os.path.join(base, target.lstrip("/"))):
            found.append(
                Finding(
                    line_of(raw, link),
                    "warning",
                    f"liên kết tới '{target}' không dẫn tới bài hay tệp nào trong content/. "
                    "Kiểm tra lại tên tệp (đường dẫn tính từ thư mục content/ nếu bắt đầu "
                    "bằng '/', nếu không thì từ thư mục của bài này).",
                )
            )
    return found


def line_of(text, match):
    return text.count("\n", 0, match.start()) + 1


def _image(image, number, content_root, max_image_bytes):
    """Findings of one Markdown image: no description, or a file too big to publish (a
    missing file is the photos plugin's error)."""
    found = []
    path = image["path"]
    if not image["alt"].strip():
        found.append(
            Finding(
                number,
                "warning",
                f"ảnh '{path}' chưa có mô tả: người khiếm thị dùng máy đọc màn hình sẽ không "
                "biết ảnh có gì. Viết mô tả ngắn trong ngoặc vuông, ví dụ "
                f"![Toàn cảnh hội nghị]({path}).",
            )
        )
    local = os.path.join(content_root, path.lstrip("/"))
    if "://" not in path and os.path.isfile(local):
        size = os.path.getsize(local)
        if size > max_image_bytes:
            found.append(
                Finding(
                    number,
                    "error",
                    f"ảnh '{path}' nặng {size / 1e6:.0f} MB, quá {max_image_bytes / 1e6:.0f} MB. "
                    "Hãy gửi lại ảnh từ điện thoại ở cỡ thường, hoặc thu nhỏ ảnh rồi chép đè.",
                )
            )
    return found


def local_now(tz):
    """Now, in the site's time zone, without tzinfo (header dates are naive local times)."""
    return datetime.now(tz).replace(tzinfo=None)


# Old and new tone placement ("Thuỷ"/"Thủy", "Hoà"/"Hòa"): both are correct Vietnamese, but
# one name spelled both ways on one site looks careless and splits its official's page.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
OPEN_PAIR_RE = re.compile(r"(?<![qQ])([oO][aAeE]|[uU][yY])$")
# The end of a word in oa/oe/uy with a tone on either vowel (character classes: fast).
_TONED_O, _TONED_AE, _TONED_U, _TONED_Y = "òóỏõọ", "àáảãạèéẻẽẹ", "ùúủũụ", "ỳýỷỹỵ"


def _either_case(chars):
    return chars + chars.upper()


TONED_PAIR_RE = re.compile(
    f"(?:[{_either_case(_TONED_O)}][aeAE]|[oO][{_either_case(_TONED_AE)}]"
    f"|[{_either_case(_TONED_U)}][yY]|[uU][{_either_case(_TONED_Y)}])\\b"
)
WORD_START_RE = re.compile(r"[^\W\d_]*$")


@functools.lru_cache(maxsize=4096)
def tone_key(word):
    """The word with its tone mark on the first vowel of a final oa/oe/uy (new placement),
    or None when the word has no such pair with a tone."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word) if c not in TONE_MARKS)
    bare = unicodedata.normalize("NFC", bare)
    pair = OPEN_PAIR_RE.search(bare)
    tone = next((c for c in unicodedata.normalize("NFD", word) if c in TONE_MARKS), None)
    if not pair or tone is None:
        return None
    at = pair.start()
    return unicodedata.normalize("NFC", bare[: at + 1] + tone + bare[at + 1 :])


class ToneSpellings:
    """Names (capitalised words) seen with both tone placements across the files read."""

    def __init__(self):
        self.seen = {}  # key -> {spelling: [(where, line)]}

    def add(self, text, where):
        line, counted = 1, 0
        for match in TONED_PAIR_RE.finditer(text):
            # The word the pair ends: back from the pair to the start of the word.
            before = WORD_START_RE.search(text, max(0, match.start() - 12), match.start())
            word = before.group() + match.group()
            key = tone_key(word) if word[0].isupper() else None
            if key:
                line += text.count("\n", counted, match.start())
                counted = match.start()
                self.seen.setdefault(key, {}).setdefault(word, []).append((where, line))

    def findings(self):
        """(where, line, message) of every spelling that is the rarer of its name's two."""
        out = []
        for spellings in self.seen.values():
            if len(spellings) < 2:
                continue
            usual = max(spellings, key=lambda s: len(spellings[s]))
            for spelling, places in sorted(spellings.items()):
                if spelling == usual:
                    continue
                for where, line in places:
                    out.append(
                        (
                            where,
                            line,
                            f"tên '{spelling}' ở đây, nơi khác viết '{usual}' "
                            f"({len(spellings[usual])} lần). Hãy bỏ dấu một cách cho cùng một "
                            f"tên, ví dụ đều viết '{usual}'.",
                        )
                    )
        self.seen.clear()
        return out
