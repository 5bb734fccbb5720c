"""sitemap.xml and robots.txt, written from the finished output folder.

Every HTML page of the output is listed, except the ones robots must not index (404,
drafts, pages marked `<meta name="robots" content="noindex">`). An article's `lastmod` is
its `article:modified_time`. robots.txt points at the sitemap and keeps robots out of
the drafts folder.
"""

import logging
from pathlib import Path

from pelican import signals

from .logic import parse_settings, robots_txt, scan_output, sitemap_xml

logger = logging.getLogger(__name__)


def write_files(pelican):
    options = parse_settings(pelican.settings)
    output = Path(pelican.settings["OUTPUT_PATH"])
    entries = scan_output(output, options["exclude"])
    site_url = pelican.settings.get("SITEURL", "")
    (output / "sitemap.xml").write_text(sitemap_xml(site_url, entries), encoding="utf-8")
    (output / "robots.txt").write_text(robots_txt(site_url, options["disallow"]), encoding="utf-8")
    for name in ("sitemap.xml", "robots.txt"):  # for the publish manifest
        signals.content_written.send(str(output / name), context={"OUTPUT_PATH": str(output)})
    logger.info("sitemap.xml: %d trang", len(entries))


def register():
    signals.finalized.connect(write_files)
