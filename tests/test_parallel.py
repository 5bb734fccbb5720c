"""A build on several processes (plugins/incremental/parallel.py) writes exactly what a build
on one writes, and says the same things to staff in the same order.

Workers are forked only from a process without other threads, so each build here runs in a
fresh Python process (a test runner has threads of its own). The corpus mixes what reading
leaves behind besides the article: an error on an article that is still built, an article
that cannot be read, notes (no summary, a future date), and a name written with both tone
placements in different files.
"""

import json
import os
import re
import subprocess
import sys
import time

import pytest
from conftest import ROOT, tree

from bench.make_corpus import main as make_corpus
from bench.preview_bench import set_meta

# Builds `content` into `output` with INCREMENTAL workers, and prints as JSON what staff are
# told (every warning, error and note, in order) and the build's own lines about workers.
BUILD = r"""
import json, logging, os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "plugins"))
from pelican import Pelican
from pelican.settings import read_settings
import build_report, incremental.parallel as parallel
content, output, workers, mode = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
if mode == "die":  # every worker dies: the reading one halfway, the rendering one at once
    read_part = parallel._read_part
    def dying_read(generator, files, how, results):
        read_part(generator, files[: len(files) // 2], how, results)
        os._exit(3)
    parallel._read_part = dying_read
    parallel._render_part = lambda state, paths, batches, results: os._exit(3)
    parallel._save_part = lambda state, settings, results: os._exit(3)
if mode == "nofork":  # no process to be had for saving the articles as read
    import incremental
    def no_fork(state, settings):
        raise BlockingIOError(11, "Resource temporarily unavailable")
    incremental.save_aside = no_fork
said = []
class Lines(logging.Handler):
    def emit(self, record):
        if record.name == "incremental.parallel":
            said.append(record.getMessage().split(":")[0])
logging.getLogger("incremental.parallel").addHandler(Lines())
logging.getLogger("incremental.parallel").setLevel(logging.INFO)
logging.getLogger().addHandler(logging.NullHandler())
settings = read_settings(os.path.join(sys.argv[1], "pelicanconf.py"), override={
    "PATH": content, "OUTPUT_PATH": output,
    "INCREMENTAL": {"workers": workers, "state_dir": output + "-state"}})
records = []
def keep(pelican):  # after build_report's summary, which leaves its records
    records.extend(build_report.COLLECTOR.records)
from pelican import signals
signals.finalized.connect(keep)
Pelican(settings).run()
print(json.dumps({"told": [r.getMessage() for r in records], "workers": said}))
"""


def build(content, output, workers, mode="ok"):
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same order of files in every process
    proc = subprocess.run(
        [sys.executable, "-c", BUILD, str(ROOT), str(content), str(output), str(workers), mode],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    content = make_corpus(tmp_path_factory.mktemp("parallel") / "content", 120)
    articles = sorted((content / "bai-viet").rglob("*.md"))
    for i, path in enumerate(articles[::9]):
        # Hòa in most files, Hoà in two: a note on each of those two, wherever it was read.
        name = "Hoà" if i in (3, 9) else "Hòa"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\nÔng Nguyễn Văn {name} dự buổi làm việc.\n")
    for path in articles[5::30]:
        set_meta(path, "Summary", None)  # a note: no summary
    for path in articles[17::40]:
        with open(path, "a", encoding="utf-8") as f:  # an error, the article still built
            f.write("\n![Ảnh hội nghị]({static}/images/khong-co.jpg)\n")
    set_meta(articles[77], "Date", "ngày mai")  # cannot be read
    set_meta(articles[101], "Date", "2099-01-01 08:00")  # a note: in the future
    return content


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    output = tmp_path_factory.mktemp("serial") / "out"
    return output, build(corpus, output, 1)


def test_a_build_on_two_processes_equals_a_build_on_one(corpus, serial, tmp_path):
    output, said = serial
    assert said["workers"] == []  # one process: no worker
    told = said["told"]
    assert any("khong-co.jpg" in m for m in told)
    assert any("bài chưa có tóm tắt" in m for m in told)
    assert sum("tên 'Hoà' ở đây" in m for m in told) == 2
    assert any("ngày đăng 01/01/2099" in m for m in told)

    # The officials' tag cache, made again by the build on two processes: it holds the
    # tags of the articles the worker read too.
    tags = corpus.parent / "var" / "officials" / "tags.json"
    serial_tags = json.loads(tags.read_text("utf-8"))["entries"]
    tags.unlink()
    parallel = build(corpus, tmp_path / "out", 2)
    assert json.loads(tags.read_text("utf-8"))["entries"] == serial_tags
    assert saved_articles(tmp_path / "out") == saved_articles(output)
    assert parallel["workers"][0] == "Đọc 120 tệp trên 2 tiến trình."
    assert "(mã thoát 0)" in parallel["workers"][1]
    assert _same_shape(parallel["workers"])
    assert parallel["told"] == told  # the same messages, in the same order
    assert tree(tmp_path / "out") == tree(output)


def saved_articles(output):
    """The sources of the articles as read that the build saved for the next one."""
    from incremental.state import FORMAT, _Unpickler

    (path,) = (output.parent / f"{output.name}-state").glob("contents-*.pickle")
    with open(path, "rb") as f:
        head = _Unpickler(f, {}).load()
        assert head["format"] == FORMAT
        return sorted(_Unpickler(f, {}).load()[0] for _ in range(head["count"]))


def _same_shape(lines):
    """The worker lines with their numbers (pids, counts, seconds) left out."""
    shapes = [re.sub(r"\d+(\.\d+)?", "N", line) for line in lines]
    return shapes == [
        "Đọc N tệp trên N tiến trình.",
        "Tiến trình đọc N (mã thoát N) đã đọc N tệp.",
        "Dựng N trang trên N tiến trình",
    ]


def test_workers_that_die_lose_nothing(corpus, serial, tmp_path):
    output, said = serial
    dying = build(corpus, tmp_path / "out", 2, mode="die")
    assert saved_articles(tmp_path / "out") == saved_articles(output)  # saved by the build
    assert dying["workers"][1].startswith("Tiến trình đọc")
    assert "(mã thoát 3)" in dying["workers"][1]
    assert dying["told"] == said["told"]
    assert tree(tmp_path / "out") == tree(output)


def test_articles_as_read_are_saved_by_the_build_when_no_process_is_to_be_had(
    corpus, serial, tmp_path
):
    output, said = serial
    built = build(corpus, tmp_path / "out", 2, mode="nofork")
    assert saved_articles(tmp_path / "out") == saved_articles(output)
    assert built["told"] == said["told"]
    assert tree(tmp_path / "out") == tree(output)


def test_each_batch_of_pages_is_taken_by_one_process_only(tmp_path):
    # Two forked workers and this process take batches from the same pipe: together they
    # take every batch, none twice. The workers pause between batches, so all take some.
    from incremental.parallel import _Batches

    count = 5000
    batches = _Batches(count)
    assert batches.size == 8  # 625 batches
    children = []
    for n in range(2):
        pid = os.fork()
        if pid == 0:
            try:
                with open(tmp_path / f"w{n}", "w") as f:
                    for batch in batches:
                        f.write(f"{batch.start}\n")
                        time.sleep(0.003)
            finally:
                os._exit(0)
        children.append(pid)
    mine = []
    for batch in batches:
        mine.append(batch.start)
        time.sleep(0.003)  # alone, 2 s for all: time enough for the workers to start
    batches.close()
    for pid in children:
        os.waitpid(pid, 0)
    theirs = [[int(x) for x in (tmp_path / f"w{n}").read_text().split()] for n in range(2)]
    assert mine and all(theirs)
    taken = sorted(mine + theirs[0] + theirs[1])
    assert taken == list(range(0, count, 8))
    big = _Batches(1_000_000)
    assert big.size == 977  # at most 1,024 batches: 4 KiB in the pipe
    assert sum(1 for _ in big) == 1024
    big.close()


def test_workers_setting_is_checked():
    from incremental import parse_settings

    assert parse_settings({"INCREMENTAL": {"workers": 3}})["workers"] == 3
    for wrong in (0, "2", 1.5, True):
        with pytest.raises(ValueError, match="workers"):
            parse_settings({"INCREMENTAL": {"workers": wrong}})
