"""Build tests of the sample site through `make publish`, as staff run it."""

import os
import re
import shutil
import subprocess
import unicodedata
from datetime import datetime, timedelta

import pytest
from conftest import ROOT, parse

SITEURL = "https://phuong.example.test"
DRAFT_MARKERS = ["BAN-NHAP-BI-MAT", "ban-nhap-bi-mat", "HEN-GIO-TUONG-LAI", "hen-gio-tuong-lai",
                 "AN-NOI-BO", "an-noi-bo", "TRANG-NHAP-RIENG", "trang-nhap-rieng"]  # fmt: skip


def make_publish(content, output, check=True):
    env = {**os.environ, "SITEURL": SITEURL}
    proc = subprocess.run(
        ["make", "--no-print-directory", "publish", f"INPUTDIR={content}", f"OUTPUTDIR={output}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def article(title, date, extra="", body="Nội dung."):
    return f"Title: {title}\nDate: {date}\nCategory: Thông báo\n{extra}\n{body}\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The sample content plus unpublished pieces and an NFD article, built by make publish."""
    tmp = tmp_path_factory.mktemp("publish")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    extra = content / "bai-viet" / "kiem-thu"
    extra.mkdir()
    future = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    (extra / "nhap.md").write_text(
        article("Bản nháp BAN-NHAP-BI-MAT", "2024-01-02 08:00", "Status: draft\n"), "utf-8"
    )
    (extra / "hen-gio.md").write_text(article("Thông báo HEN-GIO-TUONG-LAI", future), "utf-8")
    (extra / "an.md").write_text(
        article("Bài AN-NOI-BO", "2024-01-03 08:00", "Status: hidden\n"), "utf-8"
    )
    (content / "pages" / "nhap.md").write_text(
        "Title: Trang TRANG-NHAP-RIENG\nStatus: draft\n\nChưa xong.\n", "utf-8"
    )
    nfd = unicodedata.normalize(
        "NFD",
        article(
            "Hội nghị Đảng ủy phường Thượng Thanh",
            "2024-02-01 10:00",
            "Tags: Đoàn thể, Chính quyền đô thị\n",
            "Đồng chí Phạm Thị Minh Hồng – Bí thư Đảng ủy phường phát biểu.",
        ),
    )
    assert not unicodedata.is_normalized("NFC", nfd)
    (extra / "nfd.md").write_bytes(nfd.encode("utf-8"))
    output = tmp / "output"
    proc = make_publish(content, output)
    return output, proc


def html_files(output):
    return sorted(output.rglob("*.html"))


def test_every_page_type_exists(published):
    output, _ = published
    for path in [
        "index.html", "404.html", "thong-bao/index.html", "tin-hoat-dong/index.html",
        "chuyen-muc/index.html", "the/index.html", "tac-gia/index.html", "luu-tru/index.html",
        "luu-tru/2022/index.html", "luu-tru/2022/07/index.html", "gioi-thieu/index.html",
        "feeds/all.atom.xml", "feeds/thong-bao.atom.xml",
    ]:  # fmt: skip
        assert (output / path).is_file(), path
    assert list(output.glob("the/*/index.html")), "no tag page"
    assert list(output.glob("tac-gia/*/index.html")), "no author page"
    assert len(list(output.glob("*/*/index.html"))) >= 15, "fewer than 15 article pages"


def test_urls_are_ascii_and_pretty(published):
    output, _ = published
    for path in output.rglob("*"):
        rel = path.relative_to(output).as_posix()
        assert re.fullmatch(r"[a-z0-9/._-]+", rel), rel
        if path.suffix == ".html" and rel != "404.html":
            assert path.name == "index.html", rel


def test_dates_and_labels_are_vietnamese(published):
    output, _ = published
    seed = output / "hoat-dong-cac-phuong"
    pages = list(seed.glob("*/index.html"))
    assert pages
    texts = [parse(p).body.text() for p in pages]
    assert any("Ngày đăng 06/07/2022 | 09:54" in " ".join(t.split()) for t in texts)
    for page in html_files(output):
        tree = parse(page)
        # the English pages (officials plugin) are the only ones in English
        english = page.relative_to(output).as_posix().startswith("en/")
        assert tree.css_first("html").attributes["lang"] == ("en" if english else "vi"), page
    home = parse(output / "index.html")
    assert "Trang chủ" in home.body.text()
    times = home.css("time")
    assert times
    for t in times:
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \| \d\d:\d\d", t.text()), t.text()
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+07:00", t.attributes["datetime"])


def test_nfd_article_comes_out_nfc(published):
    output, _ = published
    page = output / "thong-bao" / "hoi-nghi-dang-uy-phuong-thuong-thanh" / "index.html"
    text = page.read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    heading = parse(page).css_first("h1").text().replace("\xa0", " ")  # widont
    assert heading == "Hội nghị Đảng ủy phường Thượng Thanh"
    assert "Phạm Thị Minh Hồng" in text
    assert (output / "the" / "doan-the" / "index.html").is_file()
    assert unicodedata.is_normalized("NFC", (output / "feeds" / "all.atom.xml").read_text("utf-8"))


def test_whole_output_is_nfc(published):
    output, _ = published
    for path in output.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".txt"}:
            assert unicodedata.is_normalized("NFC", path.read_text("utf-8")), path


def test_figures_have_captions(published):
    output, _ = published
    figures = [
        fig for page in output.glob("*/*/index.html") for fig in parse(page).css("main figure")
    ]
    assert len(figures) >= 10
    for fig in figures:
        img = fig.css_first("img")
        assert img is not None and img.attributes.get("alt")
        assert fig.css_first("figcaption").text().strip()
        assert "title" not in img.attributes


def test_nothing_unpublished_anywhere(published):
    output, _ = published
    assert not (output / "ban-nhap").exists()
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
            text = path.read_text("utf-8")
            for marker in DRAFT_MARKERS:
                assert marker not in text, (marker, path)
        for marker in DRAFT_MARKERS:
            assert marker not in str(path), path
    # The sample content's own draft is not published either.
    for source in (ROOT / "content" / "bai-viet").rglob("*.md"):
        head = source.read_text("utf-8").split("\n\n", 1)[0]
        if re.search(r"^Status:\s*draft", head, re.M | re.I):
            title = re.search(r"^Title:\s*(.+)$", head, re.M)[1].strip()
            for page in html_files(output):
                assert title not in page.read_text("utf-8"), (title, page)


def test_links_are_absolute_in_production(published):
    output, _ = published
    tree = parse(output / "index.html")
    hrefs = [a.attributes["href"] for a in tree.css("a[href]")]
    internal = [h for h in hrefs if not h.startswith(("#", "mailto:", "tel:"))]
    assert internal
    assert all(h.startswith(SITEURL) for h in internal if "example.test" in h or h.startswith("/"))
    assert not [h for h in internal if h.startswith("/")]


def test_typogrify_leaves_vietnamese_capitals_alone(published):
    output, _ = published
    for page in html_files(output):
        text = page.read_text("utf-8")
        assert 'class="caps"' not in text, page
        title = re.search(r"<title>(.*?)</title>", text, re.S)[1]
        assert "<" not in title, (page, title)
        for meta in re.findall(r"<meta [^>]*content=\"([^\"]*)\"", text):
            assert "<" not in meta and "&lt;" not in meta, (page, meta)
    feed = (output / "feeds" / "all.atom.xml").read_text("utf-8")
    titles = re.findall(r"<title>(.*?)</title>", feed)
    assert titles and not [t for t in titles if "&lt;" in t or "<" in t]


def test_publish_reports_what_it_did(published):
    _, proc = published
    assert "Done: Processed" in proc.stdout + proc.stderr


BAD_INPUT = [
    (
        "broken date",
        "Title: Lịch tiếp dân\nDate: 32/13/2024\nCategory: Thông báo\n\nNội dung.\n",
        r"loi\.md:2: ngày '32/13/2024'",
    ),
    (
        "missing title",
        "Date: 2024-03-01 08:00\nCategory: Thông báo\n\nNội dung.\n",
        r"loi\.md:1: thiếu mục 'Title'",
    ),
    (
        "unknown category",
        "Title: Lịch tiếp dân\nDate: 2024-03-01 08:00\nCategory: Tin tuc\n\nNội dung.\n",
        r"loi\.md:3: chuyên mục 'Tin tuc'",
    ),
    (
        "unknown status",
        "Title: Lịch tiếp dân\nDate: 2024-03-01 08:00\nCategory: Thông báo\nStatus: dang\n\nx\n",
        r"loi\.md:4: trạng thái 'dang'",
    ),
    (
        "image that does not exist",
        "Title: Lịch tiếp dân\nDate: 2024-03-01 08:00\nCategory: Thông báo\n\nẢnh:\n\n"
        "![Hội trường](images/khong-co.jpg)\n",
        r"loi\.md:7: không tìm thấy ảnh 'images/khong-co.jpg'",
    ),
]


@pytest.mark.parametrize(
    ("source", "message"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_fails_publish_and_names_the_file(tmp_path, source, message):
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "pages").mkdir()
    shutil.copy(ROOT / "content" / "pages" / "404.md", content / "pages")
    (content / "bai-viet" / "tot.md").write_text(
        article("Bài viết đúng", "2024-03-01 07:00"), "utf-8"
    )
    (content / "bai-viet" / "loi.md").write_text(source, "utf-8")
    proc = make_publish(content, tmp_path / "output", check=False)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log
    assert re.search(message, log), log
    # The good article is still built: one mistake loses nothing else.
    assert (tmp_path / "output" / "thong-bao" / "bai-viet-dung" / "index.html").is_file()


def test_a_crash_is_reported_not_swallowed(tmp_path):
    """An exception in the middle of the build reaches the terminal in plain log mode."""
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "bai-viet" / "tot.md").write_text(
        article("Bài viết đúng", "2024-03-01 07:00"), "utf-8"
    )
    (content / "pages" / "p.md").write_text("Title: Trang\nTemplate: khong-co\n\nx\n", "utf-8")
    proc = make_publish(content, tmp_path / "output", check=False)
    assert proc.returncode != 0
    assert "unable to load khong-co" in proc.stderr
