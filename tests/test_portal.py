"""The portal plugin: pure functions table-driven, then a build of the theme fixture."""

import json
import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES, parse

from portal.logic import (
    SettingsError,
    attachment,
    featured,
    header_line,
    human_size,
    is_yes,
    latest_by_category,
    neighbours,
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
    sections = [h.text() for h in home.css(".home-section h2")]
    assert sections[:2] == ["Tin hoạt động", "Thông báo"]
    first_section = home.css_first(".home-section").html
    assert featured_link.attributes["href"] not in first_section  # not shown twice


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

    from vietnamese.formatting import FILTERS

    env = Environment(loader=FileSystemLoader(str(FIXTURES.parent.parent / "theme" / "templates")))
    env.filters.update(FILTERS)
    macros = env.get_template("_macros.html").make_module(
        {"L": {"posted": "Ngày đăng", "views": "Lượt xem"}}
    )

    class A:
        date = datetime(2022, 7, 6, 9, 54)
        views = 1234

    assert "Lượt xem: 1.234" in str(macros.posted(A()))
    A.views = None
    assert "Lượt xem" not in str(macros.posted(A()))


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
    assert box.css_first("li a").text() == "Bài được đọc nhiều"
    assert "Lượt xem: 13.530" in box.css_first("li").text()
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
