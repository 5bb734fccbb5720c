"""Citizens' questions (plugins/questions): the list, a question's page, search marks,
unpublished questions, the page on how to ask, and what staff are told about mistakes.

Two builds of small fixtures: tests/fixtures/questions as the preview builds it (drafts
written under ban-nhap/), tests/fixtures/questions_bad as `make publish` would
(UNPUBLISHED write off), with a mistake per key.
"""

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES, build_site, parse

from questions.logic import personal_data
from questions.settings import SettingsError, parse_settings

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        if not record.getMessage().startswith("Bản dựng có"):  # the summary repeats them
            self.records.append((record.levelname, record.getMessage()))


def build(name, out, **override):
    records = Records()
    logging.getLogger().addHandler(records)
    try:
        build_site(
            FIXTURES / name,
            out,
            QUESTIONS={"now": NOW, "per_page": 2},
            DEFAULT_ORPHANS=0,
            **override,
        )
    finally:
        logging.getLogger().removeHandler(records)
    return records.records


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("questions") / "output"
    return out, build("questions", out)


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    out = tmp_path_factory.mktemp("questions-bad") / "output"
    return out, build("questions_bad", out, UNPUBLISHED={"write": False})


def words(node):
    return " ".join(node.text(separator=" ").split())


def test_list_newest_answer_first_paginated(site):
    out, log = site
    assert not [m for _, m in log if "hoi-dap" in m], log
    first = parse(out / "hoi-dap" / "index.html")
    assert first.css_first("main h1").text() == "Hỏi đáp"
    items = first.css(".question-list > li")
    assert [words(li.css_first("h2")) for li in items] == [
        "Giờ thu gom rác",
        "Đăng ký tạm trú khi thuê trọ",
    ]
    assert [li.css_first("h2 a").attributes["href"] for li in items] == [
        "/hoi-dap/gio-thu-gom-rac/",
        "/hoi-dap/dang-ky-tam-tru-khi-thue-tro/",
    ]
    assert words(items[0].css_first(".meta")) == "Tổ dân phố số 6 · Trả lời ngày 17/11/2026"
    assert words(items[0].css_first(".summary")) == "Xe rác đến lúc mấy giờ?"
    assert words(first.css_first("main > .meta")) == (
        "3 câu hỏi đã được trả lời, câu trả lời mới nhất trước."
    )
    assert first.css_first('.pagination a[rel="next"]').attributes["href"] == "/hoi-dap/trang/2/"
    second = parse(out / "hoi-dap" / "trang" / "2" / "index.html")
    assert [words(h) for h in second.css(".question-list h2")] == ["Trợ cấp hưu trí xã hội"]
    assert second.css_first("link[rel=canonical]").attributes["href"] == "/hoi-dap/trang/2/"
    ask = first.css_first(".question-ask-button")
    assert ask.text() == "Gửi câu hỏi" and ask.attributes["href"] == "/hoi-dap/gui-cau-hoi/"
    # The menu's section (order 30), marked on its pages.
    link = first.css_first('.menu-list a[href="/hoi-dap/"]')
    assert link.text() == "Hỏi đáp" and link.attributes["aria-current"] == "page"


def test_question_page(site):
    out, _ = site
    tree = parse(out / "hoi-dap" / "dang-ky-tam-tru-khi-thue-tro" / "index.html")
    assert words(tree.css_first("title")) == (
        "Đăng ký tạm trú khi thuê trọ – Hỏi đáp – Phường Thượng Thanh"
    )
    assert tree.css_first('meta[name="description"]').attributes["content"] == (
        "Tôi thuê trọ một năm, có phải đăng ký tạm trú không?"
    )
    assert [words(li) for li in tree.css(".breadcrumb li")] == [
        "Trang chủ",
        "Hỏi đáp",
        "Đăng ký tạm trú khi thuê trọ",
    ]
    article = tree.css_first("main article.question")
    assert words(article.css_first("h1")) == "Đăng ký tạm trú khi thuê trọ"
    asked = article.css_first(".question-asked")
    assert words(asked.css_first(".question-text")) == (
        "Tôi thuê trọ một năm, có phải đăng ký tạm trú không?"
    )
    assert words(asked.css_first(".meta")) == "Người hỏi ở: Tổ dân phố số 11 · ngày hỏi 05/11/2026"
    answer = article.css_first(".question-answer")
    assert words(answer.css_first(".meta")) == (
        "Người trả lời: Hoàng Văn Nam – Trưởng Công an phường · Trả lời ngày 12/11/2026"
    )
    assert answer.css_first(".meta a").attributes["href"] == "/can-bo/hoang-van-nam/"
    assert answer.css_first(".meta time").attributes["datetime"] == "2026-11-12T09:00:00+07:00"
    body = answer.css_first(".article-body")
    assert words(body.css_first("h2")) == "Hồ sơ"
    assert [words(li) for li in body.css("ol li")] == ["tờ khai CT01;", "hợp đồng thuê nhà."]
    others = [a.attributes["href"] for a in tree.css(".related a")]
    assert others == ["/hoi-dap/gio-thu-gom-rac/", "/hoi-dap/tro-cap-huu-tri-xa-hoi/"]
    # Answered by a body rather than an official: its name as written, no link.
    body_answer = parse(out / "hoi-dap" / "gio-thu-gom-rac" / "index.html")
    meta = body_answer.css_first(".question-answer .meta")
    assert (
        words(meta) == "Cơ quan trả lời: Phòng Kinh tế, Hạ tầng và Đô thị · Trả lời ngày 17/11/2026"
    )
    assert meta.css_first("a") is None


def test_search_marks_the_question_and_answer(site):
    out, _ = site
    tree = parse(out / "hoi-dap" / "dang-ky-tam-tru-khi-thue-tro" / "index.html")
    body = tree.css_first("[data-pagefind-body]")
    assert body is not None and "question" in body.attributes["class"]
    assert body.attributes["data-pagefind-filter"] == "category:Hỏi đáp"
    assert body.attributes["data-pagefind-sort"] == "date:2026-11-12T09:00:00+07:00"
    filters = [n.attributes["data-pagefind-filter"] for n in body.css("[data-pagefind-filter]")]
    assert filters == ["category:Hỏi đáp", "date:12/11/2026", "year:2026"]  # the body's own first
    for node in body.css("[data-pagefind-ignore]"):
        node.decompose()
    text = words(body)
    assert "Tôi thuê trọ một năm" in text and "hợp đồng thuê nhà" in text
    for label in ("Người hỏi ở", "Trả lời ngày", "Gửi câu hỏi", "Tổ dân phố số 11"):
        assert label not in text
    # Neither the list nor the page on how to ask is indexed; search offers the category.
    for page in ("hoi-dap/index.html", "hoi-dap/gui-cau-hoi/index.html"):
        assert "data-pagefind-body" not in (out / page).read_text("utf-8")
    search = parse(out / "tim-kiem" / "index.html")
    assert "Hỏi đáp" in [o.text() for o in search.css("#loc-muc option")]


def test_unpublished_questions_only_in_the_preview(site, bad):
    out, _ = site
    listed = (out / "hoi-dap" / "index.html").read_text("utf-8")
    listed += (out / "hoi-dap" / "trang" / "2" / "index.html").read_text("utf-8")
    assert "CAU-HOI" not in listed
    for slug, banner in (
        ("cau-hoi-cau-hoi-nhap", "BẢN NHÁP"),
        ("cau-hoi-cau-hoi-hen-gio", "HẸN GIỜ"),
    ):
        assert not (out / "hoi-dap" / slug).exists()
        page = (out / "ban-nhap" / "hoi-dap" / slug / "index.html").read_text("utf-8")
        assert banner in page and '<meta name="robots" content="noindex">' in page
        assert "data-pagefind-body" not in page
    assert "CAU-HOI" not in (out / "sitemap.xml").read_text("utf-8")
    # The manifest names each question page's status: `make deploy` refuses a draft's.
    files = json.loads((out / ".publish-manifest.json").read_text("utf-8"))["files"]
    assert files["ban-nhap/hoi-dap/cau-hoi-cau-hoi-nhap/index.html"] == [
        {"kind": "question", "source": "hoi-dap/nhap.md", "status": "draft",
         "date": "2026-11-20T00:00:00+07:00"}
    ]  # fmt: skip
    assert files["hoi-dap/gio-thu-gom-rac/index.html"][0]["status"] == "published"
    # As `make publish` builds: never written anywhere.
    bad_out, _ = bad
    for path in bad_out.rglob("*"):
        assert "cau-hoi-nhap" not in path.as_posix()
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "CAU-HOI-NHAP" not in path.read_text("utf-8"), path


def test_ask_page_gives_every_way_to_ask(site):
    out, _ = site
    from pelicanconf import WARD

    tree = parse(out / "hoi-dap" / "gui-cau-hoi" / "index.html")
    main = tree.css_first("main")
    assert words(main.css_first("h1")) == "Gửi câu hỏi"
    assert [words(h) for h in main.css("h2")] == [
        "Gọi điện thoại",
        "Gửi thư điện tử",
        "Gửi thư qua bưu điện",
        "Đến hỏi trực tiếp",
        "Phản ánh, kiến nghị qua Cổng Dịch vụ công quốc gia",
        "Câu hỏi được trả lời thế nào",
    ]
    hrefs = [a.attributes["href"] for a in main.css("a")]
    assert "tel:" + WARD["phone"].replace(" ", "") in hrefs
    assert "mailto:" + WARD["email"] in hrefs
    assert WARD["feedback_url"] in hrefs
    assert "/hoi-dap/" in hrefs
    text = words(main)
    assert WARD["address"] in text and WARD["office_hours"] in text
    assert "không có ô nhập câu hỏi" in text
    assert tree.css_first('.menu-list a[href="/hoi-dap/"]').attributes["aria-current"] == "true"


# (case, file, line, level, words of the message)
BAD = [
    ("missing Question", "thieu-cau-hoi.md", 1, "ERROR", "thiếu mục 'Question'"),
    ("Asked not a date", "ngay-hoi-sai.md", 4, "ERROR", "ngày '31/11/2026' ở mục 'Asked'"),
    ("unknown key", "muc-la.md", 5, "ERROR",
     "không có mục thông tin 'anwered-by'. Có phải ý bạn là 'Answered-by'?"),
    ("unknown official", "ma-sai.md", 5, "ERROR",
     "mã cán bộ 'hoang-van-namm' ở mục 'Answered-by' không có trong"),
    ("asked after answered", "hoi-sau-tra-loi.md", 4, "ERROR",
     "ngày hỏi 20/11/2026 sau ngày trả lời 10/11/2026"),
    ("phone number in Question", "so-dien-thoai.md", 2, "WARNING",
     "mục 'Question' có vẻ ghi số điện thoại '0912 345 678' của người hỏi"),
    ("house address in Area", "dia-chi.md", 3, "WARNING",
     "mục 'Area' có vẻ ghi số nhà, ngõ, ngách 'Số nhà 12' của người hỏi"),
    ("no answer", "chua-tra-loi.md", 6, "ERROR", "câu hỏi chưa có câu trả lời"),
    ("one address twice", "trung-2.md", 1, "ERROR",
     "câu hỏi này có cùng đường dẫn 'hoi-dap/trung-duong-dan/' với"),
    ("address of the list's pages", "trang.md", 2, "ERROR",
     "đường dẫn 'trang' trùng một trang của mục Hỏi đáp"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "line", "level", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_input_names_file_and_line(bad, name, line, level, message):
    _, log = bad
    where = f"questions_bad/hoi-dap/{name}:{line}:"
    found = [(lv, m) for lv, m in log if where in m]
    assert len(found) == 1, (where, [m for _, m in log if name in m])
    assert found[0][0] == level and message in found[0][1], found
    if "ma-sai" in name:
        assert "Có phải ý bạn là 'hoang-van-nam'?" in found[0][1]


def test_bad_questions_are_left_out_or_kept_as_they_should(bad):
    out, _ = bad
    written = sorted(p.parent.name for p in (out / "hoi-dap").glob("*/index.html"))
    # Read but wrong somewhere else than the header: written (the build fails on them).
    # The header's mistakes leave the file out; the second of two files with one address,
    # and the one taking the list's address, are not written.
    assert written == [
        "chua-tra-loi", "co-dia-chi-nha", "co-so-dien-thoai", "gui-cau-hoi", "hoi-sau-khi-tra-loi",
        "ma-can-bo-go-sai", "trung-duong-dan",
    ]  # fmt: skip
    kept = parse(out / "hoi-dap" / "trung-duong-dan" / "index.html")
    assert "Hỏi lần một?" in kept.text()
    assert not (out / "hoi-dap" / "trang" / "index.html").exists()


def test_personal_data_found():
    assert personal_data("số 0912 345 678") == "số điện thoại '0912 345 678'"
    assert personal_data("gọi 024.3877.1234 nhé") == "số điện thoại '024.3877.1234'"
    assert personal_data("thư a.b@gmail.com") == "địa chỉ thư điện tử 'a.b@gmail.com'"
    assert personal_data("Nghị định 01/2021/NĐ-CP, năm 2026, 30 ngày") is None
    assert personal_data("nhà số 12 ngõ 5", address=True) == "số nhà, ngõ, ngách 'nhà số 12'"
    assert personal_data("nhà số 12 ngõ 5") is None  # in the question: may be a place asked about
    assert personal_data("Tổ dân phố số 9", address=True) is None


def test_settings_are_checked_once_with_a_clear_message():
    assert parse_settings({})["ask_url"] == "hoi-dap/gui-cau-hoi/"
    for bad_value, text in (
        ({"QUESTIONS": {"per_pag": 3}}, "unknown setting"),
        ({"QUESTIONS": {"per_page": 0}}, "per_page"),
        ({"QUESTIONS": {"question_url": "hoi-dap/x/"}}, "{slug}"),
        ({"QUESTIONS": {"now": "2026-12-01"}}, "'now'"),
    ):
        with pytest.raises(SettingsError, match=text.replace("{", r"\{").replace("}", r"\}")):
            parse_settings(bad_value)
