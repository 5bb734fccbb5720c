"""Invisible formatting characters: zero-width spaces, bidi controls, soft hyphens.

Pasted from Word, Zalo or a web page they are invisible in an editor, yet a U+202E
(right-to-left override) turns a title around on the page, and a U+200B makes two tags that
look the same, or a file name that cannot be typed. The reader removes them from the whole
text; in the metadata header, where each one changes a title, a tag or a path, it says so.
"""

import re
import unicodedata

# The Unicode "Cf" characters a Vietnamese text can carry by accident. Written out rather
# than all of category Cf: the standard library's `re` has no \p{Cf}, and building the class
# from unicodedata at import would scan 1.1 million code points on every build.
INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# A Markdown link or image target, `](target)`, or a reference definition `[x]: target`.
TARGET_RE = re.compile(r"\]\(([^)]*)\)|^\s{0,3}\[[^\]]+\]:\s*(\S+)", re.M)


def describe(text):
    """'U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE' for the characters found."""
    found = dict.fromkeys(INVISIBLE_RE.findall(text))
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in found)


def strip(text):
    return INVISIBLE_RE.sub("", text)


def header_lines(text):
    """[(line number, line)] of the metadata header lines that hold invisible characters
    (the header ends at the first line that is blank once they are removed)."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not strip(line).strip():
            break
        if INVISIBLE_RE.search(line):
            out.append((number, line))
    return out


def link_targets(text):
    """[(line number, target)] of the Markdown link and image targets holding them."""
    out = []
    for match in TARGET_RE.finditer(text):
        target = match.group(1) or match.group(2) or ""
        if INVISIBLE_RE.search(target):
            out.append((text.count("\n", 0, match.start()) + 1, target))
    return out
