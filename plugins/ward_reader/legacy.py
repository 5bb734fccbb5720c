"""Vietnamese text typed with legacy encodings: find it and convert it to Unicode NFC.

Staff paste text from old Word documents. What arrives in a UTF-8 Markdown file is one of
- "tcvn3": TCVN3/ABC (VN3 of TCVN 5712:1993, fonts .VnTime): each byte of the legacy text
  became the Windows-1252 character of the same number, "Phường" arrives as "Ph\u00adêng";
- "vni": VNI (fonts VNI-Times): a base letter then a mark byte, "Phường" arrives as
  "Phöôøng";
- "cp1258": Windows-1258, decoded right but written the Windows way, a base letter (â, ơ, or
  a plain vowel) followed by a combining tone mark, so the text is not NFC;
- "nfd": fully decomposed Unicode (macOS), "ê" + U+0302 + U+0301 for "ế".
A file may also be saved in the raw legacy bytes (not UTF-8 at all): decode_legacy_bytes.

Why our own tables: no maintained Python library converts TCVN3 or VNI (only Windows-1258
has a codec in the standard library, used below). The tables are written from the published
character tables: TCVN 5712:1993 part 3 (VN3, the ABC set: ASCII, a no-break space, the
capitals Ă Â Ê Ô Ơ Ư Đ and the 67 lower-case letters; toned capitals were typed with an
all-capitals font, .VnTimeH, on the lower-case codes) and the VNI Windows code (a base letter
followed by one mark byte, or one byte for ơ ư đ and the toned i).

How detection scores, line by line. A line is cut into words (letters, plus for TCVN3 the
non-letter characters its bytes become, such as the soft hyphen for ư). A word is
*suspicious* for an encoding when it is made only of characters that encoding produces, it
is not a well-formed Vietnamese syllable as it stands, and converted it is one. "Well-formed"
is a pattern, not a word list: an initial consonant cluster, a rhyme from the closed set of
Vietnamese rhymes, at most one tone mark, and a plain case pattern. So "tæ" (tổ) and
"chöùc" (chức) are suspicious while "café", "naïve" or "Zürich" are not (they are no
syllable either way), and correct Vietnamese never is (it is a syllable as it stands). The
line's score counts each suspicious word 1, or 2 when it holds two legacy characters or
more; a line is reported for an encoding when its score is 2 or more and the suspicious
words are at least 30 % of its words, so one stray character is never enough (when both
encodings qualify, the higher score wins). A line that is not NFC is reported as "nfd" when
its letters carry a decomposed circumflex, breve or horn (or the whole line is decomposed),
otherwise as "cp1258".
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
TONE_MARKS = GRAVE + HOOK + TILDE + ACUTE + DOT

KINDS = ("tcvn3", "vni", "cp1258", "nfd")
# How the staff knows each kind (the font the text was typed with), for messages.
LABELS = {
    "tcvn3": "TCVN3 (ABC, phông .VnTime)",
    "vni": "VNI (phông VNI-Times)",
    "cp1258": "Windows-1258 (dấu tách rời)",
    "nfd": "Unicode tổ hợp (NFD)",
}
SAMPLE_MAX = 40
MIN_SCORE = 2  # a line needs two suspicious words (or one with two legacy characters)...
MIN_SHARE = 0.3  # ...and their share of the line's words


def _nfc(text):
    return unicodedata.normalize("NFC", text)


# --- TCVN3 (VN3), keyed by the Windows-1252 character each byte becomes when pasted ------
# Codes of the toned vowels, in the order the standard lists the tones.
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_TONE_ORDER = (GRAVE, HOOK, TILDE, ACUTE, DOT)
# 0xA1-0xA7 the capitals, 0xA8-0xAE the same letters in lower case.
_TCVN3_PLAIN = dict(zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ", strict=True))


def _tcvn3_table():
    codes = dict(_TCVN3_PLAIN)
    for vowel, row in _TCVN3_TONED.items():
        for code, tone in zip(row, _TCVN3_TONE_ORDER, strict=True):
            codes[code] = _nfc(vowel + tone)
    return {bytes([code]).decode("cp1252"): letter for code, letter in codes.items()}


TCVN3 = _tcvn3_table()
# TCVN3 characters that are no Latin letter (soft hyphen, ¸, µ, ©...): a word holding one is
# converted even when the result is not a syllable we know (a name, a rare rhyme).
_TCVN3_STRONG = frozenset(
    c for c in TCVN3 if not (c.isalpha() and unicodedata.name(c).startswith("LATIN"))
)

# --- VNI, as Windows-1252 characters ----------------------------------------------------
# A mark character after a base letter: (marks to add, the bases it goes on). Tones in the
# order of the VNI keys 1-5: acute, grave, hook, tilde, dot.
_VNI_TONE_ORDER = (ACUTE, GRAVE, HOOK, TILDE, DOT)
_VNI_MARKS = {}
for _keys, _quality, _bases in (
    ("ùøûõï", "", "aeouyơư"),  # a tone alone
    ("áàåãä", CIRCUMFLEX, "aeo"),  # â ê ô with a tone
    ("éèúüë", BREVE, "a"),  # ă with a tone
):
    for _key, _tone in zip(_keys, _VNI_TONE_ORDER, strict=True):
        _VNI_MARKS[_key] = _VNI_MARKS[_key.upper()] = (_quality + _tone, _bases)
_VNI_MARKS["â"] = _VNI_MARKS["Â"] = (CIRCUMFLEX, "aeo")
_VNI_MARKS["ê"] = _VNI_MARKS["Ê"] = (BREVE, "a")
# One character for one letter: ơ ư đ, the toned i, and ỵ.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}
_VNI_SINGLE["î"] = "ỵ"
_VNI_SINGLE.update({k.upper(): v.upper() for k, v in _VNI_SINGLE.items()})

_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_PRODUCES = {
    "tcvn3": _ASCII_LETTERS | frozenset(TCVN3),
    "vni": _ASCII_LETTERS | frozenset(_VNI_MARKS) | frozenset(_VNI_SINGLE),
}
_STRONG = {"tcvn3": _TCVN3_STRONG, "vni": frozenset()}

# --- The shape of a Vietnamese syllable -------------------------------------------------
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_RHYME_ROWS = (
    "a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt",
    "âc âm ân âng âp ât âu ây e eo ec em en eng ep et ê êu êch êm ên ênh êp êt",
    "i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu y yêm yên yêng yêt yêu",
    "o oi oc om on ong op ot ooc oong oa oai oay oao oac oach oam oan oang oanh oap oat",
    "oăc oăm oăn oăng oăt oe oeo oen oet ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt",
    "u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôt uân uâng uât uây uê uêch uênh uơ",
    "uy uya uych uyn uynh uyp uyt uyu uyên uyêt",
    "ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu",
)
_RHYMES = sorted(" ".join(_RHYME_ROWS).split(), key=len, reverse=True)  # longest first
_SYLLABLE_RE = re.compile(f"(?:{_ONSET})?(?:{'|'.join(_RHYMES)})")


@functools.lru_cache(maxsize=8192)
def is_syllable(word):
    """True for a well-formed Vietnamese syllable ("Phường", "nghị", "UBND" is not)."""
    if not word or not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(mark) for mark in TONE_MARKS) > 1:
        return False
    toneless = _nfc("".join(c for c in decomposed if c not in TONE_MARKS))
    return _SYLLABLE_RE.fullmatch(toneless) is not None


# --- Words, conversion --------------------------------------------------------------------
def _word_re(extra):
    extra = "".join(sorted(re.escape(c) for c in extra if not c.isalpha()))
    return re.compile(f"(?:[^\\W\\d_]|[\u0300-\u036f{extra}])+")


# Words: letters and combining marks, plus for an encoding the non-letter characters its
# bytes become (TCVN3's soft hyphen, ¸, µ...).
_WORD_RE = {kind: _word_re(_PRODUCES.get(kind, ())) for kind in (*KINDS, None)}


def _words(line, kind):
    """[(start, end)] of the words of `line` as the encoding `kind` cuts them."""
    return [m.span() for m in _WORD_RE[kind].finditer(line)]


def _map_vni(word):
    out = []
    for c in word:
        mark = _VNI_MARKS.get(c)
        if mark and out and out[-1].lower() in mark[1]:
            out[-1] = _nfc(out[-1] + mark[0])
        else:
            out.append(_VNI_SINGLE.get(c, c))
    return "".join(out)


def _map_word(word, kind, capitals=False):
    """`word` read in the legacy encoding, or None when it holds a character that
    encoding cannot produce (the word is already Unicode)."""
    if not all(c in _PRODUCES[kind] for c in word):
        return None
    if kind == "vni":
        return _map_vni(word)
    mapped = "".join(TCVN3.get(c, c) for c in word)
    # Toned capitals were typed on lower-case codes with the .VnTimeH font: a word whose
    # plain letters are all capitals ("HéI" for HỘI) is a capitals word.
    plain = [c for c in word if c in _ASCII_LETTERS]
    if capitals or (len(plain) >= 2 and all(c.isupper() for c in plain)):
        mapped = mapped.upper()
    return _nfc(mapped)


def _capitals_line(line):
    plain = [c for c in line if c in _ASCII_LETTERS]
    return len(plain) >= 4 and all(c.isupper() for c in plain)


def _suspicious(word, kind, capitals):
    """The word converted when it is suspicious for `kind`, else None."""
    if not any(c.isalpha() for c in word) or is_syllable(word):
        return None
    mapped = _map_word(word, kind, capitals)
    return mapped if mapped and mapped != word and is_syllable(mapped) else None


def _convert_line(line, kind):
    if kind in ("cp1258", "nfd"):
        return _nfc(line)
    capitals = kind == "tcvn3" and _capitals_line(line)
    out, last = [], 0
    for start, end in _words(line, kind):
        word = line[start:end]
        mapped = _map_word(word, kind, capitals)
        # A word the encoding could not have produced stays, and so does a foreign word
        # ("Zürich") that converts to no syllable, holds no tell-tale character and is no
        # abbreviation (VNI "NÑ-CP" is NĐ-CP).
        if mapped is None or not (
            is_syllable(mapped) or set(word) & _STRONG[kind] or word.isupper()
        ):
            mapped = word
        out += [line[last:start], mapped]
        last = end
    out.append(line[last:])
    return _nfc("".join(out))


def convert(text, kind):
    """`text` (a line or more) of legacy `kind` as Unicode NFC."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return "\n".join(_convert_line(line, kind) for line in text.split("\n"))


# --- Detection ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    line: int  # from 1
    kind: str  # one of KINDS
    sample: str  # the garbled words as found, at most SAMPLE_MAX characters


def _sample(line, start):
    text = line[start:].rstrip()
    if len(text) > SAMPLE_MAX:
        cut = text.rfind(" ", 0, SAMPLE_MAX + 1)
        text = text[: cut if cut > 0 else SAMPLE_MAX].rstrip()
    return text


def _legacy_score(line, kind):
    """(score, share of the line's words, start of the first) of the words of `line` that
    are suspicious for `kind`. Each counts 1, or 2 when it holds two legacy characters or
    more ("thöôûng" for thưởng): one such word is no stray character."""
    score, hits, total, capitals = 0, [], 0, None
    for match in _WORD_RE[kind].finditer(line):
        word = match.group()
        if not word.isascii() and not is_syllable(word):
            if not any(c.isalpha() for c in word):
                continue  # "§" or "«" alone: no word
            if capitals is None:
                capitals = kind == "tcvn3" and _capitals_line(line)
            if _suspicious(word, kind, capitals):
                hits.append(match.start())
                score += 1 + (sum(not c.isascii() for c in word) >= 2)
        total += 1
    return score, len(hits) / max(total, 1), hits[0] if hits else 0


def _decomposed_kind(line):
    """("nfd" or "cp1258", start of the first word concerned) for a line that is not NFC,
    else None."""
    if unicodedata.is_normalized("NFC", line):
        return None
    start = next(
        (
            s
            for s, e in _words(line, None)
            if any(map(unicodedata.combining, line[s:e]))
            and not unicodedata.is_normalized("NFC", line[s:e])
        ),
        None,
    )
    if start is None:
        return None  # no letter with a separate mark ("Å" as the angstrom sign, say)
    decomposed = any(m in line for m in (CIRCUMFLEX, BREVE, HORN))
    if decomposed or unicodedata.is_normalized("NFD", line):
        return "nfd", start
    return "cp1258", start


def _find_line(line):
    if line.isascii():
        return None
    best = None
    for kind in ("tcvn3", "vni"):
        score, share, start = _legacy_score(line, kind)
        if score >= MIN_SCORE and share >= MIN_SHARE and (best is None or score > best[0]):
            best = (score, kind, start)
    if best:
        return best[1], _sample(line, best[2])
    found = _decomposed_kind(line)
    return (found[0], _sample(line, found[1])) if found else None


# Characters legacy text pasted as Windows-1252 has and correct Vietnamese (NFC) never has:
# a text with none of them, already NFC, is not looked at word by word (most files; the
# word-by-word look took about 0.5 ms a file, 1 s of a 2,000-article build).
_VIETNAMESE = frozenset(
    _nfc(base + tone).lower()
    for base in "aăâeêioôơuưy"
    for tone in ("", GRAVE, ACUTE, HOOK, TILDE, DOT)
) | {"đ"}
_SUSPECT_RE = re.compile(
    "[" + re.escape("".join(sorted(
        c for c in set(TCVN3) | set(_VNI_MARKS) | set(_VNI_SINGLE)
        if not c.isascii() and c.lower() not in _VIETNAMESE
    ))) + "]"
)  # fmt: skip


def find_legacy(text):
    """[Finding] for the lines of `text` typed in a legacy encoding, one per line."""
    if not _SUSPECT_RE.search(text) and unicodedata.is_normalized("NFC", text):
        return []
    findings = []
    for number, line in enumerate(text.split("\n"), start=1):
        found = _find_line(line)
        if found:
            findings.append(Finding(number, *found))
    return findings


def excerpts(before, after, width=SAMPLE_MAX):
    """Short (before, after) excerpts of two versions of a line: the same words of each,
    from the first word that differs, about `width` characters of `before`."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    while i > 0 and not before[i - 1].isspace():
        i -= 1
    old, new = before[i:].split(" "), after[i:].split(" ")
    count, size = 0, -1
    while count < len(old) and (count == 0 or size + 1 + len(old[count]) <= width):
        size += 1 + len(old[count])
        count += 1
    more = "…" if count < len(old) else ""
    return " ".join(old[:count]) + more, " ".join(new[:count]) + more


def fix_text(text):
    """(text with every finding converted, [(line, kind, before, after)]). Lines without
    a finding are left as they are."""
    lines = text.split("\n")
    changes = []
    for finding in find_legacy(text):
        old = lines[finding.line - 1]
        new = _convert_line(old, finding.kind)
        if new != old:
            lines[finding.line - 1] = new
            changes.append((finding.line, finding.kind, *excerpts(old, new)))
    return "\n".join(lines), changes


# --- Files that are not UTF-8 ---------------------------------------------------------------
def _vietnamese_score(text):
    """Well-formed syllables minus malformed words, among the words with non-ASCII letters."""
    score = 0
    for line in text.split("\n"):
        for start, end in _words(line, None):
            word = line[start:end]
            if not word.isascii():
                score += 1 if is_syllable(word) else -1
    return score


def decode_legacy_bytes(raw):
    """(Unicode NFC text, kind) of a file that is not valid UTF-8: whichever of TCVN3, VNI
    and Windows-1258 reads it as the most well-formed Vietnamese (Windows-1258 on a tie)."""
    as_1252 = raw.decode("cp1252", errors="replace")
    readings = {
        "cp1258": _nfc(raw.decode("cp1258", errors="replace")),
        "tcvn3": convert(as_1252, "tcvn3"),
        "vni": convert(as_1252, "vni"),
    }
    kind = max(readings, key=lambda k: _vietnamese_score(readings[k]))
    return readings[kind], kind
