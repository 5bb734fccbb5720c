"""Finding the line of a Markdown file that a mention or a metadata key is on."""

from .fold import fold, fold_name, nfc


def mention_line(source_text, name, occurrence=0):
    """The line (from 1) of the `occurrence`-th time `name` is written in the file, tone
    placement, case and Unicode form aside; the first one, or 1, when it is not found."""
    key = fold_name(name)
    seen = 0
    first = None
    for number, line in enumerate(nfc(source_text).split("\n"), start=1):
        folded = " ".join(fold(line).split())
        count = folded.count(key)
        if count and first is None:
            first = number
        if seen + count > occurrence:
            return number
        seen += count
    return first or 1


def header_line(source_text, key):
    """The line of `Key:` in the metadata header, or 1."""
    wanted = key.lower() + ":"
    for number, line in enumerate(source_text.split("\n"), start=1):
        if not line.strip():
            break
        if line.strip().lower().startswith(wanted):
            return number
    return 1
