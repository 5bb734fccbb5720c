"""The officials registry: every mistake is an error naming the file and line."""

from datetime import date

import pytest

from officials.registry import RegistryError, load_registry, parse_registry

GOOD = """\
- id: le-quang-thuy
  name: Lê Quang Thuỷ
  aliases: [Lê Q. Thuỷ]
  positions:
    - title: Phó Chủ tịch UBND phường
      from: 2019-06-01
      to: 2022-03-31
    - title: Chủ tịch UBND phường
      from: 2022-04-01
"""


def test_good_registry_reads_names_and_positions():
    registry = parse_registry(GOOD, "officials.yml")
    official = registry["le-quang-thuy"]
    assert official.names == ("Lê Quang Thuỷ", "Lê Q. Thuỷ")
    assert [p.title for p in official.positions] == [
        "Phó Chủ tịch UBND phường",
        "Chủ tịch UBND phường",
    ]
    assert official.positions[1].end is None


@pytest.mark.parametrize(
    ("day", "title"),
    [
        (date(2019, 5, 31), None),
        (date(2019, 6, 1), "Phó Chủ tịch UBND phường"),
        (date(2022, 3, 31), "Phó Chủ tịch UBND phường"),
        (date(2022, 4, 1), "Chủ tịch UBND phường"),
        (date(2030, 1, 1), "Chủ tịch UBND phường"),
    ],
    ids=["before-first", "first-day", "last-day-of-old", "first-day-of-new", "still-held"],
)
def test_title_on_a_date(day, title):
    assert parse_registry(GOOD)["le-quang-thuy"].title_on(day) == title


BAD = [
    (
        "duplicate-id",
        "- id: a-b\n  name: Lê Văn A\n- id: a-b\n  name: Lê Văn B\n",
        3,
        "đã dùng ở dòng 1",
    ),
    (
        "overlapping-positions",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Phó Chủ tịch\n      from: 2019-01-01\n"
        "      to: 2021-01-01\n    - title: Chủ tịch\n      from: 2020-06-01\n",
        7,
        "trùng thời gian",
    ),
    (
        "open-position-then-another",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Phó Chủ tịch\n      from: 2019-01-01\n"
        "    - title: Chủ tịch\n      from: 2020-06-01\n",
        6,
        "trùng thời gian",
    ),
    (
        "bad-date-format",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Chủ tịch\n      from: 01/06/2019\n",
        5,
        "không đúng dạng",
    ),
    (
        "impossible-date",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Chủ tịch\n      from: 2019-02-30\n",
        5,
        "không có thật",
    ),
    (
        "end-before-start",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Chủ tịch\n      from: 2019-02-01\n"
        "      to: 2018-01-01\n",
        6,
        "ở trước ngày bắt đầu",
    ),
    (
        "unknown-key-with-hint",
        "- id: a-b\n  name: Lê Văn A\n  alias: [Lê V. A]\n",
        3,
        "Có phải ý bạn là 'aliases'",
    ),
    (
        "unknown-position-key",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Chủ tịch\n      from: 2019-02-01\n"
        "      until: 2020-01-01\n",
        6,
        "không có mục 'until'",
    ),
    ("name-not-nfc", "- id: a-b\n  name: Le\u0302 Va\u0306n A\n", 2, "NFC"),
    ("alias-not-nfc", "- id: a-b\n  name: Lê Văn A\n  aliases: [Le\u0302 V. A]\n", 3, "NFC"),
    (
        "title-not-nfc",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Chu\u0309 tịch\n      from: 2019-02-01\n",
        4,
        "NFC",
    ),
    ("given-name-only", "- id: a-b\n  name: Hà\n", 2, "họ và tên đầy đủ"),
    ("missing-name", "- id: a-b\n  positions: []\n", 1, "thiếu mục 'name:'"),
    ("missing-id", "- name: Lê Văn A\n", 1, "thiếu mục 'id:'"),
    ("id-not-ascii", "- id: lê-văn-a\n  name: Lê Văn A\n", 1, "chữ thường không dấu"),
    (
        "missing-from",
        "- id: a-b\n  name: Lê Văn A\n  positions:\n    - title: Chủ tịch\n",
        4,
        "thiếu mục 'from:'",
    ),
    ("duplicate-key", "- id: a-b\n  name: Lê Văn A\n  name: Lê Văn B\n", 3, "viết hai lần"),
    (
        "aliases-not-a-list",
        "- id: a-b\n  name: Lê Văn A\n  aliases: Lê V. A\n",
        3,
        "phải là danh sách",
    ),
    ("yaml-syntax", "- id: a-b\n  name: [Lê Văn A\n", 3, "cú pháp YAML"),
    ("not-a-list", "id: a-b\nname: Lê Văn A\n", 1, "phải là một danh sách"),
]


@pytest.mark.parametrize(("text", "line", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_registry_names_file_and_line(text, line, words):
    with pytest.raises(RegistryError) as error:
        parse_registry(text, "content/data/officials.yml")
    message = str(error.value)
    assert f"content/data/officials.yml:{line}: " in message
    assert words in message


def test_every_mistake_is_reported_not_only_the_first():
    text = "- id: A\n  name: Lê Văn A\n- id: b-c\n  name: Hà\n"
    with pytest.raises(RegistryError) as error:
        parse_registry(text, "x.yml")
    assert "x.yml:1:" in str(error.value)
    assert "x.yml:4:" in str(error.value)


def test_file_not_utf8(tmp_path):
    path = tmp_path / "officials.yml"
    path.write_bytes("- id: a-b\n  name: Lê Văn A\n".encode("cp1258"))
    with pytest.raises(RegistryError, match="UTF-8"):
        load_registry(path)
