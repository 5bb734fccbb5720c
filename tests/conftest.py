"""Shared test helpers: building a site in-process into a temporary folder."""

import fcntl
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from selectolax.lexbor import LexborHTMLParser as HTMLParser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


MANIFEST = ".publish-manifest.json"  # holds the build time: trees are compared without it


def tree(folder):
    """Every file of a built folder (posix path -> bytes), the publish manifest left out."""
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


def build_site(content, output, settings_file="pelicanconf.py", **override):
    """Build `content` with the project's settings (plus `override`) into `output`."""
    settings = read_settings(
        str(ROOT / settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "CACHE_PATH": str(Path(output).parent / "cache"),
            **override,
        },
    )
    keep_state_out_of_the_repo(settings, Path(content), Path(output), override)
    Pelican(settings).run()
    return Path(output)


# Processed photos of fixtures built in place, shared by the tests of a session (outside
# the repository: tests write only into temporary folders).
PHOTO_CACHE = Path(tempfile.gettempdir()) / f"ward-tests-photos-{os.getuid()}"


def keep_state_out_of_the_repo(settings, content, output, override):
    """A fixture built in place (content under tests/) would keep the plugins' state beside
    it, inside the repository (var/build, var/officials, var/photos): put it in the test's
    own folder instead, and photos in a cache shared by the session."""
    if not content.resolve().is_relative_to(ROOT / "tests"):
        return
    state = output.parent / "var"
    paths = {
        "INCREMENTAL": ("state_dir", state / "build"),
        "OFFICIALS": ("cache", state / "officials" / "tags.json"),
        "PHOTOS": (
            "cache_dir",
            PHOTO_CACHE / content.resolve().relative_to(ROOT).as_posix().replace("/", "-"),
        ),
    }
    for name, (key, path) in paths.items():
        if key not in override.get(name, {}):
            settings[name] = {**settings.get(name, {}), key: str(path)}


def parse(path):
    return HTMLParser(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def site_builder(tmp_path, caplog):
    """Returns build(content_dir, **override) -> output dir; log records in caplog."""
    caplog.set_level(logging.INFO)

    def build(content, settings_file="pelicanconf.py", **override):
        out = tmp_path / "output"
        if out.exists():
            shutil.rmtree(out)
        return build_site(content, out, settings_file, **override)

    return build


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of a fixture content folder: content_copy('name') -> Path."""

    def copy(name):
        dest = tmp_path / "content"
        shutil.copytree(FIXTURES / name, dest)
        return dest

    return copy


# The slowest modules first: `make test` runs two pytest-xdist workers, each module on one
# of them (--dist loadfile) in the order collected; a long module started last would leave
# the other worker idle at the end. Within a module the order is kept.
SLOW_FIRST = ("test_incremental.py", "test_phone.py", "test_deploy_server.py", "test_search.py",
              "test_theme_browser.py", "test_photos.py")  # fmt: skip


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


# The day the browser tests' sample site is built for: the work calendar's week 49 has
# entries, whatever the day the tests run.
BUILD_DAY = date(2026, 12, 1)


def build_theme_site(folder):
    """The browser tests' site: the sample content plus the theme fixture's articles
    (attachments, pinned announcements, tags), small pages so every list paginates, and
    the search index."""
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    fixture = FIXTURES / "theme"
    shutil.copytree(fixture / "bai-viet", content / "bai-viet" / "kiem-thu-giao-dien")
    for name in ("images", "files"):
        shutil.copytree(fixture / name, content / name, dirs_exist_ok=True)
    out = folder / "output"
    build_site(
        content,
        out,
        DEFAULT_PAGINATION=3,
        DEFAULT_ORPHANS=0,
        UNPUBLISHED={"write": False},
        WORK_CALENDAR={"today": BUILD_DAY},
    )
    search_index = [sys.executable, str(ROOT / "tools" / "search_index.py"), "--site", str(out)]
    subprocess.run(search_index, check=True)
    return out


@pytest.fixture(scope="session")
def theme_site(tmp_path_factory):
    """Built once per run and read by every browser test module (no test writes into it).
    Under pytest-xdist the workers share one build: the first to come builds it into the
    run's own temporary folder, under a lock, the others wait for it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_theme_site(tmp_path_factory.mktemp("theme-site"))
    shared = tmp_path_factory.getbasetemp().parent / "theme-site"
    with open(f"{shared}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "done").exists():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            build_theme_site(shared)
            (shared / "done").touch()
    return shared / "output"
