"""Documents (văn bản, plugins/documents): the pure parts, then real builds of
tests/fixtures/documents (one with the production settings, one with a mistake per
header key), then the list's filter and search in chromium, with screenshots at 360 px.

The fixture: 45/QĐ-UBND (2024) replaced by 112/QĐ-UBND (2025); 12/TB-UBND issued in 2024
(expired 31/12/2024) and again in 2025; 03/KH-ĐU of the Party committee, in force only from
2099 (a status that stays "not yet" whatever the day of the test); a draft, 99/TB-UBND.
"""

import functools
import logging
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from http.server import ThreadingHTTPServer

import pytest
from conftest import FIXTURES, ROOT, build_site, parse
from pypdf import PdfReader
from test_theme_browser import ARTIFACTS, QuietHandler, browser, open_page  # noqa: F401

sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

from documents.logic import (
    Status,
    ascii_slug,
    fold_number,
    is_number,
    link_numbers,
    pick,
    split_numbers,
    status_of,
)

from deploy.outputcheck import check_output
from portal.logic import human_size

FIXTURE = FIXTURES / "documents"
SITE = ""  # the production settings, but links from the root, for the browser


# --- Pure parts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/TB-UBND", True),
        ("45/QĐ-UBND", True),
        ("12/2024/QĐ-UBND", True),
        ("125/UBND-VP", True),
        ("15/Ctr-UBND", True),
        ("09-NQ/ĐU", True),
        ("Số: 12/TB-UBND", False),
        ("QĐ 45", False),
        ("12/03/2024", False),
    ],
)
def test_number_shapes(text, expected):
    assert is_number(text) is expected


def test_numbers_fold_and_slug():
    assert fold_number("45/qđ-ubnd") == fold_number("45/QD-UBND") == "45/QD-UBND"
    assert fold_number("45 / QĐ-UBND") == "45/QD-UBND"
    assert ascii_slug("45/QĐ-UBND") == "45-qd-ubnd"
    assert ascii_slug("Đảng ủy phường Thượng Thanh") == "dang-uy-phuong-thuong-thanh"
    assert split_numbers("112/QĐ-UBND, 03/KH-ĐU;  ,12/TB-UBND") == [
        "112/QĐ-UBND", "03/KH-ĐU", "12/TB-UBND",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("effective", "expires", "replaced", "expected"),
    [
        (None, None, False, Status("valid")),
        ("2026-01-10", "2026-01-10", False, Status("expired", "2026-01-10")),
        ("2026-01-10", "2026-01-11", False, Status("valid")),
        ("2026-01-11", None, False, Status("pending", "2026-01-11")),
        (None, "2025-01-01", True, Status("replaced")),
    ],
    ids=["no-dates", "expires-today", "expires-tomorrow", "not-yet", "replaced-first"],
)
def test_status_on_a_day(effective, expires, replaced, expected):
    from datetime import date

    day = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
    got = status_of(day(effective), day(expires), replaced, date(2026, 1, 10))
    assert got == Status(expected.key, day(expected.since))


def test_a_number_of_two_years_means_the_latest_issued_by_then():
    from datetime import date

    both = [(date(2024, 2, 1), "2024"), (date(2025, 3, 1), "2025")]
    assert pick(both, date(2024, 6, 1)) == "2024"
    assert pick(both, date(2025, 6, 1)) == "2025"
    assert pick(both, date(2023, 1, 1)) == "2024"  # before both: the oldest
    assert pick(both, date(2024, 6, 1), after=True) == "2025"  # a replacement comes later


LINK = '<a class="document-link" href="/van-ban/{}/">{}</a>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Thông báo số 12/TB-UBND.</p>", f"<p>Thông báo số {LINK.format('12-tb', '12/TB-UBND')}.</p>"),
        ("<h2>Quyết định 45/QĐ-UBND</h2>", f"<h2>Quyết định {LINK.format('45-qd', '45/QĐ-UBND')}</h2>"),
        ("<p>45/QD-UBND</p>", f"<p>{LINK.format('45-qd', '45/QD-UBND')}</p>"),
        ('<p><span class="nowrap">12/TB-UBND</span></p>',
         f'<p><span class="nowrap">{LINK.format("12-tb", "12/TB-UBND")}</span></p>'),
        ('<p><a href="x">theo 12/TB-UBND</a></p>', '<p><a href="x">theo 12/TB-UBND</a></p>'),
        ("<p><code>12/TB-UBND</code></p>", "<p><code>12/TB-UBND</code></p>"),
        ("<pre>12/TB-UBND</pre>", "<pre>12/TB-UBND</pre>"),
        ('<img alt="12/TB-UBND" src="a.jpg">', '<img alt="12/TB-UBND" src="a.jpg">'),
        ("<p>78/2021/NĐ-CP, 112/TB-UBND, 12/TB-UBNDX</p>", "<p>78/2021/NĐ-CP, 112/TB-UBND, 12/TB-UBNDX</p>"),
    ],
    ids=["text", "heading", "no-marks", "nowrap", "inside-link", "code", "pre", "attribute",
         "not-ours"],
)  # fmt: skip
def test_link_numbers_in_html(html, expected):
    urls = {"12/TB-UBND": "/van-ban/12-tb/", "45/QD-UBND": "/van-ban/45-qd/"}
    linked, _ = link_numbers(html, urls.get, "document-link")
    assert linked == expected


def test_link_urls_are_escaped():
    linked, found = link_numbers("<p>12/TB-UBND</p>", lambda _: '/a"b/<c>', 'x"y')
    assert linked == '<p><a class="x&quot;y" href="/a&quot;b/&lt;c&gt;">12/TB-UBND</a></p>'
    assert found == ["12/TB-UBND"]


# --- The production build of the fixture ---------------------------------------------------


class Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def messages(self):
        return [r.getMessage() for r in self.records]


def build_logged(content, out, settings_file, **override):
    handler = Records()
    logging.getLogger().addHandler(handler)
    try:
        build_site(content, out, settings_file, BUILD_REPORT={"fail": False}, **override)
    finally:
        logging.getLogger().removeHandler(handler)
    return handler


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """publishconf.py as it is (feed on, drafts left out); a warning does not stop it here,
    so that the test can say which one."""
    tmp = tmp_path_factory.mktemp("documents")
    content = tmp / "content"
    shutil.copytree(FIXTURE, content)
    records = build_logged(content, tmp / "output", "publishconf.py", SITEURL="", FEED_DOMAIN="")
    return tmp / "output", content, records


def text(node):
    return " ".join(node.text().split()) if node is not None else None


def rows(page):
    return [text(li.css_first("h2")) for li in page.css(".document-list > li")]


def test_the_fixture_builds_without_a_documents_warning(built):
    _, _, records = built
    mine = [m for m in records.messages() if "van-ban" in m or "Documents" in m]
    assert mine == []
    assert not [r for r in records.records if r.name.startswith("documents")]


def test_list_newest_first_without_the_draft(built):
    out, _, _ = built
    page = parse(out / "van-ban" / "index.html")
    assert text(page.css_first("main h1")) == "Văn bản của phường"
    assert rows(page) == [
        "Kế hoạch số 03/KH-ĐU",
        "Quyết định số 112/QĐ-UBND",
        "Thông báo số 12/TB-UBND",
        "Quyết định số 45/QĐ-UBND",
        "Thông báo số 12/TB-UBND",
    ]
    first = page.css_first(".document-list > li")
    assert text(first.css_first(".meta")) == (
        "10/01/2026 · Đảng ủy phường Thượng Thanh · Chưa có hiệu lực (từ 01/01/2099)"
    )
    assert first.attributes["data-status"] == "pending"
    assert text(first.css_first(".summary")) == "Kế hoạch học tập nghị quyết năm 2026."
    assert text(page.css_first(".document-count")).startswith("5 văn bản, mới nhất trước.")
    assert "hidden" in page.css_first("#loc-van-ban").attributes  # documents.js shows it


def test_filter_links_and_pages(built):
    out, _, _ = built
    page = parse(out / "van-ban" / "index.html")
    groups = {
        text(group.css_first(".filter-label")): [text(a) for a in group.css("a")]
        for group in page.css(".document-filters .filter-group")
    }
    assert groups == {
        "Loại văn bản": ["Tất cả", "Quyết định (2)", "Thông báo (2)", "Kế hoạch (1)"],
        "Năm ban hành": ["Tất cả", "2026 (1)", "2025 (2)", "2024 (2)"],
        "Cơ quan ban hành": ["Tất cả", "UBND phường Thượng Thanh (4)", "Đảng ủy phường Thượng Thanh (1)"],
    }  # fmt: skip
    pages = {
        "van-ban/loai/thong-bao/": ("Văn bản: Thông báo", ["Thông báo số 12/TB-UBND"] * 2),
        "van-ban/2024/": (
            "Văn bản năm 2024",
            ["Quyết định số 45/QĐ-UBND", "Thông báo số 12/TB-UBND"],
        ),
        "van-ban/co-quan/dang-uy-phuong-thuong-thanh/": (
            "Văn bản của Đảng ủy phường Thượng Thanh",
            ["Kế hoạch số 03/KH-ĐU"],
        ),
    }
    for path, (heading, listed) in pages.items():
        filtered = parse(out / path / "index.html")
        assert text(filtered.css_first("main h1")) == heading
        assert rows(filtered) == listed
        current = filtered.css('.document-filters a[aria-current="page"]')
        assert [a.attributes["href"] for a in current] == [f"{SITE}/{path}"]
        assert filtered.css_first("#loc-van-ban") is None  # the form is on the whole list only


def details(page):
    return {
        text(row.css_first("dt")): text(row.css_first("dd"))
        for row in page.css("dl.document-meta > div")
    }


def test_document_page_shows_every_key(built):
    out, content, _ = built
    page = parse(out / "van-ban" / "2024" / "45-qd-ubnd" / "index.html")
    assert text(page.css_first("main h1")) == "Quyết định số 45/QĐ-UBND"
    assert text(page.css_first("title")) == "Quyết định số 45/QĐ-UBND – Phường Thượng Thanh"
    assert details(page) == {
        "Số ký hiệu": "45/QĐ-UBND",
        "Loại văn bản": "Quyết định",
        "Cơ quan ban hành": "UBND phường Thượng Thanh",
        "Người ký": "Vũ Trọng Thư – Chủ tịch UBND phường",
        "Ngày ban hành": "15/04/2024",
        "Ngày có hiệu lực": "15/04/2024",
    }
    signer = page.css_first("dl.document-meta a[href$='/can-bo/vu-trong-thu/']")
    assert text(signer) == "Vũ Trọng Thư"
    # The abstract as written, escaped.
    assert "“Một cửa” &amp; trả kết" in page.css_first(".document-abstract .article-body").html
    pdf = content / "files" / "van-ban" / "quy-che-mot-cua-2024.pdf"
    link = page.css_first(".document-file a")
    assert link.attributes["href"] == f"{SITE}/files/van-ban/quy-che-mot-cua-2024.pdf"
    assert text(page.css_first(".document-file")).endswith(
        f"quy-che-mot-cua-2024.pdf (PDF, {human_size(pdf.stat().st_size)})"
    )
    published = out / "files" / "van-ban" / "quy-che-mot-cua-2024.pdf"
    assert published.read_bytes() == pdf.read_bytes()
    article = page.css_first("article.document")
    assert "data-pagefind-body" in article.attributes
    assert article.attributes["data-pagefind-filter"] == "category:Văn bản"


@pytest.mark.parametrize(
    ("path", "status", "extra"),
    [
        ("2024/45-qd-ubnd", "Bị thay thế bởi Quyết định số 112/QĐ-UBND", {}),
        ("2025/112-qd-ubnd", "Còn hiệu lực", {"Thay thế văn bản": "Quyết định số 45/QĐ-UBND"}),
        ("2024/12-tb-ubnd", "Hết hiệu lực từ 31/12/2024", {"Ngày hết hiệu lực": "31/12/2024"}),
        ("2026/03-kh-du", "Chưa có hiệu lực (từ 01/01/2099)", {"Ngày có hiệu lực": "01/01/2099"}),
    ],
    ids=["replaced", "valid", "expired", "not-yet"],
)
def test_status(built, path, status, extra):
    out, _, _ = built
    page = parse(out / "van-ban" / path / "index.html")
    assert text(page.css_first(".document-state")) == f"Tình trạng: {status}"
    shown = details(page)
    assert {k: shown.get(k) for k in extra} == extra


def test_replacement_is_linked_both_ways_and_docx_size_shown(built):
    out, content, _ = built
    old = parse(out / "van-ban" / "2024" / "45-qd-ubnd" / "index.html")
    assert old.css_first(".document-state a").attributes["href"] == (
        f"{SITE}/van-ban/2025/112-qd-ubnd/"
    )
    new = parse(out / "van-ban" / "2025" / "112-qd-ubnd" / "index.html")
    assert new.css_first("dl.document-meta a[href$='/van-ban/2024/45-qd-ubnd/']") is not None
    plan = parse(out / "van-ban" / "2026" / "03-kh-du" / "index.html")
    size = (content / "files" / "van-ban" / "ke-hoach.docx").stat().st_size
    assert text(plan.css_first(".document-file .meta")) == f"(DOCX, {human_size(size)})"


def test_numbers_in_articles_link_to_their_document(built):
    out, _, _ = built
    page = parse(out / "tin-hoat-dong" / "bo-phan-mot-cua-co-quy-che-moi" / "index.html")
    body = page.css_first(".article-body")
    links = [(text(a), a.attributes["href"]) for a in body.css("a.document-link")]
    assert links == [
        ("12/TB-UBND", f"{SITE}/van-ban/2024/12-tb-ubnd/"),  # the one of the article's year
        ("45/QĐ-UBND", f"{SITE}/van-ban/2024/45-qd-ubnd/"),  # in the heading
        ("45/QD-UBND", f"{SITE}/van-ban/2024/45-qd-ubnd/"),  # typed without the mark
    ]
    assert body.css_first("a[href='https://example.org/45'] a") is None
    assert text(body.css_first("code")) == "12/TB-UBND"
    assert "78/2021/NĐ-CP" in body.text() and "NĐ-CP</a>" not in body.html
    later = parse(out / "thong-bao" / "lich-tiep-dan-nam-2025" / "index.html")
    assert [a.attributes["href"] for a in later.css(".article-body a.document-link")] == [
        f"{SITE}/van-ban/2025/12-tb-ubnd/"
    ]


def test_documents_line_is_a_box_on_the_article(built):
    out, _, _ = built
    page = parse(out / "tin-hoat-dong" / "bo-phan-mot-cua-co-quy-che-moi" / "index.html")
    box = page.css_first("section.article-documents")
    assert text(box.css_first("h2")) == "Văn bản liên quan"
    items = [
        (text(li.css_first("a")), li.css_first("a").attributes["href"], text(li.css_first(".meta")))
        for li in box.css("li")
    ]
    assert items == [
        ("Quyết định số 112/QĐ-UBND", f"{SITE}/van-ban/2025/112-qd-ubnd/", "05/08/2025 · Còn hiệu lực"),
        ("Kế hoạch số 03/KH-ĐU", f"{SITE}/van-ban/2026/03-kh-du/",
         "10/01/2026 · Chưa có hiệu lực (từ 01/01/2099)"),
    ]  # fmt: skip


def test_a_document_lists_the_published_articles_naming_it(built):
    out, _, _ = built

    def related(path):
        page = parse(out / "van-ban" / path / "index.html")
        return [text(a) for a in page.css("section.related a")]

    assert related("2024/12-tb-ubnd") == ["Bộ phận Một cửa có quy chế mới"]  # not the draft
    assert related("2025/12-tb-ubnd") == ["Lịch tiếp dân năm 2025"]
    assert related("2025/112-qd-ubnd") == ["Bộ phận Một cửa có quy chế mới"]  # Documents:


def test_atom_feed_of_the_documents(built):
    out, _, _ = built
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(out / "feeds" / "van-ban.atom.xml").getroot()
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == [
        "Kế hoạch số 03/KH-ĐU",
        "Quyết định số 112/QĐ-UBND",
        "Thông báo số 12/TB-UBND",
        "Quyết định số 45/QĐ-UBND",
        "Thông báo số 12/TB-UBND",
    ]
    first = feed.find("a:entry", ns)
    assert first.find("a:link", ns).attrib["href"] == f"{SITE}/van-ban/2026/03-kh-du/"
    head = parse(out / "van-ban" / "index.html").css_first(
        'link[rel="alternate"][href$="van-ban.atom.xml"]'
    )
    assert head is not None


def test_drafts_are_not_published_and_the_output_deploys(built):
    out, _, _ = built
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    assert not [p for p in written if "99-tb" in p or p.startswith("ban-nhap")]
    for path in written:
        if path.endswith((".html", ".xml")):
            assert "99/TB-UBND" not in (out / path).read_text(encoding="utf-8"), path
    assert check_output(out) == []
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/van-ban/2024/45-qd-ubnd/</loc>" in sitemap
    assert "<loc>/van-ban/loai/thong-bao/</loc>" in sitemap


# --- A mistake per key ------------------------------------------------------------------

HEADER = {
    "Type": "Thông báo",
    "Issuer": "UBND phường Thượng Thanh",
    "Signer": "bui-quang-cu",
    "Issued": "05/01/2026",
    "File": "files/van-ban/quy-che-mot-cua-2025.pdf",
}
# name -> (header changes (None: drop the key), the line named, level, words of the message)
MISTAKES = {
    "number-twice": ({"Number": "45/QĐ-UBND", "Issued": "01/05/2024"}, 1, "WARNING",
                     "năm 2024 đã dùng ở"),
    "number-shape": ({"Number": "Số 77"}, 1, "WARNING", "không đúng dạng"),
    "type": ({"Type": "Quyet dinh"}, 2, "WARNING", "Có phải ý bạn là 'Quyết định'?"),
    "issuer": ({"Issuer": None}, 1, "ERROR", "thiếu mục 'Issuer'"),
    "signer": ({"Signer": "bui-quang"}, 4, "WARNING", "Có phải ý bạn là 'bui-quang-cu'?"),
    "issued": ({"Issued": "31/02/2026"}, 5, "ERROR", "ở mục 'Issued' không đúng dạng"),
    "effective": ({"Effective": "2026-13-01"}, 7, "ERROR", "ở mục 'Effective'"),
    "expires": ({"Expires": "01/01/2026"}, 7, "WARNING", "không sau ngày có hiệu lực"),
    "replaced-by": ({"Replaced-by": "404/QĐ-UBND"}, 7, "WARNING",
                    "'404/QĐ-UBND' ở mục 'Replaced-by' không có"),
    "replaced-by-draft": ({"Replaced-by": "99/TB-UBND"}, 7, "WARNING", "chưa được đăng"),
    "file-missing": ({"File": "files/van-ban/khong-co.pdf"}, 6, "WARNING",
                     "không tìm thấy tệp đính kèm"),
    "file-kind": ({"File": "files/van-ban/bang.xlsx"}, 6, "WARNING", "văn bản chỉ nhận tệp"),
    "status": ({"Status": "nhap"}, 7, "ERROR", "trạng thái 'nhap' không hợp lệ"),
    "unknown-key": ({"Title": "Thông báo"}, 7, "ERROR", "không có mục thông tin 'title'"),
    "abstract": ({}, 1, "WARNING", "chưa có trích yếu"),
}  # fmt: skip
ARTICLE = """Title: Bài nhắc văn bản không có
Date: 2025-02-01 09:00
Category: Tin hoạt động
Summary: Bài có số văn bản sai.
Documents: 45/QĐ-UBND, 404/TB-UBND

Nội dung.
"""


def mistake_file(number, changes, abstract=True):
    header = {"Number": f"{number}/TB-UBND", **HEADER}
    for key, value in changes.items():
        if value is None:
            header.pop(key)
        else:
            header[key] = value
    lines = [f"{key}: {value}" for key, value in header.items()]
    return "\n".join(lines) + "\n\n" + ("Trích yếu của văn bản.\n" if abstract else "")


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("documents-mistakes")
    content = tmp / "content"
    shutil.copytree(FIXTURE, content)
    (content / "files" / "van-ban" / "bang.xlsx").write_bytes(b"PK\x03\x04 not really")
    for number, (name, (changes, _, _, _)) in enumerate(MISTAKES.items(), start=70):
        body = mistake_file(number, changes, abstract=name != "abstract")
        (content / "van-ban" / f"zz-{name}.md").write_text(body, encoding="utf-8")
    (content / "bai-viet" / "2025" / "sai-so.md").write_text(ARTICLE, encoding="utf-8")
    records = build_logged(content, tmp / "output", "pelicanconf.py")
    return content, records


@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_mistake_is_reported_with_file_and_line(mistakes, name):
    content, records = mistakes
    _, line, level, words = MISTAKES[name]
    where = f"{content / 'van-ban' / f'zz-{name}.md'}:{line}: "
    found = [r for r in records.records if where in r.getMessage()]
    assert found, (where, records.messages())
    assert any(words in r.getMessage() and r.levelname == level for r in found), [
        (r.levelname, r.getMessage()) for r in found
    ]


def test_unknown_documents_of_an_article_are_reported(mistakes):
    content, records = mistakes
    where = f"{content / 'bai-viet' / '2025' / 'sai-so.md'}:5: "
    found = [m for m in records.messages() if m.startswith(where)]
    assert len(found) == 1 and "'404/TB-UBND' ở mục 'Documents' không có" in found[0]


# --- In the browser: the list's filter, search, screenshots ------------------------------


@pytest.fixture(scope="module")
def server(built):
    out, _, _ = built
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "search_index.py"), "--site", str(out)], check=True
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=out))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def visible_rows(page):
    return page.locator(".document-list > li:visible h2").all_inner_texts()


def test_filter_in_the_browser_and_screenshots(browser, server):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, context, errors, _ = open_page(browser, server + "van-ban/", width=360)
    try:
        assert page.locator(".document-filters").is_hidden()  # the form is in its place
        page.fill("#loc-tu", "qd-ubnd")
        assert visible_rows(page) == ["Quyết định số 112/QĐ-UBND", "Quyết định số 45/QĐ-UBND"]
        assert page.locator(".filter-status").inner_text() == "Đang hiện 2 trên 5 văn bản."
        page.fill("#loc-tu", "")
        page.select_option("#loc-loai", "Thông báo")
        page.select_option("#loc-nam", "2024")
        assert visible_rows(page) == ["Thông báo số 12/TB-UBND"]
        page.select_option("#loc-tinh-trang", "valid")
        assert page.locator(".filter-status").inner_text() == (
            "Không có văn bản nào khớp với bộ lọc."
        )
        page.click(".document-filter-form button[type=reset]")
        page.wait_for_function("() => !document.querySelector('.document-list li[hidden]')")
        page.screenshot(path=str(ARTIFACTS / "documents-360.png"), full_page=True)
        page.goto(server + "van-ban/2024/45-qd-ubnd/", wait_until="networkidle")
        page.screenshot(path=str(ARTIFACTS / "document-360.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
    for name in ("documents", "document"):
        assert (ARTIFACTS / f"{name}-360.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("query", "expected"),
    [("nd-cp", "van-ban/2025/112-qd-ubnd/"), ("45/qd-ubnd", "van-ban/2024/45-qd-ubnd/")],
)
def test_documents_are_found_by_number(browser, server, query, expected):  # noqa: F811
    page, context, errors, _ = open_page(browser, f"{server}tim-kiem/?q={query}", width=360)
    try:
        page.wait_for_function(
            "() => { const s = document.querySelector('.search-status').textContent;"
            " return s && !s.startsWith('Đang tìm'); }"
        )
        found = page.locator(".search-list li h2 a").evaluate_all("a => a.map(x => x.href)")
        assert any(href.endswith(expected) for href in found), found
        assert errors == []
    finally:
        context.close()


def test_sample_documents_are_in_the_repository():
    """The sample site's documents (tools/make_sample_documents.py) and their files."""
    documents = sorted((ROOT / "content" / "van-ban").glob("*.md"))
    assert len(documents) >= 12
    for path in documents:
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        file = next(
            line.split(": ", 1)[1] for line in header.splitlines() if line.startswith("File:")
        )
        pdf = ROOT / "content" / file
        assert pdf.read_bytes().startswith(b"%PDF-"), path
        assert pdf.stat().st_size < 30_000, path
        issued = next(line for line in header.splitlines() if line.startswith("Issued:"))
        day, month, year = (int(v) for v in issued.split(": ")[1].split("/"))
        if (year, month, day) >= (2025, 7, 1):  # wards directly under the city
            printed = PdfReader(pdf).pages[0].extract_text()
            assert "quận" not in (path.read_text(encoding="utf-8") + printed).lower(), path
            assert "THÀNH PHỐ HÀ NỘI" in printed, path


def test_settings_are_checked_once():
    from documents.settings import SettingsError, parse_settings

    assert parse_settings({})["url"] == "van-ban/"
    for bad in ({"nope": 1}, {"document_url": "van-ban/{slug}/"}, {"types": []}, {"path": ".."}):
        with pytest.raises(SettingsError):
            parse_settings({"DOCUMENTS": bad})


def test_a_draft_is_only_in_the_preview(mistakes):
    """The mistakes are built with the preview's settings: the draft is written under
    ban-nhap/ with its banner, never in the list."""
    content, _ = mistakes
    out = content.parent / "output"
    page = parse(out / "ban-nhap" / "van-ban" / "2026" / "99-tb-ubnd" / "index.html")
    assert text(page.css_first(".unpublished-banner-title")) == "! BẢN NHÁP – chưa đăng"
    assert page.css_first('meta[name="robots"][content="noindex"]') is not None
    assert "data-pagefind-body" not in page.css_first("article.document").attributes
    assert "99/TB-UBND" not in (out / "van-ban" / "index.html").read_text(encoding="utf-8")
