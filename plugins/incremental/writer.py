"""A Pelican Writer that renders a page only when its inputs changed, and writes a file only
when its bytes changed.

Every page goes through Writer.write_file: the template is wrapped so that, given the page's
local context, it first computes the digest of the page's inputs (digest.py: the values of
the names the template tree reads, plus the build's salt). When the digest is the one
recorded for that file by an earlier build and the file on disk is still the one that build
wrote (size and mtime), the page is not rendered. Pelican goes on as usual (it still sends
`content_written`, so the publish manifest claims the file), but nothing is written.
A page that is rendered is compared with the file on disk and replaced (atomically, through
a temporary file) only when it differs, so unchanged files keep their mtime and inode.
"""

import logging
import os

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .digest import MISSING, Digester
from .state import Cut
from .templates import referenced_names

PELICAN_LOG = logging.getLogger("pelican.writers")  # its "Writing" lines, for `pelican -v`


class Unchanged(str):
    """What a skipped page 'renders' to: the file on disk is already right."""


UNCHANGED = Unchanged("")


class Deferred(Unchanged):
    """What a page 'renders' to in a build with `defer` (the preview): nothing yet; the page
    is rendered when it is asked for (render_deferred), with the same check of its inputs."""

    def __new__(cls, checked, localcontext):
        marker = super().__new__(cls, "")
        marker.job = (checked, localcontext, None)
        return marker


class IncrementalWriter(Writer):
    state = None  # the build's State (state.py), set by the plugin before the writer is made

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.digester = Digester()
        self._common = {}  # page_digest's digests of shared values
        self._context_copy = None  # (context, its copy) shared by pages left for later

    def write_file(self, name, template, context, *args, **kwargs):
        if self.state is None:
            return super().write_file(name, template, context, *args, **kwargs)
        checked = _Checked(template, self, context)
        if self.state.defer and not args and not kwargs.get("relative_urls"):
            return self._defer(name, checked, context, **kwargs)
        return super().write_file(name, checked, context, *args, **kwargs)

    def _defer(self, name, checked, context, **kwargs):
        """Pelican's write_file, leaving the rendering of its page(s) for later: the same
        pages (one, or one per page of a paginated list), the same local contexts, the same
        rules on writing a file twice, the same `content_written`, without the file's
        folder, file object and render call a page not rendered yet does not need (most of
        a preview build's output time)."""
        state = self.state
        if state.may_cut and state.cut is not None and state.cut.is_set():
            raise Cut
        override_output = kwargs.pop("override_output", False)
        for path, base, own in self._pages(name, context, kwargs):
            localcontext = {**base, **own}  # Pelican's, in its order
            if self._claim(path, override_output):
                self.state.deferred[path] = (checked, base, own)
            PELICAN_LOG.info('Writing "%s"', path)
            signals.content_written.send(path, context=localcontext)

    def render_first(self, name, template, context, **kwargs):
        """Render now, before the build's other output, the page(s) `write_file` will be
        given with these arguments later in the build (the preview's saved article, see
        incremental.render_first). Nothing is claimed or signalled: the later call does
        that, and finds the page current (the same inputs) or renders it again."""
        kwargs.pop("override_output", None)
        checked = _Checked(template, self, context)
        for path, base, own in self._pages(name, context, kwargs):
            render_job(self.state, path, (checked, base, own))
            self.state.early[path] = own["article"].source_path

    def _pages(self, name, context, kwargs):
        """[(path, shared context, the page's own values)] of the page(s) Pelican's
        write_file makes of these arguments (without `relative_urls`)."""
        if not name:
            return []
        paginated = kwargs.pop("paginated", None)
        template_name = kwargs.pop("template_name", None)
        url = kwargs.pop("url", None)
        kwargs.pop("relative_urls", None)  # False here: write_file defers only then
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in ("articles", "dates")}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            pages = self._paginated(name, url, paginated, template_name, kwargs)
        else:
            pages = [(name, kwargs)]
        found = []
        for file_name, page_kwargs in pages:
            base = self._copy_of(context)
            own = {"localsiteurl": base.get("localsiteurl"), "output_file": file_name}
            own.update(page_kwargs)
            if own["localsiteurl"]:
                context["localsiteurl"] = own["localsiteurl"]
            found.append((sanitised_join(self.output_path, file_name), base, own))
        return found

    def _copy_of(self, context):
        """A copy of the shared context as it is now, the same copy for every page left for
        later while the context does not change: a copy each, as Pelican makes, held 6.5 KB
        per page until it is rendered (about 100 MiB at 10,000 articles). A name of the
        context bound anew to another value (dict ==) makes a new copy."""
        known = self._context_copy
        if known is None or known[0] is not context or known[1] != context:
            known = self._context_copy = (context, context.copy())
        return known[1]

    def _paginated(self, name, url, paginated, template_name, kwargs):
        """[(file name, kwargs)] of each page of a paginated list, as Pelican's write_file
        makes them (`articles_page`, `articles_previous_page`...); each Page object is made
        once, not once for each of the three pages that show it."""
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        paginators = {
            key: Paginator(name, url, value, self.settings, per_page)
            for key, value in paginated.items()
        }
        numbered = {
            key: [p.page(number) for number in range(1, p.num_pages + 1)]
            for key, p in paginators.items()
        }
        pages = []
        for index in range(next(iter(paginators.values())).num_pages):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = numbered[key][index]
                page_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": numbered[key][index - 1] if index > 0 else None,
                    f"{key}_next_page": (
                        numbered[key][index + 1] if index + 1 < paginator.num_pages else None
                    ),
                })  # fmt: skip
            pages.append((page.save_as, page_kwargs))
        return pages

    def names_of(self, template):
        """The context names the template's tree reads, sorted (kept while the salt, which
        covers the theme's files, is the same), or None: all of them."""
        names = self.state.names
        if template.name not in names:
            found = referenced_names(template.environment, template.name)
            names[template.name] = None if found is None else sorted(found)
        return names[template.name]

    def page_digest(self, template, localcontext, shared):
        """The digest of the page's inputs. The values it shares with the generator's context
        (`shared`: the site's lists, the menu, the settings) are the same objects for every
        page of a build, so their part is digested once per template and set of objects."""
        names = self.names_of(template) or sorted(localcontext)
        env_globals = template.environment.globals
        own = [("", self.state.salt), ("", template.name), ("", localcontext["output_file"])]
        common = []
        for name in names:
            if name in localcontext:
                value = localcontext[name]
                if shared.get(name, MISSING) is value:
                    common.append((name, value))
                else:
                    own.append((name, value))
            elif name in env_globals:
                common.append((name, env_globals[name]))
        key = (template.name, *(name for name, _ in common), *(id(v) for _, v in common))
        known = self._common.get(key)
        # The values are kept with their digest, so no id is reused while it is known.
        if known is None or any(a is not b for a, (_, b) in zip(known[0], common, strict=True)):
            known = self._common[key] = ([v for _, v in common], self.digester.named(common))
        own.append(("", known[1]))
        return self.digester.named(own)

    def _open_w(self, filename, encoding, override=False):
        # Pelican's own _open_w opens (so empties) the file at once; this keeps its rules on
        # writing one file twice, and leaves the file alone until its new bytes are known.
        if not self._claim(filename, override):
            return open(os.devnull, "w", encoding=encoding)
        return _ChangedOnly(filename, encoding, self)

    def _claim(self, filename, override):
        """Pelican's rules on writing one file twice: raises, or answers whether this
        page is the file's (False: an earlier page overrode it, this one is dropped)."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            return False
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True


class _Checked:
    """A template whose render() answers UNCHANGED when the page's inputs did not change."""

    def __init__(self, template, writer, shared):
        self.template = template
        self.writer = writer
        self.shared = shared

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        if self.writer.state.defer:
            return Deferred(self, localcontext)
        return self.render_now(localcontext)

    def render_now(self, localcontext):
        writer = self.writer
        path = os.path.join(writer.output_path, localcontext["output_file"])
        digest = writer.page_digest(self.template, localcontext, self.shared)
        writer.state.pending[path] = digest
        if writer.state.is_current(path, digest):
            return UNCHANGED
        writer.state.rendered.append(path)
        return self.template.render(localcontext)


class _ChangedOnly:
    """A text file opened for writing that touches the disk only if its bytes change."""

    def __init__(self, path, encoding, writer):
        self.path = path
        self.encoding = encoding
        self.writer = writer
        self.parts = []
        self.unchanged = False
        self.deferred = None

    def write(self, text):
        if isinstance(text, Deferred):
            self.deferred = text.job
        elif isinstance(text, Unchanged):
            self.unchanged = True
        else:
            self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            return False
        state = self.writer.state
        if self.deferred is not None:
            state.deferred[self.path] = self.deferred
            return False
        if state is not None:
            state.deferred.pop(self.path, None)
        if not self.unchanged:
            # Feeds are written through an XML writer that sends bytes; pages send text.
            data = b"".join(
                p.encode(self.encoding) if isinstance(p, str) else p for p in self.parts
            )
            write_if_changed(self.path, data)
        if state is not None:
            state.written(self.path)
        return False

    def flush(self):
        pass

    def close(self):
        pass


def render_deferred(state, path):
    """Render the page of `path` that a build with `defer` left for later (if it did): as
    a build without `defer` would have, rendered only if its inputs changed, written only if
    its bytes changed. Returns whether there was one."""
    job = state.deferred.pop(path, None)
    if job is None:
        return False
    render_job(state, path, job)
    return True


def render_job(state, path, job):
    checked, base, own = job  # the local context, whole or as (shared part, page's own)
    text = checked.render_now(base if own is None else {**base, **own})
    if not isinstance(text, Unchanged):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_if_changed(path, text.encode("utf-8"))
    state.written(path)


def write_if_changed(path, data):
    """Write `data` to `path` unless the file already holds exactly these bytes."""
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as existing:
                if existing.read() == data:
                    return False
    except OSError:
        pass
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
    return True
