"""Typogrify's smartypants step, skipped on text it would not change.

Pelican runs typogrify (TYPOGRIFY = True) on every body, title and summary; its
smartypants step costs about a tenth of a full build, and most of the ward's text has
nothing for it to do. smartypants only changes the text between tags, and only where it
has a backslash escape, a straight quote or backtick, `&quot;`, a double hyphen or three
dots. `wrap` puts a check for those in front of typogrify's own smartypants (the library
has no option for it): when none is there the text is returned as it is, which is what
smartypants would return; otherwise smartypants runs as before.
"""

import re

from typogrify import filters

# What smartypants treats as a tag (its _tokenize); HTML comments it may treat as text.
TAG_RE = re.compile(r"<[^>]*>")
TRIGGERS = ("\\", '"', "'", "`", "&quot;", "--", "...", ". . .")


def needs_smartypants(html):
    if "<!--" in html:
        return True
    text = TAG_RE.sub("", html)
    return any(trigger in text for trigger in TRIGGERS)


def wrap():
    """Wraps typogrify.filters.smartypants once (idempotent: a second build, the tests)."""
    original = filters.smartypants
    if getattr(original, "ward_checked", False):
        return

    def smartypants(text):
        return original(text) if needs_smartypants(text) else text

    smartypants.ward_checked = True
    filters.smartypants = smartypants
