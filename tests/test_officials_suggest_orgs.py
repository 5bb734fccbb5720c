"""officials-suggest: people named with the title of any organisation of the ward, and the
date the stub starts from (day-first dates, undated pages)."""

import pytest
import yaml
from conftest import ROOT

from officials.registry import Registry, RegistryError, load_registry, parse_registry
from officials.suggest import main, suggest

ORGANISATIONS = """\
Title: Hội nghị sơ kết các đoàn thể
Date: 28/11/2026 09:30
Category: Tin hoạt động

Ông Nguyễn Văn An – Chủ tịch Hội Cựu chiến binh phường phát biểu khai mạc.

Bà Trần Thị Bình, Tổ trưởng tổ dân phố số 7 cho biết cả tổ đã hoàn thành chỉ tiêu.

Cô Lê Thu Hà, Hiệu trưởng Trường Tiểu học Thượng Thanh chia sẻ kinh nghiệm.

Trạm trưởng Trạm Y tế phường Phạm Văn Dũng hướng dẫn phòng dịch.

Chủ nhiệm Câu lạc bộ Thơ ca Hoàng Văn Em đọc bài thơ mới.

Hội trưởng Hội Khuyến học phường Đỗ Văn Giang trao học bổng.

Trưởng Ban Chỉ đạo vận động hiến máu phường Vũ Văn Hải báo cáo.

Chủ tịch Hội Chữ thập đỏ phường là bà Bùi Thị Lan.

Hiệu trưởng Trường THCS Lê Quý Đôn Ngô Thị Mai phát biểu.

Bí thư Đoàn Thanh Niên Đặng Văn Nam cùng các đoàn viên ra quân.

Tiết mục của Đoàn TNCS Hồ Chí Minh phường được khen. Ông Tạ Văn Oanh vui vẻ chia sẻ.

Ảnh: Lưu Văn Phúc
"""

ORGANISATION_PAGE = """\
Title: Các đoàn thể
Modified: 2026-01-05 08:00

- **Hội Nông dân phường:** Chủ tịch – ông Đinh Văn Quý; Phó Chủ tịch – bà Lý Thị Sen
- Giám đốc Hợp tác xã Nông nghiệp Thượng Thanh Cao Văn Thắng
"""

EARLIER = """\
Title: Tặng quà
Date: 6/7/2022
Category: Tin hoạt động

Ông Nguyễn Văn An, Chủ tịch Hội Cựu chiến binh phường, tặng quà.

Date: 2001-01-01
"""


@pytest.fixture
def report(tmp_path, capsys):
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "bai-viet" / "doan-the.md").write_text(ORGANISATIONS, encoding="utf-8")
    (content / "bai-viet" / "tang-qua.md").write_text(EARLIER, encoding="utf-8")
    (content / "pages" / "doan-the.md").write_text(ORGANISATION_PAGE, encoding="utf-8")
    assert main([str(content)]) == 0
    return capsys.readouterr().out


def _stubs(report):
    return {s["name"]: s for s in yaml.safe_load(report)}


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Nguyễn Văn An", "Chủ tịch Hội Cựu chiến binh phường"),
        ("Trần Thị Bình", "Tổ trưởng tổ dân phố số 7"),
        ("Lê Thu Hà", "Hiệu trưởng Trường Tiểu học Thượng Thanh"),
        ("Phạm Văn Dũng", "Trạm trưởng Trạm Y tế phường"),
        ("Hoàng Văn Em", "Chủ nhiệm Câu lạc bộ Thơ ca"),
        ("Đỗ Văn Giang", "Hội trưởng Hội Khuyến học phường"),
        ("Vũ Văn Hải", "Trưởng Ban Chỉ đạo vận động hiến máu phường"),
        ("Bùi Thị Lan", "Chủ tịch Hội Chữ thập đỏ phường"),
        ("Ngô Thị Mai", "Hiệu trưởng Trường THCS Lê Quý Đôn"),
        ("Đặng Văn Nam", "Bí thư Đoàn Thanh Niên"),
        ("Đinh Văn Quý", "Chủ tịch Hội Nông dân phường"),
        ("Lý Thị Sen", "Phó Chủ tịch Hội Nông dân phường"),
        ("Cao Văn Thắng", "Giám đốc Hợp tác xã Nông nghiệp Thượng Thanh"),
    ],
)
def test_people_of_any_organisation_are_listed_with_their_title(report, name, title):
    assert _stubs(report)[name]["positions"][0]["title"] == title


def test_no_one_else_is_listed(report):
    # History ('Lê Quý Đôn', 'Hồ Chí Minh'), a credit and a resident ('Ông' alone) are not.
    assert len(_stubs(report)) == 13


def test_day_first_date_gives_the_start(report):
    stubs = _stubs(report)
    # The earliest article: 6/7/2022; a 'Date:' line in the body is not the article's date.
    assert str(stubs["Nguyễn Văn An"]["positions"][0]["from"]) == "2022-07-06"
    assert str(stubs["Trần Thị Bình"]["positions"][0]["from"]) == "2026-11-28"


def test_undated_page_makes_up_no_date(report):
    assert "2000-01-01" not in report
    stub = _stubs(report)["Đinh Văn Quý"]
    assert stub["positions"][0]["from"] is None
    assert "hãy điền ngày bắt đầu" in report
    # Pasted as is, the registry asks for the date instead of taking a wrong one.
    with pytest.raises(RegistryError, match="ngày bắt đầu"):
        parse_registry(yaml.safe_dump([stub], allow_unicode=True))


def test_dated_stubs_pass_the_registry_checks(report):
    dated = [s for s in yaml.safe_load(report) if s["positions"][0]["from"]]
    assert len(dated) == 10  # all but the three of the undated page
    parse_registry(yaml.safe_dump(dated, allow_unicode=True))


def test_five_word_name_is_kept_whole():
    article = (
        "Title: Một cửa\nDate: 2024-03-01\n\n"
        "Đồng chí Trần Thị Thu Hà Phúc, cán bộ một cửa phường Ngọc Thụy, hướng dẫn.\n"
    )
    found = suggest([("a.md", article)], Registry())
    assert [s.name for s in found] == ["Trần Thị Thu Hà Phúc"]


def test_real_content_names_no_one_by_mistake():
    """With an empty registry, everyone found in content/ is someone the registry has:
    no organisation, place or history is taken for a person. A new official named in an
    article belongs in content/data/officials.yml (see make officials-suggest)."""
    content = ROOT / "content"
    registry = load_registry(content / "data" / "officials.yml")
    known = {name for official in registry for name in official.names}
    files = [(str(p), p.read_text(encoding="utf-8-sig")) for p in sorted(content.rglob("*.md"))]
    found = suggest(files, Registry())
    assert found
    assert {s.name for s in found} <= known, [(s.name, s.places) for s in found]
