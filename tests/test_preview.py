"""The preview (`make devserver`): a real `python -m preview` process on a loopback port,
edited as staff edit, and its server's answers."""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT
from deploy_servers import free_port

from preview.builder import Builder, Result
from preview.server import VERSION_PATH, PreviewServer, _may_be_page

FIXTURE = ROOT / "tests" / "fixtures" / "theme"
OUTPUTS = {}  # port -> the preview's folder


def get(port, path, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    conn.close()
    return response.status, dict(response.getheaders()), body


def wait_for(predicate, seconds=60, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def build_number(port):
    try:
        return int(get(port, VERSION_PATH, timeout=2)[2])
    except OSError:
        return 0


@contextlib.contextmanager
def running_preview(content, folder):
    """The real preview of `content` on a free port, writing into folder/preview (its log in
    folder/preview.log): yields (port, process) once its first build is done."""
    port = free_port()
    with open(folder / "preview.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "preview", "--port", str(port), "--no-search",
             "--content", str(content), "--output", str(folder / "preview")],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(lambda: build_number(port) >= 1, 120, "the first build")
            yield port, proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture
def preview(tmp_path):
    """(content folder, port, process) of a running preview of a copy of the theme fixture."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    with running_preview(content, tmp_path) as (port, proc):
        OUTPUTS[port] = tmp_path / "preview"
        yield content, port, proc


def article_text(content, name):
    return (content / "bai-viet" / "2022" / name).read_text(encoding="utf-8")


def test_a_save_shows_in_the_preview_and_a_404_is_the_sites(preview):
    content, port, _ = preview
    status, headers, body = get(port, "/")
    assert status == 200 and VERSION_PATH in body  # the page reloads itself
    status, _, body = get(port, "/khong-co-trang-nay/")
    assert status == 404 and "Không tìm thấy trang" in body
    status, headers, _ = get(port, "/gioi-thieu")
    assert status == 301 and headers["Location"] == "/gioi-thieu/"
    assert get(port, "/../../etc/passwd")[0] == 404

    shown = build_number(port)
    waiting = {}
    # A page waiting for a newer build is answered as soon as it is there.
    thread = threading.Thread(
        target=lambda: waiting.setdefault("answer", get(port, f"{VERSION_PATH}?sau={shown}", 30))
    )
    thread.start()
    path = content / "bai-viet" / "2022" / "tiem-chung.md"
    path.write_text(
        article_text(content, "tiem-chung.md") + "\nCâu mới thêm khi xem thử.\n", encoding="utf-8"
    )
    thread.join(30)
    assert int(waiting["answer"][2]) > shown
    url = wait_for(lambda: _find_url(port, "Câu mới thêm"), 30, "the new sentence")
    assert url.endswith("/")


def _find_url(port, text):
    """The address of the article page that the server answers with `text` in it."""
    found = [
        "/" + p.relative_to(OUTPUTS[port]).parent.as_posix() + "/"
        for p in Path(OUTPUTS[port]).glob("*/*/index.html")
        if text in p.read_text(encoding="utf-8")
    ]
    return next((url for url in found if text in get(port, url)[2]), None)


def test_saves_during_a_build_are_not_lost(preview):
    content, port, _ = preview
    folder = content / "bai-viet" / "2022"
    names = ["tiem-chung.md", "mot-cua.md", "lich-cat-dien.md"]
    for number, name in enumerate(names):  # three saves 0.15 s apart: builds overlap them
        path = folder / name
        mark = f"\nDấu-vết-số-{number} được ghi lại ở đây.\n"
        path.write_text(path.read_text(encoding="utf-8") + mark, "utf-8")
        time.sleep(0.15)
    for number in range(len(names)):
        wait_for(lambda n=number: _find_url(port, f"Dấu-vết-số-{n}"), 60, f"save {number}")


def test_a_broken_article_shows_the_problem_not_the_old_page(preview):
    content, port, _ = preview
    url = "/tin-hoat-dong/tram-y-te-phuong-to-chuc-tiem-chung-mo-rong-thang-8/"
    assert get(port, url)[0] == 200
    path = content / "bai-viet" / "2022" / "tiem-chung.md"
    text = path.read_text(encoding="utf-8")
    shown = build_number(port)
    path.write_text(text.replace("Date: ", "Date: hôm qua ", 1), encoding="utf-8")
    wait_for(lambda: build_number(port) > shown, 30, "a build")
    _, _, body = wait_for(lambda: _if_status(port, url, 404), 30, "the error page")
    assert "tiem-chung.md:" in body and "Bản xem thử" in body
    # Other pages carry the list of problems too.
    assert "tiem-chung.md:" in get(port, "/")[2]
    shown = build_number(port)
    path.write_text(text, encoding="utf-8")  # fixed: the page comes back, no banner
    wait_for(lambda: build_number(port) > shown, 30, "the build after the fix")
    _, _, body = wait_for(lambda: _if_status(port, url, 200), 30, "the page back")
    assert 'role="alert"' not in body, body[body.find('role="alert"') :][:600]


def _if_status(port, url, wanted):
    answer = get(port, url)
    return answer if answer[0] == wanted else None


def test_a_busy_port_is_said_in_vietnamese(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "preview", "--port", str(port), "--no-search",
             "--content", str(FIXTURE), "--output", str(tmp_path / "out")],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert proc.returncode == 2
    assert f"Cổng {port} đang bận" in proc.stderr
    assert f"PORT={port + 1}" in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_preview_never_writes_into_the_content_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "preview", "--content", str(FIXTURE), "--output",
         str(FIXTURE / "out"), "--port", str(free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "không được nằm trong" in proc.stderr
    assert not (FIXTURE / "out").exists()


@pytest.fixture
def server(tmp_path):
    (tmp_path / "404.html").write_text("<html><body><h1>Không tìm thấy</h1></body></html>")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<html><body><p>Trang a</p></body></html>")
    status = {"result": Result(3, 0.1, False, [])}
    srv = PreviewServer(("127.0.0.1", 0), str(tmp_path), lambda: status["result"])
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1], status
    srv.shutdown()
    srv.server_close()


def test_problems_are_listed_on_every_page_escaped(server):
    port, status = server
    status["result"] = Result(4, 0.1, False, [("ERROR", "bai.md:3: <script>sai</script> ngày")])
    body = get(port, "/a/")[2]
    assert "bai.md:3: &lt;script&gt;sai&lt;/script&gt; ngày" in body
    assert "<script>sai" not in body
    status_code, _, body = get(port, "/bai-da-hong/")
    assert status_code == 404 and "Chưa có trang /bai-da-hong/" in body and "bai.md:3" in body


def test_the_folder_is_served_as_built(server, tmp_path):
    port, _ = server
    status, headers, body = get(port, "/a/")
    assert status == 200 and "Trang a" in body and headers["Cache-Control"] == "no-store"
    assert Path(tmp_path, "a", "index.html").read_text().count("script") == 0  # not written
    assert get(port, "/khong-co/")[0] == 404
    assert os.path.exists(tmp_path / "404.html")


def test_a_saved_or_new_article_is_rendered_when_asked_for_before_the_rest(tmp_path):
    """A build after a save renders only the pages of the articles it read anew (the saved
    one, a new one, a draft), first; the server renders the one it is asked for at once, and the rest
    waits for the background."""
    content, out = tmp_path / "content", tmp_path / "preview"
    shutil.copytree(FIXTURE, content)
    builder = Builder(str(ROOT / "pelicanconf.py"), str(content), str(out), defer=True)
    assert not builder.build(full=True).problems
    srv = PreviewServer(("127.0.0.1", 0), str(out), lambda: builder.last, builder.materialize)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        sitemap = (out / "sitemap.xml").stat()
        saved = content / "bai-viet" / "2022" / "tiem-chung.md"
        saved.write_text(
            saved.read_text("utf-8") + "\nCâu vừa lưu có dấu hiệu LUU-42 ở giữa câu.\n", "utf-8"
        )
        draft = content / "bai-viet" / "2023" / "ban-nhap.md"
        draft.write_text(draft.read_text("utf-8") + "\nBản nháp sửa NHAP-3.\n", "utf-8")
        drafts = {str(p) for p in out.glob("ban-nhap/*/index.html")}
        (content / "bai-viet" / "2022" / "bai-moi.md").write_text(
            "Title: Bài mới viết\nDate: 2022-06-01 08:00\nCategory: Thông báo\n\nNội dung MOI-7 của bài mới viết.\n",
            "utf-8",
        )
        assert not builder.build().problems
        urls = {
            a["id"]: url
            for url, a in json.loads((out / "views.json").read_text("utf-8"))["articles"].items()
        }
        waiting = len(builder_state(out).deferred)
        assert waiting > 20
        early = set(builder_state(out).early)
        assert early - drafts == {
            str(out / urls[source].strip("/") / "index.html")
            for source in ("bai-viet/2022/tiem-chung.md", "bai-viet/2022/bai-moi.md")
        }
        assert len(early & drafts) == 1 and "NHAP-3" in Path(*(early & drafts)).read_text("utf-8")
        assert "LUU-42" in get(port, urls["bai-viet/2022/tiem-chung.md"])[2]
        status, _, body = get(port, urls["bai-viet/2022/bai-moi.md"])
        assert status == 200 and "MOI-7" in body
        assert len(builder_state(out).deferred) == waiting - 2  # only these two
        # The sitemap is kept as it was until every page is rendered, then written.
        assert (out / "sitemap.xml").stat().st_mtime_ns == sitemap.st_mtime_ns
        assert builder.complete() and not builder_state(out).deferred
        assert "/bai-moi-viet/" in (out / "sitemap.xml").read_text("utf-8")
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def served(tmp_path):
    """A copy of the theme fixture built once, and served as `python -m preview` serves it:
    (content, output, builder, port)."""
    content, out = tmp_path / "content", tmp_path / "preview"
    shutil.copytree(FIXTURE, content)
    builder = Builder(str(ROOT / "pelicanconf.py"), str(content), str(out), defer=True)
    assert not builder.build(full=True).problems
    srv = PreviewServer(
        ("127.0.0.1", 0), str(out), lambda: builder.last, builder.materialize, builder.first
    )
    builder.on_first = srv.announce
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield content, out, builder, srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def article_url(out, source):
    """The address of the article of `source` (relative to content/) in the last build."""
    views = json.loads((out / "views.json").read_text("utf-8"))["articles"]
    return next(url for url, a in views.items() if a["id"] == source)


def test_the_saved_article_is_served_before_its_build_ends(served):
    """The build after a save renders the saved article's page first; the server serves it
    (with the problems found so far) and wakes the open tab while the build goes on."""
    from pelican import signals

    content, out, builder, port = served
    url = article_url(out, "bai-viet/2022/tiem-chung.md")
    other = article_url(out, "bai-viet/2022/mot-cua.md")
    worked_out, go = threading.Event(), threading.Event()
    held, release = threading.Event(), threading.Event()

    def before_output(generators):  # the build waits for the requests to be in
        worked_out.set()
        go.wait(30)

    def hold(generator, writer):  # the build stops after the articles' output
        held.set()
        release.wait(30)

    answers = {}

    def ask(name, path):
        answers[name] = get(port, path, timeout=30)

    signals.all_generators_finalized.connect(before_output)
    signals.article_writer_finalized.connect(hold)
    building = threading.Thread(target=builder.build)
    try:
        saved = content / "bai-viet" / "2022" / "tiem-chung.md"
        text = saved.read_text("utf-8").replace("Tags: y tế", "Tags: y tế\nOfficials: khong-co")
        saved.write_text(text + "\nCâu vừa lưu có dấu hiệu SOM-42.\n", "utf-8")
        building.start()
        assert worked_out.wait(60)
        # The page open in a tab asks for a newer build or its own page; the saved page is
        # asked for; both wait.
        askers = [
            threading.Thread(target=ask, args=("tab", f"{VERSION_PATH}?sau=1&trang={url}")),
            threading.Thread(target=ask, args=("page", url)),
        ]
        for asker in askers:
            asker.start()
        time.sleep(0.3)
        assert not answers
        go.set()
        assert held.wait(60)
        for asker in askers:
            asker.join(10)
        assert answers["tab"][2] == "moi"
        status, _, body = answers["page"]
        assert status == 200 and "SOM-42" in body
        # The problem the build found so far is on the page; the page reloads when the
        # build is done (it asks for build 2 without its own page).
        assert "khong-co" in body and "const shown = 1;" in body and "trang=" not in body
        assert "lần dựng 2, đang dựng tiếp" in body
        # Its style sheet does not wait for the build either.
        assert get(port, "/theme/css/site.css", timeout=5)[0] == 200
        assert builder.running is not None  # still building
        # A page not rendered first waits for the end of the build.
        late = {}
        reader = threading.Thread(target=lambda: late.update(page=get(port, other, timeout=30)))
        reader.start()
        reader.join(0.5)
        assert reader.is_alive()
        release.set()
        building.join(60)
        reader.join(30)
        assert late["page"][0] == 200 and "const shown = 2;" in late["page"][2]
        assert get(port, f"{VERSION_PATH}?sau=1")[2] == "2"
    finally:
        go.set()
        release.set()
        signals.all_generators_finalized.disconnect(before_output)
        signals.article_writer_finalized.disconnect(hold)


def test_the_article_saved_goes_first_not_every_one_sharing_its_photo(tmp_path):
    """A replaced photo brings up to date every article that shows it; when one of them was
    saved too, its page alone is rendered first (a photo may be shared by many)."""
    from PIL import Image

    content, out = tmp_path / "content", tmp_path / "preview"
    shutil.copytree(FIXTURE, content)
    saved = content / "bai-viet" / "2022" / "hoi-nghi-so-ket.md"
    (content / "bai-viet" / "2022" / "cung-anh.md").write_text(
        "Title: Bài dùng chung ảnh\nDate: 2022-07-02 08:00\nCategory: Tin hoạt động\n\n"
        '![Toàn cảnh](images/2022/07/toan-canh.jpg "Toàn cảnh hội nghị")\n',
        "utf-8",
    )
    builder = Builder(str(ROOT / "pelicanconf.py"), str(content), str(out), defer=True)
    assert not builder.build(full=True).problems
    pages = {
        source: str(out / article_url(out, f"bai-viet/2022/{source}").strip("/") / "index.html")
        for source in ("hoi-nghi-so-ket.md", "cung-anh.md")
    }
    photo = content / "images" / "2022" / "07" / "toan-canh.jpg"

    def replace_photo():
        with Image.open(photo) as im:
            turned = im.rotate(180)
        turned.save(photo, quality=80)

    replace_photo()
    assert not builder.build().problems
    assert set(builder_state(out).early) == set(pages.values())
    builder.complete()
    replace_photo()
    saved.write_text(saved.read_text("utf-8") + "\nCâu mới.\n", "utf-8")
    assert not builder.build().problems
    assert set(builder_state(out).early) == {pages["hoi-nghi-so-ket.md"]}


@contextlib.contextmanager
def held_after_the_articles(builder):
    """A build of `builder` in a thread, held after the articles' output (the pages rendered
    first are out) while the block runs; yields a function that lets it end and waits."""
    from pelican import signals

    held, release = threading.Event(), threading.Event()

    def hold(generator, writer):
        held.set()
        release.wait(30)

    signals.article_writer_finalized.connect(hold)
    building = threading.Thread(target=builder.build)
    try:
        building.start()
        assert held.wait(60)

        def finish():
            release.set()
            building.join(60)

        yield finish
    finally:
        release.set()
        signals.article_writer_finalized.disconnect(hold)


def test_the_old_address_of_an_article_that_moved_leads_to_the_new_one(served):
    """A changed title moves the article (its address comes from the title): its old
    address redirects to the new one, from the moment its page is rendered first, and
    after the build; the tab open on the old address is woken."""
    content, out, builder, port = served
    old = article_url(out, "bai-viet/2022/tiem-chung.md")
    saved = content / "bai-viet" / "2022" / "tiem-chung.md"
    text = saved.read_text("utf-8").replace(
        "Title: Trạm y tế phường tổ chức tiêm chủng mở rộng tháng 8",
        "Title: Tiêm chủng mở rộng tháng 8 năm 2022",
    )
    saved.write_text(text, "utf-8")
    with held_after_the_articles(builder) as finish:
        new = "/tin-hoat-dong/tiem-chung-mo-rong-thang-8-nam-2022/"  # views.json: at the end
        assert get(port, f"{VERSION_PATH}?sau=1&trang={old}")[2] == "moi"
        status, headers, _ = get(port, old)
        assert (status, headers["Location"]) == (302, new)
        status, _, body = get(port, new)
        assert status == 200 and "<h1>Tiêm chủng mở rộng tháng 8" in body
        finish()
    assert article_url(out, "bai-viet/2022/tiem-chung.md") == new
    assert not (out / old.strip("/") / "index.html").exists()
    status, headers, _ = get(port, old)
    assert (status, headers["Location"]) == (302, new)


def test_a_deleted_article_is_gone_from_the_preview_before_its_build_ends(served):
    """The page of a deleted article answers with the site's 404 page as soon as the build
    has worked out the site, and the open tab on it is woken then; a file renamed (the same
    article, the same address) keeps its page."""
    content, out, builder, port = served
    deleted = article_url(out, "bai-viet/2022/tiem-chung.md")
    kept = article_url(out, "bai-viet/2022/mot-cua.md")
    folder = content / "bai-viet" / "2022"
    (folder / "tiem-chung.md").unlink()
    (folder / "mot-cua.md").rename(folder / "mot-cua-doi-ten.md")
    with held_after_the_articles(builder) as finish:
        assert get(port, f"{VERSION_PATH}?sau=1&trang={deleted}")[2] == "moi"
        status, _, body = get(port, deleted, timeout=5)
        assert status == 404 and "Không tìm thấy trang" in body
        status, _, body = get(port, kept, timeout=5)
        assert status == 200 and "<h1>" in body
        assert builder.running is not None  # still building
        finish()
    assert get(port, deleted)[0] == 404 and get(port, kept)[0] == 200
    assert article_url(out, "bai-viet/2022/mot-cua-doi-ten.md") == kept


@pytest.mark.parametrize(
    ("path", "page"),
    [("/", True), ("/tin-tuc/bai/", True), ("/404.html", True), ("/sitemap.xml", True),
     ("/robots.txt", True), ("/theme/css/site.css", False), ("/theme/js/site.js", False),
     ("/images/2022/07/a.jpg", False), ("/theme/images/emblem.svg", False),
     ("/tai-lieu/quyet-dinh.pdf", False), ("/theme/fonts/a.woff2", False)],
)  # fmt: skip
def test_only_what_a_template_may_write_waits_for_a_build(path, page):
    assert _may_be_page(path) is page


def builder_state(out):
    from incremental.state import state_for

    return state_for(os.path.abspath(out), None)


def test_a_page_that_fails_when_asked_for_is_a_problem_of_the_build(tmp_path):
    """A page rendered after its build (on request or in the background) that raises is
    listed with the build's problems, not lost in a thread."""

    class Broken:
        def render_now(self, localcontext):
            raise ValueError("thiếu biến 'x'")

    content, out = tmp_path / "content", tmp_path / "preview"
    shutil.copytree(FIXTURE, content)
    builder = Builder(str(ROOT / "pelicanconf.py"), str(content), str(out), defer=True)
    assert not builder.build(full=True).problems
    state = builder_state(out)
    page = str(out / "hong" / "index.html")
    state.deferred[page] = (Broken(), {}, None)
    builder.materialize([page])
    assert builder.last.problems == [
        ("ERROR", "Không dựng được trang hong/index.html: thiếu biến 'x'")
    ]
    state.deferred[page] = (Broken(), {}, None)
    assert builder.complete() and len(builder.last.problems) == 2


def test_a_build_frees_the_last_one_without_a_cycle_collection(tmp_path):
    """The preview keeps the cycle collector off its builds' objects (a collection walks the
    whole site); the last build's articles, which point at each other and at the context
    that lists them, are emptied when the next build replaces them, so what they hold is
    freed by reference counting. (Jinja leaves cycles of its own after each page it renders,
    which may still point at the empty articles until the next collection.)"""
    import gc
    import weakref

    from pelican import signals

    content, out = tmp_path / "content", tmp_path / "preview"
    shutil.copytree(FIXTURE, content)
    builder = Builder(str(ROOT / "pelicanconf.py"), str(content), str(out), defer=True)
    built = []

    def keep(generators):
        built.append([weakref.ref(a) for a in generators[0].context["articles"]])

    signals.all_generators_finalized.connect(keep)
    try:
        assert not builder.build(full=True).problems
        saved = content / "bai-viet" / "2022" / "tiem-chung.md"
        for sentence in ("Một câu mới.", "Một câu nữa."):
            saved.write_text(saved.read_text("utf-8") + f"\n{sentence}\n", "utf-8")
            assert not builder.build().problems
        gc.collect()  # what the test itself left
        gc.disable()  # none may run between the builds
        try:
            saved.write_text(saved.read_text("utf-8") + "\nCâu thứ ba.\n", "utf-8")
            assert not builder.build().problems
            assert len(built) == 4 and len(built[2]) > 5
            left = [ref() for ref in built[2] if ref() is not None]
            assert all(vars(article) == {} for article in left)
            assert all(ref() is not None for ref in built[3])
        finally:
            gc.enable()
    finally:
        signals.all_generators_finalized.disconnect(keep)
