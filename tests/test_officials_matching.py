"""The pure matching functions of the officials plugin, one named case per edge case."""

import unicodedata
from datetime import date

import pytest

from officials.fold import fold, word_tones
from officials.matching import Block, NameIndex, find_mentions, tag_article, title_fits
from officials.registry import parse_registry

REGISTRY = parse_registry(
    """\
- id: tran-thi-thu-ha
  name: Trần Thị Thu Hà
  positions:
    - {title: Bí thư Đảng ủy phường, from: 2020-10-01}
- id: le-quang-thuy
  name: Lê Quang Thuỷ
  positions:
    - {title: Phó Chủ tịch UBND phường, from: 2019-06-01, to: 2022-03-31}
    - {title: "Phó Bí thư Đảng ủy, Chủ tịch UBND phường", from: 2022-04-01}
- id: do-van-hoa
  name: Đỗ Văn Hoà
  positions:
    - {title: Chủ tịch Ủy ban MTTQ phường, from: 2019-08-01}
- id: pham-van-an
  name: Phạm Văn An
  positions:
    - {title: Phó Chủ tịch UBND phường, from: 2021-01-15}
- id: hoang-minh-tuan
  name: Hoàng Minh Tuấn
  aliases: [Hoàng M. Tuấn]
  positions:
    - {title: Chủ tịch HĐND phường, from: 2021-06-01}
- id: nguyen-van-hung
  name: Nguyễn Văn Hùng
  positions:
    - {title: Trưởng Công an phường, from: 2020-03-01}
- id: nguyen-van-hung-ccb
  name: Nguyễn Văn Hùng
  positions:
    - {title: Chủ tịch Hội Cựu chiến binh phường, from: 2017-05-01}
- id: tran-van-binh
  name: Trần Văn Bình
  positions:
    - {title: Chủ tịch UBND phường, from: 2014-01-01, to: 2019-05-31}
- id: tran-van-binh-qs
  name: Trần Văn Bình
  positions:
    - {title: Chỉ huy trưởng Ban Chỉ huy Quân sự phường, from: 2020-01-01}
- id: le-thi-ha
  name: Lê Thị Hà
  positions:
    - {title: Công chức Tư pháp – Hộ tịch phường, from: 2018-01-01}
""",
    "officials.yml",
)
INDEX = NameIndex(REGISTRY, home=("Thượng Thanh", "Long Biên"))
DAY = date(2023, 6, 1)


def tagged(text, day=DAY):
    return [
        m.official
        for m in find_mentions(unicodedata.normalize("NFC", text), INDEX, day)
        if m.status == "tagged"
    ]


def statuses(text, day=DAY):
    return [m.status for m in find_mentions(unicodedata.normalize("NFC", text), INDEX, day)]


CASES = [
    # Unicode forms and spellings
    ("nfc", "Đồng chí Phạm Văn An phát biểu.", ["pham-van-an"]),
    ("nfd", unicodedata.normalize("NFD", "Đồng chí Phạm Văn An phát biểu."), ["pham-van-an"]),
    ("old-tone-placement-in-text", "Ông Đỗ Văn Hoà cho biết", ["do-van-hoa"]),
    ("new-tone-placement-in-text", "Ông Đỗ Văn Hòa cho biết", ["do-van-hoa"]),
    ("thuy-new-placement", "Đồng chí Lê Quang Thủy kết luận", ["le-quang-thuy"]),
    ("other-tone-is-another-name", "Ông Đỗ Văn Hóa cho biết", []),
    (
        "all-caps-caption",
        "ĐỒNG CHÍ TRẦN THỊ THU HÀ – BÍ THƯ ĐẢNG ỦY PHƯỜNG PHÁT BIỂU",
        ["tran-thi-thu-ha"],
    ),
    ("alias", "Chủ tịch HĐND phường Hoàng M. Tuấn trao cờ", ["hoang-minh-tuan"]),
    ("double-space-inside-name", "Đồng chí Phạm Văn  An phát biểu", ["pham-van-an"]),
    ("no-break-space-inside-name", "Đồng chí Phạm Văn\u00a0An phát biểu", ["pham-van-an"]),
    # Whole names only
    ("longer-given-name", "Ông Phạm Văn Anh, tổ trưởng", []),
    ("longer-name-after", "Ông Phạm Văn An Khang cho biết", []),
    ("longer-name-before", "Bà Nguyễn Phạm Văn An cho biết", []),
    ("inside-a-word", "mã PhạmVănAn", []),
    ("title-case-caption", "Đ/c Phạm Văn An Trao Quà Cho Các Hộ Nghèo", ["pham-van-an"]),
    ("given-name-alone", "Chị Hà, anh Hùng và ông An cùng tham gia.", []),
    # Prefixes
    ("prefix-dong-chi", "Đồng chí Phạm Văn An", ["pham-van-an"]),
    ("prefix-dong-chi-lower", "có đồng chí Phạm Văn An", ["pham-van-an"]),
    ("prefix-dc", "Đ/c Phạm Văn An phát biểu", ["pham-van-an"]),
    ("prefix-dc-lower", "cùng đ/c Phạm Văn An", ["pham-van-an"]),
    ("prefix-ong", "Ông Phạm Văn An cho biết", ["pham-van-an"]),
    ("prefix-ba", "Bà Trần Thị Thu Hà cho biết", ["tran-thi-thu-ha"]),
    ("prefix-rank", "Thượng tá Nguyễn Văn Hùng cho biết", ["nguyen-van-hung"]),
    ("no-prefix", "Phạm Văn An cho biết", ["pham-van-an"]),
    # Separators between name and title
    ("en-dash", "Đ/c Phạm Văn An – Phó Chủ tịch UBND phường", ["pham-van-an"]),
    ("hyphen", "Đ/c Phạm Văn An - Phó Chủ tịch UBND phường", ["pham-van-an"]),
    ("hyphen-stuck-to-name", "Đ/c Phạm Văn An- Phó Chủ tịch UBND phường", ["pham-van-an"]),
    ("comma", "Ông Phạm Văn An, Phó Chủ tịch UBND phường", ["pham-van-an"]),
    ("no-separator", "Đ/c Phạm Văn An Phó Chủ tịch UBND phường phát biểu", ["pham-van-an"]),
    ("parenthesis", "Ông Phạm Văn An (Phó Chủ tịch UBND phường) phát biểu", ["pham-van-an"]),
    (
        "title-before-name",
        "Bí thư Đảng ủy phường Thượng Thanh Trần Thị Thu Hà phát biểu",
        ["tran-thi-thu-ha"],
    ),
    (
        "title-before-comma",
        "Chủ tịch UBND phường, đồng chí Lê Quang Thuỷ cho biết",
        ["le-quang-thuy"],
    ),
    ("former-title", "Ông Trần Văn Bình, nguyên Chủ tịch UBND phường, tới dự", ["tran-van-binh"]),
    # Two registered people with one name
    (
        "same-name-title-after",
        "Ông Nguyễn Văn Hùng, Chủ tịch Hội Cựu chiến binh phường",
        ["nguyen-van-hung-ccb"],
    ),
    (
        "same-name-title-after-2",
        "Đồng chí Nguyễn Văn Hùng – Trưởng Công an phường",
        ["nguyen-van-hung"],
    ),
    (
        "same-name-title-before",
        "Chủ tịch Hội Cựu chiến binh phường Nguyễn Văn Hùng",
        ["nguyen-van-hung-ccb"],
    ),
    ("same-name-rank", "Thượng tá Nguyễn Văn Hùng trao quà", ["nguyen-van-hung"]),
    ("same-name-undecided", "Ông Nguyễn Văn Hùng cho biết", []),
    (
        "same-name-title-after-appointment",
        "Đồng chí Nguyễn Văn Hùng được bầu tái cử Chủ tịch Hội Cựu chiến binh phường",
        ["nguyen-van-hung-ccb"],
    ),
    ("same-name-other-title", "Ông Nguyễn Văn Hùng, tổ trưởng tổ dân phố số 7", []),
    # A registered name with another person's title
    ("homonym-not-registered", "Bà Lê Thị Hà - Bí thư chi bộ tổ dân phố số 7", []),
    (
        "membership-never-contradicts",
        "Đồng chí Phạm Văn An – ĐUV, Phó Chủ tịch UBND phường",
        ["pham-van-an"],
    ),
    ("same-title-in-another-ward", "Ông Phạm Văn An – Phó Chủ tịch UBND phường Ngọc Thụy", []),
    ("own-ward-named", "Ông Phạm Văn An – Phó Chủ tịch UBND phường Thượng Thanh", ["pham-van-an"]),
    ("abbreviated-title", "Đ/c Phạm Văn An – PCT UBND phường", ["pham-van-an"]),
    ("abbreviated-other-title", "Đ/c Phạm Văn An – CT Hội Nông dân phường", []),
    # Bylines and photo credits
    ("credit-anh", "Ảnh: Phạm Văn An", []),
    ("credit-tin-anh", "Tin, ảnh: Lan Anh, Phạm Văn An", []),
    ("credit-tin-va-anh", "Tin và ảnh: Phạm Văn An", []),
    ("credit-in-parenthesis", "Trao quà cho học sinh (Ảnh: Phạm Văn An)", []),
    ("credit-after-caption", "Toàn cảnh hội nghị - Ảnh: Phạm Văn An", []),
    ("credit-pv", "PV Phạm Văn An", []),
    ("caption-not-credit", "Ảnh: Đ/c Phạm Văn An phát biểu tại hội nghị", ["pham-van-an"]),
    ("credit-caps", "ĐOÀN VIÊN THU GOM RÁC. ẢNH: PHẠM VĂN AN", []),
    # Places named after a person
    ("street", "Lễ ra quân trên phố Phạm Văn An", []),
    ("tdp-is-not-a-street", "Tổ dân phố Phạm Văn An", ["pham-van-an"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_tagging(text, expected):
    assert tagged(text) == expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        (
            "Ông Trần Văn Bình quán triệt nội dung huấn luyện",
            date(2022, 5, 20),
            ["tran-van-binh-qs"],
        ),
        ("Ông Trần Văn Bình cảm ơn nhân dân", date(2018, 11, 20), ["tran-van-binh"]),
        ("Ông Nguyễn Văn Hùng được khen thưởng", date(2018, 11, 20), ["nguyen-van-hung-ccb"]),
        ("Ông Nguyễn Văn Hùng được khen thưởng", date(2023, 11, 20), []),
    ],
    ids=[
        "date-picks-the-one-in-office",
        "date-picks-the-former",
        "date-before-the-other-took-office",
        "date-both-in-office",
    ],
)
def test_same_name_by_date(text, day, expected):
    assert tagged(text, day) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ông Nguyễn Văn Hùng cho biết", ["ambiguous"]),
        ("Bà Lê Thị Hà - Bí thư chi bộ tổ dân phố số 7", ["conflict"]),
        ("Tin, ảnh: Phạm Văn An", ["credit"]),
        ("Ông Phạm Văn An Khang", ["longer-name"]),
        ("trên phố Phạm Văn An", ["place"]),
    ],
    ids=["ambiguous", "conflict", "credit", "longer-name", "place"],
)
def test_status_says_why_not_tagged(text, expected):
    assert statuses(text) == expected


def test_ambiguous_mention_lists_the_candidates():
    (mention,) = find_mentions("Ông Nguyễn Văn Hùng cho biết", INDEX, DAY)
    assert set(mention.candidates) == {"nguyen-van-hung", "nguyen-van-hung-ccb"}
    assert mention.official is None


def test_titles_written_are_kept_as_written():
    (mention,) = find_mentions(
        "Đ/c Lê Quang Thuỷ - Phó Bí thư, Chủ tịch UBND phường phát biểu", INDEX, DAY
    )
    assert mention.titles == ("Phó Bí thư", "Chủ tịch UBND phường")
    assert mention.prefix == "Đ/c"


@pytest.mark.parametrize(
    ("written", "title", "fits"),
    [
        ("Chủ tịch UBND phường", "Phó Bí thư Đảng ủy, Chủ tịch UBND phường", True),
        ("Phó Chủ tịch UBND phường", "Chủ tịch UBND phường", False),
        ("Chủ tịch Hội Nông dân phường", "Chủ tịch UBND phường", False),
        ("Trưởng ban Tổ chức Quận ủy", "Trưởng ban Tổ chức Quận ủy Long Biên", True),
        ("Tổ trưởng tổ dân phố số 5", "Tổ trưởng tổ dân phố số 12", False),
        ("UVTV", "Chủ tịch UBND phường", None),
        ("Trưởng Công an phường", "Trưởng Công an phường", True),
        ("Trưởng Công an phường", "Trường THCS Thượng Thanh", False),
    ],
    ids=[
        "one-of-two-titles",
        "deputy-is-not-chief",
        "other-body",
        "shorter-form",
        "other-number",
        "membership",
        "same",
        "truong-tones",
    ],
)
def test_title_fits(written, title, fits):
    assert title_fits(written, title) is fits


def test_fold_keeps_length_and_drops_only_tones():
    text = "Lê Quang Thuỷ – HOÀ"
    assert len(fold(text)) == len(text)
    assert fold(text) == "lê quang thuy - hoa"
    assert word_tones("Thuỷ Hoà") == word_tones("Thủy Hòa") != word_tones("Thúy Hóa")


def _blocks(*items):
    return [Block(text, kind, last, group) for text, kind, last, group in items]


def test_article_counts_mentions_and_a_figure_once():
    blocks = _blocks(
        ("Đồng chí Phạm Văn An – Phó Chủ tịch UBND phường chủ trì.", "body", False, None),
        ("Đ/c Phạm Văn An phát biểu", "alt", False, 1),
        ("Đ/c Phạm Văn An – Phó Chủ tịch UBND phường phát biểu", "caption", False, 1),
        ("Sau đó đồng chí Phạm Văn An trao quà.", "body", False, None),
    )
    result = tag_article(blocks, INDEX, DAY)
    assert dict(result.counts) == {"pham-van-an": 3}


def test_trailing_author_line_is_not_a_mention():
    blocks = _blocks(
        ("Hội nghị đã thông qua nghị quyết.", "body", False, None),
        ("Phạm Văn An", "body", True, None),
    )
    assert dict(tag_article(blocks, INDEX, DAY).counts) == {}


def test_last_paragraph_with_a_sentence_is_a_mention():
    blocks = _blocks(
        ("Đồng chí Phạm Văn An phát biểu bế mạc hội nghị.", "body", True, None),
    )
    assert dict(tag_article(blocks, INDEX, DAY).counts) == {"pham-van-an": 1}


def test_metadata_settles_an_ambiguous_mention():
    blocks = _blocks(
        ("Ông Nguyễn Văn Hùng cho biết.", "body", False, None),
    )
    result = tag_article(blocks, INDEX, DAY, forced=["nguyen-van-hung-ccb"])
    assert dict(result.counts) == {"nguyen-van-hung-ccb": 1}


def test_metadata_adds_an_official_not_in_the_text():
    blocks = _blocks(
        ("Hội nghị đã thông qua nghị quyết.", "body", False, None),
    )
    assert dict(tag_article(blocks, INDEX, DAY, forced=["do-van-hoa"]).counts) == {"do-van-hoa": 0}


def test_empty_registry_finds_nothing():
    empty = NameIndex(parse_registry("[]"))
    assert find_mentions("Đồng chí Phạm Văn An", empty, DAY) == []


def test_a_later_mention_without_title_is_the_one_named_before():
    blocks = _blocks(
        ("Ông Nguyễn Văn Hùng, Chủ tịch Hội Cựu chiến binh phường phát biểu.", "body", False, None),
        ("Ông Nguyễn Văn Hùng cảm ơn các hội viên.", "body", False, None),
    )
    assert dict(tag_article(blocks, INDEX, DAY).counts) == {"nguyen-van-hung-ccb": 2}


def test_a_later_mention_stays_undecided_when_both_were_named():
    blocks = _blocks(
        ("Thượng tá Nguyễn Văn Hùng – Trưởng Công an phường phát biểu.", "body", False, None),
        ("Ông Nguyễn Văn Hùng, Chủ tịch Hội Cựu chiến binh phường cho biết.", "body", False, None),
        ("Ông Nguyễn Văn Hùng cảm ơn.", "body", False, None),
    )
    result = tag_article(blocks, INDEX, DAY)
    assert dict(result.counts) == {"nguyen-van-hung": 1, "nguyen-van-hung-ccb": 1}
    assert [m.status for _, m in result.mentions] == ["tagged", "tagged", "ambiguous"]


@pytest.mark.parametrize(
    ("texts", "hits"),
    [
        (["Đồng chí Phạm Văn An phát biểu", "", "Ông Đỗ Văn Hòa và bà Trần Thị Thu Hà"], [1, 0, 2]),
        (["chúc mừng Phạm Văn", "An khai mạc"], [0, 0]),  # no name runs into the next text
        (["Phạm  Văn   An", "Lê  Quang Thủy"], [1, 1]),  # runs of spaces, squeezed
        (["Phạm Văn Anh dự", "Phạm Văn An"], [0, 1]),  # whole names only, at either end
        (["\u00a0Trần Thị Thu Hà\u00a0", "Trần Thị Thu Hà"], [1, 1]),
    ],
    ids=["three-texts-one-empty", "split-across-texts", "double-spaces", "whole-name", "nbsp"],
)
def test_find_all_is_find_of_each_text(texts, hits):
    texts = [unicodedata.normalize("NFC", t) for t in texts]
    found = INDEX.find_all(texts)
    assert found == [INDEX.find(t) for t in texts]
    assert [len(f) for f in found] == hits
