"""Reading access logs into the store: one view per DESIGN.md, exactly once.

Idempotency has two layers:
- a checkpoint per file, keyed by a fingerprint of its first line, so a file (or its
  rotated, gzipped copy, which starts with the same line) is read on from where it stopped;
- a watermark in log time with the hashes of the lines of its last minute, so overlapping
  files add nothing, and lines sharing the watermark's second are not lost.
Every batch of lines is one SQLite transaction holding the counts, the checkpoint, the
watermark and the recent visitors together: a kill at any moment leaves a consistent store
and a rerun resumes from the last committed batch.
"""

import gzip
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .agents import AgentClassifier
from .logparse import CONTROL, MAX_LINE_BYTES, fold_path, is_prefetch, parse_time, split_line
from .visitor import derive_key, network_of, visitor_hash

REPEAT_SECONDS = 30 * 60
# Lines may reach the log up to this many seconds out of order (nginx workers).
SKEW_SECONDS = 60
REASONS = (
    "already_imported",
    "malformed",
    "method",
    "status",
    "not_article",
    "crawler",
    "prefetch",
    "repeat",
)
COUNTED_STATUSES = frozenset((200, 304))
PATH_CACHE_LIMIT = 100_000
FINGERPRINT_BYTES = 4096


class LogError(Exception):
    """A log file cannot be read; the message is for staff (Vietnamese)."""


@dataclass
class Report:
    files: list = field(default_factory=list)
    read: int = 0
    counted: int = 0
    incomplete: int = 0
    dropped: Counter = field(default_factory=Counter)
    per_article: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def check(self):
        """Every line read is counted or dropped for one reason."""
        return self.read == self.counted + sum(self.dropped.values())


def open_log(path):
    """A binary reader for a plain or gzipped log (told apart by content, not name)."""
    path = Path(path)
    try:
        with open(path, "rb") as probe:
            magic = probe.read(2)
        return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")
    except OSError as error:
        raise LogError(f"{path}: không mở được tệp nhật ký ({error.strerror}).") from error


def read_line(handle):
    """(raw line, bytes consumed); a huge line is consumed whole and returned as None."""
    raw = handle.readline(MAX_LINE_BYTES + 1)
    if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
        return raw, len(raw)
    consumed = len(raw)
    while True:
        chunk = handle.readline(1 << 16)
        consumed += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return (None if chunk else b""), consumed


class Importer:
    def __init__(self, conn, url_map, secret, timezone="Asia/Ho_Chi_Minh", batch_lines=50_000):
        self.conn = conn
        self.tz = ZoneInfo(timezone)
        self.secret = secret
        self.lines_key = derive_key(secret, "lines")
        self.batch_lines = batch_lines
        self.agents = AgentClassifier()
        self._day_keys = {}
        self._times = {}
        self._paths = {}
        self._load_state(url_map)

    # --- state ---------------------------------------------------------------------
    def _load_state(self, url_map):
        conn = self.conn
        stored = dict(conn.execute("SELECT path, article_id FROM urls"))
        self.new_urls = {p: a for p, a in url_map.items() if stored.get(p) != a}
        self.url_map = {**stored, **url_map}
        row = conn.execute("SELECT value FROM meta WHERE key='watermark'").fetchone()
        self.watermark = int(row[0]) if row else 0
        self.recent_lines = {h: [ts, n] for h, ts, n in conn.execute("SELECT * FROM recent_lines")}
        self.recent_visits = {
            (v, a): ts for v, a, ts in conn.execute("SELECT * FROM recent_visits")
        }
        self.checkpoints = {
            fp: (offset, lines)
            for fp, offset, lines in conn.execute("SELECT fingerprint, offset, lines FROM files")
        }
        self.pending = Counter()
        self.pending_files = {}
        self._pruned_at = self.watermark
        self.last_article = None

    def _prune(self):
        self._pruned_at = self.watermark
        horizon = self.watermark - SKEW_SECONDS
        self.recent_lines = {h: v for h, v in self.recent_lines.items() if v[0] >= horizon}
        horizon = self.watermark - REPEAT_SECONDS - SKEW_SECONDS
        self.recent_visits = {k: ts for k, ts in self.recent_visits.items() if ts >= horizon}

    def commit(self):
        """Write everything gathered since the last commit as one transaction."""
        self._prune()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.new_urls:
                conn.executemany(
                    "INSERT INTO urls VALUES (?, ?) ON CONFLICT(path) DO UPDATE "
                    "SET article_id = excluded.article_id",
                    self.new_urls.items(),
                )
                self.new_urls = {}
            conn.executemany(
                "INSERT INTO daily VALUES (?, ?, ?) ON CONFLICT(day, article_id) DO UPDATE "
                "SET views = views + excluded.views",
                [(day, art, n) for (day, art), n in self.pending.items()],
            )
            now = int(time.time())
            conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                [(fp, off, n, now) for fp, (off, n) in self.pending_files.items()],
            )
            conn.execute(
                "INSERT OR REPLACE INTO meta VALUES ('watermark', ?)", (str(self.watermark),)
            )
            conn.execute("DELETE FROM recent_lines")
            conn.executemany(
                "INSERT INTO recent_lines VALUES (?, ?, ?)",
                [(h, ts, n) for h, (ts, n) in self.recent_lines.items()],
            )
            conn.execute("DELETE FROM recent_visits")
            conn.executemany(
                "INSERT INTO recent_visits VALUES (?, ?, ?)",
                [(v, a, ts) for (v, a), ts in self.recent_visits.items()],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.pending.clear()
        self.pending_files.clear()

    # --- helpers ---------------------------------------------------------------------
    def _when(self, value):
        """(ts, day string, day date, seconds since local midnight) for a $time_local."""
        cached = self._times.get(value)
        if cached is None:
            ts = parse_time(value)
            if ts is None:
                return None
            local = datetime.fromtimestamp(ts, self.tz)
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            cached = (ts, local.date().isoformat(), local.date(), (local - midnight).seconds)
            if len(self._times) > 10_000:
                self._times.clear()
            self._times[value] = cached
        return cached

    def _day_key(self, day):
        key = self._day_keys.get(day)
        if key is None:
            key = self._day_keys[day] = derive_key(self.secret, day.isoformat())
        return key

    def _article(self, target):
        found = self._paths.get(target, False)
        if found is False:
            path = fold_path(target)
            found = None if path is None else self.url_map.get(path)
            if len(self._paths) >= PATH_CACHE_LIMIT:
                self._paths.clear()
            self._paths[target] = found
        return found

    def fingerprint(self, head):
        """Keyed hash of a file's first line (or first 4 KiB): a rotated or gzipped copy
        of a file has the same one. None while the file holds only a partial line."""
        newline = head.find(b"\n")
        if newline >= 0:
            head = head[: newline + 1]
        elif len(head) < FINGERPRINT_BYTES:
            return None
        return hashlib.blake2b(head, key=self.lines_key, digest_size=16).digest()

    def first_time(self, path):
        """Log time of a file's first line (to put rotated files in order), or None."""
        with open_log(path) as handle:
            try:
                raw, _ = read_line(handle)
            except (OSError, EOFError) as error:
                raise LogError(f"{path}: tệp nhật ký hỏng ({error}).") from error
        if not raw:
            return None
        try:
            fields = split_line(raw.rstrip(b"\r\n").decode("utf-8"))
        except UnicodeDecodeError:
            return None
        return None if fields is None else parse_time(fields[1])

    # --- the import ------------------------------------------------------------------
    def run(self, paths, dry_run=False):
        """Import `paths` (oldest first by their first line); returns a Report."""
        started = time.perf_counter()
        report = Report()
        ordered = sorted(((self.first_time(p) or 0, str(p)), Path(p)) for p in paths)
        for _, path in ordered:
            self._import_file(path, report, dry_run)
        if not dry_run:
            self.commit()
        report.seconds = time.perf_counter() - started
        return report

    def _import_file(self, path, report, dry_run):
        dropped = report.dropped
        per_article = report.per_article
        file_lines = 0
        since_commit = 0
        with open_log(path) as handle:
            try:
                fingerprint = self.fingerprint(handle.read(FINGERPRINT_BYTES))
                if fingerprint is None:
                    report.incomplete += 1  # one line, still being written
                    report.files.append((str(path), 0, 0))
                    return
                handle.seek(0)
                offset, skipped = self.checkpoints.get(fingerprint, (0, 0))
                if offset:
                    handle.seek(offset)
                    if handle.tell() != offset:
                        offset, skipped = 0, 0
                        handle.seek(0)
                report.read += skipped
                dropped["already_imported"] += skipped
                file_lines = skipped
                # Lines of the last minute imported before this file: each may match once.
                prior = {h: n for h, (_, n) in self.recent_lines.items()}
                while True:
                    raw, size = read_line(handle)
                    if raw is not None and not raw:
                        break
                    if raw is not None and not raw.endswith(b"\n"):
                        report.incomplete += 1  # still being written: left for next time
                        break
                    offset += size
                    file_lines += 1
                    report.read += 1
                    since_commit += 1
                    if since_commit >= self.batch_lines and not dry_run:
                        self.checkpoints[fingerprint] = (offset - size, file_lines - 1)
                        self.pending_files[fingerprint] = (offset - size, file_lines - 1)
                        self.commit()
                        since_commit = 1
                    reason = self._classify(raw, prior)
                    if reason is None:
                        report.counted += 1
                        per_article[self.last_article] += 1
                    else:
                        dropped[reason] += 1
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                raise LogError(
                    f"{path}: tệp nhật ký hỏng sau {file_lines} dòng ({error}). "
                    "Các dòng trước đó đã được ghi nhận; sửa hoặc bỏ tệp rồi chạy lại."
                ) from error
        self.checkpoints[fingerprint] = (offset, file_lines)
        self.pending_files[fingerprint] = (offset, file_lines)
        report.files.append((str(path), file_lines, skipped))

    def _classify(self, raw, prior):
        """None when the line is a view (and counts it), else the reason it is dropped."""
        if raw is None:
            return "malformed"
        try:
            text = raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            return "malformed"
        if text.endswith("\r"):
            text = text[:-1]
        if CONTROL.search(text):
            return "malformed"
        fields = split_line(text)
        if fields is None:
            return "malformed"
        ip, when, method, target, status, agent, purpose = fields
        moment = self._when(when)
        if moment is None:
            return "malformed"
        ts, day, day_date, since_midnight = moment
        watermark = self.watermark
        if ts < watermark - SKEW_SECONDS:
            return "already_imported"
        digest = hashlib.blake2b(raw, key=self.lines_key, digest_size=16).digest()
        if prior and prior.get(digest):
            prior[digest] -= 1
            return "already_imported"
        recent_lines = self.recent_lines
        known = recent_lines.get(digest)
        recent_lines[digest] = [ts, 1 if known is None else known[1] + 1]
        if ts > watermark:
            self.watermark = ts
            if ts - self._pruned_at > 2 * SKEW_SECONDS and len(recent_lines) > 4096:
                self._prune()
        if method != "GET":
            return "method"
        if status not in COUNTED_STATUSES:
            return "status"
        article = self._article(target)
        if article is None:
            return "not_article"
        if self.agents.is_bot(agent):
            return "crawler"
        if is_prefetch(purpose):
            return "prefetch"
        network = network_of(ip)
        if network is None:
            return "malformed"
        visitor = visitor_hash(self._day_key(day_date), network, agent)
        recent_visits = self.recent_visits
        last = recent_visits.get((visitor, article))
        if last is not None and abs(ts - last) < REPEAT_SECONDS:
            return "repeat"
        if since_midnight < REPEAT_SECONDS:
            # The key changed at midnight: the same person under yesterday's key.
            before = visitor_hash(self._day_key(day_date - timedelta(days=1)), network, agent)
            last = recent_visits.get((before, article))
            if last is not None and abs(ts - last) < REPEAT_SECONDS:
                return "repeat"
        recent_visits[(visitor, article)] = ts
        self.pending[(day, article)] += 1
        self.last_article = article
        return None
