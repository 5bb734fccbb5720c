"""view_counts at build time: counts and most-read lists on the pages match the store;
nothing of an IP address or a user agent reaches the store or the output."""

import ipaddress
import json
import re
import sqlite3
from collections import Counter
from contextlib import closing

import pytest
from conftest import parse
from test_view_counts_import import ID, run_import, scenario, write_log

from vietnamese.formatting import vi_number
from view_counts.cli import main

OLD_DAY = "2026-10-02"
MIN_SHOWN = 10  # VIEW_COUNTS["min_shown"]'s default


def store_totals(store, since=None):
    with sqlite3.connect(store) as conn:
        # What readers see: the final counts plus the provisional ones of the last hour.
        sql = (
            "SELECT article_id, SUM(views) FROM "
            "(SELECT * FROM daily UNION ALL SELECT * FROM provisional)"
        )
        rows = (
            conn.execute(sql + " WHERE day >= ? GROUP BY article_id", (since,))
            if since
            else conn.execute(sql + " GROUP BY article_id")
        )
        return Counter(dict(rows))


def ranked(totals, listed):
    """Most read first; ties: the newer article first (the order of `listed`)."""
    order = {article_id: i for i, article_id in enumerate(listed)}
    items = [(a, n) for a, n in totals.items() if a in order and n]
    return sorted(items, key=lambda item: (-item[1], order[item[0]]))[:5]


@pytest.fixture
def counted_site(tmp_path, content_copy, site_builder):
    """The fixture site built once without a store (for the URL map), the scenario log
    imported, a month-old day added, then the site built again with the store."""
    content = content_copy("view_counts")
    store = tmp_path / "var" / "views.sqlite3"
    store.parent.mkdir()
    first = site_builder(content, VIEW_COUNTS={"store": str(store)})
    log = write_log(tmp_path / "access.log", scenario().lines())
    run_import(store, [log], first)
    with sqlite3.connect(store) as conn:
        conn.execute(
            "INSERT INTO daily VALUES (?, ?, 1200)",
            (OLD_DAY, ID["/cai-cach-hanh-chinh/huong-dan-thu-tuc-dang-ky-khai-sinh/"]),
        )
    output = site_builder(content, VIEW_COUNTS={"store": str(store)})
    return output, store, log


LISTED = [  # newest first, as the fixture's dates say
    "bai-viet/2026/lich-tiep-dan.md",
    "bai-viet/2026/hoi-nghi-tong-ket.md",
    "bai-viet/2026/ve-sinh-moi-truong.md",
    "bai-viet/2026/thu-tuc-hanh-chinh.md",
]
PATH_OF = {article_id: path for path, article_id in ID.items()}


def test_article_pages_show_the_store_counts(counted_site):
    output, store, _ = counted_site
    totals = store_totals(store)
    assert totals[ID["/cai-cach-hanh-chinh/huong-dan-thu-tuc-dang-ky-khai-sinh/"]] > 1200
    shown = 0
    for path, article_id in ID.items():
        page = parse(output / path.strip("/") / "index.html")
        meta = page.css_first("article .meta")
        own = meta.css_first("[data-views-own]")
        assert own.attributes["data-views-min"] == str(MIN_SHOWN)
        if totals[article_id] >= MIN_SHOWN:
            # label and number in one unbreakable value
            assert meta.css_first(".views.nowrap").text() == (
                f"Lượt xem: {vi_number(totals[article_id])}"
            ), path
            assert "hidden" not in own.attributes
            shown += 1
        else:  # below VIEW_COUNTS["min_shown"]: no number, an empty place for the script
            assert "Lượt xem" not in meta.text(), path
            assert "hidden" in own.attributes and own.text() == ""
    assert 0 < shown < len(ID)  # the fixture has counts on both sides of the threshold
    assert (
        "Lượt xem: 1.2"
        in parse(output / "cai-cach-hanh-chinh/huong-dan-thu-tuc-dang-ky-khai-sinh/index.html")
        .css_first("article .meta")
        .text()
    )


def shown_views(n):
    return f"Lượt xem: {vi_number(n)}" if n >= MIN_SHOWN else None


def test_home_page_most_read_lists_match_the_store(counted_site):
    output, store, _ = counted_site
    page = parse(output / "index.html")
    lists = {ol.attributes["data-window"]: ol for ol in page.css("section.most-read ol")}
    assert set(lists) == {"7d", "30d", "all"}
    assert page.css_first("section.most-read").attributes["data-views-min"] == str(MIN_SHOWN)
    as_of = "2026-11-28"
    since = {"7d": "2026-11-22", "30d": "2026-10-30", "all": None}
    for key, ol in lists.items():
        # (the fixture has no pinned announcement and no photo: the home page leaves out none)
        expected = ranked(store_totals(store, since[key]), LISTED)
        shown = [
            (
                li.css_first("a").attributes["href"],
                li.css_first(".views.nowrap").text() if li.css_first(".views") else None,
            )
            for li in ol.css("li")
        ]
        assert shown == [(PATH_OF[a], shown_views(n)) for a, n in expected], key

    # the month-old day counts for all time only
    def shown_count(key, href):
        for li in lists[key].css("li"):
            if li.css_first("a").attributes["href"] == href:
                return int(li.css_first(".views").text().split(": ")[1].replace(".", ""))
        return 0

    d_path = "/cai-cach-hanh-chinh/huong-dan-thu-tuc-dang-ky-khai-sinh/"
    assert shown_count("all", d_path) - shown_count("7d", d_path) == 1200
    views = json.loads((output / "views.json").read_text(encoding="utf-8"))
    assert views["as_of"] == as_of


def test_views_json_matches_the_store(counted_site):
    output, store, _ = counted_site
    views = json.loads((output / "views.json").read_text(encoding="utf-8"))
    totals = store_totals(store)
    assert {p: a["views"] for p, a in views["articles"].items()} == {
        p: totals[a] for p, a in ID.items()
    }
    assert views["articles"]["/thong-bao/bai-an-khong-liet-ke/"]["listed"] is False
    assert all(p != "/thong-bao/bai-an-khong-liet-ke/" for p, _ in views["most_read"]["all"])


def test_export_refreshes_views_json_without_a_build(counted_site, tmp_path, capsys):
    output, store, _ = counted_site
    with sqlite3.connect(store) as conn:
        conn.execute("INSERT INTO daily VALUES ('2026-11-29', ?, 7)", (LISTED[0],))
    assert main(["export", "--site", str(output), "--store", str(store)]) == 0
    views = json.loads((output / "views.json").read_text(encoding="utf-8"))
    assert views["as_of"] == "2026-11-29"
    assert views["articles"][PATH_OF[LISTED[0]]]["views"] == store_totals(store)[LISTED[0]]


def test_without_a_store_pages_show_no_count(content_copy, site_builder, tmp_path):
    output = site_builder(
        content_copy("view_counts"), VIEW_COUNTS={"store": str(tmp_path / "none.sqlite3")}
    )
    page = parse(output / "tin-hoat-dong/ra-quan-ve-sinh-moi-truong/index.html")
    assert "Lượt xem" not in page.css_first("article .meta").text()
    assert parse(output / "index.html").css_first("section.most-read") is None


def test_required_store_stops_the_build(content_copy, site_builder, tmp_path):
    with pytest.raises(Exception, match="chưa có kho số liệu"):
        site_builder(
            content_copy("view_counts"),
            VIEW_COUNTS={"store": str(tmp_path / "none.sqlite3"), "required": True},
        )


# --- privacy ------------------------------------------------------------------------


def spellings(ip):
    """The ways an address could be written down."""
    address = ipaddress.ip_address(ip)
    forms = {ip, str(address), address.exploded}
    if address.version == 6:
        forms.add(str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64))).split("/")[0])
        if address.ipv4_mapped:
            forms.add(str(address.ipv4_mapped))
    return forms


def test_no_ip_or_user_agent_in_store_or_output(counted_site, tmp_path):
    output, store, log = counted_site
    assert main(["export", "--site", str(output), "--store", str(store)]) == 0
    text = log.read_text(encoding="utf-8", errors="replace")
    ips = set(re.findall(r"^(\S+) - -", text, flags=re.M)) - {"not-an-ip"}
    agents = {a for a in re.findall(r'" \d{3} \d+ "[^"]*" "([^"]*)"', text) if len(a) > 8}
    needles = {form.encode() for ip in ips for form in spellings(ip) if len(form) >= 7}
    needles |= {a.encode() for a in agents}
    needles |= {
        b"Googlebot",
        b"SM-A525F",
        b"facebookexternalhit",
        b"HeadlessChrome",
        b"Zalo android",
    }
    assert len(ips) > 50 and len(agents) >= 6
    files = [p for p in store.parent.iterdir() if p.is_file()]
    files += [p for p in output.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files)
    for path in files:
        data = path.read_bytes()
        found = [n for n in needles if n in data]
        assert not found, f"{path} holds {found[:3]}"
    # and the secret key file is not in the output
    assert not list(output.rglob("*.secret"))
    # Every table that can hold something of a visitor or a line held some during the scan,
    # as 16-byte keyed hashes only; a new table must be added here.
    with closing(sqlite3.connect(store)) as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {
            "meta", "daily", "provisional", "buffer", "urls", "files", "line_hashes",
            "recent_visits",
        }  # fmt: skip
        for table, columns in {
            "buffer": ("visitor", "previous"),
            "line_hashes": ("hash",),
            "files": ("fingerprint",),
        }.items():
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0, table
            for column in columns:
                sizes = conn.execute(
                    f"SELECT DISTINCT length({column}), typeof({column}) FROM {table} "
                    f"WHERE {column} IS NOT NULL"
                ).fetchall()
                # (`previous` is set only in the first half hour of a day)
                assert sizes == [(16, "blob")] or (column == "previous" and not sizes), (
                    table,
                    column,
                    sizes,
                )


# --- what pages show: the threshold, the home page's most-read box --------------------------


ZERO = re.compile(r"Lượt xem: 0(?![\d.,])")


def test_no_page_shows_a_count_below_the_threshold(counted_site, site_builder):
    output, store, _ = counted_site
    pages = list(output.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not ZERO.search(text), page
        for shown in re.findall(r"Lượt xem: ([\d.]+)", text):
            assert int(shown.replace(".", "")) >= MIN_SHOWN, page
    # min_shown is a setting: at 1, every article read at all shows its count
    content = output.parent / "content"
    again = site_builder(content, VIEW_COUNTS={"store": str(store), "min_shown": 1})
    totals = store_totals(store)
    for path, article_id in ID.items():
        meta = parse(again / path.strip("/") / "index.html").css_first("article .meta")
        assert meta.css_first("[data-views-own]").attributes["data-views-min"] == "1"
        assert f"Lượt xem: {vi_number(totals[article_id])}" in meta.text(), path


def test_home_most_read_leaves_out_the_pinned_announcement(counted_site, site_builder):
    output, store, _ = counted_site
    content = output.parent / "content"
    source = content / "bai-viet" / "2026" / "lich-tiep-dan.md"
    source.write_text(
        source.read_text("utf-8").replace(
            "Category: Thông báo\n", "Category: Thông báo\nPinned: yes\n"
        ),
        "utf-8",
    )
    pinned = PATH_OF["bai-viet/2026/lich-tiep-dan.md"]
    out = site_builder(content, VIEW_COUNTS={"store": str(store)})
    home = parse(out / "index.html")
    assert [a.attributes["href"] for a in home.css(".pinned a")] == [pinned]
    since = {"7d": "2026-11-22", "30d": "2026-10-30", "all": None}
    for ol in home.css("section.most-read ol[data-window]"):
        key = ol.attributes["data-window"]
        every = ranked(store_totals(store, since[key]), [a for a in LISTED if PATH_OF[a] != pinned])
        assert [li.css_first("a").attributes["href"] for li in ol.css("li")] == [
            PATH_OF[a] for a, _ in every
        ], key
    # nor anywhere below the pinned box
    below = home.css(".home-top, .home-sections, #h-latest + .article-list")
    assert all(a.attributes.get("href") != pinned for node in below for a in node.css("a"))
    # an article page's box is the plain ranking, the pinned announcement included
    other = parse(out / PATH_OF[LISTED[1]].strip("/") / "index.html")
    everywhere = [a.attributes["href"] for a in other.css("section.most-read ol a")]
    assert pinned in everywhere
