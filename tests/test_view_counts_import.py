"""view_counts import: generated logs whose true counts are known by construction."""

import gzip
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, build_site
from vc_logs import (
    FACEBOOK,
    GOOGLEBOT,
    HEADLESS,
    IPHONE,
    TELEGRAM,
    ZALO_APP,
    line,
    when,
)

from view_counts.cli import REASON_LABELS, main
from view_counts.importer import Importer
from view_counts.logparse import MAX_LINE_BYTES
from view_counts.output import read_entries, url_map
from view_counts.store import ImportLock, counts, open_store

A = "/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-nam-2026/"
B = "/thong-bao/lich-tiep-cong-dan-thang-12/"
C = "/tin-hoat-dong/ra-quan-ve-sinh-moi-truong/"
D = "/cai-cach-hanh-chinh/huong-dan-thu-tuc-dang-ky-khai-sinh/"
H = "/thong-bao/bai-an-khong-liet-ke/"
ID = {
    A: "bai-viet/2026/hoi-nghi-tong-ket.md",
    B: "bai-viet/2026/lich-tiep-dan.md",
    C: "bai-viet/2026/ve-sinh-moi-truong.md",
    D: "bai-viet/2026/thu-tuc-hanh-chinh.md",
    H: "bai-viet/2026/bai-an.md",
}
D27, D28 = "2026-11-27", "2026-11-28"
SECRET = b"s" * 32


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture site, really built: its views.json maps article paths to ids."""
    base = tmp_path_factory.mktemp("site")
    return build_site(FIXTURES / "view_counts", base / "output")


class Scenario:
    """Lines with the reason each must get; expected daily counts by construction."""

    def __init__(self):
        self.items = []  # (datetime, order, bytes)
        self.reasons = Counter()
        self.daily = Counter()

    def add(self, at, text, reason, path=None):
        moment = when(at)
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.items.append((moment, len(self.items), data))
        if reason == "counted":
            self.daily[(moment.date().isoformat(), ID[path])] += 1
        else:
            self.reasons[reason] += 1

    def view(self, ip, at, path, reason="counted", article=None, **kw):
        self.add(at, line(ip, at, path, **kw), reason, article or path)

    def lines(self):
        return [data for _, _, data in sorted(self.items)]

    @property
    def counted(self):
        return sum(self.daily.values())


def scenario():
    s = Scenario()
    s.view("10.0.0.1", "2026-11-27 09:00:00", A)
    s.view("10.0.1.2", "2026-11-27 09:01:00", A, "crawler", agent=GOOGLEBOT)
    s.view("10.0.1.3", "2026-11-27 09:02:00", A, "crawler", agent=FACEBOOK)
    s.view("10.0.1.4", "2026-11-27 09:03:00", A, "crawler", agent=TELEGRAM)
    s.view("10.0.1.5", "2026-11-27 09:04:00", A, "crawler", agent="Zalo")
    s.view("10.0.1.6", "2026-11-27 09:04:30", A, "crawler", agent=HEADLESS)
    s.view("10.0.1.7", "2026-11-27 09:04:40", A, "crawler", agent="-")
    s.view("10.0.0.3", "2026-11-27 09:05:00", A, agent=ZALO_APP)  # a person in Zalo
    s.view("10.0.0.31", "2026-11-27 09:06:00", A, "method", method="HEAD")
    s.view("10.0.0.32", "2026-11-27 09:06:10", A, "method", method="POST")
    s.view("10.0.0.33", "2026-11-27 09:07:00", A.rstrip("/"), "status", status=301)
    s.view("10.0.0.34", "2026-11-27 09:07:10", "/tin-hoat-dong/khong-co/", "status", status=404)
    s.view("10.0.0.35", "2026-11-27 09:07:20", A, "status", status=206)
    s.view("10.0.0.36", "2026-11-27 09:07:30", A, "status", status=500)
    s.view("10.0.0.4", "2026-11-27 09:08:00", A, status=304)
    s.view("10.0.0.5", "2026-11-27 09:09:00", A + "?utm_source=zalo&fbclid=x", article=A)
    # one visitor, three spellings of one article, within 30 minutes: one view
    s.view("10.0.0.6", "2026-11-27 10:00:00", B)
    s.view("10.0.0.6", "2026-11-27 10:01:00", B.rstrip("/"), "repeat")
    s.view("10.0.0.6", "2026-11-27 10:02:00", B + "index.html", "repeat")
    s.view("10.0.0.6", "2026-11-27 10:03:00", B + "index.html?x=1", "repeat")
    s.view(
        "10.0.0.7", "2026-11-27 10:04:00", "/thong-bao/lich-tiep-cong-dan-thang-%31%32/", article=B
    )
    s.view("10.0.0.8", "2026-11-27 10:05:00", C, "prefetch", sec_purpose="prefetch")
    s.view("10.0.0.81", "2026-11-27 10:05:10", C, "prefetch", sec_purpose="prefetch;prerender")
    s.view("10.0.0.82", "2026-11-27 10:05:20", C, "prefetch", purpose="prefetch")
    s.view("10.0.0.9", "2026-11-27 10:06:00", C, sec_purpose="-", purpose="-")
    # repeats within and beyond 30 minutes
    s.view("10.0.0.10", "2026-11-27 11:00:00", D)
    s.view("10.0.0.10", "2026-11-27 11:29:59", D, "repeat")
    s.view("10.0.0.10", "2026-11-27 11:10:00", C)  # another article: its own view
    s.view("10.0.0.10", "2026-11-27 11:05:00", D, agent=IPHONE)  # another device
    s.view("10.0.0.11", "2026-11-27 11:00:00", D)
    s.view("10.0.0.11", "2026-11-27 11:30:00", D)  # exactly 30 minutes later: a new view
    s.view("10.0.0.11", "2026-11-27 11:45:00", D, "repeat")
    s.view("10.0.0.11", "2026-11-27 12:00:01", D)
    # IPv6: one /64 is one household or phone
    s.view("2001:db8:1:2::10", "2026-11-27 12:00:00", D)
    s.view("2001:db8:1:2:aaaa:bbbb:cccc:1", "2026-11-27 12:05:00", D, "repeat")
    s.view("2001:db8:1:3::10", "2026-11-27 12:06:00", D)
    s.view("::ffff:10.0.0.40", "2026-11-27 12:07:00", D)
    s.view("10.0.0.40", "2026-11-27 12:08:00", D, "repeat")  # same, written as IPv4
    # not articles
    s.view("10.0.0.12", "2026-11-27 13:00:00", "/", "not_article")
    s.view("10.0.0.12", "2026-11-27 13:00:00", "/theme/css/site.css", "not_article")
    s.view("10.0.0.12", "2026-11-27 13:00:01", "/gioi-thieu/", "not_article")
    s.view("10.0.0.12", "2026-11-27 13:00:02", "/the/hoi-nghi/", "not_article")
    s.view("10.0.0.12", "2026-11-27 13:00:03", "/tin-hoat-dong/", "not_article")
    s.view("10.0.0.12", "2026-11-27 13:00:04", "/bad/%ff%fe/", "not_article")
    # malformed: never breaks the import
    s.add("2026-11-27 13:01:00", "this is not a log line\n", "malformed")
    s.add(
        "2026-11-27 13:01:01",
        line("10.0.0.13", "2026-11-27 13:01:01", A).encode().replace(b"Android", b"\xff\xfeA"),
        "malformed",
    )
    s.add(
        "2026-11-27 13:01:02",
        line("10.0.0.13", "2026-11-27 13:01:02", A, agent="x" * (MAX_LINE_BYTES + 100)),
        "malformed",
    )
    s.add(
        "2026-11-27 13:01:03",
        line("10.0.0.13", "2026-11-27 13:01:03", A, agent="Mozilla\x1b[2J\rforged"),
        "malformed",
    )
    s.add("2026-11-27 13:01:04", line("10.0.0.13", "2026-11-27 13:01:04", A + "\x00"), "malformed")
    s.add(
        "2026-11-27 13:01:05",
        line("10.0.0.13", "2026-11-27 13:01:05", A).replace("27/Nov/2026", "27/Foo/2026"),
        "malformed",
    )
    s.add("2026-11-27 13:01:06", line("not-an-ip", "2026-11-27 13:01:06", A), "malformed")
    s.add("2026-11-27 13:01:07", "\n", "malformed")
    # a day boundary: midnight changes the visitor key, not the 30 minutes
    s.view("10.0.0.20", "2026-11-27 23:50:00", A)
    s.view("10.0.0.20", "2026-11-28 00:10:00", A, "repeat")
    s.view("10.0.0.21", "2026-11-27 23:45:00", A)
    s.view("10.0.0.21", "2026-11-28 00:20:00", A)  # 35 minutes later: counted on the 28th
    s.view("10.0.0.22", "2026-11-28 00:05:00", B)
    # the next morning: many readers, some lines in one second
    for i in range(40):
        s.view(f"10.0.2.{i}", f"2026-11-28 08:{i:02d}:00", [A, B, C, D][i % 4])
    for i in range(5):
        s.view(f"10.0.3.{i}", "2026-11-28 09:00:00", C)
    # a hidden article is an article of the built site (reachable, unlisted): counted
    s.view("10.0.0.1", "2026-11-28 09:00:00", H)
    return s


def write_log(path, lines, gz=False):
    data = b"".join(lines)
    if gz:
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        Path(path).write_bytes(data)
    return Path(path)


def run_import(store, logs, site, dry_run=False, batch_lines=50_000):
    conn = open_store(store, create=not dry_run) if not dry_run else open_store(store)
    importer = Importer(
        conn, url_map(read_entries(site / "views.json")), SECRET, batch_lines=batch_lines
    )
    report = importer.run([Path(p) for p in logs], dry_run=dry_run)
    conn.close()
    return report


def daily(store):
    """What readers see: daily plus provisional counts."""
    with closing(sqlite3.connect(store)) as conn:
        return +counts(conn)


@pytest.fixture
def expected():
    return scenario()


def test_counts_match_construction(tmp_path, site, expected):
    log = write_log(tmp_path / "access.log", expected.lines())
    report = run_import(tmp_path / "views.sqlite3", [log], site)
    assert daily(tmp_path / "views.sqlite3") == expected.daily
    assert report.counted == expected.counted
    assert +report.dropped == expected.reasons
    assert report.read == len(expected.lines())
    assert report.check()


def test_report_lists_top_articles_and_reasons(tmp_path, site, expected, capsys):
    log = write_log(tmp_path / "access.log", expected.lines())
    args = ["import", "--site", str(site), "--store", str(tmp_path / "v.sqlite3")]
    assert main([*args, "--secret", str(tmp_path / "secret"), str(log)]) == 0
    out = capsys.readouterr().out
    assert f"Lượt xem được tính: {expected.counted}" in out
    shown = {
        label.strip(): int(value.replace(".", ""))
        for label, value in (row.strip().rsplit(" ", 1) for row in out.splitlines())
        if label.strip() in REASON_LABELS.values()
    }
    assert shown == {
        REASON_LABELS[reason]: expected.reasons.get(reason, 0) for reason in REASON_LABELS
    }
    top = Counter()
    for (_, article_id), n in expected.daily.items():
        top[article_id] += n
    best_id, best = top.most_common(1)[0]
    path = next(p for p, i in ID.items() if i == best_id)
    assert f"{best:>10}  {path}" in out


def test_double_import_adds_nothing(tmp_path, site, expected):
    log = write_log(tmp_path / "access.log", expected.lines())
    store = tmp_path / "views.sqlite3"
    run_import(store, [log], site)
    again = run_import(store, [log], site)
    assert again.counted == 0
    assert again.dropped["already_imported"] == again.read == len(expected.lines())
    assert daily(store) == expected.daily


def test_rotated_and_gzipped_files(tmp_path, site, expected):
    lines = expected.lines()
    store = tmp_path / "views.sqlite3"
    # Day one: nginx is writing access.log; the import reads what is there.
    live = write_log(tmp_path / "access.log", lines[:50])
    run_import(store, [live], site)
    # It grows, logrotate renames it to access.log.1, later gzips it to access.log.2.gz.
    write_log(tmp_path / "access.log", lines[:80])
    (tmp_path / "access.log").rename(tmp_path / "access.log.1")
    write_log(tmp_path / "access.log", lines[80:])
    report = run_import(store, [tmp_path / "access.log.1", tmp_path / "access.log"], site)
    assert report.dropped["already_imported"] == 50
    write_log(tmp_path / "access.log.2.gz", lines[:80], gz=True)
    (tmp_path / "access.log.1").unlink()
    again = run_import(store, [tmp_path / "access.log.2.gz", tmp_path / "access.log"], site)
    assert again.counted == 0
    assert daily(store) == expected.daily


def test_rotated_files_in_any_order_on_the_command_line(tmp_path, site, expected):
    lines = expected.lines()
    older = write_log(tmp_path / "access.log.2.gz", lines[:30], gz=True)
    middle = write_log(tmp_path / "access.log.1", lines[30:70])
    newest = write_log(tmp_path / "access.log", lines[70:])
    run_import(tmp_path / "views.sqlite3", [newest, older, middle], site)
    assert daily(tmp_path / "views.sqlite3") == expected.daily


@pytest.mark.parametrize("same_run", [True, False], ids=["one-run", "two-runs"])
def test_overlapping_files(tmp_path, site, expected, same_run):
    lines = expected.lines()
    first = write_log(tmp_path / "a.log", lines[:70])
    second = write_log(tmp_path / "b.log", lines[40:])
    store = tmp_path / "views.sqlite3"
    if same_run:
        run_import(store, [first, second], site)
    else:
        run_import(store, [first], site)
        run_import(store, [second], site)
    assert daily(store) == expected.daily


def test_no_line_lost_at_the_checkpoint_second(tmp_path, site):
    """Lines of the watermark's second that arrive in a later file still count."""
    at = "2026-11-28 09:00:00"
    one = [line(f"10.9.0.{i}", at, A).encode() for i in range(3)]
    later = [line(f"10.9.1.{i}", at, A).encode() for i in range(2)]
    store = tmp_path / "views.sqlite3"
    run_import(store, [write_log(tmp_path / "a.log", one)], site)
    # The next file repeats the first three lines and adds two of the same second.
    report = run_import(store, [write_log(tmp_path / "b.log", one + later)], site)
    assert (report.counted, report.dropped["already_imported"]) == (2, 3)
    assert daily(store) == {(D28, ID[A]): 5}


def test_dry_run_changes_nothing(tmp_path, site, expected):
    log = write_log(tmp_path / "access.log", expected.lines())
    store = tmp_path / "views.sqlite3"
    first = run_import(store, [write_log(tmp_path / "first.log", expected.lines()[:20])], site)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    report = run_import(store, [log], site, dry_run=True)
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    assert report.counted == expected.counted - first.counted
    assert report.dropped["already_imported"] == 20
    # With no store and no secret yet, a dry run creates neither.
    secret = tmp_path / "secret"
    args = ["import", "--dry-run", "--site", str(site), "--secret", str(secret)]
    assert main([*args, "--store", str(tmp_path / "none.sqlite3"), str(log)]) == 0
    assert not (tmp_path / "none.sqlite3").exists()
    assert not secret.exists()


def test_small_batches_give_the_same_counts(tmp_path, site, expected):
    log = write_log(tmp_path / "access.log", expected.lines())
    run_import(tmp_path / "views.sqlite3", [log], site, batch_lines=7)
    assert daily(tmp_path / "views.sqlite3") == expected.daily


# --- bad input: clear errors, nothing lost -------------------------------------------


def cli(tmp_path, site, *extra):
    return main(
        [
            "import",
            "--site",
            str(site),
            "--store",
            str(tmp_path / "views.sqlite3"),
            "--secret",
            str(tmp_path / "secret"),
            *extra,
        ]
    )


def test_missing_log_is_a_clear_error(tmp_path, site, capsys):
    assert cli(tmp_path, site, str(tmp_path / "khong-co.log")) == 2
    err = capsys.readouterr().err
    assert "Không thấy tệp nhật ký" in err
    assert "khong-co.log" in err
    assert not (tmp_path / "views.sqlite3").exists()


def test_missing_store_folder_is_a_clear_error(tmp_path, site, capsys):
    log = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    args = ["import", "--site", str(site), "--store", str(tmp_path / "khong" / "v.sqlite3")]
    assert main([*args, "--secret", str(tmp_path / "s"), str(log)]) == 2
    assert "không có thư mục" in capsys.readouterr().err


def test_site_not_built_is_a_clear_error(tmp_path, capsys):
    log = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    assert cli(tmp_path, tmp_path / "output", str(log)) == 2
    assert "make html" in capsys.readouterr().err


def test_corrupt_gzip_keeps_what_was_read(tmp_path, site, capsys):
    good = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    broken = tmp_path / "access.log.2.gz"
    data = gzip.compress(b"".join(scenario().lines()))
    broken.write_bytes(data[: len(data) // 2])
    assert cli(tmp_path, site, str(broken), str(good)) == 2
    assert "tệp nhật ký hỏng" in capsys.readouterr().err
    with sqlite3.connect(tmp_path / "views.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- kill and concurrency: real processes ---------------------------------------------


def big_log(path, count):
    """`count` lines over one day, every one a view of one of the four articles."""
    start = when("2026-11-20 00:00:00")
    paths = [A, B, C, D]
    with open(path, "wb") as handle:
        for i in range(count):
            at = start + timedelta(seconds=i * 86_000 // count)
            handle.write(
                line(f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", at, paths[i % 4]).encode()
            )
    return path


def cli_process(tmp_path, site, store, *extra):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.Popen(
        [sys.executable, "-m", "view_counts.cli", "import", "--site", str(site), "--store",
         str(store), "--secret", str(tmp_path / "secret"), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_kill_during_import_then_rerun_finishes(tmp_path, site):
    log = big_log(tmp_path / "access.log", 60_000)
    store = tmp_path / "views.sqlite3"
    open_store(store).close()
    proc = cli_process(tmp_path, site, store, "--batch-lines", "1000", str(log))
    done = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(store, timeout=30)) as conn:
            row = conn.execute("SELECT SUM(lines) FROM files").fetchone()  # committed lines
        done = row[0] or 0
        if done >= 5_000:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert 0 < done < 60_000
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        partial = conn.execute("SELECT COALESCE(SUM(views), 0) FROM daily").fetchone()[0]
        waiting = conn.execute("SELECT COUNT(*) FROM buffer").fetchone()[0]
        lines = conn.execute("SELECT SUM(lines) FROM files").fetchone()[0]
    # Every committed line was a view, final or waiting in the buffer: counts and
    # checkpoint agree.
    assert partial + waiting == lines
    rerun = cli_process(tmp_path, site, store, str(log))
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    clean = tmp_path / "clean.sqlite3"
    run_import(clean, [log], site)
    assert daily(store) == daily(clean)
    assert sum(daily(store).values()) == 60_000


def test_second_import_refuses_clearly_while_one_runs(tmp_path, site):
    log = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    store = tmp_path / "views.sqlite3"
    with ImportLock(store):
        proc = cli_process(tmp_path, site, store, str(log))
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert "đang chạy" in err and "--wait" in err
    assert daily(store) == {}


def test_second_import_with_wait_runs_after_the_first(tmp_path, site):
    log = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    store = tmp_path / "views.sqlite3"
    with ImportLock(store):
        proc = cli_process(tmp_path, site, store, "--wait", str(log))
        time.sleep(1.0)
        assert proc.poll() is None  # still waiting
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert daily(store) == {(D28, ID[A]): 1}


def test_concurrent_imports_count_once(tmp_path, site, expected):
    log = write_log(tmp_path / "access.log", expected.lines())
    store = tmp_path / "views.sqlite3"
    open_store(store).close()
    procs = [cli_process(tmp_path, site, store, "--wait", str(log)) for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert daily(store) == expected.daily


def test_store_that_is_not_sqlite_is_a_clear_error(tmp_path, site, capsys):
    log = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    (tmp_path / "views.sqlite3").write_text("đây không phải cơ sở dữ liệu " * 100)
    assert cli(tmp_path, site, str(log)) == 2
    err = capsys.readouterr().err
    assert "không đọc được kho số liệu" in err and "views.sqlite3" in err


@pytest.mark.parametrize(
    "text",
    ["{not json", '{"version": 99, "articles": {}}', "[]"],
    ids=["broken", "version", "list"],
)
def test_unusable_views_json_is_a_clear_error(tmp_path, text, capsys):
    log = write_log(tmp_path / "access.log", [line("10.0.0.1", "2026-11-28 09:00:00", A).encode()])
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "views.json").write_text(text)
    assert cli(tmp_path, tmp_path / "output", str(log)) == 2
    assert "không đúng định dạng" in capsys.readouterr().err


def test_incomplete_last_line_waits_for_the_next_import(tmp_path, site):
    store = tmp_path / "views.sqlite3"
    first = line("10.0.0.1", "2026-11-28 09:00:00", A).encode()
    second = line("10.0.0.2", "2026-11-28 09:00:05", A).encode()
    log = write_log(tmp_path / "access.log", [first, second[:40]])  # nginx mid-write
    report = run_import(store, [log], site)
    assert (report.counted, report.incomplete) == (1, 1)
    write_log(log, [first, second])
    again = run_import(store, [log], site)
    assert (again.counted, again.dropped["already_imported"]) == (1, 1)
    assert daily(store) == {(D28, ID[A]): 2}


def make_stats(*args):
    return subprocess.run(
        ["make", "--no-print-directory", "stats", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_make_stats_without_logs_says_how(tmp_path):
    done = make_stats(f"STORE={tmp_path / 'v.sqlite3'}")
    assert done.returncode != 0
    assert 'make stats LOGS="var/logs/access.log*"' in done.stdout + done.stderr


def test_make_stats_dry_run_reports_and_writes_nothing(tmp_path, site, expected):
    log = write_log(tmp_path / "access.log", expected.lines())
    store = tmp_path / "v.sqlite3"
    done = make_stats(f"LOGS={log}", f"STORE={store}", f"OUTPUTDIR={site}", "DRY_RUN=1")
    assert done.returncode == 0, done.stderr
    assert f"Lượt xem được tính: {expected.counted}" in done.stdout
    assert "THỬ (không ghi gì)" in done.stdout
    assert not store.exists()
