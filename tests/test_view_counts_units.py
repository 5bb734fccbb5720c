"""view_counts pure functions, table-driven: one named case per edge case."""

from datetime import UTC, date, datetime

import pytest
from vc_logs import FACEBOOK, GOOGLEBOT, HEADLESS, IPHONE, PHONE, TELEGRAM, ZALO_APP

from view_counts.agents import AgentClassifier
from view_counts.logparse import fold_path, is_prefetch, parse_time, split_line
from view_counts.output import payload, rank, site_path, write_json
from view_counts.settings import parse_settings
from view_counts.visitor import SecretError, derive_key, load_secret, network_of, visitor_hash

T = b"[27/Nov/2026:09:00:00 +0700]"
OK = (b"1.2.3.4", b"27/Nov/2026:09:00:00 +0700", b"GET", b"/a/", b"200", b"UA", b"")
SPLIT = [
    ("combined", b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "UA"', OK),
    (
        "with-user-and-referer",
        b"1.2.3.4 - bob " + T + b' "GET /a/ HTTP/2.0" 200 0 "https://zalo.me/x" "UA"',
        OK,
    ),
    ("size-dash", b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 - "-" "UA"', OK),
    (
        "extended-sec-purpose",
        b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "UA" "prefetch" "-"',
        (*OK[:6], b"prefetch"),
    ),
    (
        "extended-both",
        b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "UA" "prefetch" "prefetch"',
        (*OK[:6], b"prefetch;prefetch"),
    ),
    (
        "extended-dashes",
        b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "UA" "-" "-"',
        OK,
    ),
    (
        "apache-escaped-quote",
        b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "U\\"A"',
        (*OK[:5], b'U\\"A', b""),
    ),
    (
        "nginx-hex-escape",
        b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "U\\x22A"',
        (*OK[:5], b"U\\x22A", b""),
    ),
    ("empty", b"", None),
    ("garbage", b"hello world", None),
    ("no-status", b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" "-" "UA"', None),
    ("status-not-number", b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 2x0 12 "-" "UA"', None),
    ("request-two-words", b"1.2.3.4 - - " + T + b' "GET /a/" 200 12 "-" "UA"', None),
    ("tls-junk-request", b"1.2.3.4 - - " + T + b' "\\x16\\x03\\x01" 400 0 "-" "-"', None),
    ("trailing-junk", b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "UA" x', None),
    ("injected-quote", b"1.2.3.4 - - " + T + b' "GET /a/ HTTP/1.1" 200 12 "-" "U"A"', None),
    ("no-time", b'1.2.3.4 - - "GET /a/ HTTP/1.1" 200 12 "-" "UA"', None),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in SPLIT], ids=[c[0] for c in SPLIT])
def test_split_line(line, expected):
    assert split_line(line) == expected


NINE_AM = int(datetime(2026, 11, 27, 2, tzinfo=UTC).timestamp())  # 09:00 in Hà Nội
TIMES = [
    ("ict", "27/Nov/2026:09:00:00 +0700", NINE_AM),
    ("utc", "27/Nov/2026:02:00:00 +0000", NINE_AM),
    ("west", "26/Nov/2026:21:00:00 -0500", NINE_AM),
    ("bad-month", "27/Nox/2026:09:00:00 +0700", None),
    ("day-32", "32/Nov/2026:09:00:00 +0700", None),
    ("hour-25", "27/Nov/2026:25:00:00 +0700", None),
    ("no-offset", "27/Nov/2026:09:00:00", None),
    ("iso", "2026-11-27T09:00:00+07:00", None),
]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in TIMES], ids=[c[0] for c in TIMES])
def test_parse_time(value, expected):
    assert parse_time(value) == expected


NFD = "/tin-tu%CC%9B%CC%81c/"  # "tức" as u + horn + acute (NFD): folded to NFC
PATHS = [
    ("slash", "/tin/bai/", "/tin/bai"),
    ("no-slash", "/tin/bai", "/tin/bai"),
    ("index-html", "/tin/bai/index.html", "/tin/bai"),
    ("query", "/tin/bai/?fbclid=abc&x=1", "/tin/bai"),
    ("index-and-query", "/tin/bai/index.html?x=1", "/tin/bai"),
    ("fragment", "/tin/bai/#binh-luan", "/tin/bai"),
    ("percent-ascii", "/tin/%62ai/", "/tin/bai"),
    ("percent-utf8", "/tin/th%C3%B4ng-b%C3%A1o/", "/tin/thông-báo"),
    ("nfd-to-nfc", NFD, "/tin-tức"),
    ("bad-utf8", "/tin/%ff%fe/", None),
    ("absolute-form", "http://example.org/tin/bai/", "/tin/bai"),
    ("absolute-bare-host", "https://example.org", "/"),
    ("root", "/", "/"),
    ("root-index", "/index.html", "/"),
    ("star", "*", None),
    ("relative", "tin/bai/", None),
]


@pytest.mark.parametrize(("target", "expected"), [c[1:] for c in PATHS], ids=[c[0] for c in PATHS])
def test_fold_path(target, expected):
    assert fold_path(target) == expected


PREFETCH = [
    ("none", b"", False),
    ("chrome-prefetch", b"prefetch", True),
    ("chrome-prerender", b"prefetch;prerender", True),
    ("anonymous-proxy", b"prefetch;anonymous-client-ip", True),
    ("old-purpose", b";prefetch", True),
    ("safari-preview", b"Preview", True),
    ("something-else", b"navigate", False),
]


@pytest.mark.parametrize(
    ("value", "expected"), [c[1:] for c in PREFETCH], ids=[c[0] for c in PREFETCH]
)
def test_is_prefetch(value, expected):
    assert is_prefetch(value) is expected


NETWORKS = [
    ("ipv4", "203.113.1.9", "203.113.1.9"),
    ("ipv6-64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
    ("ipv6-short", "2001:db8:1:2::1", "2001:db8:1:2::/64"),
    ("ipv6-zone", "fe80::1%eth0", "fe80::/64"),
    ("ipv4-mapped", "::ffff:10.0.0.40", "10.0.0.40"),
    ("hostname", "example.org", None),
    ("ipv4-too-big", "300.1.1.1", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(
    ("ip", "expected"), [c[1:] for c in NETWORKS], ids=[c[0] for c in NETWORKS]
)
def test_network_of(ip, expected):
    assert network_of(ip) == expected


AGENTS = [
    ("android-chrome", PHONE, False),
    ("iphone-safari", IPHONE, False),
    ("zalo-in-app-browser", ZALO_APP, False),
    (
        "coc-coc-browser",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "coc_coc_browser/120.0 Chrome/120.0 Safari/537.36",
        False,
    ),
    ("googlebot", GOOGLEBOT, True),
    ("coccocbot", "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/)", True),
    ("facebook-previewer", FACEBOOK, True),
    ("zalo-previewer", "Zalo", True),
    ("telegram-previewer", TELEGRAM, True),
    ("whatsapp-previewer", "WhatsApp/2.23.20.0 A", True),
    ("headless-chrome", HEADLESS, True),
    ("curl", "curl/8.5.0", True),
    ("dash", "-", True),
    ("empty", "", True),
]


@pytest.mark.parametrize(("agent", "expected"), [c[1:] for c in AGENTS], ids=[c[0] for c in AGENTS])
def test_agent_classifier(agent, expected):
    agents = AgentClassifier()
    assert agents.is_bot(agent.encode()) is expected
    assert agents.is_bot(agent.encode()) is expected
    assert agents.lookups == 1  # the second answer came from the cache


def test_visitor_hash_depends_on_day_key_network_and_agent():
    secret = b"k" * 32
    day1, day2 = derive_key(secret, "2026-11-27"), derive_key(secret, "2026-11-28")
    base = visitor_hash(day1, "10.0.0.1", b"UA")
    assert base == visitor_hash(derive_key(secret, "2026-11-27"), "10.0.0.1", b"UA")
    assert (
        len(
            {
                base,
                visitor_hash(day2, "10.0.0.1", b"UA"),
                visitor_hash(day1, "10.0.0.2", b"UA"),
                visitor_hash(day1, "10.0.0.1", b"UB"),
                visitor_hash(derive_key(b"x" * 32, "2026-11-27"), "10.0.0.1", b"UA"),
            }
        )
        == 5
    )
    assert b"10.0.0.1" not in base


def test_secret_is_created_once_private_and_reused(tmp_path):
    path = tmp_path / "secret"
    first, created = load_secret(path)
    again, created_again = load_secret(path)
    assert (created, created_again) == (True, False)
    assert first == again
    assert path.stat().st_mode & 0o777 == 0o600


def test_dry_run_secret_is_not_written(tmp_path):
    _, created = load_secret(tmp_path / "secret", create=False)
    assert created and not (tmp_path / "secret").exists()


def test_broken_secret_is_a_clear_error(tmp_path):
    (tmp_path / "secret").write_text("not hex\n")
    with pytest.raises(SecretError, match="tệp khóa bí mật bị hỏng"):
        load_secret(tmp_path / "secret")


SETTINGS = [
    ("unknown-key", {"stor": "x"}, "unknown setting"),
    ("not-a-dict", ["x"], "must be a dict"),
    ("empty-store", {"store": ""}, "non-empty path"),
    ("json-outside", {"json": "../views.json"}, "inside the output"),
    ("count-zero", {"most_read_count": 0}, "at least 1"),
    ("count-bool", {"most_read_count": True}, "at least 1"),
    ("windows-text", {"windows": "7"}, "list of day counts"),
    ("windows-zero", {"windows": [0]}, "list of day counts"),
    ("required-text", {"required": "yes"}, "True or False"),
    ("min-shown-zero", {"min_shown": 0}, "min_shown.*at least 1"),
    ("min-shown-bool", {"min_shown": True}, "min_shown.*at least 1"),
    ("min-shown-text", {"min_shown": "10"}, "min_shown.*at least 1"),
]


@pytest.mark.parametrize(
    ("given", "message"), [c[1:] for c in SETTINGS], ids=[c[0] for c in SETTINGS]
)
def test_parse_settings_rejects(given, message):
    with pytest.raises(ValueError, match=message):
        parse_settings({"VIEW_COUNTS": given})


def test_parse_settings_defaults():
    out = parse_settings({})
    assert str(out["store"]) == "var/views.sqlite3"
    assert out["windows"] == (7, 30)
    assert out["most_read_count"] == 5
    assert out["min_shown"] == 10
    assert parse_settings({"VIEW_COUNTS": {"min_shown": 1}})["min_shown"] == 1


RANKS = [
    ("by-count", {"a": 1, "b": 3, "c": 2}, ["a", "b", "c"], 5, [("b", 3), ("c", 2), ("a", 1)]),
    ("tie-newer-first", {"a": 2, "b": 2}, ["b", "a"], 5, [("b", 2), ("a", 2)]),
    ("zero-left-out", {"a": 0, "b": 1}, ["a", "b"], 5, [("b", 1)]),
    ("unlisted-left-out", {"x": 9, "a": 1}, ["a"], 5, [("a", 1)]),
    ("cut-to-count", {"a": 1, "b": 2, "c": 3}, ["a", "b", "c"], 2, [("c", 3), ("b", 2)]),
]


@pytest.mark.parametrize(
    ("totals", "candidates", "count", "expected"), [c[1:] for c in RANKS], ids=[c[0] for c in RANKS]
)
def test_rank(totals, candidates, count, expected):
    assert rank(totals, candidates, count) == expected


def test_site_path_keeps_siteurl_prefix():
    assert site_path("https://x.gov.vn/phuong", "tin/bai/") == "/phuong/tin/bai/"
    assert site_path("", "tin/bai/") == "/tin/bai/"


def test_payload_lists_windows_and_hidden_articles():
    data = payload(
        [("/a/", "a.md", True), ("/h/", "h.md", False)],
        {"all": {"a.md": 3, "h.md": 9}, "7d": {"a.md": 1}, "30d": {}},
        date(2026, 11, 28),
        5,
        (7, 30),
    )
    assert data["articles"]["/h/"] == {"id": "h.md", "views": 9, "listed": False}
    assert data["most_read"] == {"7d": [["/a/", 1]], "30d": [], "all": [["/a/", 3]]}
    assert data["as_of"] == "2026-11-28"


def test_payload_lists_go_past_the_count():
    """A box that leaves some articles out (the home page: the pinned, the featured story)
    stays full when the script refreshes it: views.json's lists hold SPARE more."""
    from view_counts.output import SPARE

    entries = [(f"/a{i}/", f"a{i}.md", True) for i in range(30)]
    totals = {f"a{i}.md": 100 - i for i in range(30)}
    data = payload(entries, {"all": totals, "7d": totals}, date(2026, 11, 28), 5, (7,))
    assert len(data["most_read"]["all"]) == 5 + SPARE
    assert data["most_read"]["7d"][:2] == [["/a0/", 100], ["/a1/", 99]]


def test_views_json_is_written_again_when_its_order_or_its_file_changes(tmp_path):
    # write_json skips an unchanged payload without turning it into text: a payload equal
    # as a dict but in another order, or a file changed by someone else, is still written.
    path = tmp_path / "views.json"
    a = {"/a/": {"id": "a", "views": 1, "listed": True}}
    b = {"/b/": {"id": "b", "views": 2, "listed": True}}
    write_json(path, {"version": 1, "articles": {**a, **b}})
    first = path.read_text(encoding="utf-8")
    write_json(path, {"version": 1, "articles": {**b, **a}})
    second = path.read_text(encoding="utf-8")
    assert second != first and second.index('"/b/"') < second.index('"/a/"')
    mtime = path.stat().st_mtime_ns
    write_json(path, {"version": 1, "articles": {**b, **a}})
    assert path.stat().st_mtime_ns == mtime
    path.write_text("{}", encoding="utf-8")
    write_json(path, {"version": 1, "articles": {**b, **a}})
    assert path.read_text(encoding="utf-8") == second
