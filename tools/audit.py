"""Lighthouse scores (mobile) of the home page and one article of a built site.

`make audit` builds with publishconf.py, installs the pinned Lighthouse from npm, then runs
this: the site is served from 127.0.0.1 on a free port, Lighthouse drives Debian's chromium,
and the four scores of each page are printed. JSON reports go to var/audit/.
"""

import argparse
import functools
import gzip
import io
import json
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


# What nginx compresses (deploy/nginx.conf: gzip on, level 5, these types, from 256 bytes):
# Lighthouse then sees the bytes a phone would download from the real server.
GZIP_TYPES = ("text/html", "text/css", "text/javascript", "application/javascript",
              "application/json", "application/atom+xml", "application/xml", "image/svg+xml")  # fmt: skip


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def send_head(self):
        """The file as nginx would send it: gzip-compressed when the browser accepts it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and kind.startswith(GZIP_TYPES) and os.path.isfile(path)):
            return super().send_head()
        body = Path(path).read_bytes()
        compress = len(body) >= 256
        if compress:
            body = gzip.compress(body, compresslevel=5)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def first_article(site):
    """The richest article page of the built site (largest HTML with NewsArticle data)."""
    found = []
    for path in site.rglob("index.html"):
        head = path.read_text(encoding="utf-8", errors="replace")[:6000]
        if '"NewsArticle"' in head and 'name="robots"' not in head:
            found.append((path.stat().st_size, path))
    if not found:
        sys.exit("Không có bài viết nào trong thư mục đã dựng / no article in the built site")
    rel = sorted(found)[-1][1].relative_to(site).parent.as_posix()
    return rel + "/"


def run(lighthouse, url, report):
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    subprocess.run(
        [lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
        check=True, env=env,
    )  # fmt: skip
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    return {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lighthouse", required=True)
    parser.add_argument("--site", default="output")
    parser.add_argument("--reports", default="var/audit")
    parser.add_argument("--port", type=int, default=0, help="the port the site was built for")
    args = parser.parse_args()
    site = Path(args.site).resolve()
    reports = Path(args.reports)
    reports.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        for name, path in (("home", ""), ("article", first_article(site))):
            scores = run(args.lighthouse, base + path, reports / f"{name}.json")
            print(f"{name:8} /{path}")
            print("         " + "  ".join(f"{c} {s}" for c, s in scores.items()))
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    main()
