"""What the officials plugin adds to a full build.

    python bench/officials_bench.py [N] [ROUNDS] [OFFICIALS]     (defaults 2000 3 300)

Generates the synthetic corpus of N articles (bench/make_corpus.py) and a registry of
OFFICIALS people (the four the corpus names plus invented ones, some sharing a name), then
builds it in turn with the project's settings and with the same settings without the
officials plugin, each build a separate process. With the plugin it builds twice a round:
first without its tag cache (as the first build on a machine, or after the registry or the
plugin changed), then again (a rebuild: unchanged articles are not tagged again). Prints per
round the CPU times, their ratios, and the time the plugin itself reports (tagging, its
pages), and the medians.
"""

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import PEOPLE  # noqa: E402
from make_corpus import main as make_corpus  # noqa: E402

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thu", "Hữu", "Ngọc", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Chiến", "Dũng", "Hà", "Hoà", "Hùng", "Lan", "Mai", "Nam", "Tâm",
         "Thuỷ", "Tuấn", "Yến", "Sơn", "Khánh", "Hương", "Long", "Phúc", "Quyên"]  # fmt: skip
TITLES = ["Chủ tịch UBND phường", "Phó Chủ tịch UBND phường", "Bí thư Đảng ủy phường",
          "Chủ tịch Hội Cựu chiến binh phường", "Trưởng Công an phường",
          "Tổ trưởng tổ dân phố số {n}", "Bí thư chi bộ tổ dân phố số {n}",
          "Chủ tịch Ủy ban MTTQ phường", "Phó Chủ tịch HĐND phường"]  # fmt: skip
PLAIN_OVERRIDE = """
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F403
PLUGINS = [p for p in PLUGINS if p != "officials"]  # noqa: F405
PLUGIN_PATHS = [{plugins!r}]
THEME = {theme!r}
"""


def registry_text(count):
    rng = random.Random(300)
    people = []
    for line in PEOPLE:
        name = re.sub(r"^(Đ/c|đồng chí) ", "", line).split(" – ")[0].split(" - ")[0]
        title = re.split(r" [–-] ", line, maxsplit=1)[1]
        people.append((name, title))
    while len(people) < count:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        people.append((name, rng.choice(TITLES).format(n=rng.randrange(1, 30))))
    out = []
    for i, (name, title) in enumerate(people):
        out.append(
            f"- id: nguoi-{i + 1:03d}\n  name: {name}\n  positions:\n"
            f"    - title: {title}\n      from: 2019-0{1 + i % 9}-01\n"
        )
    return "".join(out)


# Runs Pelican's command line with the officials plugin's own timing lines shown (they are
# INFO, which a normal build hides).
WRAPPER = """
import logging, sys
from pelican import main
handler = logging.StreamHandler(sys.stderr)
handler.setLevel(logging.INFO)
log = logging.getLogger("officials")
log.addHandler(handler)
log.setLevel(logging.INFO)
sys.argv = ["pelican", *sys.argv[1:]]
main()
"""


def build(settings, content, output):
    """(wall seconds, CPU seconds of the build process): CPU time (user + system, from
    os.wait4) is what the ratio is taken on, since other work on the machine inflates wall
    time."""
    cmd = [
        str(ROOT / ".venv" / "bin" / "python"), "-c", WRAPPER, str(content), "-o", str(output),
        "-s", str(settings), "--log-handler", "plain", "-q",
    ]  # fmt: skip
    log = output.parent / f"{output.name}.log"
    start = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    text = log.read_text(encoding="utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"build failed ({settings.name}):\n{text[-2000:]}")
    own = sum(float(c) for c in re.findall(r"officials: .*?\(CPU ([0-9.]+) s\)", text))
    return wall, usage.ru_utime + usage.ru_stime, own


def main(n=2000, rounds=3, officials=300):
    with tempfile.TemporaryDirectory(prefix="officials-bench-") as tmpdir:
        tmp = Path(tmpdir)
        content = make_corpus(tmp / "content", n)
        (content / "data").mkdir(exist_ok=True)
        (content / "data" / "officials.yml").write_text(registry_text(officials), encoding="utf-8")
        plain_settings = tmp / "without_officials.py"
        plain_settings.write_text(
            PLAIN_OVERRIDE.format(
                root=str(ROOT), plugins=str(ROOT / "plugins"), theme=str(ROOT / "theme")
            ),
            encoding="utf-8",
        )
        tag_cache = tmp / "var" / "officials"  # beside content/, like the photo cache
        print(f"corpus: {n} articles, registry: {officials} officials")
        # One build first, not counted: it fills the photo cache that every build shares.
        build(plain_settings, content, tmp / "out-without")
        rows = []
        for r in range(rounds):
            shutil.rmtree(tag_cache, ignore_errors=True)
            cold = build(ROOT / "pelicanconf.py", content, tmp / "out-with")
            warm = build(ROOT / "pelicanconf.py", content, tmp / "out-with")
            without = build(plain_settings, content, tmp / "out-without")
            rows.append((cold, warm, without))
            print(
                f"round {r + 1}: without officials {without[1]:6.2f} s CPU ({without[0]:.2f} s wall)"
                f" | first build (no tag cache) {cold[1]:6.2f} s CPU, ratio {cold[1] / without[1]:.3f},"
                f" plugin's own {cold[2]:.2f} s | rebuild {warm[1]:6.2f} s CPU, ratio "
                f"{warm[1] / without[1]:.3f}, plugin's own {warm[2]:.2f} s",
                flush=True,
            )
        fastest_without = min(row[2][1] for row in rows)
        for label, i in (("first build (no tag cache)", 0), ("rebuild (unchanged content)", 1)):
            cpu = statistics.median(row[i][1] / row[2][1] for row in rows)
            fastest = min(row[i][1] for row in rows) / fastest_without
            own = statistics.median(row[i][2] / (row[i][1] - row[i][2]) for row in rows)
            print(
                f"{label}: with/without CPU, median of rounds {cpu:.3f} (+{(cpu - 1) * 100:.1f} %), "
                f"fastest of each {fastest:.3f} (+{(fastest - 1) * 100:.1f} %); measured inside "
                f"the build (robust to other load): the plugin adds {own * 100:.1f} % to the CPU "
                "time of the rest"
            )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
