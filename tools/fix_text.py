"""`make fix [FILE=…]`: convert text typed with legacy Vietnamese encodings to Unicode.

    python tools/fix_text.py [PATHS...] [--content content]

Each Markdown file given (or, with none, every .md file under the content folder; a folder
given stands for its .md files) is read as bytes. A file that is not UTF-8 is decoded as
TCVN3, VNI or Windows-1258, whichever reads as Vietnamese (ward_reader.legacy); a UTF-8 file
has each line typed in a legacy encoding converted (the others are left as they are); both
end up in Unicode NFC with \\n line endings. A file that changed is first copied to
`<name>.md.bak` (`.bak2`, `.bak3`… when a backup is already there: none is overwritten).
The report, in Vietnamese, names each file, each line changed with its encoding and short
before → after excerpts, then the totals. Exit status 0, or 2 when a path does not exist.
"""

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from ward_reader.legacy import LABELS, decode_legacy_bytes, excerpts, fix_text  # noqa: E402


def shown(path):
    """The path as the staff typed it, relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def backup_path(path):
    """`<name>.bak`, or `.bak2`, `.bak3`… : the first that does not exist yet."""
    candidate, number = path.with_name(f"{path.name}.bak"), 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.bak{number}")
    return candidate


def unix_lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def convert_file(raw):
    """(new text or None when nothing changes, [(line, kind, before, after)], kind of a
    file that is not UTF-8 or None)."""
    try:
        text = unix_lines(raw.decode("utf-8"))
    except UnicodeDecodeError:
        text, kind = decode_legacy_bytes(raw)
        text = unix_lines(text)
        # What an editor shows of the file: its bytes read as Windows-1252.
        before = unix_lines(raw.decode("cp1252", errors="replace")).split("\n")
        pairs = zip(before, text.split("\n"), strict=True)
        changes = [
            (number, kind, *excerpts(old, new))
            for number, (old, new) in enumerate(pairs, start=1)
            if old != new
        ]
        return text, changes, kind
    fixed, changes = fix_text(text)
    fixed = unicodedata.normalize("NFC", fixed)
    return (fixed if fixed != text else None), changes, None


def fix_file(path):
    """Convert one file in place (after a backup); returns the number of lines changed."""
    raw = path.read_bytes()
    new, changes, kind = convert_file(raw)
    if new is None:
        print(f"{shown(path)}: không có gì cần sửa")
        return 0
    backup = backup_path(path)
    backup.write_bytes(raw)
    path.write_text(new, encoding="utf-8", newline="\n")
    if kind:
        print(
            f"{shown(path)}: tệp không phải UTF-8, đã đọc theo bảng mã {LABELS[kind]} "
            f"và lưu lại bằng Unicode (bản sao lưu: {shown(backup)})"
        )
    else:
        print(f"{shown(path)}: đã sửa {len(changes)} dòng (bản sao lưu: {shown(backup)})")
    for line, line_kind, before, after in changes:
        print(f"  dòng {line}, {LABELS[line_kind]}: {before} → {after}")
    return max(len(changes), 1)


def markdown_files(paths, content):
    """The .md files to fix, or the first path that does not exist."""
    files = []
    for path in paths or [content]:
        if path.is_dir():
            files += sorted(path.rglob("*.md"))
        elif path.is_file():
            files.append(path)
        else:
            return None, path
    return files, None


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python tools/fix_text.py",
        description="Chuyển chữ gõ bằng bảng mã cũ (TCVN3, VNI, Windows-1258) sang Unicode.",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="tệp .md hay thư mục cần sửa")
    parser.add_argument(
        "--content", type=Path, default=ROOT / "content", help="thư mục bài viết (mặc định)"
    )
    args = parser.parse_args(argv)
    files, missing = markdown_files(args.paths, args.content)
    if missing is not None:
        print(
            f"Không tìm thấy tệp hay thư mục '{missing}'. Hãy kiểm tra lại đường dẫn.",
            file=sys.stderr,
        )
        return 2
    lines = fixed = 0
    for path in files:
        changed = fix_file(path)
        lines += changed
        fixed += bool(changed)
    if fixed:
        print(f"Tổng cộng: đã sửa {lines} dòng trong {fixed}/{len(files)} tệp.")
    else:
        print(f"Tổng cộng: không có gì cần sửa trong {len(files)} tệp.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
