"""Pure parts of the documents plugin: numbers, slugs, statuses, and linking numbers in HTML.

Nothing here knows Pelican, so the tests give it plain values.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from portal.logic import KEEP_AS_IS, TAG_NAME_RE, TAG_RE

# A document number as Vietnamese administrative documents write it: the serial, the year
# for legal documents, then the type and issuer codes: 12/TB-UBND, 45/QĐ-UBND,
# 12/2024/QĐ-UBND, 78/2021/NĐ-CP, 125/UBND-VP, 15/Ctr-UBND; the Party's put the type
# first: 09-NQ/ĐU. Not inside a longer token (a date 12/03/2024, a path, a URL): the
# characters before it are checked by `starts_token`, not by a look-behind, so that the
# expression begins with a character class, which the regex engine skips ahead to in C
# (a look-behind is tried at every character: 6 times slower on the bench corpus).
NUMBER = r"[0-9]{1,5}(?:(?:/[0-9]{4})?/[^\W\d_]\w*(?:-\w+)*|-[^\W\d_]+(?:/[^\W\d_]\w*)+)"
NUMBER_RE = re.compile(rf"{NUMBER}(?![\w/-])")
WHOLE_NUMBER_RE = re.compile(rf"{NUMBER}\Z")
# What every number holds, searched before anything else is done with an article.
HINT_RE = re.compile(r"[0-9][/-](?:[^\W\d_]|[0-9]{4}/)")
SPACES_RE = re.compile(r"\s+")


def fold_number(number):
    """The key a number is known by: NFC, no spaces, upper case, Đ as D (staff may type
    "45/QD-UBND" or "45/qđ-ubnd" for 45/QĐ-UBND)."""
    text = unicodedata.normalize("NFC", SPACES_RE.sub("", str(number))).upper()
    return text.replace("Đ", "D")


def starts_token(text, start):
    """Whether a number found at `start` of `text` is not the end of a longer token."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_/.-")


def is_number(value):
    return bool(WHOLE_NUMBER_RE.match(SPACES_RE.sub("", value)))


def ascii_slug(text):
    """`45/QĐ-UBND` -> `45-qd-ubnd`, `UBND phường Thượng Thanh` -> `ubnd-phuong-thuong-thanh`."""
    text = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def split_numbers(value):
    """The numbers of a `Documents:` line (comma or semicolon separated), blanks dropped."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[,;]", str(value or ""))
    return [SPACES_RE.sub("", str(i)) for i in items if str(i).strip()]


@dataclass(frozen=True)
class Status:
    """Where a document stands on a day: `key` one of valid, pending (not yet in force),
    expired, replaced; `since` the day it took that state (expired, pending)."""

    key: str
    since: date | None = None


def status_of(effective, expires, replaced, today):
    """The status of a document in force from `effective` (or None: from its issue) until
    the day before `expires` (or None), `replaced` by another one or not."""
    if replaced:
        return Status("replaced")
    if expires is not None and expires <= today:
        return Status("expired", expires)
    if effective is not None and effective > today:
        return Status("pending", effective)
    return Status("valid")


def pick(candidates, day, after=False):
    """The document a number means on `day`, among those with that number (a ward's
    numbering starts again each year): the newest issued on or before that day (`after`:
    the oldest issued on or after it), else the closest one. `candidates`: (issued, item)
    sorted by date."""
    if len(candidates) == 1:
        return candidates[0][1]
    if after:
        later = [item for issued, item in candidates if issued >= day]
        return later[0] if later else candidates[-1][1]
    earlier = [item for issued, item in candidates if issued <= day]
    return earlier[-1] if earlier else candidates[0][1]


def link_numbers(fragment, find, link_class):
    """`fragment` (an article's HTML) with each document number of its text linked:
    `find(folded number)` gives the URL or None (not a document of the site). Nothing is
    linked inside a link or in code; tags and attributes are left as they are. One regular
    expression over the text: linear in the size of the fragment, whatever the number of
    documents. Returns (HTML, [folded numbers linked])."""
    if not fragment or HINT_RE.search(fragment) is None:
        return fragment, []
    linked = []

    def replace(match):
        text = match.group(0)
        if not starts_token(match.string, match.start()):
            return text
        url = find(fold_number(html.unescape(text)))
        if url is None:
            return text
        linked.append(fold_number(html.unescape(text)))
        href = html.escape(url, quote=True)
        return f'<a class="{html.escape(link_class, quote=True)}" href="{href}">{text}</a>'

    out = []
    skipped = in_link = 0
    for i, part in enumerate(TAG_RE.split(fragment)):
        if i % 2:
            name = TAG_NAME_RE.match(part)
            tag = name.group(2).lower() if name else ""
            closing = bool(name and name.group(1))
            if tag == "a":
                in_link = max(in_link - 1, 0) if closing else in_link + 1
            elif tag in KEEP_AS_IS and not part.endswith("/>"):
                skipped = max(skipped - 1, 0) if closing else skipped + 1
            out.append(part)
        elif skipped or in_link or HINT_RE.search(part) is None:
            out.append(part)
        else:
            out.append(NUMBER_RE.sub(replace, part))
    return "".join(out), linked
