"""Builds of the preview, one after the other in this process, each redoing only what changed.

The first build reads everything; after it, the incremental plugin keeps every article and
page as read (`keep_content`) and the digest of every page's inputs, so a build after one
saved article reads that file again and renders only the pages that show it. A change to a
template, `theme/labels.yml`, the settings or `content/data/` (the officials registry) drops
what was kept and renders everything (still writing only the files whose bytes change).

With `defer`, a build after the first renders no page: it works out the site (articles,
lists, officials, counts) and leaves each page to be rendered when the server is asked for
it (`materialize`), the rest in the background (`complete`), each only if its inputs
changed. The pages of the articles it read anew (the one just saved) are rendered first,
before any other output, and may be served while the build goes on (`first`).
"""

import contextlib
import dataclasses
import gc
import logging
import os
import threading
import time
import typing
from dataclasses import dataclass, field

import jinja2
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.settings import read_settings

logger = logging.getLogger(__name__)

# The little garbage builds leave (_release frees the rest) is collected when the preview is
# idle after this many builds, or before a build after three times as many.
COLLECT_EVERY = 10
# The lists of articles and pages of Pelican's generators (_follow_pages).
CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                 "hidden_translations", "pages", "hidden_pages", "draft_pages")  # fmt: skip


@dataclass
class Result:
    number: int
    seconds: float
    full: bool
    problems: list = field(default_factory=list)  # (level name, message) of this build
    # A page the build under way rendered first (the saved article), shown before the build
    # is done: `problems` are those found so far.
    early: bool = False
    # The file a page asked for is now at (its article's title, category or status changed)
    moved: str | None = None
    # Stopped after its first pages for a newer save (build's `cut`): the next build does
    # the rest.
    cut: bool = False


class Problems(logging.Handler):
    """The warnings and errors of one build, for the preview's error page."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.found = []

    def emit(self, record):
        # build_report's summary repeats the others; Pelican's own "Could not process" follows
        # the reader's message that names the file, the line and the fix.
        if record.name == "build_report" or record.msg == "Could not process %s":
            return
        self.found.append((record.levelname, record.getMessage()))


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates, kept for the life of the process: each build makes new Jinja
    environments, which would compile every template again (a tenth of a second a build).
    Jinja checks each template's source against what was compiled."""

    store: typing.ClassVar[dict] = {}

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


class Builder:
    def __init__(self, settings_file, content, output, extra=None, defer=False):
        self.extra = extra or {}  # more settings (tests share a photo cache through it)
        self.settings_file = settings_file
        self.content = content
        self.output = output
        self.defer = defer
        self.number = 0
        self.last = None
        self.pelican = None
        self._sitemap_due = False
        self.running = None  # the Result of the build under way (its problems so far)
        # file -> source of the pages the build under way rendered first (None: deleted)
        self._first_files = {}
        self._sources = {}  # file -> source of the article and page files of the last build
        self._moved = {}  # file of the build before -> file of the last build, same source
        self.on_first = lambda: None  # called when they are ready (the server's announce)
        self._progress = threading.Condition()  # notified then, and at the end of a build
        self._collected = 0  # the build after which garbage was last collected
        self._generators = []  # the last build's
        self._stale = []  # the build before's, while the next one runs (_release)
        self._held = False  # the last build was cut short: it left the lock held (build)
        # The last build got through (its kept files are known): the next may trust `changed`.
        self._trusted = False
        # Called from `complete` with the files kept contents use that changed unseen (a
        # watcher that missed a save): the preview builds again with them.
        self.on_unseen = lambda paths: None
        self._swept = 0  # the build after which they were last looked for
        # Builds, pages rendered on request and the background completion, one at a time;
        # the first two go first (`_waiting` of them), the completion yields to them.
        self.lock = threading.RLock()
        self._waiting = 0
        # Notified when the last of them is done: the completion waits on it instead of
        # polling (a thread waking every 2 ms takes the interpreter's lock from the build).
        self._count_lock = threading.Condition()

    def settings(self, defer=False):
        settings = read_settings(
            self.settings_file,
            override={
                "PATH": self.content,
                "OUTPUT_PATH": self.output,
                # Never deployed: the manifest lists files only (the clean-up reads it).
                "PUBLISH_MANIFEST": {"records": False},
                "INCREMENTAL": {
                    "state_dir": None,
                    "keep_content": True,
                    "clean": True,
                    "defer": defer,
                },
                **self.extra,
            },
        )
        settings["JINJA_ENVIRONMENT"] = {
            **settings.get("JINJA_ENVIRONMENT", {}),
            "bytecode_cache": MemoryBytecodeCache(),
        }
        # The builds keep sitemap.xml as it is: it is written from the pages' heads once they
        # are all rendered (after a full build, or by complete). Not a setting that changes
        # between builds: every setting is in what the kept articles and pages depend on.
        settings["SITEMAP"] = {**settings.get("SITEMAP", {}), "write": False}
        return settings

    def build(self, full=False, cut=None, changed=None):
        """One build; never raises for a problem of the site (it is in Result.problems).
        A full build (and the first) renders every page now; the others follow `defer`.

        `changed` (the preview's watcher): the files saved, created or deleted since the
        last build began. An article or page none of whose files is among them is taken as
        kept without looking at its files (at 10,000 articles, a `stat` of each took about
        0.07 s of every build); after a build that failed, and without `changed`, each is
        looked at. What a watcher may miss is caught when the preview is idle (complete).

        `cut` (a threading.Event, set on a new save): once the saved article's page is
        rendered first, the build stops when it is set, and the next build does the rest
        (at 10,000 articles, the rest of a build after its saved page takes about 1.5 s).
        The lock stays held until that next build holds it, so no page of a build cut short
        is served: this thread must build again, as the preview's loop does."""
        from incremental import PAGES_FIRST, cut_short
        from incremental.state import Cut, forget, state_for

        with self._first():
            if self._held:  # the build before was cut short; this one holds the lock now
                self._held = False
                self.lock.release()
            output = os.path.abspath(self.output)
            if full:
                forget(output)
            state = state_for(output, None)
            state.deferred = {}  # the last build's: this one redoes them
            if changed is not None and self._trusted and not full:
                # Both spellings: photos and attachments are kept by their real path.
                state.changed = {*changed, *map(os.path.realpath, changed)}
            self._trusted = False  # until this build is through
            defer = self.defer and not full and self.number > 0
            state.cut = cut if defer else None
            stopped = False
            self.number += 1
            problems = Problems()
            root_logger = logging.getLogger()
            root_logger.addHandler(problems)
            started = time.perf_counter()
            # No cycle collection during a build: it walks every object the process keeps
            # (the whole site, kept between builds), again and again while the build
            # allocates. After it, what the build made is set aside (gc.freeze: the next
            # collection would otherwise walk all of it, a tenth of a second at 2,000
            # articles, just when the saved page is asked for).
            gc.disable()
            # The last build's site is freed once this one's first pages are out (_pages_first)
            # or at its end: breaking its cycles takes a few hundredths of a second at
            # 10,000 articles, which the saved page need not wait for.
            self._stale, self._generators = self._generators, []
            if self.number - self._collected >= 3 * COLLECT_EVERY:
                self._collect()
            signals.all_generators_finalized.connect(self._keep_generators)
            PAGES_FIRST.connect(self._pages_first)
            self.running = Result(self.number, 0.0, full, problems.found)
            try:
                self.pelican = Pelican(self.settings(defer))
                self.pelican.run()
            except Cut:  # after its reading: what it read is kept
                stopped = self._trusted = True
                cut_short(state, output)
            except (Exception, SystemExit) as error:  # a broken template or setting, a bug
                logger.exception("Bản xem thử không dựng được")
                problems.found.append(("ERROR", f"Không dựng được bản xem thử: {error}"))
            else:
                self._trusted = True
            finally:
                state.changed = None
                self._release()
                signals.all_generators_finalized.disconnect(self._keep_generators)
                PAGES_FIRST.disconnect(self._pages_first)
                if defer:
                    gc.freeze()
                else:  # it rendered every page: its garbage is the size of the site
                    self._collect()
                gc.enable()
                root_logger.removeHandler(problems)
            self._sitemap_due = defer
            if not defer:
                self._sitemap()
            if not stopped:
                self._follow_pages()
            seconds = time.perf_counter() - started
            self.last = Result(self.number, seconds, full, problems.found, cut=stopped)
            if stopped:
                self.lock.acquire()
                self._held = True
            with self._progress:
                self.running, self._first_files = None, {}
                self._progress.notify_all()
            return self.last

    def first(self, paths):
        """The Result to show a page of `paths` with, when the build under way rendered it
        first (render_first: the article just saved) and it may be served now, or deleted it
        (its source is gone: the 404 page now), or rendered the article of one of them first
        at another file (`moved`: its title, category or status changed); else None."""
        running, first = self.running, self._first_files
        if running is None or not first:
            return None
        moved = None
        if first.keys().isdisjoint(paths):
            now_at = {source: path for path, source in first.items() if source is not None}
            moved = next((now_at[s] for s in map(self._sources.get, paths) if s in now_at), None)
            if moved is None:
                return None
        problems = list(running.problems)
        return Result(running.number, 0.0, running.full, problems, early=True, moved=moved)

    def _pages_first(self, state, pages, gone=frozenset()):
        """The build under way rendered `pages` first ({file: source}). The pages of the
        sources deleted since (`gone`) that no article or page of this build writes are
        deleted now (the end of the build would): a page asking for one is answered with
        the 404 page at once (it is in the files announced, with no source)."""
        from incremental import remove_files
        from incremental.state import state_for

        if state is not state_for(os.path.abspath(self.output), None):
            return
        pages = dict(pages)
        if gone:
            written = self._written_by()
            deleted = [f for f, s in self._sources.items() if s in gone and f not in written]
            output = os.path.abspath(self.output)
            remove_files(output, [os.path.relpath(f, output).replace(os.sep, "/") for f in deleted])
            pages.update(dict.fromkeys(deleted))
        with self._progress:
            self._first_files = pages
            self._progress.notify_all()
        self.on_first()
        self._release()

    def _written_by(self):
        """{file: source} of the articles and pages of the last build worked out."""
        sources = {}
        for generator in self._generators:
            for name in CONTENT_LISTS:
                for content in getattr(generator, name, None) or ():
                    if isinstance(content, Content) and content.save_as:
                        path = os.path.join(self.output, content.save_as)
                        sources[os.path.abspath(path)] = content.source_path
        return sources

    def _follow_pages(self):
        """Where each article and page of the build just done was written, and which of
        them moved since the build before (a changed title, category or status), so the old
        address leads to the new one (materialize)."""
        sources = self._written_by()
        if not sources:  # the build stopped before its site was worked out
            return
        now_at = {source: path for path, source in sources.items()}
        self._moved = {
            path: now_at[source]
            for path, source in self._sources.items()
            if now_at.get(source, path) != path
        }
        self._sources = sources

    def materialize(self, paths):
        """Render now the pages of `paths` (files of the output) the last build left. While
        a build is under way, first wait for its end, or for it to render one of them first:
        then returns the Result to show that page with (`first`). Returns a Result with
        `moved` when the article of `paths` is now at another file; else None."""
        from incremental.state import state_for

        with self._first(lambda: self.first(paths)) as early:
            if early is not None:
                return early
            state = state_for(os.path.abspath(self.output), None)
            for path in paths:
                self._render(state, path)
            # The address of an article that moved in the last build leads to its new one.
            moved = next((self._moved[p] for p in paths if p in self._moved), None)
            if moved and self.last and not any(map(os.path.isfile, paths)):
                return dataclasses.replace(self.last, moved=moved)
        return None

    def complete(self, stop=None):
        """Render every page the last build left, one at a time (a request or a new build
        may come in between), until done, `stop` (an Event) is set or another build began.
        Returns whether done. Then the sitemap again: it lists what the pages' heads say;
        and, once per build, the files the articles and pages kept as read use are looked
        at: any that changed unseen by the watcher go to `on_unseen`."""
        from incremental.state import state_for

        number = self.number
        kept = None
        while True:
            if stop is not None and stop.is_set():
                return False
            with self._count_lock:  # a build or a request: the lock is theirs first
                self._count_lock.wait_for(lambda: not self._waiting)
            with self.lock:
                if self.number != number:
                    return False
                state = state_for(os.path.abspath(self.output), None)
                if state.deferred:
                    self._render(state, next(iter(state.deferred)))
                    continue
                if self._sitemap_due:
                    self._sitemap_due = False
                    self._sitemap()
                if self._swept != number:
                    self._swept = number
                    kept = list(state.contents.values())
                if self.number - self._collected >= COLLECT_EVERY:
                    self._collect()
                break
        unseen = unseen_changes(kept or ())
        if unseen:
            self.on_unseen(unseen)
        return True

    def _keep_generators(self, generators):
        self._generators = list(generators)

    def _release(self):
        """Break the reference cycles of the site of the build before this one (articles
        point at the context that lists them, and at each other as neighbours), so it is
        freed by reference counting: no collection has to find it."""
        generators, self._stale = self._stale, []
        for generator in generators:
            for value in vars(generator).values():
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, Content):
                            item.__dict__.clear()
        if generators:
            generators[0].context.clear()
        for generator in generators:
            generator.__dict__.clear()

    def _collect(self):
        """Collect what the builds since the last time left in cycles (under the lock: a
        build or a page waits for it)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._collected = self.number

    def _render(self, state, path):
        """One page left for later; a template that fails on it is one of the build's
        problems (on every page's banner), as it would have been during the build."""
        from incremental.writer import render_deferred

        try:
            render_deferred(state, path)
        except Exception as error:
            logger.exception("Trang %s", path)
            if self.last is not None:
                rel = os.path.relpath(path, self.output)
                self.last.problems.append(("ERROR", f"Không dựng được trang {rel}: {error}"))

    @contextlib.contextmanager
    def _first(self, early=lambda: None):
        """The lock, before the background completion's next page (yields None); or, while
        a build holds it, what `early` finds first without the lock (a page that build
        rendered first), looked for each time the build announces progress."""
        with self._count_lock:
            self._waiting += 1
        try:
            found = None
            while found is None and not self.lock.acquire(timeout=0.05):
                with self._progress:
                    self._progress.wait_for(lambda: self.running is None or early())
                found = early()
            if found is not None:
                yield found
                return
            try:
                yield None
            finally:
                self.lock.release()
        finally:
            with self._count_lock:
                self._waiting -= 1
                if not self._waiting:
                    self._count_lock.notify_all()

    def _sitemap(self):
        import sitemap

        try:
            sitemap.write_files(self.pelican, now=True)
        except Exception:  # a bug of the sitemap plugin: the build reported it already
            logger.exception("sitemap.xml")


def unseen_changes(snapshots):
    """The files of these kept contents (incremental.snapshots.Snapshot) that changed since
    they were read, and the sources of the expired ones (a scheduled article now due): what
    a build trusting the watcher's `changed` does not look at."""
    stamps, unseen = {}, set()
    for snapshot in snapshots:
        changed = snapshot.changed_inputs(stamps)
        if changed is None:
            unseen.add(snapshot.stamps[0][0])
        else:
            unseen.update(changed)
    return unseen
