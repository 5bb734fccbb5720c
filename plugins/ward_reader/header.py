"""Checking a Markdown metadata header, with no knowledge of Pelican.

Python-Markdown's `meta` extension stops reading metadata at the first line that does not
look like `Key: value` and silently turns the rest into body text; a typo in a key is kept
as metadata nobody reads. Staff would never notice either, so every line of the header is
checked here and each mistake is reported with its line number, in Vietnamese.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from .paths import valid_save_as

KEY_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
CONTINUATION_RE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
FENCE_RE = re.compile(r"^(-{3}|\.{3})\s*$")
# Dates: year first (2022-07-06 09:54) or day first, as staff write them (06/07/2022 09:54,
# 6/7/2022, 06-07-2022); the time is optional. A day-first date needs a 4-digit year.
YEAR_FIRST_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]+(?P<time>.+))?$")
DAY_FIRST_RE = re.compile(
    r"^(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d+)(?:\s+(?P<time>.+))?$"
)
TIME_RE = re.compile(r"^(?P<h>\d{1,2})[:h](?P<min>\d{2})$")
DATE_KEYS = ("date", "modified", "expires")
DATE_EXAMPLE = "28/11/2026 09:30 (hoặc chỉ ngày: 28/11/2026)"
STATUSES = ("published", "draft", "hidden")
YES_NO = {"yes": True, "có": True, "no": False, "không": False}
# Keys that take one of a few values: the values, and what to tell staff otherwise.
CHOICES = {
    "status": (
        STATUSES,
        "trạng thái '{value}' không hợp lệ. Dùng một trong: "
        "published (đăng), draft (bản nháp), hidden (ẩn).",
    ),
    "pinned": (
        YES_NO,
        "'Pinned: {value}' không hợp lệ. Viết 'Pinned: yes' để ghim "
        "bài lên đầu trang chủ, hoặc xóa dòng này.",
    ),
}

# How staff see each key named in messages (the spelling of the starter template).
DISPLAY = {
    "save_as": "Save_as",
}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def display(key):
    return DISPLAY.get(key, key.capitalize())


def read_header(text):
    """Return ({key: (line, value)}, problems) for the header at the top of `text`.

    Line numbers start at 1. Continuation lines (indented 4 spaces) join the value."""
    fields = {}
    problems = []
    lines = text.split("\n")
    start = 0
    if lines and FENCE_RE.match(lines[0]):
        start = 1
    last = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or (start and FENCE_RE.match(line)):
            break
        match = KEY_RE.match(line)
        if match:
            key = match["key"].lower()
            if key in fields:
                problems.append(
                    Problem(number, f"mục '{display(key)}' được viết hai lần; hãy xóa một dòng.")
                )
            fields[key] = (number, match["value"].strip())
            last = key
            continue
        cont = CONTINUATION_RE.match(line)
        if cont and last:
            first_line, value = fields[last]
            fields[last] = (first_line, f"{value} {cont['value'].strip()}".strip())
            continue
        problems.append(
            Problem(
                number,
                f"dòng '{line.strip()[:60]}' không đúng dạng 'Tên mục: nội dung' "
                "(thiếu dấu hai chấm?). Phần thông tin đầu bài phải kết thúc bằng "
                "một dòng trống trước nội dung bài.",
            )
        )
        break
    return fields, problems


def parse_date(value):
    """The datetime of a header date (see YEAR_FIRST_RE, DAY_FIRST_RE), or None."""
    value = value.strip()
    match = YEAR_FIRST_RE.match(value) or DAY_FIRST_RE.match(value)
    if not match or len(match["y"]) != 4:
        return None
    hour = minute = 0
    if match["time"]:
        time = TIME_RE.match(match["time"].strip())
        if not time:
            return None
        hour, minute = int(time["h"]), int(time["min"])
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), hour, minute)
    except ValueError:
        return None


def iso_date(value):
    """A header date as Pelican reads it (2026-11-28 09:30, or 2026-11-28 without a time);
    the value itself when it is not a date."""
    parsed = parse_date(value)
    if parsed is None:
        return value
    match = YEAR_FIRST_RE.match(value.strip()) or DAY_FIRST_RE.match(value.strip())
    return parsed.strftime("%Y-%m-%d %H:%M" if match["time"] else "%Y-%m-%d")


def date_problem(key, value):
    """What to tell staff about a date they wrote that parse_date refuses."""
    match = DAY_FIRST_RE.match(value.strip())
    if match and len(match["y"]) != 4:
        return (
            f"ngày '{value}' ở mục '{display(key)}' có năm viết tắt '{match['y']}': hãy viết "
            f"đủ 4 chữ số, ví dụ: {DATE_EXAMPLE}."
        )
    return (
        f"ngày '{value}' ở mục '{display(key)}' không đúng dạng hoặc không có trên lịch. Hãy "
        f"viết ngày trước, tháng sau, năm đủ 4 chữ số, giờ:phút nếu có, ví dụ: {DATE_EXAMPLE}."
    )


def check_header(fields, *, is_page, allowed_keys, categories, required=None, dates=DATE_KEYS):
    """Return the problems of a parsed header (see read_header). `required` (default: those
    of an article or a page) and `dates` are the keys of another kind of content."""
    problems = []
    for key, (line, _value) in fields.items():
        if key not in allowed_keys:
            close = difflib.get_close_matches(key, sorted(allowed_keys), n=1)
            hint = f" Có phải ý bạn là '{display(close[0])}'?" if close else ""
            known = ", ".join(display(k) for k in sorted(allowed_keys))
            problems.append(
                Problem(line, f"không có mục thông tin '{key}'.{hint} Các mục dùng được: {known}.")
            )
    if required is None:
        required = ("title",) if is_page else ("title", "date", "category")
    for key in required if isinstance(required, (list, tuple)) else sorted(required):
        if not fields.get(key, (0, ""))[1]:
            line = fields[key][0] if key in fields else 1
            problems.append(
                Problem(
                    line,
                    f"thiếu mục '{display(key)}'. Thêm một dòng '{display(key)}: ...' "
                    "ở đầu bài, trước dòng trống.",
                )
            )
    for key in dates:
        if key in fields and fields[key][1] and parse_date(fields[key][1]) is None:
            line, value = fields[key]
            problems.append(Problem(line, date_problem(key, value)))
    for key, (allowed, message) in CHOICES.items():
        if key in fields and fields[key][1].lower() not in allowed:
            line, value = fields[key]
            problems.append(Problem(line, message.format(value=value)))
    if "save_as" in fields and not valid_save_as(fields["save_as"][1]):
        line, value = fields["save_as"]
        problems.append(
            Problem(
                line,
                f"'Save_as: {value}' không hợp lệ: chỉ dùng được cho một tệp .html của chính "
                "trang này, tên chữ thường không dấu, số và dấu gạch ngang, không có '..' hay "
                "'/' ở đầu, ví dụ 'Save_as: 404.html'. Thường chỉ cần xóa dòng này: trang "
                "được ghi ra theo tiêu đề hoặc dòng 'Slug:'.",
            )
        )
    if "category" in fields and categories and fields["category"][1]:
        line, value = fields["category"]
        if value not in categories:
            close = difflib.get_close_matches(value, categories, n=1)
            hint = f" Có phải ý bạn là '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    line,
                    f"chuyên mục '{value}' không có trên trang.{hint} "
                    f"Các chuyên mục: {', '.join(categories)}.",
                )
            )
    return problems
