"""Text typed with legacy Vietnamese encodings: ward_reader.legacy and `make fix`.

The fixtures (tests/fixtures/legacy, made by make_fixtures.py there) are small articles
whose line 7 is a paragraph typed in TCVN3, VNI, Windows-1258 or NFD; tcvn3.raw and
cp1258.raw are whole articles saved in raw legacy bytes. Every test that writes works on
copies in tmp_path.
"""

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tools.fix_text import main as fix_main
from ward_reader.legacy import (
    LABELS,
    SAMPLE_MAX,
    Finding,
    convert,
    decode_legacy_bytes,
    find_legacy,
    fix_text,
    is_syllable,
)

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT / "tests" / "fixtures" / "legacy"
LINE = 7  # the paragraph's line in each UTF-8 fixture
sys.path.insert(0, str(LEGACY))
from make_fixtures import RAW_CP1258_ARTICLE, RAW_TCVN3_ARTICLE, article  # noqa: E402

# What each fixture must read once converted (Unicode NFC).
EXPECTED = {
    "tcvn3": article(
        "Hội nghị tổng kết tiêm chủng",
        "Sáng 28/11, phường Thượng Thanh tổ chức hội nghị tổng kết công tác tiêm chủng mở "
        "rộng năm 2026; các tổ dân phố cùng trạm y tế đã tiêm đủ mũi cho hơn một nghìn trẻ "
        "em và người cao tuổi. Đảng ủy phường biểu dương ba tổ làm tốt nhất.",
    ),
    "vni": article(
        "Ngày tiêm vắc-xin cúm",
        "Trạm y tế phường tổ chức ngày tiêm vắc-xin cúm miễn phí cho người cao tuổi; mỗi "
        "tổ dân phố cử một cán bộ hướng dẫn bà con đến đúng giờ, Đoàn thanh niên hỗ trợ "
        "đăng ký.",
    ),
    "cp1258": article(
        "Ra quân dọn vệ sinh",
        "Hội Liên hiệp Phụ nữ phường ra quân dọn vệ sinh môi trường, trồng thêm cây xanh "
        "dọc đường Ngọc Thụy và thu gom rác thải nhựa ở các tổ dân phố.",
    ),
    "nfd": article(
        "Tuyên truyền phòng cháy",
        "Đoàn thanh niên phường phối hợp với Công an phường tuyên truyền phòng cháy, chữa "
        "cháy tại các khu nhà trọ trên địa bàn trước mùa khô.",
    ),
}
EXPECTED_RAW = {"tcvn3": RAW_TCVN3_ARTICLE, "cp1258": RAW_CP1258_ARTICLE}
# Correct text that must never be reported: accents of other languages, typographic
# punctuation, a soft hyphen on its own, Markdown syntax.
CLEAN = """\
Title: Quán “Café Naïve” – chuyện một résumé
Tags: Văn hóa, Ẩm thực

# Chị Lan mở quán cà phê ở Zürich

Chị kể: “Tôi học nấu món crème brûlée ở Paris, rồi về Thượng\u00adThanh mở quán” — một \
chuyện ‘đẹp’… nhưng inter\u00adnational là từ khó; naïve, café, résumé, Noël, señor, Köln.

- **Đậm** và _nghiêng_, `mã`, [liên kết](https://example.com/a-b?x=1&y=2#z) \
![ảnh](images/2026/11/a.jpg "Chú thích")
> Trích dẫn: © 2026, 5 µg, 3×4, § 2, « Bonjour », l·l, 1½.

| Cột | Giá trị |
|-----|---------|
| Đơn giá | 12.000 đ |
"""


def read(name):
    return (LEGACY / name).read_text(encoding="utf-8")


def copy_fixtures(tmp_path):
    """The six fixtures (the raw ones named .md, as staff would have them) and one clean
    article, in tmp_path/content."""
    content = tmp_path / "content"
    content.mkdir()
    for kind in EXPECTED:
        shutil.copy(LEGACY / f"{kind}.md", content / f"{kind}.md")
    for kind in EXPECTED_RAW:
        shutil.copy(LEGACY / f"{kind}.raw", content / f"{kind}-raw.md")
    shutil.copy(ROOT / "content" / "pages" / "lien-he.md", content / "lien-he.md")
    return content


def run_tool(*args, cwd):
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "fix_text.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


# --- The fixtures hold the real byte sequences ----------------------------------------------
def test_fixtures_hold_the_legacy_byte_sequences():
    # TCVN3 bytes read as Windows-1252: ư is U+00AD, ờ is ê, ợ is î, ổ is æ, ứ is ø, ộ is é.
    assert "ph\u00adêng Th\u00adîng Thanh tæ chøc héi nghÞ" in read("tcvn3.md")
    assert "Phường" not in read("tcvn3.md").split("\n")[LINE - 1]
    # VNI: ư is ö, ờ is ô + ø, ế is e + á, đ is ñ.
    assert "Traïm y teá phöôøng toå chöùc ngaøy tieâm" in read("vni.md")
    assert "Ñoaøn" in read("vni.md")
    # Windows-1258: the base letter, then a combining tone mark.
    assert "Ph\u01b0\u01a1\u0300ng" not in read("cp1258.md")
    assert "ph\u01b0\u01a1\u0300ng" in read("cp1258.md")
    assert "pho\u0302\u0301i" in read("nfd.md")
    tcvn3, cp1258 = (LEGACY / "tcvn3.raw").read_bytes(), (LEGACY / "cp1258.raw").read_bytes()
    assert b"Th\xabng b\xb8o" in tcvn3 and b"ph\xad\xeang Th\xad\xeeng" in tcvn3
    assert b"Th\xf4ng b\xe1o" in cp1258 and b"ph\xfd\xf5\xccng" in cp1258
    for raw in (tcvn3, cp1258):
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


# --- find_legacy -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_find_legacy_reports_the_line_and_the_kind(kind):
    text = read(f"{kind}.md")
    findings = find_legacy(text)
    assert [(f.line, f.kind) for f in findings] == [(LINE, kind)]
    sample = findings[0].sample
    assert 0 < len(sample) <= SAMPLE_MAX
    assert sample in text.split("\n")[LINE - 1]
    assert isinstance(findings[0], Finding)


def test_find_legacy_samples_are_the_garbled_words():
    assert find_legacy("a\nb\nPh\u00adêng Th\u00adîng Thanh tæ chøc héi nghÞ") == [
        Finding(3, "tcvn3", "Ph\u00adêng Th\u00adîng Thanh tæ chøc héi nghÞ")
    ]
    assert find_legacy("Phöôøng Thöôïng Thanh toå chöùc") == [
        Finding(1, "vni", "Phöôøng Thöôïng Thanh toå chöùc")
    ]


def test_no_finding_in_the_sample_site():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 10
    for path in files:
        assert find_legacy(path.read_text(encoding="utf-8")) == [], path


def test_no_finding_in_correct_text_of_any_language():
    assert find_legacy(CLEAN) == []
    assert find_legacy(EXPECTED["tcvn3"] + EXPECTED["vni"] + EXPECTED["cp1258"]) == []


@pytest.mark.parametrize(
    "line",
    [
        "Phường Thượng Thanh tæ chức hội nghị",  # one stray character
        "Giá 5 µg, ông Zürich về Hà Nội",
        "Tổ dân phố số 5 tổ chức vui Tết",
    ],
)
def test_one_stray_character_is_not_reported(line):
    assert find_legacy(line) == []


def test_vntimeh_capitals_and_mixed_lines():
    # Toned capitals typed with the all-capitals font .VnTimeH sit on lower-case codes.
    assert convert("HéI NGHÞ TæNG KÕT", "tcvn3") == "HỘI NGHỊ TỔNG KẾT"
    # Words already in Unicode are left alone.
    assert convert("Phường Thượng Thanh tæ chøc héi nghÞ", "tcvn3") == (
        "Phường Thượng Thanh tổ chức hội nghị"
    )
    assert convert("Nghò ñònh 78/2021/NÑ-CP; Ñ/c Toaøn", "vni") == (
        "Nghị định 78/2021/NĐ-CP; Đ/c Toàn"
    )


def test_syllable_shape():
    for word in ("Phường", "nghị", "khuỷu", "giữa", "quyết", "ĐẢNG", "oong", "ạ"):
        assert is_syllable(word), word
    for word in ("café", "Zürich", "UBND", "tæ", "phưƠng", "hóà", "naïve"):
        assert not is_syllable(word), word


# --- convert, fix_text, decode_legacy_bytes ------------------------------------------------------
def test_convert_the_examples():
    assert convert("Ph\u00adêng Th\u00adîng Thanh tæ chøc héi nghÞ", "tcvn3") == (
        "Phường Thượng Thanh tổ chức hội nghị"
    )
    assert convert("Phöôøng Thöôïng Thanh", "vni") == "Phường Thượng Thanh"
    decomposed = "Ph\u01b0\u01a1\u0300ng"
    assert convert(decomposed, "cp1258") == "Phường"
    assert convert(unicodedata.normalize("NFD", "Phường"), "nfd") == "Phường"
    with pytest.raises(ValueError):
        convert("x", "viscii")


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_fix_text_converts_the_line_and_nothing_else(kind):
    new, changes = fix_text(read(f"{kind}.md"))
    assert new == EXPECTED[kind]
    assert unicodedata.is_normalized("NFC", new)
    assert [(line, k) for line, k, _, _ in changes] == [(LINE, kind)]
    _, _, before, after = changes[0]
    assert before.rstrip("…") in read(f"{kind}.md") and after.rstrip("…") in new
    assert find_legacy(new) == []
    assert fix_text(new) == (new, [])


@pytest.mark.parametrize("kind", list(EXPECTED_RAW))
def test_decode_legacy_bytes(kind):
    text, found = decode_legacy_bytes((LEGACY / f"{kind}.raw").read_bytes())
    assert (text, found) == (EXPECTED_RAW[kind], kind)
    assert find_legacy(text) == []


def test_decode_legacy_bytes_tells_vni():
    raw = read("vni.md").split("\n")[LINE - 1].encode("cp1252")
    text, kind = decode_legacy_bytes(raw)
    assert kind == "vni"
    assert text == EXPECTED["vni"].split("\n")[LINE - 1]


# --- tools/fix_text.py ---------------------------------------------------------------------------
def test_tool_converts_the_files_with_a_backup_and_reports(tmp_path):
    content = copy_fixtures(tmp_path)
    originals = {path.name: path.read_bytes() for path in content.iterdir()}
    result = run_tool("--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for kind, text in EXPECTED.items():
        path = content / f"{kind}.md"
        assert path.read_text(encoding="utf-8") == text
        assert (content / f"{kind}.md.bak").read_bytes() == originals[f"{kind}.md"]
        assert f"content/{kind}.md: đã sửa 1 dòng (bản sao lưu: content/{kind}.md.bak)" in out
        assert f"  dòng 7, {LABELS[kind]}: " in out
    for kind, text in EXPECTED_RAW.items():
        path = content / f"{kind}-raw.md"
        assert path.read_bytes() == text.encode("utf-8")
        assert (content / f"{kind}-raw.md.bak").read_bytes() == originals[f"{kind}-raw.md"]
        assert (
            f"content/{kind}-raw.md: tệp không phải UTF-8, đã đọc theo bảng mã {LABELS[kind]} "
            f"và lưu lại bằng Unicode (bản sao lưu: content/{kind}-raw.md.bak)"
        ) in out
    assert (
        "  dòng 7, TCVN3 (ABC, phông .VnTime): S¸ng 28/11, ph\u00adêng Th\u00adîng Thanh tæ "
        "chøc… → Sáng 28/11, phường Thượng Thanh tổ chức…"
    ) in out
    assert (
        "  dòng 7, VNI (phông VNI-Times): Traïm y teá phöôøng toå chöùc ngaøy… → "
        "Trạm y tế phường tổ chức ngày…"
    ) in out
    assert "  dòng 3, TCVN3 (ABC, phông .VnTime): Th«ng b¸o → Thông báo" in out
    assert "content/lien-he.md: không có gì cần sửa" in out
    assert not (content / "lien-he.md.bak").exists()
    assert out.rstrip().endswith("Tổng cộng: đã sửa 11 dòng trong 6/7 tệp.")
    for path in content.glob("*.md"):
        assert find_legacy(path.read_text(encoding="utf-8")) == [], path

    # A second run finds nothing and writes no other backup.
    again = run_tool("--content", "content", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.count("không có gì cần sửa") == 8  # seven files and the total
    assert not list(content.glob("*.bak2"))


def test_tool_never_overwrites_a_backup(tmp_path, capsys):
    path = tmp_path / "bai.md"
    shutil.copy(LEGACY / "vni.md", path)
    (tmp_path / "bai.md.bak").write_text("bản cũ", encoding="utf-8")
    assert fix_main([str(path)]) == 0
    assert (tmp_path / "bai.md.bak").read_text(encoding="utf-8") == "bản cũ"
    assert (tmp_path / "bai.md.bak2").read_bytes() == (LEGACY / "vni.md").read_bytes()
    assert path.read_text(encoding="utf-8") == EXPECTED["vni"]
    assert "bản sao lưu: " in capsys.readouterr().out


def test_tool_writes_lf_line_endings(tmp_path):
    path = tmp_path / "bai.md"
    path.write_bytes(read("tcvn3.md").replace("\n", "\r\n").encode("utf-8"))
    assert fix_main([str(path)]) == 0
    assert path.read_bytes() == EXPECTED["tcvn3"].encode("utf-8")


def test_tool_leaves_a_clean_file_alone(tmp_path, capsys):
    path = tmp_path / "bai.md"
    path.write_bytes(CLEAN.replace("\n", "\r\n").encode("utf-8"))
    assert fix_main([str(path)]) == 0
    assert path.read_bytes() == CLEAN.replace("\n", "\r\n").encode("utf-8")
    assert not (tmp_path / "bai.md.bak").exists()
    out = capsys.readouterr().out
    assert "bai.md: không có gì cần sửa" in out
    assert "Tổng cộng: không có gì cần sửa trong 1 tệp." in out


def test_tool_refuses_a_missing_path(tmp_path, capsys):
    shutil.copy(LEGACY / "vni.md", tmp_path / "bai.md")
    missing = tmp_path / "khong-co.md"
    assert fix_main([str(tmp_path / "bai.md"), str(missing)]) == 2
    assert f"Không tìm thấy tệp hay thư mục '{missing}'" in capsys.readouterr().err
    # Nothing is converted when one of the paths is wrong.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.md"]
