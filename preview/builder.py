"""Builds of the preview, one after the other in this process, each redoing only what changed.

The first build reads everything; after it, the incremental plugin keeps every article and
page as read (`keep_content`) and the digest of every page's inputs, so a build after one
saved article reads that file again and renders only the pages that show it. A change to a
template, `theme/labels.yml`, the settings or `content/data/` (the officials registry) drops
what was kept and renders everything (still writing only the files whose bytes change).
"""

import logging
import os
import time
from dataclasses import dataclass, field

from pelican import Pelican
from pelican.settings import read_settings

logger = logging.getLogger(__name__)


@dataclass
class Result:
    number: int
    seconds: float
    full: bool
    problems: list = field(default_factory=list)  # (level name, message) of this build


class Problems(logging.Handler):
    """The warnings and errors of one build, for the preview's error page."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.found = []

    def emit(self, record):
        # build_report's summary repeats the others; Pelican's own "Could not process" follows
        # the reader's message that names the file, the line and the fix.
        if record.name == "build_report" or record.msg == "Could not process %s":
            return
        self.found.append((record.levelname, record.getMessage()))


class Builder:
    def __init__(self, settings_file, content, output, extra=None):
        self.extra = extra or {}  # more settings (tests share a photo cache through it)
        self.settings_file = settings_file
        self.content = content
        self.output = output
        self.number = 0
        self.last = None

    def settings(self):
        return read_settings(
            self.settings_file,
            override={
                "PATH": self.content,
                "OUTPUT_PATH": self.output,
                "INCREMENTAL": {"state_dir": None, "keep_content": True, "clean": True},
                **self.extra,
            },
        )

    def build(self, full=False):
        """One build; never raises for a problem of the site (it is in Result.problems)."""
        from incremental.state import forget

        if full:
            forget(os.path.abspath(self.output))
        self.number += 1
        problems = Problems()
        root_logger = logging.getLogger()
        root_logger.addHandler(problems)
        started = time.perf_counter()
        try:
            Pelican(self.settings()).run()
        except (Exception, SystemExit) as error:  # a broken template or setting, a bug
            logger.exception("Bản xem thử không dựng được")
            problems.found.append(("ERROR", f"Không dựng được bản xem thử: {error}"))
        finally:
            root_logger.removeHandler(problems)
        self.last = Result(self.number, time.perf_counter() - started, full, problems.found)
        return self.last
