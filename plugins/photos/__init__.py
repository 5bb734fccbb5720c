"""Photos: camera photos in, light and private images out, never processed twice.

For every photo an article or page shows (the `{static}` <img> the figures extension
writes, and the `Image:` featured photo) the plugin writes resized WebP and JPEG variants
and replaces the <img> with a <picture> carrying srcset/sizes, width/height, lazy loading
(except the first image of the page) and async decoding. The featured image (Image:, else
the first figure) also gets list thumbnails and an Open Graph image, exposed to the theme
as `content.featured_image` (see plan.FeaturedImage; None when there is none).

Variants are made once, in worker processes, into a cache under var/ keyed by the photo's
content hash and the settings that shape each variant; output/ gets hard links to the
cache. Only photos of content that is actually written are placed in output/, so a photo
used only by a draft never reaches `make publish`. Originals are not published unless
PHOTOS["publish_originals"] asks for it. Settings: PHOTOS (see settings.DEFAULTS).

Receivers: content_object_init (find photos, probe, rewrite the HTML, report bad ones with
file:line), all_generators_finalized (make and place the variants of surviving content,
prune the cache).

Other plugins' pages use the same pipeline through `photo_for` (an official's portrait,
named in the officials registry): called from a generator's generate_context with a
`PhotoHolder` that the generator lists in its `photo_holders` attribute.
"""

import copy
import logging
import os

import blinker
from pelican import signals

from figures.check import line_of  # figures runs first and wrote these images

from .cache import Cache
from .markup import IMG_RE, missing_html, resolve, static_target, tag_attrs, written_form
from .messages import photo_message
from .pipeline import run_stage
from .plan import (
    FeaturedImage,
    featured_variants,
    figure_variants,
    original_variant,
    picture_html,
)
from .process import PhotoError
from .settings import parse_settings

logger = logging.getLogger(__name__)

# One state per build run (keyed by the cache folder); a run is told apart by the
# context dict Pelican shares among the content objects of that run.
_RUNS = {}

CONTENT_LISTS = (
    "articles", "translations", "drafts", "drafts_translations", "hidden_articles",
    "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations",
    "documents",  # the documents plugin's generator: the documents it writes
    "questions",  # the questions plugin's generator: the questions it writes
    "photo_holders",  # other plugins' pages (photo_for): the officials' portraits
)  # fmt: skip


class RunState:
    def __init__(self, settings, run_id):
        self.opts = parse_settings(settings)
        self.run_id = run_id
        self.content_root = os.path.abspath(settings["PATH"])
        self.cache = Cache(cache_root(settings), self.opts["max_pixels"])
        self.keep = set()  # (sha, key) of every variant of every content read, drafts too
        self.reported = set()  # (source file, written path): one message each
        # (target, folder of the content file) -> resolve(): one build sees one file tree,
        # and the same photo is used by many articles (realpath costs a few % of a build).
        self.resolved = {}
        self.siteurl = settings.get("SITEURL", "")
        # (make, photo, widths) -> its variants, and id(featured variants) -> a FeaturedImage
        # without alt: worked out once per build, shared by every page showing that photo
        # that way (a shared photo otherwise costs every page its own copies, about 8 KB).
        self.plans = {}
        self.featured = {}
        plugins = settings.get("PLUGINS") or []
        names = {getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in plugins}
        # The figures plugin already reports a missing image with its file and line.
        self.report_missing = "figures" not in names

    def plan(self, make, source, opts=None):
        """make(source, opts): the variants of `source`, the same list for every use."""
        opts = opts or self.opts
        key = (make, source, tuple(opts["widths"]))
        found = self.plans.get(key)
        if found is None:
            found = self.plans[key] = make(source, opts)
        return found

    def featured_image(self, variants, alt):
        image = self.featured.get(id(variants))
        if image is None:
            image = self.featured[id(variants)] = FeaturedImage(
                variants, self.opts, self.siteurl, ""
            )
        image = copy.copy(image)  # its strings shared
        image.alt = alt
        return image


def cache_root(settings):
    opts = parse_settings(settings)
    root = opts["cache_dir"]
    if not os.path.isabs(root):
        root = os.path.join(os.path.dirname(os.path.abspath(settings["PATH"])), root)
    return os.path.abspath(root)


def state_for(settings, run_id):
    root = cache_root(settings)
    state = _RUNS.get(root)
    if state is None or state.run_id != run_id:
        state = _RUNS[root] = RunState(settings, run_id)
    return state


def _report(state, content, written, code, details):
    if (content.source_path, written) in state.reported:
        return
    state.reported.add((content.source_path, written))
    source = os.path.relpath(content.source_path)
    logger.warning(
        "%s", photo_message(source, line_of(content.source_path, written), written, code, details)
    )


def _use(state, content, target, codes=None):
    """Probe one photo of a content file: a dict describing it, or None (reported; the
    PhotoError code appended to `codes`)."""
    written = written_form(target)
    key = (target, os.path.dirname(content.source_path))
    found = state.resolved.get(key)
    if found is None:
        found = state.resolved[key] = resolve(target, content.source_path, state.content_root)
    path, relpath = found
    try:
        if relpath is None:
            raise PhotoError("outside")
        source = state.cache.source(path, relpath)
        # The incremental plugin reads this content again when one of its photos changes.
        content.__dict__.setdefault("_inputs", set()).add(path)
    except PhotoError as exc:
        if codes is not None:
            codes.append(exc.code)
        if exc.code != "missing" or state.report_missing:
            _report(state, content, written, exc.code, exc.details)
        return None
    return {"path": path, "source": source, "written": written}


def _remember(state, content, use, variants):
    for v in variants:
        state.keep.add((use["source"].sha256, v.key))
    content._photo_uses.append({**use, "variants": variants})


def _markup(state, use):
    """The <picture> a figure's use put in the HTML (None for other uses): made again when
    needed rather than kept, as the page's HTML holds it already."""
    if "tag" not in use:
        return None
    return picture_html(use["variants"], state.opts, state.siteurl, use["attrs"], use["eager"])


def on_content(content):
    source_path = getattr(content, "source_path", None)
    if not source_path or not source_path.endswith((".md", ".markdown")):
        return
    state = state_for(content.settings, id(getattr(content, "_context", None)))
    opts = state.opts
    content._photo_uses = []
    content.featured_image = None
    figures = []  # (use, alt) in page order

    def replace(match):
        tag = match.group(0)
        attrs = tag_attrs(tag)
        target = static_target(attrs.get("src", ""))
        if target is None or not attrs.get("src", "").startswith("{static}"):
            return tag
        codes = []
        use = _use(state, content, target, codes)
        if use is None:
            # The caption stays; the staff were told what is wrong (and in the preview see
            # where: a box naming the missing file).
            if codes == ["missing"] and opts["missing_placeholder"]:
                return missing_html(written_form(target))
            return ""
        variants = state.plan(figure_variants, use["source"])
        eager = not figures
        figures.append((use, attrs.get("alt", "")))
        _remember(state, content, {**use, "attrs": attrs, "tag": tag, "eager": eager}, variants)
        return _markup(state, content._photo_uses[-1])

    if content._content:
        content._content = IMG_RE.sub(replace, content._content)

    featured = None
    image_meta = content.metadata.get("image")
    if image_meta:
        target = static_target(str(image_meta))
        if target is not None:
            use = _use(state, content, target)
            if use is not None:
                alt = next((a for u, a in figures if u["path"] == use["path"]), None)
                featured = (use, alt)
    elif figures:
        featured = figures[0]
    if featured:
        use, alt = featured
        variants = state.plan(featured_variants, use["source"])
        _remember(state, content, {**use, "featured": True}, variants)
        alt = alt or str(getattr(content, "title", "") or "")
        content.featured_image = state.featured_image(variants, alt)
    if opts["publish_originals"]:
        for use in {u["path"]: u for u in content._photo_uses}.values():
            _remember(state, content, use, [original_variant(use["source"], opts)])


def refresh(content, paths):
    """A content kept as read (incremental plugin) whose file did not change but some of
    whose photos did (replaced, edited): its <img> tags are put back in place of their
    markup and its photos done again, instead of reading the whole file again (Markdown,
    typogrify, sanitising). Returns the paths it took care of: all of `paths` when each is
    one of its photos and still a file, else none (the file is then read again, and a
    missing photo reported as usual)."""
    uses = getattr(content, "_photo_uses", None) or []
    if not paths or not set(paths) <= {u["path"] for u in uses}:
        return set()
    if not all(os.path.isfile(p) for p in paths):
        return set()
    state = state_for(content.settings, id(getattr(content, "_context", None)))
    html = content._content or ""
    for use in uses:
        markup = _markup(state, use)
        if markup is None:
            continue
        at = html.find(markup)
        if at < 0:
            return set()
        html = html[:at] + use["tag"] + html[at + len(markup) :]
    content._content = html
    on_content(content)
    return set(paths)


class PhotoHolder:
    """Another plugin's page as this plugin sees it: the file that names its photos (for
    messages, `file:line`) and the photos it uses."""

    def __init__(self, source_path):
        self.source_path = source_path
        self._photo_uses = []
        self._content = None
        self.featured_image = None


class Portrait:
    """A photo of another plugin's page, resized to `widths` (no crop): `html()` is its
    <picture>; `ok` turns False when making its variants failed (reported)."""

    def __init__(self, use, variants, opts, siteurl):
        self._use = use
        self.variants = variants
        self.opts = opts
        self.siteurl = siteurl

    @property
    def ok(self):
        return not self._use.get("failed")

    def html(self, alt, sizes, css_class=None, eager=False):
        attrs = {"alt": alt, "class": css_class}
        opts = {**self.opts, "sizes": sizes}
        return picture_html(self.variants, opts, self.siteurl, attrs, eager)


def photo_for(holder, written, settings, context, widths):
    """The Portrait of the photo `written` as staff wrote it (a path under content/, e.g.
    images/can-bo/a.jpg), made and published with the articles' photos; None when it cannot
    be used (reported as `holder.source_path:line`, a missing file too)."""
    state = state_for(settings, id(context))
    target = static_target(written)
    if target is None:
        return None
    codes = []
    use = _use(state, holder, target, codes)
    if use is None:
        if codes == ["missing"] and not state.report_missing:  # no figures plugin here
            _report(state, holder, written_form(target), "missing", {})
        return None
    variants = state.plan(figure_variants, use["source"], {**state.opts, "widths": list(widths)})
    _remember(state, holder, use, variants)
    return Portrait(holder._photo_uses[-1], variants, state.opts, state.siteurl)


def _surviving(generators):
    seen = {}
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if hasattr(content, "_photo_uses"):
                    seen[id(content)] = content
    return list(seen.values())


# id(a use's variant list) -> (the list, what it is: (sha, path, variant keys and files),
# one tuple for all equal ones); the lists of the last build. Each article has lists of its
# own; many articles show the same photo the same way, and the incremental plugin gives an
# unchanged article back with its lists.
_LAST_USES = {}
_LAST_WHATS = {}  # each `what` of the last build, to itself


def _distinct_uses(contents):
    """The (sha, path, variants) of the photo uses of `contents`, each way of showing a
    photo once (not once per article: that is most of a preview's rebuild otherwise)."""
    now, distinct = {}, {}
    for content in contents:
        for use in content._photo_uses:
            variants = use["variants"]
            known = _LAST_USES.get(id(variants))
            if known is None or known[0] is not variants:
                sha = use["source"].sha256
                what = (sha, use["path"], tuple((v.key, v.output) for v in variants))
                known = (variants, _LAST_WHATS.setdefault(what, what))
            now[id(variants)] = known
            distinct.setdefault(id(known[1]), (known[1], variants))
    _LAST_USES.clear()
    _LAST_USES.update(now)
    _LAST_WHATS.clear()
    _LAST_WHATS.update((what, what) for what, _ in distinct.values())
    return [(what[0], what[1], variants) for what, variants in distinct.values()]


def on_all_generators(generators):
    if not generators:
        return
    settings = generators[0].settings
    run_id = id(generators[0].context)
    root = cache_root(settings)
    state = _RUNS.get(root)
    if state is None or state.run_id != run_id:
        state = state_for(settings, run_id)  # no content used a photo this run
    try:
        contents = _surviving(generators)
        photos = {}
        for sha, path, variants in _distinct_uses(contents):
            # Read in an earlier build too (incremental plugin): kept in the cache.
            state.keep.update((sha, v.key) for v in variants)
            _, by_output = photos.setdefault(sha, (path, {}))
            for v in variants:
                by_output[v.output] = v  # two names, same bytes: one cache file, two URLs
        photos = {sha: (path, list(vs.values())) for sha, (path, vs) in photos.items()}
        output = generators[0].output_path
        stats, errors = run_stage(state.cache, photos, output, state.opts)
        for sha, (_path, variants) in photos.items():
            if sha not in errors:  # tell the publish manifest these files are the photos'
                for v in variants:
                    signals.content_written.send(
                        os.path.join(output, v.output), context={"OUTPUT_PATH": output}
                    )
        if errors:
            for content in contents:
                _drop_failed(state, content, errors)
        # A file Pelican could not read has not told us its photos: prune another time.
        unread = [
            k for k, v in generators[0].context.get("generated_content", {}).items() if v is None
        ]
        removed = 0 if unread else state.cache.prune(state.keep)
        state.cache.save_index()
        logger.info(
            "Ảnh: %d ảnh được dùng, %d ảnh xử lý mới (%d tệp), %d tệp đặt vào %s, "
            "%d tệp cũ xóa khỏi bộ nhớ đệm; %.2f giây.",
            stats["photos"],
            stats["processed"],
            stats["variants_made"],
            stats["files_placed"],
            output,
            removed,
            stats["seconds"],
        )
    finally:
        _RUNS.pop(root, None)


def _drop_failed(state, content, errors):
    failed = [u for u in content._photo_uses if u["source"].sha256 in errors]
    for use in failed:
        use["failed"] = True  # a Portrait of it is not shown
        code, details = errors[use["source"].sha256]
        _report(state, content, use["written"], code, details)
        markup = _markup(state, use)
        if markup and content._content:
            content._content = content._content.replace(markup, "")
        if use.get("featured"):
            content.featured_image = None
        state.cache.forget(use["path"])  # probe it again next time
    if failed and content._content:
        _first_image_eager(state, content, errors)


def _first_image_eager(state, content, errors):
    """After dropping a failed photo, the first image left on the page loads eagerly."""
    shown = [(u, _markup(state, u)) for u in content._photo_uses]
    shown = [(u, m) for u, m in shown if m and u["source"].sha256 not in errors]
    shown = [(u, m) for u, m in shown if m in content._content]
    if not shown:
        return
    first, markup = min(shown, key=lambda um: content._content.index(um[1]))
    eager = picture_html(first["variants"], state.opts, state.siteurl, first["attrs"], eager=True)
    content._content = content._content.replace(markup, eager, 1)


def register():
    # The incremental plugin's signal for a kept article whose inputs changed (by name: no
    # import of that plugin).
    blinker.signal("content_inputs_changed").connect(refresh)
    signals.content_object_init.connect(on_content)
    signals.all_generators_finalized.connect(on_all_generators)
