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
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

from .agents import AgentClassifier
from .logparse import (
    CONTROL,
    FAST_RE,
    MAX_LINE_BYTES,
    fold_path,
    is_prefetch,
    join_purpose,
    parse_clock,
    parse_time,
    split_line,
)
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
        self._bases = {}
        self._paths = {}
        self._networks = {}
        self._window = deque()
        self._day_start = self._day_end = 0
        self._day = None
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

    def _prune(self):
        horizon = self.watermark - SKEW_SECONDS
        self.recent_lines = {h: v for h, v in self.recent_lines.items() if v[0] >= horizon}
        horizon = self.watermark - REPEAT_SECONDS - SKEW_SECONDS
        self.recent_visits = {k: ts for k, ts in self.recent_visits.items() if ts >= horizon}

    def commit(self):
        """Write everything gathered since the last commit as one transaction."""
        self._remember_window()
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
    def _base(self, key, value, clock):
        """Epoch seconds of the midnight (in the line's own offset) of `value`'s date."""
        try:
            ts = parse_time(value.decode("ascii"))
        except UnicodeDecodeError:
            return None
        if ts is None:
            return None
        base = self._bases[key] = ts - clock
        return base

    def _local_day(self, ts):
        """Sets the ward's local day holding `ts` (its bounds, ISO date, date)."""
        local = datetime.fromtimestamp(ts, self.tz)
        midnight = datetime.combine(local.date(), dt_time(), self.tz)
        following = datetime.combine(local.date() + timedelta(days=1), dt_time(), self.tz)
        self._day_start = int(midnight.timestamp())
        self._day_end = int(following.timestamp())
        self._day = (local.date().isoformat(), local.date())

    def _day_key(self, day):
        key = self._day_keys.get(day)
        if key is None:
            key = self._day_keys[day] = derive_key(self.secret, day.isoformat())
        return key

    def _article(self, target):
        try:
            path = fold_path(target.decode("utf-8"))
        except UnicodeDecodeError:
            path = None
        found = None if path is None else self.url_map.get(path)
        if len(self._paths) >= PATH_CACHE_LIMIT:
            self._paths.clear()
        self._paths[target] = found
        return found

    def _network(self, ip):
        try:
            network = network_of(ip.decode("ascii"))
        except UnicodeDecodeError:
            network = None
        if len(self._networks) >= PATH_CACHE_LIMIT:
            self._networks.clear()
        self._networks[ip] = network
        return network

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
        fields = split_line(raw.rstrip(b"\r\n")) if raw else None
        if fields is None:
            return None
        try:
            return parse_time(fields[1].decode("ascii"))
        except UnicodeDecodeError:
            return None

    def _remember_window(self):
        """Move the lines read since the last commit into recent_lines (hashed)."""
        recent = self.recent_lines
        key = self.lines_key
        horizon = self.watermark - SKEW_SECONDS
        for ts, raw in self._window:
            if ts >= horizon:
                digest = hashlib.blake2b(raw, key=key, digest_size=16).digest()
                known = recent.get(digest)
                recent[digest] = [max(ts, known[0]), known[1] + 1] if known else [ts, 1]
        self._window.clear()

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
        file_lines = 0
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
                report.dropped["already_imported"] += skipped
                file_lines = skipped
                self._remember_window()
                self._prune()
                offset, file_lines = self._read_lines(
                    handle,
                    fingerprint,
                    offset=offset,
                    file_lines=file_lines,
                    report=report,
                    dry_run=dry_run,
                )
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                raise LogError(
                    f"{path}: tệp nhật ký hỏng sau {file_lines} dòng ({error}). "
                    "Các dòng trước đó đã được ghi nhận; sửa hoặc bỏ tệp rồi chạy lại."
                ) from error
        self.checkpoints[fingerprint] = (offset, file_lines)
        self.pending_files[fingerprint] = (offset, file_lines)
        report.files.append((str(path), file_lines, skipped))

    def _read_lines(self, handle, fingerprint, *, offset, file_lines, report, dry_run):
        """The hot loop: every line of one file, classified (see DESIGN.md, one view)."""
        dropped = report.dropped
        per_article = report.per_article
        pending = self.pending
        window = self._window
        paths, networks, bases = self._paths, self._networks, self._bases
        fast_match = FAST_RE.match
        agents = self.agents
        is_bot_cached = agents.cache.get
        lines_key = self.lines_key
        batch = self.batch_lines
        # Lines of the last minute imported before this file: each may match one line here.
        prior = {h: n for h, (_, n) in self.recent_lines.items()}
        start_mark = self.watermark
        old_mark = start_mark - SKEW_SECONDS
        since_commit = 0
        read = 0
        counted = 0
        readline = handle.readline
        limit = MAX_LINE_BYTES + 1
        while True:
            raw = readline(limit)
            size = len(raw)
            if size == limit and not raw.endswith(b"\n"):
                raw, size = read_rest(handle, raw)
            elif not raw:
                break
            elif raw[-1] != 10:
                report.incomplete += 1  # still being written: left for the next import
                break
            if since_commit >= batch and not dry_run:
                report.read += read
                report.counted += counted
                read = counted = since_commit = 0
                self.checkpoints[fingerprint] = (offset, file_lines)
                self.pending_files[fingerprint] = (offset, file_lines)
                self.commit()
            offset += size
            file_lines += 1
            read += 1
            since_commit += 1
            # -- well formed?
            if raw is None:
                dropped["malformed"] += 1
                continue
            line = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
            if line.isascii():
                bad = not line.decode("ascii").isprintable()  # control characters
            else:
                try:
                    line.decode("utf-8")
                    bad = CONTROL.search(line) is not None
                except UnicodeDecodeError:
                    bad = True
            if bad:
                dropped["malformed"] += 1
                continue
            match = fast_match(line)
            if match is not None:
                (ip, when, date_part, hour, minute, second, zone, method, target, status, agent,
                 sec_purpose, purpose) = match.groups()  # fmt: skip
                hour, minute, second = int(hour), int(minute), int(second)
                if hour > 23 or minute > 59 or second > 60:
                    dropped["malformed"] += 1
                    continue
                clock = hour * 3600 + minute * 60 + second
                key = date_part + zone
                if sec_purpose is not None:
                    purpose = join_purpose(sec_purpose, purpose)
            else:
                fields = split_line(line)  # escaped quotes: the slow path
                clock = None if fields is None else parse_clock(fields[1])
                if clock is None:
                    dropped["malformed"] += 1
                    continue
                ip, when, method, target, status, agent, purpose = fields
                key = when[:11] + when[21:]
            base = bases.get(key)
            if base is None:
                base = self._base(key, when, clock)
                if base is None:
                    dropped["malformed"] += 1
                    continue
            ts = base + clock
            if not self._day_start <= ts < self._day_end:
                self._local_day(ts)
            # -- read before?
            if ts <= start_mark:
                if ts < old_mark:
                    dropped["already_imported"] += 1
                    continue
                if prior:
                    digest = hashlib.blake2b(raw, key=lines_key, digest_size=16).digest()
                    if prior.get(digest):
                        prior[digest] -= 1
                        dropped["already_imported"] += 1
                        continue
            window.append((ts, raw))
            if ts > self.watermark:
                self.watermark = ts
                if len(window) > 4096 and window[0][0] < ts - SKEW_SECONDS:
                    horizon = ts - SKEW_SECONDS
                    while window and window[0][0] < horizon:
                        window.popleft()
            # -- a view?
            if method != b"GET":
                dropped["method"] += 1
                continue
            if status != b"200" and status != b"304":  # noqa: PLR1714 (faster than a set)
                dropped["status"] += 1
                continue
            article = paths.get(target, False)
            if article is False:
                article = self._article(target)
            if article is None:
                dropped["not_article"] += 1
                continue
            bot = is_bot_cached(agent)
            if bot is None:
                bot = agents.is_bot(agent)
            if bot:
                dropped["crawler"] += 1
                continue
            if purpose and is_prefetch(purpose):
                dropped["prefetch"] += 1
                continue
            network = networks.get(ip, False)
            if network is False:
                network = self._network(ip)
            if network is None:
                dropped["malformed"] += 1
                continue
            day, day_date = self._day
            since_midnight = ts - self._day_start
            visitor = visitor_hash(self._day_key(day_date), network, agent)
            last = self.recent_visits.get((visitor, article))
            if last is not None and -REPEAT_SECONDS < ts - last < REPEAT_SECONDS:
                dropped["repeat"] += 1
                continue
            if since_midnight < REPEAT_SECONDS:
                # The key changed at midnight: the same person under yesterday's key.
                before = visitor_hash(self._day_key(day_date - timedelta(days=1)), network, agent)
                last = self.recent_visits.get((before, article))
                if last is not None and -REPEAT_SECONDS < ts - last < REPEAT_SECONDS:
                    dropped["repeat"] += 1
                    continue
            self.recent_visits[(visitor, article)] = ts
            pending[(day, article)] += 1
            per_article[article] += 1
            counted += 1
        report.read += read
        report.counted += counted
        return offset, file_lines


def read_rest(handle, head):
    """A line longer than MAX_LINE_BYTES: read to its end in chunks (never whole)."""
    size = len(head)
    while True:
        chunk = handle.readline(1 << 16)
        size += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return None, size
