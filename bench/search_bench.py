"""Search at a real archive's size: index size, bytes a search downloads, time to results.

    python bench/search_bench.py [N]          (make bench-search: N = 2000)

Generates N articles (bench/make_corpus.py), builds them with the project's settings,
indexes them (tools/search_index.py, timed), then opens the results page in chromium as a
phone would: 360 × 740 px and the CPU slowed 4× (Chrome DevTools' "mid-tier mobile"). For
each of 20 queries, in a fresh browser profile (nothing cached, as for a resident's first
search), it measures the time from the navigation to the first results on screen (the page
marks it: performance mark "search-done") and the bytes Pagefind's files took on the wire.
Prints the index size, each query, and the medians.
"""

import functools
import gzip
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import main as make_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CPU_SLOWDOWN = 4
GZIPPED = (".js", ".css", ".json", ".html")
QUERIES = [
    "Đảng ủy", "dang uy", "hội nghị sơ kết", "hoi nghi so ket", "tổng vệ sinh môi trường",
    "cai cach hanh chinh", "phòng cháy chữa cháy", "PHÒNG CHÁY", "dịch vụ công trực tuyến",
    "dich vu cong", "Phạm Thị Minh Hồng", "pham thi minh hong", "Vũ Trọng Thư",
    "tổ dân phố số 5", "gia đình chính sách", "gia dinh chinh sach", "một cửa",
    "số hóa hồ sơ", "ngân sách phường", "tuyên truyền phòng chống dịch bệnh",
]  # fmt: skip


class Server(SimpleHTTPRequestHandler):
    """Serves the site as deploy/nginx.conf does: scripts, styles and JSON gzipped (level
    5); Pagefind's own index files are compressed already."""

    def send_head(self):
        path = self.translate_path(self.path)
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.endswith(GZIPPED) and os.path.isfile(path)):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=5)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def folder_size(path):
    files = [Path(d, f) for d, _, names in os.walk(path) for f in names]
    return len(files), sum(f.stat().st_size for f in files)


def one_search(browser, base, query):
    """(ms to the first results, bytes of Pagefind files on the wire, results line)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    # Pagefind fetches its index from a web worker: Playwright's request events see those
    # requests too (a CDP session on the page would not).
    done = []

    def finished(request):  # Playwright wants a Python function, not a bound method
        done.append(request)

    page.on("requestfinished", finished)
    page.goto(f"{base}/tim-kiem/?q={quote(query)}")
    page.wait_for_function(
        "() => performance.getEntriesByName('search-done').length", timeout=120_000
    )
    ms = page.evaluate("() => performance.getEntriesByName('search-done')[0].startTime")
    status = page.locator(".search-status").inner_text()
    page.wait_for_load_state("networkidle")
    pagefind = 0
    for request in done:
        if "/pagefind/" in request.url:
            sizes = request.sizes()
            pagefind += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return ms, pagefind, status


def main(n):
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        tmp = Path(folder)
        content = make_corpus(tmp / "content", n)
        out = tmp / "output"
        subprocess.run(
            [sys.executable, "-m", "pelican", str(content), "-o", str(out), "-s",
             str(ROOT / "pelicanconf.py"), "-q"],
            cwd=tmp, check=True,
        )  # fmt: skip
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "search_index.py"), "--site", str(out)],
            check=True,
        )
        seconds = time.perf_counter() - start
        files, size = folder_size(out / "pagefind")
        print(
            f"{n} bài; lập chỉ mục: {seconds:.1f} giây; chỉ mục: {files} tệp, {size / 1e6:.1f} MB"
        )
        for part in ("index", "fragment", "filter"):
            count, bytes_ = folder_size(out / "pagefind" / part)
            print(f"  {part}/: {count} tệp, {bytes_ / 1e6:.2f} MB")

        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Server, directory=str(out))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        times, wires = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for query in QUERIES:
                ms, wire, status = one_search(browser, base, query)
                times.append(ms)
                wires.append(wire)
                print(f"  {query!r:40} {ms:7.0f} ms  {wire / 1024:6.0f} KiB  {status}")
            browser.close()
        server.shutdown()
        shutil.rmtree(out, ignore_errors=True)
    times.sort()
    print(
        f"Thời gian đến kết quả đầu tiên (360 px, CPU chậm {CPU_SLOWDOWN}×, lần đầu vào trang): "
        f"trung vị {statistics.median(times):.0f} ms, chậm nhất {times[-1]:.0f} ms"
    )
    print(
        f"Tải về cho một lần tìm (tệp Pagefind, đã nén): trung vị {statistics.median(wires) / 1024:.0f} KiB, "
        f"nhiều nhất {max(wires) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
