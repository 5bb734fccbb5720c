"""Deploy cost: a full first upload against a second one where little changed.

    .venv/bin/python bench/deploy_bench.py [PHOTOS] [ROUNDS]     (defaults: 150 photos, 3 rounds)

Builds the deploy test fixture with `make publish`, adds PHOTOS noise JPEGs (about 100 KB
each, so the site weighs what a year of ward news does), starts Debian's sshd on a loopback
port (tests/deploy_servers.py), then per round: deploys the site into a fresh target (first
deploy, everything sent), deploys it again with one article page changed (hard links for
the rest), dry-runs, and rolls back. Prints wall times (time.perf_counter, whole `python -m
deploy` process), the ratio second/first per round so machine noise cancels out, and the disk
space the second release adds (unique inodes only, as `du` counts hard links).
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

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from deploy_servers import run_deploy, start_sshd, stop, write_env  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "deploy" / "content"


def publish(out):
    subprocess.run(
        ["make", "--no-print-directory", "publish", f"INPUTDIR={FIXTURE}", f"OUTPUTDIR={out}"],
        cwd=ROOT,
        env={**os.environ, "SITEURL": "https://example.vn"},
        check=True,
        capture_output=True,
    )


def add_photos(out, count):
    rng = random.Random(7)
    folder = out / "images" / "bench"
    folder.mkdir(parents=True)
    for n in range(count):
        pixels = bytes(rng.getrandbits(8) for _ in range(240 * 180 * 3))
        image = Image.frombytes("RGB", (240, 180), pixels).resize((480, 360))
        image.save(folder / f"anh-{n:04d}.jpg", quality=92)


def disk(paths):
    """Bytes of the unique inodes under `paths` (hard links counted once)."""
    seen, total = set(), 0
    for root in paths:
        for path in Path(root).rglob("*"):
            st = path.lstat()
            if path.is_file() and not path.is_symlink() and st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_size
    return total


def timed(env, output, *args):
    """(seconds, bytes sent by rsync or 0) of one `python -m deploy` run."""
    start = time.perf_counter()
    proc = run_deploy(env, output, *args)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    sent = re.search(r"Đã gửi ([\d.]+) byte", proc.stdout)
    return elapsed, int(sent[1].replace(".", "")) if sent else 0


def main(photos=150, rounds=3):
    with tempfile.TemporaryDirectory(prefix="deploy-bench-") as folder:
        tmp = Path(folder)
        site = tmp / "output"
        publish(site)
        add_photos(site, photos)
        changed = tmp / "output-2"
        shutil.copytree(site, changed)
        index = changed / "index.html"
        index.write_text(index.read_text(encoding="utf-8") + "<!-- 2 -->\n", encoding="utf-8")
        files = sum(1 for p in site.rglob("*") if p.is_file())
        print(f"site: {files} files, {disk([site]) / 1e6:.1f} MB")
        (tmp / "sshd").mkdir()
        proc, sshd = start_sshd(tmp / "sshd")
        rows = []
        try:
            for n in range(rounds):
                target = tmp / f"srv{n}" / "thuongthanh"
                env = write_env(tmp / f"deploy{n}.env", sshd, target)
                timed(env, site, "init")
                first, first_sent = timed(env, site, "deploy")
                second, second_sent = timed(env, changed, "deploy")
                dry, _ = timed(env, changed, "deploy", "--dry-run")
                back, _ = timed(env, changed, "rollback")
                old, new = sorted((target / "releases").iterdir())
                added = disk([old, new]) - disk([old])
                rows.append(
                    (first, second, dry, back, added, disk([old]), second_sent / first_sent)
                )
                print(
                    f"round {n + 1}: sent {first_sent / 1e6:.2f} MB then {second_sent / 1e3:.1f} kB; "
                    f"first {first:.2f} s, second {second:.2f} s "
                    f"(ratio {second / first:.2f}), dry run {dry:.2f} s, rollback {back:.2f} s; "
                    f"second release adds {added / 1e3:.1f} kB to {disk([old]) / 1e6:.1f} MB"
                )
        finally:
            stop(proc)
        print(
            f"median: first {statistics.median(r[0] for r in rows):.2f} s, "
            f"second/first {statistics.median(r[1] / r[0] for r in rows):.2f}, "
            f"rollback {statistics.median(r[3] for r in rows):.2f} s, "
            f"bytes sent second/first {statistics.median(r[6] for r in rows):.4f}, "
            f"disk added by second release {statistics.median(r[4] / r[5] for r in rows):.4%}"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
