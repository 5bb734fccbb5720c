"""Unpublished content for staff: the list at /ban-nhap/, the banner on a draft, hidden or
future-dated page, a box in place of a missing photo; none of it in `make publish`.

The browser tests drive the real preview (`python -m preview`, as `make devserver` runs it)
on a copy of the theme fixture with a draft, a hidden and a future-dated article and a
draft page, started once for the module. Build tests build in-process into tmp folders.
"""

import functools
import json
import logging
import re
import shutil
import threading
import unicodedata
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES, build_site, parse
from test_preview import build_number, get, running_preview, wait_for
from test_theme_browser import ARTIFACTS, QuietHandler, axe_source, browser  # noqa: F401
from test_theme_colours import TOKENS, contrast

from deploy.outputcheck import check_output
from unpublished import kind_of, parse_settings

BANNERS = ["BẢN NHÁP – chưa đăng", "BÀI ẨN – không hiện trong danh sách", "HẸN GIỜ – sẽ đăng lúc"]
LIST_TITLE = "Bản nháp và bài chưa đăng"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # TIMEZONE of pelicanconf.py
FUTURE = (datetime.now(UTC) + timedelta(days=400)).astimezone(ZONE)
FUTURE_TEXT = FUTURE.strftime("%Y-%m-%d %H:%M")
DRAFT_URL = "/ban-nhap/bai-nhap-chua-dang/"  # the theme fixture's draft
HIDDEN_URL = "/thong-bao/bai-an-noi-bo-an-1/"
FUTURE_URL = "/ban-nhap/lich-tiep-cong-dan-hen-gio-hg-1/"
PAGE_URL = "/ban-nhap/trang/gioi-thieu-ban-moi-tn-1/"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def add_unpublished(content):
    """A hidden and a future-dated article and a draft page, next to the fixture's draft."""
    folder = content / "bai-viet" / "2023"
    (folder / "an.md").write_text(
        "Title: Bài ẩn nội bộ AN-1\nDate: 2023-03-01 10:00\nCategory: Thông báo\n"
        "Summary: Bài ẩn.\nStatus: hidden\n\nNội dung bài ẩn.\n",
        "utf-8",
    )
    (folder / "hen-gio.md").write_text(
        f"Title: Lịch tiếp công dân <hẹn giờ> HG-1\nDate: {FUTURE_TEXT}\n"
        "Category: Thông báo\nSummary: Bài hẹn giờ.\n\nNội dung hẹn giờ.\n",
        "utf-8",
    )
    (content / "pages" / "nhap.md").write_text(
        "Title: Giới thiệu (bản mới) TN-1\nStatus: draft\n\nĐang viết.\n", "utf-8"
    )


# --- Settings and statuses ----------------------------------------------------------------


def test_settings_are_checked():
    assert parse_settings({})["url"] == "ban-nhap/"
    assert parse_settings({"UNPUBLISHED": {"write": False}})["save_as"] == "ban-nhap/index.html"
    for wrong in ({"write": "no"}, {"url": "/ban-nhap/"}, {"save_as": "../x.html"}, {"x": 1}):
        with pytest.raises(ValueError, match="UNPUBLISHED"):
            parse_settings({"UNPUBLISHED": wrong})


@pytest.mark.parametrize(
    ("status", "said", "days", "kind"),
    [
        ("draft", "draft", 0, "draft"),
        ("draft", "draft", 10, "draft"),  # Status: draft waits for staff, not for a date
        ("draft", None, 10, "future"),  # dated in the future: Pelican made it a draft
        ("draft", "hidden", 10, "future"),
        ("hidden", "hidden", 0, "hidden"),
        ("published", None, 0, None),
    ],
)
def test_kind_of(status, said, days, kind):
    now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    item = SimpleNamespace(
        status=status,
        date=now + timedelta(days=days, minutes=-1),
        metadata={"status": said} if said else {},
    )
    assert kind_of(item, now) == kind


def test_status_colours_reach_aa():
    for fg, bg in [("draft-ink", "notice"), ("hidden-ink", "hidden-bg"), ("future-ink", "future-bg"),
                   ("text", "hidden-bg"), ("link", "hidden-bg"), ("text", "future-bg"),
                   ("link", "future-bg")]:  # fmt: skip
        assert contrast(TOKENS[fg], TOKENS[bg]) >= 4.5, (fg, bg)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """(content, base URL, port, output) of a running preview of the theme fixture plus
    unpublished content. Its first build renders every page (as `make html` would)."""
    tmp = tmp_path_factory.mktemp("unpublished-preview")
    content = tmp / "content"
    shutil.copytree(FIXTURES / "theme", content)
    add_unpublished(content)
    with running_preview(content, tmp) as (port, _):
        yield content, f"http://127.0.0.1:{port}", port, tmp / "preview"


# --- Builds -----------------------------------------------------------------------------


def test_list_page_of_a_development_build(preview):
    out = preview[3]
    listing = out / "ban-nhap" / "index.html"
    text = listing.read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    tree = parse(listing)
    assert tree.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert tree.css_first("main h1").text() == LIST_TITLE
    items = tree.css(".unpublished-list > li")
    links = [li.css_first("h2 a").attributes["href"] for li in items]
    assert links == [FUTURE_URL, HIDDEN_URL, DRAFT_URL, PAGE_URL]  # newest first, page last
    for href in links:  # each links to where it is written
        assert (out / href.strip("/") / "index.html").is_file(), href
    statuses = [" ".join(li.css_first(".status-badge").text().split()) for li in items]
    shown = FUTURE.strftime("%d/%m/%Y | %H:%M")
    assert statuses == [f"Hẹn giờ đăng: {shown}", "Ẩn", "Bản nháp", "Bản nháp"]
    assert "&lt;hẹn giờ&gt;" in text and "<hẹn giờ>" not in text  # titles escaped
    times = [li.css_first("time").text() for li in items[:3]]
    assert times == [shown, "01/03/2023 | 10:00", "10/02/2023 | 09:00"]
    assert "Chưa có ngày" in items[3].text() and "Trang cố định" in items[3].text()
    categories = [li.css(".unpublished-field a") for li in items]
    assert [c[0].text() for c in categories[:3]] == ["Thông báo", "Thông báo", "Tin hoạt động"]
    # The banner of each, with its date for the future-dated one, and noindex.
    expected = {
        FUTURE_URL: f"HẸN GIỜ – sẽ đăng lúc {shown.replace(' | ', ' ')}",
        HIDDEN_URL: BANNERS[1],
        DRAFT_URL: BANNERS[0],
        PAGE_URL: BANNERS[0],
    }
    for url, banner in expected.items():
        page = parse(out / url.strip("/") / "index.html")
        note = page.css_first("main article .unpublished-banner")
        assert note is not None and note.attributes["role"] == "note", url
        assert " ".join(note.css_first("strong").text().split()) == banner
        assert note.css_first("a").attributes["href"] == "/ban-nhap/"
        assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    # Published pages carry no banner; the sitemap leaves the list out.
    assert "unpublished-banner" not in (out / "index.html").read_text("utf-8")
    assert "ban-nhap" not in (out / "sitemap.xml").read_text("utf-8")


def test_empty_list_says_so(tmp_path):
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "bai-viet" / "bai.md").write_text(
        "Title: Bài đã đăng\nDate: 2024-03-01 08:00\nCategory: Thông báo\nSummary: Bài.\n\nNội dung.\n",
        "utf-8",
    )
    out = build_site(content, tmp_path / "output")
    tree = parse(out / "ban-nhap" / "index.html")
    assert "Chưa có bản nháp nào." in tree.css_first("main").text()
    assert tree.css(".unpublished-list") == []


def test_publish_writes_neither_the_list_nor_a_banner(tmp_path):
    """publishconf.py (`make publish`): no /ban-nhap/, no unpublished page, no banner."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "theme", content)
    add_unpublished(content)
    out = build_site(content, tmp_path / "output", "publishconf.py", SITEURL="https://x.vn")
    assert not (out / "ban-nhap").exists()
    assert not (out / HIDDEN_URL.strip("/")).exists()
    words = [*BANNERS, LIST_TITLE, "unpublished-banner", "Chưa có bản nháp", "AN-1", "HG-1",
             "TN-1", "photo-missing", "Không tìm thấy ảnh"]  # fmt: skip
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text("utf-8")
            assert not [w for w in words if w in text], path
    manifest = json.loads((out / ".publish-manifest.json").read_text("utf-8"))
    assert not [f for f in manifest["files"] if f.startswith("ban-nhap/")]
    assert check_output(out) == []  # `make deploy` would upload it


MISSING = "images/2026/11/abc.jpg"


def missing_photo_content(tmp_path):
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "bai-viet" / "anh.md").write_text(
        "Title: Bài thiếu ảnh\nDate: 2024-03-01 08:00\nCategory: Thông báo\nSummary: Bài.\n\n"
        f'Đoạn đầu.\n\n![Toàn cảnh]({MISSING} "Chú thích của ảnh thiếu")\n',
        "utf-8",
    )
    return content


def test_missing_photo_is_a_box_naming_it_in_development(tmp_path):
    out = build_site(missing_photo_content(tmp_path), tmp_path / "output")
    page = parse(out / "thong-bao" / "bai-thieu-anh" / "index.html")
    figure = page.css_first("main figure")
    box = figure.css_first(".photo-missing")
    assert box is not None and box.text() == f"Không tìm thấy ảnh: {MISSING}"
    assert figure.css_first("figcaption").text() == "Chú thích của ảnh thiếu"
    assert figure.css("img") == []


def test_missing_photo_still_fails_publish(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    content = missing_photo_content(tmp_path)
    with pytest.raises(SystemExit):
        build_site(content, tmp_path / "output", "publishconf.py", SITEURL="https://x.vn")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert [m for m in errors if "anh.md:8:" in m and f"không tìm thấy ảnh '{MISSING}'" in m]
    page = tmp_path / "output" / "thong-bao" / "bai-thieu-anh" / "index.html"
    assert not page.exists() or "Không tìm thấy ảnh" not in page.read_text("utf-8")


# --- The preview, in a browser -------------------------------------------------------------


def open_preview(browser, url, width=1280):  # noqa: F811 (the module's browser fixture)
    """Load a preview page: its reload script keeps a request open, so no `networkidle`."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url, wait_until="load")
    assert response.status == 200, url
    return page, context, errors


def axe_violations(page, axe):
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})",
        AXE_RULES,
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


def check_and_shoot(page, axe, name):
    """No axe violation, no sideways scroll at 360 px; screenshots at 1280 and 360 px."""
    assert axe_violations(page, axe) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert axe_violations(page, axe) == []
    page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    for width in (360, 1280):
        assert (ARTIFACTS / f"{name}-{width}.png").stat().st_size > 10_000


def test_list_in_the_preview(browser, axe_source, preview):  # noqa: F811
    _, base, _, _ = preview
    page, context, errors = open_preview(browser, base + "/ban-nhap/")
    try:
        assert page.title() == f"{LIST_TITLE} – Phường Thượng Thanh"
        assert page.locator("main h1").inner_text() == LIST_TITLE
        assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
        assert page.locator(".unpublished-list > li").count() == 4
        assert page.locator(".status-future").inner_text().startswith("Hẹn giờ đăng: ")
        check_and_shoot(page, axe_source, "drafts-list")
        # Each title opens its page, which names what it is.
        page.set_viewport_size({"width": 1280, "height": 800})
        page.locator(f'main a[href="{HIDDEN_URL}"]').click()
        page.wait_for_url(base + HIDDEN_URL)
        assert page.get_by_role("note").locator("strong").inner_text() == BANNERS[1]
        assert errors == []
    finally:
        context.close()


def test_draft_banner_in_the_preview(browser, axe_source, preview):  # noqa: F811
    _, base, _, _ = preview
    page, context, errors = open_preview(browser, base + DRAFT_URL)
    try:
        note = page.get_by_role("note")
        assert note.is_visible()
        assert note.locator("strong").inner_text() == BANNERS[0]
        # At the top of the article, above its title.
        box = note.bounding_box()
        assert box["y"] < page.locator("main h1").bounding_box()["y"]
        # Not colour alone: the words say it; the text has its contrast.
        colours = note.evaluate(
            "n => [getComputedStyle(n).color, getComputedStyle(n).backgroundColor]"
        )
        assert colours == ["rgb(27, 27, 27)", "rgb(255, 244, 214)"]
        check_and_shoot(page, axe_source, "draft-article")
        page.set_viewport_size({"width": 1280, "height": 800})
        note.get_by_role("link", name="Xem tất cả bài chưa đăng").click()
        page.wait_for_url(base + "/ban-nhap/")
        assert page.locator("main h1").inner_text() == LIST_TITLE
        assert errors == []
    finally:
        context.close()


def test_the_list_follows_a_save(preview):
    """A save rebuilds without rendering; /ban-nhap/ is rendered when asked for, showing it."""
    content, _, port, _ = preview
    path = content / "bai-viet" / "2023" / "ban-nhap.md"
    text = path.read_text("utf-8")
    shown = build_number(port)
    path.write_text(text.replace("Title: Bài nháp chưa đăng", "Title: Bài nháp đã sửa SUA-2"))
    wait_for(lambda: build_number(port) > shown, 60, "the build after the save")
    status, _, body = get(port, "/ban-nhap/")
    assert status == 200 and "SUA-2" in body
    assert re.search(r'href="/ban-nhap/bai-nhap-da-sua-sua-2/"', body)
    assert "SUA-2" in get(port, "/ban-nhap/bai-nhap-da-sua-sua-2/")[2]


def test_missing_photo_box_in_a_browser(browser, tmp_path):  # noqa: F811
    out = build_site(missing_photo_content(tmp_path), tmp_path / "output")
    handler = functools.partial(QuietHandler, directory=str(out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/thong-bao/bai-thieu-anh/")
        box = page.locator(".photo-missing")
        assert box.is_visible() and box.inner_text() == f"Không tìm thấy ảnh: {MISSING}"
        assert box.bounding_box()["height"] >= 100
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        box.locator("xpath=..").screenshot(path=str(ARTIFACTS / "missing-photo-360.png"))
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
