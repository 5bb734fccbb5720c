"""The preview's web server: the built folder as nginx would serve it, plus what staff need.

- `/x/` serves `x/index.html`; `/x` redirects to `/x/`; an unknown address gets the site's
  own 404 page (404.html), with status 404.
- When the last build had problems, every HTML page carries a banner listing them (file,
  line and fix, as the build wrote them), and an address that has no page (an article that
  could not be read has none) answers with a page listing them instead of the 404 page.
- A page the last build left for later (Builder's `defer`) is rendered when asked for. The
  page a build under way rendered first (the article just saved) is served at once. The old
  address of an article whose title, category or status changed redirects to its new one.
- Every HTML page asks the server for a build newer than the one it shows, or for its own
  page rendered first by the build under way (`/__xem-thu__/ban-dung?sau=N&trang=/x/`,
  answered as soon as there is one) and reloads itself then. None of this is written into
  the folder: it is added to the answer only, so the folder stays what a build writes.
"""

import html
import mimetypes
import os
import posixpath
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

VERSION_PATH = "/__xem-thu__/ban-dung"
# Asks for a build newer than the one shown, or (`trang`) for this page rendered first by the
# build under way ("moi"); the server answers as soon as there is one (or after WAIT_SECONDS
# with the same number), so the page reloads the moment it is ready. A page served early
# asks only for the end of its build (its banner then lists every problem of the build).
RELOAD_SCRIPT = (
    "<script>(async () => {{ const shown = {number}; for (;;) {{ try {{"
    " const r = await fetch('{path}?sau=' + shown + {page}, {{cache: 'no-store'}});"
    " const t = await r.text();"
    " if (t === 'moi' || Number(t) > shown) {{ location.reload(); return; }} }}"
    " catch (e) {{ await new Promise((ok) => setTimeout(ok, 1000)); }} }} }})();</script>"
)
FIRST = "moi"
STATIC_TEXT = ("text/css", "text/javascript", "application/javascript")
WAIT_SECONDS = 25
BANNER_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:12px 16px;background:#fff4e5;"
    "color:#3d2600;border-bottom:3px solid #b35c00;font:16px/1.5 system-ui,sans-serif"
)


def problems_html(result):
    items = "".join(
        f"<li><strong>{'Lỗi' if level in ('ERROR', 'CRITICAL') else 'Cảnh báo'}:</strong> "
        f"<span style='white-space:pre-wrap'>{html.escape(message)}</span></li>"
        for level, message in result.problems
    )
    return (
        f'<section role="alert" style="{BANNER_STYLE}"><p style="margin:0 0 4px">'
        f"<strong>Bản xem thử (lần dựng {result.number}{', đang dựng tiếp' if result.early else ''})"
        f" có {len(result.problems)} vấn đề"
        "</strong>: sửa theo hướng dẫn, lưu tệp, trang tự tải lại.</p>"
        f"<ul style='margin:0;padding-left:20px'>{items}</ul></section>"
    )


def error_page(result, path):
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Bản xem thử có lỗi</title></head><body style='margin:0'>"
        f"{problems_html(result)}<main style='padding:16px;font:16px/1.5 system-ui,sans-serif'>"
        "<h1 style='font-size:1.5rem;overflow-wrap:anywhere'>"
        f"Chưa có trang {html.escape(path)}</h1><p>Lần dựng gần nhất không tạo ra trang "
        "này, có lẽ vì lỗi ở trên (một bài viết không đọc được thì không có trang). Sửa lỗi, "
        "lưu tệp: trang tự tải lại.</p></main></body></html>"
    )


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, folder, status, materialize=None, first=None):
        self.folder = folder
        self.status = status  # callable -> Result of the last build, or None
        # callable(files): render now the pages of these files if the build left them for
        # later; returns the Result to show one with when the build under way rendered it
        # first, or with `moved` when the page is now at another file, else None
        # (Builder.materialize)
        self.materialize = materialize or (lambda files: None)
        # callable(files) -> the Result to show one of these files with now, when the build
        # under way rendered it first (Builder.first), else None
        self.first = first or (lambda files: None)
        self.built = threading.Condition()
        super().__init__(address, PreviewHandler)

    def announce(self):
        """A build finished: answer the pages waiting for it."""
        with self.built:
            self.built.notify_all()

    def wait_newer(self, shown, files=()):
        """Until a build newer than `shown` is done, or one of `files` was rendered first by
        the build under way: FIRST then, else the number of the last build."""

        def ready():
            if files and self.first(files) is not None:
                return FIRST
            number = self.status().number if self.status() else 0
            return str(number) if number > shown else None

        with self.built:
            self.built.wait_for(ready, WAIT_SECONDS)
        return ready() or str(self.status().number if self.status() else 0)


class PreviewHandler(SimpleHTTPRequestHandler):
    server_version = "ward-preview"

    def log_message(self, format, *args):
        pass  # the terminal shows the builds, not every request

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == VERSION_PATH:
            query = parse_qs(url.query)
            shown = query.get("sau", [""])[0]
            if shown.isdigit():
                answer = self.server.wait_newer(
                    int(shown), self._files(query.get("trang", [""])[0])
                )
            else:
                result = self.server.status()
                answer = str(result.number if result else 0)
            return self._send(HTTPStatus.OK, answer.encode(), "text/plain", head)
        # The page rendered first by the build under way (the Result to show it with), or
        # the last build's. A style sheet, script or photo is never a page left for later:
        # it is served as it is, without waiting for a build (an early page needs them).
        files = self._files(path) if _may_be_page(path) else []
        result = (files and self.server.materialize(files)) or self.server.status()
        if result and result.moved:  # the article's new address (a changed title...)
            return self._redirect(HTTPStatus.FOUND, self._url_of(result.moved))
        file, redirect = self._resolve(path)
        if redirect:
            return self._redirect(HTTPStatus.MOVED_PERMANENTLY, redirect)
        if file is None:
            if result and result.problems:
                body = self._decorate(error_page(result, path).encode(), result, banner=False)
                return self._send(HTTPStatus.NOT_FOUND, body, "text/html", head)
            missing = os.path.join(self.server.folder, "404.html")
            if not (result and result.early):  # a page just deleted: the 404 page as it is
                self.server.materialize([missing])
            body = _read(missing) or b"<!DOCTYPE html><title>404</title><h1>404</h1>"
            return self._send(HTTPStatus.NOT_FOUND, self._decorate(body, result), "text/html", head)
        body = _read(file)
        if body is None:  # removed between the look-up and the read (a build)
            return self._send(HTTPStatus.NOT_FOUND, b"", "text/plain", head)
        kind = mimetypes.guess_type(file)[0] or "application/octet-stream"
        if kind == "text/html":
            body = self._decorate(body, result, page=None if result and result.early else path)
        return self._send(HTTPStatus.OK, body, kind, head)

    def _redirect(self, status, location):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _url_of(self, file):
        rel = os.path.relpath(file, self.server.folder).replace(os.sep, "/")
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return "/" + quote(rel)

    def _files(self, path):
        """The files of the folder a decoded URL path may be served from."""
        parts = [p for p in path.split("/") if p not in ("", ".")]
        if not path.startswith("/") or ".." in parts:
            return []
        page = os.path.join(self.server.folder, *parts)
        return [page, os.path.join(page, "index.html")]

    def _resolve(self, path):
        """(file or None, redirect or None) for a decoded URL path, never outside the folder."""
        parts = [p for p in path.split("/") if p not in ("", ".")]
        if ".." in parts or any("\\" in p or "\0" in p for p in parts):
            return None, None
        folder = os.path.realpath(self.server.folder)
        target = os.path.realpath(os.path.join(folder, *parts))
        if os.path.commonpath([folder, target]) != folder:
            return None, None
        if os.path.isdir(target):
            if not path.endswith("/"):
                return None, posixpath.join("/", *parts) + "/"
            target = os.path.join(target, "index.html")
        return (target if os.path.isfile(target) else None), None

    def _decorate(self, body, result, banner=True, page=None):
        number = result.number if result else 0
        if result and result.early:  # the page asks for the end of its build
            number -= 1
        # quote() leaves only letters, digits and "_.-~/%": safe in the script's string.
        query = "''" if page is None else f"'&trang={quote(page, safe='/')}'"
        script = RELOAD_SCRIPT.format(number=number, path=VERSION_PATH, page=query)
        extra = script
        if banner and result and result.problems:
            extra = problems_html(result) + script
        text = body.decode("utf-8", errors="replace")
        at = text.find("<body")
        if at >= 0:
            at = text.find(">", at) + 1
            text = text[:at] + extra + text[at:]
        else:
            text = extra + text
        return text.encode("utf-8")

    def _send(self, status, body, kind, head):
        self.send_response(status)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _may_be_page(path):
    """Whether a template may have written the file of `path` (a page, a feed, a text file):
    not a style sheet, a script, a photo, a font or an attachment."""
    kind = mimetypes.guess_type(path.rsplit("/", 1)[-1])[0] or ""
    if kind.startswith(("image/", "font/", "audio/", "video/")) or kind in STATIC_TEXT:
        return False
    return not kind or kind.startswith("text/") or kind.endswith(("xml", "json"))


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None
