"""Incremental builds write exactly what a clean build writes.

The differential test: one long-lived builder (the preview's, keeping read articles and page
digests between builds) follows a sequence of edits of every kind staff make; after each,
its folder is compared byte for byte with a clean build of the same content into an empty
folder. The other tests pin what makes builds fast: what is not re-rendered or rewritten.
"""

import json
import logging
import os
import random
import re
import shutil
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import photo_factory as pf
import pytest
from conftest import MANIFEST, ROOT, build_site, tree
from pelican.settings import read_settings

import publish_manifest
from bench.preview_bench import set_meta
from incremental import remove_unclaimed, snapshots
from incremental.digest import Digester
from incremental.state import _MEMORY, forget
from preview.builder import Builder

CATEGORIES = ["Tin hoạt động", "Thông báo", "Phát biểu chỉ đạo", "Hoạt động các phường"]


def clean_build(content, output, photos):
    forget(os.path.abspath(output))
    build_site(content, output, INCREMENTAL={"state_dir": None}, **photos)
    forget(os.path.abspath(output))
    return output


def articles(content):
    return sorted((content / "bai-viet").rglob("*.md"))


def meta(path, key):
    match = re.search(rf"^{key}: (.*)$", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else None


# --- the edits: each changes content/ and says what it did ----------------------------------


def edit_body(content, rng):
    path = rng.choice(articles(content))
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\nĐoạn mới số {rng.randrange(10**6)} được thêm vào cuối bài.\n")
    return f"body of {path.name}"


def edit_title(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Title", f"{meta(path, 'Title')} (cập nhật {rng.randrange(1000)})")
    return f"title of {path.name}"


def edit_date(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Date", f"{rng.choice([2021, 2022, 2024])}-0{rng.randrange(1, 10)}-15 08:30")
    return f"date of {path.name}"


def edit_category(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Category", rng.choice(CATEGORIES))
    return f"category of {path.name}"


def edit_tags(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Tags", rng.choice(["Môi trường, Tổ dân phố", "Chuyển đổi số", None]))
    return f"tags of {path.name}"


def edit_officials(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Officials", rng.choice(["vu-trong-thu", "le-van-hung, do-manh-cuong", None]))
    return f"officials of {path.name}"


def edit_image(content, rng):
    path = rng.choice(articles(content))
    images = sorted((content / "images").rglob("*.jpg"))
    set_meta(path, "Image", rng.choice(images).relative_to(content).as_posix())
    return f"featured image of {path.name}"


def edit_status(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Status", None if meta(path, "Status") else "draft")
    return f"status of {path.name}"


def used_photos(content):
    """The photos the articles show, as written (images/…), sorted."""
    found = (
        re.findall(r"images/[\w/.-]+\.jpg", p.read_text(encoding="utf-8"))
        for p in articles(content)
    )
    return sorted({m for names in found for m in names})


def replace_photo(content, rng):
    photo = content / rng.choice(used_photos(content))
    pf.camera_jpeg(photo, 320, 240, seed=rng.randrange(1000))
    return f"photo {photo.name} replaced"


def new_article(content, rng):
    source = rng.choice(articles(content))
    target = source.with_name(f"moi-{rng.randrange(10**6)}.md")
    shutil.copy(source, target)
    set_meta(target, "Title", f"Bài mới số {rng.randrange(10**6)}")
    return f"new article {target.name}"


def delete_article(content, rng):
    path = rng.choice(articles(content))
    path.unlink()
    return f"deleted {path.name}"


def edit_page(content, rng):
    path = content / "pages" / "gioi-thieu.md"
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\nThông tin bổ sung {rng.randrange(1000)}.\n")
    return "page gioi-thieu"


def pin(content, rng):
    path = rng.choice(articles(content))
    set_meta(path, "Pinned", None if meta(path, "Pinned") else "yes")
    return f"pinned {path.name}"


EDITS = [
    edit_body, edit_title, edit_date, edit_category, edit_tags, edit_officials, edit_image,
    edit_status, replace_photo, new_article, delete_article, edit_page, pin,
]  # fmt: skip


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """One photo cache for the builds of this module (photos are made once per photo)."""
    settings = {**read_settings(str(ROOT / "pelicanconf.py"))["PHOTOS"]}
    settings["cache_dir"] = str(tmp_path_factory.mktemp("photos"))
    return {"PHOTOS": settings}


@pytest.fixture
def site(tmp_path, photos):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    builder = Builder(
        str(ROOT / "pelicanconf.py"), str(content), str(tmp_path / "preview"), photos, defer=True
    )
    yield content, builder
    forget(os.path.abspath(tmp_path / "preview"))


def file_stamps(folder):
    return {
        p: snapshots.stamp(p)[1:] for p in map(str, Path(folder).rglob("*")) if os.path.isfile(p)
    }


def changed_files(before, after):
    """What the preview's watcher reports: the files saved, created or deleted."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def test_every_incremental_build_equals_a_clean_build(site, tmp_path, photos):
    # Each build is told which files changed, as the preview's watcher tells it: the kept
    # articles whose files are not among them are taken without a look at their files.
    content, builder = site
    assert not builder.build(full=True).problems
    rng = random.Random(2026)
    steps = [*EDITS, *(rng.choice(EDITS) for _ in range(5))]
    state = _MEMORY[os.path.abspath(builder.output)]
    for number, edit in enumerate(steps):
        before = file_stamps(content)
        what = edit(content, rng)
        result = builder.build(changed=changed_files(before, file_stamps(content)))
        expected = tree(clean_build(content, tmp_path / f"clean-{number}", photos))
        # A page asked for at once (the server's request) is already the right one.
        asked = rng.sample(sorted(state.deferred), min(4, len(state.deferred)))
        builder.materialize(asked)
        for path in asked:
            rel = os.path.relpath(path, builder.output).replace(os.sep, "/")
            assert Path(path).read_bytes() == expected.get(rel), (
                f"after edit {number} ({what}): {rel}"
            )
        unseen = []
        builder.on_unseen = unseen.append
        assert builder.complete() and not state.deferred
        assert unseen == [], f"after edit {number} ({what}): the watcher's files were enough"
        got = tree(builder.output)
        differing = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
        assert not differing, f"after edit {number} ({what}): {differing[:10]}"
        assert [p for p in result.problems if p[0] == "ERROR"] == [], what
        shutil.rmtree(tmp_path / f"clean-{number}")


def test_builds_cut_short_for_a_newer_save_leave_nothing_behind(site, tmp_path, photos):
    """A build the preview stops after the saved article's page (a newer save is waiting)
    leaves the rest to the next build. After a run of them (an article moved twice, another
    deleted), the next build equals a clean build, with no page of the addresses in between
    left; no page is served between a build cut short and the next one."""
    content, builder = site
    assert not builder.build(full=True).problems
    state = _MEMORY[os.path.abspath(builder.output)]
    newer = threading.Event()
    newer.set()
    moved, gone, other = articles(content)[2:5]
    first_address = None
    for number, edit in enumerate(["title", "title and delete", "category", "body"]):
        set_meta(moved, "Title", f"{meta(moved, 'Title')} (sửa lần {number})")
        if "delete" in edit:
            gone.unlink()
        if edit == "category":
            set_meta(moved, "Category", "Thông báo")
        result = builder.build(cut=newer)
        assert result.cut, edit
        first_address = first_address or next(iter(state.early))
    asked = threading.Thread(target=builder.materialize, args=([first_address],))
    asked.start()
    asked.join(0.3)
    assert asked.is_alive()  # it waits for the next build
    with open(other, "a", encoding="utf-8") as f:
        f.write("\nCâu thêm sau cùng.\n")
    result = builder.build(cut=threading.Event())
    asked.join(30)
    assert not asked.is_alive() and not result.cut
    assert builder.complete()
    expected = tree(clean_build(content, tmp_path / "clean", photos))
    got = tree(builder.output)
    differing = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
    assert not differing, differing[:10]


def test_make_html_after_edits_equals_a_clean_build(tmp_path, photos):
    """`make html` run after edits, each run a new process (the page table from var/build/)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out = tmp_path / "output"
    build_site(content, out, **photos)
    rng = random.Random(7)
    for number, edit in enumerate([edit_title, replace_photo, edit_tags, delete_article]):
        what = edit(content, rng)
        _MEMORY.clear()
        build_site(content, out, **photos)
        expected = tree(clean_build(content, tmp_path / f"clean-{number}", photos))
        got = tree(out)
        differing = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
        assert not differing, f"after {what}: {differing[:10]}"
        shutil.rmtree(tmp_path / f"clean-{number}")


def test_the_preview_forgets_deleted_articles(site):
    content, builder = site
    builder.build(full=True)
    state = _MEMORY[os.path.abspath(builder.output)]
    gone = articles(content)[0]
    assert str(gone) in state.contents
    gone.unlink()
    builder.build()
    assert str(gone) not in state.contents and len(state.contents) > 20


def test_a_rebuild_looks_at_each_kept_file_once(site, monkeypatch):
    """Deciding whether to read on several processes looks at every kept file; the build
    then takes what was found (and the listing of content/) instead of looking again. A
    photo many articles use is looked at once too."""
    content, builder = site
    shared = "images/2023/04/hien-mau-tinh-nguyen.jpg"
    other = content / "bai-viet" / "2023" / "le-trao-huy-hieu-dang-dot-3-2-2023.md"
    with open(other, "a", encoding="utf-8") as f:
        f.write(f'\n![Người dân chờ khám sàng lọc]({shared} "Ngày hội hiến máu")\n')
    assert not builder.build(full=True).problems
    looked = Counter()
    stamp = snapshots.stamp

    def counted(path):
        looked[path] += 1
        return stamp(path)

    monkeypatch.setattr(snapshots, "stamp", counted)
    monkeypatch.setattr("incremental.worker_count", lambda workers: 2)  # whatever the cores
    from pelican.generators import ArticlesGenerator, Generator

    walks = Counter()
    get_files = Generator.get_files

    def counted_walk(self, *args, **kwargs):
        walks[type(self)] += 1
        return get_files(self, *args, **kwargs)

    monkeypatch.setattr(Generator, "get_files", counted_walk)
    assert not builder.build().problems
    assert walks[ArticlesGenerator] == 1  # content/ listed once for the articles
    sources = [str(p) for p in articles(content)]
    assert all(looked[p] == 1 for p in sources), [p for p in sources if looked[p] != 1][:3]
    assert looked[str(content / shared)] == 1


def test_one_saved_article_renders_only_the_pages_that_show_it(site):
    content, builder = site
    builder.build(full=True)
    state = _MEMORY[os.path.abspath(builder.output)]
    total = len(state.pages)
    builder.build()
    builder.complete()
    assert state.rendered == []  # nothing changed: nothing rendered
    path = next(p for p in articles(content) if "vac-xin" in p.name)
    before = {p: p.stat().st_mtime_ns for p in Path(builder.output).rglob("*.html")}
    time.sleep(0.01)
    with open(path, "a", encoding="utf-8") as f:
        f.write("\nMột câu mới.\n")
    builder.build()
    builder.complete()
    rendered = {os.path.relpath(p, builder.output) for p in state.rendered}
    assert 0 < len(rendered) < total / 4, rendered
    assert any("vac-xin" in p for p in rendered)
    changed = {p for p, t in before.items() if p.stat().st_mtime_ns != t}
    # Pages rendered again with the same bytes (its neighbours' lists) are not rewritten.
    assert changed and len(changed) <= len(rendered)


def test_a_clean_cli_rebuild_rewrites_no_file(tmp_path, photos, caplog):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "files" / "2024").mkdir(parents=True)
    (content / "files" / "2024" / "ke-hoach.txt").write_text("Kế hoạch năm 2024.\n")
    set_meta(articles(content)[0], "Attachments", "files/2024/ke-hoach.txt")
    out = tmp_path / "output"
    build_site(content, out, **photos)
    stamps = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    _MEMORY.clear()  # a new process: articles as read and the page table from var/build/
    time.sleep(0.01)
    caplog.clear()
    caplog.set_level(logging.INFO)
    build_site(content, out, **photos)
    counts = [r.args for r in caplog.records if r.msg.startswith("Đã đọc %d bài")]
    assert len(counts) == 1 and counts[0][0] == 0 and counts[0][1] > 25  # nothing read again
    changed = [p for p, s in stamps.items() if (p.stat().st_mtime_ns, p.stat().st_ino) != s]
    assert [p.name for p in changed] == [MANIFEST]
    assert (out / "files" / "2024" / "ke-hoach.txt") in stamps  # an attachment is checked too
    assert list((tmp_path / "var" / "build").glob("pages-*.json"))


def test_a_file_edited_by_hand_in_the_output_is_written_again(tmp_path, photos):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out = tmp_path / "output"
    build_site(content, out, **photos)
    page = out / "gioi-thieu" / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"sua tay")
    build_site(content, out, **photos)
    assert page.read_bytes() == good


def test_files_no_part_of_the_build_claims_are_removed(tmp_path):
    out = tmp_path / "out"
    (out / "a" / "b").mkdir(parents=True)
    (out / "pagefind").mkdir()
    for rel in ("index.html", "a/cu.html", "a/b/cu.txt", "pagefind/x.js"):
        (out / rel).write_text("x")
    (out / "lien-ket").symlink_to("/etc")
    removed = remove_unclaimed(str(out), {"index.html"})
    assert removed == 3
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "index.html", "pagefind", "pagefind/x.js",
    ]  # fmt: skip


def test_the_files_claimed_are_those_of_the_manifest_this_build_wrote(tmp_path, photos):
    # The clean-up takes them from publish_manifest in memory, not from the file: the same.
    out = build_site(ROOT / "content", tmp_path / "out", **photos)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    claimed = publish_manifest.written(str(out))
    assert claimed == {*manifest["files"], *manifest["static"], MANIFEST}
    assert publish_manifest.written(str(tmp_path / "other")) is None
    # A build that stops before its manifest is written claims nothing: nothing is removed.
    publish_manifest.reset(SimpleNamespace(settings={}, output_path=str(out)))
    assert publish_manifest.written(str(out)) is None


def test_an_output_folder_holding_the_sources_is_never_cleaned(tmp_path, photos, caplog):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    keep = tmp_path / "ghi-chu-rieng.txt"  # a file of someone's, next to the content
    keep.write_text("đừng xóa")
    build_site(content, tmp_path, **photos)  # OUTPUTDIR mistyped as the project folder
    assert keep.read_text() == "đừng xóa"
    assert (content / "bai-viet").is_dir()
    assert "không xóa tệp cũ nào" in caplog.text


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"x": [1, 2]}, {"x": [1, 2]}, True),
        ({"x": [1, 2]}, {"x": [2, 1]}, False),
        ("1", 1, False),
        ({"k": "a"}, {"k": "a "}, False),
    ],
    ids=["equal", "order", "type", "text"],
)
def test_digest(a, b, same):
    assert (Digester().of(a) == Digester().of(b)) is same


def test_a_replaced_photo_redoes_the_figures_without_reading_the_articles(
    site, tmp_path, photos, caplog
):
    """The preview after a photo is replaced: the articles that show it are not read again
    (their figures are done again from the kept article), and the folder equals a clean
    build. A photo replaced by a broken file is read again and reported, on every build."""
    content, builder = site
    builder.build(full=True)
    photo = content / used_photos(content)[0]
    pf.camera_jpeg(photo, 360, 200, seed=5)  # another size: width and height change
    caplog.set_level(logging.INFO)
    caplog.clear()
    builder.build()
    builder.complete()
    counts = [r.args for r in caplog.records if r.msg.startswith("Đã đọc %d bài")]
    assert counts and counts[-1][0] == 0, counts  # no article read again
    assert not builder.last.problems
    expected = tree(clean_build(content, tmp_path / "clean", photos))
    got = tree(builder.output)
    assert sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)) == []

    photo.write_bytes(b"not a photo")
    for _ in range(2):
        builder.build()
        assert any(photo.name in message for _, message in builder.last.problems)


def test_a_save_the_watcher_missed_is_built_when_the_preview_is_idle(site):
    """A build told that nothing changed takes the kept articles as they are; once idle,
    the preview looks at their files, finds the one saved unseen, and builds again."""
    content, builder = site
    builder.build(full=True)
    assert builder.complete()
    path = content / "bai-viet" / "2022" / "dua-dich-vu-cong-truc-tuyen-den-tung-to-dan-pho.md"
    with open(path, "a", encoding="utf-8") as f:
        f.write("\nDauhieuchuathay.\n")
    unseen = []
    builder.on_unseen = unseen.append
    builder.build(changed=set())
    assert builder.complete()
    page = next(
        Path(builder.output).rglob("dua-dich-vu-cong-truc-tuyen-den-tung-to-dan-pho/index.html")
    )
    assert "Dauhieuchuathay" not in page.read_text(encoding="utf-8")
    assert unseen == [{str(path)}]
    builder.build(changed=unseen[0])
    assert builder.complete()
    assert "Dauhieuchuathay" in page.read_text(encoding="utf-8")
    # Without `changed` (after a failed build, or make html), every file is looked at.
    with open(path, "a", encoding="utf-8") as f:
        f.write("\nDauhieuthuhai.\n")
    builder.build()
    assert builder.complete()
    assert "Dauhieuthuhai" in page.read_text(encoding="utf-8")
