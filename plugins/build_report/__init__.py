"""Collects every warning and error of a build and sums them up at the end.

With BUILD_REPORT = {"fail": True} (publishconf.py) a build with any warning or error ends
with exit status 1 after the summary, so `make publish` (and `make publish deploy`) stops.
Unlike Pelican's `--fatal warnings`, which stops at the first problem with a traceback,
staff see every problem of the build at once, each naming its file.
"""

import logging

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {"fail": False}


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


def summary(records):
    """The Vietnamese summary of the collected records (pure)."""
    errors = sum(r.levelno >= logging.ERROR for r in records)
    warnings = len(records) - errors
    lines = [f"Bản dựng có {errors} lỗi và {warnings} cảnh báo:"]
    for record in records:
        message = record.getMessage().splitlines()
        kind = "LỖI" if record.levelno >= logging.ERROR else "CẢNH BÁO"
        lines.append(f"  - {kind}: {message[0]}")
        lines.extend(f"    {line}" for line in message[1:])
    return "\n".join(lines)


def start(pelican):
    parse_settings(pelican.settings)
    COLLECTOR.records.clear()
    logging.getLogger().addHandler(COLLECTOR)


def finish(pelican):
    logging.getLogger().removeHandler(COLLECTOR)
    records = list(COLLECTOR.records)
    if not records:
        return
    logger.warning("%s", summary(records))
    if parse_settings(pelican.settings)["fail"]:
        logger.error(
            "Chưa xuất bản được: hãy sửa các lỗi trên (mỗi dòng ghi tên tệp và số dòng) "
            "rồi chạy lại lệnh."
        )
        raise SystemExit(1)


def register():
    signals.initialized.connect(start)
    signals.finalized.connect(finish)
