"""views.json and the most-read lists: pure functions shared by the build and the CLI.

views.json (written into the output by the build, refreshed by `make stats-upload`):

    {"version": 1, "as_of": "2026-11-28",          # newest day with data, or null
     "articles": {"/tin-hoat-dong/slug/": {"id": "bai-viet/2026/x.md", "views": 12,
                                            "listed": true}, ...},
     "most_read": {"7d": [["/tin-hoat-dong/slug/", 5], ...], "30d": [...], "all": [...]}}

Keys are the articles' paths from the site root, as a browser's location.pathname shows
them; the import reads the same file to know which paths are articles. Each most-read list
holds SPARE more than the `count` a box shows: a box that leaves some articles out (the
home page leaves out the pinned announcements and the featured story) stays full when the
page's script refreshes it.
"""

import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .logparse import fold_path

VERSION = 1
SPARE = 10


def site_path(siteurl, url):
    """`/base/tin-hoat-dong/slug/` for an article URL under SITEURL's path."""
    base = urlsplit(siteurl or "").path.rstrip("/")
    return f"{base}/{url.lstrip('/')}"


def rank(totals, candidates, count):
    """The `count` most-read of `candidates` (ids in tie-break order: newest first)."""
    order = {article_id: position for position, article_id in enumerate(candidates)}
    chosen = [(article_id, totals[article_id]) for article_id in order if totals.get(article_id)]
    chosen.sort(key=lambda item: (-item[1], order[item[0]]))
    return chosen[:count]


def window_names(windows):
    return [f"{days}d" for days in windows] + ["all"]


def payload(entries, window_totals, as_of, count, windows):
    """views.json's content. `entries`: [(path, article_id, listed)], newest first."""
    totals = window_totals["all"]
    listed = [article_id for _, article_id, is_listed in entries if is_listed]
    path_of = {article_id: path for path, article_id, _ in entries}
    return {
        "version": VERSION,
        "as_of": as_of.isoformat() if as_of else None,
        "articles": {
            path: {"id": article_id, "views": totals.get(article_id, 0), "listed": is_listed}
            for path, article_id, is_listed in entries
        },
        "most_read": {
            name: [
                [path_of[article_id], views]
                for article_id, views in rank(window_totals.get(name, {}), listed, count + SPARE)
            ]
            for name in window_names(windows)
        },
    }


# path -> (data, stamp of the file) of the last write_json in this process: the preview
# builds views.json again on every save, and it rarely changes (at 10,000 articles, turning
# it into text and reading the file back took a twentieth of a second per build). The data
# is kept as given: payload() makes a new one each time and no one changes it after.
_LAST = {}


def _stamp(path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _same(old, new):
    """Equal, and in the same order (the file is compared byte for byte with a clean build's):
    the order of the top-level dicts' keys (articles, newest first); the ones inside them
    are always made in the same order."""
    return old == new and all(
        list(value) == list(old[key]) for key, value in new.items() if isinstance(value, dict)
    )


def write_json(path, data):
    """Atomically (a reader never sees half a file), and only when the bytes change (the
    file keeps its mtime, so rsync and the web server see it unchanged)."""
    path = Path(path)
    last = _LAST.get(str(path))
    if last is not None and _same(last[0], data) and last[1] == _stamp(path):
        return
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        if path.read_text(encoding="utf-8") == text:
            _LAST[str(path)] = (data, _stamp(path))
            return
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".views-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    Path(tmp).chmod(0o644)
    Path(tmp).replace(path)
    _LAST[str(path)] = (data, _stamp(path))


def read_entries(path):
    """[(path, article_id, listed)] from a views.json of a build; ValueError if unusable."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError("not a views.json of this version")
    articles = data["articles"]
    return [(p, a["id"], bool(a.get("listed", True))) for p, a in articles.items()]


def url_map(entries):
    """{folded path: article_id} for the import."""
    return {fold_path(p): article_id for p, article_id, _ in entries}
