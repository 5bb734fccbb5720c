"""Reading access logs into the store: one view per DESIGN.md, exactly once, in any order.

Idempotency:
- a checkpoint per file, keyed by a fingerprint of its first line, so a file (or its
  rotated, gzipped copy, which starts with the same line) is read on from where it stopped;
- keyed hashes of the lines of views since the horizon (a multiset per source file), so
  overlapping files add nothing while a file's own repeated lines still count.
Order: a line that passes every rule but the 30-minute one is a candidate; candidates wait
in the buffer until the newest log time seen is more than `window` past them. At the end
of a run those (older than the new `horizon`) go through the 30-minute rule in timestamp
order into `daily`; the rest is counted the same way into `provisional`, which readers add
to `daily`. The horizon moves only at the end of a run, so within a run lines may come in
any order (one server's whole day, then the other's); across runs, up to `window` seconds
late. So the counts are those of a sorted import; a line older than the horizon is
reported as `too_late`, never silently lost.
Timestamps outside [not_before, import time + max_ahead] are `bad_time` and move nothing.
Every commit is one SQLite transaction holding the counts, the checkpoints and the state,
and writes only what changed since the last one: a kill at any moment leaves a consistent
store and a rerun resumes from the last commit.
"""

import gzip
import hashlib
import sqlite3
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
REASONS = (
    "already_imported",
    "too_late",
    "bad_time",
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
# The buffer as the 30-minute rule reads it (see Importer._apply_repeat_rule).
ROWS = "SELECT day, visitor, article_id, ts, previous FROM buffer"
ROWS_ORDER = "ORDER BY day, visitor, article_id, ts"
# Up to this many last counted views are read into memory at once (else one at a time).
PRELOAD_VISITS = 200_000
# How often (in lines) the line cap and the time budget of a file are checked.
LIMIT_CHECK_LINES = 4096


@dataclass(frozen=True)
class Limits:
    """What an import accepts; the CLI's options (defaults as documented in README)."""

    window: int = 3600  # seconds lines may arrive out of order
    not_before: int | None = None  # earliest plausible log time (epoch seconds)
    max_ahead: int = 86_400  # latest plausible log time: import time + this
    max_lines: int = 50_000_000  # lines read per file per run
    max_seconds: float = 600.0  # seconds spent per file per run


DEFAULT_LIMITS = Limits()


class LogError(Exception):
    """A log file cannot be read; the message is for staff (Vietnamese)."""


@dataclass
class FileResult:
    name: str
    lines: int = 0  # lines of the file read so far (all runs)
    skipped: int = 0  # of which read by earlier runs (checkpoint)
    complete: bool = False  # read to its end, last line whole
    stopped: str = ""  # "lines" or "seconds" when a limit stopped it


@dataclass
class Report:
    files: list = field(default_factory=list)
    read: int = 0
    counted: int = 0  # change of daily + provisional in this run
    incomplete: int = 0
    dropped: Counter = field(default_factory=Counter)
    per_article: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    deleted: list = field(default_factory=list)  # old logs removed after the import

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


def first_year(url_map):
    """Jan 1 of the oldest `bai-viet/YYYY/` folder among the article ids, or None."""
    years = [
        int(part)
        for article_id in url_map.values()
        for part in article_id.split("/")[1:2]
        if part.isdigit() and len(part) == 4
    ]
    return int(datetime(min(years), 1, 1).timestamp()) if years else None


# Used when the articles' years are unknown: no log of this site is older.
FIXED_NOT_BEFORE = int(datetime(2000, 1, 1).timestamp())


class Importer:
    def __init__(
        self,
        conn,
        url_map,
        secret,
        timezone="Asia/Ho_Chi_Minh",
        batch_lines=50_000,
        *,
        limits=DEFAULT_LIMITS,
        now=None,
    ):
        self.conn = conn
        self.tz = ZoneInfo(timezone)
        self.secret = secret
        self.lines_key = derive_key(secret, "lines")
        self.batch_lines = batch_lines
        self.limits = limits
        now = time.time() if now is None else now
        not_before = limits.not_before
        if not_before is None:
            not_before = first_year(url_map) or FIXED_NOT_BEFORE
        self.earliest, self.latest = not_before, int(now) + limits.max_ahead
        self.agents = AgentClassifier()
        self._day_keys = {}
        self._bases = {}
        self._paths = {}
        self._networks = {}
        self._day_start = self._day_end = 0
        self._day = None
        self._load_state(url_map)

    # --- state ---------------------------------------------------------------------
    def _load_state(self, url_map):
        conn = self.conn
        stored = dict(conn.execute("SELECT path, article_id FROM urls"))
        self.new_urls = {p: a for p, a in url_map.items() if stored.get(p) != a}
        self.url_map = {**stored, **url_map}
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.newest = int(meta.get("newest", 0))
        self.horizon = int(meta.get("horizon", 0))
        self.checkpoints = {
            fp: (offset, lines)
            for fp, offset, lines in conn.execute("SELECT fingerprint, offset, lines FROM files")
        }
        self.pending_files = {}
        self.candidates = []  # (ts, day, article_id, visitor, previous) since the last commit
        self.line_hashes = {}  # (hash, source) -> [ts, n] since the last commit
        self.counted_final = Counter()  # (day, article_id) -> views finalised by this run
        self.repeats_final = 0

    def _provisional(self):
        rows = self.conn.execute("SELECT day, article_id, views FROM provisional")
        row = self.conn.execute("SELECT value FROM meta WHERE key='provisional_repeats'")
        repeats = row.fetchone()
        return Counter({(d, a): n for d, a, n in rows}), int(repeats[0]) if repeats else 0

    def _apply_repeat_rule(self, rows, counted, remember=None):
        """Candidates through the 30-minute rule, as a sorted import would apply it.

        `rows` (day, visitor, article, ts, previous) come ordered by day, visitor, article,
        ts: one visitor's views of one article in time order, days in order (a visitor is a
        hash of one day), so only one visitor is held at a time whatever the number of
        rows, plus the visitors of each day's last half hour (for the first half hour of the
        next day, under yesterday's key). Counted views are added to `counted`; each
        visitor's last counted view goes to `remember(visitor, article, ts)` when given.
        Returns the number of repeats."""
        conn = self.conn
        lookup = "SELECT ts FROM recent_visits WHERE visitor = ? AND article_id = ?"
        (held,) = conn.execute("SELECT COUNT(*) FROM recent_visits").fetchone()
        if held <= PRELOAD_VISITS:  # the usual case: faster read at once than one by one
            known = {(v, a): ts for v, a, ts in conn.execute("SELECT * FROM recent_visits")}

            def stored(key):
                return known.get(key)

        else:

            def stored(key):
                row = conn.execute(lookup, key).fetchone()
                return None if row is None else row[0]

        late = {}  # (visitor, article) -> last counted ts, for the views just after midnight
        day_ends = {}
        repeats = 0
        group = group_day = last = None
        changed = False

        def close():
            if changed:
                if remember is not None:
                    remember(*group, last)
                end = day_ends.get(group_day)
                if end is None:
                    following = date.fromisoformat(group_day) + timedelta(days=1)
                    end = day_ends[group_day] = datetime.combine(
                        following, dt_time(), self.tz
                    ).timestamp()
                if last >= end - REPEAT_SECONDS:
                    late[group] = last

        for day, visitor, article, ts, previous in rows:
            if (visitor, article) != group:
                close()
                group, group_day, changed = (visitor, article), day, False
                last = stored(group)
            if last is not None and -REPEAT_SECONDS < ts - last < REPEAT_SECONDS:
                repeats += 1
                continue
            if previous is not None:
                # The key changed at midnight: the same person under yesterday's key.
                key = (previous, article)
                before = late.get(key) or stored(key)
                if before is not None and -REPEAT_SECONDS < ts - before < REPEAT_SECONDS:
                    repeats += 1
                    continue
            last, changed = ts, True
            counted[(day, article)] += 1
        close()
        return repeats

    def commit(self, final=False):
        """Write what changed since the last commit as one transaction. At the end of a
        run (`final`), also move the horizon, finalise the buffer up to it and recount the
        provisional views (until then, those of the last run stand: a killed run leaves
        readers with the counts of the last whole run)."""
        conn = self.conn
        horizon = self.horizon
        if final:
            horizon = max(horizon, self.newest - self.limits.window)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.new_urls:
                conn.executemany(
                    "INSERT INTO urls VALUES (?, ?) ON CONFLICT(path) DO UPDATE "
                    "SET article_id = excluded.article_id",
                    self.new_urls.items(),
                )
                self.new_urls = {}
            now = int(time.time())
            conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                [(fp, off, n, now) for fp, (off, n) in self.pending_files.items()],
            )
            conn.executemany("INSERT INTO buffer VALUES (?, ?, ?, ?, ?)", self.candidates)
            conn.executemany(
                "INSERT INTO line_hashes VALUES (?, ?, ?, ?) ON CONFLICT(hash, source) "
                "DO UPDATE SET ts = MAX(ts, excluded.ts), n = n + excluded.n",
                [
                    (h, src, ts, n)
                    for (h, src), (ts, n) in self.line_hashes.items()
                    if ts >= horizon
                ],
            )
            if final:
                conn.execute("DELETE FROM line_hashes WHERE ts < ?", (horizon,))
                self._finalise(horizon)
                self._recount_provisional()
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("newest", str(self.newest)), ("horizon", str(horizon))],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.horizon = horizon
        self.pending_files.clear()
        self.candidates.clear()
        self.line_hashes.clear()

    def _finalise(self, horizon):
        """Buffer rows older than `horizon` through the 30-minute rule into daily."""
        conn = self.conn
        oldest = horizon - REPEAT_SECONDS  # later views are at `horizon` or after
        visits = []

        def remember(visitor, article, ts):
            if ts >= oldest:
                visits.append((visitor, article, ts))
                if len(visits) >= 10_000:
                    flush()

        def flush():
            conn.executemany("INSERT OR REPLACE INTO recent_visits VALUES (?, ?, ?)", visits)
            visits.clear()

        rows = conn.execute(f"{ROWS} WHERE ts < ? {ROWS_ORDER}", (horizon,))
        added = Counter()
        repeats = self._apply_repeat_rule(rows, added, remember)
        flush()
        conn.execute("DELETE FROM buffer WHERE ts < ?", (horizon,))
        conn.executemany(
            "INSERT INTO daily VALUES (?, ?, ?) ON CONFLICT(day, article_id) DO UPDATE "
            "SET views = views + excluded.views",
            [(day, art, n) for (day, art), n in added.items()],
        )
        conn.execute("DELETE FROM recent_visits WHERE ts < ?", (oldest,))
        self.counted_final += added
        self.repeats_final += repeats

    def _recount_provisional(self):
        """The buffer counted as a sorted import would count it, after `daily`."""
        conn = self.conn
        counted = Counter()
        repeats = self._apply_repeat_rule(conn.execute(f"{ROWS} {ROWS_ORDER}"), counted)
        conn.execute("DELETE FROM provisional")
        conn.executemany(
            "INSERT INTO provisional VALUES (?, ?, ?)",
            [(day, art, n) for (day, art), n in counted.items()],
        )
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('provisional_repeats', ?)", (str(repeats),)
        )

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
                raw = handle.readline(MAX_LINE_BYTES + 1)  # a longer one is not a log line
            except (OSError, EOFError, zlib.error) as error:
                raise LogError(f"{path}: tệp nhật ký hỏng ({error}).") from error
        fields = split_line(raw.rstrip(b"\r\n")) if raw else None
        if fields is None:
            return None
        try:
            return parse_time(fields[1].decode("ascii"))
        except UnicodeDecodeError:
            return None

    def _seen_before(self, digest, source, used):
        """Whether a line of hash `digest` was read from another file and not yet matched
        by a line of this one (`used`: {digest: lines of this file matched so far})."""
        row = self.conn.execute(
            "SELECT SUM(n) FROM line_hashes WHERE hash = ? AND source <> ?", (digest, source)
        ).fetchone()
        taken = used.get(digest, 0)
        if row[0] is None or row[0] <= taken:
            return False
        used[digest] = taken + 1
        return True

    # --- the import ------------------------------------------------------------------
    def run(self, paths, dry_run=False):
        """Import `paths` (oldest first by their first line); returns a Report.
        A dry run works on a copy of the store in memory."""
        started = time.perf_counter()
        if dry_run:  # on a copy in memory (which the CLI already gives)
            copy = sqlite3.connect(":memory:", isolation_level=None)
            self.conn.backup(copy)
            self.conn = copy
        report = Report()
        provisional_before, repeats_before = self._provisional()
        ordered = sorted(((self.first_time(p) or 0, str(p)), Path(p)) for p in paths)
        for _, path in ordered:
            self._import_file(path, report)
        self.commit(final=True)
        provisional, repeats = self._provisional()
        change = self.counted_final + provisional
        change.subtract(provisional_before)
        report.counted = change.total()
        for (_, article), n in change.items():
            report.per_article[article] += n
        report.per_article = +report.per_article
        report.dropped["repeat"] += self.repeats_final + repeats - repeats_before
        report.seconds = time.perf_counter() - started
        if dry_run:
            self.conn.close()
        return report

    def _import_file(self, path, report):
        result = FileResult(str(path))
        report.files.append(result)
        with open_log(path) as handle:
            fingerprint = None
            try:
                fingerprint = self.fingerprint(handle.read(FINGERPRINT_BYTES))
                if fingerprint is None:
                    report.incomplete += 1  # one line, still being written
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
                result.lines = result.skipped = skipped
                self._read_lines(handle, fingerprint, offset, result, report)
            except (OSError, EOFError, zlib.error) as error:
                if fingerprint is not None:
                    self.commit()  # keep what was read before the damage
                raise LogError(
                    f"{path}: tệp nhật ký hỏng sau {result.lines} dòng ({error}). "
                    "Các dòng trước đó đã được ghi nhận; sửa hoặc bỏ tệp rồi chạy lại."
                ) from error
        self.commit()

    def _read_lines(self, handle, fingerprint, offset, result, report):
        """The hot loop: every line of one file, classified (see DESIGN.md, one view)."""
        dropped = report.dropped
        candidates = self.candidates
        line_hashes = self.line_hashes
        paths, networks, bases = self._paths, self._networks, self._bases
        fast_match = FAST_RE.match
        agents = self.agents
        is_bot_cached = agents.cache.get
        lines_key = self.lines_key
        blake2b = hashlib.blake2b
        batch = self.batch_lines
        earliest, latest = self.earliest, self.latest
        # Lines up to the newest time imported before this file may have been read already.
        start_mark = newest = self.newest
        horizon = self.horizon
        used = {}
        file_lines = result.lines
        max_lines = file_lines + self.limits.max_lines
        check_at = min(file_lines + LIMIT_CHECK_LINES, max_lines)
        deadline = time.monotonic() + self.limits.max_seconds
        since_commit = 0
        read = 0
        readline = handle.readline
        limit = MAX_LINE_BYTES + 1
        try:
            while True:
                if file_lines >= check_at:
                    check_at = min(check_at + LIMIT_CHECK_LINES, max_lines)
                    if file_lines >= max_lines:
                        result.stopped = "lines"
                        break
                    if time.monotonic() > deadline:
                        result.stopped = "seconds"
                        break
                raw = readline(limit)
                size = len(raw)
                if size == limit and not raw.endswith(b"\n"):
                    raw, size = read_rest(handle, raw, deadline)
                    check_at = file_lines + 1  # a huge line may have used the time up
                elif not raw:
                    result.complete = True
                    break
                elif raw[-1] != 10:
                    report.incomplete += 1  # still being written: left for the next import
                    break
                if since_commit >= batch:
                    report.read += read
                    read = since_commit = 0
                    result.lines = file_lines
                    self.checkpoints[fingerprint] = self.pending_files[fingerprint] = (
                        offset,
                        file_lines,
                    )
                    self.newest = newest
                    self.commit()
                offset += size
                file_lines += 1
                read += 1
                since_commit += 1
                # -- well formed?
                if raw is None or size <= 2:  # too long, or empty
                    if size == 1:  # and the empty lines after it, at once (a gzip bomb)
                        skipped = skip_newlines(handle, max_lines - file_lines)
                        offset += skipped
                        file_lines += skipped
                        read += skipped
                        dropped["malformed"] += skipped
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
                # -- a plausible time? (a clock glitch must not move anything)
                if not earliest <= ts <= latest:
                    dropped["bad_time"] += 1
                    continue
                # -- read before, or too late?
                if ts < horizon:
                    dropped["too_late"] += 1
                    continue
                newest = max(newest, ts)
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
                # -- read before? Only views need to know: any other line read twice is
                # dropped again by its own rule.
                digest = blake2b(raw, key=lines_key, digest_size=16).digest()
                if ts <= start_mark and self._seen_before(digest, fingerprint, used):
                    dropped["already_imported"] += 1
                    continue
                known = line_hashes.get((digest, fingerprint))
                if known is None:
                    line_hashes[(digest, fingerprint)] = [ts, 1]
                else:
                    known[0] = max(known[0], ts)
                    known[1] += 1
                # -- a candidate: the 30-minute rule is applied in timestamp order later
                if not self._day_start <= ts < self._day_end:
                    self._local_day(ts)
                day, day_date = self._day
                visitor = visitor_hash(self._day_key(day_date), network, agent)
                previous = None
                if ts - self._day_start < REPEAT_SECONDS:
                    previous = visitor_hash(
                        self._day_key(day_date - timedelta(days=1)), network, agent
                    )
                candidates.append((ts, day, article, visitor, previous))
        finally:  # also when the file turns out damaged: keep what was read
            report.read += read
            result.lines = file_lines
            self.newest = newest
            self.checkpoints[fingerprint] = self.pending_files[fingerprint] = (offset, file_lines)


def read_rest(handle, head, deadline):
    """A line longer than MAX_LINE_BYTES: read on in chunks (never whole) to its end, or
    until the `deadline` (time.monotonic) has passed; (None, bytes consumed)."""
    size = len(head)
    chunks = 0
    while True:
        chunk = handle.readline(1 << 16)
        size += len(chunk)
        chunks += 1
        if not chunk or chunk.endswith(b"\n"):
            return None, size
        if chunks % 256 == 0 and time.monotonic() > deadline:
            return None, size


def skip_newlines(handle, limit):
    """Consume the empty lines (b"\n") that come next, `limit` at most; how many."""
    skipped = 0
    while skipped < limit:
        ahead = handle.peek(1 << 16)[: min(1 << 16, limit - skipped)]
        count = len(ahead) - len(ahead.lstrip(b"\n"))
        if not count:
            return skipped
        handle.read(count)
        skipped += count
    return skipped
