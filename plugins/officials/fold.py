"""Folding Vietnamese text for matching, with no knowledge of Pelican.

`fold()` maps every character to one character (so positions in the folded text are
positions in the NFC text): lower case, tone marks removed, every kind of space a plain
space, every dash a hyphen. The vowel marks that tell words apart (â ê ô ơ ư ă đ) stay.
Tone placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy") then no longer matters; the tones themselves
are compared afterwards word by word with `word_tones()`, so "Hà" never matches "Hạ".
"""

import functools
import re
import unicodedata

# The five Vietnamese tone marks (combining), named by their Telex keys.
TONES = {"\u0300": "f", "\u0301": "s", "\u0303": "x", "\u0309": "r", "\u0323": "j"}
SPACES = "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000\n\r\t\f\v"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
WORD_RE = re.compile(r"[^\W_]+")


def _build_table():
    table = {}
    ranges = [range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)]
    for block in ranges:
        for cp in block:
            char = chr(cp)
            low = char.lower()
            if len(low) != 1:
                continue
            base = "".join(c for c in unicodedata.normalize("NFD", low) if c not in TONES)
            base = unicodedata.normalize("NFC", base)
            if len(base) == 1 and base != char:
                table[cp] = base
    for char in SPACES:
        table[ord(char)] = " "
    for char in DASHES:
        table[ord(char)] = "-"
    table[ord("\u2019")] = "'"
    return table


TABLE = _build_table()


def nfc(text):
    return unicodedata.normalize("NFC", text)


def fold(text):
    """Lower case, toneless, one character for one: `text` must already be NFC."""
    return text.translate(TABLE)


def fold_name(text):
    """The key a name is looked up by: folded, single spaces."""
    return " ".join(fold(nfc(text)).split())


def tone_of(word):
    """The tone marks of one word, wherever they are placed ('' for level tone)."""
    return "".join(sorted(TONES[c] for c in unicodedata.normalize("NFD", word) if c in TONES))


def word_tones(text):
    """The tone of every word of `text`, in order."""
    return tuple(tone_of(w) for w in WORD_RE.findall(text))


@functools.lru_cache(maxsize=131072)
def canon_words(text):
    """Words of `text` as comparable keys: folded, with the tone (not its placement) kept.

    'Trưởng' and 'Trường' differ ('trương|r', 'trương|f'); 'Thuỷ' and 'Thủy' do not."""
    text = nfc(text)
    folded = fold(text)
    return tuple(
        f"{m.group()}|{tone_of(text[m.start() : m.end()])}" for m in WORD_RE.finditer(folded)
    )


VOWELS = set("aăâeêioôơuưy")
SPACE_RE = re.compile("[" + SPACES + "]")


def _placements(word):
    """A lower-case word with its tone mark on each of its vowels ('hoà', 'hòa')."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONES]
    if len(tones) != 1:
        return {word}
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    out = {word}
    for i, char in enumerate(base):
        if char in VOWELS:
            out.add(unicodedata.normalize("NFC", base[:i] + char + tones[0] + base[i + 1 :]))
    return out


def spellings(name, limit=256):
    """Every lower-case NFC spelling of `name` that differs only in where the tone marks
    sit: 'Lê Quang Thuỷ' -> {'lê quang thuỷ', 'lê quang thủy', ...}."""
    out = {""}
    for word in nfc(name).lower().split():
        out = {f"{head} {variant}".strip() for head in out for variant in _placements(word)}
        if len(out) > limit:
            break
    return out


def lower_same_length(text):
    """`text` lower-cased with every kind of space a plain space, one character for one."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return SPACE_RE.sub(" ", low)
