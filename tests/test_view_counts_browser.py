"""The small script that shows fresher counts from views.json, in a real chromium."""

import functools
import json
import sqlite3
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import parse as parse_html
from test_view_counts_build import PATH_OF, counted_site  # noqa: F401 (fixture)

from vietnamese.formatting import vi_number
from view_counts.cli import main

playwright_api = pytest.importorskip("playwright.sync_api")
PATH_TO_ID = {path: article_id for article_id, path in PATH_OF.items()}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(counted_site):  # noqa: F811
    output, store, _ = counted_site
    handler = functools.partial(QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", output, store
    server.shutdown()
    server.server_close()


@pytest.fixture
def page():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_page()
        browser.close()


def test_fresh_views_json_updates_the_page_without_a_rebuild(served, page):
    base, output, store = served
    # The least read of the week (last in the baked list) gets 5000 views more today.
    baked = parse_html(output / "index.html").css('ol[data-window="7d"] li a')
    assert len(baked) >= 2
    last_path = baked[-1].attributes["href"]
    oldest = next(article_id for article_id, path in PATH_OF.items() if path == last_path)
    with sqlite3.connect(store) as conn:
        conn.execute("INSERT INTO daily VALUES ('2026-11-29', ?, 5000)", (oldest,))
    assert main(["export", "--site", str(output), "--store", str(store)]) == 0  # stats-upload
    fresh = json.loads((output / "views.json").read_text(encoding="utf-8"))
    total = fresh["articles"][PATH_OF[oldest]]["views"]

    page.goto(base + PATH_OF[oldest])  # an article page: its own count and the lists
    meta = page.locator("article .meta")
    playwright_api.expect(meta).to_contain_text(f"Lượt xem: {vi_number(total)}")
    first = page.locator('ol[data-window="7d"] li').first
    playwright_api.expect(first.locator("a")).to_have_attribute("href", PATH_OF[oldest])
    playwright_api.expect(first.locator(".views")).to_have_text(
        f"Lượt xem: {vi_number(fresh['most_read']['7d'][0][1])}"
    )


def test_without_views_json_the_baked_numbers_stay(served, page):
    base, output, _ = served
    baked = parse_html(output / "index.html").css_first('ol[data-window="all"] li .views').text()
    (output / "views.json").unlink()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))  # noqa: PLW0108 (playwright wants a function)
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator('ol[data-window="all"] li .views').first.text_content() == baked
    assert errors == []


def visible_lists(page):
    return [ol.get_attribute("data-window") for ol in page.locator("ol[data-window]").all()
            if ol.is_visible()]  # fmt: skip


def test_most_read_switch_one_list_at_a_time_by_keyboard(served, page):
    base, _, _ = served
    errors = []
    page.on("pageerror", lambda error: errors.append(error))  # noqa: PLW0108
    page.goto(base + "/")
    box = page.locator("section.most-read")
    playwright_api.expect(box).to_have_attribute("data-switch", "on")
    assert visible_lists(page) == ["7d"]
    tabs = box.locator("[role=tab]")
    assert tabs.count() == 3
    assert box.locator("[role=tablist]").count() == 1
    assert [tabs.nth(i).get_attribute("aria-selected") for i in range(3)] == [
        "true", "false", "false"
    ]  # fmt: skip
    for i in range(3):  # WCAG 2.5.8: at least 24 by 24 CSS px
        size = tabs.nth(i).bounding_box()
        assert size["height"] >= 24 and size["width"] >= 24
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    assert visible_lists(page) == ["30d"]
    assert page.evaluate("document.activeElement.dataset.windowTab") == "30d"
    page.keyboard.press("End")
    assert visible_lists(page) == ["all"]
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    assert tabs.nth(2).get_attribute("tabindex") == "0"
    assert tabs.first.get_attribute("tabindex") == "-1"
    page.keyboard.press("Home")
    assert visible_lists(page) == ["7d"]
    tabs.nth(1).click()
    assert visible_lists(page) == ["30d"]
    assert "#" not in page.url  # a switch, not a jump
    panel = box.locator("#tin-xem-nhieu-30d")
    assert panel.get_attribute("role") == "tabpanel"
    assert panel.get_attribute("aria-labelledby") == tabs.nth(1).get_attribute("id")
    assert errors == []


def test_most_read_without_javascript_first_list_others_by_link(served):
    base, _, _ = served
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"]
        )
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "/")
        assert visible_lists(page) == ["7d"]
        page.get_by_role("link", name="Tất cả", exact=True).click()
        assert visible_lists(page) == ["all"]
        page.get_by_role("link", name="30 ngày", exact=True).click()
        assert visible_lists(page) == ["30d"]
        browser.close()


def test_fresh_counts_keep_to_the_threshold(served, page):
    base, output, store = served
    baked = json.loads((output / "views.json").read_text(encoding="utf-8"))
    least = 10  # VIEW_COUNTS["min_shown"]'s default, in the page as data-views-min
    low = next(p for p, a in baked["articles"].items() if a["views"] < least)
    html = parse_html(output / low.strip("/") / "index.html")
    assert "hidden" in html.css_first("[data-views-own]").attributes
    # After the build, that article gets over the threshold and a listed one falls under it
    # (a store rebuilt from fewer logs): the page follows views.json both ways.
    first = baked["most_read"]["7d"][0][0]
    assert baked["articles"][first]["views"] >= least
    with sqlite3.connect(store) as conn:
        conn.execute("INSERT INTO daily VALUES ('2026-11-29', ?, ?)", (PATH_TO_ID[low], least))
        for table in ("daily", "provisional"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (PATH_TO_ID[first],))
        conn.execute("INSERT INTO daily VALUES ('2026-11-29', ?, 3)", (PATH_TO_ID[first],))
    assert main(["export", "--site", str(output), "--store", str(store)]) == 0
    fresh = json.loads((output / "views.json").read_text(encoding="utf-8"))
    page.goto(base + low)
    own = page.locator("[data-views-own]")
    playwright_api.expect(own).to_be_visible()
    playwright_api.expect(own.locator(".views.nowrap")).to_have_text(
        f"Lượt xem: {vi_number(fresh['articles'][low]['views'])}"
    )
    # In the lists: a number only from the threshold up.
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    assert fresh["articles"][first]["views"] == 3
    playwright_api.expect(
        page.locator(f'ol[data-window="7d"] li:has(a[href="{first}"]) .views')
    ).to_have_count(0)
    for window, items in fresh["most_read"].items():
        counts = dict(items)
        for li in page.locator(f'ol[data-window="{window}"] li').all():
            n = counts[li.locator("a").get_attribute("href")]
            views = li.locator(".views")
            if n >= least:
                assert views.text_content() == f"Lượt xem: {vi_number(n)}"
            else:
                assert views.count() == 0
    assert "Lượt xem: 0" not in page.locator("main").inner_text()
