"""What one output folder's builds remember: the digest of each page's inputs and the file
each build wrote, and the articles and pages as they were read (snapshots.py).

The articles as read are kept in memory between builds of one process and, with a
`state_dir`, in a pickle file there (`contents-*.pickle`, written by this project's own
builds only) under the same salt: `make html` with nothing changed reads no article again.

The page table is kept in memory between builds of one process and in a JSON file under
`INCREMENTAL["state_dir"]` between processes (`make html` twice). Its salt (the project's
plugins and theme files, Pelican's version, every setting) must match, else it is ignored
and every page is rendered: a changed template or setting renders everything.
"""

import contextlib
import functools
import hashlib
import json
import logging
import os
import pickle
from importlib.metadata import PackageNotFoundError, version

logger = logging.getLogger(__name__)

FORMAT = 1
_MEMORY = {}  # output folder -> State, for the builds of one process


class Cut(Exception):  # noqa: N818 (not an error: a newer save is waiting)
    """Raised in a build that leaves its pages for later, after its first pages were
    announced (render_first), when `State.cut` (a threading.Event the preview sets on a new
    save) is set: the rest of the build would be redone by the next one (cut_short)."""


class State:
    def __init__(self, path, contents_path=None):
        self.path = path  # the JSON file, or None
        self.contents_path = contents_path  # the pickle of the articles as read, or None
        self.salt = b""
        self.pages = {}  # file -> (digest hex, size, mtime_ns) of what a build wrote
        self.pending = {}  # file -> digest (bytes) of the page being written now
        self.contents = {}  # source -> Snapshot (snapshots.py)
        self.contents_salt = None  # what the snapshots were made under
        self.contents_changed = False  # since they were read from or written to the file
        self.reading_salt = None  # this build's salt for reading (set at its start)
        self.seen = set()  # the sources the current build looked up in `contents`
        self.reused = 0  # how many of them this build took as kept
        self.fresh = set()  # the sources the current build read anew (changed or new files)
        self.refreshed = set()  # the kept ones it brought up to date (a photo they use changed)
        self.checked = {}  # source -> Snapshot.changed_inputs() found this build (read_ahead)
        self.stamps = {}  # path -> stamp of the files kept contents used, looked at this build
        # The files changed since the last build, as the preview's watcher saw them (set by
        # the preview for one build): a kept content none of whose files is among them is
        # taken without looking at its files (Snapshot.changed_inputs). None: look at them all.
        self.changed = None
        self.early = {}  # file -> source of the pages rendered first this build (render_first)
        self.names = {}  # template name -> names its tree reads (writer.names_of)
        self.rendered = []  # files whose page the current build rendered
        self.claimed = None  # the files the last build of this process claimed (posix, relative)
        self.defer = False  # leave pages to render_deferred (the preview, INCREMENTAL defer)
        self.cut = None  # a threading.Event: once set, the build stops after its first pages
        self.may_cut = False  # its first pages are announced (incremental.render_first)
        # file -> (template, context, None) or (template, shared context, the page's own
        # values) of a page left for later (writer.render_deferred)
        self.deferred = {}
        self.workers = 1  # processes of this build (parallel.py)
        self.batch = False  # every page left for later, rendered when the generators are done
        self.read_ahead = []  # parallel.ReadAhead of this build's generators
        self.saving = None  # pid of the process saving `contents` (parallel.save_aside)

    # --- pages ------------------------------------------------------------------------
    def is_current(self, path, digest):
        known = self.pages.get(path)
        if known is None or known[0] != digest.hex():
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (known[1], known[2])

    def written(self, path):
        digest = self.pending.pop(path, None)
        if digest is None:  # a feed or another file without a page digest
            self.pages.pop(path, None)
            return
        st = os.stat(path)
        self.pages[path] = (digest.hex(), st.st_size, st.st_mtime_ns)

    # --- articles as read ---------------------------------------------------------------
    def load_contents(self, salt, settings):
        """Start reading under `salt`: snapshots made under another one are dropped; with a
        state_dir, the file's are taken if they were made under this one."""
        if salt == self.contents_salt:
            return
        self.contents = {}
        self.contents_salt = salt
        self.contents_changed = False
        if not self.path:
            return
        try:
            with open(self.contents_path, "rb") as f:
                head = _Unpickler(f, settings).load()
                if head.get("format") == FORMAT and head.get("salt") == salt.hex():
                    from .snapshots import Snapshot

                    contents = {}
                    for _ in range(head["count"]):
                        # A new unpickler for each: each was pickled with a fresh memo.
                        source, parts = _Unpickler(f, settings).load()
                        contents[source] = Snapshot.of(*parts)
                    self.contents = contents
        except FileNotFoundError:
            pass
        except Exception as error:  # an older or broken file: every article is read again
            logger.info("Bỏ qua bài đã đọc lưu ở %s (%s).", self.contents_path, error)

    def save_contents(self, settings):
        if not (self.path and self.contents_changed):
            return
        head = {"format": FORMAT, "salt": self.contents_salt.hex(), "count": len(self.contents)}
        path = self.contents_path
        tmp = f"{path}.tmp-{os.getpid()}"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(tmp, "wb") as f:
                pickler = _Pickler(f, settings)
                pickler.dump(head)
                # One snapshot at a time, forgetting what was written: a memo of the whole
                # site's objects took about 20 MiB at the peak of a 2,000-article build.
                for source, snapshot in self.contents.items():
                    pickler.clear_memo()
                    pickler.dump((source, snapshot.parts()))
            os.replace(tmp, path)
            self.contents_changed = False
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
            logger.info("Không lưu được bài đã đọc vào %s (%s).", path, error)
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    # --- between processes --------------------------------------------------------------
    def load(self, salt):
        """Start a build with `salt`: pages of a build with another salt are forgotten."""
        if salt != self.salt:
            self.pages = {}
            self.names = {}
            self.salt = salt
            if self.path and os.path.exists(self.path):
                self._read_file(salt)
        self.pending = {}
        self.rendered = []

    def _read_file(self, salt):
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            if data.get("format") == FORMAT and data.get("salt") == salt.hex():
                self.pages = {p: tuple(v) for p, v in data["pages"].items()}
                # The salt covers the theme's files: what each template reads is the same.
                self.names = {
                    t: None if n is None else list(n) for t, n in data.get("names", {}).items()
                }
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.info("Bỏ qua bộ nhớ bản dựng %s (%s): dựng lại mọi trang.", self.path, error)

    def save(self, claimed):
        """Keep the pages of the files this build claims (deleted ones are forgotten)."""
        self.pages = {p: v for p, v in self.pages.items() if p in claimed}
        if not self.path:
            return
        data = {"format": FORMAT, "salt": self.salt.hex(), "pages": self.pages, "names": self.names}
        tmp = f"{self.path}.tmp-{os.getpid()}"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            # json.dumps, not json.dump: only the one-shot form uses the C encoder (10x faster
            # on 10,000 pages' table).
            text = json.dumps(data, separators=(",", ":"))
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path)
        except OSError as error:
            logger.info(
                "Không ghi được bộ nhớ bản dựng %s (%s): lần sau dựng lại mọi trang.",
                self.path,
                error.strerror,
            )


class _Pickler(pickle.Pickler):
    """Pickles snapshots without Pelican's settings (every category, tag and author holds
    them): the build that loads them gives its own."""

    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings = settings

    def persistent_id(self, obj):
        return "settings" if obj is self.settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self.settings = settings

    def persistent_load(self, pid):
        if pid != "settings":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self.settings


def state_for(output, state_dir):
    """The State of `output` (absolute), kept for the life of the process."""
    state = _MEMORY.get(output)
    if state is None:
        if state_dir:
            name = hashlib.blake2b(output.encode(), digest_size=8).hexdigest()
            state = State(
                os.path.join(state_dir, f"pages-{name}.json"),
                os.path.join(state_dir, f"contents-{name}.pickle"),
            )
        else:
            state = State(None)
        _MEMORY[output] = state
    return state


# What reading and rendering depend on besides the project's code: a snapshot or a page made
# with another version of one of these is made again.
LIBRARIES = ("pelican", "jinja2", "markupsafe", "markdown", "typogrify", "smartypants", "nh3",
             "pillow", "babel", "pyyaml")  # fmt: skip


@functools.cache
def _version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def code_salt(folders, settings_digest):
    """A digest of every file of `folders` (the plugins, the theme), the LIBRARIES' versions
    and the settings: what a page's rendering depends on beyond its own inputs."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {' '.join(f'{n}={_version(n)}' for n in LIBRARIES)}".encode())
    h.update(settings_digest)
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".pyc", "~")):
                    continue
                path = os.path.join(root, name)
                h.update(path.encode("utf-8", "surrogateescape"))
                try:
                    with open(path, "rb") as f:
                        h.update(hashlib.blake2b(f.read(), digest_size=16).digest())
                except OSError:
                    h.update(b"?")
    return h.digest()


def forget(output):
    """Drop what the builds of `output` kept in this process (the next build reads and
    renders everything; files are still written only when their bytes change)."""
    _MEMORY.pop(output, None)
