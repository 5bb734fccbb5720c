"""The text of an article's HTML as blocks for matching, and links put back into it.

One regular expression walks the HTML Pelican made; every piece of text is remembered with
its place in the raw HTML, so a link can be spliced around the first mention of an
official without re-serialising (and so changing) anything else of the page.
"""

import functools
import itertools
import re
from dataclasses import dataclass, field
from html import escape, unescape
from typing import NamedTuple

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


class Chunk(NamedTuple):
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
    size: int = 0

    @property
    def text(self):
        return "".join(self.parts)

    def add(self, text, raw_start, raw_end, linkable):
        self.parts.append(text)
        self.chunks.append(Chunk(self.size, raw_start, raw_end, linkable))
        self.size += len(text)


TOKEN_RE = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>|<(/?)([a-zA-Z][\w:-]*)([^>]*)>|[^<]+|<", re.S
)
ATTR_RE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")


class _Reader:
    """Walks the HTML with one regular expression (Pelican's HTML is well formed)."""

    def __init__(self, html):
        self.html = html
        self.stack = []
        self.blocks = []
        self.current = None
        self.figure = None
        self.figures = 0

    def run(self):
        for token in TOKEN_RE.finditer(self.html):
            closing, name, attrs = token.groups()
            if name:
                name = name.lower()
                if closing:
                    self.end_tag(name)
                else:
                    self.start_tag(name, attrs, token.start())
                    if attrs.rstrip().endswith("/") and name not in VOID:
                        self.end_tag(name)
                continue
            raw = token.group()
            if raw[0] != "<" or raw == "<":
                self.text(raw, token.start())
        self.flush()
        return self.blocks

    def kind(self):
        if not HEADINGS.isdisjoint(self.stack):
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

    def start_tag(self, tag, attrs, where):
        if tag in BLOCK_TAGS:
            self.flush()
        if tag == "figure":
            self.figures += 1
            self.figure = self.figures
        if tag == "br" and self.current is not None:
            self.current.add("\n", where, where, False)
        if tag == "img":
            group = self.figure if "figure" in self.stack else None
            for m in ATTR_RE.finditer(attrs):
                name = m.group(1).lower()
                value = m.group(2) if m.group(2) is not None else (m.group(3) or m.group(4) or "")
                if name in ("alt", "title") and value.strip():
                    extra = TextBlock(name, group=group)
                    extra.add(unescape(value), -1, -1, False)
                    self.blocks.append(extra)
        if tag not in VOID:
            self.stack.append(tag)

    def end_tag(self, tag):
        if tag in self.stack:
            while self.stack:
                if self.stack.pop() == tag:
                    break
        if tag in BLOCK_TAGS:
            self.flush()

    def text(self, raw, where):
        if self.current is None and raw.isspace():
            return  # the line breaks between blocks
        skip = not SKIP_TEXT.isdisjoint(self.stack)
        linkable = NO_LINK.isdisjoint(self.stack)
        block = self.block()
        for piece, start, end in _pieces(raw) if "&" in raw else ((raw, 0, len(raw)),):
            # Code is kept as a run of '¦': it keeps words apart and matches nothing.
            block.add(
                "\u00a6" * len(piece) if skip else piece, where + start, where + end, linkable
            )


_entity = functools.lru_cache(maxsize=1024)(unescape)


def _pieces(raw):
    """[(text, start, end)] of a run of HTML text: the text between character references
    as it is, and each reference decoded (a piece of its own, so a link never cuts it)."""
    out = []
    at = 0
    for entity in ENTITY_RE.finditer(raw):
        if entity.start() > at:
            out.append((raw[at : entity.start()], at, entity.start()))
        out.append((_entity(entity.group()), entity.start(), entity.end()))
        at = entity.end()
    if at < len(raw):
        out.append((raw[at:], at, len(raw)))
    return out


def read_blocks(html):
    """[TextBlock] of an article's HTML, in document order."""
    blocks = _Reader(html).run()
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
