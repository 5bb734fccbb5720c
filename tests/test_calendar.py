"""The work calendar (plugins/work_calendar): week files, week pages, the home page's box,
the iCalendar feed, and what staff are told about mistakes.

One fixture (tests/fixtures/work_calendar) is built twice into one folder: on Tuesday
01/12/2026 (week 49), then again on Tuesday 08/12/2026 (week 50), as `make html` run a
week later would, so the incremental build is what has to get "this week" right.
"""

import logging
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, build_site, parse
from icalendar import Calendar

from work_calendar.settings import SettingsError, parse_settings
from work_calendar.week import parse_time, read_week

CONTENT = FIXTURES / "work_calendar"
TZ = "Asia/Ho_Chi_Minh"
KNOWN = ["vu-trong-thu", "bui-quang-cu", "pham-thi-minh-hong"]


class Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()
        if not message.startswith("Bản dựng có"):  # the build's summary repeats them
            self.messages.append(message)


def build(out, today):
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        build_site(CONTENT, out, WORK_CALENDAR={"today": today})
    finally:
        root.removeHandler(records)
    return records.messages


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("calendar") / "output"
    first_log = build(out, date(2026, 12, 1))
    feed = out / "lich-cong-tac" / "lich.ics"
    first = {
        "log": first_log,
        "feed": feed.read_bytes(),
        "feed_mtime": feed.stat().st_mtime_ns,
        "index": (out / "lich-cong-tac" / "index.html").read_text("utf-8"),
        "home": (out / "index.html").read_text("utf-8"),
        "w49": (out / "lich-cong-tac" / "2026-w49" / "index.html").read_text("utf-8"),
    }
    second_log = build(out, date(2026, 12, 8))
    return out, first, second_log


def html(text):
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(text)


def words(node):
    return " ".join(node.text(separator=" ").split())


def test_this_week_is_the_week_of_the_build_day(site):
    _, first, _ = site
    tree = html(first["index"])
    assert tree.css_first("main h1").text() == "Lịch công tác tuần 49/2026"
    assert words(tree.css_first(".calendar-range")) == (
        "Tuần này , từ Thứ Hai 30/11/2026 đến Chủ Nhật 06/12/2026"
    )
    days = [words(h) for h in tree.css(".calendar-day h2")]
    # Monday to Friday always, Saturday because it has an entry, not Sunday.
    assert days == [
        "Thứ Hai, 30/11/2026",
        "Thứ Ba, 01/12/2026 Hôm nay",
        "Thứ Tư, 02/12/2026",
        "Thứ Năm, 03/12/2026",
        "Thứ Sáu, 04/12/2026",
        "Thứ Bảy, 05/12/2026",
    ]
    assert [words(p) for p in tree.css(".calendar-none")] == ["Không có lịch."] * 3
    today = tree.css_first(".calendar-day.calendar-today")
    assert today.attributes["aria-labelledby"] == "ngay-2026-12-01"
    # The entries of a day in time order (the file has the afternoon one first).
    items = today.css(".calendar-item")
    assert [words(i.css_first(".calendar-time")) for i in items] == ["08:00", "14:00 – 16:30"]
    meeting = items[1]
    assert meeting.css_first(".calendar-what").text() == 'Giao ban UBND phường & "các bộ phận"'
    assert '&amp; "các bộ phận"' in meeting.html  # escaped once, no markup
    times = meeting.css("time")
    assert [t.attributes["datetime"] for t in times] == [
        "2026-12-01T14:00+07:00",
        "2026-12-01T16:30+07:00",
    ]
    details = [
        (words(dt), words(dd)) for dt, dd in zip(meeting.css("dt"), meeting.css("dd"), strict=True)
    ]
    assert details == [
        (
            "Chủ trì",
            "Vũ Trọng Thư – Chủ tịch UBND phường ; Bùi Quang Cự – Phó Chủ tịch UBND phường",
        ),
        ("Địa điểm", "Phòng họp tầng 2"),
        ("Thành phần", "Trưởng các bộ phận chuyên môn"),
    ]
    assert [a.attributes["href"] for a in meeting.css("dd a")] == [
        "/can-bo/vu-trong-thu/",
        "/can-bo/bui-quang-cu/",
    ]
    # The whole-day entry comes first on its day.
    wednesday = tree.css(".calendar-day")[2]
    assert [words(t) for t in wednesday.css(".calendar-time")] == ["Cả ngày", "08:00 – 11:30"]
    # The menu marks the section (order 20: after the officials, before later sections).
    link = tree.css_first('.menu-list a[href="/lich-cong-tac/"]')
    assert link.text() == "Lịch công tác" and link.attributes["aria-current"] == "page"
    assert tree.css_first('link[rel="alternate"][type="text/calendar"]').attributes["href"] == (
        "/lich-cong-tac/lich.ics"
    )


def test_each_week_has_its_page_linked_to_the_next_and_previous(site):
    out, first, _ = site
    written = sorted(p.parent.name for p in (out / "lich-cong-tac").glob("*/index.html"))
    # Week pages at the week's name in lower case, as every address of the site.
    # Every week with a file, and the weeks around the build's week (first build: 48-50;
    # second build: 49-51); the misnamed file gives none.
    assert written == ["2026-w45", "2026-w48", "2026-w49", "2026-w50", "2026-w51"]

    def links(week):
        tree = parse(out / "lich-cong-tac" / week / "index.html")
        found = {a.attributes["rel"]: a for a in tree.css(".calendar-weeks a")}
        return tree, {rel: a.attributes["href"] for rel, a in found.items()}, found

    tree, hrefs, found = links("2026-w45")
    assert hrefs == {"next": "/lich-cong-tac/2026-w48/"}  # the next week with a page
    assert words(found["next"]) == "Tuần sau › Tuần 48/2026: 23/11 – 29/11/2026"
    assert tree.css_first(".calendar-back a").attributes["href"] == "/lich-cong-tac/"
    assert [words(b) for b in tree.css(".breadcrumb li")] == [
        "Trang chủ",
        "Lịch công tác",
        "Tuần 45/2026",
    ]
    _, hrefs, _ = links("2026-w48")
    assert hrefs == {"prev": "/lich-cong-tac/2026-w45/", "next": "/lich-cong-tac/2026-w49/"}
    tree, hrefs, _ = links("2026-w50")
    assert hrefs == {"prev": "/lich-cong-tac/2026-w49/", "next": "/lich-cong-tac/2026-w51/"}
    assert tree.css_first(".calendar-empty").text() == "Chưa có lịch công tác của tuần này."
    _, hrefs, _ = links("2026-w51")
    assert hrefs == {"prev": "/lich-cong-tac/2026-w50/"}
    # On its own day the week's page marks today, as the calendar's page does.
    w49 = html(first["w49"])
    assert w49.css_first(".calendar-today-mark").text() == "Hôm nay"
    assert w49.css_first(".calendar-back") is None


def test_a_build_a_week_later_shows_that_week(site):
    out, first, log = site
    assert not [m for m in log if "lich-cong-tac" in m and "2026-W51.yml:8" not in m and
                "tuan-52.yml" not in m]  # fmt: skip
    index = parse(out / "lich-cong-tac" / "index.html")
    assert index.css_first("main h1").text() == "Lịch công tác tuần 50/2026"
    assert index.css_first(".calendar-empty") is not None
    # Week 49's page is no longer this week: no "today", a link back to this week.
    w49 = parse(out / "lich-cong-tac" / "2026-w49" / "index.html")
    assert w49.css_first(".calendar-today-mark") is None
    assert w49.css_first(".calendar-back a").attributes["href"] == "/lich-cong-tac/"
    assert "Tuần này" not in words(w49.css_first(".calendar-range"))
    # Nothing on 08/12 or 09/12: the home page has no calendar box.
    assert parse(out / "index.html").css_first(".calendar-home") is None
    assert html(first["home"]).css_first(".calendar-home") is not None


def test_home_page_shows_today_and_tomorrow(site):
    _, first, _ = site
    box = html(first["home"]).css_first("main .calendar-home")
    assert words(box.css_first("h2")) == "Lịch công tác"
    days = box.css(".calendar-home-day")
    assert [words(d.css_first("h3")) for d in days] == [
        "Hôm nay – Thứ Ba, 01/12/2026",
        "Ngày mai – Thứ Tư, 02/12/2026",
    ]
    today = [words(li) for li in days[0].css("li")]
    assert today == [
        "08:00 Giao ban Thường trực Đảng ủy Chủ trì: Phạm Thị Minh Hồng",
        '14:00 – 16:30 Giao ban UBND phường & "các bộ phận" '
        "Chủ trì: Vũ Trọng Thư, Bùi Quang Cự · Phòng họp tầng 2",
    ]
    tomorrow = [words(li) for li in days[1].css("li")]
    assert tomorrow == [
        "Cả ngày Tiếp đoàn kiểm tra của Thành phố Chủ trì: Bùi Quang Cự · Trụ sở UBND phường",
        "08:00 – 11:30 Tiếp công dân định kỳ Chủ trì: Vũ Trọng Thư · Phòng tiếp công dân",
    ]
    assert box.css_first(".see-all a").attributes["href"] == "/lich-cong-tac/"
    assert box.css("time") == []  # the home page's <time>s are its articles' dates
    # Under the pinned announcements, before the featured story.
    text = first["home"]
    assert text.index('class="calendar-home"') < text.index('class="home-top"')


def test_ics_feed_is_valid_and_stable(site):
    out, first, _ = site
    data = first["feed"]
    # RFC 5545: CRLF line ends, lines folded at 75 octets (never inside a character).
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"]).startswith("-//")
    assert str(cal["X-WR-CALNAME"]) == "Lịch công tác – Phường Thượng Thanh"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [TZ]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    # 1 + 1 + 5 + 1 entries (the one with a mistyped id is left out); week 45 is within the
    # 13 weeks the feed keeps.
    assert sorted(events) == [
        "lich-cong-tac-20261104T0900-1@localhost",
        "lich-cong-tac-20261127T1400-1@localhost",
        "lich-cong-tac-20261201T0800-1@localhost",
        "lich-cong-tac-20261201T1400-1@localhost",
        "lich-cong-tac-20261202-1@localhost",
        "lich-cong-tac-20261202T0800-1@localhost",
        "lich-cong-tac-20261205T0700-1@localhost",
        "lich-cong-tac-20261214T0800-1@localhost",
    ]
    for event in events.values():
        for key in ("DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            assert key in event, key
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    meeting = events["lich-cong-tac-20261201T1400-1@localhost"]
    assert str(meeting["SUMMARY"]) == 'Giao ban UBND phường & "các bộ phận"'
    assert str(meeting["LOCATION"]) == "Phòng họp tầng 2"
    start, end = meeting["DTSTART"].dt, meeting["DTEND"].dt
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        datetime(2026, 12, 1, 14, 0),
        datetime(2026, 12, 1, 16, 30),
    )
    assert str(start.tzinfo) == TZ and meeting["DTSTART"].params["TZID"] == TZ
    assert str(meeting["DESCRIPTION"]) == (
        "Chủ trì: Vũ Trọng Thư (Chủ tịch UBND phường); Bùi Quang Cự (Phó Chủ tịch UBND "
        "phường)\nThành phần: Trưởng các bộ phận chuyên môn"
    )
    # A start time only: the default hour; the whole day: DATE values, the next day as end.
    party = events["lich-cong-tac-20261201T0800-1@localhost"]
    assert party["DTEND"].dt - party["DTSTART"].dt == timedelta(hours=1)
    assert str(party["DESCRIPTION"]) == "Chủ trì: Phạm Thị Minh Hồng (Bí thư Đảng ủy phường)"
    whole = events["lich-cong-tac-20261202-1@localhost"]
    assert (whole["DTSTART"].dt, whole["DTEND"].dt) == (date(2026, 12, 2), date(2026, 12, 3))
    assert whole["DTSTART"].params["VALUE"] == "DATE"
    # The build a week later: same events, same UIDs, same bytes, file not touched.
    feed = out / "lich-cong-tac" / "lich.ics"
    assert feed.read_bytes() == data
    assert feed.stat().st_mtime_ns == first["feed_mtime"]
    # Claimed: the publish manifest lists it (so `make deploy` takes it, and the
    # incremental plugin keeps it).
    assert '"lich-cong-tac/lich.ics"' in (out / ".publish-manifest.json").read_text("utf-8")


def test_mistakes_in_the_build_name_file_and_line(site):
    _, first, _ = site
    log = first["log"]
    mistyped = [m for m in log if "2026-W51.yml:8:" in m]
    assert len(mistyped) == 1 and "'vu-trong-thuu'" in mistyped[0]
    assert "Có phải ý bạn là 'vu-trong-thu'?" in mistyped[0]
    assert mistyped[0].split("2026-W51.yml")[0].endswith("lich-cong-tac/")
    named = [m for m in log if "tuan-52.yml:1:" in m]
    assert len(named) == 1 and "2026-W49.yml" in named[0]
    # The other entry of that week is still shown.
    assert "Giao ban UBND phường" in (
        Path(site[0]) / "lich-cong-tac" / "2026-w51" / "index.html"
    ).read_text("utf-8")


def week(text, name="2026-W49.yml"):
    return read_week(text.encode("utf-8"), name, KNOWN, "data/officials.yml")


GOOD = "- day: 01/12/2026\n  time: 08:00\n  leaders: [vu-trong-thu]\n  content: Giao ban\n"
# (case, file text, line, words of the message)
BAD = [
    ("day not a date", GOOD.replace("01/12/2026", "1 tháng 12"), 1,
     "ngày '1 tháng 12' không đúng dạng"),
    ("day not on the calendar", GOOD.replace("01/12/2026", "31/11/2026"), 1,
     "không có trên lịch"),
    ("day with a time", GOOD.replace("01/12/2026", "01/12/2026 08:00"), 1,
     "không kèm giờ (giờ ghi ở 'time:')"),
    ("day outside the week", GOOD.replace("01/12/2026", "07/12/2026"), 1,
     "ngày 07/12/2026 không thuộc tuần 49/2026 của tệp này (từ thứ Hai 30/11/2026 đến Chủ "
     "nhật 06/12/2026). Hãy sửa ngày, hoặc chuyển mục này sang tệp 2026-W50.yml."),
    ("time not a time", GOOD.replace("08:00", "sáng"), 2, "giờ 'sáng' không đúng dạng"),
    ("time out of range", GOOD.replace("08:00", "25:00"), 2, "không có thật"),
    ("end before start", GOOD.replace("08:00", "10:00 - 09:00"), 2,
     "giờ kết thúc 09:00 không sau giờ bắt đầu 10:00"),
    ("unknown leader", GOOD.replace("[vu-trong-thu]", "[vu-trong-thuu]"), 3,
     "mã cán bộ 'vu-trong-thuu' ở mục 'leaders' không có trong data/officials.yml. Có phải "
     "ý bạn là 'vu-trong-thu'?"),
    ("leader with capitals", GOOD.replace("[vu-trong-thu]", "Vũ Trọng Thư"), 3,
     "Mã viết chữ thường không dấu"),
    ("no leader", GOOD.replace("[vu-trong-thu]", "[]"), 3, "ít nhất một lãnh đạo"),
    ("missing content", GOOD.replace("  content: Giao ban\n", ""), 1,
     "mục lịch này thiếu 'content:' (nội dung công việc). Thêm một dòng 'content: Giao ban "
     "UBND phường' vào mục."),
    ("empty content", GOOD.replace("Giao ban", "''"), 4, "phải là một dòng chữ, không để trống"),
    ("missing time", GOOD.replace("  time: 08:00\n", ""), 1, "thiếu 'time:'"),
    ("unknown key", GOOD + "  palce: Hội trường\n", 5,
     "không có mục 'palce' trong một mục lịch. Có phải ý bạn là 'place'?"),
    ("not a list", "day: 01/12/2026\n", 1, "lịch tuần phải là một danh sách"),
    ("YAML syntax", GOOD + "  place: [Hội trường\n", 6, "sai cú pháp YAML"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_per_key(text, line, message):
    entries, problems = week(text)
    assert entries == []
    assert [p[0] for p in problems] == [line], problems
    assert message in problems[0][1], problems


def test_a_good_entry_and_the_file_name():
    entries, problems = week(GOOD + "  place: Hội trường\n  participants: Các đoàn thể\n")
    assert problems == []
    (entry,) = entries
    assert (entry.day, entry.start, entry.end, entry.leaders, entry.place, entry.line) == (
        date(2026, 12, 1), time(8, 0), None, ("vu-trong-thu",), "Hội trường", 1
    )  # fmt: skip
    # A name that is not a week: 2025 has no week 53 (2026 has: it starts on a Thursday).
    for name in ("tuan-49.yml", "2025-W53.yml", "2026-W49.yaml.txt"):
        entries, problems = week(GOOD, name)
        assert entries == [] and len(problems) == 1, name
        assert problems[0][0] == 1 and "ví dụ 2026-W49.yml" in problems[0][1]
    # A file saved from Word: NFD text and zero-width spaces are read as typed.
    entries, problems = week(GOOD.replace("Giao ban", "Giao\u200b ba\u0300n"))
    assert problems == [] and entries[0].content == "Giao bàn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", (time(8), None)),
        ("8h00", (time(8), None)),
        ("8h", (time(8), None)),
        ("14:00 - 16:30", (time(14), time(16, 30))),
        ("14h00–16h30", (time(14), time(16, 30))),
        ("7:30 đến 9:00", (time(7, 30), time(9))),
        ("Cả ngày", (None, None)),
    ],
)
def test_times_staff_write(text, expected):
    assert parse_time(text) == expected


def test_settings_are_checked_once_with_a_clear_message():
    assert parse_settings({})["url"] == "lich-cong-tac/"
    for bad, words_ in (
        ({"WORK_CALENDAR": {"urls": "x/"}}, "unknown setting"),
        ({"WORK_CALENDAR": {"today": "2026-12-01"}}, "'today'"),
        ({"WORK_CALENDAR": {"today": datetime(2026, 12, 1)}}, "'today'"),
        ({"WORK_CALENDAR": {"week_url": "lich/"}}, "{week}"),
        ({"WORK_CALENDAR": {"save_as": "../x.html"}}, "inside the site"),
    ):
        with pytest.raises(SettingsError, match=re.escape(words_)):
            parse_settings(bad)
