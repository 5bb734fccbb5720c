"""`make officials-suggest`: officials the articles name who are not in the registry.

    python -m officials.suggest [CONTENT_DIR] [--registry FILE]

A person counts when a prefix ('đồng chí', 'Đ/c', 'Thượng tá' ...) or a title stands next to
a full name: a position then any organisation of the ward ('– Chủ tịch UBND phường', 'Chủ
tịch Hội Cựu chiến binh phường', 'Tổ trưởng tổ dân phố số 7', 'Hiệu trưởng Trường …'). The
report is YAML, most mentioned first, each person a stub ready to paste into the registry,
with the title as written and the file:line of every mention in comments; 'from' is the
Date of the first article naming them, left empty when none of them has a Date.
"""

import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from unidecode import unidecode

from ward_reader.header import parse_date, read_header

from .fold import fold, fold_name, nfc
from .matching import (
    BODY_PHRASES,
    HONORIFIC_RE,
    ORGANISATION_PHRASES,
    PLACE_RE,
    ROLE_PHRASES,
    SURNAME_KEYS,
    NameIndex,
    _is_credit,
    _mostly_upper,
    _starts_with,
    canon_words,
    find_mentions,
    role_of,
    title_before,
    titles_after,
)
from .registry import Registry, RegistryError, load_registry

WORD_TOKEN_RE = re.compile(r"[^\W\d_]+")
PLAIN_PREFIXES = {fold(p) for p in ("ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ")}
# Names of the nation's history that ward news writes with a title ("Chủ tịch Hồ Chí Minh",
# "Đoàn TNCS Hồ Chí Minh", "phố Ngô Gia Tự") but who are nobody to add to the registry.
HISTORY = {
    fold_name(n)
    for n in (
        "Hồ Chí Minh", "Nguyễn Ái Quốc", "Võ Nguyên Giáp", "Tôn Đức Thắng", "Lê Duẩn",
        "Trường Chinh", "Phạm Văn Đồng", "Trần Phú", "Lê Hồng Phong", "Hà Huy Tập",
        "Nguyễn Văn Cừ", "Ngô Gia Tự", "Nguyễn Văn Linh", "Võ Văn Kiệt", "Đỗ Mười",
        "Lê Khả Phiêu", "Nông Đức Mạnh", "Nguyễn Phú Trọng", "Trần Hưng Đạo", "Lý Thường Kiệt",
        "Lê Lợi", "Nguyễn Trãi", "Nguyễn Du", "Chu Văn An", "Lê Quý Đôn", "Ngô Quyền",
        "Lý Thái Tổ", "Nguyễn Huệ", "Hai Bà Trưng", "Bà Triệu", "Phan Bội Châu",
        "Phan Châu Trinh", "Nguyễn Thị Minh Khai", "Võ Thị Sáu",
    )
}  # fmt: skip
# 'Chủ tịch Hội Chữ thập đỏ phường là bà X': a title, 'là', then the name.
IS_RE = re.compile(r"[ ,]+(?:hien nay |hien |nay )?la[ ]+$")
# 'Hội Liên hiệp Phụ nữ phường: Chủ tịch – bà X' (a list of the ward's organisations).
LABEL_RE = re.compile(r"(?:^|[;.•|])[\s+*-]*(?P<label>[^:;.•|]{2,80}?)[\s*]*:")


@dataclass
class Suggestion:
    name: str
    count: int = 0
    places: list = field(default_factory=list)  # "file:line"
    titles: Counter = field(default_factory=Counter)
    spellings: Counter = field(default_factory=Counter)
    first_date: str | None = None
    official: bool = False  # a title or a strong prefix beside one of the mentions


def _capitalised(word):
    return word[0].isupper() and (len(word) == 1 or not word.isupper())


def _names_in(line, known_spans):
    """(start, end) of full names in `line`: 2–4 capitalised words from a surname on, not
    overlapping a registered name, cut before a title ('Nguyễn Văn A Phó Chủ tịch') and
    after the name of an organisation ('Trường THCS Lê Quý Đôn Nguyễn Thị Tám')."""
    tokens = [
        t
        for t in WORD_TOKEN_RE.finditer(line)
        if not any(a <= t.start() < b for a, b in known_spans)
    ]
    runs, run = [], []
    for token in tokens:
        joined = run and line[run[-1].end() : token.start()].strip(" \u00a0") == ""
        if _capitalised(token.group()) and (not run or joined):
            run.append(token)
            continue
        runs.append(run)
        run = [token] if _capitalised(token.group()) else []
    runs.append(run)
    for run in runs:
        keys = [canon_words(t.group())[0] for t in run]
        for i, key in enumerate(keys):
            if key not in SURNAME_KEYS or len(run) - i < 2:
                continue
            rest = line[run[i].start() :]
            if any(_starts_with(canon_words(rest)[:4], BODY_PHRASES[c]) for c in BODY_PHRASES):
                continue  # 'Đoàn Thanh Niên' is a body, not a person; a name may follow
            stop = i + 1
            while stop < len(run) and not role_of(line[run[stop].start() :]):
                stop += 1
            first = i
            if stop - i > 4:
                # An organisation named after someone, then the person ('Trường THCS Lê
                # Quý Đôn Nguyễn Thị Tám'): the last words make the name. A five-word
                # name ('Trần Thị Thu Hà Phúc') is kept unless it follows an organisation.
                later = [j for j in range(i + 2, stop - 1) if keys[j] in SURNAME_KEYS]
                split = next((j for j in later if stop - j <= 4), None)
                if split is not None and (
                    stop - i > 5
                    or fold_name(line[run[i].start() : run[split - 1].end()]) in HISTORY
                    or _after_organisation(line, run[i].start())
                ):
                    first = split
            end = min(stop, first + 5)
            if end - first >= 2:
                yield run[first].start(), run[end - 1].end()
            break


def _after_organisation(line, start):
    """True when the clause before `start` names an organisation ('Hiệu trưởng Trường
    THCS …', 'Chủ nhiệm CLB …'): capitalised words after it may be its name."""
    clause = re.split(r"[,;:.!?()\[\]–—]| - ", line[:start])[-1]
    return ORGANISATION_PHRASES.anywhere(canon_words(clause))


def _body_lines(text):
    """(line number, line) of the body: after the metadata header, outside code fences."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and lines[i].strip():
        i += 1
    fenced = False
    for number in range(i + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            continue
        yield number, line


def _day(text):
    """The 'YYYY-MM-DD' of the Date line of a file's header (as staff write it, day first
    or year first), or None: an undated page says nothing about when someone took office."""
    fields, _problems = read_header(text)
    _line, value = fields.get("date", (None, ""))
    parsed = parse_date(value)
    return parsed.date().isoformat() if parsed else None


def _title_before(line, folded, previous_end, start):
    """The title written before the name at `start`: 'Chủ tịch Hội CCB phường Nguyễn Văn
    An', 'Chủ tịch Hội CCB phường, ông …', or 'Chủ tịch Hội Chữ thập đỏ phường là bà …'."""
    before = title_before(line, folded, previous_end, start)
    if before:
        return before
    prefix = HONORIFIC_RE.search(folded[max(0, start - 30) : start])
    cut = max(0, start - 30) + prefix.start("prefix") if prefix else start
    is_word = IS_RE.search(folded, previous_end, cut)
    if is_word:
        return title_before(line, folded, previous_end, is_word.start())
    return None


def _bare_role(title):
    """True when `title` is a position alone ('Chủ tịch'), with no organisation."""
    words = canon_words(title)
    role = ROLE_PHRASES.at(words, 0)
    return bool(role) and len(role) == len(words)


def _label_before(line, start):
    """The organisation a list line is about, written before the name: 'Hội Liên hiệp Phụ
    nữ phường' in 'Hội Liên hiệp Phụ nữ phường: Chủ tịch – bà X', or None."""
    label = None
    for match in LABEL_RE.finditer(line, 0, start):
        text = " ".join(match.group("label").split())
        if ORGANISATION_PHRASES.at(canon_words(text), 0):
            label = text
    return label


def suggest(files, registry):
    """[Suggestion] for (path, text) Markdown files, most mentioned first."""
    index = NameIndex(registry)
    found = {}
    for path, raw_text in files:
        text = nfc(raw_text)
        day = _day(text)
        for number, raw_line in _body_lines(text):
            line = re.sub(r"!\[|\]\([^)]*?(?:\"|\))|[*_`#>\[\]]", " ", raw_line)
            if _mostly_upper(line):
                continue
            folded = fold(line)
            previous_end = 0
            # Registered people are known, unless the title beside the name is another
            # person's ('conflict') or the name is part of a longer one.
            known = [
                (m.start, m.end)
                for m in find_mentions(line, index, None)
                if m.status not in ("conflict", "longer-name")
            ]
            for start, end in _names_in(line, known):
                name = " ".join(line[start:end].split())
                if fold_name(name) in HISTORY or PLACE_RE.search(
                    folded[max(0, start - 20) : start]
                ):
                    continue  # history, or a street or school named after someone
                prefix = HONORIFIC_RE.search(folded[max(0, start - 30) : start])
                titles = titles_after(line, folded, end, len(line))
                before = _title_before(line, folded, previous_end, start)
                previous_end = end
                if before:
                    titles.insert(0, before)
                if any(_bare_role(t) for t in titles):
                    label = _label_before(line, start)
                    if label:
                        titles = [f"{t} {label}" if _bare_role(t) else t for t in titles]
                if not (prefix or titles) or _is_credit(line, folded, start):
                    continue
                key = fold_name(name) + "|" + "".join(canon_words(name))
                entry = found.setdefault(key, Suggestion(name))
                # 'Ông'/'Bà' alone also name residents: someone is listed once a title,
                # 'đồng chí', 'Đ/c' or a rank stands beside one of their mentions.
                strong = prefix and fold(prefix.group("prefix")) not in PLAIN_PREFIXES
                entry.official = entry.official or bool(strong or titles)
                entry.count += 1
                entry.places.append(f"{path}:{number}")
                entry.spellings[name] += 1
                for title in titles:
                    entry.titles[" ".join(title.split())] += 1
                if day and (entry.first_date is None or day < entry.first_date):
                    entry.first_date = day
    out = [entry for entry in found.values() if entry.official]
    for entry in out:
        entry.name = entry.spellings.most_common(1)[0][0]
    out.sort(key=lambda s: (-s.count, s.name))
    return out


def make_id(name, taken):
    base = re.sub(r"[^a-z0-9]+", "-", unidecode(name).lower()).strip("-") or "can-bo"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _yaml_text(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(suggestions, registry_path, taken=()):
    """The report: YAML stubs with comments, in Vietnamese."""
    taken = set(taken)
    if not suggestions:
        return f"# Không thấy cán bộ nào được nhắc đến mà chưa có trong {registry_path}.\n"
    lines = [
        f"# {len(suggestions)} người được nhắc đến (có danh xưng hoặc chức vụ) nhưng chưa có "
        f"trong {registry_path}.",
        "# Kiểm tra từng người, sửa chức vụ và ngày bắt đầu cho đúng, rồi chép vào danh sách.",
        "",
    ]
    for s in suggestions:
        title = s.titles.most_common(1)[0][0] if s.titles else None
        written = "; ".join(t for t, _ in s.titles.most_common()) or "(không ghi chức vụ)"
        lines.append(f"# {s.name}: {s.count} lần; chức vụ ghi trong bài: {written}")
        lines.extend(f"#   {place}" for place in s.places)
        lines.append(f"- id: {make_id(s.name, taken)}")
        lines.append(f"  name: {_yaml_text(unicodedata.normalize('NFC', s.name))}")
        lines.append("  positions:")
        lines.append(f"    - title: {_yaml_text(title or 'CHỨC VỤ (điền vào)')}")
        if s.first_date:
            lines.append(
                f"      from: {s.first_date}  # ngày của bài đầu tiên nhắc đến; hãy sửa cho đúng"
            )
        else:
            # No made-up date: left empty, the registry refuses the stub until it is filled.
            lines.append(
                "      from:   # chưa rõ ngày: các bài nhắc đến không có dòng Date; "
                "hãy điền ngày bắt đầu (YYYY-MM-DD)"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    registry_file = None
    if "--registry" in args:
        i = args.index("--registry")
        registry_file = args[i + 1]
        del args[i : i + 2]
    content = Path(args[0] if args else "content")
    registry_path = Path(registry_file) if registry_file else content / "data" / "officials.yml"
    try:
        registry = load_registry(registry_path) if registry_path.exists() else Registry()
    except RegistryError as e:
        print(e, file=sys.stderr)
        return 1
    files = []
    for path in sorted(content.rglob("*.md")):
        try:
            files.append((str(path), path.read_text(encoding="utf-8-sig")))
        except UnicodeDecodeError:
            print(f"{path}:1: tệp không được lưu dạng UTF-8; bỏ qua.", file=sys.stderr)
    suggestions = suggest(files, registry)
    print(render(suggestions, registry_path, taken={o.id for o in registry}), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
