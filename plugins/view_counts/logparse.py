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
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_Q = r'"((?:[^"\\]|\\.)*)"'
LINE_RE = re.compile(
    r"(\S+) \S+ \S+ \[([^\]]+)\] "
    + _Q
    + r" (\d{3}) (?:\d+|-) "
    + _Q
    + " "
    + _Q
    + r"(?: "
    + _Q
    + " "
    + _Q
    + r")?\Z"
)
TIME_RE = re.compile(r"(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z")


def split_line(text):
    """(ip, time_local, method, target, status, user_agent, purpose) or None if malformed.

    `text` is one decoded line without its newline. `purpose` joins the Sec-Purpose and
    Purpose fields ("" when the line is plain combined or they were "-").
    """
    parts = text.split('"')
    count = len(parts)
    if "\\" in text or count not in (7, 11):
        return _split_slow(text)
    pre = parts[0]
    if (
        parts[4] != " "
        or parts[count - 1] != ""
        or (count == 11 and (parts[6] != " " or parts[8] != " "))
        or not pre.endswith("] ")
    ):
        return None
    space = pre.find(" ")
    bracket = pre.find(" [")
    if space <= 0 or bracket < 0:
        return None
    mid = parts[2].split(" ")
    # mid is " 200 1234 " -> ["", "200", "1234", ""]
    if len(mid) != 4 or mid[0] or mid[3] or len(mid[1]) != 3 or not mid[1].isdigit():
        return None
    request = parts[1].split(" ")
    if len(request) != 3:
        return None
    purpose = ""
    if count == 11:
        purpose = _purpose(parts[7], parts[9])
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
    sec_purpose = "" if sec_purpose == "-" else sec_purpose
    purpose = "" if purpose == "-" else purpose
    return f"{sec_purpose};{purpose}" if sec_purpose and purpose else sec_purpose or purpose


def _split_slow(text):
    match = LINE_RE.match(text)
    if not match:
        return None
    ip, when, request, status, _referer, agent, sec_purpose, purpose = match.groups()
    request = request.split(" ")
    if len(request) != 3:
        return None
    return (
        ip,
        when,
        request[0],
        request[1],
        int(status),
        agent,
        _purpose(sec_purpose or "", purpose or ""),
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
    """Sec-Purpose `prefetch`, `prefetch;prerender`, Purpose `prefetch`, Safari `preview`."""
    if not purpose:
        return False
    value = purpose.lower()
    return "prefetch" in value or "prerender" in value or "preview" in value


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
