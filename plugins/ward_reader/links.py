"""Symbolic links in the content folder: the ones that must not be followed.

Pelican walks content/ following every link (os.walk(followlinks=True)), so a link to a
folder outside content/ brings that folder into the site, and a link to a folder that
contains it (`ln -s .. content/files/x`) makes the walk go round until the system gives
up. This walk finds both without following them; the caller reports each link and keeps
Pelican out of it. Links that stay inside content/ are fine and are followed.
"""

import errno
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class BadLink:
    path: str  # the link, as Pelican's walk reaches it (content root joined with names)
    kind: str  # "outside" | "loop"
    target: str  # where it points (resolved)
    is_dir: bool


def inside(path, root):
    """Whether the resolved `path` is `root` itself or under it (both already resolved)."""
    return os.path.commonpath([path, root]) == root


def scan(content_root):
    """Every link under `content_root` that leaves it or closes a loop, in walk order.

    The walk follows good links to folders like Pelican does, remembering the resolved
    folders above the current one: a link back to one of them is a loop and is not entered.
    """
    root = os.path.realpath(content_root)
    found = []

    def walk(folder, above):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            link = entry.is_symlink()
            if not link and not entry.is_dir(follow_symlinks=False):
                continue  # a plain file: nothing to resolve (most of content/)
            real = os.path.realpath(entry.path)
            if link:
                if not inside(real, root):
                    found.append(BadLink(entry.path, "outside", real, os.path.isdir(real)))
                    continue
                try:
                    os.stat(entry.path)
                except OSError as exc:  # ELOOP: links pointing at each other
                    if exc.errno == errno.ELOOP:
                        found.append(BadLink(entry.path, "loop", real, True))
                    continue
            if not entry.is_dir():
                continue
            if real in above:
                found.append(BadLink(entry.path, "loop", real, True))
                continue
            walk(entry.path, above | {real})

    walk(content_root, frozenset({root}))
    return found
