"""Full (cold) builds of a synthetic corpus: the project's settings against plain Pelican.

    python bench/build_bench.py [N] [ROUNDS]      (make bench [N=2000] [ROUNDS=3])

Generates N articles (bench/make_corpus.py), builds them once with the project's settings
without counting it (it fills the photo variant cache var/photos, which stays warm: photos
are processed once per photo by design), then builds them alternately with the project's
pelicanconf.py (theme and plugins) and with plain Pelican (bench/plain_pelicanconf.py:
default theme, no plugins), each build a separate process into an emptied output folder. It
prints wall time, CPU time (user + system) and peak memory (max RSS of the build process,
from os.wait4) per round, with the ratios project/plain per round (machine noise cancels out
within a round) and the medians. On a machine shared with other work the CPU ratio is the
steadier one.

Each kind of measurement is a "row": a function (settings, content, output) -> (wall
seconds, CPU seconds, MiB) listed in ROWS.

Then, for the project alone: a rebuild where nothing changed (the same `pelican` command
again on the output of a full build) against that full build, per round; and the
edit-to-preview figures of bench/preview_bench.py (24 edits of 12 kinds on a copy of the
corpus, through the real preview server).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROJECT = ROOT / "pelicanconf.py"
PLAIN = HERE / "plain_pelicanconf.py"
sys.path.insert(0, str(HERE))

from make_corpus import main as make_corpus  # noqa: E402
from preview_bench import run as edit_to_preview  # noqa: E402


def build(settings, content, output):
    """One `pelican` run in its own process: (wall seconds, CPU seconds, peak RSS in MiB)."""
    cmd = [
        str(ROOT / ".venv" / "bin" / "pelican"), str(content), "-o", str(output),
        "-s", str(settings), "--log-handler", "plain", "-q",
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read stderr before waiting: a build that logs a lot must not block on a full pipe.
    errors = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"build failed ({Path(settings).name}):\n{errors[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024  # MiB (ru_maxrss is KiB on Linux)


def full_build(settings, content, output):
    """A cold build: empty output folder, no articles kept as read or page table in var/build
    (the photo variant cache stays warm)."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(Path(content).parent / "var" / "build", ignore_errors=True)
    return build(settings, content, output)


# name -> function(settings, content, output) -> (wall s, CPU s, MiB); each is run for the
# project and for plain Pelican in every round.
ROWS = {"full build": full_build}


def report(name, rows):
    """Prints the rounds of one row and its medians; returns the median wall-time ratio."""
    print(f"== {name} ==")
    for r, (p, q) in enumerate(rows, start=1):
        print(
            f"round {r}: project {p[0]:6.2f} s (CPU {p[1]:6.2f} s) {p[2]:5.0f} MiB | "
            f"plain {q[0]:6.2f} s (CPU {q[1]:6.2f} s) {q[2]:5.0f} MiB | "
            f"ratio {p[0] / q[0]:.2f} (CPU {p[1] / q[1]:.2f})"
        )

    def median(values):
        return statistics.median(list(values))

    ratio = median(p[0] / q[0] for p, q in rows)
    peak_project = max(p[2] for p, _ in rows)
    peak_plain = max(q[2] for _, q in rows)
    print(
        f"median: project {median(p[0] for p, _ in rows):.2f} s, "
        f"plain {median(q[0] for _, q in rows):.2f} s, time ratio {ratio:.2f} "
        f"(CPU {median(p[1] / q[1] for p, q in rows):.2f}); peak memory project "
        f"{peak_project:.0f} MiB, plain {peak_plain:.0f} MiB (ratio {peak_project / peak_plain:.2f})"
    )
    return ratio


def main(n=2000, rounds=3):
    with tempfile.TemporaryDirectory(prefix="ward-bench-") as tmpdir:
        tmp = Path(tmpdir)
        content = make_corpus(tmp / "content", n)
        print(f"corpus: {n} articles in {content}; {rounds} rounds")
        full_build(PROJECT, content, tmp / "out-project")  # warm-up, not counted
        for name, row in ROWS.items():
            rows = []
            for _ in range(rounds):
                project = row(PROJECT, content, tmp / "out-project")
                plain = row(PLAIN, content, tmp / "out-plain")
                rows.append((project, plain))
            report(name, rows)
        print("== no-change rebuild (project) ==")
        ratios = []
        for r in range(rounds):
            full = full_build(PROJECT, content, tmp / "out-project")
            again = build(PROJECT, content, tmp / "out-project")
            ratios.append(again[0] / full[0])
            print(
                f"round {r + 1}: full {full[0]:6.2f} s, nothing changed {again[0]:6.2f} s "
                f"(CPU {again[1]:6.2f} s) {again[2]:5.0f} MiB | ratio {ratios[-1]:.2f}"
            )
        print(f"median ratio no-change/full: {statistics.median(ratios):.2f}")
        print("== edit-to-preview (project) ==")
        edited = tmp / "content-edited"
        shutil.copytree(content, edited)
        edit_to_preview(edited, tmp / "preview")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
