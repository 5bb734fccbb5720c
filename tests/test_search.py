"""Search on the sample site, through the results page in chromium: what residents type.

Each query's expected results are worked out here from the built pages, independently of
Pagefind: a page is expected when every word of the query, folded (no marks, đ as d, lower
case), begins a word of the page's searchable text (title, summary, body, captions, file
names, officials named: the page's `data-pagefind-body` without `data-pagefind-ignore`).
"""

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser
from test_theme_browser import browser, open_page, server, site  # noqa: F401 (fixtures)

ARTIFACTS = ROOT / "tests" / "artifacts"
FOLD_D = str.maketrans({"đ": "d", "Đ": "D"})
PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
NOTHING = "xyzzyq kvrtz"
LICH = "thong-bao/lich-tiep-cong-dan-cua-lanh-dao-phuong-nam-2026/"
QUY = "thong-bao/thong-bao-ve-viec-thu-quy-phong-chong-thien-tai-nam-2022/"
QUAN_SU = (
    "phat-bieu-chi-dao/chi-huy-truong-ban-chi-huy-quan-su-phuong-tuyen-quan-phai-dung-nguoi-du-"
    "chi-tieu-cong-khai-tu-to-dan-pho/"
)

# Queries that must find the same pages, each group with its fully accented form first.
SAME = {
    "đ first": ["Đảng ủy", "dang uy", "Dang Uy", "đảng ủy", "Đảng uỷ"],
    "đ in the middle of the query": ["Bí thư Đảng ủy", "bi thu dang uy"],
    "đ inside a word": ["78/2021/NĐ-CP", "78/2021/ND-CP", "78/2021/nd-cp"],
    "all caps": ["Đường", "ĐƯỜNG", "duong", "DUONG"],
    "tone placement": ["hòa giải", "hoà giải", "hoa giai"],
    "tone placement 2": ["sức khỏe", "sức khoẻ", "suc khoe"],
    "a name": ["Phạm Thị Minh Hồng", "pham thi minh hong", "PHẠM THỊ MINH HỒNG"],
    "a place": ["Thượng Thanh", "thuong thanh"],
    "an announcement": ["đăng ký tạm trú", "dang ky tam tru"],
    "decomposed (NFD) input": ["Đức Giang", unicodedata.normalize("NFD", "Đức Giang")],
}
# Queries whose results are known by heart: (query, pages expected, exactly or as top).
KNOWN = [
    ("78/2021/NĐ-CP", [QUY], "exactly"),
    ("132/2003/ND-CP", ["gioi-thieu/"], "exactly"),
    ("lich tiep cong dan 2026", [LICH], "top"),
    (
        "tiêm vắc xin Covid",
        ["thong-bao/thong-bao-lich-tiem-vac-xin-phong-covid-19-dot-thang-92021/"],
        "top",
    ),
    ("đáng", [QUAN_SU], "top"),  # "chính đáng": exact marks before Đảng, đang, dáng
    ("dáng", ["gioi-thieu/"], "top"),  # "dáng dấp"
]


def fold(text):
    text = unicodedata.normalize("NFD", text.translate(FOLD_D))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words_of(text):
    """Pagefind's words of a text: each run between spaces with its punctuation dropped,
    and its parts between punctuation."""
    found = set()
    for token in fold(text).split():
        found.add(PUNCTUATION.sub("", token))
        found.update(PUNCTUATION.sub(" ", token).split())
    return found


@pytest.fixture(scope="module")
def searchable(site):  # noqa: F811
    """{url path: set of folded words} of every page search should know."""
    pages = {}
    for path in Path(site).rglob("*.html"):
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        body = tree.css_first("[data-pagefind-body]")
        if body is None:
            continue
        for node in body.css("[data-pagefind-ignore]"):
            node.decompose()
        text = body.text(separator=" ")
        alts = " ".join(img.attributes.get("alt") or "" for img in body.css("img"))
        folder = path.relative_to(site).parent.as_posix()
        pages["/" if folder == "." else f"/{folder}/"] = words_of(f"{text} {alts}")
    return pages


def expected(searchable, query):
    terms = [w for w in (PUNCTUATION.sub("", t) for t in fold(query).split()) if w]
    return {
        url
        for url, words in searchable.items()
        if all(any(w.startswith(t) for w in words) for t in terms)
    }


def results(page):
    """Waits for the search to finish; shows every result ("Xem thêm"); their paths."""
    status = page.locator(".search-status")
    page.wait_for_function(
        "() => { const s = document.querySelector('.search-status').textContent;"
        " return s && !s.startsWith('Đang tìm'); }"
    )
    more = page.locator(".search-more")
    while more.is_visible():
        before = page.locator(".search-list li").count()
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('.search-list li').length > {before}"
        )
    assert "ḏ" not in page.locator("main").inner_text().lower()
    status.wait_for()
    return [
        urlsplit(a).path
        for a in page.locator(".search-list li h2 a").evaluate_all(
            "links => links.map(a => a.href)"
        )
    ]


@pytest.fixture(scope="module")
def tab(browser):  # noqa: F811
    """One phone-sized tab for the queries of the module (the index stays in its cache);
    yields (page, console errors, failed requests)."""
    page, context, errors, failed = open_page(browser, "about:blank", width=360)
    yield page, errors, failed
    context.close()


def search(tab, server, query, **params):  # noqa: F811
    """(result paths, status line, the category · date line of each result)."""
    page, errors, failed = tab
    url = (
        server
        + "tim-kiem/?q="
        + quote(query)
        + "".join(f"&{k}={quote(v)}" for k, v in params.items())
    )
    page.goto(url)
    found = results(page)
    assert errors == [] and failed == []
    return (
        found,
        page.locator(".search-status").inner_text(),
        page.locator(".search-list li .meta").all_inner_texts(),
    )


@pytest.mark.parametrize("group", SAME.values(), ids=SAME.keys())
def test_spellings_find_the_same_pages(tab, server, searchable, group):  # noqa: F811
    accented, *others = group
    want = expected(searchable, accented)
    assert want, f"the sample site should have pages for {accented!r}"
    found, status, _ = search(tab, server, accented)
    assert set(found) == want
    assert len(found) == len(set(found))
    assert status.startswith(f"{len(want)} kết quả cho “{accented}”")
    for query in others:
        assert set(search(tab, server, query)[0]) == want, query


@pytest.mark.parametrize("case", KNOWN, ids=[k[0] for k in KNOWN])
def test_known_results(tab, server, searchable, case):  # noqa: F811
    query, pages, how = case
    found, _, _ = search(tab, server, query)
    want = ["/" + p for p in pages]
    if how == "exactly":
        assert found == want
    else:
        assert found[: len(want)] == want
    assert set(found) == expected(searchable, query)


def test_date_lines_and_labels_are_not_indexed(tab, server, searchable, site):  # noqa: F811
    # The date line of an article ("Ngày đăng 12/09/2024 | 14:30") is not searched.
    assert search(tab, server, "12/09/2024 14:30")[0] == []
    # The heading of the officials box is not searched: fewer pages than have the box.
    label = "Cán bộ được nhắc đến"
    boxes = [
        p for p in Path(site).rglob("index.html") if 'id="can-bo-nhac-den"' in p.read_text("utf-8")
    ]
    found = search(tab, server, label)[0]
    assert set(found) == expected(searchable, label)
    assert len(found) < len(boxes)


def test_nothing_found_says_so_and_helps(browser, server):  # noqa: F811
    page, context, _, _ = open_page(browser, server + "tim-kiem/?q=" + quote(NOTHING) + "&nam=2022")
    try:
        assert results(page) == []
        assert (
            page.locator(".search-status").inner_text()
            == f"Không tìm thấy kết quả nào cho “{NOTHING}”."
        )
        assert page.locator(".search-tips").is_visible()
        clear = page.locator(".search-clear")
        assert clear.is_visible()  # a filter is on: offer to drop it
        assert page.locator(".search-help a[href$='/luu-tru/']").is_visible()
        assert page.locator(".search-help a[href$='/thong-bao/']").is_visible()
        clear.click()
        page.wait_for_url(re.compile(r"\?q=[^&]+$"))
        assert page.locator("#loc-nam").input_value() == ""
    finally:
        context.close()


def test_results_show_category_and_date_and_filters_work(tab, server, searchable):  # noqa: F811
    everything = expected(searchable, "Đảng ủy")
    found, _, metas = search(tab, server, "Đảng ủy", muc="Thông báo")
    assert found and set(found) < everything
    assert all(m.startswith("Thông báo · ") for m in metas)
    assert all(re.fullmatch(r"Thông báo · \d\d/\d\d/\d{4}", m) for m in metas)
    found, _, metas = search(tab, server, "Đảng ủy", nam="2024")
    assert found and all(m.endswith("/2024") for m in metas)
    found, _, metas = search(tab, server, "Đảng ủy", xep="moi-nhat")
    assert set(found) == everything
    dated = [m.rsplit(" · ", 1)[1] for m in metas if re.search(r"\d{4}$", m)]
    days = [tuple(reversed(d.split("/"))) for d in dated]
    assert days == sorted(days, reverse=True)
    assert metas[-1] == "Thông tin chung"  # pages have no date: last when newest first


def test_address_back_button_and_focus(browser, server):  # noqa: F811
    page, context, errors, _ = open_page(browser, server + "tim-kiem/?q=" + quote("Đảng ủy"))
    try:
        page.wait_for_selector(".search-list li")
        assert page.locator(".search-list li").count() == 10  # one screenful, then "Xem thêm"
        page.locator(".search-more").click()
        page.wait_for_function("() => document.querySelectorAll('.search-list li').length > 10")
        # Keyboard users land on the first new result, not at the top.
        assert page.evaluate(
            "() => document.activeElement === document.querySelectorAll('.search-list li a')[10]"
        )
        shown = page.locator(".search-list li").count()
        box = page.locator("#tim-trang")
        box.fill("thuong thanh")
        box.press("Enter")
        page.wait_for_url(re.compile(r"\?q=thuong\+thanh$"))
        page.wait_for_function(
            "() => document.querySelector('.search-status').textContent.includes('thuong thanh')"
        )
        assert page.evaluate("() => document.activeElement.id") == "tim-trang"
        page.select_option("#loc-muc", "Tin hoạt động")
        page.wait_for_url(re.compile(r"muc=Tin"))
        page.go_back()
        page.wait_for_url(re.compile(r"\?q=thuong\+thanh$"))
        page.wait_for_function("() => document.querySelector('#loc-muc').value === ''")
        # Back to the first search: its words, and as many results as were shown.
        page.go_back()
        page.wait_for_function("() => document.querySelector('#tim-trang').value === 'Đảng ủy'")
        page.wait_for_function(
            f"() => document.querySelectorAll('.search-list li').length === {shown}"
        )
        # One search box on the search page; the status is announced to screen readers.
        assert page.locator("input[type=search]").count() == 1
        assert page.locator(".search-status").get_attribute("role") == "status"
        assert errors == []
    finally:
        context.close()


def test_without_javascript_a_message_and_ways_to_browse(browser, server):  # noqa: F811
    page, context, _, _ = open_page(
        browser, server + "tim-kiem/?q=dang+uy", java_script_enabled=False
    )
    try:
        notice = page.locator(".no-js-only")
        assert notice.is_visible()
        assert "JavaScript" in notice.inner_text()
        assert not page.locator("#tim-kiem").is_visible()
        links = page.locator(".search-help a").evaluate_all("links => links.map(a => a.pathname)")
        assert "/luu-tru/" in links and "/tin-hoat-dong/" in links
    finally:
        context.close()


def test_screenshots_of_results(browser, server):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page, context, _, _ = open_page(browser, server + "tim-kiem/?q=dang+uy", width=width)
        page.wait_for_selector(".search-list li")
        target = ARTIFACTS / f"search-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        context.close()
        assert target.stat().st_size > 10_000
