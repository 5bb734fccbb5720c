"""The variant cache under var/ and putting its files into output/ (no Pelican).

Layout: <cache_dir>/files/<sha[:2]>/<sha>/<variant key>.<ext> holds every variant ever made
for a source whose content hash is <sha>; <cache_dir>/index.json remembers, per source
file, (size, mtime) -> (hash, format, oriented size, alpha) so an unchanged photo is neither
hashed nor opened again. Output files are hard links to the cache files (copies where a
link is impossible), so a rebuild after `make clean` or `make publish` costs a link each.
"""

import contextlib
import json
import logging
import os
import shutil

from .plan import EXTENSIONS, Source
from .process import file_sha256, probe

logger = logging.getLogger(__name__)

INDEX_VERSION = 1


class Cache:
    def __init__(self, root, max_pixels):
        self.root = os.path.abspath(root)
        self.files = os.path.join(self.root, "files")
        self.index_path = os.path.join(self.root, "index.json")
        self.max_pixels = max_pixels
        self.index = {}
        self.dirty = False
        self.probes = 0  # sources opened this run (for tests and the benchmark)
        self._listed = {}
        try:
            with open(self.index_path, encoding="utf-8") as f:
                data = json.load(f)
            if data.get("version") == INDEX_VERSION:
                self.index = data["sources"]
        except (OSError, ValueError, KeyError, TypeError):
            self.index = {}

    def source(self, path, relpath):
        """The probed Source of a file; raises process.PhotoError for a bad one."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            from .process import PhotoError

            raise PhotoError("missing") from None
        entry = self.index.get(path)
        if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
            _, _, sha, _fmt, w, h, alpha = entry
        else:
            fmt, w, h, alpha = probe(path, self.max_pixels)
            sha = file_sha256(path)
            self.index[path] = [st.st_size, st.st_mtime_ns, sha, fmt, w, h, alpha]
            self.dirty = True
            self.probes += 1
        return Source(relpath, sha, w, h, alpha)

    def probed(self, path):
        """(format, oriented width, oriented height) of a source already probed, or None."""
        entry = self.index.get(path)
        return (entry[3], entry[4], entry[5]) if entry else None

    def forget(self, path):
        if self.index.pop(path, None) is not None:
            self.dirty = True

    def path_of(self, sha, variant):
        return os.path.join(self.files, sha[:2], sha, f"{variant.key}.{EXTENSIONS[variant.fmt]}")

    def has(self, sha, variant):
        return os.path.exists(self.path_of(sha, variant))

    def listing(self, sha):
        """{file name: inode} of the cached files of one source: one directory read tells
        which variants exist and lets output/ files be checked by inode. Kept for the run
        (files made later in the run are not in it)."""
        listed = self._listed.get(sha)
        if listed is None:
            try:
                with os.scandir(os.path.join(self.files, sha[:2], sha)) as it:
                    listed = {e.name: e.inode() for e in it}
            except FileNotFoundError:
                listed = {}
            self._listed[sha] = listed
        return listed

    def save_index(self):
        if not self.dirty:
            return
        os.makedirs(self.root, exist_ok=True)
        tmp = self.index_path + ".part"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"version": INDEX_VERSION, "sources": self.index}, f)
        os.replace(tmp, self.index_path)
        self.dirty = False

    def prune(self, keep):
        """Delete cached variants not in `keep` (a set of (sha, key)) and index entries of
        files that are gone. Returns the number of files removed."""
        removed = 0
        if os.path.isdir(self.files):
            for prefix in os.scandir(self.files):
                if not prefix.is_dir():
                    continue
                for src in os.scandir(prefix.path):
                    if not src.is_dir():
                        continue
                    names = self._listed.get(src.name)
                    if names is None:
                        names = os.listdir(src.path)
                    left = 0
                    for name in names:
                        key = name.split(".", 1)[0]
                        if (src.name, key) in keep and not name.endswith(".part"):
                            left += 1
                            continue
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(os.path.join(src.path, name))
                        removed += 1
                    if not left:
                        with contextlib.suppress(OSError):  # not empty: made this run
                            os.rmdir(src.path)
                with contextlib.suppress(OSError):
                    os.rmdir(prefix.path)
        self._listed.clear()
        for path in [p for p in self.index if not os.path.exists(p)]:
            self.forget(path)
        return removed


def place(cache_file, dest, hardlink=True, made_dirs=None):
    """Put a cached file at `dest` in output/. Returns False when it is already there.
    `made_dirs`: folders the caller knows exist (skips a makedirs for each file)."""
    folder = os.path.dirname(dest)
    if made_dirs is None or folder not in made_dirs:
        os.makedirs(folder, exist_ok=True)
    if hardlink:
        try:
            os.link(cache_file, dest)
            return True
        except FileExistsError:
            if os.path.samefile(cache_file, dest):
                return False
            os.unlink(dest)
            try:
                os.link(cache_file, dest)
                return True
            except OSError:
                pass
        except OSError:
            pass  # another file system, or links not allowed: copy
    elif os.path.exists(dest):
        os.unlink(dest)
    shutil.copyfile(cache_file, dest)
    return True
