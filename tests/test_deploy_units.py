"""Unit tests of the deploy's pure parts, and the publish manifest's build test."""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import build_site

from deploy import releases as rel
from deploy.guards import RemoteInfo, assess_remote, check_target_path, parse_inspection
from deploy.outputcheck import check_output
from deploy.remote import bytes_sent, summarize
from deploy.settings import SettingsError, parse_settings
from publish_manifest import parse_settings as manifest_settings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "deploy" / "content"
GOOD = "DEPLOY_HOST=web.example.vn\nDEPLOY_PORT=2222\nDEPLOY_USER=deploy\nDEPLOY_PATH=/srv/thuongthanh\nDEPLOY_KEEP=4\n"


# --- settings ----------------------------------------------------------------------------------


def test_complete_settings():
    s = parse_settings(GOOD)
    assert (s.host, s.port, s.user, s.path, s.keep) == (
        "web.example.vn",
        2222,
        "deploy",
        "/srv/thuongthanh",
        4,
    )
    assert s.destination == "deploy@web.example.vn"
    assert (s.ssh_key, s.ssh_options) == ("", ())


@pytest.mark.parametrize(
    ("text", "attr", "expected"),
    [
        ("DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\n", "port", 22),
        ("DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\n", "keep", 5),
        ('DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH="/srv/a"\n', "path", "/srv/a"),
        ("export DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\n", "host", "h"),
        ("DEPLOY_HOST=h # máy chủ\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\n", "host", "h"),
        ("\n# ghi chú\nDEPLOY_HOST=h\n\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\n", "user", "u"),
        (
            'DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\nDEPLOY_SSH_OPTS="-o ConnectTimeout=5 -o Compression=yes"\n',
            "ssh_options",
            ("-o", "ConnectTimeout=5", "-o", "Compression=yes"),
        ),
        ("DEPLOY_HOST=2001:db8::1\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\n", "host", "2001:db8::1"),
        (
            'DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/a\nDEPLOY_SSH_OPTS=-o "ProxyCommand=ssh -W %h:%p j"\n',
            "ssh_options",
            ("-o", "ProxyCommand=ssh -W %h:%p j"),
        ),
        (
            GOOD + "DEPLOY_LOGS=/var/log/nginx/access.log*\nDEPLOY_VIEWS_DIR=/srv/t/current\n",
            "path",
            "/srv/thuongthanh",
        ),
        (GOOD, "logs", "/var/log/nginx/access.log*"),
        (GOOD.replace("thuongthanh", "thuongthanh/"), "views_dir", "/srv/thuongthanh/current"),
        (GOOD + "DEPLOY_VIEWS_DIR=/srv/t/current\n", "views_dir", "/srv/t/current"),
        (
            GOOD + "DEPLOY_LOGS=/var/log/nginx/tt.access.log.?.gz\n",
            "logs",
            "/var/log/nginx/tt.access.log.?.gz",
        ),
    ],
    ids=[
        "port-default",
        "keep-default",
        "quoted",
        "export-prefix",
        "inline-comment",
        "blank-and-comment-lines",
        "ssh-options-split",
        "ipv6-host",
        "ssh-options-words",
        "view-counts-keys-accepted",
        "logs-default",
        "views-dir-default",
        "views-dir",
        "logs-wildcards",
    ],
)
def test_settings_values(text, attr, expected):
    assert getattr(parse_settings(text), attr) == expected


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("", ["thiếu DEPLOY_HOST", "thiếu DEPLOY_USER", "thiếu DEPLOY_PATH"]),
        (GOOD.replace("DEPLOY_PATH=/srv/thuongthanh", "DEPLOY_PATH="), ["thiếu DEPLOY_PATH"]),
        (GOOD + "DEPLOY_PAHT=/srv/x\n", ["f:6: thiết lập lạ DEPLOY_PAHT", "ý bạn là DEPLOY_PATH"]),
        (GOOD + "DEPLOY_HOST=other\n", ["f:6: DEPLOY_HOST đã được đặt ở dòng 1"]),
        (GOOD + "DEPLOY_HOST other\n", ["f:6: dòng không đúng dạng"]),
        (
            GOOD + 'DEPLOY_SSH_OPTS="-o x\n',
            ["f:6: giá trị của DEPLOY_SSH_OPTS thiếu dấu ngoặc"],
        ),
        (GOOD.replace("2222", "0"), ["f:2: DEPLOY_PORT=0 không hợp lệ"]),
        (GOOD.replace("2222", "70000"), ["DEPLOY_PORT=70000 không hợp lệ"]),
        (GOOD.replace("2222", "abc"), ["DEPLOY_PORT=abc không hợp lệ"]),
        (GOOD.replace("DEPLOY_KEEP=4", "DEPLOY_KEEP=1"), ["DEPLOY_KEEP=1 không hợp lệ", "từ 2"]),
        (GOOD.replace("web.example.vn", "-oProxyCommand=x"), ["không phải tên máy"]),
        (GOOD.replace("USER=deploy", "USER=Nguyễn"), ["không phải tên tài khoản"]),
        (GOOD.replace("/srv/thuongthanh", "/srv/thuong thanh"), ["có khoảng trắng"]),
        (GOOD + "DEPLOY_SSH_KEY=/khong/co/khoa\n", ["không thấy tệp khóa ssh"]),
        (GOOD + "DEPLOY_LOGS=/var/log/*/access.log\n", ["f:6: DEPLOY_LOGS=/var/log/*/access.log"]),
        (
            GOOD + "DEPLOY_LOGS=/var/log/../../etc/x*\n",
            ["f:6: DEPLOY_LOGS", "thành phần . hoặc .."],
        ),
        (GOOD + "DEPLOY_VIEWS_DIR=/\n", ["f:6: DEPLOY_VIEWS_DIR=/ là thư mục gốc"]),
        (GOOD + "DEPLOY_VIEWS_DIR=/root\n", ["f:6: DEPLOY_VIEWS_DIR=/root là thư mục nhà"]),
    ],
    ids=[
        "empty-file",
        "empty-value",
        "typo-key",
        "duplicate",
        "no-equals",
        "unclosed-quote",
        "port-zero",
        "port-too-big",
        "port-not-number",
        "keep-one",
        "host-option-injection",
        "user-not-ascii",
        "space-in-value",
        "key-file-missing",
        "logs-wildcard-in-folder",
        "logs-dot-dot",
        "views-dir-root",
        "views-dir-home",
    ],
)
def test_settings_errors(text, messages):
    with pytest.raises(SettingsError) as error:
        parse_settings(text, "f")
    for message in messages:
        assert message in str(error.value)


# --- path guards -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/srv/thuongthanh",
        "/var/www/thuongthanh",
        "/srv/thuongthanh/",
        "/home/deploy/site",
        "/tmp/a/b",
    ],
    ids=["srv", "var-www", "trailing-slash", "inside-home", "tmp"],
)
def test_acceptable_paths(path):
    assert check_target_path(path) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "đang để trống"),
        ("   ", "đang để trống"),
        ("/", "thư mục gốc"),
        ("//", "thành phần . hoặc .. hoặc //"),
        ("/srv/..", "thành phần . hoặc .."),
        ("/srv/./x", "thành phần . hoặc .."),
        ("srv/thuongthanh", "không phải đường dẫn tuyệt đối"),
        ("~/site", "ký tự không cho phép"),
        ("$HOME/site", "ký tự không cho phép"),
        ("/srv/x;rm", "ký tự không cho phép"),
        ("/srv/thượng-thanh", "ký tự không cho phép"),
        ("/root", "thư mục nhà"),
        ("/home", "thư mục nhà"),
        ("/home/deploy", "thư mục nhà"),
        ("/home/deploy/", "thư mục nhà"),
        ("/Users/anh", "thư mục nhà"),
        ("/etc", "thư mục hệ thống"),
        ("/usr/share/nginx/html", "thư mục hệ thống"),
        ("/srv", "quá gần thư mục gốc"),
        ("/var", "quá gần thư mục gốc"),
    ],
    ids=[
        "empty",
        "blank",
        "root",
        "double-slash",
        "dot-dot",
        "dot",
        "relative",
        "tilde",
        "variable",
        "semicolon",
        "vietnamese-letters",
        "root-home",
        "home-parent",
        "user-home",
        "user-home-slash",
        "mac-home",
        "etc",
        "usr",
        "srv-itself",
        "var-itself",
    ],
)
def test_refused_paths(path, message):
    (problem,) = check_target_path(path)
    assert message in problem


def info(**fields):
    base = {
        "exists": True,
        "real": "/srv/thuongthanh",
        "home": "/home/deploy",
        "marker": "ward-news-site deploy target (make deploy-init ...)",
        "empty": False,
    }
    return RemoteInfo(**{**base, **fields})


@pytest.mark.parametrize(
    ("remote", "for_init", "message"),
    [
        (info(), False, None),
        (info(), True, None),
        (info(exists=False, real=""), True, None),
        (info(marker=None, empty=True), True, None),
        (info(marker=None), True, "đã có dữ liệu khác"),
        (info(real="/"), False, "thư mục gốc"),
        (info(real="/"), True, "thư mục gốc"),
        (info(real="/home/deploy"), False, "thư mục nhà"),
        (info(real="/home/deploy"), True, "thư mục nhà"),
        (info(real="/home", marker=None), True, "thư mục nhà"),
        (
            info(real="/var/www", homes=["/root", "/var/www", "/nonexistent"]),
            False,
            "thư mục nhà của một tài khoản",
        ),
        (
            info(real="/var/www", homes=["/var/www/"], marker=None, empty=True),
            True,
            "thư mục nhà của một tài khoản",
        ),
        (info(real="/var/www/site", homes=["/var/www"]), False, None),
        (info(real="/etc/nginx"), False, "thư mục hệ thống"),
        (info(exists=False, real=""), False, "chưa có trên máy chủ"),
        (info(marker=None), False, "không có tệp đánh dấu"),
        (info(marker="something else"), False, "không có tệp đánh dấu"),
        (info(current_is_link=False), False, "thư mục thật"),
        (info(is_dir=False), False, "là một tệp"),
    ],
    ids=[
        "ready",
        "init-again",
        "init-new",
        "init-empty",
        "init-foreign-content",
        "link-to-root",
        "init-link-to-root",
        "home",
        "init-home",
        "parent-of-home",
        "another-account-home",
        "init-another-account-home",
        "inside-another-account-home",
        "system-dir",
        "missing",
        "no-marker",
        "wrong-marker",
        "current-is-a-folder",
        "a-file",
    ],
)
def test_assess_remote(remote, for_init, message):
    problems = assess_remote(remote, "/srv/x", for_init=for_init)
    if message is None:
        assert problems == []
    else:
        (problem,) = problems
        assert message in problem


def test_parse_inspection():
    text = (
        "HOME /root\nHOMEDIR /root\nHOMEDIR /var/www\nEXISTS\nREAL /srv/t\nMARKER ward-news-site deploy target x\n"
        "CURRENT releases/20261129T190637Z\nNOT_EMPTY\nRELEASE 20261129T190637Z-1\n"
        "RELEASE 20261129T190637Z\nPARTIAL 20261130T000000Z.partial\n"
    )
    got = parse_inspection(text)
    assert (got.home, got.exists, got.real, got.empty) == ("/root", True, "/srv/t", False)
    assert got.marker == "ward-news-site deploy target x"
    assert got.current == "releases/20261129T190637Z"
    assert got.releases == ["20261129T190637Z", "20261129T190637Z-1"]
    assert got.partials == ["20261130T000000Z.partial"]
    assert got.homes == ["/root", "/var/www"]
    assert (got.is_dir, got.current_is_link) == (True, True)
    assert parse_inspection("HOME /root\n").exists is False
    odd = parse_inspection("EXISTS\nNOT_DIR\nCURRENT_NOT_LINK\nUNKNOWN line\n")
    assert (odd.exists, odd.is_dir, odd.current_is_link) == (True, False, False)


# --- releases ------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 29, 19, 6, 37, tzinfo=UTC)


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], "20261129T190637Z"),
        (["20261128T100000Z"], "20261129T190637Z"),
        (["20261129T190637Z"], "20261129T190637Z-1"),
        (["20261129T190637Z", "20261129T190637Z-1"], "20261129T190637Z-2"),
        (["20261201T000000Z"], "20261201T000000Z-1"),
    ],
    ids=["first", "later", "same-second", "same-second-twice", "server-clock-ahead"],
)
def test_new_name(existing, expected):
    assert rel.new_name(NOW, existing) == expected


def test_ordered_sorts_suffixes_by_number_and_skips_strangers():
    names = ["20261129T190637Z-10", "x", "20261129T190637Z-2", "20261129T190637Z", ".partial"]
    assert rel.ordered(names) == ["20261129T190637Z", "20261129T190637Z-2", "20261129T190637Z-10"]


R = ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z", "20260104T000000Z"]


@pytest.mark.parametrize(
    ("current", "expected"),
    [(R[2], R[1]), (R[0], None), (None, R[3]), ("20250101T000000Z", R[3])],
    ids=["middle", "oldest", "no-current", "unknown-current"],
)
def test_previous(current, expected):
    assert rel.previous(R, current) == expected


@pytest.mark.parametrize(
    ("keep", "protect", "expected"),
    [(2, [], R[:2]), (4, [], []), (10, [], []), (2, [R[0]], [R[1]])],
    ids=["keep-two", "keep-all", "keep-more-than-there-are", "current-is-old"],
)
def test_to_prune(keep, protect, expected):
    assert rel.to_prune(R, keep, protect) == expected


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("releases/20260101T000000Z", "20260101T000000Z"),
        ("/srv/t/releases/20260101T000000Z/", "20260101T000000Z"),
        ("/var/www/html", None),
        (None, None),
    ],
    ids=["relative", "absolute", "foreign", "none"],
)
def test_current_name(link, expected):
    assert rel.current_name(link) == expected


def test_release_time():
    assert rel.release_time("20261129T190637Z-3") == NOW


def test_summarize_rsync_itemized_lines():
    lines = [
        "cd+++++++++ files/",
        ">f+++++++++ files/a.txt",
        ">fcsT...... index.html",
        ".d..t...... theme/",
        "*deleting   old/page.html",
        "*deleting   old/",
    ]
    assert summarize(lines) == (["files/a.txt"], ["index.html"], ["old/page.html"])


# --- the output check and the manifest -----------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("publish") / "output"
    return build_site(FIXTURE, out, "publishconf.py", SITEURL="https://example.vn")


@pytest.fixture
def output(published, tmp_path):
    return Path(shutil.copytree(published, tmp_path / "output"))


def edit_manifest(out, change):
    path = out / ".publish-manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def article_entry(data):
    return data["files"]["tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-nam-2023/index.html"][0]


def test_manifest_records_what_the_publish_build_wrote(published):
    data = json.loads((published / ".publish-manifest.json").read_text(encoding="utf-8"))
    assert data["unpublished_write"] is False
    assert article_entry(data) == {
        "kind": "article",
        "source": "bai-viet/2024/hoi-nghi.md",
        "status": "published",
        "date": "2024-01-12T09:30:00+07:00",
    }
    sources = {item["source"] for items in data["files"].values() for item in items}
    assert "pages/404.md" in sources
    for unpublished in ("ban-nhap.md", "bai-an.md", "hen-gio.md"):
        assert f"bai-viet/2024/{unpublished}" not in sources
    # Photos are not static files: the photos plugin publishes resized variants only.
    assert not [path for path in data["static"] if path.startswith("images/")]
    assert list(published.glob("images/2024/03/toan-canh-*.webp"))
    assert "ban-nhap" in data["draft_dirs"]


def test_publish_output_passes(published):
    assert check_output(published) == []


def _remove(out, rel_path):
    (out / rel_path).unlink()


def _stray_page(out):
    (out / "cu").mkdir()
    (out / "cu" / "index.html").write_text("<html>bản cũ</html>")


def _stray(out, rel_path):
    (out / rel_path).parent.mkdir(parents=True, exist_ok=True)
    (out / rel_path).write_bytes(b"%PDF-1.4")


def _draft_dir(out):
    (out / "ban-nhap" / "bai").mkdir(parents=True)
    (out / "ban-nhap" / "bai" / "index.html").write_text("nháp")


def _status(status):
    return lambda out: edit_manifest(out, lambda d: article_entry(d).update(status=status))


def _future(out):
    edit_manifest(out, lambda d: article_entry(d).update(date="2099-01-01T08:00:00+07:00"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda out: _remove(out, "index.html"), "chưa có bản dựng"),
        (lambda out: _remove(out, ".publish-manifest.json"), "không do `make publish` tạo ra"),
        (lambda out: (out / ".publish-manifest.json").write_text("{"), "hỏng"),
        (lambda out: edit_manifest(out, lambda d: d.update(format=9)), "không đúng định dạng"),
        (lambda out: edit_manifest(out, lambda d: d.update(unpublished_write=True)), "bản xem thử"),
        (_draft_dir, "ban-nhap/ chứa bản nháp"),
        (_stray_page, "cu/index.html: tệp lạ"),
        (lambda out: _stray(out, "files/2024/khong-ai-dung.pdf"), "khong-ai-dung.pdf: tệp lạ"),
        (lambda out: _stray(out, "pagefind/trang.html"), "pagefind/trang.html: tệp lạ"),
        (lambda out: os.symlink("/etc/passwd", out / "passwd.txt"), "passwd.txt: là liên kết"),
        (lambda out: os.symlink("/etc", out / "files"), "files: là liên kết"),
        (_status("draft"), "chứa bản nháp từ content/bai-viet/2024/hoi-nghi.md"),
        (_status("hidden"), "chứa bài ẩn từ content/bai-viet/2024/hoi-nghi.md"),
        (_future, "bài hẹn giờ content/bai-viet/2024/hoi-nghi.md"),
        (lambda out: _remove(out, "luu-tru/index.html"), "luu-tru/index.html có trong danh mục"),
    ],
    ids=[
        "no-build",
        "no-manifest",
        "broken-manifest",
        "unknown-format",
        "preview-build",
        "drafts-folder",
        "stray-html",
        "unclaimed-file",
        "html-in-search-index",
        "file-symlink",
        "folder-symlink",
        "draft-article",
        "hidden-article",
        "future-article",
        "file-missing",
    ],
)
def test_output_check_refuses(output, mutate, message):
    mutate(output)
    problems = check_output(output)
    assert any(message in p for p in problems), problems
    assert all("make publish" in p for p in problems)


def test_search_index_and_every_written_file_pass(output):
    """Pagefind's index (written after the build) passes; so do the theme's files, the
    photos, sitemap.xml and robots.txt, which the manifest claims."""
    _stray(output, "pagefind/pagefind.js")
    _stray(output, "pagefind/index/vi_1a2b.pf_index")
    _stray(output, "pagefind/filter/vi_3c4d.pf_filter")
    assert check_output(output) == []
    data = json.loads((output / ".publish-manifest.json").read_text(encoding="utf-8"))
    claimed = {*data["files"], *data["static"]}
    assert {"sitemap.xml", "robots.txt", "theme/css/site.css"} <= claimed
    assert [p for p in claimed if p.startswith("images/2024/03/toan-canh-")]


def test_preview_build_is_refused(tmp_path):
    preview = build_site(FIXTURE, tmp_path / "output", "pelicanconf.py")
    problems = "\n".join(check_output(preview))
    assert "bản xem thử" in problems
    assert "ban-nhap/ chứa bản nháp" in problems
    assert "chứa bản nháp từ content/bai-viet/2024/ban-nhap.md" in problems
    assert "chứa bài ẩn từ content/bai-viet/2024/bai-an.md" in problems


def test_the_hidden_404_page_is_allowed(published):
    """Pelican writes hidden pages (not listed in menus); the 404 page is one."""
    data = json.loads((published / ".publish-manifest.json").read_text(encoding="utf-8"))
    assert data["files"]["404.html"][0]["status"] == "hidden"
    assert not any("404.html" in p for p in check_output(published))


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        ({}, True),
        ({"filename": ".m.json"}, True),
        ({"filename": "m.json"}, False),
        ({"x": 1}, False),
    ],
    ids=["default", "other-dot-file", "visible-file", "unknown-key"],
)
def test_manifest_settings(given, ok):
    if ok:
        assert manifest_settings({"PUBLISH_MANIFEST": given})["filename"].startswith(".")
    else:
        with pytest.raises(ValueError):
            manifest_settings({"PUBLISH_MANIFEST": given})


def test_a_failed_publish_leaves_nothing_to_deploy(tmp_path, published):
    """build_report stops a publish with a warning; the manifest of an earlier build must
    not survive to vouch for what is left in output/."""
    out = Path(shutil.copytree(published, tmp_path / "output"))
    content = Path(shutil.copytree(FIXTURE, tmp_path / "content"))
    broken = content / "bai-viet" / "2024" / "hoi-nghi.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("toan-canh.jpg", "khong-co.jpg"),
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        build_site(content, out, "publishconf.py", SITEURL="https://example.vn")
    assert not (out / ".publish-manifest.json").exists()
    assert check_output(out) != []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Number of files: 3", "Total bytes sent: 1,234,567", "Total bytes received: 9"], 1234567),
        (["Total bytes sent: 812"], 812),
        ([">f+++++++++ a"], None),
    ],
    ids=["thousands-separators", "plain", "no-stats"],
)
def test_bytes_sent(lines, expected):
    assert bytes_sent(lines) == expected


def test_stats_lines_are_not_taken_for_files():
    lines = ["Number of files: 3 (reg: 2, dir: 1)", "File list size: 0", "Total bytes sent: 5"]
    assert summarize(lines) == ([], [], [])


# --- the settings file stays out of git ----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        ("deploy/deploy.env", True),
        ("deploy/deploy.env~", True),  # editors' backups and swap files, copies by hand
        ("deploy/deploy.env.bak", True),
        ("deploy/deploy.env.orig", True),
        ("deploy/deploy.env.old", True),
        ("deploy/.deploy.env.swp", True),
        ("deploy/.deploy.env.swo", True),
        ("deploy/#deploy.env#", True),
        ("deploy/.#deploy.env", True),
        ("deploy/deploy.env.example.bak", True),
        ("deploy.env", True),  # a copy next to the Makefile
        ("deploy/deploy.env.example", False),  # the committed example
    ],
)
def test_the_settings_file_and_its_copies_are_git_ignored(name, ignored):
    proc = subprocess.run(["git", "check-ignore", "--no-index", "-q", name], cwd=ROOT, check=False)
    assert proc.returncode == (0 if ignored else 1), name


# --- Content-Security-Policy and the theme's inline script -------------------------------------


def test_csp_allows_exactly_the_themes_inline_scripts():
    """nginx's CSP names each inline script of the theme by its sha256: a script edited
    without its hash would be blocked on the web server (and the reader's text size lost)."""
    import base64
    import hashlib
    import re

    root = Path(__file__).resolve().parent.parent
    csp = re.search(
        r'Content-Security-Policy "([^"]+)"', (root / "deploy" / "nginx.conf").read_text()
    ).group(1)
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp))
    inline = []
    for template in (root / "theme" / "templates").rglob("*.html"):
        for script in re.findall(r"<script>(.*?)</script>", template.read_text(), re.S):
            assert "{" + "{" not in script and "{%" not in script, template  # same bytes served
            inline.append(base64.b64encode(hashlib.sha256(script.encode()).digest()).decode())
    assert inline, "the theme has its inline script in base.html"
    assert set(inline) == allowed
    assert "'unsafe-inline'" not in csp
