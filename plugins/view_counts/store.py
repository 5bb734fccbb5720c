"""The SQLite store: daily view counts per article id, and what an import must remember.

Tables
  daily          (day, article_id) -> views          the counts, kept for ever
  urls           path -> article_id                  every URL an article has had
  files          fingerprint -> offset, lines        how far each log file was read
  recent_lines   line hash -> ts, n                  lines of the last minute already read
  recent_visits  (visitor, article_id) -> ts         last counted view, kept 30 minutes
  meta           key -> value                        schema version, watermark (log time)
Visitor hashes live only in recent_visits and leave it once 30 minutes of log time have
passed: by then their day can no longer receive a line that they would affect.
"""

import fcntl
import os
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily (
  day TEXT NOT NULL, article_id TEXT NOT NULL, views INTEGER NOT NULL,
  PRIMARY KEY (day, article_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS urls (
  path TEXT PRIMARY KEY, article_id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
  fingerprint BLOB PRIMARY KEY, offset INTEGER NOT NULL, lines INTEGER NOT NULL,
  updated INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recent_lines (
  hash BLOB PRIMARY KEY, ts INTEGER NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recent_visits (
  visitor BLOB NOT NULL, article_id TEXT NOT NULL, ts INTEGER NOT NULL,
  PRIMARY KEY (visitor, article_id)) WITHOUT ROWID;
"""


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
        conn.executescript(SCHEMA)
        version = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if version is None:
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif version[0] != SCHEMA_VERSION:
            raise StoreError(f"{path}: kho số liệu phiên bản {version[0]}, cần {SCHEMA_VERSION}.")
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"{path}: không đọc được kho số liệu ({error}). Kiểm tra đường dẫn STORE "
            "hoặc khôi phục tệp từ bản sao lưu."
        ) from error
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


def totals(conn, since=None):
    """{article_id: views} over all days, or over days >= `since` (a date)."""
    if since is None:
        rows = conn.execute("SELECT article_id, SUM(views) FROM daily GROUP BY article_id")
    else:
        rows = conn.execute(
            "SELECT article_id, SUM(views) FROM daily WHERE day >= ? GROUP BY article_id",
            (since.isoformat(),),
        )
    return dict(rows)


def latest_day(conn):
    row = conn.execute("SELECT MAX(day) FROM daily").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def window_totals(conn, windows):
    """{"all": {...}, "7d": {...}, ...}: the windows end on the newest day with data."""
    out = {"all": totals(conn)}
    newest = latest_day(conn)
    for days in windows:
        key = f"{days}d"
        out[key] = {} if newest is None else totals(conn, newest - timedelta(days=days - 1))
    return out, newest
