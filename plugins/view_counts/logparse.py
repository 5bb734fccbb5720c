"""Parsing one access-log line and folding a request path: pure functions.

Formats read (nginx escapes `"`, control and non-ASCII bytes inside variables as \\xHH;
Apache escapes `"` as \\"):

    combined:  $remote_addr - $remote_user [$time_local] "$request" $status
               $body_bytes_sent "$http_referer" "$http_user_agent"
    ward_views: combined + ` "$http_sec_purpose" "$http_purpose"`
"""

import calendar
import re
import unicodedata
from urllib.parse import unquote

MAX_LINE_BYTES = 16 * 1024
MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
# Any C0 control character or DEL: a line carrying one was forged or broken.
CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
_Q = rb'"((?:[^"\\]|\\.)*)"'
LINE_RE = re.compile(
    rb"(\S+) \S+ \S+ \[([^\]]+)\] "
    + _Q
    + rb" (\d{3}) (?:\d+|-) "
    + _Q
    + b" "
    + _Q
    + rb"(?: "
    + _Q
    + b" "
    + _Q
    + rb")?\Z"
)
# The usual line, without escaped quotes: one regex of simple classes (the fast path).
# Groups: ip, time_local, its date, hour, minute, second, offset, method, target, status,
# user agent, Sec-Purpose, Purpose.
FAST_RE = re.compile(
    rb"([^ ]+) [^ ]+ [^ ]+ "
    rb"\[((\d\d/[A-Z][a-z]{2}/\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4}))\] "
    rb'"([^ "]+) ([^ "]+) [^ "]+" (\d{3}) (?:\d+|-) '
    rb'"[^"]*" "([^"]*)"(?: "([^"]*)" "([^"]*)")?\Z'
)
TIME_RE = re.compile(r"(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z")


def split_line(line):
    """(ip, time_local, method, target, status, user_agent, purpose) or None if malformed.

    `line` is one line as bytes, without its newline; every field is bytes. `purpose` joins the Sec-Purpose and Purpose fields (b"" when the line is
    plain combined, or they were "-").
    """
    match = FAST_RE.match(line)
    if match is None:
        return _split_slow(line) if b"\\" in line else None
    ip, when, _, _, _, _, _, method, target, status, agent, sec_purpose, purpose = match.groups()
    purpose = join_purpose(sec_purpose, purpose) if sec_purpose is not None else b""
    return (ip, when, method, target, status, agent, purpose)


def join_purpose(sec_purpose, purpose):
    sec_purpose = b"" if sec_purpose == b"-" else sec_purpose
    purpose = b"" if purpose == b"-" else purpose
    return sec_purpose + b";" + purpose if sec_purpose and purpose else sec_purpose or purpose


def _split_slow(line):
    match = LINE_RE.match(line)
    if not match:
        return None
    ip, when, request, status, _referer, agent, sec_purpose, purpose = match.groups()
    request = request.split(b" ")
    if len(request) != 3:
        return None
    return (
        ip,
        when,
        request[0],
        request[1],
        status,
        agent,
        join_purpose(sec_purpose or b"", purpose or b""),
    )


def parse_clock(value):
    """Seconds since midnight of `..:13:55:36 ...` in a $time_local (bytes), or None."""
    if len(value) != 26 or value[11] != 58 or value[14] != 58 or value[17] != 58:
        return None
    hour, minute, second = value[12:14], value[15:17], value[18:20]
    if not (hour.isdigit() and minute.isdigit() and second.isdigit()):
        return None
    hour, minute, second = int(hour), int(minute), int(second)
    if hour > 23 or minute > 59 or second > 60:
        return None
    return hour * 3600 + minute * 60 + second


def parse_time(value):
    """`10/Oct/2000:13:55:36 -0700` -> seconds since the epoch (UTC), or None."""
    match = TIME_RE.match(value)
    if not match:
        return None
    day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
    if month not in MONTHS:
        return None
    try:
        stamp = calendar.timegm(
            (int(year), MONTHS[month], int(day), int(hour), int(minute), int(second))
        )
    except (ValueError, OverflowError):
        return None
    if not (1 <= int(day) <= 31 and int(hour) < 24 and int(minute) < 60 and int(second) < 61):
        return None
    offset = int(off_h) * 3600 + int(off_m) * 60
    return stamp - offset if sign == "+" else stamp + offset


def is_prefetch(purpose):
    """Sec-Purpose `prefetch`, `prefetch;prerender`, Purpose `prefetch`, Safari `preview`
    (bytes, as split_line gives them)."""
    if not purpose:
        return False
    value = purpose.lower()
    return b"prefetch" in value or b"prerender" in value or b"preview" in value


def fold_path(target):
    """The request target as a site path: no query, percent-decoded, NFC, `/x/` and
    `/x/index.html` folded to `/x`. None when the target cannot be a path of the site."""
    if not target.startswith("/"):
        if target.startswith(("http://", "https://")):
            rest = target.split("/", 3)
            target = "/" + rest[3] if len(rest) == 4 else "/"
        else:
            return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    if "%" in path:
        try:
            path = unquote(path, errors="strict")
        except UnicodeDecodeError:
            return None
    if not path.isascii():
        path = unicodedata.normalize("NFC", path)
    if path.endswith("/index.html"):
        path = path[:-10]
    path = path.rstrip("/")
    return path or "/"
