"""Shared test helpers: building a site in-process into a temporary folder."""

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from selectolax.lexbor import LexborHTMLParser as HTMLParser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


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
