"""Full build of a synthetic corpus: the project's settings against plain Pelican.

    python bench/build_bench.py [N] [ROUNDS]      (make bench: N = 2000, 3 rounds)

Generates N articles (bench/make_corpus.py), then builds them alternately with the
project's pelicanconf.py (theme and plugins) and with plain Pelican (bench/
plain_pelicanconf.py: default theme, no plugins), each build a separate process, and prints
wall time and peak memory (max RSS of the build process, from os.wait4) per round, with the
ratio project/plain per round so machine noise cancels out.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import main as make_corpus  # noqa: E402


def build(settings, content, output):
    cmd = [
        str(ROOT / ".venv" / "bin" / "pelican"), str(content), "-o", str(output),
        "-s", str(settings), "--log-handler", "plain", "-q",
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace")
    if proc.returncode:
        raise SystemExit(f"build failed ({settings.name}):\n{errors[-2000:]}")
    return wall, usage.ru_maxrss / 1024  # MiB (ru_maxrss is KiB on Linux)


def main(n=2000, rounds=3):
    with tempfile.TemporaryDirectory(prefix="ward-bench-") as tmpdir:
        tmp = Path(tmpdir)
        content = make_corpus(tmp / "content", n)
        print(f"corpus: {n} articles in {content}")
        rows = []
        for r in range(rounds):
            project = build(ROOT / "pelicanconf.py", content, tmp / "out-project")
            plain = build(HERE / "plain_pelicanconf.py", content, tmp / "out-plain")
            rows.append((project, plain))
            print(
                f"round {r + 1}: project {project[0]:6.2f} s {project[1]:6.0f} MiB | "
                f"plain {plain[0]:6.2f} s {plain[1]:6.0f} MiB | ratio {project[0] / plain[0]:.2f}"
            )
        ratios = [p[0] / q[0] for p, q in rows]
        print(
            f"median: project {statistics.median(p[0] for p, _ in rows):.2f} s, "
            f"plain {statistics.median(q[0] for _, q in rows):.2f} s, "
            f"time ratio {statistics.median(ratios):.2f}; peak memory project "
            f"{max(p[1] for p, _ in rows):.0f} MiB, plain {max(q[1] for _, q in rows):.0f} MiB"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
