"""The text of an article's HTML as blocks for matching, and links put back into it.

One regular expression walks the HTML Pelican made; every piece of text is remembered with
its place in the raw HTML, so a link can be spliced around the first mention of an
official without re-serialising (and so changing) anything else of the page.
"""

import functools
import itertools
import re
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


class TextBlock:
    """The text of one block of HTML (a paragraph, a caption, an alt text…), in pieces,
    each remembered with its place in the raw HTML (a Chunk)."""

    __slots__ = ("chunks", "group", "kind", "last", "parts", "size")

    def __init__(self, kind, group=None):
        self.kind = kind
        self.group = group
        self.parts = []
        self.chunks = []
        self.last = False
        self.size = 0

    @property
    def text(self):
        return "".join(self.parts)

    def add(self, text, raw_start, raw_end, linkable):
        self.parts.append(text)
        self.chunks.append(Chunk(self.size, raw_start, raw_end, linkable))
        self.size += len(text)


# A tag's attributes run to the first '>' outside quotes: an attribute value may hold '>'
# or '<' (`<img alt="a > b">`), and a link must never be put inside one.
TOKEN_RE = re.compile(
    r"""<(/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"""
    r"|([^<]+)|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>|(<)",
    re.S,
)
ATTR_RE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")

# How many open elements of each sort a text sits in, kept as counts while walking (a
# count per sort, not a scan of the stack at every piece of text: this runs on every
# article of every build).
_HEADING, _CAPTION, _FIGURE, _SKIP, _NO_LINK = range(5)
_SORTS = {
    tag: tuple(
        i
        for i, group in enumerate((HEADINGS, {"figcaption"}, {"figure"}, SKIP_TEXT, NO_LINK))
        if tag in group
    )
    for tag in HEADINGS | {"figcaption", "figure"} | SKIP_TEXT | NO_LINK
}


def read_blocks(html):
    """[TextBlock] of an article's HTML, in document order: one regular expression walks
    it (Pelican's HTML is well formed); alt and title texts of images are blocks of their
    own, tied to their figure by `group`."""
    blocks = []
    stack = []
    depth = [0, 0, 0, 0, 0]
    current = None
    figure = None
    figures = 0

    def flush():
        if current is not None and current.text.strip():
            blocks.append(current)

    for token in TOKEN_RE.finditer(html):
        closing, name, attrs, raw, lone = token.groups()
        if name:
            name = name.lower()
            if closing:
                if name in stack:
                    while stack:
                        popped = stack.pop()
                        for sort in _SORTS.get(popped, ()):
                            depth[sort] -= 1
                        if popped == name:
                            break
                if name in BLOCK_TAGS:
                    flush()
                    current = None
                continue
            if name in BLOCK_TAGS:
                flush()
                current = None
            if name not in VOID and attrs.rstrip().endswith("/"):
                continue  # '<div/>': opened and closed at once
            if name == "figure":
                figures += 1
                figure = figures
            elif name == "br":
                if current is not None:
                    current.add("\n", token.start(), token.start(), False)
            elif name == "img":
                group = figure if depth[_FIGURE] else None
                for m in ATTR_RE.finditer(attrs):
                    key = m.group(1).lower()
                    if key in ("alt", "title"):
                        value = (
                            m.group(2)
                            if m.group(2) is not None
                            else (m.group(3) or m.group(4) or "")
                        )
                        if value.strip():
                            extra = TextBlock(key, group)
                            extra.add(unescape(value), -1, -1, False)
                            blocks.append(extra)
            if name not in VOID:
                stack.append(name)
                for sort in _SORTS.get(name, ()):
                    depth[sort] += 1
            continue
        if raw is None:
            if lone is None:
                continue  # a comment, CDATA, a doctype
            raw = lone
        if current is None:
            if raw.isspace():
                continue  # the line breaks between blocks
            kind = "heading" if depth[_HEADING] else "caption" if depth[_CAPTION] else "body"
            current = TextBlock(kind, figure if depth[_FIGURE] else None)
        where = token.start()
        skip = depth[_SKIP] > 0
        linkable = not depth[_NO_LINK]
        if "&" not in raw and not skip:
            current.add(raw, where, where + len(raw), linkable)
            continue
        for piece, start, end in _pieces(raw) if "&" in raw else ((raw, 0, len(raw)),):
            # Code is kept as a run of '¦': it keeps words apart and matches nothing.
            current.add(
                "\u00a6" * len(piece) if skip else piece, where + start, where + end, linkable
            )
    flush()
    body = [b for b in blocks if b.kind == "body"]
    if body:
        body[-1].last = True
    return blocks


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
