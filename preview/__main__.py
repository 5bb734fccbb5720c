"""The preview (what `make devserver` and `make serve` run).

    python -m preview [--port 8000] [--bind 127.0.0.1] [--settings pelicanconf.py]
                      [--content content] [--output var/preview]

Builds the site into its own folder (var/preview: never output/, which `make publish`
writes), serves it, and builds again on every save, redoing only what the save changed
(preview/builder.py). A save during a build is built right after it: none is lost.
Changes to plugins/, preview/ or the settings restart the program. Messages are for staff,
in Vietnamese; exit status 2 when the port is taken or the folders are wrong.
"""

import argparse
import errno
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from preview.builder import Builder  # noqa: E402
from preview.server import PreviewServer  # noqa: E402

logger = logging.getLogger("preview")

# What a change under these means (paths relative to the project).
RESTART = ("plugins/", "preview/", "pelicanconf.py", "publishconf.py")
FULL = ("theme/", "content/data/")


class Changes:
    """What the watcher saw since the last build started: filled by the watcher thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.full = False
        self.restart = False
        self.paths = set()  # the files changed (absolute), for Builder.build's `changed`

    def add(self, kind, paths=()):
        with self.lock:
            self.full |= kind == "full"
            self.restart |= kind == "restart"
            self.paths.update(paths)
        self.ready.set()

    def take(self):
        with self.lock:
            self.ready.clear()
            taken = (self.full, self.restart, self.paths)
            self.full = self.restart = False
            self.paths = set()
        return taken


def kind_of(path, content):
    """'restart', 'full' or 'content' for a changed file, or None to ignore it."""
    path = os.path.abspath(path)
    rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
    if rel.startswith(RESTART):
        return "restart"
    if rel.startswith(FULL):
        return "full"
    if os.path.commonpath([path, content]) == content:
        data = os.path.join(content, "data")
        return "full" if os.path.commonpath([path, data]) == data else "content"
    return None


def watch(changes, content, stop):
    from watchfiles import watch as watch_files

    paths = [content, ROOT / "theme", ROOT / "plugins", ROOT / "preview", *ROOT.glob("*conf.py")]
    for batch in watch_files(*paths, stop_event=stop, debounce=50, step=20):
        for _, path in batch:
            kind = kind_of(path, content)
            if kind:
                changes.add(kind, [os.path.abspath(path)])


def run_pagefind(output):
    """Search index of the preview, in the background (it is not needed to see a page)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "search_index.py"), "--site", output],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def report(result):
    what = "toàn bộ" if result.full else "phần thay đổi"
    if result.cut:
        logger.info(
            "Lần dựng %d (%s): trang vừa lưu xong sau %.2f giây; phần còn lại để lần dựng "
            "sau làm (có thay đổi mới).",
            result.number, what, result.seconds,
        )  # fmt: skip
    elif result.problems:
        logger.warning(
            "Lần dựng %d (%s): %.2f giây, %d vấn đề (xem trên trang hoặc ở trên).",
            result.number, what, result.seconds, len(result.problems),
        )  # fmt: skip
    else:
        logger.info("Lần dựng %d (%s): %.2f giây.", result.number, what, result.seconds)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m preview")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--output", default=str(ROOT / "var" / "preview"))
    parser.add_argument("--no-search", action="store_true", help="do not run Pagefind")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logger.setLevel(logging.INFO)

    content = os.path.abspath(args.content)
    output = os.path.abspath(args.output)
    if not os.path.isdir(content):
        logger.error("Không có thư mục bài viết %s.", content)
        return 2
    if os.path.commonpath([output, content]) == content:
        logger.error("Thư mục xem thử %s không được nằm trong %s.", output, content)
        return 2
    os.makedirs(output, exist_ok=True)
    builder = Builder(args.settings, content, output, defer=True)
    try:
        server = PreviewServer(
            (args.bind, args.port), output, lambda: builder.last, builder.materialize, builder.first
        )
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            logger.error(
                "Cổng %d đang bận: có lẽ một bản xem thử khác đang chạy (hãy mở "
                "http://localhost:%d), hoặc một chương trình khác dùng cổng này. Dùng cổng "
                "khác, ví dụ: make devserver PORT=%d",
                args.port, args.port, args.port + 1,
            )  # fmt: skip
        else:
            logger.error("Không mở được cổng %d: %s.", args.port, error.strerror)
        return 2

    builder.on_first = server.announce  # the saved article's page, before the build ends
    changes = Changes()
    builder.on_unseen = lambda paths: changes.add("content", paths)  # a save the watcher missed
    stop = threading.Event()
    threading.Thread(target=watch, args=(changes, content, stop), daemon=True).start()
    report(builder.build(full=True))
    server.announce()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    logger.info(
        "Bản xem thử: http://localhost:%d/ (bản nháp ở /ban-nhap/). Lưu tệp là trang tự "
        "dựng lại và tải lại. Dừng: Ctrl+C.",
        args.port,
    )
    search = None if args.no_search else run_pagefind(output)

    def complete():
        """The pages the build left: rendered now unless a save comes in (then the next
        build redoes them); the search index after them."""
        nonlocal search
        done = builder.complete(stop=changes.ready)
        if done and not args.no_search and (search is None or search.poll() is not None):
            search = run_pagefind(output)

    try:
        while True:
            changes.ready.wait()
            full, restart, paths = changes.take()
            if restart:
                logger.info("Mã hoặc cài đặt thay đổi: khởi động lại bản xem thử.")
                stop.set()
                server.shutdown()
                server.server_close()
                os.execv(sys.executable, [sys.executable, "-m", "preview", *sys.argv[1:]])
            result = builder.build(full=full, cut=changes.ready, changed=paths)
            report(result)
            server.announce()
            if not result.cut:
                threading.Thread(target=complete, daemon=True).start()
    except KeyboardInterrupt:
        logger.info("Đã dừng bản xem thử.")
    finally:
        stop.set()
        server.shutdown()
        if search is not None and search.poll() is None:
            search.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
