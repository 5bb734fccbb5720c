"""officials-suggest, file:line lookup and the OFFICIALS settings."""

import re
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

from officials.lines import header_line, mention_line
from officials.registry import parse_registry
from officials.settings import SettingsError, parse_settings
from officials.suggest import render, suggest

REGISTRY = parse_registry(
    "- id: pham-van-an\n  name: Phạm Văn An\n  positions:\n"
    "    - {title: Phó Chủ tịch UBND phường, from: 2021-01-15}\n"
)

ARTICLE = """\
Title: Đối thoại
Date: 2023-03-08 14:00
Category: Tin hoạt động

Đồng chí Phạm Văn An – Phó Chủ tịch UBND phường chủ trì. Bà Nguyễn Thị Mai – Chủ tịch UBND phường Ngọc Thụy tham dự.

Tổ trưởng tổ dân phố số 7 Lê Văn Tám cho biết. Chị Hà và anh Tâm cùng tham gia.

Ông Lê Văn Tám đề nghị làm đường. Phó Chủ tịch UBND phường Phạm Văn An giải đáp.

Bà Nguyễn Thị Lan (tổ dân phố số 6) đến làm thủ tục.

Lễ kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh tổ chức tại trường Tiểu học Ngô Gia Tự.

Tin, ảnh: Lê Thu Trang
"""


def test_suggest_lists_unregistered_people_most_mentioned_first():
    found = suggest([("content/bai-viet/a.md", ARTICLE)], REGISTRY)
    assert [(s.name, s.count) for s in found] == [("Lê Văn Tám", 2), ("Nguyễn Thị Mai", 1)]
    tam = found[0]
    assert tam.places == ["content/bai-viet/a.md:7", "content/bai-viet/a.md:9"]
    assert tam.titles.most_common(1)[0][0] == "Tổ trưởng tổ dân phố số 7"
    assert tam.first_date == "2023-03-08"


def test_suggest_report_is_yaml_ready_to_paste():
    found = suggest([("a.md", ARTICLE)], REGISTRY)
    report = render(found, "content/data/officials.yml", taken={"pham-van-an"})
    stubs = yaml.safe_load(report)
    assert stubs[0] == {
        "id": "le-van-tam",
        "name": "Lê Văn Tám",
        "positions": [
            {"title": "Tổ trưởng tổ dân phố số 7", "from": stubs[0]["positions"][0]["from"]}
        ],
    }
    assert str(stubs[0]["positions"][0]["from"]) == "2023-03-08"
    assert "# Lê Văn Tám: 2 lần" in report
    # The stubs pass the registry's own checks once pasted.
    parse_registry(report)


def test_suggest_with_nothing_to_add():
    assert "Không thấy" in render([], "officials.yml")


def test_make_officials_suggest_runs(tmp_path):
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "data").mkdir()
    (content / "bai-viet" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (content / "data" / "officials.yml").write_text(
        "- id: pham-van-an\n  name: Phạm Văn An\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "officials.suggest", str(content)],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT / "plugins")}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "- id: le-van-tam" in proc.stdout
    assert "pham-van-an" not in proc.stdout


@pytest.mark.parametrize(
    ("name", "occurrence", "line"),
    [("Phạm Văn An", 0, 5), ("Phạm Văn An", 1, 9), ("PHẠM VĂN AN", 0, 5), ("Lê Văn Tám", 5, 7)],
    ids=["first", "second", "other-case", "missing-occurrence-falls-back-to-first"],
)
def test_mention_line(name, occurrence, line):
    assert mention_line(ARTICLE, name, occurrence) == line


def test_header_line():
    assert header_line(ARTICLE, "category") == 3
    assert header_line(ARTICLE, "officials") == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"colour": "red"}, "unknown setting"),
        ({"url": "can-bo/"}, "must contain {id}"),
        ({"per_page": "ba"}, "must be a int"),
        ({"groups": [("Đảng ủy",)]}, "(heading, [title words])"),
        ("can-bo", "must be a dict"),
    ],
    ids=["unknown-key", "url-without-id", "wrong-type", "bad-group", "not-a-dict"],
)
def test_bad_settings(given, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        parse_settings({"OFFICIALS": given})


def test_default_settings():
    options = parse_settings({})
    assert options["url"] == "can-bo/{id}/"
    assert options["groups"][0][0] == "Đảng ủy"
