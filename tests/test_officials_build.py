"""Build test of the officials plugin: pages, date-correct titles, links, escaping, errors."""

import logging
import re

import pytest
from conftest import parse
from pelican.log import LimitFilter


@pytest.fixture
def site(site_builder, content_copy):
    content = content_copy("officials")
    return site_builder(content, OFFICIALS={"per_page": 2}, DEFAULT_ORPHANS=0)


def officials_listed(page):
    return {
        li.attributes["data-official"]: " ".join(li.text().split())
        for li in page.css("section.article-officials li")
    }


def messages(records, level):
    """What the officials plugin logged at `level`."""
    return [r.getMessage() for r in records if r.name == "officials" and r.levelno == level]


def test_title_is_the_one_held_on_the_article_date(site):
    before = parse(site / "tin-hoat-dong" / "tiep-cong-dan-dinh-ky-thang-5" / "index.html")
    after = parse(site / "tin-hoat-dong" / "so-ket-cong-tac-6-thang-dau-nam-2022" / "index.html")
    assert officials_listed(before) == {"le-quang-thuy": "Lê Quang Thuỷ – Phó Chủ tịch UBND phường"}
    listed = officials_listed(after)
    assert listed["le-quang-thuy"] == "Lê Quang Thuỷ – Chủ tịch UBND phường"
    assert set(listed) == {"le-quang-thuy", "tran-thi-thu-ha"}
    counts = {
        li.attributes["data-official"]: li.attributes["data-mentions"]
        for li in after.css("section.article-officials li")
    }
    # Heading 1, figure (alt and caption) 1, paragraph 1, existing link 1.
    assert counts == {"le-quang-thuy": "4", "tran-thi-thu-ha": "1"}


def test_first_body_mention_is_linked_not_headings_or_links(site):
    page = parse(site / "tin-hoat-dong" / "so-ket-cong-tac-6-thang-dau-nam-2022" / "index.html")
    body = page.css_first(".article-body")
    links = body.css("a.official-link")
    assert [(a.attributes["href"], a.text()) for a in links] == [
        ("/can-bo/tran-thi-thu-ha/", "Trần Thị Thu Hà"),
        ("/can-bo/le-quang-thuy/", "Lê Quang Thủy"),
    ]
    assert links[1].parent.tag == "figcaption"
    assert not body.css("h2 a")
    index_link = page.css_first("section.article-officials p a")
    assert index_link.attributes["href"] == "/can-bo/"
    assert body.css_first('a[href="https://example.org/bai"]').text() == "bài của Lê Quang Thuỷ"
    assert body.css_first("img").attributes["alt"] == "Đ/c Lê Quang Thuỷ phát biểu"


def test_official_page_positions_and_articles_newest_first(site):
    page = parse(site / "can-bo" / "le-quang-thuy" / "index.html")
    assert page.css_first("h1").text() == "Lê Quang Thuỷ"
    positions = [" ".join(li.text().split()) for li in page.css("ol.official-positions li")]
    assert positions == [
        "Chủ tịch UBND phường (01/04/2022 – nay)",
        "Phó Chủ tịch UBND phường (01/06/2019 – 31/03/2022)",
    ]
    titles = [" ".join(a.text().split()) for a in page.css(".official-articles a")]
    assert titles == [
        "Phát biểu tại lễ phát động Tết trồng cây",
        "Sơ kết công tác 6 tháng đầu năm 2022",
    ]
    second = parse(site / "can-bo" / "le-quang-thuy" / "trang" / "2" / "index.html")
    assert [" ".join(a.text().split()) for a in second.css(".official-articles a")] == [
        "Tiếp công dân định kỳ tháng 5"
    ]
    assert page.css_first('a[rel="next"]').attributes["href"] == "/can-bo/le-quang-thuy/trang/2/"


def test_registry_text_is_escaped(site):
    page = parse(site / "can-bo" / "tran-thi-thu-ha" / "index.html")
    html = (site / "can-bo" / "tran-thi-thu-ha" / "index.html").read_text(encoding="utf-8")
    assert (
        page.css_first(".official-title").text()
        == 'Bí thư Đảng ủy phường <b>Thượng Thanh</b> & "khu 5"'
    )
    assert "&lt;b&gt;Thượng Thanh&lt;/b&gt; &amp;" in html
    assert not page.css("main b")


def test_speaker_and_metadata_officials(site):
    page = parse(
        site / "phat-bieu-chi-dao" / "phat-bieu-tai-le-phat-dong-tet-trong-cay" / "index.html"
    )
    box = page.css_first("aside.speaker-box")
    assert box.attributes["data-official"] == "le-quang-thuy"
    assert box.css_first("a").attributes["href"] == "/can-bo/le-quang-thuy/"
    assert box.css_first(".official-title").text() == "Chủ tịch UBND phường"
    assert list(officials_listed(page)) == ["le-quang-thuy", "tran-thi-thu-ha"]


def test_index_groups_officials_by_body(site):
    page = parse(site / "can-bo" / "index.html")
    groups = {
        section.css_first("h2").text(): [li.attributes["data-official"] for li in section.css("li")]
        for section in page.css("section.officials-group")
    }
    assert groups == {
        "Đảng ủy": ["tran-thi-thu-ha"],
        "Ủy ban nhân dân": ["le-quang-thuy", "nguyen-van-hung"],
        "Các đoàn thể": ["nguyen-van-hung-ccb"],
    }


def test_same_name_undecided_is_a_warning_with_file_and_line(site, caplog):
    page = parse(site / "tin-hoat-dong" / "doi-thoai-voi-nhan-dan" / "index.html")
    assert officials_listed(page) == {}
    warnings = messages(caplog.get_records("setup"), logging.WARNING)
    assert len(warnings) == 1
    assert "bai-viet/trung-ten.md:7:" in warnings[0]
    assert "nguyen-van-hung" in warnings[0] and "nguyen-van-hung-ccb" in warnings[0]


def test_unknown_id_in_metadata_is_an_error_with_file_and_line(site_builder, content_copy, caplog):
    content = content_copy("officials")
    path = content / "bai-viet" / "phat-bieu.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Officials: tran-thi-thu-ha", "Officials: khong-co-ai"
        ),
        encoding="utf-8",
    )
    site = site_builder(content)
    errors = messages(caplog.records, logging.ERROR)
    assert any("bai-viet/phat-bieu.md:5:" in e and "khong-co-ai" in e for e in errors), errors
    # Nothing else is lost: the speaker is still there.
    page = parse(
        site / "phat-bieu-chi-dao" / "phat-bieu-tai-le-phat-dong-tet-trong-cay" / "index.html"
    )
    assert list(officials_listed(page)) == ["le-quang-thuy"]


def test_bad_registry_is_an_error_naming_the_line_and_keeps_the_rest(
    site_builder, content_copy, caplog
):
    content = content_copy("officials")
    registry = content / "data" / "officials.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("from: 2022-04-01", "from: 2022-03-01"),
        encoding="utf-8",
    )
    site = site_builder(content)
    errors = messages(caplog.records, logging.ERROR)
    assert any(re.search(r"officials\.yml:7: .*trùng thời gian", e) for e in errors), errors
    # The broken entry is left out; the others are still tagged and get their pages.
    assert not (site / "can-bo" / "le-quang-thuy").exists()
    assert (site / "can-bo" / "tran-thi-thu-ha" / "index.html").is_file()


def tagging_counts(caplog):
    """(articles tagged, of which from the cache) from the plugin's log line."""
    for record in caplog.records:
        found = re.search(r"tagged (\d+) articles \((\d+) unchanged", record.getMessage())
        if found:
            return int(found.group(1)), int(found.group(2))
    raise AssertionError("no tagging line in the log")


def fresh_log(caplog):
    """Forget what was logged: Pelican drops a message already logged in this process (as a
    second build in the same process would), but each `make html` is a process of its own."""
    caplog.clear()
    LimitFilter._raised_messages.clear()


def html_files(output):
    return {p.relative_to(output): p.read_bytes() for p in output.rglob("*.html")}


def test_a_rebuild_takes_unchanged_articles_from_the_cache_and_writes_the_same_site(
    site_builder, content_copy, caplog, tmp_path
):
    content = content_copy("officials")
    fresh_log(caplog)
    first = html_files(site_builder(content, OFFICIALS={"per_page": 2}, DEFAULT_ORPHANS=0))
    total, cached = tagging_counts(caplog)
    assert cached == 0 and (tmp_path / "var" / "officials" / "tags.json").is_file()
    fresh_log(caplog)
    second = site_builder(content, OFFICIALS={"per_page": 2}, DEFAULT_ORPHANS=0)
    # The articles are kept as read, tagged: only the one whose tagging warns is read and
    # tagged again (it is never kept, so the warning comes again, with its file and line).
    assert tagging_counts(caplog) == (1, 0)
    warnings = messages(caplog.records, logging.WARNING)
    assert len(warnings) == 1 and "bai-viet/trung-ten.md:7:" in warnings[0], warnings
    assert html_files(second) == first
    # Read again (not kept between processes), every article but that one has its tags
    # from the cache: the kept articles' entries stayed in its file.
    fresh_log(caplog)
    third = site_builder(
        content,
        OFFICIALS={"per_page": 2},
        DEFAULT_ORPHANS=0,
        INCREMENTAL={"keep_content": False},
    )
    assert tagging_counts(caplog) == (total, total - 1)
    assert html_files(third) == first


def test_an_edited_article_or_registry_is_tagged_anew(site_builder, content_copy, caplog):
    content = content_copy("officials")
    fresh_log(caplog)
    site_builder(content)
    total, _ = tagging_counts(caplog)
    article = content / "bai-viet" / "phat-bieu.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nĐ/c Trần Thị Thu Hà dự buổi lễ.\n",
        encoding="utf-8",
    )
    fresh_log(caplog)
    site_builder(content)
    assert tagging_counts(caplog) == (2, 0)  # read again: the edited one and the warning one

    registry = content / "data" / "officials.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "title: Chủ tịch UBND phường", "title: Chủ tịch Ủy ban nhân dân phường"
        ),
        encoding="utf-8",
    )
    fresh_log(caplog)
    site = site_builder(content)
    assert tagging_counts(caplog) == (total, 0)
    page = parse(site / "tin-hoat-dong" / "so-ket-cong-tac-6-thang-dau-nam-2022" / "index.html")
    assert officials_listed(page)["le-quang-thuy"].endswith("Chủ tịch Ủy ban nhân dân phường")


def test_a_cache_that_cannot_be_written_does_not_stop_publishing(
    site_builder, content_copy, caplog, tmp_path
):
    content = content_copy("officials")
    (content / "bai-viet" / "trung-ten.md").unlink()  # the one article that warns
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    fresh_log(caplog)
    site = site_builder(
        content, OFFICIALS={"cache": str(blocker / "tags.json")}, BUILD_REPORT={"fail": True}
    )
    assert (site / "can-bo" / "le-quang-thuy" / "index.html").is_file()
    notes = [r.getMessage() for r in caplog.records if "không ghi được" in r.getMessage()]
    assert len(notes) == 1 and "not-a-folder" in notes[0]
