"""A cold build on several cores: articles read, and pages rendered, by forked workers.

Plain Pelican reads and renders on one core. Reading (Markdown, typogrify, sanitising,
photos) and rendering (templates, digests) are each about half of a cold build, and each
file or page is independent of the others, so a build splits both:

- **Reading.** When a generator (articles, pages) is made, the files it is about to read
  are split in WORKERS contiguous parts; a forked worker reads each part but the first,
  while this process goes on and reads the first part itself. The workers hand back each
  content object as a snapshot (snapshots.py): this process takes it in the generator's own
  loop, at the file's turn, exactly as it takes an article kept from an earlier build. A
  file whose reading logged a warning or an error, or that a worker could not read, is read
  again here, so its message comes once and in its place. What reading leaves behind in the
  process besides the content object (build_report's notes, ward_reader's names with two
  tone placements) is carried back and given at the file's turn too.
- **Rendering.** Every page is left for later during the generators' output (the preview's
  `defer`), then the workers and this process take the pages in small batches, each as it
  is free (_Batches), this process first saving the articles as read for the next build;
  each renders and writes its pages, as a serial build would (writer.render_deferred), and
  sends back what the page table needs. A page a worker could not render is rendered here,
  so its error comes as in a serial build.

Workers are forked (the site in memory is shared, copy-on-write) only from a process with
no other thread than Pelican's progress display: a thread of another part (the preview's
watcher and server, a test runner's) could hold a lock the worker needs at the fork. Each worker writes its results to an unlinked temporary file, not a pipe, so
it never waits for this process to read. A worker that dies loses nothing: what it did not
hand back is done here.
"""

import gc
import io
import logging
import os
import pickle
import sys
import tempfile
import threading
import time

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator

from .snapshots import COUNTER, Snapshot, snapshot_expiry
from .state import _Pickler, _Unpickler

logger = logging.getLogger(__name__)

# Below these, a fork and its hand-back cost more than they save.
MIN_FILES = 48
MIN_PAGES = 96


def worker_count(option):
    """How many processes a build uses (`INCREMENTAL["workers"]`; None: the cores this
    process may run on, at most 4), or 1 where forking is not safe."""
    if not hasattr(os, "fork") or not _alone():
        return 1
    if option is None:
        try:
            option = len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            option = os.cpu_count() or 1
        option = min(option, 4)
    return max(1, option)


def _alone():
    """Whether this process runs no thread but the main one and Pelican's progress display
    (rich's refresh thread: it draws on the console, which workers never use)."""
    return all(
        t is threading.main_thread() or type(t).__module__.startswith("rich.")
        for t in threading.enumerate()
    )


# --- reading --------------------------------------------------------------------------


def _reading(generator):
    """(paths setting, excludes setting, content class, preread signal, context signal) of
    the generators whose files are read in parallel."""
    if isinstance(generator, ArticlesGenerator):
        return ("ARTICLE_PATHS", "ARTICLE_EXCLUDES", Article,
                signals.article_generator_preread, signals.article_generator_context)  # fmt: skip
    if isinstance(generator, PagesGenerator):
        return ("PAGE_PATHS", "PAGE_EXCLUDES", Page,
                signals.page_generator_preread, signals.page_generator_context)  # fmt: skip
    return None


class Delivery:
    """One file a worker read: its snapshot and what reading it left in the process."""

    __slots__ = ("carried", "notes", "snapshot")

    def __init__(self, snapshot, notes, carried):
        self.snapshot = snapshot
        self.notes = notes  # [(logger name, message)] of build_report's notes
        self.carried = carried  # ward_reader's tone spellings of this file

    def give(self):
        """Put back, in this process, what reading the file left in the worker."""
        if self.notes:
            from build_report import note

            for name, message in self.notes:
                note(logging.getLogger(name), "%s", message)
        tones = _tones()
        if self.carried and tones is not None:
            for key, spellings in self.carried.items():
                known = tones.seen.setdefault(key, {})
                for word, places in spellings.items():
                    known.setdefault(word, []).extend(places)


def _tones():
    """ward_reader's ToneSpellings, when that plugin is loaded."""
    reader = sys.modules.get("ward_reader.reader")
    return getattr(reader, "TONES", None)


class ReadAhead:
    """The files of one generator that workers are reading: `take(filename)` waits for the
    worker that has it and returns its Delivery, or None (read it here)."""

    def __init__(self):
        self.owner = {}  # filename -> worker index
        self.workers = []  # (pid, temporary file, settings) per worker
        self.delivered = {}  # filename -> Delivery
        self.collected = set()  # indices of the workers waited for

    def take(self, filename):
        index = self.owner.pop(filename, None)
        if index is None:
            return None
        if index not in self.collected:
            self._collect(index)
        return self.delivered.pop(filename, None)

    def close(self):
        """Wait for the workers whose files the build did not ask for (none, unless a file
        went away between the two listings)."""
        for index in range(len(self.workers)):
            if index not in self.collected:
                self._collect(index)

    def _collect(self, index):
        self.collected.add(index)
        pid, results, settings = self.workers[index]
        status = _wait(pid)
        count = 0
        try:
            results.seek(0)
            while True:
                try:
                    filename, parts, notes, carried = _Unpickler(results, settings).load()
                except EOFError:
                    break
                self.delivered[filename] = Delivery(Snapshot.of(*parts), notes, carried)
                count += 1
        except Exception as error:  # a worker that died mid-write: the rest is read here
            logger.info("Tiến trình đọc %d dừng giữa chừng (%s): đọc lại phần còn lại.", pid, error)
        finally:
            results.close()
        logger.info("Tiến trình đọc %d (mã thoát %s) đã đọc %d tệp.", pid, status, count)


def _listed_once(generator, listed, arguments):
    """The generator's own listing of its files, a moment later with the same `arguments`,
    is `listed` (not another walk through content/: a tenth of a second at 10,000 files)."""

    def get_files(paths, exclude=None, extensions=None):
        del generator.get_files  # once; then the class's own
        if (paths, exclude, extensions) == arguments:
            return listed  # the very set: read in the same order as a walk gives
        return type(generator).get_files(generator, paths, exclude, extensions)

    generator.get_files = get_files


def read_ahead(generator, store, workers, state):
    """Start workers reading the files of `generator` that `store` (source -> Snapshot)
    does not hold; returns a ReadAhead, or None when the build reads alone. What it finds of
    each kept file (Snapshot.changed_inputs, with the build's `stamps` and `changed`) goes
    into `state.checked` (source -> that), for the build to take instead of looking at the
    files again."""
    how = _reading(generator)
    if how is None or workers < 2:
        return None
    paths, excludes = how[:2]
    files = []
    arguments = (generator.settings[paths], generator.settings[excludes], None)
    listed = generator.get_files(arguments[0], exclude=arguments[1])
    _listed_once(generator, listed, arguments)
    for f in listed:
        source = os.path.join(generator.path, f)
        snapshot = store.get(source)
        changed = None if snapshot is None else snapshot.changed_inputs(state.stamps, state.changed)
        if snapshot is not None:
            state.checked[source] = changed
        if changed is None:  # a kept one whose photos changed is brought up to date
            files.append(f)
    if len(files) < MIN_FILES:
        return None
    ahead = ReadAhead()
    size = -(-len(files) // workers)  # ceiling: the first part is this process's
    for index, start in enumerate(range(size, len(files), size)):
        part = files[start : start + size]
        pid, results = _start(_read_part, generator, part, how[2:])
        ahead.workers.append((pid, results, generator.settings))
        ahead.owner.update(dict.fromkeys(part, index))
    gc.unfreeze()
    logger.info("Đọc %d tệp trên %d tiến trình.", len(files), len(ahead.workers) + 1)
    return ahead


def _start(work, *args):
    """Fork a worker that runs work(*args, results) and exits; returns (its pid, results):
    an unlinked temporary file, read by this process once the worker is done.

    Every object of this process is first moved out of the cycle collector's reach
    (gc.freeze; the caller unfreezes when its workers are started or done): a collection
    would otherwise touch, and so copy, every page of memory the two processes share
    (rendering on two processes took 35 % longer without it)."""
    results = tempfile.TemporaryFile(prefix="ward-build-")  # noqa: SIM115 (closed when taken)
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _quiet()
            work(*args, results)
            results.flush()
            code = 0
        finally:
            os._exit(code)
    return pid, results


def _read_part(generator, files, how, results):
    from pelican.readers import SkipStub

    content_class, preread, context_signal = how
    collector = _collector()
    tones = _tones()
    for filename in files:
        warnings = COUNTER.count
        first_record = len(collector.records) if collector else 0
        if tones is not None:
            tones.seen = {}
        try:
            content = generator.readers.read_file(
                base_path=generator.path,
                path=filename,
                content_class=content_class,
                context=generator.context,
                preread_signal=preread,
                preread_sender=generator,
                context_signal=context_signal,
                context_sender=generator,
            )
        except Exception:  # read again by the build, which reports it
            continue
        if COUNTER.count != warnings or isinstance(content, SkipStub) or not content.is_valid():
            continue
        notes = []
        if collector:
            notes = [
                (r.name, r.getMessage())
                for r in collector.records[first_record:]
                if getattr(r, "note", False)
            ]
        snapshot = Snapshot(content, expires=snapshot_expiry(content))
        record = io.BytesIO()  # whole, or not at all: a half-written one would stop the rest
        try:
            _Pickler(record, generator.settings).dump(
                (filename, snapshot.parts(), notes, tones.seen if tones else None)
            )
        except (pickle.PicklingError, TypeError, AttributeError):
            continue  # read by the build itself
        results.write(record.getbuffer())


def _collector():
    module = sys.modules.get("build_report")
    return getattr(module, "COLLECTOR", None)


def _quiet():
    """A worker's log goes nowhere: what it would say is said by the build (it reads again
    every file that logged a warning). COUNTER still counts, to know which."""
    root = logging.getLogger()
    root.handlers[:] = [COUNTER]
    for other in logging.Logger.manager.loggerDict.values():
        if isinstance(other, logging.Logger):
            other.handlers[:] = []


def _wait(pid):
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status)


# --- rendering ------------------------------------------------------------------------


def render_all(state, workers, meanwhile=None):
    """Render and write every page the build left for later, on `workers` processes.
    `meanwhile`: work of this process that needs no page (saving the articles as read),
    done while the workers render."""
    from .writer import render_deferred

    paths = list(state.deferred)
    started = time.perf_counter()
    children = []
    queue = None
    if workers > 1 and len(paths) >= MIN_PAGES:
        queue = _Batches(len(paths))
        children = [_start(_render_part, state, paths, queue) for _ in range(1, workers)]
    try:
        if meanwhile is not None:
            meanwhile()
        for batch in (paths,) if queue is None else (paths[b] for b in queue):
            for path in batch:
                render_deferred(state, path)
    finally:  # an error on a page of this process is raised once the workers are done
        if queue is not None:
            queue.close()
        for pid, results in children:
            _take_rendered(state, pid, results)
    gc.unfreeze()
    for path in list(state.deferred):  # what a worker did not render, with its error if any
        render_deferred(state, path)
    if children:
        logger.info(
            "Dựng %d trang trên %d tiến trình: %.2f giây.",
            len(paths),
            len(children) + 1,
            time.perf_counter() - started,
        )


class _Batches:
    """The pages to render, in batches taken by whichever process is free (this one and
    the workers): the start of each batch is written, as 4 bytes, into a pipe before the
    workers are forked, and each process reads one at a time until the pipe is empty. A
    read of 4 bytes from a pipe is whole (the kernel serialises readers), so no batch is
    taken twice. A fixed share per process left the build waiting on the slower one, on
    a machine where other work takes a core for a while."""

    SIZE = 8  # pages per batch at the least (about 20 ms of rendering)
    MOST = 1024  # batches: 4 KiB of records, what a pipe holds at the least (one page)

    def __init__(self, count):
        # Every record fits in the pipe at once (written in one go, as PIPE_BUF allows),
        # so writing them never waits for a reader: bigger batches for a bigger site.
        self.size = max(self.SIZE, -(-count // self.MOST))
        self.read_end, write_end = os.pipe()
        try:
            data = b"".join(start.to_bytes(4, "little") for start in range(0, count, self.size))
            os.write(write_end, data)
        finally:
            os.close(write_end)  # readers see the end once every batch is taken

    def __iter__(self):
        while self.read_end is not None:
            record = os.read(self.read_end, 4)
            if len(record) < 4:
                return
            start = int.from_bytes(record, "little")
            yield slice(start, start + self.size)

    def close(self):
        if self.read_end is not None:
            os.close(self.read_end)
            self.read_end = None


def save_aside(state, settings):
    """state.save_contents(settings) in a forked process; returns its pid (saved_aside
    waits for it). Pickling a string leaves its UTF-8 form attached to it (CPython caches
    it), so saving here kept about 4 KB more per article for the rest of the build (8.5 MiB
    at 2,000 articles, 43 at 10,000); the copy is the worker's, and gone with it."""
    pid, results = _start(_save_part, state, settings)
    results.close()
    return pid


def saved_aside(pid):
    """Whether the process of save_aside saved the file (it says nothing: its log is off)."""
    return _wait(pid) == 0


def _save_part(state, settings, results):
    state.save_contents(settings)
    if state.contents_changed:  # not saved (its reason, logged here, went nowhere)
        raise OSError("not saved")


def _take_rendered(state, pid, results):
    """What one render worker did, into `state` (its pages leave `state.deferred`)."""
    _wait(pid)
    try:
        results.seek(0)
        pages, rendered = pickle.load(results)
    except Exception:  # a worker that died: its pages are rendered by this process
        pages, rendered = {}, []
    finally:
        results.close()
    for path, entry in pages.items():
        state.deferred.pop(path, None)
        if entry is None:
            state.pages.pop(path, None)
        else:
            state.pages[path] = entry
    state.rendered.extend(rendered)


def _render_part(state, paths, queue, results):
    from .writer import render_deferred

    pages = {}
    before = len(state.rendered)
    for batch in queue:
        for path in paths[batch]:
            try:
                render_deferred(state, path)
            except Exception:  # rendered again by the build, which raises it
                continue
            pages[path] = state.pages.get(path)
    rendered = state.rendered[before:]
    pickle.dump((pages, rendered), results, protocol=pickle.HIGHEST_PROTOCOL)
