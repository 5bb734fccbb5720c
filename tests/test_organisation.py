"""Organisation and contacts from the officials registry: the registry's keys body, photo,
phone, email, duties and title_en; the organisation page (/co-cau-to-chuc/), the index
grouped by body, an official's page; the English pages (/en/); what staff are told.

One build of tests/fixtures/organisation with the project's settings (module-scoped), one
of the officials fixture written before those keys existed, and unit tests of the registry
and the settings.
"""

import logging
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, build_site, parse
from pelican.log import LimitFilter

from officials.organisation import tel_href
from officials.registry import check_registry, parse_registry
from officials.settings import SettingsError, parse_settings

FIXTURE = FIXTURES / "organisation"
REGISTRY = "tests/fixtures/organisation/data/officials.yml"
BODIES = ["dang-uy", "hdnd", "ubnd", "mttq", "cong-an", "quan-su"]


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def build_logged(content, output, **override):
    """Build, returning (output, log records of the build)."""
    LimitFilter._raised_messages.clear()  # a message seen in another test is logged again
    handler = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        build_site(content, output, **override)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return Path(output), handler.records


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_logged(FIXTURE, tmp_path_factory.mktemp("organisation") / "output")


@pytest.fixture(scope="module")
def site(built):
    return built[0]


def messages(records, level, source=""):
    """What was logged at `level` (by the loggers under `source`; the build report's own
    summary repeats every message, under build_report)."""
    return [
        r.getMessage()
        for r in records
        if r.levelno == level and r.name.startswith(source) and r.name != "build_report"
    ]


def text(node):
    return " ".join(node.text().split()) if node is not None else None


def sections_of(page, selector):
    """{heading: [(official id, post text)]} of the sections of a page, in order."""
    out = {}
    for section in page.css(selector):
        out[text(section.css_first("h2"))] = [
            (li.attributes["data-official"], text(li.css_first(".person-post, .official-title")))
            for li in section.css("li[data-official]")
        ]
    return out


# --- The organisation page -----------------------------------------------------------


def test_organisation_page_lists_each_body_in_order_with_todays_posts(site):
    page = parse(site / "co-cau-to-chuc" / "index.html")
    assert sections_of(page, "section.org-body") == {
        "Đảng ủy phường": [
            ("le-thi-binh", "Bí thư Đảng ủy phường"),
            ("tran-van-an", "Phó Bí thư Đảng ủy phường"),
        ],
        "Ủy ban nhân dân phường": [("tran-van-an", "Chủ tịch UBND phường")],
        "Công an phường": [("pham-van-cuong", "Trưởng Công an phường")],
        # a post without `body:` (an older registry): grouped by the words of its title
        "Các đoàn thể": [("hoang-van-em", "Chủ tịch Hội Cựu chiến binh phường")],
    }
    # the table of contents links to every section; who holds no post today is not there
    toc = [a.attributes["href"] for a in page.css(".org-toc a")]
    assert toc == [f"#{s.attributes['id']}" for s in page.css("section.org-body")]
    assert not page.css('[data-official="do-thi-dung"]')
    about = text(page.css_first("#dang-uy .org-about"))
    assert about.startswith("Lãnh đạo toàn diện công tác của phường")


def test_organisation_page_shows_duties_phone_email_and_photo(site):
    html = (site / "co-cau-to-chuc" / "index.html").read_text(encoding="utf-8")
    page = parse(site / "co-cau-to-chuc" / "index.html")
    card = page.css_first('#ubnd li[data-official="tran-van-an"]')
    assert text(card.css_first(".person-name a")) == "Trần Văn An"
    assert card.css_first(".person-name a").attributes["href"] == "/can-bo/tran-van-an/"
    assert (
        text(card.css_first(".person-duties"))
        == 'Lĩnh vực phụ trách: Phụ trách chung; tài chính & "ngân sách" <b>khối</b>'
    )
    assert "&lt;b&gt;khối&lt;/b&gt;" in html and not page.css("main b")
    contact = [(a.attributes["href"], text(a)) for a in card.css(".person-contact a")]
    assert contact == [
        ("tel:02438771001", "024 3877 1001"),
        ("mailto:antv@example.gov.vn", "antv@example.gov.vn"),
    ]
    phone = page.css_first('li[data-official="le-thi-binh"] .person-contact a')
    assert phone.attributes["href"] == "tel:+842438771002"
    img = card.css_first("picture img")
    assert img.attributes["alt"] == "Ảnh Trần Văn An" and img.attributes["sizes"] == "6rem"
    for candidate in img.attributes["srcset"].split(","):
        url = candidate.split()[0]
        assert (site / url.lstrip("/")).is_file(), url
    # no photo: no picture, no empty box
    assert not page.css('li[data-official="le-thi-binh"] picture')


def test_organisation_page_is_in_the_menu_and_the_old_page_leads_to_it(site):
    page = parse(site / "co-cau-to-chuc" / "index.html")
    current = page.css_first(".main-nav a[aria-current]")
    assert (text(current), current.attributes["href"]) == ("Cơ cấu tổ chức", "/co-cau-to-chuc/")
    moved = parse(site / "so-do-to-chuc" / "index.html")
    link = moved.css_first("main a")
    assert (link.attributes["href"], text(link)) == ("/co-cau-to-chuc/", "Cơ cấu tổ chức")
    assert moved.css_first('link[rel="canonical"]').attributes["href"] == "/co-cau-to-chuc/"
    assert moved.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert "so-do-to-chuc" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/co-cau-to-chuc/" in (site / "sitemap.xml").read_text(encoding="utf-8")


# --- The index and an official's page --------------------------------------------------


def test_index_lists_a_person_under_every_body_of_a_post_held_today(site):
    page = parse(site / "can-bo" / "index.html")
    assert sections_of(page, "section.officials-group") == {
        "Đảng ủy phường": [
            ("le-thi-binh", "Bí thư Đảng ủy phường"),
            ("tran-van-an", "Phó Bí thư Đảng ủy phường"),
        ],
        "Ủy ban nhân dân phường": [("tran-van-an", "Chủ tịch UBND phường")],
        "Công an phường": [("pham-van-cuong", "Trưởng Công an phường")],
        "Các đoàn thể": [("hoang-van-em", "Chủ tịch Hội Cựu chiến binh phường")],
        "Nguyên lãnh đạo, cán bộ": [("do-thi-dung", "Trưởng ban Tổ chức Quận ủy")],
    }
    former = page.css_first('li[data-official="do-thi-dung"]')
    assert "(đến 31/12/2020)" in text(former)
    assert page.css_first(".see-all a").attributes["href"] == "/co-cau-to-chuc/"


def test_official_page_shows_photo_duties_and_contact(site):
    page = parse(site / "can-bo" / "tran-van-an" / "index.html")
    assert text(page.css_first(".official-title")) == (
        "Phó Bí thư Đảng ủy phường, Chủ tịch UBND phường"
    )
    facts = dict(
        zip(
            [text(dt) for dt in page.css(".official-facts dt")],
            [text(dd) for dd in page.css(".official-facts dd")],
            strict=True,
        )
    )
    assert facts == {
        "Lĩnh vực phụ trách": 'Phụ trách chung; tài chính & "ngân sách" <b>khối</b>',
        "Điện thoại": "024 3877 1001",
        "Thư điện tử": "antv@example.gov.vn",
    }
    assert page.css_first(".official-facts a[href^='tel:']").attributes["href"] == (
        "tel:02438771001"
    )
    img = page.css_first(".official-card picture img")
    assert img.attributes["sizes"] == "10rem" and "loading" not in img.attributes
    # the article of the fixture gives the title held that day
    article = parse(site / "tin-hoat-dong" / "tiep-cong-dan-thang-3" / "index.html")
    listed = text(article.css_first('section.article-officials li[data-official="tran-van-an"]'))
    assert listed == "Trần Văn An – Phó Bí thư Đảng ủy phường, Chủ tịch UBND phường"
    # without photo or contact: no empty card
    assert not parse(site / "can-bo" / "do-thi-dung" / "index.html").css(".official-card")


# --- English pages ----------------------------------------------------------------------


def alternates(page):
    return {
        link.attributes["hreflang"]: link.attributes["href"]
        for link in page.css('link[rel="alternate"][hreflang]')
    }


@pytest.mark.parametrize(
    ("vi", "en"),
    [("index.html", "en/index.html"), ("co-cau-to-chuc/index.html", "en/organisation/index.html")],
    ids=["home", "organisation"],
)
def test_pages_link_their_other_language_both_ways(site, vi, en):
    vi_page, en_page = parse(site / vi), parse(site / en)
    vi_url, en_url = "/" + vi.removesuffix("index.html"), "/" + en.removesuffix("index.html")
    pair = {"vi": vi_url, "en": en_url, "x-default": vi_url}
    assert alternates(vi_page) == pair and alternates(en_page) == pair
    assert vi_page.css_first("html").attributes["lang"] == "vi"
    assert en_page.css_first("html").attributes["lang"] == "en"
    to_en = vi_page.css_first("header a.lang-link")
    assert (text(to_en), to_en.attributes["href"]) == ("English", en_url)
    assert to_en.attributes["lang"] == "en" and to_en.attributes["hreflang"] == "en"
    to_vi = en_page.css_first("header a.lang-link")
    assert (text(to_vi), to_vi.attributes["href"]) == ("Tiếng Việt", vi_url)
    assert to_vi.attributes["lang"] == "vi" and to_vi.attributes["hreflang"] == "vi"


def test_a_page_without_english_links_the_english_home(site):
    page = parse(site / "can-bo" / "index.html")
    assert alternates(page) == {}
    assert page.css_first("header a.lang-link").attributes["href"] == "/en/"
    contacts = parse(site / "en" / "contacts" / "index.html")
    assert alternates(contacts) == {}
    assert contacts.css_first("header a.lang-link").attributes["href"] == "/co-cau-to-chuc/"


def test_english_pages_have_english_labels_and_no_vietnamese_menu(site):
    labels = yaml.safe_load((ROOT / "theme" / "labels-en.yml").read_text(encoding="utf-8"))
    for name in ("en", "en/organisation", "en/contacts"):
        page = parse(site / name / "index.html")
        assert text(page.css_first(".skip-link")) == labels["skip_link"]
        menu = [text(a) for a in page.css(".main-nav li a")]
        assert menu == [labels["nav_about"], labels["nav_organisation"], labels["nav_contacts"]]
        assert page.css_first('meta[property="og:locale"]').attributes["content"] == "en_GB"
        assert text(page.css_first(".footer-name")) == "Thuong Thanh Ward People's Committee"
        assert not page.css("form.search-form")
    home = parse(site / "en" / "index.html")
    assert text(home.css_first("h1")) == labels["home_title"]
    assert home.css_first(".article-body strong").text() == "tests"  # about-en.md, as Markdown


def test_english_organisation_and_contacts_show_english_titles(site):
    page = parse(site / "en" / "organisation" / "index.html")
    headings = [text(h) for h in page.css("section.org-body h2")]
    assert headings == [
        "Ward Party Committee",
        "Ward People's Committee",
        "Ward Police",
        "Other posts",
    ]
    an = page.css_first('#ubnd li[data-official="tran-van-an"]')
    assert text(an.css_first(".person-post")) == "Chairman of the Ward People's Committee"
    assert an.css_first(".person-name").attributes["lang"] == "vi"
    assert an.css_first("img").attributes["alt"] == "Photo of Trần Văn An"
    # no English title in the registry: the Vietnamese one, marked as Vietnamese
    missing = page.css_first('li[data-official="pham-van-cuong"] .person-post span')
    assert (missing.attributes["lang"], text(missing)) == ("vi", "Trưởng Công an phường")
    assert text(page.css_first("#dang-uy .org-name-vi span[lang=vi]")) == "Đảng ủy phường"
    contacts = parse(site / "en" / "contacts" / "index.html")
    people = {
        li.attributes["id"]: [text(p) for p in li.css(".person-posts li")]
        for li in contacts.css("li.person")
    }
    assert people == {
        "le-thi-binh": ["Secretary of the Ward Party Committee"],
        "tran-van-an": [
            "Deputy Secretary of the Ward Party Committee",
            "Chairman of the Ward People's Committee",
        ],
        "pham-van-cuong": ["Trưởng Công an phường"],
        "hoang-van-em": ["Chairman of the Ward Veterans' Association"],
    }
    mail = contacts.css_first("#tran-van-an a[href^='mailto:']")
    assert mail.attributes["href"] == "mailto:antv@example.gov.vn"


# --- What staff are told -------------------------------------------------------------------


def test_missing_english_title_is_a_warning_naming_the_official_and_line(built):
    warnings = [m for m in messages(built[1], logging.WARNING) if "title_en" in m]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{REGISTRY}:29: chức vụ 'Trưởng Công an phường' của ")
    assert "Phạm Văn Cường (mã pham-van-cuong)" in warnings[0]


def test_missing_photo_is_a_warning_with_file_and_line(built, site):
    warnings = [m for m in messages(built[1], logging.WARNING) if "khong-co.jpg" in m]
    assert len(warnings) == 1 and warnings[0].startswith(f"{REGISTRY}:27: ảnh ")
    assert "không tìm thấy tệp ảnh" in warnings[0]
    # the person is shown, without a photo
    page = parse(site / "co-cau-to-chuc" / "index.html")
    assert not page.css('li[data-official="pham-van-cuong"] picture')


def test_posts_without_a_body_are_a_note(built):
    notes = [m for m in messages(built[1], logging.INFO) if "chưa ghi cơ quan" in m]
    assert notes == [
        f"{REGISTRY}: 1 chức vụ đang giữ chưa ghi cơ quan ('body:', dòng 41); trang Cơ cấu "
        "tổ chức và danh sách cán bộ xếp chúng theo chữ trong chức danh. Thêm 'body:' "
        "(dang-uy, hdnd, ubnd, mttq, hoi-phu-nu, doan-thanh-nien, hoi-cuu-chien-binh, "
        "hoi-nong-dan, cong-an, quan-su) dưới mỗi dòng 'title:'."
    ]
    assert messages(built[1], logging.ERROR) == []


def test_a_registry_written_before_the_new_keys_still_builds(tmp_path):
    """The officials fixture has no body, photo, phone, email, duties or title_en."""
    out, records = build_logged(FIXTURES / "officials", tmp_path / "output")
    assert messages(records, logging.ERROR) == []
    page = parse(out / "co-cau-to-chuc" / "index.html")
    assert [text(h) for h in page.css("section.org-body h2")] == [
        "Đảng ủy",
        "Ủy ban nhân dân",
        "Các đoàn thể",
    ]
    assert not page.css(".person-contact, .person-duties, picture")
    # every post held today lacks an English title: one warning each, naming its line
    missing = [m for m in messages(records, logging.WARNING) if "title_en" in m]
    assert len(missing) == 4
    assert (out / "en" / "organisation" / "index.html").is_file()


# --- The registry's new keys: every mistake names the file and line --------------------------


def official(lines, positions=None):
    """An official's YAML (one key per line), with one position by default."""
    head = "- id: a-b\n  name: Lê Văn A\n" + "".join(f"  {line}\n" for line in lines)
    positions = positions or [
        "- title: Chủ tịch UBND phường\n      body: ubnd\n      from: 2020-01-01"
    ]
    return head + "  positions:\n" + "".join(f"    {p}\n" for p in positions)


BAD = [
    ("body-unknown-with-hint", official([], ["- title: Chủ tịch\n      body: ubn\n      from: 2020-01-01"]), 5, "Có phải ý bạn là 'ubnd'?"),
    ("body-not-a-key", official([], ["- title: Chủ tịch\n      body: UBND phường\n      from: 2020-01-01"]), 5, "phải là một mã viết liền"),
    ("title-en-empty", official([], ["- title: Chủ tịch\n      title_en: ''\n      from: 2020-01-01"]), 5, "title_en"),
    ("title-en-not-nfc", official([], ["- title: Chủ tịch\n      title_en: Chairman of Tha\u0300nh\n      from: 2020-01-01"]), 5, "NFC"),
    ("photo-outside-content", official(["photo: ../anh/a.jpg"]), 3, "trong thư mục content/"),
    ("photo-absolute", official(["photo: /home/van-phong/a.jpg"]), 3, "trong thư mục content/"),
    ("photo-not-an-image", official(["photo: images/can-bo/a.pdf"]), 3, "không phải tệp ảnh"),
    ("photo-a-list", official(["photo: [a.jpg]"]), 3, "phải là một dòng chữ"),
    ("phone-letters", official(["phone: 024 3877 ABCD"]), 3, "chỉ được gồm chữ số"),
    ("phone-dots", official(["phone: 024.3877.1234"]), 3, "không dùng dấu chấm"),
    ("phone-too-short", official(["phone: 113"]), 3, "từ 8 đến 15 chữ số"),
    ("phone-two-numbers", official(["phone: 024 3877 1234, 0912 345 678"]), 3, "chỉ ghi một số"),
    ("email-no-at", official(["email: antv.example.gov.vn"]), 3, "thư điện tử 'antv.example.gov.vn' không đúng dạng"),
    ("email-space", official(["email: an tv@example.gov.vn"]), 3, "không đúng dạng"),
    ("email-accents", official(["email: ân@example.gov.vn"]), 3, "không đúng dạng"),
    ("email-no-domain-dot", official(["email: antv@localhost"]), 3, "không đúng dạng"),
    ("duties-empty", official(["duties: ''"]), 3, "lĩnh vực phụ trách (duties)"),
    ("duties-a-list", official(["duties: [tài chính, ngân sách]"]), 3, "phải là một dòng chữ"),
    ("unknown-key-with-hint", official(["phones: 024 3877 1234"]), 3, "Có phải ý bạn là 'phone'?"),
    (
        "same-body-overlap",
        official([], ["- title: Phó Chủ tịch UBND phường\n      body: ubnd\n      from: 2019-01-01",
                      "- title: Chủ tịch UBND phường\n      body: ubnd\n      from: 2020-01-01"]),
        7,
        "cùng cơ quan 'ubnd'",
    ),
    (
        "overlap-without-body",
        official([], ["- title: Phó Bí thư Đảng ủy phường\n      from: 2019-01-01",
                      "- title: Chủ tịch UBND phường\n      body: ubnd\n      from: 2020-01-01"]),
        6,
        "ghi 'body:' cho cả hai",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_new_key_names_file_and_line(text, line, words):
    _registry, problems = check_registry(text, "content/data/officials.yml", BODIES)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/data/officials.yml:{line}: "), problems
    assert words in problems[0]


def test_a_body_when_the_settings_list_none_is_refused():
    _registry, problems = check_registry(official([]), "officials.yml", [])
    assert problems == [
        "officials.yml:5: không có cơ quan (body) 'ubnd'. Chưa có cơ quan nào được khai báo "
        "(OFFICIALS['bodies'] trong pelicanconf.py)."
    ]


def test_wrong_contact_is_left_out_not_the_person():
    registry, problems = check_registry(
        official(["phone: 024.3877.1234", "email: antv@example.gov.vn"]), "o.yml", BODIES
    )
    assert len(problems) == 1 and registry["a-b"].phone is None
    assert registry["a-b"].email == "antv@example.gov.vn"


def test_new_keys_are_read_with_their_lines():
    text = official(
        [
            "photo: images/can-bo/a.jpg",
            "phone: +84 24 3877 1234",
            "email: antv@example.gov.vn",
            "duties: Tài chính,   ngân sách",
        ],
        [
            "- title: Phó Bí thư Đảng ủy phường\n      title_en: Deputy Secretary\n"
            "      body: dang-uy\n      from: 2020-01-01",
            "- title: Chủ tịch UBND phường\n      body: ubnd\n      from: 2020-01-01",
        ],
    )
    person = parse_registry(text, "o.yml", BODIES)["a-b"]
    assert (person.photo, person.phone, person.email, person.duties) == (
        "images/can-bo/a.jpg",
        "+84 24 3877 1234",
        "antv@example.gov.vn",
        "Tài chính, ngân sách",
    )
    assert [(p.body, p.title_en) for p in person.positions] == [
        ("dang-uy", "Deputy Secretary"),
        ("ubnd", None),
    ]
    assert person.line_of("email") == 5 and person.line_of("duties") == 6
    # posts in two bodies are held together and shown together
    from datetime import date

    assert person.title_on(date(2024, 1, 1)) == "Phó Bí thư Đảng ủy phường, Chủ tịch UBND phường"


def test_old_registry_is_valid_with_bodies_configured():
    old = (ROOT / "tests" / "fixtures" / "officials" / "data" / "officials.yml").read_text("utf-8")
    registry, problems = check_registry(old, "o.yml", BODIES)
    assert problems == [] and len(registry) == 4
    assert all(p.body is None and p.title_en is None for o in registry for p in o.positions)


@pytest.mark.parametrize(
    ("phone", "href"),
    [("024 3877 1234", "tel:02438771234"), ("+84 24 3877 1234", "tel:+842438771234")],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href


def test_sample_registry_is_complete():
    """The site's own registry: every post held today has a body and an English title, and
    no current title names a district (wards are under the city since 1 July 2025)."""
    settings = {"OFFICIALS": _site_officials()}
    options = parse_settings(settings)
    path = ROOT / "content" / "data" / "officials.yml"
    registry, problems = check_registry(
        path.read_text(encoding="utf-8"), str(path), [b["key"] for b in options["bodies"]]
    )
    assert problems == []
    today = date_today()
    for person in registry:
        for post in person.positions_on(today):
            assert post.body and post.title_en, (person.id, post.title)
            assert "quận" not in unicodedata.normalize("NFC", post.title).lower(), post.title


def date_today():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _site_officials():
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"))["OFFICIALS"]


# --- Settings ----------------------------------------------------------------------------------


BODY = {"key": "ubnd", "name": "Ủy ban nhân dân phường", "name_en": "Ward People's Committee"}


@pytest.mark.parametrize(
    ("officials", "words"),
    [
        ({"bodies": [{**BODY, "name_en": ""}]}, "'name_en' must be text"),
        ({"bodies": [{**BODY, "colour": "red"}]}, "unknown key(s) ['colour']"),
        ({"bodies": [BODY, BODY]}, "listed twice"),
        ({"bodies": [{**BODY, "key": "UBND"}]}, "must be a-z"),
        ({"bodies": ["ubnd"]}, "must be a dict"),
        ({"english_url": "/en"}, "must be a folder URL"),
        ({"moved_urls": ["so-do-to-chuc"]}, "must be folder URLs"),
    ],
)
def test_bad_settings_are_refused(officials, words):
    with pytest.raises(SettingsError) as error:
        parse_settings({"OFFICIALS": officials})
    assert words in str(error.value)


def test_site_settings_list_every_body_of_the_brief():
    options = parse_settings({"OFFICIALS": _site_officials()})
    keys = [b["key"] for b in options["bodies"]]
    assert keys[:4] == ["dang-uy", "hdnd", "ubnd", "mttq"]
    assert {"cong-an", "quan-su", "hoi-phu-nu", "doan-thanh-nien"} <= set(keys)
    assert all(b["name"] and b["name_en"] and b["about_en"] for b in options["bodies"])
    assert options["organisation_url"] == "co-cau-to-chuc/" and options["english_url"] == "en/"


def test_english_labels_used_by_templates_are_defined():
    import re

    labels = yaml.safe_load((ROOT / "theme" / "labels-en.yml").read_text(encoding="utf-8"))
    used = set()
    for path in (ROOT / "theme" / "templates").glob("*.html"):
        used |= set(re.findall(r"\bL_EN\.([a-z_0-9]+)", path.read_text(encoding="utf-8")))
    assert used and used <= set(labels), used - set(labels)
    assert all(isinstance(v, str) and unicodedata.is_normalized("NFC", v) for v in labels.values())
