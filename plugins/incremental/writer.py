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

import os

from pelican.writers import FileOverwriteFailedError, Writer

from .digest import Digester
from .templates import referenced_names


class Unchanged(str):
    """What a skipped page 'renders' to: the file on disk is already right."""


UNCHANGED = Unchanged("")


class IncrementalWriter(Writer):
    state = None  # the build's State (state.py), set by the plugin before the writer is made

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.digester = Digester()

    def write_file(self, name, template, context, *args, **kwargs):
        if self.state is not None:
            template = _Checked(template, self)
        return super().write_file(name, template, context, *args, **kwargs)

    def names_of(self, template):
        """The context names the template's tree reads (kept while the salt, which covers
        the theme's files, is the same), or None: all of them."""
        names = self.state.names
        if template.name not in names:
            names[template.name] = referenced_names(template.environment, template.name)
        return names[template.name]

    def page_digest(self, template, localcontext):
        names = self.names_of(template) or localcontext.keys()
        env_globals = template.environment.globals
        pairs = [("", self.state.salt), ("", template.name), ("", localcontext["output_file"])]
        for name in sorted(names):
            if name in localcontext:
                pairs.append((name, localcontext[name]))
            elif name in env_globals:
                pairs.append((name, env_globals[name]))
        return self.digester.named(pairs)

    def _open_w(self, filename, encoding, override=False):
        # Pelican's own _open_w opens (so empties) the file at once; this keeps its rules on
        # writing one file twice, and leaves the file alone until its new bytes are known.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _ChangedOnly(filename, encoding, self)


class _Checked:
    """A template whose render() answers UNCHANGED when the page's inputs did not change."""

    def __init__(self, template, writer):
        self.template = template
        self.writer = writer

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        writer = self.writer
        path = os.path.join(writer.output_path, localcontext["output_file"])
        digest = writer.page_digest(self.template, localcontext)
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

    def write(self, text):
        if isinstance(text, Unchanged):
            self.unchanged = True
        else:
            self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            return False
        state = self.writer.state
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
