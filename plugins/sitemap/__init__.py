"""sitemap.xml and robots.txt, written from the finished output folder.

Every HTML page of the output is listed, except the ones robots must not index (404,
drafts, pages marked `<meta name="robots" content="noindex">`). An article's `lastmod` is
its `article:modified_time`. robots.txt points at the sitemap and keeps robots out of
the drafts folder.
"""

import logging
import os
from pathlib import Path

from pelican import signals

from .logic import parse_settings, robots_txt, scan_output, sitemap_xml

logger = logging.getLogger(__name__)


# The HTML files this build wrote (Pelican's `content_written`), posix paths under output/.
_written = set()


def reset(pelican):
    _written.clear()


def record(path, context):
    output = context.get("OUTPUT_PATH") if context else None
    if output and path.endswith(".html"):
        prefix = os.path.join(os.path.abspath(output), "")
        if path.startswith(prefix):  # as Pelican gives it: no relpath for 3,000 files
            _written.add(path[len(prefix) :].replace(os.sep, "/"))
        else:
            _written.add(Path(os.path.relpath(path, output)).as_posix())


def write_files(pelican, now=False):
    """sitemap.xml and robots.txt from the pages this build wrote; with SITEMAP["write"]
    False, unless `now`, the files already there are only claimed."""
    options = parse_settings(pelican.settings)
    output = Path(pelican.settings["OUTPUT_PATH"])
    if not (options["write"] or now):
        for name in ("sitemap.xml", "robots.txt"):
            if (output / name).is_file():
                signals.content_written.send(
                    str(output / name), context={"OUTPUT_PATH": str(output)}
                )
        return
    entries = scan_output(output, options["exclude"], _written)
    site_url = pelican.settings.get("SITEURL", "")
    files = {
        "sitemap.xml": sitemap_xml(site_url, entries),
        "robots.txt": robots_txt(site_url, options["disallow"]),
    }
    for name, text in files.items():
        # Unchanged bytes are not written again: the file keeps its mtime for rsync.
        path = output / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        # for the publish manifest
        signals.content_written.send(str(path), context={"OUTPUT_PATH": str(output)})
    logger.info("sitemap.xml: %d trang", len(entries))


def register():
    signals.initialized.connect(reset)
    signals.content_written.connect(record)
    signals.finalized.connect(write_files)
