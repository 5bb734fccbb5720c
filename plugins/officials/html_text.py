"""The text of an article's HTML as blocks for matching, and links put back into it.

Python's html.parser reads the HTML Pelican made; every piece of text is remembered with
its place in the raw HTML, so a link can be spliced around the first mention of an
official without re-serialising (and so changing) anything else of the page.
"""

import itertools
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser

from .matching import Block

BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "blockquote",
    "div", "pre", "dt", "dd", "figure", "ul", "ol", "table", "tr", "section", "article",
    "header", "footer", "aside", "caption", "summary", "details", "hr",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NO_LINK = HEADINGS | {"a", "code", "pre", "kbd", "samp", "script", "style", "button", "label"}
SKIP_TEXT = {"code", "pre", "kbd", "samp", "script", "style"}
VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed"}


@dataclass
class Chunk:
    pos: int  # where it starts in the block's text
    raw_start: int  # where it starts in the HTML
    raw_end: int
    linkable: bool


@dataclass
class TextBlock:
    kind: str
    parts: list = field(default_factory=list)
    chunks: list = field(default_factory=list)
    group: int | None = None
    last: bool = False

    @property
    def text(self):
        return "".join(self.parts)

    def add(self, text, raw_start, raw_end, linkable):
        pos = sum(len(p) for p in self.parts)
        self.parts.append(text)
        self.chunks.append(Chunk(pos, raw_start, raw_end, linkable))


class _Reader(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0]
        for i, c in enumerate(html):
            if c == "\n":
                self.line_starts.append(i + 1)
        self.stack = []
        self.blocks = []
        self.current = None
        self.figure = None
        self.figures = 0

    def _where(self):
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def kind(self):
        if any(t in HEADINGS for t in self.stack):
            return "heading"
        if "figcaption" in self.stack:
            return "caption"
        return "body"

    def flush(self):
        if self.current and self.current.text.strip():
            self.blocks.append(self.current)
        self.current = None

    def block(self):
        if self.current is None:
            group = self.figure if "figure" in self.stack else None
            self.current = TextBlock(self.kind(), group=group)
        return self.current

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.flush()
        if tag == "figure":
            self.figures += 1
            self.figure = self.figures
        if tag == "br" and self.current is not None:
            here = self._where()
            self.current.add("\n", here, here, False)
        if tag == "img":
            group = self.figure if "figure" in self.stack else None
            for name, value in attrs:
                if name in ("alt", "title") and value and value.strip():
                    extra = TextBlock(name, group=group)
                    extra.add(value, -1, -1, False)
                    self.blocks.append(extra)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack:
                if self.stack.pop() == tag:
                    break
        if tag in BLOCK_TAGS:
            self.flush()

    def _text(self, text, raw_start, raw_end):
        if any(t in SKIP_TEXT for t in self.stack):
            text = "\u00a6" * len(text)  # keeps words apart, matches nothing
        linkable = not any(t in NO_LINK for t in self.stack)
        self.block().add(text, raw_start, raw_end, linkable)

    def handle_data(self, data):
        start = self._where()
        self._text(data, start, start + len(data))

    def _ref(self, raw_guess):
        start = self._where()
        end = self.html.find(";", start, start + 40)
        raw = (
            self.html[start : end + 1]
            if end != -1 and self.html.startswith(raw_guess, start)
            else raw_guess
        )
        if not raw.endswith(";"):
            raw = raw_guess
        self._text(unescape(raw), start, start + len(raw))

    def handle_entityref(self, name):
        self._ref(f"&{name};")

    def handle_charref(self, name):
        self._ref(f"&#{name};")


def read_blocks(html):
    """[TextBlock] of an article's HTML, in document order."""
    reader = _Reader(html)
    reader.feed(html)
    reader.close()
    reader.flush()
    blocks = reader.blocks
    body = [b for b in blocks if b.kind == "body"]
    if body:
        body[-1].last = True
    return blocks


def as_blocks(text_blocks):
    out = []
    for tb in text_blocks:
        out.append(Block(tb.text, tb.kind, tb.last, tb.group, tb))
    return out


def raw_span(text_block, start, end):
    """(raw_start, raw_end) in the HTML of block text [start, end) when it is one run of
    linkable text (no tag inside it), else None."""
    chunks = []
    for chunk, text in zip(text_block.chunks, text_block.parts, strict=True):
        if chunk.pos < end and chunk.pos + len(text) > start:
            chunks.append((chunk, text))
    if not chunks or not all(c.linkable for c, _ in chunks):
        return None
    for (a, _), (b, _) in itertools.pairwise(chunks):
        if a.raw_end != b.raw_start:
            return None
    raw_start = _raw_at(*chunks[0], start)
    raw_end = _raw_at(*chunks[-1], end)
    if raw_start is None or raw_end is None:
        return None
    return raw_start, raw_end


def _raw_at(chunk, text, pos):
    """The HTML offset of block position `pos` inside `chunk` (None inside an entity)."""
    if chunk.raw_end - chunk.raw_start == len(text):
        return chunk.raw_start + (pos - chunk.pos)
    if pos <= chunk.pos:
        return chunk.raw_start
    if pos >= chunk.pos + len(text):
        return chunk.raw_end
    return None


def insert_links(html, links):
    """`links`: [(raw_start, raw_end, href, css_class)] -> html with <a> around each span."""
    out = []
    at = 0
    for start, end, href, css in sorted(links):
        if start < at:
            continue
        out.append(html[at:start])
        out.append(f'<a class="{escape(css)}" href="{escape(href)}">{html[start:end]}</a>')
        at = end
    out.append(html[at:])
    return "".join(out)
