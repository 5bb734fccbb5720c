"""Builds that redo only what changed, and leave unchanged files untouched.

- Every page is rendered only when the inputs of its template changed since the build that
  wrote the file (writer.py, digest.py); every file is written only when its bytes changed.
  Changing a template, a plugin or a setting renders everything again (state.py's salt).
- Files of output/ that the build does not claim (the publish manifest lists what every
  part wrote) are deleted at the end, so the folder equals a clean build without being
  emptied first (which would rewrite every file).
- With `keep_content`, articles and pages are read again only when their file, or a photo
  or attachment they use, changed (snapshots.py): between the builds of one process (the
  preview) and, with a `state_dir`, between processes (`make html`).

Settings, INCREMENTAL (all optional):
  state_dir     where the page table is kept between processes ("var/build"; None: memory)
  keep_content  keep read articles and pages between builds (True)
  clean         delete files of output/ no part of the build claims (True)
  defer         render no page during the build: each is rendered when asked for
                (writer.render_deferred; the preview server does, then completes the rest
                in the background) (False)
  workers       processes that read the articles and render the pages of a build
                (parallel.py); None: one per core, at most 4 (None)
"""

import contextlib
import filecmp
import json
import logging
import os
import sys

import blinker
import pelican.utils
from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator

from .digest import Digester
from .parallel import read_ahead, render_all, save_aside, saved_aside, worker_count
from .snapshots import COUNTER, keep_contents
from .state import code_salt, state_for
from .writer import IncrementalWriter

logger = logging.getLogger(__name__)

DEFAULTS = {
    "state_dir": "var/build",
    "keep_content": True,
    "clean": True,
    "defer": False,
    "workers": None,
}
MANIFEST = ".publish-manifest.json"
# Sent (sender: the State) with the files render_first rendered ({file: source}) and the
# sources deleted since the build before (`gone`), while the build goes on.
PAGES_FIRST = blinker.signal("incremental_pages_first")
FIRST_AT_MOST = 20
# The lists Pelican's generate_articles and generate_drafts go through (render_first).
ARTICLE_LISTS = ("translations", "articles", "hidden_translations", "hidden_articles")
DRAFT_LISTS = ("drafts_translations", "drafts")
# Files Pelican's run does not make: the search index is written after it, by `make`.
NOT_OURS = ("pagefind/",)


def parse_settings(settings):
    given = settings.get("INCREMENTAL", {})
    if not isinstance(given, dict):
        raise ValueError("INCREMENTAL must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"INCREMENTAL: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    if out["state_dir"] is not None and not isinstance(out["state_dir"], str):
        raise ValueError("INCREMENTAL['state_dir'] must be a folder name or None")
    for key in ("keep_content", "clean", "defer"):
        if not isinstance(out[key], bool):
            raise ValueError(f"INCREMENTAL['{key}'] must be True or False")
    workers = out["workers"]
    if workers is not None and (type(workers) is not int or workers < 1):
        raise ValueError("INCREMENTAL['workers'] must be a whole number from 1, or None")
    return out


def _state(settings):
    options = parse_settings(settings)
    state_dir = options["state_dir"]
    if state_dir and not os.path.isabs(state_dir):
        state_dir = os.path.join(os.path.dirname(os.path.abspath(settings["PATH"])), state_dir)
    return state_for(os.path.abspath(settings["OUTPUT_PATH"]), state_dir), options


def start(pelican):
    logging.getLogger().addHandler(COUNTER)
    COUNTER.count = 0
    state = _state(pelican.settings)[0]
    state.seen = set()
    state.reused = 0
    state.fresh = set()
    state.refreshed = set()
    state.checked = {}  # source -> Snapshot.changed_inputs() found this build (read_ahead)
    state.stamps = {}  # path -> stamp of the files kept contents used, looked at this build
    state.early = {}
    state.may_cut = False  # set once the first pages are announced (render_first)
    state.reading_salt = None  # worked out by the first generator that reads
    state.read_ahead = []  # parallel.ReadAhead of each generator read on several processes
    state.saving = None  # the process saving the articles as read (parallel.save_aside)
    # Pelican memoizes every article's HTML for the life of the process: in the preview,
    # that would keep every build's articles alive.
    for method in (Content.get_content, Content.get_summary):
        method.cache.clear()


def keep_read_contents(generator):
    state, options = _state(generator.settings)
    keep = options["keep_content"]
    if keep:
        # Reading does not use the theme's files (its labels are a setting): a changed
        # template renders every page again but reads none.
        if state.reading_salt is None:
            state.reading_salt = _salt(generator.settings, theme=False)
        state.load_contents(state.reading_salt, generator.settings)
    store = state.contents if keep else {}
    ahead = read_ahead(generator, store, worker_count(options["workers"]), state)
    if ahead is not None:
        state.read_ahead.append(ahead)
    if keep or ahead is not None:
        keep_contents(generator, state, keep=keep, ahead=ahead)


def _salt(settings, theme=True):
    folders = [*settings.get("PLUGIN_PATHS", []), *([settings["THEME"]] if theme else [])]
    # This plugin's own settings change no page (the preview's first build renders now, the
    # next ones defer): every other setting is in the salt.
    rendering = {k: v for k, v in settings.items() if k != "INCREMENTAL"}
    return code_salt(folders, Digester().of(rendering))


def get_writer(pelican):
    settings = pelican.settings
    state, options = _state(settings)
    state.load(_salt(settings))
    state.defer = options["defer"]
    state.deferred = {}
    # On several cores, every page is left for later, then rendered by the workers when the
    # generators are done (render_at_end).
    state.workers = worker_count(options["workers"])
    state.batch = not state.defer and state.workers > 1
    state.defer |= state.batch
    IncrementalWriter.state = state
    return IncrementalWriter


def render_at_end(generators):
    """After the last generator's output (before `finalized`: the sitemap and the manifest
    read what was written), the pages a build on several cores left for later."""
    if not generators:
        return
    last = generators[-1]
    generate_output = last.generate_output

    def generate_then_render(writer):
        generate_output(writer)
        state = IncrementalWriter.state
        if state is not None and state.batch:
            state.defer = state.batch = False
            render_all(
                state,
                state.workers,
                meanwhile=lambda: save_read(state, writer.settings, aside=True),
            )

    last.generate_output = generate_then_render


def render_first_at_output(generators):
    """Before the articles' output (the first), in a build that leaves its pages for later
    (the preview), the pages of the articles it read anew (render_first)."""
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        generate_output = generator.generate_output

        def render_first_then_output(writer, generator=generator, generate_output=generate_output):
            state = IncrementalWriter.state
            if state is not None and state.defer and not state.batch:
                render_first(generator, writer, state)
            generate_output(writer)

        generator.generate_output = render_first_then_output


def render_first(generator, writer, state):
    """The pages of the articles and drafts this build read anew (the one staff just
    saved), rendered before any other output and announced (PAGES_FIRST): the preview serves
    them while the build goes on (at 10,000 articles, the output phase is about a fifth of a
    rebuild). Pelican's own generate_articles and generate_drafts make their write_file
    calls, each given only these in the lists it goes through (the lists it passes on to
    the pages are left whole); when their turn comes, the pages are found current. Not when
    many were read anew (a build that reads everything has nothing to put first). The ones
    whose own file changed go first; those brought up to date for a photo they use only when
    no file changed (a photo is often shared by many articles). The sources deleted since
    the build before (`gone`) are announced with them, or alone: their pages can be gone
    from the preview now, not at the end of the build."""
    wanted = state.fresh or state.refreshed
    chosen = {
        name: [a for a in getattr(generator, name) if a.source_path in wanted]
        for name in (*ARTICLE_LISTS, *DRAFT_LISTS)
    }
    count = sum(map(len, chosen.values()))
    gone = frozenset(state.contents.keys() - state.seen)  # save_read drops them at the end
    if count > FIRST_AT_MOST or not (count or gone):
        return
    parts = ((generator.generate_articles, ARTICLE_LISTS), (generator.generate_drafts, DRAFT_LISTS))
    for generate, names in parts if count else ():
        whole = {name: getattr(generator, name) for name in names}
        try:
            for name in names:
                setattr(generator, name, chosen[name])
            generate(writer.render_first)
        finally:
            for name, items in whole.items():
                setattr(generator, name, items)
    PAGES_FIRST.send(state, pages=dict(state.early), gone=gone)
    state.may_cut = True


def finish(pelican):
    settings = pelican.settings
    state, options = _state(settings)
    _stop_reading(state)
    output = os.path.abspath(pelican.output_path)
    claimed = _claimed(output)
    if claimed is None:  # no manifest: the build stopped before the end; touch nothing
        return
    if options["clean"] and not _holds_sources(output, settings):
        if state.path is None and state.claimed is not None:
            # The preview (its own folder, its state in memory): what its last build wrote is
            # known, so only what that build claimed and this one does not (a deleted
            # article) goes, without walking the folder. Elsewhere the folder is walked.
            removed = remove_files(output, state.claimed - claimed)
        else:
            removed = remove_unclaimed(output, claimed)
        state.claimed = claimed
        if removed:
            logger.info("Đã xóa %d tệp cũ không còn thuộc trang trong %s.", removed, output)
    state.save({os.path.join(output, rel) for rel in claimed})
    if state.seen:
        logger.info(
            "Đã đọc %d bài và trang; %d lấy lại như lần dựng trước.",
            len(state.seen) - state.reused,
            state.reused,
        )
    save_read(state, settings)
    if state.deferred:
        logger.info("%d trang sẽ được dựng khi được mở.", len(state.deferred))
    else:
        logger.info(
            "Đã dựng %d trang; %d trang không đổi.",
            len(state.rendered),
            len(state.pages) - len(state.rendered),
        )


def cut_short(state, output):
    """What `finish` must still do for a build stopped by Cut, whose next build redoes the
    rest: its workers are closed, and the pages it rendered first are claimed (the next
    build deletes them if it does not claim them: an article moved again)."""
    _stop_reading(state)
    if state.claimed is not None:
        state.claimed |= {os.path.relpath(p, output).replace(os.sep, "/") for p in state.early}


def _stop_reading(state):
    """The build's reading is over: its warning counter and its workers go."""
    logging.getLogger().removeHandler(COUNTER)
    for ahead in state.read_ahead:
        ahead.close()
    state.read_ahead = []


def save_read(state, settings, aside=False):
    """Keep the articles as read of this build's sources only, and save them for the next
    process (with a state_dir). A build on several cores saves them in a process of its
    own (`aside`) while its workers render; at the end, this waits for it, and saves them
    here if it failed."""
    if state.saving is not None:
        if saved_aside(state.saving):
            state.contents_changed = False
        state.saving = None
    gone = set(state.contents) - state.seen  # deleted or renamed since
    for source in gone:
        del state.contents[source]
    state.contents_changed |= bool(gone)
    if aside and state.path and state.contents_changed:
        with contextlib.suppress(OSError):  # no process to be had: saved at the end
            state.saving = save_aside(state, settings)
    else:
        state.save_contents(settings)


def _holds_sources(output, settings):
    """Whether `output` is (or holds) the content, the theme, the plugins or the project, or
    is a root or home folder: then nothing in it is deleted (a mistyped OUTPUTDIR must not
    cost anyone a file), and the build says so."""
    sources = [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", []), os.getcwd()]
    for source in map(os.path.abspath, sources):
        if os.path.commonpath([output, source]) == output:
            logger.warning(
                "Thư mục đích %s chứa cả %s: không xóa tệp cũ nào trong đó. Hãy dựng vào một "
                "thư mục riêng (mặc định output/).",
                output,
                source,
            )
            return True
    if output in ("/", os.path.expanduser("~")):
        logger.warning("Thư mục đích %s không phải thư mục riêng của trang: không xóa gì.", output)
        return True
    return False


def _claimed(output):
    """The files this build claims in `output` (posix, relative), or None: no manifest was
    written, the build stopped before the end. From publish_manifest in this process when
    it is loaded (reading its file back took 16 MB of Python objects at 10,000 articles,
    at the peak of the build), else from the file."""
    manifest_plugin = sys.modules.get("publish_manifest")
    if manifest_plugin is not None:
        return manifest_plugin.written(output)
    try:
        with open(os.path.join(output, MANIFEST), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return None
    return {*manifest.get("files", {}), *manifest.get("static", []), MANIFEST}


def remove_unclaimed(output, claimed):
    """Delete every file (or link) under `output` that is not in `claimed` (posix paths
    relative to it), then the folders left empty. Returns how many files went."""
    removed = 0
    for folder, dirs, names in os.walk(output, topdown=False):
        rel_folder = os.path.relpath(folder, output)
        for name in names:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
            if rel in claimed or rel.startswith(NOT_OURS):
                continue
            os.unlink(os.path.join(folder, name))
            removed += 1
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.unlink(path)
                removed += 1
            elif not os.listdir(path):
                os.rmdir(path)
    return removed


def remove_files(output, rels):
    """Delete these files (posix paths relative to `output`), then their folders left empty.
    Returns how many files went."""
    removed = 0
    for rel in rels:
        path = os.path.join(output, *rel.split("/"))
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        removed += 1
        folder = os.path.dirname(path)
        while folder != output and os.path.commonpath([output, folder]) == output:
            try:
                os.rmdir(folder)  # only an empty one
            except OSError:
                break
            folder = os.path.dirname(folder)
    return removed


def copy_file(source, destination):
    """pelican.utils.copy_file (how Pelican copies the theme's files), but a file that already
    holds the same bytes is left as it is."""
    try:
        if os.path.getsize(source) == os.path.getsize(destination) and filecmp.cmp(
            source, destination, shallow=False
        ):
            return
    except OSError:
        pass
    _pelican_copy_file(source, destination)


_pelican_copy_file = pelican.utils.copy_file


def register():
    pelican.utils.copy_file = copy_file
    signals.initialized.connect(start)
    signals.article_generator_init.connect(keep_read_contents)
    signals.page_generator_init.connect(keep_read_contents)
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(render_first_at_output)
    signals.all_generators_finalized.connect(render_at_end)
    signals.finalized.connect(finish)
