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
