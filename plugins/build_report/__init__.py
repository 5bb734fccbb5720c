"""Collects every warning and error of a build and sums them up at the end.

With BUILD_REPORT = {"fail": True} (publishconf.py) a build with any warning or error ends
with exit status 1 after the summary, so `make publish` (and `make publish deploy`) stops.
Unlike Pelican's `--fatal warnings`, which stops at the first problem with a traceback,
staff see every problem of the build at once, each naming its file.

A plugin can also leave a note: something staff should know that is not wrong (a document's
author will be published with it). `note(logger, message, *args)` puts it in the summary
under GHI CHÚ, whatever the log level (Pelican shows no INFO without -v); notes never stop a
build.
"""

import logging
import sys

from pelican import signals
from pelican.log import LimitFilter

logger = logging.getLogger(__name__)

DEFAULTS = {"fail": False}


def is_note(record):
    return record.levelno < logging.WARNING and getattr(record, "note", False)


def parse_settings(settings):
    given = settings.get("BUILD_REPORT", {})
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"BUILD_REPORT: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    if not isinstance(out["fail"], bool):
        raise ValueError("BUILD_REPORT['fail'] must be True or False")
    return out


class Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


COLLECTOR = Collector()


def note(log, message, *args):
    """Log `message` at INFO and list it in the summary as a note (GHI CHÚ)."""
    log.info(message, *args)
    record = log.makeRecord(log.name, logging.INFO, "", 0, message, args, None)
    record.note = True
    COLLECTOR.emit(record)


# Pelican's plain log mode (`--log-handler plain`, what the Makefile uses) leaves the root
# logger without handlers and relies on logging's last-resort handler, which logging stops
# using as soon as any handler (the collector) is attached. This one takes its place.
PLAIN = logging.StreamHandler()
PLAIN.setLevel(logging.WARNING)


class PelicanLines(logging.Filter):
    """One message per mistake: Pelican's own English lines about a content file are
    dropped where a plugin of the project has reported the same mistake in Vietnamese with
    its file and line (an exception marked `reported`, an image without a description, a
    link to a missing file), and the one left is said in Vietnamese."""

    DROPPED = ("Empty alt attribute for image", "Unable to find '")

    def filter(self, record):
        if record.msg == "Could not process %s":
            error = sys.exc_info()[1]
            if getattr(error, "reported", False):
                return False
            record.msg = (
                "%s: không đọc được tệp (%s). Hãy xem lại tệp; nếu không thấy gì sai, gửi "
                "dòng này cho người quản trị trang."
            )
            record.args = (*record.args[:1], error)
            return True
        return not str(record.msg).startswith(self.DROPPED)


PELICAN_LINES = PelicanLines()
PELICAN_LOGGERS = ("pelican.generators", "pelican.readers", "pelican.contents")


def summary(records):
    """The Vietnamese summary of the collected records (pure)."""
    errors = sum(r.levelno >= logging.ERROR for r in records)
    notes = sum(is_note(r) for r in records)
    warnings = len(records) - errors - notes
    head = f"Bản dựng có {errors} lỗi và {warnings} cảnh báo"
    lines = [f"{head}, {notes} ghi chú:" if notes else f"{head}:"]
    for record in records:
        message = record.getMessage().splitlines()
        if record.levelno >= logging.ERROR:
            kind = "LỖI"
        else:
            kind = "GHI CHÚ" if is_note(record) else "CẢNH BÁO"
        lines.append(f"  - {kind}: {message[0]}")
        lines.extend(f"    {line}" for line in message[1:])
    return "\n".join(lines)


def start(pelican):
    parse_settings(pelican.settings)
    COLLECTOR.records.clear()
    # Pelican shows a warning once per process (LimitFilter); a process that builds again
    # (the preview) must show every problem of every build.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(PLAIN)
    root.addHandler(COLLECTOR)
    for name in PELICAN_LOGGERS:
        logging.getLogger(name).addFilter(PELICAN_LINES)


def finish(pelican):
    root = logging.getLogger()
    root.removeHandler(COLLECTOR)
    records = list(COLLECTOR.records)
    if not records:
        return
    logger.warning("%s", summary(records))
    if parse_settings(pelican.settings)["fail"] and not all(map(is_note, records)):
        logger.error(
            "Chưa xuất bản được: hãy sửa các lỗi trên (mỗi dòng ghi tên tệp và số dòng) "
            "rồi chạy lại lệnh."
        )
        raise SystemExit(1)


def register():
    signals.initialized.connect(start)
    signals.finalized.connect(finish)
