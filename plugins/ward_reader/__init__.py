"""The Markdown reader of the ward site: NFC text and checked metadata.

Replaces Pelican's Markdown reader with one that
- normalises the whole file (metadata included) to Unicode NFC before anything reads it;
- checks the metadata header line by line and stops on a mistake with a Vietnamese message
  that names the file and the line and says how to fix it.
"""

from pelican import signals

from .reader import WardMarkdownReader
from .settings import parse_settings


def add_reader(readers):
    readers.settings["WARD_READER"] = parse_settings(readers.settings)
    for ext in WardMarkdownReader.file_extensions:
        readers.reader_classes[ext] = WardMarkdownReader


def register():
    signals.readers_init.connect(add_reader)
