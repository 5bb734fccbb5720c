"""Import speed of `make stats` on a generated access log, with GoAccess as the anchor.

    python bench/view_counts_bench.py [LINES] [ROUNDS]     (defaults: 1000000 lines, 1 round)

Generates a combined-format nginx log of LINES lines over a week (article pages from a pool
of visitors, their CSS/JS/images, home and category pages, crawlers and link previewers,
404s, HEADs, revisits), and a site map of 120 articles (views.json). Then, in each round,
runs as separate processes, on the whole log and on its first quarter:
- our import (`python -m view_counts.cli import`, into a fresh store);
- GoAccess (Debian's `goaccess`, installed here with apt-get if missing) writing a JSON
  report from the same log with --log-format=COMBINED.
Prints lines per second (wall clock) and peak memory (max RSS from os.wait4) of each, and
the ratios ours/GoAccess of the same round, so the machine's load cancels out. Peak memory on
a quarter of the log against the whole log shows whether memory grows with the length.
Then a flood: FLOOD lines (default 600,000) of article requests from many visitors within
one minute (a link shared in a big Zalo group, or an attack), imported alone: lines per
second and peak memory must stay close to the normal log's.
    python bench/view_counts_bench.py flood [FLOOD]      (the flood only)
Files go to bench/out/ (git-ignored).
"""

import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "view_counts"
sys.path.insert(0, str(ROOT / "plugins"))

from view_counts.output import payload, write_json  # noqa: E402

HUMANS = [
    "Mozilla/5.0 (Linux; Android {v}; SM-A{m}F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{c}.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS {v}_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/{v}.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{c}.0.0.0 Safari/537.36 coc_coc_browser/{c}.0",
    "Mozilla/5.0 (Linux; Android {v}; Redmi Note {m}) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{c}.0.0.0 Mobile Safari/537.36 Zalo android/2312{m} ZaloTheme/light",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Zalo",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "TelegramBot (like TwitterBot)",
]
CATEGORIES = ["tin-hoat-dong", "thong-bao", "phat-bieu-chi-dao", "cai-cach-hanh-chinh"]


def make_site(count=120):
    entries = [
        (f"/{CATEGORIES[i % 4]}/bai-viet-so-{i}/", f"bai-viet/2026/bai-{i}.md", True)
        for i in range(count)
    ]
    site = OUT / "site"
    write_json(site / "views.json", payload(entries, {"all": {}}, None, 5, (7, 30)))
    return site, [path for path, _, _ in entries]


def make_log(path, lines, articles, seed=5):
    rng = random.Random(seed)
    agents = [
        HUMANS[i % len(HUMANS)].format(v=10 + i % 8, m=100 + i % 60, c=110 + i % 15)
        for i in range(300)
    ]
    ips = [
        f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        for _ in range(15000)
    ]
    ips += [
        f"2402:800:{rng.randint(0, 65535):x}:{rng.randint(0, 65535):x}::{rng.randint(1, 999):x}"
        for _ in range(5000)
    ]
    start = datetime(2026, 11, 20, tzinfo=UTC).astimezone()
    step = timedelta(days=7).total_seconds() / lines
    written = 0
    recent = []
    with open(path, "w", encoding="ascii") as out:

        def emit(ip, method, target, status, size, agent, referer="-"):  # noqa: PLR0917
            nonlocal written
            when = (start + timedelta(seconds=written * step)).strftime("%d/%b/%Y:%H:%M:%S %z")
            out.write(
                f'{ip} - - [{when}] "{method} {target} HTTP/1.1" {status} {size} "{referer}" "{agent}"\n'
            )
            written += 1

        while written < lines:
            roll = rng.random()
            if roll < 0.12:
                emit(rng.choice(ips), "GET", rng.choice(articles), 200, 20480, rng.choice(BOTS))
                continue
            if roll < 0.14:
                emit(rng.choice(ips), "GET", f"/wp-login.php?x={written}", 404, 162, agents[0])
                continue
            if roll < 0.15:
                emit(rng.choice(ips), "HEAD", rng.choice(articles), 200, 0, rng.choice(agents))
                continue
            if recent and roll < 0.30:
                ip, agent, page = rng.choice(recent)  # a revisit or a reload
            else:
                ip, agent = rng.choice(ips), rng.choice(agents)
                page = rng.choice(articles) if rng.random() < 0.8 else "/"
                recent.append((ip, agent, page))
                if len(recent) > 500:
                    recent.pop(0)
            query = "?fbclid=IwAR" + str(written) if rng.random() < 0.1 else ""
            status = 304 if rng.random() < 0.15 else 200
            emit(ip, "GET", page + query, status, 18000, agent, "https://zalo.me/")
            emit(ip, "GET", "/theme/css/site.css", 304, 0, agent, page)
            for n in range(rng.randint(2, 6)):
                emit(ip, "GET", f"/images/2026/11/anh-{n}.jpg", 200, 90000, agent, page)
            emit(ip, "GET", "/favicon.ico", 200, 1150, agent)
    # drop the few lines past `lines` written by the last visit
    with open(path, "r+b") as handle:
        for _ in range(lines):
            handle.readline()
        handle.truncate(handle.tell())


def make_flood(path, lines, articles, seed=7):
    """`lines` GETs of articles by many people within one minute (no crawlers)."""
    rng = random.Random(seed)
    agents = [
        HUMANS[i % len(HUMANS)].format(v=10 + i % 8, m=100 + i % 60, c=110 + i % 15)
        for i in range(300)
    ]
    start = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    with open(path, "w", encoding="ascii") as out:
        for i in range(lines):
            when = (start + timedelta(seconds=i * 60 // lines)).strftime("%d/%b/%Y:%H:%M:%S %z")
            ip = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{rng.randint(1, 254)}"
            out.write(
                f'{ip} - - [{when}] "GET {rng.choice(articles)} HTTP/1.1" 200 18000 '
                f'"https://zalo.me/" "{rng.choice(agents)}"\n'
            )


def flood(site, articles, lines):
    log = OUT / "flood.log"
    make_flood(log, lines, articles)
    wall, _, rss, out = ours(site, log, "flood")
    counted = next((row for row in out.splitlines() if "được tính" in row), "")
    print(f"flood: {lines:,} article requests within one minute")
    print(f"  our report: {counted.strip()}")
    print(f"  ours      flood    {lines / wall:10,.0f} lines/s wall   peak RSS {rss:7.1f} MiB")


def peak_memory(pid):
    """VmHWM of the running program (MiB): its own peak, not the forked parent's."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(command, env=None):
    """(wall seconds, CPU seconds, peak MiB, stdout) of one run of `command`."""
    output = OUT / "stdout.txt"
    start = time.perf_counter()
    with open(output, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, peak_memory(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    text = output.read_text(encoding="utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command)}\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, peak, text


def ours(site, log, tag):
    store = OUT / f"views-{tag}.sqlite3"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    secret = OUT / "secret"
    command = [
        sys.executable, "-m", "view_counts.cli", "import", "--site", str(site),
        "--store", str(store), "--secret", str(secret), str(log),
    ]  # fmt: skip
    return measure(command, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})


def goaccess(log, tag):
    command = [
        "goaccess", str(log), "--log-format=COMBINED", "--no-global-config",
        "-o", str(OUT / f"goaccess-{tag}.json"), "--no-progress",
    ]  # fmt: skip
    return measure(command)


def ensure_goaccess():
    if shutil.which("goaccess"):
        return
    print("Cài goaccess / installing goaccess (apt-get)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "goaccess"], check=False)
    if not shutil.which("goaccess"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "goaccess"], check=True)


def main():
    if sys.argv[1:2] == ["flood"]:
        OUT.mkdir(parents=True, exist_ok=True)
        site, articles = make_site()
        flood(site, articles, int(sys.argv[2]) if len(sys.argv) > 2 else 600_000)
        return
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    ensure_goaccess()
    OUT.mkdir(parents=True, exist_ok=True)
    site, articles = make_site()
    log = OUT / "access.log"
    quarter = OUT / "access-quarter.log"
    t = time.perf_counter()
    make_log(log, lines, articles)
    with open(log, "rb") as src, open(quarter, "wb") as dst:
        for number, row in enumerate(src):
            if number >= lines // 4:
                break
            dst.write(row)
    print(
        f"generated {lines:,} lines in {time.perf_counter() - t:.1f} s ({log.stat().st_size / 2**20:.0f} MiB)"
    )
    for number in range(1, rounds + 1):
        results = {}
        runs = (("ours", lambda path, tag: ours(site, path, tag)), ("goaccess", goaccess))
        for name, run in runs:
            for tag, path, count in (("full", log, lines), ("quarter", quarter, lines // 4)):
                wall, cpu, rss, out = run(path, tag)
                results[(name, tag)] = (count / wall, count / cpu, rss)
                if name == "ours" and tag == "full":
                    counted = next((row for row in out.splitlines() if "được tính" in row), "")
                    print(f"  our report: {counted.strip()}")
        print(f"round {number}:")
        for (name, tag), (speed, cpu_speed, rss) in results.items():
            print(
                f"  {name:9} {tag:8} {speed:10,.0f} lines/s wall  {cpu_speed:10,.0f} lines/s CPU"
                f"   peak RSS {rss:7.1f} MiB"
            )
        ours_full, ga_full = results[("ours", "full")], results[("goaccess", "full")]
        print(f"  speed ratio ours/goaccess, wall: {ours_full[0] / ga_full[0]:.2f}")
        print(f"  speed ratio ours/goaccess, CPU:  {ours_full[1] / ga_full[1]:.2f}")
        print(f"  peak memory ratio ours/goaccess: {ours_full[2] / ga_full[2]:.2f}")
        print(
            "  our peak memory, full log / quarter log: "
            f"{ours_full[2] / results[('ours', 'quarter')][2]:.2f}"
            "  (goaccess: "
            f"{ga_full[2] / results[('goaccess', 'quarter')][2]:.2f})"
        )
    flood(site, articles, 600_000)


if __name__ == "__main__":
    main()
