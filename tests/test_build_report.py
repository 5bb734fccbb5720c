"""build_report: the summary of a build's problems, and which of them stop `make publish`."""

import logging

import pytest

import build_report


def record(level, message, note=False):
    rec = logging.LogRecord("x", level, __file__, 1, message, None, None)
    if note:
        rec.note = True
    return rec


@pytest.mark.parametrize(
    ("records", "head", "kinds"),
    [
        ([record(logging.ERROR, "a.md:3: sai")], "Bản dựng có 1 lỗi và 0 cảnh báo:", ["LỖI"]),
        (
            [record(logging.WARNING, "a.md:1: lạ"), record(logging.INFO, "b.pdf: tác giả", True)],
            "Bản dựng có 0 lỗi và 1 cảnh báo, 1 ghi chú:",
            ["CẢNH BÁO", "GHI CHÚ"],
        ),
    ],
    ids=["error", "warning-and-note"],
)
def test_summary(records, head, kinds):
    lines = build_report.summary(records).splitlines()
    assert lines[0] == head
    assert [line.split(":")[0].strip(" -") for line in lines[1:]] == kinds


class FakePelican:
    def __init__(self, fail):
        self.settings = {"BUILD_REPORT": {"fail": fail}}


@pytest.mark.parametrize(("note_only", "stops"), [(True, False), (False, True)])
def test_only_problems_stop_a_publish(note_only, stops):
    pelican = FakePelican(fail=True)
    build_report.start(pelican)
    log = logging.getLogger("portal.files")
    log.setLevel(logging.WARNING)  # as in `make publish`: no INFO shown
    try:
        build_report.note(log, "tệp còn tên %s", "tác giả")
        assert [r.getMessage() for r in build_report.COLLECTOR.records] == ["tệp còn tên tác giả"]
        if not note_only:
            log.warning("ảnh còn GPS")
    finally:
        if stops:
            with pytest.raises(SystemExit):
                build_report.finish(pelican)
        else:
            build_report.finish(pelican)
        log.setLevel(logging.NOTSET)
