"""The HTML of an article, and of its summary, made safe for the page and the feed.

Python-Markdown passes raw HTML through: a stray `<textarea>`, an unclosed `<div>` or a
`<script>` in an article would swallow or change the rest of the page. The body is cleaned
with nh3 (the Rust `ammonia` sanitiser, pinned) against an allowlist of what the project's
Markdown (`extra`, `codehilite`) and the figures extension produce. It runs in the reader,
before the photos and officials plugins add their own markup. The summary becomes plain
text, the same for the site and the Atom feed.
"""

from collections import Counter
from html.parser import HTMLParser

import nh3
from pygments.token import STANDARD_TYPES

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TAGS = HEADINGS | {
    "p", "br", "hr", "div", "span", "a", "img", "figure", "figcaption",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "q", "cite", "code", "pre", "kbd", "samp", "var", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"style", "colspan", "rowspan", "scope"},  # style: the tables' text-align
    "td": {"style", "colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    # ids of footnotes (`extra`) and of headings (attr_list), targets of '#...' links
    "li": {"id"},
    "sup": {"id"},
    **{h: {"id"} for h in HEADINGS},
}
# Classes allowed per tag (and with them the class attribute: not in ATTRIBUTES).
CLASSES = {
    "div": {"highlight", "footnote"},  # codehilite, footnotes
    "a": {"footnote-ref", "footnote-backref"},
    "span": {c for c in STANDARD_TYPES.values() if c},  # Pygments' token classes
}
# Elements removed with everything inside them; other unknown tags lose only their tags.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "title", "xmp", "noembed", "noframes",
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto", "tel"}  # relative links ({static}/…) pass


def clean_body(html):
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        filter_style_properties={"text-align"},
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def plain_text(html):
    """The text of `html`, still HTML-escaped, with runs of white space as one space."""
    text = nh3.clean(html, tags=set(), clean_content_tags=DROP_WITH_CONTENT)
    return " ".join(text.split())


class _Markup(HTMLParser):
    """Counts elements and (element, attribute, value) of a piece of HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = Counter()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found[f"<{tag}>"] += 1
        for name, value in attrs:
            self.found[f"<{tag} {name}>"] += 1
            if name in ("href", "src") and value and ":" in value.split("/", 1)[0]:
                self.found[f"<{tag} {name}={value.split(':', 1)[0].strip().lower()}:>"] += 1

    handle_startendtag = handle_starttag


def removed_markup(before, after):
    """What the sanitiser took out: ['<textarea>', '<a onclick>', '<a href=javascript:>', …],
    in a stable order (empty when nothing of substance went)."""
    if before == after:  # the usual case, and parsing both costs a few % of a build
        return []
    lost = _Markup(before).found - _Markup(after).found
    schemes = {key.split("=")[0] + ">" for key in lost if "=" in key}
    return sorted(key for key in lost if key not in schemes)
