"""Pure parts of the questions plugin: the header's rules, personal data in what is
published, who answered. Nothing here knows Pelican."""

import difflib
import re

# The header of a question (lower case): every key, those required, the dates.
KEYS = ("title", "question", "area", "asked", "answered-by", "date", "slug", "modified")
REQUIRED = ("title", "question", "area", "asked", "answered-by", "date")
DATES = ("date", "asked", "modified")
# An official's registry id as staff write it in `Answered-by:` (two words or more joined
# by '-'); anything else there is the name of a body ("Công an phường").
ID_LIKE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# What would identify the asker: a phone number (9 to 11 digits, spaces or dots between
# groups), an e-mail address, a house address.
PHONE_RE = re.compile(r"(?<![\d/])(?:\+84|0)(?:[ .]?\d){8,10}(?![\d/])")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ADDRESS_RE = re.compile(r"\b(?:số nhà|nhà số|ngõ|ngách|hẻm|kiệt)\s+\d+\w*", re.IGNORECASE)


def personal_data(text, *, address=False):
    """What in `text` looks like the asker's personal data ('số điện thoại 0912 345 678'),
    or None."""
    for pattern, what in (
        (PHONE_RE, "số điện thoại"),
        (EMAIL_RE, "địa chỉ thư điện tử"),
        *([(ADDRESS_RE, "số nhà, ngõ, ngách")] if address else []),
    ):
        match = pattern.search(text or "")
        if match:
            return f"{what} '{match.group(0).strip()}'"
    return None


def answerer_id(value):
    """The registry id written in `Answered-by:`, or None when it names a body."""
    value = (value or "").strip()
    return value if ID_LIKE_RE.match(value) else None


def suggestion(value, choices):
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" Có phải ý bạn là '{close[0]}'?" if close else ""


def newest_first(questions):
    """By the day of the answer, newest first; then by title, for a stable order."""
    return sorted(questions, key=lambda q: (-q.date.timestamp(), str(q.title), q.source_path))
