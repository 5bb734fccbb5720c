"""Edit-to-preview: from saving a file to the preview serving the changed page.

    python bench/preview_bench.py [N] [EDITS]      (make bench-preview: N = 2000, 24 edits)

Generates N articles (bench/make_corpus.py), starts the real preview (`python -m preview`)
on a loopback port, waits for its first build, then makes EDITS edits of different kinds
one after the other (body text, title, tags, category, date, Officials, featured image,
a draft published, the article's own photo replaced, a new article, a deleted article),
then replaces twice a photo that a sixth of the corpus shows (reported apart: a real
article's photos are its own; the corpus has only a few pictures). Each edit also
writes a unique marker into the article; the time counted is from the save to the moment
the server answers the article's page (found through views.json) with the marker in it, or
with 404 for a deleted one. Prints each edit and the median and 95th percentile.
"""

import http.client
import json
import re
import shutil
import socket
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

VERSION = "/__xem-thu__/ban-dung"


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", errors="replace")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_meta(path, key, value):
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    lines = [line for line in head.splitlines() if not line.startswith(f"{key}:")]
    if value is not None:
        lines.insert(1, f"{key}: {value}")
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n{text}\n")


def url_of(output, source_id):
    try:
        data = json.loads((output / "views.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return next((u for u, a in data["articles"].items() if a["id"] == source_id), None)


def edits(content):
    """(kind, function(path, marker) -> path to look at or None when deleted) pairs."""
    images = sorted((content / "images").rglob("*.jpg"))

    def body(path, marker):
        append(path, marker)
        return path

    def meta(key, value):
        def edit(path, marker):
            set_meta(path, key, value(path) if callable(value) else value)
            append(path, marker)
            return path

        return edit

    def photo(path, marker):
        """The photo the article shows replaced (its own after own_photo, else one many
        articles share) and a line added."""
        from PIL import Image

        used = re.search(r"images/[\w/.-]+\.jpg", path.read_text(encoding="utf-8"))
        target = content / used.group(0) if used else images[0]
        with Image.open(target) as im:
            im.rotate(180).save(target, quality=85)
        append(path, marker)
        return path

    def new(path, marker):
        target = path.with_name(f"moi-{marker[-8:]}.md")
        shutil.copy(path, target)
        set_meta(target, "Title", f"Bài mới {marker[-8:]}")
        append(target, marker)
        return target

    def delete(path, marker):
        path.unlink()

    return [
        ("body", body),
        ("title", meta("Title", lambda p: f"Tiêu đề đã sửa {time.time_ns() % 10**8}")),
        ("tags", meta("Tags", "Chuyển đổi số, Tổ dân phố")),
        ("category", meta("Category", "Cải cách hành chính")),
        ("date", meta("Date", "2022-06-15 08:30")),
        ("officials", meta("Officials", "vu-trong-thu")),
        ("image", meta("Image", images[0].relative_to(content).as_posix())),
        ("draft", meta("Status", "draft")),
        ("published", meta("Status", None)),
        ("photo", photo),
        ("new", new),
        ("delete", delete),
    ], photo


def own_photo(content, path):
    """Before a `photo` edit (not timed): the article gets a photo file of its own, as a
    real article has (the corpus's few pictures are each shown by a sixth of the articles),
    and a line; returns that line, which its page shows once the preview has it."""
    text = path.read_text(encoding="utf-8")
    used = re.findall(r"images/bench/[\w.-]+\.jpg", text)
    name = f"rieng-{path.stem}.jpg"
    shutil.copy(content / used[0], content / "images" / "bench" / name)
    for old in set(used):
        text = text.replace(old, f"images/bench/{name}")
    line = f"anh-rieng-{time.time_ns() % 10**8:08d}"
    path.write_text(f"{text}\n{line}\n", encoding="utf-8")
    return line


def find_page(output, source_id, old_url):
    """The URL of the article's page: from views.json, or for a draft (not listed there)
    /ban-nhap/ and the slug of its last address, as a staff member's open tab would be."""
    url = url_of(output, source_id)
    if url:
        return url
    if old_url:
        return f"/ban-nhap/{old_url.rstrip('/').rsplit('/', 1)[-1]}/"
    return None


def wait_visible(port, output, content, path, marker, *, old_url, deadline):
    """Until the server shows the marker on the article's page (or 404 where it was)."""
    while time.monotonic() < deadline:
        if path is None:
            if get(port, old_url)[0] == 404:
                return True
        else:
            url = find_page(output, path.relative_to(content).as_posix(), old_url)
            if url:
                status, body = get(port, url)
                if status == 200 and marker in body:
                    return True
        time.sleep(0.01)
    return False


def run(content, output, count=24):
    """The preview of `content` (changed by the edits) into `output`: prints each edit and
    returns (median, p95) seconds."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "preview", "--port", str(port), "--no-search",
         "--content", str(content), "--output", str(output)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        started = time.monotonic()
        while True:
            try:
                if int(get(port, VERSION)[1]) >= 1:
                    break
            except OSError:
                time.sleep(0.2)
        print(f"preview: first build {time.monotonic() - started:.1f} s")
        articles = sorted((content / "bai-viet").rglob("*.md"))
        kinds, photo = edits(content)

        def timed(edit, path, marker):
            time.sleep(0.3)  # the previous build has settled
            old_url = url_of(output, path.relative_to(content).as_posix())
            began = time.monotonic()
            target = edit(path, marker)
            ok = wait_visible(
                port, output, content, target, marker, old_url=old_url, deadline=began + 60
            )
            return time.monotonic() - began, "" if ok else "  (timed out)"

        times = []
        for i in range(count):
            kind, edit = kinds[i % len(kinds)]
            path = articles[(i * 7919) % len(articles)]
            if not path.exists():
                path = articles[0]
            marker = f"dau-hieu-{i}-{time.time_ns() % 10**8:08d}"
            if kind == "photo":  # not timed: the article gets a photo of its own first
                line = own_photo(content, path)
                wait_visible(port, output, content, path, line, old_url=None,
                             deadline=time.monotonic() + 60)  # fmt: skip
            took, note = timed(edit, path, marker)
            times.append(took)
            print(f"  edit {i + 1:2d} {kind:10s} {took:6.2f} s{note}")
        # A photo that about a sixth of the corpus shows (each of its articles' pages changes):
        # rare on a real site (a banner every announcement uses), so apart from the others.
        shared = []
        for i in range(2):
            path = articles[(i * 104729 + 17) % len(articles)]
            if not path.exists():
                path = articles[1]
            took, note = timed(photo, path, f"dau-hieu-chung-{i}-{time.time_ns() % 10**8}")
            shared.append(took)
            print(f"  photo shown by ~{len(articles) // 6} articles {took:6.2f} s{note}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    times.sort()
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"edit-to-preview over {len(times)} edits: median {median:.2f} s, p95 {p95:.2f} s, "
        f"max {times[-1]:.2f} s; a photo shown by ~{len(articles) // 6} articles replaced: "
        f"{', '.join(f'{t:.2f}' for t in shared)} s (not in the median)"
    )
    return median, p95


def main(n=2000, count=24):
    with tempfile.TemporaryDirectory(prefix="ward-preview-bench-") as tmpdir:
        tmp = Path(tmpdir)
        content = make_corpus(tmp / "content", n)
        print(f"corpus: {n} articles")
        run(content, tmp / "preview", count)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
