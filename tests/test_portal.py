"""The portal plugin: pure functions table-driven, then a build of the theme fixture."""

import heapq
import json
import logging
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES, parse

from portal.logic import (
    HOME_SPARE,
    SettingsError,
    attachment,
    featured,
    header_line,
    home_candidates,
    home_plan,
    human_size,
    is_newest_first,
    is_yes,
    latest_by_category,
    neighbours,
    nowrap_html,
    nowrap_text,
    parse_expires,
    parse_settings,
    pinned_now,
    related,
    split_attachments,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ARTICLE = "tin-hoat-dong/hoi-nghi-so-ket-cong-tac-6-thang-dau-nam-2022/index.html"


@dataclass
class Art:
    title: str
    date: datetime
    category: str = "Tin hoạt động"
    tags: list = field(default_factory=list)
    pinned: bool = False
    expires_at: datetime | None = None
    photo: bool = False


def d(day, month=7, year=2022, hour=9):
    return datetime(year, month, day, hour, tzinfo=HCM)


# --- settings -------------------------------------------------------------------------


def test_settings_defaults():
    options = parse_settings({})
    assert options["related_count"] == 5
    assert options["attachments_dir"] == "files"
    assert options["now"] is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("not a dict", "must be a dict"),
        ({"colour": "red"}, "unknown setting"),
        ({"related_count": -1}, "related_count"),
        ({"related_count": "5"}, "related_count"),
        ({"pinned_count": True}, "pinned_count"),
        ({"attachments_dir": 3}, "attachments_dir"),
        ({"now": "2022-07-01"}, "now"),
    ],
    ids=["not-dict", "unknown-key", "negative", "string-number", "bool", "dir-not-str", "now-str"],
)
def test_settings_bad(given, message):
    with pytest.raises(SettingsError, match=message):
        parse_settings({"PORTAL": given})


# --- pinned and expiry -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("Yes", True), ("có", True), (" true ", True), ("no", False),
     ("", False), (None, False), (True, True)],
    ids=["yes", "capital", "vietnamese", "spaces", "no", "empty", "none", "bool"],
)  # fmt: skip
def test_is_yes(value, expected):
    assert is_yes(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-07-31", datetime(2022, 7, 31, 23, 59, 59, tzinfo=HCM)),
        ("2022-07-31 17:00", datetime(2022, 7, 31, 17, 0, tzinfo=HCM)),
        ("", None),
        (None, None),
        (datetime(2022, 7, 31, 8, 0), datetime(2022, 7, 31, 8, 0, tzinfo=HCM)),
    ],
    ids=["date-is-end-of-day", "date-and-time", "empty", "none", "datetime"],
)
def test_parse_expires(value, expected):
    assert parse_expires(value, HCM) == expected


@pytest.mark.parametrize(
    "value", ["31/07/2022", "2022-13-01", "mai"], ids=["vn-order", "month-13", "word"]
)
def test_parse_expires_bad(value):
    with pytest.raises(ValueError):
        parse_expires(value, HCM)


def test_pinned_now_drops_expired_and_unpinned_newest_first():
    old = Art("cũ", d(1), pinned=True)
    expired = Art("hết hạn", d(5), pinned=True, expires_at=d(10))
    live = Art("còn hạn", d(3), pinned=True, expires_at=d(30))
    plain = Art("thường", d(6))
    assert pinned_now([old, expired, live, plain], d(12), 5) == [live, old]


def test_pinned_now_keeps_until_the_expiry_moment():
    a = Art("a", d(1), pinned=True, expires_at=d(12))
    assert pinned_now([a], d(12, hour=8), 5) == [a]
    assert pinned_now([a], d(12), 5) == []


def test_pinned_now_limit():
    arts = [Art(str(i), d(i + 1), pinned=True) for i in range(4)]
    assert [a.title for a in pinned_now(arts, d(20), 2)] == ["3", "2"]


# --- home lists ---------------------------------------------------------------------------


def test_latest_by_category_follows_order_and_limit():
    arts = [
        Art("a1", d(1), "A"), Art("a2", d(2), "A"), Art("a3", d(3), "A"),
        Art("b1", d(1), "B"), Art("z1", d(4), "Z"),
    ]  # fmt: skip
    got = latest_by_category(arts, ["B", "A", "Empty"], 2)
    assert [(n, [a.title for a in items]) for n, items in got] == [
        ("B", ["b1"]),
        ("A", ["a3", "a2"]),
        ("Z", ["z1"]),
    ]


@pytest.mark.parametrize("limit", [0, 1, 3, 50])
def test_latest_by_category_newest_first_takes_what_sorting_takes(limit):
    # The home page's lists from articles already newest first (Pelican's order) stop early;
    # they must be what sorting every article gives, ties (one date, many articles) included.
    rng = random.Random(limit)
    arts = [Art(f"x{i}", d(1 + rng.randrange(6)), rng.choice("ABCD")) for i in range(200)]
    arts.sort(key=lambda a: a.date, reverse=True)
    assert is_newest_first(arts) and not is_newest_first(arts[::-1])
    for categories in ([], ["A", "B", "C", "D"], ["A", "E"]):
        fast = latest_by_category(arts, ["C", "A"], limit, categories)
        slow = latest_by_category(arts, ["C", "A"], limit, categories, newest_first=False)
        assert [(n, [a.title for a in g]) for n, g in fast] == [
            (n, [a.title for a in g]) for n, g in slow
        ]
    latest, _ = home_candidates(arts, [], None, ["C", "A"], limit, categories=["A"])
    assert latest == heapq.nlargest(len(latest), arts, key=lambda a: a.date) == arts[:15]


@pytest.mark.parametrize(
    ("photos", "exclude", "expected"),
    [((True, True, False), (), "b"), ((True, True, False), ("b",), "a"),
     ((False, False, False), (), None)],
    ids=["newest-with-photo", "skips-excluded", "no-photo"],
)  # fmt: skip
def test_featured(photos, exclude, expected):
    arts = [Art(t, d(i + 1), photo=p) for i, (t, p) in enumerate(zip("abc", photos, strict=True))]
    skip = [a for a in arts if a.title in exclude]
    got = featured(arts, lambda a: a.photo, exclude=skip)
    assert (got.title if got else None) == expected


# --- the home page: no article twice above the fold, none three times ----------------------


def titles(items):
    return [getattr(a, "title", a) for a in items]


def plan_titles(plan):
    return {
        "most_read": {w: [(a.title, n) for a, n in items] for w, items in plan["most_read"].items()}
        if plan["most_read"]
        else None,
        "latest": titles(plan["latest"]),
        "sections": [(name, titles(items)) for name, items in plan["sections"]],
        "listed": titles(plan["listed"]),
    }


@pytest.fixture
def home_site():
    """Pinned p1 (newest), featured f (a photo), then per category A and B, newest first."""
    arts = {
        "p1": Art("p1", d(20), "B", pinned=True),
        "f": Art("f", d(19), "A", photo=True),
        **{f"a{i}": Art(f"a{i}", d(18 - i), "A") for i in range(1, 8)},
        **{f"b{i}": Art(f"b{i}", d(10 - i), "B") for i in range(1, 5)},
    }
    return arts


def test_home_candidates_leave_out_pinned_and_featured(home_site):
    a = home_site
    latest, sections = home_candidates(list(a.values()), [a["p1"]], a["f"], ["A", "B"], 2)
    assert titles(latest)[:3] == ["a1", "a2", "a3"]
    assert "p1" not in titles(latest) and "f" not in titles(latest)
    assert [(n, titles(items)) for n, items in sections] == [
        ("A", [f"a{i}" for i in range(1, 8)]),  # up to 2 + HOME_SPARE of them
        ("B", ["b1", "b2", "b3", "b4"]),
    ]
    many = [Art(f"x{i}", d(1, hour=i), "A") for i in range(20)]
    assert len(home_candidates(many, [], None, [], 2)[1][0][1]) == 2 + HOME_SPARE


def test_home_plan_without_counts_sections_avoid_the_newest_box(home_site):
    a = home_site
    latest, sections = home_candidates(list(a.values()), [a["p1"]], a["f"], ["A", "B"], 2)
    listed = [a["p1"], a["f"], a["a1"], a["a2"]]  # the first page of "Tất cả bài viết"
    plan = home_plan([a["p1"]], a["f"], latest, sections, listed=listed, per_category=2)
    assert plan_titles(plan) == {
        "most_read": None,
        "latest": ["a1", "a2", "a3", "a4", "a5"],
        "sections": [("A", ["a6", "a7"]), ("B", ["b1", "b2"])],  # each box still full
        "listed": ["f", "a1", "a2"],  # the pinned only in its own box
    }


def test_home_plan_with_counts_most_read_without_pinned_and_featured(home_site):
    a = home_site
    latest, sections = home_candidates(list(a.values()), [a["p1"]], a["f"], ["A", "B"], 2)
    ranked = {
        "7d": [(a["p1"], 90), (a["a1"], 50), (a["f"], 40), (a["b1"], 30), (a["a2"], 20)],
        "30d": [(a["p1"], 200), (a["f"], 100)],  # nothing left: the window is dropped
        "all": [(a["b2"], 900), (a["a1"], 300), (a["b3"], 5)],
    }
    plan = home_plan(
        [a["p1"]], a["f"], latest, sections, most_read=ranked, per_category=2, most_read_count=3
    )
    assert plan_titles(plan) == {
        "most_read": {"7d": [("a1", 50), ("b1", 30), ("a2", 20)],
                      "all": [("b2", 900), ("a1", 300), ("b3", 5)]},
        "latest": [],  # the most-read box takes its place
        # every window's articles are left out: one shows at a time, any may be chosen
        "sections": [("A", ["a3", "a4"]), ("B", ["b4"])],
        "listed": [],
    }  # fmt: skip


def test_home_plan_counts_all_left_out_falls_back_to_the_newest(home_site):
    a = home_site
    latest, sections = home_candidates(list(a.values()), [a["p1"]], a["f"], ["A", "B"], 1)
    ranked = {"7d": [(a["p1"], 9)], "30d": [], "all": [(a["f"], 3)]}
    plan = home_plan([a["p1"]], a["f"], latest, sections, most_read=ranked, per_category=1)
    assert plan["most_read"] is None
    assert titles(plan["latest"]) == ["a1", "a2", "a3", "a4", "a5"]
    assert plan_titles(plan)["sections"] == [("A", ["a6"]), ("B", ["b1"])]


def test_home_plan_drops_an_emptied_category_and_handles_no_featured():
    only = Art("only", d(5), "C")
    newer = Art("newer", d(6), "D")
    latest, sections = home_candidates([only, newer], [], None, [], 4)
    plan = home_plan([], None, latest, sections, listed=[newer, only])
    assert titles(plan["latest"]) == ["newer", "only"]
    assert plan["sections"] == []  # both already in "Tin mới"
    assert titles(plan["listed"]) == ["newer", "only"]


def test_home_plan_compares_by_identity():
    # Two articles equal as values (same title and date) are still two articles.
    one, twin = Art("same", d(1)), Art("same", d(1))
    plan = home_plan([one], None, [twin], [("Tin hoạt động", [twin])], listed=[one, twin])
    assert len(plan["latest"]) == len(plan["listed"]) == 1
    assert plan["latest"][0] is twin and plan["listed"][0] is twin


# --- values that never break inside a line ------------------------------------------------


def nw(text):
    return f'<span class="nowrap">{text}</span>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("ngày 14/03/2025 | 17:00.", f"ngày {nw('14/03/2025 | 17:00')}."),
        ("ngày 14/03/2025 lúc", f"ngày {nw('14/03/2025')} lúc"),
        ("(03/2/1930 – 03/2/2022)", f"({nw('03/2/1930')}&nbsp;– {nw('03/2/2022')})"),
        ("18/11/1930&nbsp;&ndash; 18/11/2024", f"{nw('18/11/1930')}&nbsp;&ndash; {nw('18/11/2024')}"),
        ("nhiệm kỳ 2022-2027", f"nhiệm kỳ {nw('2022-2027')}"),
        ("Nghị định 78/2021/NĐ-CP", f"Nghị định {nw('78/2021/NĐ-CP')}"),
        ("Thông báo số 12/TB-UBND,", f"Thông báo số {nw('12/TB-UBND')},"),
        ("Chỉ thị 05-CT/TU", f"Chỉ thị {nw('05-CT/TU')}"),
        ("gọi 024 3877 2468 hoặc 1900 1288", f"gọi {nw('024 3877 2468')} hoặc {nw('1900 1288')}"),
        ("số 0912.345.678", f"số {nw('0912.345.678')}"),
        ("từ 8 giờ đến 11 giờ 30", f"từ {nw('8 giờ')} đến {nw('11 giờ 30')}"),
        ("41.260 trang năm 2024, 320 cây", "41.260 trang năm 2024, 320 cây"),
        ("Không có số.", "Không có số."),
    ],
    ids=["date-time", "date", "date-range", "range-entities", "year-range", "decree",
         "notice", "party-document", "phones", "phone-dots", "hours", "plain-numbers",
         "no-digits"],
)  # fmt: skip
def test_nowrap_html_values(html, expected):
    assert nowrap_html(html) == expected


def test_nowrap_html_leaves_tags_code_and_its_own_output_alone():
    html = (
        '<p title="03/2/1930 > 12/TB-UBND"><a href="tel:024 3877 2468">024 3877 2468</a></p>'
        "<pre>12/TB-UBND</pre><code>03/2/1930 – 03/2/2022</code><!-- 12/TB-UBND -->"
    )
    once = nowrap_html(html)
    assert once == html.replace(">024 3877 2468<", f">{nw('024 3877 2468')}<")
    assert nowrap_html(once) == once


def test_nowrap_text_escapes_first():
    out = nowrap_text('<b>"a" & 03/2/1930 – 03/2/2022</b>')
    assert str(out) == (
        f"&lt;b&gt;&#34;a&#34; &amp; {nw('03/2/1930')}&nbsp;– {nw('03/2/2022')}&lt;/b&gt;"
    )
    assert hasattr(out, "__html__")


# --- related and neighbours -------------------------------------------------------------


def test_related_shared_tags_first_then_category_newest_first():
    me = Art("me", d(10), "A", ["x", "y"])
    two_tags = Art("two", d(1), "B", ["x", "y"])
    one_tag = Art("one", d(2), "B", ["y"])
    same_cat_old = Art("cat-old", d(3), "A")
    same_cat_new = Art("cat-new", d(4), "A")
    unrelated = Art("none", d(5), "C", ["z"])
    arts = [me, two_tags, one_tag, same_cat_old, same_cat_new, unrelated]
    assert [a.title for a in related(me, arts, 10)] == ["two", "one", "cat-new", "cat-old"]
    assert [a.title for a in related(me, arts, 2)] == ["two", "one"]


def test_related_never_itself_and_empty_when_alone():
    me = Art("me", d(1), "A", ["x"])
    assert related(me, [me], 5) == []


def test_neighbours_by_date():
    a, b, c = Art("a", d(1)), Art("b", d(2)), Art("c", d(3))
    pairs = neighbours([c, a, b])
    assert pairs[id(a)] == (None, b)
    assert pairs[id(b)] == (a, c)
    assert pairs[id(c)] == (b, None)


# --- attachments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("files/a.pdf, files/b.docx", ["files/a.pdf", "files/b.docx"]), ("a.pdf,, ", ["a.pdf"]),
     ("", []), (None, []), (["x.pdf"], ["x.pdf"])],
    ids=["two", "blanks", "empty", "none", "list"],
)  # fmt: skip
def test_split_attachments(value, expected):
    assert split_attachments(value) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1 KB"), (2253, "2,2 KB"), (15_000, "15 KB"),
     (1_288_490, "1,2 MB"), (50 * 1024**2, "50 MB"), (3 * 1024**3, "3 GB")],
    ids=["zero", "under-kb", "one-kb", "decimal-comma", "whole-kb", "mb", "whole-mb", "gb"],
)  # fmt: skip
def test_human_size(size, expected):
    assert human_size(size) == expected


@pytest.fixture
def content_root(tmp_path):
    (tmp_path / "files" / "2022").mkdir(parents=True)
    (tmp_path / "files" / "2022" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 3000)
    (tmp_path / "files" / "virus.exe").write_bytes(b"MZ")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF")
    return tmp_path


@pytest.mark.parametrize(
    "path", ["files/2022/ke-hoach.pdf", "2022/ke-hoach.pdf", "/files/2022/ke-hoach.pdf"],
    ids=["with-folder", "without-folder", "leading-slash"],
)  # fmt: skip
def test_attachment_found(content_root, path):
    found, problem = attachment(path, str(content_root), "files")
    assert problem is None
    assert (found.name, found.url, found.kind, found.size_label) == (
        "ke-hoach.pdf", "files/2022/ke-hoach.pdf", "PDF", "2,9 KB",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("files/khong-co.pdf", "không tìm thấy tệp đính kèm 'files/khong-co.pdf'"),
        ("files/virus.exe", "kiểu không được hỗ trợ"),
        ("files/../secret.pdf", "phải nằm trong thư mục files/"),
        ("files/2022/KE-HOACH.pdf", "phân biệt chữ hoa"),
    ],
    ids=["missing", "unsupported-type", "outside-folder", "wrong-case"],
)
def test_attachment_problems(content_root, path, message):
    found, problem = attachment(path, str(content_root), "files")
    assert found is None
    assert message in problem


def test_attachment_names_nfd_spaces_and_empty_files(content_root, tmp_path):
    import os
    import unicodedata

    folder = content_root / "files" / "2022"
    (folder / unicodedata.normalize("NFD", "Kế hoạch #1.pdf")).write_bytes(b"%PDF-1.4")
    (folder / "rong.pdf").write_bytes(b"")
    os.symlink(content_root / "secret.pdf", folder / "trong.pdf")  # inside content/: fine
    outside = tmp_path.parent / f"{tmp_path.name}-ngoai.pdf"  # outside content_root
    outside.write_bytes(b"%PDF")
    os.symlink(outside, folder / "ngoai.pdf")
    found, problem = attachment("files/2022/Kế hoạch #1.pdf", str(content_root), "files")
    assert problem is None
    assert (found.name, found.url) == (
        "Kế hoạch #1.pdf",
        "files/2022/K%E1%BA%BF%20ho%E1%BA%A1ch%20%231.pdf",
    )
    assert attachment("files/2022/trong.pdf", str(content_root), "files")[1] is None
    assert "rỗng (0 byte)" in attachment("files/2022/rong.pdf", str(content_root), "files")[1]
    assert (
        "ngoài thư mục content/"
        in attachment("files/2022/ngoai.pdf", str(content_root), "files")[1]
    )


def test_header_line():
    text = "Title: A\nDate: 2022-07-01\nAttachments: files/a.pdf\n\nAttachments: body\n"
    assert header_line(text, "attachments") == 3
    assert header_line(text, "expires") == 1


# --- build -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import build_site

    out = tmp_path_factory.mktemp("portal") / "output"
    build_site(
        FIXTURES / "theme",
        out,
        PORTAL={"now": datetime(2022, 7, 14, 12, 0, tzinfo=HCM)},
        WARD={
            "name": "UBND phường Kiểm Thử",
            "parent": "Quận Mẫu",
            "address": "Số 9 ngõ Thử",
            "phone": "024 0000 0000",
            "email": "thu@example.test",
            "responsible": "Ông Nguyễn Văn Thử",
            "licence": "Giấy phép số 99/GP",
        },
    )
    return out


def test_home_shows_pinned_before_expiry_and_a_featured_story(built):
    home = parse(built / "index.html")
    pinned = [a.text() for a in home.css(".pinned li a")]
    assert pinned == [
        "Thông báo lịch tiếp công dân tháng 8 năm\u00a02022",
        "Thông báo lịch tạm ngừng cấp điện ngày\u00a015/7",  # expires at the end of 15/7
    ]
    featured_link = home.css_first(".featured h3 a")
    assert featured_link.attributes["href"].startswith("/tin-hoat-dong/ra-quan")
    # Ten articles: two pinned, the featured story and five in "Tin mới" leave one each to
    # two categories, in the configured order.
    sections = [h.text() for h in home.css(".home-section h2")]
    assert sections == ["Hoạt động các phường", "Cải cách hành chính"]
    assert_home_dedupe(home)


def hrefs(nodes):
    return [a.attributes["href"] for node in nodes for a in node.css("a[href]")
            if a.attributes["href"].count("/") >= 3]  # fmt: skip


def assert_home_dedupe(home):
    """No article twice above the fold (pinned, featured, the box beside it), none more than
    twice on the page (the most-read box counts once: one list shows at a time), the
    pinned announcements in their own box only."""
    pinned = hrefs(home.css(".pinned"))
    beside = hrefs(home.css(".home-top .most-read .most-read-list, aside.most-read .title-list"))
    above = pinned + hrefs(home.css(".featured")) + sorted(set(beside))
    assert len(above) == len(set(above)), above
    below = hrefs(home.css(".home-sections, #h-latest + .article-list"))
    assert not set(pinned) & set(below)
    counts = Counter(above + below)
    assert max(counts.values()) <= 2, counts
    # each article's link once per card (title only, no second link)
    for section in home.css(".home-section"):
        links = hrefs([section])[:-1]  # the last is "Xem tất cả"
        assert len(links) == len(set(links))


def test_dates_in_lists_are_bare_and_never_break(built):
    home = parse(built / "index.html")
    for meta in home.css(".pinned .meta, .featured .meta, .lead-item .meta, .title-list .meta,"
                         " .article-list .meta"):  # fmt: skip
        assert "Ngày đăng" not in meta.text(), meta.html
        time = meta.css_first("time")
        assert "nowrap" in time.attributes["class"].split()
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \| \d\d:\d\d", time.text())
    page = parse(built / ARTICLE)
    assert "nowrap" in page.css_first("article .meta time").attributes["class"]


def test_expired_announcement_leaves_home_but_stays_in_archive(tmp_path):
    from conftest import build_site

    out = build_site(
        FIXTURES / "theme",
        tmp_path / "output",
        PORTAL={"now": datetime(2022, 7, 16, 0, 1, tzinfo=HCM)},
    )
    pinned = [a.text() for a in parse(out / "index.html").css(".pinned li a")]
    assert pinned == ["Thông báo lịch tiếp công dân tháng 8 năm\u00a02022"]
    month = parse(out / "luu-tru" / "2022" / "07" / "index.html").text()
    assert "Thông báo lịch tạm ngừng cấp điện" in month


def test_footer_comes_from_ward_settings(built):
    footer = parse(built / "index.html").css_first("footer.site-footer").text()
    for value in ("UBND phường Kiểm Thử", "Số 9 ngõ Thử", "024 0000 0000", "thu@example.test",
                  "Ông Nguyễn Văn Thử", "Giấy phép số 99/GP"):  # fmt: skip
        assert value in footer
    assert "Thượng Thanh" not in footer


def test_article_page_parts(built):
    page = parse(built / ARTICLE)
    assert page.css_first("main h1").text() == "Hội nghị sơ kết công tác 6 tháng đầu năm\u00a02022"
    assert page.css_first(".meta").text() == "Ngày đăng 06/07/2022 | 09:54"
    assert "Lượt xem" not in page.css_first(".meta").text()
    rows = [[c.text() for c in tr.css("td")] for tr in page.css(".attachments tbody tr")]
    assert rows == [
        ["ke-hoach-ve-sinh.pdf", "PDF", "2,2 KB"],
        ["mau-don-dang-ky.docx", "DOCX", "619 B"],
    ]
    assert [th.attributes["scope"] for th in page.css(".attachments th")] == ["col"] * 3
    assert [a.text() for a in page.css(".tags a")] == ["hội nghị", "sơ kết", "UBND phường"]
    assert (
        page.css_first(".prev-next a[rel=next]")
        .attributes["href"]
        .startswith("/tin-hoat-dong/ra-quan")
    )
    assert page.css_first(".prev-next a[rel=prev]") is None  # the oldest of its category
    related_titles = [a.text() for a in page.css(".related a")]
    assert related_titles[0].startswith("Phát biểu của Chủ tịch")  # shares two tags
    assert page.css_first('link[rel="canonical"]').attributes["href"] == "/" + ARTICLE[:-10]
    og_image = page.css_first('meta[property="og:image"]').attributes["content"]
    assert og_image.startswith("/images/2022/07/toan-canh-og") and og_image.endswith(".jpg")
    assert page.css_first('meta[name="twitter:card"]').attributes["content"] == (
        "summary_large_image"
    )
    assert page.css_first("a[href*='facebook.com/sharer']") is not None


def test_views_shown_only_when_the_plugin_gives_them(built, tmp_path):
    # The view_counts plugin sets article.views; here the template is fed one directly.
    from jinja2 import Environment, FileSystemLoader

    from portal.logic import nowrap_text
    from vietnamese.formatting import FILTERS

    env = Environment(loader=FileSystemLoader(str(FIXTURES.parent.parent / "theme" / "templates")))
    env.filters.update(FILTERS)
    env.filters["nowrap_values"] = nowrap_text
    labels = {"L": {"posted": "Ngày đăng", "views": "Lượt xem"}}
    macros = env.get_template("_macros.html").make_module(labels)

    class A:
        date = datetime(2022, 7, 6, 9, 54)
        views = 1234

    own = parse_fragment(str(macros.posted(A())))
    assert own.css_first(".views.nowrap").text() == "Lượt xem: 1.234"  # label and number
    A.views = None
    assert "Lượt xem" not in str(macros.posted(A()))
    # From the threshold (VIEW_COUNTS["min_shown"], given by view_counts) up only; below
    # it the article page keeps an empty, hidden place for view-counts.js.
    macros = env.get_template("_macros.html").make_module({**labels, "views_min_shown": 10})
    for views, shown in ((0, False), (9, False), (10, True)):
        A.views = views
        own = parse_fragment(str(macros.posted(A()))).css_first("[data-views-own]")
        listed = str(macros.list_meta(A()))
        assert own.attributes["data-views-min"] == "10"
        assert ("hidden" not in own.attributes) is shown
        assert ("Lượt xem" in own.text()) is shown
        assert ("Lượt xem" in listed) is shown
    assert "Lượt xem: 0" not in str(macros.list_meta(A()))


def parse_fragment(html):
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html)


def test_official_one_position_is_a_line_two_a_list():
    """official.html (officials plugin's page) with a stand-in base template."""
    from datetime import date

    from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

    from vietnamese.formatting import FILTERS

    templates = FIXTURES.parent.parent / "theme" / "templates"
    env = Environment(
        loader=ChoiceLoader([
            DictLoader({"base.html": "{% block content %}{% endblock %}"}),
            FileSystemLoader(str(templates)),
        ]),
        autoescape=True,
    )  # fmt: skip
    env.filters.update(FILTERS)
    labels = {"official_positions": "Quá trình công tác", "official_present": "nay",
              "official_articles": "Bài viết có nhắc đến", "no_articles": "Chưa có bài viết.",
              "officials": "Lãnh đạo", "home": "Trang chủ", "breadcrumb": "Đường dẫn"}  # fmt: skip

    class Page:
        object_list = ()

    def render(positions):
        official = {"id": "x", "name": "Nguyễn Văn <Thử>", "title": None, "positions": positions}
        html = env.get_template("official.html").render(
            L=labels, official=official, articles_page=Page(), articles_paginator=None,
            officials_index_url="can-bo/", SITEURL="",
        )  # fmt: skip
        return parse_fragment(html)

    one = render([("Chủ tịch UBND <phường>", date(2020, 8, 1), None)])
    assert one.css_first("ol") is None
    line = one.css_first("p.official-position")
    assert " ".join(line.text().split()) == "Chủ tịch UBND <phường> (01/08/2020 – nay)"
    assert "&lt;phường&gt;" in line.html  # escaped
    two = render([("Phó Chủ tịch", date(2019, 6, 1), date(2022, 3, 31)),
                  ("Chủ tịch", date(2022, 4, 1), None)])  # fmt: skip
    items = two.css("ol.official-positions li")
    assert [" ".join(li.text().split()) for li in items] == [
        "Chủ tịch (01/04/2022 – nay)",
        "Phó Chủ tịch (01/06/2019 – 31/03/2022)",
    ]
    # Each date kept whole, the dash with the first: no line starts with " – ".
    dates = items[1].css_first(".position-dates")
    assert [t.text() for t in dates.css("time.nowrap")] == ["01/06/2019", "31/03/2022"]
    assert "\u00a0– " in dates.text()


def test_json_ld_escapes_script_breakers(tmp_path):
    from conftest import build_site

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "theme", content)
    (content / "bai-viet" / "2022" / "xss.md").write_text(
        "Title: Tiêu đề </script><script>alert(1)</script>\nDate: 2022-07-20 08:00\n"
        'Category: Thông báo\nSummary: a & b "c"\n\nNội dung.\n',
        encoding="utf-8",
    )
    out = build_site(content, tmp_path / "output")
    html = (out / "thong-bao").rglob("index.html")
    page = next(p for p in html if "tieu-de" in str(p))
    text = page.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text
    tree = parse(page)
    data = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert "</script>" in data["headline"]


def test_missing_attachment_is_an_error_naming_file_and_line(tmp_path, caplog):
    from conftest import build_site

    caplog.set_level(logging.ERROR)
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "theme", content)
    (content / "files" / "mau-don-dang-ky.docx").unlink()
    build_site(content, tmp_path / "output")
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    wanted = [m for m in messages if "mau-don-dang-ky.docx" in m]
    assert wanted, messages
    assert "hoi-nghi-so-ket.md:8:" in wanted[0]
    assert "không tìm thấy tệp đính kèm" in wanted[0]
    # The other attachment is still listed: nothing else is lost.
    out = tmp_path / "output" / ARTICLE
    rows = parse(out).css(".attachments tbody tr")
    assert len(rows) == 1


def test_bad_expires_is_an_error(tmp_path, caplog):
    from conftest import build_site

    from ward_reader.reader import ContentError

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "theme", content)
    src = content / "bai-viet" / "2022" / "lich-cat-dien.md"
    src.write_text(src.read_text("utf-8").replace("Expires: 2022-07-15", "Expires: 15/7"), "utf-8")
    with caplog.at_level(logging.ERROR):
        try:
            build_site(content, tmp_path / "output")
        except ContentError as e:  # the reader may stop first: both name the line
            assert "lich-cat-dien.md:7:" in str(e)
            return
    assert any("lich-cat-dien.md:7:" in r.getMessage() for r in caplog.records)


def test_most_read_box_uses_the_view_counts_context(tmp_path):
    """view_counts puts `most_read` in the context; the home page shows its partial in
    place of the newest list. Here the context is given directly (no store needed)."""
    from conftest import ROOT, build_site
    from pelican import signals
    from pelican.settings import read_settings

    import view_counts

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    plugins = [p for p in settings["PLUGINS"] if p != "view_counts"]
    read = [({"url": "a/", "title": "Bài được đọc nhiều"}, 13530)]
    # Receivers stay connected across builds in one process: take view_counts' out for
    # this build so that the context given here is the one the templates see.
    signals.all_generators_finalized.disconnect(view_counts.apply_counts)
    try:
        out = build_site(
            FIXTURES / "theme",
            tmp_path / "output",
            PLUGINS=plugins,
            most_read={"7d": [], "30d": read, "all": read},
        )
    finally:
        signals.all_generators_finalized.connect(view_counts.apply_counts)
    box = parse(out / "index.html").css_first(".home-top .most-read")
    assert box.css_first("h2").text() == "Tin xem nhiều"
    assert box.css_first(".most-read-list li a").text() == "Bài được đọc nhiều"
    assert box.css_first(".most-read-list li .views.nowrap").text() == "Lượt xem: 13.530"
    # One list at a time: a switch for the windows that have articles, the first list shown.
    tabs = box.css(".most-read-switch a[data-window-tab]")
    assert [(a.text(), a.attributes["href"]) for a in tabs] == [
        ("30 ngày", "#tin-xem-nhieu-30d"),
        ("Tất cả", "#tin-xem-nhieu-all"),
    ]
    assert [p.attributes["id"] for p in box.css(".most-read-panel")] == [
        "tin-xem-nhieu-30d",
        "tin-xem-nhieu-all",
    ]
    assert parse(out / "index.html").css_first("#h-newest") is None


def test_no_view_counts_shows_newest_instead(built):
    box = parse(built / "index.html").css_first(".most-read")
    assert box.css_first("h2").text() == "Tin mới"


def test_officials_partials_are_included_when_present(tmp_path):
    """The officials plugin writes partials/speaker_box.html and article_officials.html."""
    from conftest import ROOT, build_site

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "partials").mkdir(exist_ok=True)
    (theme / "templates" / "partials" / "speaker_box.html").write_text(
        '<p class="speaker">SPEAKER {{ article.slug }}</p>', "utf-8"
    )
    (theme / "templates" / "partials" / "article_officials.html").write_text(
        '<p class="officials">OFFICIALS</p>', "utf-8"
    )
    out = build_site(FIXTURES / "theme", tmp_path / "output", THEME=str(theme))
    page = parse(out / ARTICLE)
    assert page.css_first(".speaker").text() == (
        "SPEAKER hoi-nghi-so-ket-cong-tac-6-thang-dau-nam-2022"
    )
    assert page.css_first(".officials").text() == "OFFICIALS"


def test_draft_preview_lists_its_attachments(tmp_path):
    from conftest import build_site

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "theme", content)
    (content / "bai-viet" / "2023" / "ban-nhap.md").write_text(
        "Title: Bài nháp có tệp\nDate: 2023-02-10 09:00\nCategory: Tin hoạt động\n"
        "Status: draft\nAttachments: files/ke-hoach-ve-sinh.pdf\n\nNội dung nháp.\n",
        encoding="utf-8",
    )
    out = build_site(content, tmp_path / "output", UNPUBLISHED={"write": True})
    page = parse(out / "ban-nhap" / "bai-nhap-co-tep" / "index.html")
    rows = [[c.text() for c in tr.css("td")] for tr in page.css(".attachments tbody tr")]
    assert rows == [["ke-hoach-ve-sinh.pdf", "PDF", "2,2 KB"]]
    assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex"


def test_related_scans_only_the_newest_of_a_very_common_tag():
    from portal.logic import RelatedIndex

    me = Art("me", d(28), "A", ["common"])
    old_match = Art("old", d(1), "B", ["common"])
    newer = [Art(f"n{i}", d(2 + i), "B", ["common"]) for i in range(5)]
    index = RelatedIndex([me, old_match, *newer], scan=4)
    # The tag's 4 newest are me and n4..n2: the oldest never enter the comparison.
    assert [a.title for a in index.related(me, 5)] == ["n4", "n3", "n2"]


def test_main_menu_follows_the_category_order_then_pages(built):
    nav = parse(built / "gioi-thieu" / "index.html").css(".main-nav a")
    assert [a.text().replace("\xa0", " ") for a in nav] == [
        "Trang chủ", "Tin hoạt động", "Thông báo", "Phát biểu chỉ đạo",
        "Hoạt động các phường", "Cải cách hành chính", "Giới thiệu",
    ]  # fmt: skip
    assert nav[-1].attributes["aria-current"] == "page"


@pytest.mark.parametrize("scan", [60, 3])
def test_related_lists_after_edits_equal_lists_worked_out_anew(scan, monkeypatch):
    """The preview's builds work out again only the related lists an edit can change; after
    each of many random edits (tags, category, date, a new, deleted, unlisted or listed
    article, articles of one date), every list equals the one worked out from nothing.
    With a small `scan`, most edits are of articles outside their tags' newest."""
    import random

    from portal import logic

    monkeypatch.setattr(logic, "RELATED_SCAN", scan)

    @dataclass
    class Item:
        source_path: str
        date: datetime
        category: str
        tags: list

    rng = random.Random(12)
    tag_names = [f"the-{i}" for i in range(12)]
    categories = ["Tin hoạt động", "Thông báo", "Văn hóa"]

    def new_item(n):
        return Item(f"bai-{n}.md", d(1 + rng.randrange(3)), rng.choice(categories),
                    rng.sample(tag_names, rng.randrange(4)))  # fmt: skip

    listed = [new_item(n) for n in range(80)]
    unlisted = [new_item(n) for n in range(80, 86)]
    logic._last_related.clear()
    for step in range(150):
        kind = rng.randrange(7)
        item = rng.choice(listed)
        if kind == 0:
            item.tags = rng.sample(tag_names, rng.randrange(4))
        elif kind == 1:
            item.category = rng.choice(categories)
        elif kind == 2:
            item.date = d(1 + rng.randrange(3))  # often the date of others
        elif kind == 3:
            listed.append(new_item(1000 + step))
        elif kind == 4 and len(listed) > 20:
            listed.remove(item)
        elif kind == 5:
            listed.remove(item)
            unlisted.append(item)
        elif unlisted:
            listed.append(unlisted.pop(0))
        if rng.random() < 0.2:  # files listed in another order (articles of one date move)
            rng.shuffle(listed)
        listed.sort(key=lambda a: a.date, reverse=True)
        got = logic.related_lists(listed, unlisted, 4)
        kept = dict(logic._last_related)
        logic._last_related.clear()
        want = logic.related_lists(listed, unlisted, 4)
        logic._last_related.update(kept)
        for a in [*listed, *unlisted]:
            assert [r.source_path for r in got[id(a)]] == [r.source_path for r in want[id(a)]], (
                step,
                kind,
                a.source_path,
            )
