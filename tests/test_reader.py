"""ward_reader: the metadata header is checked line by line, text is NFC."""

import unicodedata

import pytest

from ward_reader.header import check_header, read_header
from ward_reader.reader import ContentError, read_text
from ward_reader.settings import ARTICLE_KEYS, PAGE_KEYS, SettingsError, parse_settings

CATEGORIES = ["Tin hoạt động", "Thông báo"]
GOOD = "Title: Hội nghị\nDate: 2022-07-06 09:54\nCategory: Tin hoạt động\n\nNội dung.\n"


def problems_of(text, is_page=False):
    fields, problems = read_header(text)
    allowed = PAGE_KEYS if is_page else ARTICLE_KEYS
    return problems + check_header(
        fields, is_page=is_page, allowed_keys=allowed, categories=CATEGORIES
    )


CASES = [
    ("good article", GOOD, []),
    ("date without time", GOOD.replace("2022-07-06 09:54", "2022-07-06"), []),
    ("yaml fences", "---\n" + GOOD.replace("\n\n", "\n---\n\n"), []),
    ("continuation line", GOOD.replace("\n\n", "\nSummary: Một\n    hai câu.\n\n"), []),
    ("day first, as staff write it", GOOD.replace("2022-07-06 09:54", "06/07/2022 09:54"), []),
    ("day first, no time", GOOD.replace("2022-07-06 09:54", "6/7/2022"), []),
    ("two-digit year", GOOD.replace("2022-07-06 09:54", "06/07/22"), [(2, "năm viết tắt '22'")]),
    (
        "no such day",
        GOOD.replace("2022-07-06 09:54", "31/02/2026 09:30"),
        [(2, "không có trên lịch")],
    ),
    ("month first", GOOD.replace("2022-07-06 09:54", "11/28/2026"), [(2, "ngày trước, tháng sau")]),
    ("no such hour", GOOD.replace("09:54", "25:10"), [(2, "28/11/2026 09:30")]),
    ("impossible date", GOOD.replace("2022-07-06", "2022-13-40"), [(2, "không đúng dạng")]),
    ("missing title", GOOD.replace("Title: Hội nghị\n", ""), [(1, "thiếu mục 'Title'")]),
    ("empty title", GOOD.replace("Title: Hội nghị", "Title:"), [(1, "thiếu mục 'Title'")]),
    ("missing date", GOOD.replace("Date: 2022-07-06 09:54\n", ""), [(1, "thiếu mục 'Date'")]),
    ("typo in key", GOOD.replace("Category:", "Categroy:"), [(3, "'Category'"), (1, "thiếu")]),
    ("unknown category", GOOD.replace("Tin hoạt động", "Tin hoat dong"), [(3, "Tin hoạt động")]),
    ("bad status", GOOD.replace("\n\n", "\nStatus: publised\n\n"), [(4, "trạng thái")]),
    ("bad pinned", GOOD.replace("\n\n", "\nPinned: maybe\n\n"), [(4, "Pinned: yes")]),
    ("bad expires", GOOD.replace("\n\n", "\nExpires: tháng sau\n\n"), [(4, "Expires")]),
    (
        "line without colon",
        GOOD.replace("Category: ", "Category "),
        [(3, "dấu hai chấm"), (1, "thiếu mục 'Category'")],
    ),
    ("duplicate key", GOOD.replace("\n\n", "\nTitle: Lần hai\n\n"), [(4, "hai lần")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_header_problems(text, expected):
    found = problems_of(text)
    assert len(found) == len(expected), found
    for line, fragment in expected:
        assert any(p.line == line and fragment in p.message for p in found), (line, fragment, found)


def test_page_needs_only_a_title():
    assert problems_of("Title: Giới thiệu\n\nNội dung.\n", is_page=True) == []
    found = problems_of("Title: Liên hệ\nCategory: Thông báo\n\n", is_page=True)
    assert [p.line for p in found] == [2]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("404.html", True), ("gioi-thieu/index.html", True), ("views.json", False),
     ("../index.html", False), ("/etc/a.html", False), ("feeds/all.atom.xml", False),
     ("A.html", False), ("a//b.html", False), ("a/.html", False)],
)  # fmt: skip
def test_page_save_as_is_a_plain_html_path(value, ok):
    found = problems_of(f"Title: Trang\nSave_as: {value}\n\nx\n", is_page=True)
    assert (found == []) is ok, found
    assert all(p.line == 2 and "Save_as" in p.message for p in found)


def test_page_url_key_is_unknown():
    (problem,) = problems_of("Title: Trang\nUrl: x/\n\nx\n", is_page=True)
    assert problem.line == 2 and "không có mục thông tin 'url'" in problem.message


def test_typo_suggests_the_closest_key():
    (problem,) = problems_of(GOOD.replace("Title:", "Tittle:"))[:1]
    assert "Có phải ý bạn là 'Title'?" in problem.message


def test_read_text_is_nfc_without_bom(tmp_path):
    nfd = unicodedata.normalize("NFD", "Title: Hội nghị Đảng ủy\r\n\r\nThượng Thanh\r\n")
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + nfd.encode("utf-8"))
    text = read_text(path)
    assert text == "Title: Hội nghị Đảng ủy\n\nThượng Thanh\n"
    assert unicodedata.is_normalized("NFC", text)


def test_read_text_names_the_line_of_bad_utf8(tmp_path):
    path = tmp_path / "cp1258.md"
    path.write_bytes(b"Title: ok\n\nd\xf2ng hai\n")
    with pytest.raises(ContentError, match=r"cp1258.md:3: .*UTF-8"):
        read_text(path)


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("not a dict", "must be a dict"),
        ({"colour": 1}, "unknown setting"),
        ({"categories": "Thông báo"}, "list of strings"),
    ],
    ids=["not-a-dict", "unknown-key", "categories-not-a-list"],
)
def test_settings_are_validated(given, error):
    with pytest.raises(SettingsError, match=error):
        parse_settings({"WARD_READER": given})
