"""The sitemap plugin: which pages are listed, the two texts, and a publish-like build."""

import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURES, build_site

from sitemap.logic import (
    SettingsError,
    excluded,
    page_url,
    parse_settings,
    robots_txt,
    scan_output,
    sitemap_xml,
)

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize(
    ("rel", "url"),
    [("index.html", ""), ("a/b/index.html", "a/b/"), ("404.html", "404.html")],
    ids=["home", "folder", "file"],
)
def test_page_url(rel, url):
    assert page_url(rel) == url


@pytest.mark.parametrize(
    ("rel", "expected"),
    [("404.html", True), ("ban-nhap/x/index.html", True), ("a/404.html", False),
     ("ban-nhap-khac/index.html", False), ("tin/index.html", False)],
    ids=["exact-file", "in-folder", "file-elsewhere", "folder-prefix-only", "kept"],
)  # fmt: skip
def test_excluded(rel, expected):
    assert excluded(rel, ["404.html", "ban-nhap/"]) is expected


@pytest.mark.parametrize(
    "given",
    [{"exclude": "404.html"}, {"disallow": [1]}, {"other": []}, [], {"write": "no"}],
    ids=["exclude-not-list", "disallow-not-str", "unknown", "not-dict", "write-not-bool"],
)
def test_settings_bad(given):
    with pytest.raises(SettingsError):
        parse_settings({"SITEMAP": given})


def test_scan_skips_noindex_and_reads_lastmod(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<meta property="article:modified_time" content="2022-07-07T08:30:00+07:00">', "utf-8"
    )
    (tmp_path / "index.html").write_text("<p>home</p>", "utf-8")
    (tmp_path / "hidden.html").write_text('<meta name="robots" content="noindex">', "utf-8")
    assert scan_output(tmp_path, []) == [("", None), ("a/", "2022-07-07T08:30:00+07:00")]


def test_sitemap_xml_escapes_and_parses():
    text = sitemap_xml("https://x.test", [("a&b/", None), ("c/", "2022-01-01T00:00:00+07:00")])
    root = ET.fromstring(text.encode())
    assert [u.find("s:loc", NS).text for u in root] == ["https://x.test/a&b/", "https://x.test/c/"]


def test_robots_txt():
    assert robots_txt("https://x.test", ["/ban-nhap/"]) == (
        "User-agent: *\nDisallow: /ban-nhap/\nSitemap: https://x.test/sitemap.xml\n"
    )


def test_build_writes_sitemap_without_drafts_or_404(tmp_path):
    out = build_site(
        FIXTURES / "theme",
        tmp_path / "output",
        "publishconf.py",
        SITEURL="https://phuong.example.test",
        FEED_DOMAIN="https://phuong.example.test",
    )
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = [u.find("s:loc", NS).text for u in root]
    assert "https://phuong.example.test/" in locs
    assert "https://phuong.example.test/gioi-thieu/" in locs
    assert not any("ban-nhap" in loc or "404" in loc or "tim-kiem" in loc for loc in locs)
    article = next(u for u in root if "/hoi-nghi-so-ket-cong-tac" in u.find("s:loc", NS).text)
    assert article.find("s:lastmod", NS).text == "2022-07-07T08:30:00+07:00"
    robots = (out / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://phuong.example.test/sitemap.xml" in robots
    # Feeds of publishconf: site-wide and per category, linked from the head.
    assert (out / "feeds" / "all.atom.xml").is_file()
    assert (out / "feeds" / "thong-bao.atom.xml").is_file()
    head = (out / "thong-bao" / "index.html").read_text("utf-8")
    assert 'href="https://phuong.example.test/feeds/thong-bao.atom.xml"' in head
