"""Pure formatting functions (Babel), knowing nothing of Pelican."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

DEFAULTS = {
    "locale": "vi",
    "timezone": "Asia/Ho_Chi_Minh",
    "datetime": "dd/MM/yyyy | HH:mm",
    "date": "dd/MM/yyyy",
}


def parse_settings(settings):
    """VIETNAMESE settings filled with defaults; the time zone follows TIMEZONE."""
    given = settings.get("VIETNAMESE", {})
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"VIETNAMESE: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, "timezone": settings.get("TIMEZONE", DEFAULTS["timezone"]), **given}
    out["tzinfo"] = ZoneInfo(out["timezone"])
    return out


STANDARD = parse_settings({})


def _local(value, options):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=options["tzinfo"])
        return value.astimezone(options["tzinfo"])
    return value


def vi_datetime(value, options=None):
    options = options or STANDARD
    value = _local(value, options)
    if not isinstance(value, datetime):
        return vi_date(value, options)
    return format_datetime(value, options["datetime"], locale=options["locale"])


def vi_date(value, options=None):
    options = options or STANDARD
    return format_date(_local(value, options), options["date"], locale=options["locale"])


def vi_weekday(value, options=None):
    options = options or STANDARD
    return format_date(_local(value, options), "EEEE", locale=options["locale"])


def vi_month(value, options=None):
    """`Tháng 7/2022`: how Vietnamese sites name a month in archives."""
    options = options or STANDARD
    value = _local(value, options)
    return f"Tháng {value.month}/{value.year}"


def vi_number(value, options=None):
    options = options or STANDARD
    return format_decimal(value, locale=options["locale"])


def iso(value, options=None):
    options = options or STANDARD
    value = _local(value, options)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


FILTERS = {
    "vi_datetime": vi_datetime,
    "vi_date": vi_date,
    "vi_weekday": vi_weekday,
    "vi_month": vi_month,
    "vi_number": vi_number,
    "iso": iso,
}
