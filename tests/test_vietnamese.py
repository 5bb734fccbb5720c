"""vietnamese: dates and numbers through Babel, independent of the system locale."""

import locale
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT
from pelican.settings import read_settings
from pelican.utils import slugify

from vietnamese.formatting import (
    iso,
    parse_settings,
    vi_date,
    vi_datetime,
    vi_month,
    vi_number,
    vi_weekday,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = datetime(2022, 7, 6, 9, 54, tzinfo=HANOI)


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (vi_datetime, WHEN, "06/07/2022 | 09:54"),
        (vi_datetime, datetime(2022, 7, 6, 2, 54, tzinfo=UTC), "06/07/2022 | 09:54"),
        (vi_datetime, datetime(2022, 7, 6, 9, 54), "06/07/2022 | 09:54"),
        (vi_date, WHEN, "06/07/2022"),
        (vi_date, date(2021, 12, 31), "31/12/2021"),
        (vi_weekday, WHEN, "Thứ Tư"),
        (vi_weekday, datetime(2022, 7, 10, tzinfo=HANOI), "Chủ Nhật"),
        (vi_month, WHEN, "Tháng 7/2022"),
        (vi_number, 13530, "13.530"),
        (vi_number, 1025, "1.025"),
        (vi_number, 652, "652"),
        (vi_number, 2.5, "2,5"),
        (vi_number, 1234567, "1.234.567"),
        (iso, WHEN, "2022-07-06T09:54:00+07:00"),
    ],
    ids=[
        "datetime", "utc-converted-to-hanoi", "naive-taken-as-hanoi", "date", "plain-date",
        "weekday", "sunday", "month", "thousands", "thousands-2", "small", "decimal-comma",
        "millions", "iso",
    ],
)  # fmt: skip
def test_formatting(func, value, expected):
    assert func(value) == expected


def test_one_instant_is_shown_in_the_zone_of_the_settings_each_time():
    # Formatting is made once per value: the same instant in another zone is another value.
    instant = datetime(2022, 7, 6, 2, 54, tzinfo=UTC)
    hanoi, utc = (
        parse_settings({"TIMEZONE": "Asia/Ho_Chi_Minh"}),
        parse_settings({"TIMEZONE": "UTC"}),
    )
    assert vi_datetime(instant, hanoi) == "06/07/2022 | 09:54"
    assert vi_datetime(instant, utc) == "06/07/2022 | 02:54"
    assert vi_datetime(instant, hanoi) == "06/07/2022 | 09:54"
    assert vi_weekday(datetime(2022, 7, 5, 20, tzinfo=UTC), hanoi) == "Thứ Tư"
    assert vi_weekday(datetime(2022, 7, 5, 20, tzinfo=UTC), utc) == "Thứ Ba"


def test_independent_of_the_process_locale():
    before = locale.setlocale(locale.LC_ALL)
    try:
        locale.setlocale(locale.LC_ALL, "C")
        assert vi_datetime(WHEN) == "06/07/2022 | 09:54"
        assert vi_number(13530) == "13.530"
    finally:
        locale.setlocale(locale.LC_ALL, before)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đảng ủy phường", "dang-uy-phuong"),
        ("Thượng Thanh sơ kết 6 tháng đầu năm", "thuong-thanh-so-ket-6-thang-dau-nam"),
        ("HĐND & UBND: “Tự soi, tự sửa”", "hdnd-ubnd-tu-soi-tu-sua"),
        ("Ngày hội Đại đoàn kết – năm 2024", "ngay-hoi-dai-doan-ket-nam-2024"),
        ("Ưu tiên ứng dụng dịch vụ công", "uu-tien-ung-dung-dich-vu-cong"),
    ],
    ids=["d-stroke", "tones", "punctuation", "dash", "horned-letters"],
)
def test_slugs_are_ascii(title, slug):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]) == slug
