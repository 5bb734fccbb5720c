"""Access-log lines for the view_counts tests and benchmark, built from parts."""

from datetime import datetime, timedelta, timezone

ICT = timezone(timedelta(hours=7))
PHONE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
ZALO_APP = PHONE + " Zalo android/12345 ZaloTheme/light ZaloLanguage/vi"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
TELEGRAM = "TelegramBot (like TwitterBot)"
HEADLESS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/120.0.0.0 Safari/537.36"
)


def when(text):
    """`2026-11-28 10:00:00` in the ward's time zone -> aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ICT)


def line(
    ip,
    at,
    path,
    *,
    status=200,
    method="GET",
    agent=PHONE,
    sec_purpose=None,
    purpose=None,
    size=5120,
    referer="-",
):
    """One nginx log line (`combined`, or `ward_views` when a purpose field is given)."""
    stamp = (at if isinstance(at, datetime) else when(at)).strftime("%d/%b/%Y:%H:%M:%S %z")
    text = f'{ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "{referer}" "{agent}"'
    if sec_purpose is not None or purpose is not None:
        text += f' "{sec_purpose or "-"}" "{purpose or "-"}"'
    return text + "\n"
