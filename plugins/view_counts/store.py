"""The SQLite store: daily view counts per article id, and what an import must remember.

Tables
  daily          (day, article_id) -> views          the final counts, kept for ever
  provisional    (day, article_id) -> views          counts of the buffer, replaced each run
  buffer         ts, day, article_id, visitor, previous
                                                     candidate views of the last hour of log
                                                     time, waiting for the 30-minute rule
  urls           path -> article_id                  every URL an article has had
  files          fingerprint -> offset, lines        how far each log file was read
  line_hashes    (line hash, source file) -> ts, n   lines of views read since the horizon
  recent_visits  (visitor, article_id) -> ts         last counted view, kept 30 minutes
  meta           key -> value                        schema version, newest (newest log time
                                                     seen), horizon (buffer finalised before
                                                     it), provisional_repeats
Visitor and line hashes are keyed hashes (nothing of an IP address or user agent); they leave
the store once the log time has moved past the window in which they can matter.
What readers show is daily + provisional (`counts`, `totals`).
"""

import fcntl
import os
import sqlite3
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

SCHEMA_VERSION = "2"
# No index on the buffer's or the line hashes' ts: each run scans them once (they hold about
# one window of lines), cheaper than keeping an index up to date on every line.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily (
  day TEXT NOT NULL, article_id TEXT NOT NULL, views INTEGER NOT NULL,
  PRIMARY KEY (day, article_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS provisional (
  day TEXT NOT NULL, article_id TEXT NOT NULL, views INTEGER NOT NULL,
  PRIMARY KEY (day, article_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS buffer (
  ts INTEGER NOT NULL, day TEXT NOT NULL, article_id TEXT NOT NULL, visitor BLOB NOT NULL,
  previous BLOB);
CREATE TABLE IF NOT EXISTS urls (
  path TEXT PRIMARY KEY, article_id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
  fingerprint BLOB PRIMARY KEY, offset INTEGER NOT NULL, lines INTEGER NOT NULL,
  updated INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS line_hashes (
  hash BLOB NOT NULL, source BLOB NOT NULL, ts INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (hash, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recent_visits (
  visitor BLOB NOT NULL, article_id TEXT NOT NULL, ts INTEGER NOT NULL,
  PRIMARY KEY (visitor, article_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recent_visits_ts ON recent_visits (ts);
"""
# Version 1 kept the hashes of the last minute's lines and a watermark; everything up to it
# was counted. Its lines of that minute become line hashes of no file, and the buffer starts
# one minute before the watermark (version 1 took lines up to a minute out of order).
MIGRATE_V1 = """
INSERT INTO line_hashes SELECT hash, x'', ts, n FROM recent_lines;
DROP TABLE recent_lines;
INSERT INTO meta SELECT 'newest', value FROM meta WHERE key = 'watermark';
INSERT INTO meta SELECT 'horizon', MAX(CAST(value AS INTEGER) - 60, 0) FROM meta
  WHERE key = 'watermark';
DELETE FROM meta WHERE key = 'watermark';
UPDATE meta SET value = '2' WHERE key = 'schema';
"""


def migrate_v1(conn):
    """Version 1 -> 2 in one transaction (another process may have done it meanwhile)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == "1":
            for statement in MIGRATE_V1.split(";"):
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class StoreError(Exception):
    """The store cannot be opened or is busy; the message is for staff (Vietnamese)."""


def open_store(path, create=True):
    """A connection to the store; creates the file (not its folder) when `create`."""
    path = Path(path)
    if not path.parent.is_dir():
        raise StoreError(
            f"{path}: không có thư mục {path.parent} để đặt kho số liệu. "
            "Tạo thư mục đó hoặc chỉ đường dẫn khác bằng STORE=... (mặc định var/views.sqlite3)."
        )
    if not path.exists() and not create:
        raise StoreError(
            f"{path}: chưa có kho số liệu lượt xem. Chạy `make stats LOGS=...` để tạo."
        )
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        return _prepared(conn, path)
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"{path}: không đọc được kho số liệu ({error}). Kiểm tra đường dẫn STORE "
            "hoặc khôi phục tệp từ bản sao lưu."
        ) from error


def open_copy(path):
    """A copy of the store in memory (converted if of an older version), or an empty store
    when there is none: a dry run works on it and writes nothing."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    source = open_readonly(path)
    if source is not None:
        source.backup(conn)
        source.close()
    try:
        return _prepared(conn, path)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: không đọc được kho số liệu ({error}).") from error


def _prepared(conn, path):
    """`conn` with the current schema (an older store converted)."""
    conn.executescript(SCHEMA)
    version = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if version is None:
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    elif version[0] == "1":
        migrate_v1(conn)
    elif version[0] != SCHEMA_VERSION:
        raise StoreError(f"{path}: kho số liệu phiên bản {version[0]}, cần {SCHEMA_VERSION}.")
    return conn


def open_readonly(path):
    """A read-only connection for the build, or None when there is no store yet."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM daily LIMIT 1")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: không đọc được kho số liệu lượt xem ({error}).") from error
    return conn


class StoreBusyError(StoreError):
    """Another import holds the store."""


class ImportLock:
    """One import at a time: an flock on `<store>.lock`, released even on a kill."""

    def __init__(self, store_path, wait=False, timeout=None):
        self.path = Path(f"{store_path}.lock")
        self.wait = wait
        self.timeout = timeout
        self._fd = None

    def __enter__(self):
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if not self.wait or (deadline is not None and time.monotonic() > deadline):
                    os.close(self._fd)
                    self._fd = None
                    raise StoreBusyError(
                        f"{self.path}: một lần nhập số liệu khác đang chạy trên kho này. "
                        "Chờ lần đó xong rồi chạy lại, hoặc thêm --wait để tự chờ."
                    ) from None
                time.sleep(0.1)

    def __exit__(self, *exc):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def _views(conn):
    """The rows readers count: daily plus the provisional counts (none in a v1 store,
    which the build may read before the next import migrates it)."""
    has_provisional = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'provisional'"
    ).fetchone()
    if has_provisional is None:
        return "daily"
    return "(SELECT * FROM daily UNION ALL SELECT * FROM provisional)"


def counts(conn):
    """Counter {(day, article_id): views} of daily plus provisional."""
    rows = conn.execute(f"SELECT day, article_id, SUM(views) FROM {_views(conn)} GROUP BY 1, 2")
    return Counter({(day, article): n for day, article, n in rows})


def totals(conn, since=None):
    """{article_id: views} over all days, or over days >= `since` (a date)."""
    sql = f"SELECT article_id, SUM(views) FROM {_views(conn)}"
    if since is None:
        rows = conn.execute(sql + " GROUP BY article_id")
    else:
        rows = conn.execute(sql + " WHERE day >= ? GROUP BY article_id", (since.isoformat(),))
    return dict(rows)


def latest_day(conn):
    row = conn.execute(f"SELECT MAX(day) FROM {_views(conn)}").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def window_totals(conn, windows):
    """{"all": {...}, "7d": {...}, ...}: the windows end on the newest day with data."""
    out = {"all": totals(conn)}
    newest = latest_day(conn)
    for days in windows:
        key = f"{days}d"
        out[key] = {} if newest is None else totals(conn, newest - timedelta(days=days - 1))
    return out, newest
