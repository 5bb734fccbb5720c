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
TIME_RE = re.compile(r"(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z")


def split_line(line):
    """(ip, time_local, method, target, status, user_agent, purpose) or None if malformed.

    `line` is one line as bytes, without its newline; the fields are bytes but the status
    (an int). `purpose` joins the Sec-Purpose and Purpose fields (b"" when the line is
    plain combined, or they were "-").
    """
    parts = line.split(b'"')
    count = len(parts)
    if count not in (7, 11) or b"\\" in line:
        return _split_slow(line)
    pre = parts[0]
    if (
        parts[4] != b" "
        or parts[count - 1]
        or (count == 11 and (parts[6] != b" " or parts[8] != b" "))
        or not pre.endswith(b"] ")
    ):
        return None
    space = pre.find(b" ")
    bracket = pre.find(b" [")
    if space <= 0 or bracket < 0:
        return None
    mid = parts[2].split(b" ")
    # mid is b" 200 1234 " -> [b"", b"200", b"1234", b""]
    if len(mid) != 4 or mid[0] or mid[3] or len(mid[1]) != 3 or not mid[1].isdigit():
        return None
    request = parts[1].split(b" ")
    if len(request) != 3:
        return None
    purpose = _purpose(parts[7], parts[9]) if count == 11 else b""
    return (
        pre[:space],
        pre[bracket + 2 : -2],
        request[0],
        request[1],
        int(mid[1]),
        parts[5],
        purpose,
    )


def _purpose(sec_purpose, purpose):
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
        int(status),
        agent,
        _purpose(sec_purpose or b"", purpose or b""),
    )


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
