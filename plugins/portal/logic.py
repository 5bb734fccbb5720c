"""Pure logic of the portal theme's data: no Pelican in here.

Everything takes plain values (dates, lists of objects with attributes) so that it can be
tested table-driven without building a site.
"""

import heapq
import itertools
import operator
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from typing import NamedTuple
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from photos.markup import resolve

DEFAULTS = {
    # How many related articles ("Tin liên quan") an article shows.
    "related_count": 5,
    # How many of the newest articles of each category the home page lists.
    "latest_per_category": 4,
    # How many pinned announcements the home page shows at most.
    "pinned_count": 5,
    # Folder under content/ that attachments must live in.
    "attachments_dir": "files",
    # The moment pinned announcements are compared with (None = the time of the build).
    "now": None,
    # Zalo Official Account id: when given, articles get a Zalo share link.
    "zalo_oaid": "",
}

# What a resident sees as the type of an attachment, by file extension.
FILE_TYPES = {
    ".pdf": "PDF",
    ".doc": "DOC",
    ".docx": "DOCX",
    ".xls": "XLS",
    ".xlsx": "XLSX",
    ".odt": "ODT",
    ".ods": "ODS",
    ".ppt": "PPT",
    ".pptx": "PPTX",
    ".zip": "ZIP",
    ".rar": "RAR",
    ".jpg": "JPG",
    ".jpeg": "JPG",
    ".png": "PNG",
    ".txt": "TXT",
}
YES = {"yes", "có", "true", "1"}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d")


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    """PORTAL filled with defaults and checked; raises SettingsError naming the key."""
    given = settings.get("PORTAL", {})
    if not isinstance(given, dict):
        raise SettingsError("PORTAL must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"PORTAL: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    for key in ("related_count", "latest_per_category", "pinned_count"):
        value = out[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SettingsError(f"PORTAL[{key!r}] must be a whole number >= 0, not {value!r}")
    for key in ("attachments_dir", "zalo_oaid"):
        if not isinstance(out[key], str):
            raise SettingsError(f"PORTAL[{key!r}] must be a string")
    out["attachments_dir"] = out["attachments_dir"].strip("/") or "files"
    if out["now"] is not None and not isinstance(out["now"], datetime):
        raise SettingsError("PORTAL['now'] must be a datetime or None")
    out["tzinfo"] = ZoneInfo(settings.get("TIMEZONE", "Asia/Ho_Chi_Minh"))
    return out


def is_yes(value):
    """`Pinned: yes` (also có/true/1, any case); a bool passes through."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in YES


def parse_expires(value, tzinfo):
    """The moment an announcement stops being pinned, or None when it never does.

    `2022-07-31` means the end of that day; `2022-07-31 17:00` that minute (ward time).
    Raises ValueError on anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tzinfo)
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            parsed = datetime.combine(parsed.date(), time(23, 59, 59))
        return parsed.replace(tzinfo=tzinfo)
    raise ValueError(f"not a date: {text!r}")


def pinned_now(articles, now, limit):
    """Pinned articles whose expiry is still ahead of `now`, newest first.

    Each article needs `.pinned` (bool), `.expires_at` (aware datetime or None), `.date`."""
    active = [a for a in articles if a.pinned and (a.expires_at is None or a.expires_at > now)]
    active.sort(key=lambda a: a.date, reverse=True)
    return active[:limit]


def latest_by_category(articles, order, limit, categories=(), newest_first=None):
    """[(category name, [newest articles])] following `order`, then other categories.

    Categories without articles are left out. When `articles` is newest first (Pelican's
    own order; `newest_first`, or found out), the first `limit` of each category are taken,
    and once every category of `categories` (names) has them, the rest is not looked at:
    the home page's boxes of a 10,000-article site no longer go through every article."""
    if newest_first is None:
        newest_first = is_newest_first(articles)
    groups = {}
    if newest_first:
        wanted, full = set(categories), 0
        for article in articles:
            name = str(article.category)
            group = groups.setdefault(name, [])
            if len(group) < limit:
                group.append(article)
                if len(group) == limit and name in wanted:
                    full += 1
                    if full == len(wanted):
                        break
    else:
        for article in articles:
            groups.setdefault(str(article.category), []).append(article)
        # nlargest is sorted(...)[:limit] (ties keep their order), without sorting them all.
        groups = {
            name: heapq.nlargest(limit, group, key=lambda a: a.date)
            for name, group in groups.items()
        }
    names = [n for n in order if n in groups] + sorted(n for n in groups if n not in order)
    return [(n, groups[n]) for n in names]


def is_newest_first(articles):
    """Whether no article is older than the one after it: then the newest N are the first N
    (sorted(..., reverse=True) is stable, as heapq.nlargest)."""
    dates = [a.date for a in articles]
    return all(map(operator.ge, dates, itertools.islice(dates, 1, None)))


# How many articles the home page's "Tin mới" box lists (when there are no view counts).
LATEST_COUNT = 5
# The home page's per-category candidates go this far past `latest_per_category`, so a box
# stays full after leaving out what the box beside the featured story shows (up to this many).
HOME_SPARE = 10


def home_candidates(articles, pinned, story, order, per_category, *, categories=()):
    """What the home page chooses from, worked out once per build (the page reads these few
    lists, not every article, so a change to an old article leaves it as it is).

    Returns (latest, sections): the newest articles that are neither pinned nor the featured
    story (LATEST_COUNT + HOME_SPARE of them) and, per category, its newest such articles
    (`per_category` + HOME_SPARE), as latest_by_category gives them (`categories`: the
    names of the site's categories)."""
    shown = {id(a) for a in pinned} | ({id(story)} if story is not None else set())
    rest = [a for a in articles if id(a) not in shown]
    count = LATEST_COUNT + HOME_SPARE
    newest_first = is_newest_first(rest)
    latest = rest[:count] if newest_first else heapq.nlargest(count, rest, key=lambda a: a.date)
    limit = per_category + HOME_SPARE
    return latest, latest_by_category(rest, order, limit, categories, newest_first)


def home_plan(
    pinned,
    featured,
    latest,
    sections,
    *,
    most_read=None,
    listed=(),
    per_category=4,
    most_read_count=5,
    latest_count=LATEST_COUNT,
):
    """What each box of the home page's first page shows, so that no article is shown twice
    above the fold, none more than twice on the page, and the pinned announcements only in
    their own box:

    - the pinned box, then the featured story (never pinned);
    - beside it "Tin xem nhiều" (`most_read`: {window: [(article, views)]}, ranked), without
      the pinned and the featured story, `most_read_count` per window; windows left empty
      are dropped, and with none left (or no counts at all) "Tin mới" (`latest`) takes its
      place, `latest_count` of it;
    - the category boxes (`sections`: [(name, candidates)]) without the pinned, the
      featured story and what the box beside it shows (every most-read window: one is
      shown at a time, any may be; or "Tin mới"), `per_category` each; a category left
      empty is dropped;
    - "Tất cả bài viết" (`listed`, the first page of every article) without the pinned.

    Articles are compared by identity. Returns {"most_read": {window: [(article, views)]}
    or None, "latest": [...], "sections": [(name, [...])], "listed": [...]}."""
    pinned_ids = {id(a) for a in pinned}
    above = pinned_ids | ({id(featured)} if featured is not None else set())
    ranked = {}
    for window, items in (most_read or {}).items():
        kept = [(a, n) for a, n in items if id(a) not in above][:most_read_count]
        if kept:
            ranked[window] = kept
    if ranked:
        beside = [a for items in ranked.values() for a, _ in items]
        latest_shown = []
    else:
        latest_shown = [a for a in latest if id(a) not in above][:latest_count]
        beside = latest_shown
    taken = above | {id(a) for a in beside}
    boxes = []
    for name, items in sections:
        kept = [a for a in items if id(a) not in taken][:per_category]
        if kept:
            boxes.append((name, kept))
    return {
        "most_read": ranked or None,
        "latest": latest_shown,
        "sections": boxes,
        "listed": [a for a in listed if id(a) not in pinned_ids],
    }


def featured(articles, has_photo, exclude=()):
    """The newest article with a photo that is not in `exclude`, or None."""
    skip = {id(a) for a in exclude}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        if id(article) not in skip and has_photo(article):
            return article
    return None


def _tags(article):
    return {str(t) for t in (getattr(article, "tags", None) or [])}


class RelatedIndex:
    """Finds related articles without comparing every pair: tag and category indexes.

    Score: the number of shared tags first, then being in the same category, then the
    newest date. Each tag contributes at most its `scan` newest articles, so a tag on
    half the site does not make the work grow with the square of the site."""

    def __init__(self, articles, scan=60):
        self.scan = scan
        self.tags = {}
        self.category = {}
        self.by_tag = {}
        self.by_category = {}
        for article in sorted(articles, key=lambda a: a.date, reverse=True):
            key = id(article)
            self.tags[key] = _tags(article)
            self.category[key] = str(article.category)
            for tag in self.tags[key]:
                self.by_tag.setdefault(tag, []).append(article)
            self.by_category.setdefault(self.category[key], []).append(article)

    def related(self, article, limit):
        return self.related_filled(article, limit)[0]

    def related_filled(self, article, limit):
        """(related articles, whether articles of the category filled the list up)."""
        me = id(article)
        tags = self.tags[me] if me in self.tags else _tags(article)
        category = self.category.get(me) or str(article.category)
        counts = {}
        found = {}
        for tag in tags:
            for other in self.by_tag.get(tag, ())[: self.scan]:
                key = id(other)
                if other is not article:
                    counts[key] = counts.get(key, 0) + 1
                    found[key] = other
        chosen = heapq.nlargest(
            limit,
            found.values(),
            key=lambda o: (counts[id(o)], self.category[id(o)] == category, o.date),
        )
        filled = len(chosen) < limit
        if filled:
            seen = {id(a) for a in chosen}
            for other in self.by_category.get(category, ()):
                if len(chosen) >= limit:
                    break
                if other is not article and id(other) not in seen:
                    chosen.append(other)
        return chosen, filled

    def windows(self):
        """{tag: source paths of the articles it contributes}: its `scan` newest."""
        return {
            tag: [a.source_path for a in group[: self.scan]] for tag, group in self.by_tag.items()
        }


# The related lists of this process's last build. An article's list depends only on its
# own tags and category, on the `scan` newest articles of each of its tags, and, when they
# are too few to fill it, on the articles of its category (their tags, category, date and
# order). So the preview's next build works out again only the lists of the articles that
# share a tag with a changed article (old or new values) among that tag's newest, or whose
# list the category filled up and shares the changed article's category; the others are
# taken as they were. At 10,000 articles, a changed tag or category of an old article
# would otherwise work out again thousands of lists before its page could be shown.
_last_related = {}
MISSING = object()
# Beyond this many changed articles, every list is worked out again.
RELATED_CHANGES = 50
# How many of a tag's newest articles a list looks at (RelatedIndex's `scan`).
RELATED_SCAN = 60


class Signature(NamedTuple):
    """What of an article its related lists, and the others', depend on."""

    listed: bool
    tags: tuple  # sorted
    category: str
    date: datetime


def _windows(articles, signatures, tags, scan):
    """{tag: source paths of its `scan` newest articles} for `tags`, in RelatedIndex's
    order (newest first; articles of one date in the order given)."""
    windows = {tag: [] for tag in tags}
    if not windows:
        return windows
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        for tag in signatures[article.source_path].tags:
            window = windows.get(tag)
            if window is not None and len(window) < scan:
                window.append(article.source_path)
    return windows


def related_lists(articles, others, limit):
    """{id(article): related articles} for `articles` (the listed ones) and `others`
    (drafts, hidden: related to listed articles, never listed themselves)."""

    def signature(article, listed):
        # From the article as read: kept in its `_memo` (incremental plugin) while it is.
        memo = article.__dict__.get("_memo")
        known = memo.get(("related_signature", listed)) if memo is not None else None
        if known is None:
            tags = tuple(sorted(_tags(article)))
            known = Signature(listed, tags, str(article.category), article.date)
            if memo is not None:
                memo["related_signature", listed] = known
        return known

    everything = [*articles, *others]
    signatures = {a.source_path: signature(a, True) for a in articles}
    signatures.update((a.source_path, signature(a, False)) for a in others)
    index = None  # made when a list is to be worked out
    known = (limit, RELATED_SCAN)
    last = _last_related if _last_related.get("known") == known else {}
    old = last.get("signatures", {})
    # An unchanged article kept by the incremental plugin gives back the very same signature.
    changed = {
        p for p, sig in signatures.items() if old.get(p, MISSING) is not sig and sig != old.get(p)
    } | (old.keys() - signatures.keys())
    # Articles of the same date keep their order in the lists: if the unchanged ones are
    # not in the same order as before, every list is worked out again.
    order = [a.source_path for a in articles]
    last_order = last.get("order", ())
    same_order = order == last_order or [p for p in order if p not in changed] == [
        p for p in last_order if p not in changed
    ]
    windows = None  # {tag: its newest}, for the next build
    if (
        not last
        or not same_order
        or len(changed) > RELATED_CHANGES
        or len(signatures) != len(everything)
    ):
        redo = None  # every list
    else:
        touched, categories = set(), set()
        for path in changed:
            for sig in (old.get(path), signatures.get(path)):
                if sig is not None and sig.listed:  # only listed articles are in the index
                    touched.update(sig.tags)
                    categories.add(sig.category)
        windows = dict(last["windows"])
        windows.update(_windows(articles, signatures, touched, RELATED_SCAN))
        # A tag changes the lists of the articles that have it only when a changed article
        # is (or was) among its newest.
        tags = {
            t for t in touched if not changed.isdisjoint([*last["windows"].get(t, ()), *windows[t]])
        }
        filled = last["filled"]
        redo = {
            id(a)
            for a in everything
            if a.source_path in changed
            or (filled[a.source_path] and signatures[a.source_path].category in categories)
            or not tags.isdisjoint(signatures[a.source_path].tags)
        }
    by_path = {a.source_path: a for a in articles}
    found, paths, filled_now = {}, {}, {}
    for article in everything:
        source = article.source_path
        if redo is None or id(article) in redo:
            if index is None:
                index = RelatedIndex(articles, RELATED_SCAN)
            found[id(article)], filled_now[source] = index.related_filled(article, limit)
            paths[source] = [r.source_path for r in found[id(article)]]
        else:
            paths[source] = last["paths"][source]
            filled_now[source] = last["filled"][source]
            found[id(article)] = [by_path[p] for p in paths[source]]
    if windows is None:
        windows = index.windows() if index is not None else {}
    _last_related.clear()
    _last_related.update(
        known=known, order=order, signatures=signatures, paths=paths, filled=filled_now,
        windows={t: w for t, w in windows.items() if w},
    )  # fmt: skip
    return found


def related(article, articles, limit):
    """Articles sharing tags with `article` (most shared first), then of its category.

    Newest first within the same score; never the article itself."""
    return RelatedIndex(articles).related(article, limit)


def neighbours(articles):
    """{id(article): (older, newer)} within one list of articles (e.g. one category)."""
    ordered = sorted(articles, key=lambda a: a.date)
    out = {}
    for i, article in enumerate(ordered):
        older = ordered[i - 1] if i > 0 else None
        newer = ordered[i + 1] if i + 1 < len(ordered) else None
        out[id(article)] = (older, newer)
    return out


@dataclass(frozen=True)
class Attachment:
    name: str  # the file name shown to residents
    url: str  # percent-encoded, relative to the site root, e.g. files/2022/k%E1%BA%BF.pdf
    kind: str  # PDF, DOCX...
    size: int  # bytes
    size_label: str  # 1,2 MB
    path: str = ""  # where it is published under output/ (posix, NFC), e.g. files/2022/kế.pdf
    source: str = ""  # the file read, symlinks resolved (always inside content/)


def split_attachments(value):
    """The paths of an `Attachments:` line (comma separated), blanks dropped."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    return [i.strip() for i in items if str(i).strip()]


def human_size(size):
    """Bytes as residents read them: `850 B`, `12 KB`, `1,2 MB` (Vietnamese decimal comma)."""
    if size < 1024:
        return f"{size} B"
    for unit, factor in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        value = size / factor
        if value < 1024 or unit == "GB":
            pattern = "#,##0" if value >= 10 else "#,##0.#"
            return f"{format_decimal(value, format=pattern, locale='vi')} {unit}"
    raise AssertionError("unreachable")


def attachment(path, content_root, folder):
    """Describe one attachment given as written in the metadata or a link.

    Names are matched in NFC (macOS writes NFD names); a file reached through a symlink
    that leaves content/ is refused. Returns (Attachment, None) or (None, problem in
    Vietnamese)."""
    rel = unicodedata.normalize("NFC", path.replace("\\", "/").lstrip("/"))
    if not rel.startswith(folder + "/"):
        rel = f"{folder}/{rel}"
    parts = rel.split("/")
    if ".." in parts:
        return None, f"tệp đính kèm '{path}' phải nằm trong thư mục {folder}/."
    ext = os.path.splitext(rel)[1].lower()
    kind = FILE_TYPES.get(ext)
    if kind is None:
        known = ", ".join(sorted(set(FILE_TYPES.values())))
        return None, (
            f"tệp đính kèm '{path}' có kiểu không được hỗ trợ. Các kiểu dùng được: {known}. "
            "Hãy lưu tệp sang một kiểu trong số đó (ví dụ PDF) hoặc bỏ tệp khỏi bài."
        )
    real, inside = resolve("/" + rel, "", content_root)
    if inside is None:
        return None, (
            f"tệp đính kèm '{path}' là liên kết (symlink) tới một tệp nằm ngoài thư mục "
            "content/: không được đăng. Hãy chép chính tệp đó vào "
            f"content/{folder}/ thay cho liên kết."
        )
    if not os.path.isfile(real):
        return None, (
            f"không tìm thấy tệp đính kèm '{path}'. Hãy chép tệp vào thư mục "
            f"{os.path.join(os.path.basename(os.path.normpath(content_root)), folder, '')} "
            "và kiểm tra lại tên tệp (phân biệt chữ hoa, chữ thường)."
        )
    size = os.path.getsize(real)
    if size == 0:
        return None, (
            f"tệp đính kèm '{path}' rỗng (0 byte), có lẽ chép chưa xong. Hãy chép lại tệp."
        )
    return Attachment(parts[-1], quote(rel), kind, size, human_size(size), rel, real), None


def header_line(text, key):
    """The 1-based line of `key:` in a metadata header (1 when it is not found)."""
    prefix = key.lower() + ":"
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        if line.strip().lower().startswith(prefix):
            return number
    return 1


# --- Values that never break inside a line ---------------------------------------------
# Dates, times, document numbers and phone numbers in an article's text are wrapped in
# <span class="nowrap"> (white-space: nowrap in the theme), so that a narrow screen never
# shows "14/03/2025 |" on one line and "17:00" on the next, or "NĐ-" and "CP". A range
# ("03/2/1930 – 03/2/2022") may break after its dash only: each end is kept whole and the
# dash stays with the first (a no-break space before it), so no line starts with " – ".

_SPACE = r"(?:[ \u00a0]|&nbsp;|&#160;|&#xa0;)"
_DASH = r"(?:–|&ndash;|&#8211;|-)"
_DATE = r"\d{1,2}/\d{1,2}(?:/\d{4})?|\d{1,2}/\d{4}"
_TIME = rf"\d{{1,2}}:\d{{2}}|\d{{1,2}}h\d{{2}}|\d{{1,2}}{_SPACE}giờ(?:{_SPACE}\d{{1,2}}(?:{_SPACE}phút)?)?"
_YEAR = r"(?:1[89]|20)\d{2}"
_END = rf"(?:{_DATE}|{_TIME}|{_YEAR})"
_UPPER = "A-ZĐ"
_DOCUMENT = (
    rf"\d+(?:/\d{{4}})?/[{_UPPER}][{_UPPER}a-zđ]*(?:-[{_UPPER}][{_UPPER}a-zđ0-9]*)+"
    rf"|\d+-[{_UPPER}]+(?:/[{_UPPER}][{_UPPER}a-zđ]*)+"
)
_PHONE = rf"(?:\+84|0)\d{{1,3}}(?:(?:{_SPACE}|\.)\d{{2,4}}){{2,3}}|1[89]00{_SPACE}?\d{{3,4}}(?:{_SPACE}\d{{3}})?"
# The look-ahead first: every value starts with a digit or "+", and testing that before the
# look-behind and the alternatives makes the search about 6 times faster.
VALUE_RE = re.compile(
    rf"(?=[\d+])(?<![\w/+.-])(?:"
    rf"(?P<document>{_DOCUMENT})"
    rf"|(?P<phone>{_PHONE})"
    rf"|(?P<start>{_END})(?P<dash>{_SPACE}*{_DASH}{_SPACE}*)(?P<end>{_END})"
    rf"|(?P<value>(?:{_DATE})(?:{_SPACE}*\|{_SPACE}*(?:{_TIME})|{_SPACE}(?:{_TIME}))?|{_TIME})"
    rf")(?![\w/-]|\.\d)"
)
# Tags (attribute values may hold ">") and comments of an HTML fragment.
TAG_RE = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S)
TAG_NAME_RE = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
# Text inside these is left as it is.
KEEP_AS_IS = frozenset({"pre", "code", "kbd", "samp", "script", "style", "textarea"})


def _nowrap(text):
    return f'<span class="nowrap">{text}</span>'


def _wrap_value(match):
    if match.group("start") is None:
        return _nowrap(match.group(0))
    dash = match.group("dash")
    if not re.search(_SPACE, dash):  # 2022-2027, 8:00–11:30: one value
        return _nowrap(match.group(0))
    mark = re.sub(_SPACE, "", dash)
    return f"{_nowrap(match.group('start'))}&nbsp;{mark} {_nowrap(match.group('end'))}"


def nowrap_html(html):
    """An HTML fragment (an article body) with its values wrapped in nowrap spans; tags,
    attributes, comments and the text of code, pre, script... are left alone."""
    # Most bodies hold no value: one search of the whole fragment (a value found in a text
    # part is found there too, as "<" and ">" stop the same look-arounds) saves the split.
    if not html or not VALUE_RE.search(html):
        return html
    out = []
    skipped = 0
    in_nowrap = False  # a value wrapped before (the function may see its own output)
    for i, part in enumerate(TAG_RE.split(html)):
        if i % 2:
            name = TAG_NAME_RE.match(part)
            tag = name.group(2).lower() if name else ""
            if tag in KEEP_AS_IS and not part.endswith("/>"):
                skipped = max(skipped - 1, 0) if name.group(1) else skipped + 1
            elif tag == "span":
                in_nowrap = not name.group(1) and part == '<span class="nowrap">'
            out.append(part)
        elif skipped or in_nowrap or not part:
            out.append(part)
        else:
            out.append(VALUE_RE.sub(_wrap_value, part))
    return "".join(out)


def nowrap_text(text):
    """Plain text (a summary in a list) escaped, its values wrapped: Markup for a template."""
    return Markup(nowrap_html(str(escape(text))))
