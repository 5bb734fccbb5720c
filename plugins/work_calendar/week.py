"""One week file of the work calendar (`content/lich-cong-tac/2026-W49.yml`): reading and
checking, with no knowledge of Pelican.

The file is a YAML list, one item per entry:

    - day: 30/11/2026            # or 2026-11-30; must fall in the file's ISO week
      time: 08:00 - 11:30        # or 08:00, 8h00, "cả ngày"
      leaders: [vu-trong-thu]    # registry ids (content/data/officials.yml)
      content: Giao ban UBND phường
      place: Phòng họp tầng 2    # optional
      participants: …            # optional

The YAML is composed into nodes, not loaded into Python values, as the officials registry
is (officials.registry): every mistake is reported with its line, and a value keeps the
text staff wrote (PyYAML would read `8:30` as the number 510 and `2026-11-30` as a date).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time

import yaml

from officials.registry import ID_RE, _Checker, _compose
from ward_reader.header import parse_date
from ward_reader.invisible import strip as strip_invisible

WEEK_FILE_RE = re.compile(r"^(?P<year>\d{4})-[Ww](?P<week>\d{2})\.ya?ml$")
KEYS = ("day", "time", "leaders", "content", "place", "participants")
# The keys an entry cannot do without: (what it is, an example line).
REQUIRED = {
    "day": ("ngày", "day: 30/11/2026"),
    "time": ("giờ", "time: 08:00 - 11:30"),
    "leaders": ("mã lãnh đạo chủ trì", "leaders: [vu-trong-thu]"),
    "content": ("nội dung công việc", "content: Giao ban UBND phường"),
}
ALL_DAY = ("cả ngày", "ca ngay")
CLOCK_RE = re.compile(r"^(?P<h>\d{1,2})(?:\s*[:hg]\s*(?P<m>\d{2})|\s*[hg])$", re.IGNORECASE)
RANGE_RE = re.compile(r"\s*(?:-|–|—|đến)\s*")
TIME_EXAMPLE = "'08:00', '08:00 - 11:30' hoặc 'cả ngày'"


@dataclass(frozen=True)
class Entry:
    day: date
    start: time | None  # None: the whole day
    end: time | None  # None: not given (or the whole day)
    leaders: tuple
    content: str
    place: str
    participants: str
    line: int


def week_of(name):
    """(ISO year, ISO week) of a week file's name ('2026-W49.yml'), or None."""
    match = WEEK_FILE_RE.match(name)
    if not match:
        return None
    year, week = int(match["year"]), int(match["week"])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return year, week


def week_key(year, week):
    return f"{year}-W{week:02d}"


def week_days(year, week):
    """The Monday and the Sunday of an ISO week."""
    return date.fromisocalendar(year, week, 1), date.fromisocalendar(year, week, 7)


def parse_clock(text):
    """A time of day written '08:00', '8:00', '8h00', '8h' or '8g30', or None."""
    match = CLOCK_RE.match(text.strip())
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_time(text):
    """(start, end) of a `time:` value: (None, None) for the whole day, (start, None) for a
    start only; raises ValueError with the message for staff."""
    value = " ".join(text.split())
    if value.lower() in ALL_DAY:
        return None, None
    parts = RANGE_RE.split(value)
    if len(parts) > 2 or not all(parts):
        raise ValueError(f"giờ '{value}' không đúng dạng. Viết {TIME_EXAMPLE}.")
    clocks = [parse_clock(p) for p in parts]
    if None in clocks:
        raise ValueError(
            f"giờ '{value}' không đúng dạng hoặc không có thật (giờ từ 0 đến 23, phút từ 00 "
            f"đến 59). Viết {TIME_EXAMPLE}."
        )
    if len(clocks) == 2 and clocks[1] <= clocks[0]:
        raise ValueError(
            f"giờ kết thúc {clocks[1]:%H:%M} không sau giờ bắt đầu {clocks[0]:%H:%M}. "
            "Hãy sửa lại, ví dụ '08:00 - 11:30'."
        )
    return clocks[0], clocks[1] if len(clocks) == 2 else None


def suggestion(official_id, known):
    """' Có phải ý bạn là 'x'?' for the registry id closest to `official_id`, or ''."""
    close = difflib.get_close_matches(official_id, list(known), n=1)
    return f" Có phải ý bạn là '{close[0]}'?" if close else ""


def read_week(raw, name, known_ids, registry_path="content/data/officials.yml"):
    """(entries, [(line, message)]) of the week file `name` whose bytes are `raw`.

    `known_ids`: the registry's ids. Entries with a mistake are left out; the others
    are kept, in the order of the file."""
    week = week_of(name)
    if week is None:
        return [], [
            (
                1,
                f"tên tệp '{name}' không đúng dạng: mỗi tuần một tệp, đặt tên theo năm và số "
                "tuần, ví dụ 2026-W49.yml (tuần 49 năm 2026; tuần bắt đầu thứ Hai).",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return [], [(line, "tệp không được lưu dạng UTF-8. Hãy lưu lại với bảng mã UTF-8.")]
    # As the article reader does: NFC, no invisible characters pasted from Word or Zalo.
    text = strip_invisible(unicodedata.normalize("NFC", text))
    try:
        root = _compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return [], [
            (
                mark.line + 1 if mark else 1,
                f"tệp viết sai cú pháp YAML ({getattr(e, 'problem', None) or e}). Kiểm tra "
                "thụt lề (mỗi mục bắt đầu bằng '- day:', các dòng sau thụt vào 2 dấu cách) và "
                "dấu ':' sau tên mục.",
            )
        ]
    if root is None:
        return [], []
    checker = _Checker()
    if not isinstance(root, yaml.SequenceNode):
        checker.add(
            root,
            "lịch tuần phải là một danh sách, mỗi mục bắt đầu bằng '- day: …' (xem mẫu trong "
            "README, mục “Lịch công tác”).",
        )
        return [], checker.problems
    first, last = week_days(*week)
    entries = []
    rules = {
        "week": week,
        "span": (first, last),
        "known": set(known_ids),
        "registry": registry_path,
    }
    for node in root.value:
        entry = _entry(checker, node, rules)
        if entry is not None:
            entries.append(entry)
    return entries, sorted(checker.problems, key=lambda p: p[0])


def _entry(checker, node, rules):
    if not isinstance(node, yaml.MappingNode):
        checker.add(
            node,
            "mỗi mục lịch phải là một nhóm dòng 'day:', 'time:', 'leaders:', 'content:' …, "
            "bắt đầu bằng '- day: …'.",
        )
        return None
    line = node.start_mark.line + 1
    before = len(checker.problems)
    fields = checker.mapping(node, KEYS, "một mục lịch")
    ok = True
    for key, (what, example) in REQUIRED.items():
        if key not in fields:
            checker.add(
                line, f"mục lịch này thiếu '{key}:' ({what}). Thêm một dòng '{example}' vào mục."
            )
            ok = False
    day = start = end = None
    if "day" in fields:
        day = _day(checker, fields["day"][1], rules["week"], rules["span"])
        ok = ok and day is not None
    if "time" in fields:
        value = _scalar(fields["time"][1])
        try:
            start, end = parse_time(value or "")
        except ValueError as e:
            checker.add(fields["time"][1], str(e))
            ok = False
    leaders = ()
    if "leaders" in fields:
        leaders = _leaders(checker, fields["leaders"][1], rules["known"], rules["registry"])
        ok = ok and leaders is not None
    texts = {}
    for key, what in (
        ("content", "nội dung"),
        ("place", "địa điểm"),
        ("participants", "thành phần"),
    ):
        if key in fields:
            texts[key] = checker.text(fields[key][1], f"{what} ('{key}:')")
            ok = ok and texts[key] is not None
    if not ok or len(checker.problems) > before:  # a mistake anywhere: left out
        return None
    return Entry(
        day=day,
        start=start,
        end=end,
        leaders=leaders,
        content=texts["content"],
        place=texts.get("place") or "",
        participants=texts.get("participants") or "",
        line=line,
    )


def _scalar(node):
    return node.value.strip() if isinstance(node, yaml.ScalarNode) else None


def _day(checker, node, week, span):
    value = _scalar(node) or ""
    parsed = parse_date(value)
    if parsed is None or parsed.time() != time(0) or ":" in value:
        checker.add(
            node,
            f"ngày '{value}' không đúng dạng hoặc không có trên lịch. Viết ngày trước, tháng "
            "sau, năm đủ 4 chữ số, không kèm giờ (giờ ghi ở 'time:'), ví dụ 'day: 30/11/2026'.",
        )
        return None
    day = parsed.date()
    first, last = span
    if not first <= day <= last:
        year, number = day.isocalendar()[:2]
        checker.add(
            node,
            f"ngày {day:%d/%m/%Y} không thuộc tuần {week[1]}/{week[0]} của tệp này (từ thứ Hai "
            f"{first:%d/%m/%Y} đến Chủ nhật {last:%d/%m/%Y}). Hãy sửa ngày, hoặc chuyển mục "
            f"này sang tệp {week_key(year, number)}.yml.",
        )
        return None
    return day


def _leaders(checker, node, known, registry_path):
    """The registry ids of `leaders:` (a list, or one line of ids separated by commas)."""
    if isinstance(node, yaml.SequenceNode):
        items = [(n, _scalar(n)) for n in node.value]
    elif isinstance(node, yaml.ScalarNode):
        items = [(node, part.strip()) for part in node.value.split(",")]
    else:
        items = [(node, None)]
    ids = []
    ok = True
    for item_node, value in items:
        if not value:
            checker.add(
                item_node,
                "'leaders:' phải là mã cán bộ, ví dụ 'leaders: [vu-trong-thu]' hoặc "
                "'leaders: vu-trong-thu, bui-quang-cu'.",
            )
            ok = False
            continue
        if value not in known:
            hint = suggestion(value, known)
            form = "" if ID_RE.match(value) else " Mã viết chữ thường không dấu, nối bằng '-'."
            checker.add(
                item_node,
                f"mã cán bộ '{value}' ở mục 'leaders' không có trong {registry_path}.{hint}"
                f"{form} Kiểm tra lại chính tả, hoặc thêm người này vào danh sách cán bộ.",
            )
            ok = False
            continue
        if value not in ids:
            ids.append(value)
    if ok and not ids:
        checker.add(node, "mục lịch cần ít nhất một lãnh đạo chủ trì ở 'leaders:'.")
        ok = False
    return tuple(ids) if ok else None
