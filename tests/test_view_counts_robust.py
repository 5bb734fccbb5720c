"""view_counts import under bad input and disorder: implausible times, nasty lines, lines
out of order across files and runs, floods, gzip bombs, old logs, an old store."""

import gzip
import hashlib
import os
import random
import re
import signal
import sqlite3
import time
import zlib
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, build_site
from test_view_counts_import import (
    D28,
    ID,
    SECRET,
    A,
    B,
    C,
    D,
    cli,
    cli_process,
    daily,
    make_stats,
    write_log,
)
from vc_logs import GOOGLEBOT, IPHONE, PHONE, line, when

from view_counts.importer import Importer, Limits
from view_counts.output import read_entries, url_map
from view_counts.store import ImportLock, latest_day, open_readonly, open_store, window_totals

NOW = when("2026-11-29 00:00:00").timestamp()  # the import's clock in these tests


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    return build_site(FIXTURES / "view_counts", base / "output")


def importer(store, site, **kw):
    limits = Limits(**{k: kw.pop(k) for k in list(kw) if k in Limits.__dataclass_fields__})
    conn = open_store(store)
    entries = url_map(read_entries(site / "views.json"))
    return Importer(conn, entries, SECRET, limits=limits, now=NOW, **kw)


def run(store, site, logs, **kw):
    imp = importer(store, site, **kw)
    report = imp.run([Path(p) for p in logs])
    imp.conn.close()
    assert report.check()
    return report


def enc(*lines):
    return [text.encode() for text in lines]


# --- implausible times ------------------------------------------------------------------


def test_clock_glitch_line_moves_nothing(tmp_path, site):
    """A line dated 2036 is `bad_time`: later real lines still count, the day stays."""
    store = tmp_path / "v.sqlite3"
    glitch = line("10.0.0.9", "2036-11-22 10:00:00", A)
    first = enc(line("10.0.0.1", "2026-11-28 09:00:00", A), glitch)
    report = run(store, site, [write_log(tmp_path / "a.log", first)])
    assert report.dropped["bad_time"] == 1
    later = enc(*(line(f"10.0.1.{i}", f"2026-11-28 09:{i:02d}:30", B) for i in range(5)))
    report = run(store, site, [write_log(tmp_path / "b.log", later)])
    assert (report.counted, report.dropped["too_late"]) == (5, 0)
    assert daily(store) == {(D28, ID[A]): 1, (D28, ID[B]): 5}
    with closing(sqlite3.connect(store)) as conn:
        assert latest_day(conn).isoformat() == D28
        newest = int(conn.execute("SELECT value FROM meta WHERE key='newest'").fetchone()[0])
    assert newest == when("2026-11-28 09:04:30").timestamp()


@pytest.mark.parametrize(
    "stamp",
    ["01/Jan/0001:00:00:00 +1400", "31/Dec/9999:23:59:59 -1200", "01/Jan/1970:00:00:00 +0700"],
)
def test_extreme_years_are_bad_time_not_a_crash(tmp_path, site, stamp, capsys):
    good = line("10.0.0.1", "2026-11-28 09:00:00", A)
    bad = good.replace("28/Nov/2026:09:00:00 +0700", stamp).replace("10.0.0.1", "10.0.0.2")
    log = write_log(tmp_path / "access.log", enc(good, bad, good.replace("10.0.0.1", "10.0.0.3")))
    args = ["--max-ahead", "1000000", str(log)]  # whatever the test machine's clock says
    assert cli(tmp_path, site, *args) == 0, capsys.readouterr().err
    assert cli(tmp_path, site, *args) == 0  # and a rerun is fine
    out = capsys.readouterr().out
    assert "thời điểm vô lý (lỗi đồng hồ)" in out
    assert daily(tmp_path / "views.sqlite3") == {(D28, ID[A]): 2}


def test_not_before_defaults_to_the_oldest_articles_year(tmp_path, site):
    """The fixture's articles are of 2026: a line of 2025 is implausible, unless allowed."""
    log = write_log(tmp_path / "a.log", enc(line("10.0.0.1", "2025-12-31 23:00:00", A)))
    assert run(tmp_path / "v.sqlite3", site, [log]).dropped["bad_time"] == 1
    allowed = run(tmp_path / "w.sqlite3", site, [log], not_before=0)
    assert (allowed.counted, allowed.dropped["bad_time"]) == (1, 0)


# Lines that must each be dropped for one reason, never stop the import (a table: the
# project does not use hypothesis).
NASTY = [
    b"",
    b"\r",
    b" " * 40,
    b"\x00" * 100,
    b"\xff\xfe" * 50,
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +0700] "GET',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +0700 "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [00/Nov/2026:09:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [32/Nov/2026:09:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [30/Feb/2026:09:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/0000:09:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:99:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:60 +0700] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +9999] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 -9999] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [31/Dec/9999:23:59:59 -2359] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [01/Jan/0001:00:00:00 +2359] "GET / HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "x" "y"',
    b'10.0.0.1 - - [28/N\\"v/2026:09:00:00 +0700] "GET \\" HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +0700] "G\\"T /a b HTTP/1.1" 200 1 "-" "x"',
    b'999.1.1.1 - - [28/Nov/2026:09:00:00 +0700] "GET ' + A.encode() + b' HTTP/1.1" 200 1 "-" "x"',
    b'::::: - - [28/Nov/2026:09:00:00 +0700] "GET ' + A.encode() + b' HTTP/1.1" 200 1 "-" "x"',
    b"fe80::1%" + b"e" * 5000 + b' - - [28/Nov/2026:09:00:00 +0700] "GET / HTTP/1.1" 200 1 "-" "M"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +0700] "GET %ff%00/\xc3\xa9 HTTP/1.1" 200 1 "-" "x"',
    b'10.0.0.1 - - [28/Nov/2026:09:00:00 +0700] "GET http:// HTTP/1.1" 200 1 "-" "x"',
    b"[" * 20_000,
    b'"' * 300,
    b"\\" * 300,
]


def test_no_line_crashes_the_import(tmp_path, site):
    good = line("10.0.0.1", "2026-11-28 09:00:00", A).encode()
    nasty = [good] + [raw + b"\n" for raw in NASTY]
    report = run(tmp_path / "v.sqlite3", site, [write_log(tmp_path / "a.log", nasty)])
    assert (report.read, report.counted) == (len(nasty), 1)
    assert report.dropped["malformed"] + report.dropped["bad_time"] >= len(NASTY) - 6
    # Every single-byte damage of a good line, many times over: whatever each becomes,
    # the import ends and accounts for every line.
    rng = random.Random(11)
    mutants = []
    for _ in range(500):
        data = bytearray(good[:-1])
        data[rng.randrange(len(data))] = rng.randrange(256)
        mutants.append(bytes(data).replace(b"\n", b" ") + b"\n")
    report = run(tmp_path / "v.sqlite3", site, [write_log(tmp_path / "b.log", mutants)])
    assert report.read == len(mutants)


# --- out of order ------------------------------------------------------------------------


def test_lines_out_of_order_across_runs_all_count(tmp_path, site):
    """10:05 imported, then 10:03 from the next chunk or the other server: both count."""
    store = tmp_path / "v.sqlite3"
    run(
        store,
        site,
        [write_log(tmp_path / "s1.log", enc(line("10.0.0.1", "2026-11-28 10:05:00", A)))],
    )
    report = run(
        store,
        site,
        [write_log(tmp_path / "s2.log", enc(line("10.0.0.2", "2026-11-28 10:03:00", A)))],
    )
    assert (report.counted, report.dropped["already_imported"]) == (1, 0)
    assert daily(store) == {(D28, ID[A]): 2}


def test_repeat_rule_follows_log_time_not_reading_order(tmp_path, site):
    """One reader at 10:00 (read last) and 10:20: one view, as in a sorted import."""
    store = tmp_path / "v.sqlite3"
    late = enc(
        line("10.0.0.1", "2026-11-28 10:20:00", A), line("10.0.0.5", "2026-11-28 10:40:00", B)
    )
    run(store, site, [write_log(tmp_path / "s1.log", late)])
    report = run(
        store,
        site,
        [write_log(tmp_path / "s2.log", enc(line("10.0.0.1", "2026-11-28 10:00:00", A)))],
    )
    assert (report.counted, report.dropped["repeat"]) == (0, 1)  # one view moved to 10:00
    assert daily(store) == {(D28, ID[A]): 1, (D28, ID[B]): 1}
    # Once the log moves on by more than the window, it is final (in `daily`).
    run(
        store,
        site,
        [write_log(tmp_path / "s3.log", enc(line("10.0.0.9", "2026-11-28 12:00:00", C)))],
    )
    with closing(sqlite3.connect(store)) as conn:
        final = {(d, a): n for d, a, n in conn.execute("SELECT * FROM daily")}
    assert final == {(D28, ID[A]): 1, (D28, ID[B]): 1}


def test_line_older_than_the_window_is_reported_too_late(tmp_path, site):
    store = tmp_path / "v.sqlite3"
    run(
        store,
        site,
        [write_log(tmp_path / "a.log", enc(line("10.0.0.1", "2026-11-28 12:00:00", A)))],
    )
    old = enc(
        line("10.0.0.2", "2026-11-28 10:59:00", A), line("10.0.0.3", "2026-11-28 11:01:00", A)
    )
    report = run(store, site, [write_log(tmp_path / "b.log", old)])
    assert (report.counted, report.dropped["too_late"]) == (1, 1)
    wider = run(tmp_path / "w.sqlite3", site, [tmp_path / "a.log"], window=7200)
    assert wider.counted == 1
    assert run(tmp_path / "w.sqlite3", site, [tmp_path / "b.log"], window=7200).counted == 2


# --- floods, bombs, limits ---------------------------------------------------------------


def test_commit_cost_does_not_grow_with_a_flood(tmp_path, site):
    """20,000 views within one minute, committed every 1,000 lines: each commit writes about
    what its own lines changed, not the whole recent state again."""
    lines = [
        line(
            f"10.1.{i >> 8}.{i & 255}",
            when("2026-11-28 20:00:00") + timedelta(seconds=i * 60 // 20_000),
            A,
        ).encode()
        for i in range(20_000)
    ]
    log = write_log(tmp_path / "flood.log", lines)
    imp = importer(tmp_path / "v.sqlite3", site, batch_lines=1000)
    changes = []
    commit = imp.commit

    def counting_commit(final=False):
        before = imp.conn.total_changes
        commit(final)
        changes.append(imp.conn.total_changes - before)

    imp.commit = counting_commit
    report = imp.run([log])
    assert report.counted == 20_000
    mid_run = changes[:-2]  # the last ones recount the provisional views
    assert len(mid_run) >= 15
    assert max(mid_run) <= 3 * 1000 + 10, changes


def test_gzip_bomb_stops_at_the_line_cap_with_a_report(tmp_path, site, capsys):
    """The issue's bomb: under 100 KB of gzip, 100 million empty lines; default limits."""
    bomb = tmp_path / "access.log.2.gz"
    head = gzip.compress(line("10.0.0.1", "2026-11-28 09:00:00", A).encode())
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # a second gzip member, made in steps
    body = b"".join(packer.compress(b"\n" * 1_000_000) for _ in range(100)) + packer.flush()
    bomb.write_bytes(head + body)
    assert bomb.stat().st_size < 100_000
    started = time.monotonic()
    assert cli(tmp_path, site, "--max-ahead", "1000000", str(bomb)) == 0
    assert time.monotonic() - started < 10
    out = capsys.readouterr().out
    assert f"{bomb}: 50.000.000 dòng" in out
    assert "DỪNG ở dòng 50.000.000 của tệp này" in out
    assert "giới hạn 50.000.000 dòng mỗi lần (--max-lines)" in out
    assert re.search(r"dòng hỏng +49\.999\.999$", out, re.M)
    assert daily(tmp_path / "views.sqlite3") == {(D28, ID[A]): 1}


def test_time_budget_per_file_is_reported(tmp_path, site, capsys):
    bomb = tmp_path / "access.log"
    bomb.write_bytes(b"x\n" * 5_000_000)  # seconds of work, one line at a time
    assert cli(tmp_path, site, "--max-seconds", "0.3", str(bomb)) == 0
    out = capsys.readouterr().out
    assert "DỪNG ở dòng" in out and "giới hạn 0,3 giây mỗi tệp (--max-seconds)" in out


def test_time_budget_holds_within_one_endless_line(tmp_path, site, capsys):
    """A gzip unpacking to 200 MB without a newline stops at the time budget too."""
    bomb = tmp_path / "access.log.2.gz"
    head = gzip.compress(line("10.0.0.1", "2026-11-28 09:00:00", A).encode())
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # a second gzip member, made in steps
    body = b"".join(packer.compress(b"a" * (1 << 20)) for _ in range(200)) + packer.flush()
    bomb.write_bytes(head + body)
    assert cli(tmp_path, site, "--max-ahead", "1000000", "--max-seconds", "0.05", str(bomb)) == 0
    out = capsys.readouterr().out
    assert "DỪNG ở dòng 2 của tệp này" in out and "--max-seconds" in out
    with closing(sqlite3.connect(tmp_path / "views.sqlite3")) as conn:
        (offset,) = conn.execute("SELECT offset FROM files").fetchone()
    assert offset < 150 << 20  # stopped within the line, not at its end


def test_empty_lines_are_malformed(tmp_path, site):
    first, second = (line(f"10.0.0.{i}", f"2026-11-28 09:00:0{i}", A) for i in (1, 2))
    lines = enc(first, "\n" * 5, "\r\n", "\n", second, "\n")
    report = run(tmp_path / "v.sqlite3", site, [write_log(tmp_path / "a.log", lines)])
    assert (report.read, report.counted, report.dropped["malformed"]) == (10, 2, 8)


# --- old logs ----------------------------------------------------------------------------


def test_old_fully_imported_logs_are_deleted_from_the_pull_folder(tmp_path, site, capsys):
    logs = tmp_path / "logs"
    logs.mkdir()
    old = write_log(
        logs / "access.log.3.gz", enc(line("10.0.0.1", "2026-11-28 08:00:00", A)), gz=True
    )
    old_partial = write_log(
        logs / "access.log.2", [line("10.0.0.2", "2026-11-28 08:30:00", A).encode()[:30]]
    )
    recent = write_log(logs / "access.log", enc(line("10.0.0.3", "2026-11-28 09:00:00", A)))
    elsewhere = write_log(tmp_path / "other.log", enc(line("10.0.0.4", "2026-11-28 09:10:00", A)))
    month_ago = time.time() - 31 * 86_400
    for path in (old, old_partial, elsewhere):
        os.utime(path, (month_ago, month_ago))
    files = [str(p) for p in (old, old_partial, recent, elsewhere)]
    common = ["--max-ahead", "1000000", "--logs-dir", str(logs)]
    assert cli(tmp_path, site, "--dry-run", *common, *files) == 0
    assert old.exists()  # a dry run deletes nothing
    assert cli(tmp_path, site, *common, *files) == 0
    out = capsys.readouterr().out
    assert not old.exists()
    assert f"Đã xóa nhật ký cũ đã nhập xong (giữ tối đa theo --retention-days): {old}" in out
    assert old_partial.exists() and recent.exists() and elsewhere.exists()
    assert daily(tmp_path / "views.sqlite3") == {(D28, ID[A]): 3}
    assert cli(tmp_path, site, *common, "--retention-days", "40", str(recent)) == 0
    assert recent.exists()


# --- make stats exit status --------------------------------------------------------------


def test_make_stats_when_another_import_runs(tmp_path, site):
    """make exits 2 for any failed command; the import's own status 3 shows as Error 3."""
    log = write_log(tmp_path / "access.log", enc(line("10.0.0.1", "2026-11-28 09:00:00", A)))
    store = tmp_path / "v.sqlite3"
    with ImportLock(store):
        done = make_stats(f"LOGS={log}", f"STORE={store}", f"OUTPUTDIR={site}")
    assert done.returncode == 2
    assert "Error 3" in done.stderr and "đang chạy" in done.stderr


# --- store version 1 ---------------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE daily (day TEXT NOT NULL, article_id TEXT NOT NULL, views INTEGER NOT NULL,
  PRIMARY KEY (day, article_id)) WITHOUT ROWID;
CREATE TABLE urls (path TEXT PRIMARY KEY, article_id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files (fingerprint BLOB PRIMARY KEY, offset INTEGER NOT NULL,
  lines INTEGER NOT NULL, updated INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE recent_lines (hash BLOB PRIMARY KEY, ts INTEGER NOT NULL, n INTEGER NOT NULL)
  WITHOUT ROWID;
CREATE TABLE recent_visits (visitor BLOB NOT NULL, article_id TEXT NOT NULL,
  ts INTEGER NOT NULL, PRIMARY KEY (visitor, article_id)) WITHOUT ROWID;
"""


def test_version_1_store_is_migrated_keeping_its_counts(tmp_path, site):
    """A v1 store (as the previous import wrote it) keeps its counts and its last minute
    of lines: an overlapping file adds nothing, new lines count."""
    store = tmp_path / "views.sqlite3"
    first = enc(*(line(f"10.0.0.{i}", f"2026-11-28 09:00:{i:02d}", A) for i in range(5)))
    probe = importer(tmp_path / "probe.sqlite3", site)  # only for its keyed line hashes

    with closing(sqlite3.connect(store)) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute("INSERT INTO meta VALUES ('schema', '1')")
        watermark = int(when("2026-11-28 09:00:04").timestamp())
        conn.execute("INSERT INTO meta VALUES ('watermark', ?)", (str(watermark),))
        conn.execute("INSERT INTO daily VALUES ('2026-11-01', ?, 40)", (ID[B],))
        conn.execute("INSERT INTO daily VALUES (?, ?, 5)", (D28, ID[A]))
        conn.executemany(
            "INSERT INTO recent_lines VALUES (?, ?, 1)",
            [
                (
                    hashlib.blake2b(raw, key=probe.lines_key, digest_size=16).digest(),
                    watermark - 4 + i,
                )
                for i, raw in enumerate(first)
            ],
        )
        conn.commit()
    probe.conn.close()
    # The build may read it before the next import converts it.
    with closing(open_readonly(store)) as conn:
        assert window_totals(conn, (7,))[0]["all"] == {ID[B]: 40, ID[A]: 5}
    before = store.read_bytes()
    assert (
        cli(
            tmp_path,
            site,
            "--dry-run",
            "--max-ahead",
            "1000000",
            str(write_log(tmp_path / "dry.log", first)),
        )
        == 0
    )
    assert store.read_bytes() == before  # a dry run converts a copy, not the store
    later = first + enc(
        line("10.0.0.9", "2026-11-28 09:00:04", A), line("10.0.0.8", "2026-11-28 09:05:00", C)
    )
    report = run(store, site, [write_log(tmp_path / "b.log", later)])
    assert (report.counted, report.dropped["already_imported"]) == (2, 5)
    assert daily(store) == {("2026-11-01", ID[B]): 40, (D28, ID[A]): 6, (D28, ID[C]): 1}
    with closing(sqlite3.connect(store)) as conn:
        meta = dict(conn.execute("SELECT * FROM meta"))
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert meta["schema"] == "2" and "watermark" not in meta
    assert "recent_lines" not in tables


# --- the differential test ---------------------------------------------------------------

AGENTS = [PHONE, IPHONE, PHONE.replace("13", "14"), GOOGLEBOT]
PATHS = [A, B, C, D, "/", "/theme/css/site.css"]
SPREAD = 1500  # seconds lines are moved by, less than the window minus a chunk's span


def generated_log(rng, count=3000, hours=4):
    """(ts, line) of a log with many repeats: a pool of readers, a few articles. Every line
    is unique (its byte count), so only the repeat rule relates two lines."""
    start = when("2026-11-28 21:30:00")  # crosses midnight: yesterday's keys too
    readers = [(f"10.7.{i // 50}.{i % 50}", AGENTS[i % 4]) for i in range(120)]
    out = []
    for i in range(count):
        at = start + timedelta(seconds=rng.randrange(hours * 3600))
        ip, agent = rng.choice(readers)
        status = 200 if rng.random() < 0.9 else 404
        out.append(
            (
                at.timestamp(),
                line(ip, at, rng.choice(PATHS), agent=agent, status=status, size=i).encode(),
            )
        )
    return out


def kill_mid_import(proc, store, rng):
    """SIGKILL `proc` soon after its first commit; False if it ended before."""

    def lines_read():
        with closing(sqlite3.connect(store, timeout=30)) as conn:
            return conn.execute("SELECT COALESCE(SUM(lines), 0) FROM files").fetchone()[0]

    before = lines_read()
    while proc.poll() is None and lines_read() == before:
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.03))
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return killed and proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_order_any_split_any_kill_gives_the_sorted_counts(tmp_path, site, seed):
    rng = random.Random(seed)
    log = generated_log(rng)
    # The reference: one import of the sorted log.
    ordered = write_log(tmp_path / "sorted.log", [raw for _, raw in sorted(log)])
    run(tmp_path / "reference.sqlite3", site, [ordered])
    # The same lines moved by up to SPREAD seconds, split between two servers.
    shuffled = sorted(log, key=lambda item: item[0] + rng.uniform(0, SPREAD))
    servers = [[], []]
    for item in shuffled:
        servers[rng.randrange(2)].append(item[1])
    # Imported as the two files grow: each run sees both files up to about the same time.
    store = tmp_path / "v.sqlite3"
    open_store(store).close()
    names = [tmp_path / "s1" / "access.log", tmp_path / "s2" / "access.log"]
    for name in names:
        name.parent.mkdir()
    cuts = [*sorted(rng.sample(range(1, 100), 5)), 100]
    kills = 0
    for cut in cuts:
        for name, lines in zip(names, servers, strict=True):
            write_log(name, lines[: len(lines) * cut // 100])
        files = [*map(str, names), "--max-ahead", "1000000"]
        if rng.random() < 0.6:  # killed soon after a commit of 30 lines, then run again
            killed = cli_process(tmp_path, site, store, "--batch-lines", "30", *files)
            kills += kill_mid_import(killed, store, rng)
        batch = str(rng.choice([50, 200, 1000]))
        proc = cli_process(tmp_path, site, store, "--batch-lines", batch, *files)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert re.search(r"quá cũ so với mốc đã nhập +0$", out, re.M), out
    assert kills >= 2
    assert daily(store) == daily(tmp_path / "reference.sqlite3")
    assert sum(daily(store).values()) > 100
