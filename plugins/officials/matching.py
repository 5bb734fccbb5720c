"""Finding registered officials in text, with no knowledge of Pelican or HTML.

One Aho-Corasick automaton holds every name and alias of the registry, folded (see
fold.py), so one pass over a text finds every candidate. Each candidate is then checked:
whole words only, the same tones word by word, not part of a longer name, not a byline or
a photo credit. When two registered people share the name, the title written next to the
mention and the positions held on the article's date decide; when they do not, nobody is
tagged and the mention is reported as ambiguous. A title written next to the name that
fits none of the person's positions (another person with the same name) is reported too,
and not tagged: a wrong tag on a government site is worse than a missing one.
"""

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

import ahocorasick

from .fold import WORD_RE, canon_words, fold, lower_same_length, spellings

# --- Vocabulary (written as staff write it; compared through canon_words) ---------------

HONORIFICS = [
    "đồng chí", "đ/c", "đ.c", "đc", "ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ",
    "đại tướng", "thượng tướng", "trung tướng", "thiếu tướng", "đại tá", "thượng tá",
    "trung tá", "thiếu tá", "đại úy", "thượng úy", "trung úy", "thiếu úy",
    "thạc sĩ", "tiến sĩ", "bác sĩ", "luật sư", "kỹ sư", "nhà giáo", "nghệ nhân",
    "ths", "ts", "bs", "pgs", "gs", "pgs.ts", "gs.ts",
]  # fmt: skip

# The words a title starts with (longest first when matching).
ROLE_HEADS = [
    "phó bí thư thường trực", "phó bí thư", "bí thư", "phó chủ tịch thường trực",
    "phó chủ tịch", "chủ tịch", "phó trưởng ban", "trưởng ban", "phó trưởng công an",
    "trưởng công an", "phó trưởng phòng", "trưởng phòng", "phó trưởng trạm", "trưởng trạm",
    "trạm trưởng", "phó giám đốc", "giám đốc", "phó hiệu trưởng", "hiệu trưởng", "hiệu phó",
    "tổ trưởng", "tổ phó", "chỉ huy trưởng", "chỉ huy phó", "phó chánh văn phòng",
    "chánh văn phòng", "chánh án", "viện trưởng", "phó chủ nhiệm", "chủ nhiệm",
    "cụm trưởng", "trưởng khu", "trưởng thôn", "phó trưởng", "trưởng", "phó",
    "hội trưởng", "hội phó", "chi hội trưởng", "chi hội phó", "đội trưởng", "đội phó",
    "liên đội trưởng", "chi đội trưởng", "phường đội trưởng", "phường đội phó", "trạm phó",
    "thôn trưởng", "xóm trưởng", "khu trưởng", "chính trị viên phó", "chính trị viên",
    "công chức", "cán bộ", "chuyên viên", "kế toán", "thủ quỹ", "thư ký", "văn thư",
    "ủy viên ban thường vụ", "ủy viên thường vụ", "ủy viên", "đảng ủy viên", "đại biểu",
    "đuv", "uvtv", "quv", "uvbtv", "btv", "tuv", "thuv",
    "ct", "pct", "bt", "pbt", "pbttt", "ptcax", "tcax",
]  # fmt: skip
# Abbreviated roles, as the role they stand for.
ROLE_ABBREVIATIONS = {
    "ct": "chủ tịch", "pct": "phó chủ tịch", "bt": "bí thư", "pbt": "phó bí thư",
    "pbttt": "phó bí thư thường trực",
}  # fmt: skip
# Memberships that sit beside a title and never contradict it.
NEUTRAL_ROLES = [
    "ủy viên ban thường vụ", "ủy viên thường vụ", "ủy viên", "đảng ủy viên", "đại biểu",
    "đuv", "uvtv", "quv", "uvbtv", "btv", "tuv", "thuv",
]  # fmt: skip

# Which body a title belongs to; the keyword written first in the title wins.
BODIES = {
    "dang": ["đảng ủy", "đảng bộ", "đu", "ủy ban kiểm tra", "ubkt"],
    "chibo": ["chi bộ"],
    "hdnd": ["hđnd", "hội đồng nhân dân"],
    "ubnd": ["ubnd", "ủy ban nhân dân"],
    "mttq": ["mttq", "ubmttq", "mặt trận", "ủy ban mặt trận"],
    "ca": ["công an", "ca"],
    "qs": ["quân sự", "bchqs"],
    "hnd": ["hội nông dân"],
    "hpn": ["hội phụ nữ", "hội liên hiệp phụ nữ", "hội lhpn", "hlhpn"],
    "ccb": ["hội cựu chiến binh", "cựu chiến binh", "ccb"],
    "doan": ["đoàn thanh niên", "đoàn tn", "đtn", "đoàn phường"],
    "congdoan": ["công đoàn"],
    "nct": ["hội người cao tuổi", "người cao tuổi", "nct"],
    "ctd": ["hội chữ thập đỏ", "chữ thập đỏ"],
    "tdp": ["tổ dân phố", "tdp"],
    "truong": ["trường"],
    "quanuy": ["quận ủy", "quận đoàn", "thành ủy"],
}
LEVELS = {"phuong": ["phường"], "quan": ["quận", "quận ủy"], "tp": ["thành phố", "thành ủy"]}

# The words an organisation's name starts with ('Ban Chỉ đạo …', 'CLB Đọc sách'): a verb
# written with a capital right after one of them names the organisation, it does not end
# the title ('Trưởng Ban Chỉ đạo vận động hiến máu phường').
ORGANISATIONS = [
    "hội", "chi hội", "câu lạc bộ", "clb", "tổ", "trường", "trạm", "đoàn", "chi đoàn", "ban",
    "chi bộ", "đảng bộ", "đảng ủy", "hợp tác xã", "htx", "đội", "liên đội", "chi đội",
    "trung tâm", "phòng", "văn phòng", "ủy ban", "ubnd", "mttq", "mặt trận", "công an",
    "công đoàn", "hội đồng", "hđnd", "nhóm", "cụm", "công ty", "nhà văn hóa", "thư viện",
]  # fmt: skip

# Words that end a title written after a name ("– Chủ tịch UBND phường phát biểu").
VERBS = [
    "phát biểu", "báo cáo", "trao", "tặng", "chủ trì", "kết luận", "cho biết", "khẳng định",
    "nhấn mạnh", "tới dự", "đến dự", "dự", "thăm", "kiểm tra", "chúc mừng", "trình bày",
    "điều hành", "đề nghị", "yêu cầu", "quán triệt", "chỉ đạo", "tham dự", "giới thiệu",
    "động viên", "thông qua", "khai mạc", "bế mạc", "công bố", "đọc", "là", "đã", "đang",
    "sẽ", "cùng", "và", "với", "tại", "trong", "chia sẻ", "nhận", "được", "ký", "gửi", "có",
    "tiếp", "làm", "hướng dẫn", "tuyên truyền", "ghi nhận", "đánh giá", "biểu dương",
    "trả lời", "giải đáp", "thay mặt", "cảm ơn", "bày tỏ", "mong muốn", "chúc", "khen",
    "lắng nghe", "trực tiếp", "đối thoại", "tiếp thu", "nêu", "chủ động", "đề xuất",
    "phát động", "ra quân", "tham gia", "tham quan", "làm việc", "chụp ảnh", "dâng hương",
]  # fmt: skip

# What comes between a name and the title given to it ('được bầu giữ chức Chủ tịch …').
APPOINTMENTS = [
    "được bầu giữ chức", "được bầu làm", "được bầu tái cử", "được bầu", "tái cử",
    "tái đắc cử", "trúng cử", "được bổ nhiệm giữ chức", "được bổ nhiệm làm", "được bổ nhiệm",
    "được phân công làm", "được phân công giữ chức", "được giao phụ trách", "giữ chức",
    "đảm nhiệm chức vụ", "đảm nhiệm", "đảm nhận", "làm",
]  # fmt: skip

# Labels of bylines and photo credits: the names right after them are never tagged.
CREDIT_LABELS = [
    "ảnh", "tin", "bài", "tin, ảnh", "tin và ảnh", "tin - ảnh", "tin-ảnh", "tin/ảnh",
    "bài, ảnh", "bài và ảnh", "bài - ảnh", "bài/ảnh", "bài và ảnh", "nguồn", "tác giả",
    "người viết", "thực hiện", "nhóm phóng viên", "phóng viên", "pv", "ctv", "cộng tác viên",
    "biên tập", "trình bày", "đồ họa", "video", "clip", "ảnh tư liệu", "ảnh minh họa",
    "ảnh và tin", "ghi", "tin và ảnh", "nhóm pv",
]  # fmt: skip

# Words before a name that make it a place: 'phố Nguyễn Văn Cừ', 'trường Lê Quý Đôn'.
PLACE_WORDS = [
    "đường", "phố", "ngõ", "ngách", "hẻm", "cầu", "trường", "chợ", "tượng đài", "khu",
    "giải", "quỹ", "bến", "làng", "tuyến phố", "đại lộ",
]  # fmt: skip
PLACE_RE = re.compile(
    r"(?:^|[^\w])(?<!dân )(?:"
    + "|".join(re.escape(fold(w)) for w in sorted(PLACE_WORDS, key=len, reverse=True))
    + r")[ ]+$"
)

RANK_WORDS = {fold(w) for w in ("tướng", "tá", "úy", "uý")}

SURNAMES = [
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi",
    "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "trịnh", "đoàn", "lâm", "mai", "cao", "tạ",
    "lương", "hà", "quách", "kiều", "tô", "chu", "đào", "lưu", "vương", "thái", "triệu",
]  # fmt: skip

STOP_CHARS = set(';.!?\n()[]{}"“”|•')
STOP_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(STOP_CHARS)) + "]")
CLAUSE_WINDOW = 160
# What can end a sentence (a full stop only in some places, see _sentence).
SENTENCE_END_RE = re.compile(r"[!?\n|.]")


class Phrases:
    """Phrases (tuples of canon words) found fast by their first word, longest first."""

    def __init__(self, items):
        self.by_first = {}
        words = {tuple(canon_words(item)) for item in items}
        for phrase in sorted((w for w in words if w), key=len, reverse=True):
            self.by_first.setdefault(phrase[0], []).append(phrase)

    def at(self, words, i):
        """The longest phrase that `words` has at index `i`, or None."""
        for phrase in self.by_first.get(words[i], ()) if i < len(words) else ():
            if tuple(words[i : i + len(phrase)]) == phrase:
                return phrase
        return None

    def first(self, words):
        """(index, phrase) of the first phrase in `words`, or None."""
        for i in range(len(words)):
            phrase = self.at(words, i)
            if phrase:
                return i, phrase
        return None

    def anywhere(self, words, start=0):
        return any(self.at(words, i) for i in range(start, len(words)))


ROLE_PHRASES = Phrases(ROLE_HEADS)
NEUTRAL_PHRASES = {tuple(canon_words(r)) for r in NEUTRAL_ROLES}
VERB_PHRASES = Phrases(VERBS)
APPOINTMENT_PHRASES = Phrases(APPOINTMENTS)
ORGANISATION_PHRASES = Phrases(ORGANISATIONS)
ORGANISATION_KEYS = {tuple(canon_words(o)) for o in ORGANISATIONS}
BODY_PHRASES = {code: Phrases(items) for code, items in BODIES.items()}
LEVEL_PHRASES = {code: Phrases(items) for code, items in LEVELS.items()}
SURNAME_KEYS = {canon_words(s)[0] for s in SURNAMES}
ROLE_ABBREVIATION_KEYS = {canon_words(k): canon_words(v) for k, v in ROLE_ABBREVIATIONS.items()}
PLACE_NAME_RE = re.compile(
    r"(?i:\b(?:phường|xã|quận|huyện|thị trấn|thị xã|thành phố|tỉnh|tp\.?)) +"
    r"((?:[^\W\d_][\w]*(?: +|$))+)"
)
HONORIFIC_RE = re.compile(
    r"(?:^|[^\w/.])(?P<prefix>"
    + "|".join(re.escape(fold(h)) for h in sorted(HONORIFICS, key=len, reverse=True))
    + r")\.?[ ]*$"
)
CREDIT_RE = re.compile(
    r"(?:^|(?<=[\s(\[*_\-,;:]))(?:"
    + "|".join(
        re.escape(fold(c)).replace(r"\ ", r"\s*")
        for c in sorted(set(CREDIT_LABELS), key=len, reverse=True)
    )
    + r")\s*[:：]|(?:^|(?<=[\s(\[*_\-]))(?:pv|ctv|btv)\.?(?=\s)"
)
NUMBER_RE = re.compile(r"\d+")
# Words after a credit label that show a caption, not a credit ('Ảnh: Đ/c X phát biểu').
CREDIT_BREAKERS = {
    fold(w) for w in ("ông", "bà", "đ/c", "đc", "đ.c", "đồng", "thượng", "trung", "thiếu", "đại")
}


def _starts_with(words, phrases, at=0):
    return phrases.at(words, at)


def _find_first(words, phrases):
    """(index, phrase) of the first phrase found in `words`, longest at a tie, or None."""
    return phrases.first(words)


# --- Titles -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def role_of(text):
    role = _starts_with(canon_words(text), ROLE_PHRASES)
    return ROLE_ABBREVIATION_KEYS.get(role, role)


@functools.lru_cache(maxsize=65536)
def body_of(text):
    words = canon_words(text)
    best = None
    for code, phrases in BODY_PHRASES.items():
        hit = _find_first(words, phrases)
        if hit and (
            best is None or hit[0] < best[0] or (hit[0] == best[0] and len(hit[1]) > best[1])
        ):
            best = (hit[0], len(hit[1]), code)
    return best[2] if best else None


@functools.lru_cache(maxsize=65536)
def level_of(text):
    words = canon_words(text)
    for code, phrases in LEVEL_PHRASES.items():
        if _find_first(words, phrases):
            return code
    return None


def _roles_fit(a, b):
    return a[: len(b)] == b or b[: len(a)] == a


def places_named(text):
    """The places a title names after 'phường', 'quận', 'xã'…: 'phường Ngọc Thụy' ->
    [('ngoc|j', 'thuy|j')] (only capitalised words count)."""
    out = []
    if _mostly_upper(text):
        return out  # in capitals, a place name cannot be told from the words after it
    for match in PLACE_NAME_RE.finditer(text):
        words = []
        for word in match.group(1).split():
            if not word[0].isupper():
                break
            words.append(word)
        if words:
            out.append(canon_words(" ".join(words[:3])))
    return out


@functools.lru_cache(maxsize=65536)
def title_fits(written, title, home=()):
    """True/False: does the title written beside a name fit a registered title?

    None when the written text says nothing either way (no role, or a membership such as
    'UVTV' that sits beside any title). `home` (place names, e.g. the ward and district)
    lets 'Chủ tịch UBND phường Ngọc Thụy' clash with 'Chủ tịch UBND phường' when the site
    is Thượng Thanh's: the same title in another ward is another person."""
    if home:
        known = {canon_words(h) for h in home}
        title_words = " ".join(canon_words(title))
        for place in places_named(written):
            if place not in known and " ".join(place) not in title_words:
                return False
    role = role_of(written)
    if role is None or role in NEUTRAL_PHRASES:
        return None
    body, level = body_of(written), level_of(written)
    numbers = set(NUMBER_RE.findall(written))
    for part in [title, *title.split(",")]:
        part_role = role_of(part)
        if part_role is None or not _roles_fit(role, part_role):
            continue
        part_body = body_of(part)
        if body and part_body and body != part_body:
            continue
        part_level = level_of(part)
        if level and part_level and level != part_level:
            continue
        part_numbers = set(NUMBER_RE.findall(part))
        if numbers and part_numbers and not numbers & part_numbers:
            continue
        return True
    return False


def title_similarity(written, title, home=()):
    """0..1: how much a written title looks like a registered one (0 when they clash)."""
    if title_fits(written, title, home) is False:
        return 0.0
    a, b = set(canon_words(written)), set(canon_words(title))
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@functools.lru_cache(maxsize=256)
def _keyword_phrases(keywords):
    return Phrases(keywords)


def group_of(title, groups):
    """The index group (label) of a title: `groups` is [(label, [keywords])], first hit wins
    by position in the title; the last group with no keywords takes the rest."""
    words = canon_words(title or "")
    best = None
    fallback = None
    for order, (label, keywords) in enumerate(groups):
        if not keywords:
            fallback = fallback or label
            continue
        hit = _keyword_phrases(tuple(keywords)).first(words)
        if hit and (best is None or (hit[0], -len(hit[1]), order) < best[0]):
            best = ((hit[0], -len(hit[1]), order), label)
    return best[1] if best else fallback


# --- The index of names ------------------------------------------------------------------


def _whole_word(low, start, end):
    """`low[start:end]` is not the inside of a longer word."""
    return not (start > 0 and low[start - 1].isalnum()) and not (
        end < len(low) and low[end].isalnum()
    )


class NameIndex:
    """Every name and alias of a registry in one Aho-Corasick automaton, each in every
    tone placement ('Hoà'/'Hòa'), so text needs only lower-casing to be searched."""

    def __init__(self, registry, home=()):
        self.registry = registry
        self.home = tuple(home)  # the site's own ward, district… (see title_fits)
        self.automaton = ahocorasick.Automaton()
        keys = {}
        for official in registry:
            for name in official.names:
                for spelling in spellings(name):
                    ids = keys.setdefault(spelling, [])
                    if official.id not in ids:
                        ids.append(official.id)
        for key, ids in keys.items():
            self.automaton.add_word(key, (len(key), tuple(ids)))
        self.empty = not keys
        if keys:
            self.automaton.make_automaton()

    def find(self, text):
        """[(start, end, (official ids))]: whole-name occurrences in NFC `text`, the
        longest where they overlap."""
        if self.empty:
            return []
        low = lower_same_length(text)
        found = []
        keep = None
        haystack = low
        if "  " in low:
            # Runs of spaces count as one ('Nguyễn Văn  An'): search a squeezed copy.
            keep = [i for i, c in enumerate(low) if not (c == " " and i and low[i - 1] == " ")]
            haystack = "".join(low[i] for i in keep)
        for last, (length, ids) in self.automaton.iter(haystack):
            start, end = last - length + 1, last + 1
            if keep is not None:
                start, end = keep[start], keep[end - 1] + 1
            if _whole_word(low, start, end):
                found.append((start, end, ids))
        found.sort(key=lambda m: (m[0], m[0] - m[1]))
        out = []
        for match in found:
            if out and match[0] < out[-1][1]:
                if match[1] - match[0] > out[-1][1] - out[-1][0]:
                    out[-1] = match
                continue
            out.append(match)
        return out

    def names_someone(self, text):
        """True when `text` holds a registered name as a whole word (the quick test before
        an article is read block by block; find() says where and whom)."""
        if self.empty:
            return False
        low = lower_same_length(text)
        for last, (length, _ids) in self.automaton.iter(low):
            if _whole_word(low, last - length + 1, last + 1):
                return True
        return "  " in low and bool(self.find(text))

    def find_all(self, texts):
        """index.find() of each of `texts`, in one pass over them all (joined by a character
        no name contains, so no name runs from one text into the next)."""
        out = [[] for _ in texts]
        if self.empty or not texts:
            return out
        starts = []
        at = 0
        for text in texts:
            starts.append(at)
            at += len(text) + len(SEPARATOR)
        n = 0
        for start, end, ids in self.find(SEPARATOR.join(texts)):
            while n + 1 < len(starts) and starts[n + 1] <= start:
                n += 1
            out[n].append((start - starts[n], end - starts[n], ids))
        return out


# Joins texts searched in one pass: neither a letter nor a space, so it ends a name.
SEPARATOR = "\x00"


# --- Mentions ----------------------------------------------------------------------------


@dataclass
class Mention:
    start: int
    end: int
    text: str
    candidates: tuple
    official: str | None = None
    status: str = "tagged"  # tagged | ambiguous | conflict | credit | longer-name
    titles: tuple = ()  # titles written next to the name, as written
    prefix: str | None = None
    reason: str = ""
    detail: dict = field(default_factory=dict)


def _clause_end(folded, start, limit):
    stop = STOP_RE.search(folded, start, min(limit, start + CLAUSE_WINDOW))
    return stop.start() if stop else min(limit, start + CLAUSE_WINDOW)


def _is_abbreviation(word):
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _verb_at(text, spans, words, i):
    """The verb at word `i` of `text` (`spans`: its words in fold(text)), or None. A verb
    with a capital right after an organisation word is the organisation's name ('Ban Chỉ
    đạo', 'CLB Đọc sách'), not the sentence going on."""
    verb = _starts_with(words, VERB_PHRASES, i)
    after_organisation = any(
        tuple(words[i - k : i]) in ORGANISATION_KEYS for k in range(1, min(i, 4) + 1)
    )
    if verb and after_organisation and text[spans[i].start()].isupper():
        return None
    return verb


@functools.lru_cache(maxsize=65536)
def _cut_at_verb(text):
    """`text` up to the first verb (the title ends where the sentence goes on)."""
    matches = list(WORD_RE.finditer(fold(text)))
    words = canon_words(text)
    for i in range(len(words)):
        if i > 0 and _verb_at(text, matches, words, i):
            return text[: matches[i].start()].rstrip(" -,:")
    return text.rstrip(" -,:")


@functools.lru_cache(maxsize=65536)
def _looks_like_title(text):
    if not text:
        return False
    if role_of(text):
        return True
    first = text.split()[0]
    return _is_abbreviation(first) and not _is_abbreviation(text.replace(" ", ""))


def titles_after(text, folded, end, limit):
    """Titles written right after a name: '– Phó Bí thư, Chủ tịch UBND phường',
    '(Chủ tịch UBND phường)', ', nguyên Chủ tịch UBND phường'."""
    lead = re.match(r"[ ,:\-]*\(?[ ]*", folded[end:limit]).group()
    begin = end + len(lead)
    stop = _clause_end(folded, begin, limit)
    rest = text[begin:stop]
    # '… được bầu tái cử Chủ tịch Hội', '… giữ chức Trưởng ban': the title follows.
    words = canon_words(rest)
    appointed = APPOINTMENT_PHRASES.at(words, 0)
    if appointed:
        spans = list(WORD_RE.finditer(fold(rest)))
        rest = rest[spans[len(appointed)].start() :] if len(spans) > len(appointed) else ""
    out = []
    for piece in rest.split(","):
        part = _cut_at_verb(piece.strip())
        if fold(part).startswith("nguyên "):
            part = part[len("nguyên ") :].strip()  # 'nguyên' (former): any past title
        if not _looks_like_title(part):
            break
        out.append(part)
        if len(part) < len(piece.strip()):
            break
    return out


def title_before(text, folded, begin, start):
    """A title written right before a name: 'Bí thư Đảng ủy phường Thượng Thanh …', or
    before a comma and an honorific: 'Chủ tịch UBND phường, ông …'."""
    cut = begin
    for i in range(start - 1, begin - 1, -1):
        if folded[i] in STOP_CHARS or folded[i] == ",":
            cut = i + 1
            break
    segment = text[cut:start]
    honorific = HONORIFIC_RE.search(folded[cut:start])
    if honorific:
        segment = segment[: honorific.start("prefix")]
    found = _trailing_title(segment.rstrip(" -–:"))
    if found is None and not segment.strip() and cut > begin and folded[cut - 1] == ",":
        # 'Chủ tịch UBND phường, đồng chí X': the title stands before the comma.
        previous = begin
        for i in range(cut - 2, begin - 1, -1):
            if folded[i] in STOP_CHARS or folded[i] == ",":
                previous = i + 1
                break
        found = _trailing_title(text[previous : cut - 1])
    return found


@functools.lru_cache(maxsize=65536)
def _trailing_title(segment):
    """The title that `segment` ends with (a role and what follows it, no verb), or None."""
    words = canon_words(segment)
    spans = list(WORD_RE.finditer(fold(segment)))
    for i in range(len(words)):
        if _starts_with(words, ROLE_PHRASES, i):
            if any(_verb_at(segment, spans, words, j) for j in range(i + 1, len(words))):
                continue
            return segment[spans[i].start() :].strip()
    return None


def _mostly_upper(text):
    letters = list(filter(str.isalpha, text))
    return len(letters) > 3 and sum(map(str.isupper, letters)) / len(letters) > 0.7


def _is_credit(text, folded, start):
    """Is the name at `start` in a byline or a photo credit ('Ảnh: X', 'Tin, ảnh: X, Y',
    'Toàn cảnh hội nghị - Ảnh: X')?"""
    begin = 0
    for i in range(start - 1, -1, -1):
        if folded[i] in "!?\n|" or (folded[i] == "." and not folded[i - 1 : i].isdigit()):
            begin = i + 1
            break
    labels = list(CREDIT_RE.finditer(folded, begin, start))
    if not labels:
        return False
    between = text[labels[-1].end() : start]
    # Only other names and list separators between the label and this name.
    for word in re.findall(r"[^\s,;&+\-–()]+", between):
        if word.lower() in ("và",):
            continue
        if not word[0].isupper() or fold(word).rstrip(".") in CREDIT_BREAKERS:
            return False
    return True


def _is_trailing_byline(text, start, end):
    """The last paragraph is the author's name alone ('Nguyễn Văn A', 'Lan Anh – VP')."""
    if not _could_be_trailing_byline(text, start):
        return False
    words = canon_words(text[end:])
    return not any(_starts_with(words, VERB_PHRASES, i) for i in range(len(words)))


def _could_be_trailing_byline(text, start):
    """The quick part of _is_trailing_byline: the name opens a short paragraph."""
    return not fold(text[:start]).strip(" *_-()[]") and len(text.split()) <= 12


def _part_of_longer_name(text, start, end):
    after = re.match(r"[ \u00a0]([^\W\d_][\w]*)", text[end:])
    if after and after.group(1)[0].isupper():
        word = after.group(1)
        following = text[end + 1 : end + 40]
        # 'Nguyễn Văn An Khang' is another name; 'Nguyễn Văn An Chủ tịch…', '… UBND',
        # and a Title Case caption ('Nguyễn Văn An Trao Quà') are not.
        if not (
            _is_abbreviation(word)
            or role_of(following)
            or VERB_PHRASES.at(canon_words(following), 0)
        ):
            return True
    before = re.search(r"([^\W\d_]+)[ \u00a0]$", text[:start])
    if before and before.group(1)[0].isupper():
        key = canon_words(before.group(1))
        if key and key[0] in SURNAME_KEYS:
            return True
    return False


def _analyse(text, folded, start, end, previous_end, next_start, last_paragraph):  # noqa: PLR0917
    """(prefix, titles, status, reason) of the name at [start, end) of `text`; status None
    when the name is a mention to decide (not a credit, a place or part of a longer name)."""
    prefix = None
    found = HONORIFIC_RE.search(folded[max(0, start - 30) : start])
    if found:
        before = folded[max(0, start - 30) : start]
        prefix = text[start - (len(before) - found.start("prefix")) : start].strip()
    written = titles_after(text, folded, end, next_start)
    before_title = title_before(text, folded, previous_end, start)
    if before_title:
        written.insert(0, before_title)
    titles = tuple(written)
    if _is_credit(text, folded, start):
        return prefix, titles, "credit", "byline"
    if last_paragraph and not prefix and _is_trailing_byline(text, start, end):
        return prefix, titles, "credit", "trailing byline"
    if not prefix and PLACE_RE.search(folded[max(0, start - 20) : start]):
        return prefix, titles, "place", "a street, school or place named after"
    if not _mostly_upper(text[max(0, start - 40) : end + 40]) and _part_of_longer_name(
        text, start, end
    ):
        return prefix, titles, "longer-name", "part of a longer name"
    return prefix, titles, None, ""


@functools.lru_cache(maxsize=32768)
def _analyse_sentence(sentence, start, end, previous_end, next_start):
    """_analyse on the sentence around a name alone: the same sentence (a caption, a title
    line such as 'đồng chí X – Chủ tịch UBND phường;') is read once per build."""
    return _analyse(sentence, fold(sentence), start, end, previous_end, next_start, False)


def _sentence(text, start, end, next_start):
    """[begin, stop) of the sentence around a name: from the last full stop before it
    (a dot after a digit or an initial does not end a sentence) to the next one."""
    begin = max(0, start - 200)
    for found in reversed(list(SENTENCE_END_RE.finditer(text, begin, start))):
        i = found.start()
        if text[i] != "." or (
            i > 0
            and not text[i - 1].isdigit()
            and i + 1 < len(text)
            and text[i + 1] == " "
            and not (i > 1 and text[i - 1].isalpha() and not text[i - 2].isalpha())
        ):
            begin = i + 1
            break
    stop = min(next_start, end + 200)
    found = SENTENCE_END_RE.search(text, end, stop)
    return (begin, found.start() + 1) if found else (begin, stop)


def find_mentions(text, index, day, *, last_paragraph=False, found=None):
    """Every registered name in one block of NFC `text`, each with a decision (Mention).
    `found`: index.find(text) when the caller has it already."""
    if found is None:
        found = index.find(text)
    mentions = []
    previous_end = 0
    for n, (start, end, ids) in enumerate(found):
        next_start = found[n + 1][0] if n + 1 < len(found) else len(text)
        mention = Mention(start, end, text[start:end], ids)
        if last_paragraph and _could_be_trailing_byline(text, start):
            analysis = _analyse(text, fold(text), start, end, previous_end, next_start, True)
        else:
            begin, stop = _sentence(text, start, end, next_start)
            analysis = _analyse_sentence(
                text[begin:stop],
                start - begin,
                end - begin,
                max(previous_end - begin, 0),
                next_start - begin,
            )
        mention.prefix, mention.titles, status, mention.reason = analysis
        previous_end = end
        if status:
            mention.status = status
        else:
            decide(mention, index.registry, day, index.home)
        mentions.append(mention)
    return mentions


def _clashes(official, written, home=()):
    """True when a title is written beside the name and fits none of the positions."""
    verdicts = [title_fits(w, p.title, home) for w in written for p in official.positions]
    return any(v is False for v in verdicts) and not any(v is True for v in verdicts)


def _conflict(mention, candidates):
    mention.status = "conflict"
    mention.reason = "title does not fit"
    mention.official = None
    mention.candidates = tuple(o.id for o in candidates)
    return mention


def decide(mention, registry, day, home=()):
    """Choose who a mention is, from its candidates; never guess."""
    candidates = [registry[c] for c in mention.candidates]
    written = mention.titles
    if len(candidates) > 1:
        fitting = [o for o in candidates if not _clashes(o, written, home)]
        if not fitting:
            return _conflict(mention, candidates)
        candidates = fitting
        if mention.prefix and fold(mention.prefix).split()[-1] in RANK_WORDS:
            # A police or army rank ('Thượng tá') points at the police or the military.
            uniformed = [
                o for o in candidates if any(body_of(p.title) in ("ca", "qs") for p in o.positions)
            ]
            candidates = uniformed or candidates
        if written:
            scores = {
                o.id: max(
                    (title_similarity(w, p.title, home) for w in written for p in o.positions),
                    default=0.0,
                )
                for o in candidates
            }
            best = max(scores.values())
            if best > 0:
                top = [o for o in candidates if scores[o.id] >= best - 0.05]
                candidates = top
            mention.detail["scores"] = scores
        if len(candidates) > 1 and day is not None:
            holding = [o for o in candidates if o.position_on(day)]
            if holding:
                candidates = holding
        if len(candidates) > 1:
            mention.status = "ambiguous"
            mention.reason = "same name"
            mention.candidates = tuple(o.id for o in candidates)
            return mention
    official = candidates[0]
    if _clashes(official, written, home):
        return _conflict(mention, candidates)
    mention.official = official.id
    mention.status = "tagged"
    return mention


# --- An article --------------------------------------------------------------------------


@dataclass
class Block:
    """A piece of an article's text: kind is body, heading, caption, alt, title or summary.
    `group` ties a figure's alt text and caption together (counted once)."""

    text: str
    kind: str = "body"
    last: bool = False
    group: int | None = None
    ref: object = None


@dataclass
class ArticleTags:
    counts: Counter  # official id -> mentions (first-mention order)
    mentions: list  # [(block, Mention)]


def tag_article(blocks, index, day, forced=()):
    """Tag one article: the officials its blocks mention, with counts.

    A mention ambiguous between people who share a name is settled when exactly one of
    them is listed in `forced` (the article's Officials metadata), or else when exactly one
    of them is named unambiguously elsewhere in the same article (news writes the title at
    the first mention only: 'Ông X, Chủ tịch Hội CCB… Ông X cảm ơn…')."""
    mentions = []
    texts = [block.text for block in blocks]
    for block, text, found in zip(blocks, texts, index.find_all(texts), strict=True):
        if not found:
            continue
        for mention in find_mentions(text, index, day, last_paragraph=block.last, found=found):
            mentions.append((block, mention))
    resolved = {m.official for _, m in mentions if m.status == "tagged"}
    for _block, mention in mentions:
        if mention.status != "ambiguous":
            continue
        chosen = [c for c in mention.candidates if c in forced]
        reason = "Officials metadata"
        if not chosen:
            chosen = [c for c in mention.candidates if c in resolved]
            reason = "named with a title elsewhere in the article"
        if len(chosen) == 1:
            mention.official, mention.status, mention.reason = chosen[0], "tagged", reason
    counts = Counter()
    seen_in_group = set()
    for block, mention in mentions:
        if mention.status != "tagged":
            continue
        if block.group is not None:
            key = (block.group, mention.official)
            if key in seen_in_group:
                continue
            seen_in_group.add(key)
        counts[mention.official] += 1
    for official_id in forced:
        if official_id not in counts:
            counts[official_id] = 0
    return ArticleTags(counts, mentions)
