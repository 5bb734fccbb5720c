"""`make check`: each mistake staff make is reported once, in Vietnamese, with file:line
and the fix (tests/fixtures/check has one article per mistake)."""

import logging
import shutil
import subprocess
import sys
from datetime import datetime

import pytest
from conftest import FIXTURES, ROOT, build_site

from build_report import COLLECTOR, summary

CHECK = FIXTURES / "check"
BIG = 21_000_000


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """(records of a publish-settings build of the check fixture, output folder)."""
    tmp = tmp_path_factory.mktemp("check")
    content = tmp / "content"
    shutil.copytree(CHECK, content)
    # A photo file over 20 MB (sparse: no disk used) named by an article.
    big = content / "images" / "2026" / "11" / "anh-qua-lon.jpg"
    with open(big, "wb") as f:
        f.write((CHECK / "images" / "2026" / "11" / "toan-canh.jpg").read_bytes())
        f.truncate(BIG)
    (content / "bai-viet" / "2026" / "anh-qua-lon.md").write_text(
        "Title: Ảnh quá lớn\nDate: 23/11/2026 09:00\nCategory: Tin hoạt động\n"
        "Summary: Ảnh chép thẳng từ máy ảnh.\n\nĐoạn đầu.\n\n"
        '![Toàn cảnh](images/2026/11/anh-qua-lon.jpg "Toàn cảnh")\n',
        encoding="utf-8",
    )
    # Text pasted from old Word files (tests/fixtures/legacy: real TCVN3 and VNI bytes as
    # they arrive, and a file saved in TCVN3 bytes).
    for name in ("tcvn3.md", "vni.md", "cp1258.md", "nfd.md", "tcvn3.raw", "cp1258.raw"):
        target = content / "bai-viet" / "2026" / f"cu-{name.replace('.', '-')}.md"
        shutil.copy(FIXTURES / "legacy" / name, target)
    build_site(content, tmp / "output", "publishconf.py", BUILD_REPORT={"fail": False})
    # What the build's summary lists: errors, warnings and notes (build_report).
    return list(COLLECTOR.records), tmp / "output"


EXPECTED = [
    # (file:line, level, words of the message)
    (
        "bai-viet/2026/mo-ta-anh.md:8",
        logging.WARNING,
        "ảnh 'images/2026/11/toan-canh.jpg' chưa có mô tả",
    ),
    (
        "bai-viet/2026/lien-ket-hong.md:6",
        logging.WARNING,
        "liên kết tới '/bai-viet/2026/bai-khong-co.md' không dẫn tới",
    ),
    ("bai-viet/2026/thieu-tom-tat.md:1", logging.INFO, "bài chưa có tóm tắt"),
    ("bai-viet/2026/hen-gio.md:2", logging.INFO, "ngày đăng 28/11/2099 09:30 ở tương lai"),
    (
        "bai-viet/2026/ghim-het-han.md:6",
        logging.INFO,
        "thông báo ghim đã hết hạn (31/10/2026 17:00)",
    ),
    (
        "bai-viet/2026/ma-can-bo-sai.md:5",
        logging.ERROR,
        "mã cán bộ 'vu-trong-thuu' ở mục 'Officials' không có trong",
    ),
    (
        "bai-viet/2026/chuyen-muc-sai.md:3",
        logging.ERROR,
        "chuyên mục 'Thong bao' không có trên trang. Có phải ý bạn là 'Thông báo'?",
    ),
    (
        "bai-viet/2026/ten-bo-dau.md:6",
        logging.INFO,
        "tên 'Thuỷ' ở đây, nơi khác viết 'Thủy' (2 lần)",
    ),
    (
        "bai-viet/2026/anh-qua-lon.md:8",
        logging.ERROR,
        "ảnh 'images/2026/11/anh-qua-lon.jpg' nặng 21 MB, quá 20 MB",
    ),
    (
        "bai-viet/2026/cu-tcvn3-md.md:7",
        logging.ERROR,
        "chữ bị lỗi phông 'S¸ng 28/11, ph\xadêng Th\xadîng Thanh tæ chøc': đoạn này được gõ bằng bảng mã cũ TCVN3 (ABC, phông .VnTime)",
    ),
    (
        "bai-viet/2026/cu-vni-md.md:7",
        logging.ERROR,
        "bảng mã cũ VNI (phông VNI-Times) và sẽ hiện sai trên trang. Chạy 'make fix FILE=",
    ),
    (
        "bai-viet/2026/cu-cp1258-md.md:7",
        logging.INFO,
        "chữ 'Hội Liên hiệp Phụ nữ phường ra quân' được lưu ở dạng Windows-1258 (dấu tách rời).",
    ),
    (
        "bai-viet/2026/cu-cp1258-raw.md:1",
        logging.ERROR,
        "tệp không được lưu dạng UTF-8 (có vẻ là bảng mã cũ Windows-1258 (dấu tách rời)).",
    ),
    (
        "bai-viet/2026/cu-nfd-md.md:7",
        logging.INFO,
        "được lưu ở dạng Unicode tổ hợp (NFD). Trang tự sửa khi dựng",
    ),
    (
        "bai-viet/2026/cu-tcvn3-raw.md:1",
        logging.ERROR,
        "tệp không được lưu dạng UTF-8 (có vẻ là bảng mã cũ TCVN3 (ABC, phông .VnTime)). Chạy 'make fix FILE=",
    ),
]


@pytest.mark.parametrize(
    "where, level, words", EXPECTED, ids=[e[0].split("/")[-1] for e in EXPECTED]
)
def test_each_mistake_once_with_its_line(checked, where, level, words):
    records, _ = checked
    prefixed = [r for r in records if where in r.getMessage().split(": ", 1)[0]]
    matching = [r for r in prefixed if words in r.getMessage()]
    assert len(matching) == 1, [r.getMessage() for r in prefixed]
    assert matching[0].levelno == level


def test_did_you_mean_for_an_official_id(checked):
    records, _ = checked
    message = next(r.getMessage() for r in records if "vu-trong-thuu" in r.getMessage())
    assert "Có phải ý bạn là 'vu-trong-thu'?" in message


def test_no_english_pelican_line_and_counts_are_mistakes(checked):
    records, _ = checked
    problems = [r for r in records if r.levelno >= logging.WARNING]
    for record in problems:
        text = record.getMessage()
        assert not text.startswith(("Could not process", "Empty alt", "Unable to find")), text
    head = summary(problems).splitlines()[0]
    errors = sum(r.levelno >= logging.ERROR for r in problems)
    assert errors == 7  # official id, category, photo size, TCVN3, VNI, two legacy files
    assert head.startswith(f"Bản dựng có {errors} lỗi và {len(problems) - errors} cảnh báo")


def test_day_first_date_is_the_sixth_of_july(checked):
    _, output = checked
    html = (output / "tin-hoat-dong" / "ngay-viet-ngay-truoc-thang-sau" / "index.html").read_text(
        "utf-8"
    )
    assert 'datetime="2022-07-06T09:54:00+07:00"' in html


def test_make_check_fails_on_errors_and_names_them(tmp_path):
    """The real `make check` on a copy of the fixture: exit 1, the summary in Vietnamese."""
    content = tmp_path / "content"
    shutil.copytree(CHECK, content)
    done = subprocess.run(
        ["make", "--no-print-directory", "check", f"INPUTDIR={content}", f"CHECKDIR={tmp_path / 'out'}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "chuyen-muc-sai.md:3: chuyên mục 'Thong bao'" in out
    assert "Chưa xuất bản được" in out
    assert "Could not process" not in out


def test_make_new_starts_a_draft_and_refuses_a_taken_slug(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CHECK, content)
    env = {"PATH": "/usr/bin:/bin", "TITLE": 'Hội nghị   "tổng kết" năm 2026', "TYPE": "thong-bao"}
    run = [sys.executable, str(ROOT / "tools" / "new_article.py"), "--content", str(content)]
    made = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stdout
    path = content / "bai-viet" / str(datetime.now().year) / "hoi-nghi-tong-ket-nam-2026.md"
    text = path.read_text("utf-8")
    assert text.startswith('Title: Hội nghị "tổng kết" năm 2026\nDate: ')
    assert "\nCategory: Thông báo\n" in text and "\nStatus: draft\n" in text
    assert str(path) in made.stdout and "/ban-nhap/hoi-nghi-tong-ket-nam-2026/" in made.stdout
    again = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 1
    assert f"Đã có bài dùng địa chỉ 'hoi-nghi-tong-ket-nam-2026': {path}" in again.stdout
    wrong = subprocess.run(
        run,
        env={**env, "CATEGORY": "Thong bao", "TITLE": "Khác"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 2
    assert "Có phải là 'Thông báo'?" in wrong.stdout


def test_an_expiry_date_without_time_lasts_the_whole_day(tmp_path):
    from ward_reader.advice import check_text
    from ward_reader.header import read_header

    text = "Title: A\nDate: 01/11/2026\nCategory: Thông báo\nSummary: B.\nPinned: yes\nExpires: 30/11/2026\n\nC.\n"
    fields, _ = read_header(text)

    def notes(now):
        found = check_text(
            text, fields, source=str(tmp_path / "a.md"), where="a.md", content_root=str(tmp_path),
            is_page=False, now=now, max_image_bytes=2e7,
        )  # fmt: skip
        return [f.message for f in found if "hết hạn" in f.message]

    assert notes(datetime(2026, 11, 30, 23, 59)) == []
    assert notes(datetime(2026, 12, 1, 0, 0)) == [
        "thông báo ghim đã hết hạn (30/11/2026) nên không còn ở đầu trang chủ. Có thể xóa dòng "
        "'Pinned' và 'Expires'."
    ]
