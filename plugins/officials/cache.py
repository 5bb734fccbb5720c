"""Tags of unchanged articles, kept between builds (var/officials/tags.json), with no
knowledge of Pelican.

An article is tagged again only when something its tagging reads has changed: its HTML,
summary, Officials/Speaker metadata or date (the entry's key), or the registry, the
OFFICIALS settings or this plugin's code (the file's `salt`: any change there starts an
empty cache). An article whose tagging reported a problem is never kept, so every build
reports it again with its file and line. A file that cannot be read is treated as empty.
"""

import hashlib
import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

VERSION = 1
CODE = Path(__file__).resolve().parent
# path -> (salt, the file's stamp, its entries): what this process last read or wrote
# there. The preview builds many times a second apart; the file is parsed again only when
# something else wrote it.
_KNOWN = {}


def _stamp(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def salt(registry_path, options):
    """What every entry depends on besides its own article."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{VERSION}\0".encode())
    try:
        digest.update(Path(registry_path).read_bytes())
    except OSError:
        digest.update(b"no registry")
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for source in sorted(CODE.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def article_key(*parts):
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class TagCache:
    """{article key: entry} read at build start and written back (only the entries this
    build used, so it never grows past the site) when the build changed it."""

    def __init__(self, path, salt):
        self.path = path
        self.salt = salt
        self.old = {}
        self.used = {}
        self.hits = 0
        known = _KNOWN.get(path)
        if known is not None and known[0] == salt and known[1] == _stamp(path):
            self.old = known[2]
            return
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            if data.get("version") == VERSION and data.get("salt") == salt:
                self.old = data["entries"]
                _KNOWN[path] = (salt, _stamp(path), self.old)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            logger.debug("officials: cache %s unreadable (%s), starting empty", path, error)

    def get(self, key):
        entry = self.old.get(key)
        if entry is not None:
            self.used[key] = entry
            self.hits += 1
        return entry

    def keep(self, key, entry):
        """An entry still used (its article kept as read, or tagged by another process),
        not counted as a hit."""
        self.used[key] = self.old.get(key, entry)

    def put(self, key, entry):
        self.used[key] = entry

    def save(self):
        if self.used.keys() == self.old.keys():
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        data = {"version": VERSION, "salt": self.salt, "entries": self.used}
        temporary = f"{self.path}.{os.getpid()}.tmp"
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # the C encoder
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, self.path)
        _KNOWN[self.path] = (self.salt, _stamp(self.path), self.used)
