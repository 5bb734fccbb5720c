"""The theme in a real browser (Playwright + Debian's chromium) over the sample site.

The sample content (content/) plus the theme fixture's articles (attachments, pinned
announcements, tags) is built once for the whole run (conftest.theme_site, shared by the
browser test modules), with small pages so every list paginates, then served from 127.0.0.1
on a free port. `make test` installs chromium
and axe-core first; a missing one fails these tests with the command to run.
"""

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "tests" / ".node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
ARTICLE = "tin-hoat-dong/hoi-nghi-so-ket-cong-tac-6-thang-dau-nam-2022/"
# The seed article of the sample content (photos with captions, officials, a table).
SAMPLE_ARTICLE = (
    "hoat-dong-cac-phuong/"
    "thuong-thanh-nhin-lai-nua-dau-nam-2022-va-mot-nam-van-hanh-mo-hinh-chinh-quyen-do-thi/"
)

# One URL per page type of the theme.
# A moment of the day the sample site is built for (conftest.BUILD_DAY), in the ward's
# time zone, for the browser's clock.
BUILD_DAY_MORNING = "2026-12-01T09:00:00+07:00"

PAGES = {
    "home": "",
    "home-page-2": "trang/2/",
    "article": ARTICLE,
    "sample-article": SAMPLE_ARTICLE,
    "page": "gioi-thieu/",
    "category": "tin-hoat-dong/",
    "category-page-2": "tin-hoat-dong/trang/2/",
    "tag": "the/hoi-nghi/",
    "tags": "the/",
    "categories": "chuyen-muc/",
    "archives": "luu-tru/",
    "year": "luu-tru/2022/",
    "month": "luu-tru/2022/07/",
    "author": "tac-gia/van-phong-ubnd-phuong-thuong-thanh/",
    "authors": "tac-gia/",
    "search": "tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B",
    "404": "404.html",
    "official": "can-bo/vu-trong-thu/",
    "officials": "can-bo/",
    "organisation": "co-cau-to-chuc/",  # made from the officials registry
    "en-home": "en/",  # the English pages (lang="en")
    "en-organisation": "en/organisation/",
    "documents": "van-ban/",  # the list of documents (plugins/documents), with its filters
    "document": "van-ban/2024/45-qd-ubnd/",  # a document replaced by another one
    "calendar": "lich-cong-tac/",  # this week of the work calendar (plugins/work_calendar)
    "questions": "hoi-dap/",  # the answered questions (plugins/questions)
    "question": "hoi-dap/dang-ky-tam-tru-khi-thue-phong-tro/",
    "ask": "hoi-dap/gui-cau-hoi/",
}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(theme_site):
    """The sample site of the browser tests (conftest.theme_site: built once per run)."""
    return theme_site


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "chromium is missing: run `make test` (it installs it) or "
            "`sudo apt-get install chromium`",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `make test`, which installs the pinned "
            "axe-core from npm (needs npm: `sudo apt-get install npm`)",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


def open_page(browser, url, width=1280, build_day=False, **context_args):
    """Load `url`; return (page, context, console errors, failed requests). With `build_day`
    the page's clock reads the site's build day (the home page's "today" box does not depend
    on the day the tests run); Playwright's fake clock hides the paint timings, though."""
    context = browser.new_context(viewport={"width": width, "height": 800}, **context_args)
    page = context.new_page()
    if build_day:
        page.clock.set_fixed_time(BUILD_DAY_MORNING)
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return page, context, errors, failed


def test_skip_link_is_first_and_moves_focus_to_main(browser, server):
    page, context, _, _ = open_page(browser, server + ARTICLE)
    try:
        page.keyboard.press("Tab")
        first = page.evaluate("() => document.activeElement.className")
        assert first == "skip-link"
        assert page.locator(".skip-link").is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "noi-dung"
    finally:
        context.close()


def test_screenshots_home_and_article(browser, server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("home", ""), ("article", ARTICLE), ("sample-article", SAMPLE_ARTICLE)):
        for width in (360, 1280):
            page, context, _, _ = open_page(browser, server + path, width=width)
            for img in page.locator("img[loading=lazy]").all():
                img.scroll_into_view_if_needed()
            page.wait_for_load_state("networkidle")
            target = ARTIFACTS / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            context.close()
            assert target.stat().st_size > 10_000


@pytest.mark.parametrize("path", [ARTICLE, SAMPLE_ARTICLE], ids=["fixture", "sample"])
def test_article_budget(browser, server, path):
    """HTML + CSS + JS of an article <= 60 KB, <= 3 requests before first render,
    every request to this site only."""
    page, context, errors, failed = open_page(browser, server + path, width=360)
    assert errors == [] and failed == []
    try:
        entries = page.evaluate(
            "() => performance.getEntriesByType('resource').map(e => ({name: e.name, "
            "type: e.initiatorType, blocking: e.renderBlockingStatus}))"
        )
        fcp = page.evaluate("() => performance.getEntriesByName('first-contentful-paint').length")
        assert fcp == 1
        blocking = [e["name"] for e in entries if e["blocking"] == "blocking"]
        assert 1 + len(blocking) <= 3, blocking  # the HTML itself, then CSS/JS that block
        origin = urlsplit(server).netloc
        third_party = [e["name"] for e in entries if urlsplit(e["name"]).netloc != origin]
        assert third_party == []
        html = page.request.get(server + path).body()
        code = [e["name"] for e in entries if e["name"].endswith((".css", ".js"))]
        sizes = {"html": len(html)} | {
            u.rsplit("/", 1)[-1]: len(page.request.get(u).body()) for u in code
        }
        total = sum(sizes.values())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "budget-sample.json" if path == SAMPLE_ARTICLE else "budget.json"
        (ARTIFACTS / name).write_text(
            json.dumps({"bytes": sizes, "total": total, "render_blocking": blocking}, indent=1),
            encoding="utf-8",
        )
        assert total <= 60 * 1024, f"{total} bytes"
        assert code, "the page loads its stylesheet and script"
    finally:
        context.close()


def test_article_without_js_keeps_share_and_link(browser, server):
    page, context, _, _ = open_page(browser, server + ARTICLE, java_script_enabled=False)
    try:
        assert page.locator(".share a[href*='facebook.com/sharer']").is_visible()
        assert page.locator("#lien-ket").input_value().endswith(ARTICLE)
        assert not page.locator("[data-print]").is_visible()  # shown only by the script
    finally:
        context.close()


def test_print_button_and_print_stylesheet(browser, server):
    page, context, _, _ = open_page(browser, server + ARTICLE)
    try:
        assert page.locator("[data-print]").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.locator(".share").is_visible()
        assert page.locator(".article-body figure img").first.is_visible()
        after = page.evaluate(
            "() => getComputedStyle(document.querySelector('.article-body a'), '::after').content"
        )
        assert "/gioi-thieu/" in after
    finally:
        context.close()


def internal_target(site, base_rel, ref):
    """The output file a link points to, or None for links that leave the site."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "tel:", "#")):
        return None
    path = unquote(parts.path)
    target = site / path.lstrip("/") if path.startswith("/") else (site / base_rel).parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_no_broken_internal_link_or_image(site):
    broken = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for html in pages:
        rel = html.relative_to(site)
        tree = LexborHTMLParser(html.read_text(encoding="utf-8"))
        ids = {n.attributes.get("id") for n in tree.css("[id]")}
        for node in tree.css(
            "a[href], link[href], img[src], script[src], source[srcset], img[srcset]"
        ):
            refs = [node.attributes.get("href") or node.attributes.get("src") or ""]
            for attr in ("srcset",):
                if node.attributes.get(attr):
                    refs += [c.strip().split(" ")[0] for c in node.attributes[attr].split(",")]
            for ref in refs:
                if ref.startswith("#"):
                    if ref[1:] and ref[1:] not in ids:
                        broken.append(f"{rel}: {ref}")
                    continue
                target = internal_target(site, rel, ref)
                if target is not None and not target.exists():
                    broken.append(f"{rel}: {ref}")
    assert broken == []


def test_json_ld_is_valid_news_article(site):
    tree = LexborHTMLParser((site / ARTICLE / "index.html").read_text(encoding="utf-8"))
    data = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2022-07-06T09:54:00+07:00"
    assert data["dateModified"] == "2022-07-07T08:30:00+07:00"


@pytest.mark.parametrize("forced", ["none", "active"], ids=["normal", "forced-colours"])
def test_focus_is_visible(browser, server, forced):
    page, context, _, _ = open_page(browser, server + ARTICLE, forced_colors=forced)
    try:
        for _ in range(3):  # skip link, home link, search field
            page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert style[0] == "solid"
        assert style[1] >= 2
    finally:
        context.close()


def test_copy_link_button_copies_the_address(browser, server):
    page, context, errors, _ = open_page(
        browser, server + ARTICLE, permissions=["clipboard-read", "clipboard-write"]
    )
    try:
        page.locator("[data-copy]").click()
        from playwright.sync_api import expect

        expect(page.locator(".copy-status")).to_have_text("Đã sao chép liên kết")
        assert page.evaluate("() => navigator.clipboard.readText()") == server + ARTICLE
        assert errors == []
    finally:
        context.close()
