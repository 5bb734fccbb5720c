"""`make deploy` against a real sshd, rsync and nginx, and the theme under its CSP in chromium.

The test starts Debian's sshd (as root, on a loopback port, with a throwaway key and its own
sshd_config) and nginx (with deploy/nginx.conf, templated for a temporary root and port).
"""

import getpass
import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "deploy" / "content"
SSHD = "/usr/sbin/sshd"
NGINX = "/usr/sbin/nginx"
MANIFEST = ".publish-manifest.json"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, proc, what, log):
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} stopped at start:\n{Path(log).read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{what} did not listen on {port}")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    if not os.access(SSHD, os.X_OK):
        pytest.fail(f"{SSHD} missing: run tools/system-deps.sh (package openssh-server)")
    d = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / name)], check=True
        )
    (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
    port = free_port()
    user = getpass.getuser()
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d / 'host_key'}\n"
        f"PidFile {d / 'sshd.pid'}\nAuthorizedKeysFile {d / 'authorized_keys'}\n"
        "PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
        f"AllowUsers {user}\nLogLevel VERBOSE\nMaxStartups 50\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
    log = d / "sshd.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(d / "sshd_config")], stderr=err)
    wait_for_port(port, proc, "sshd", log)
    host_pub = (d / "host_key.pub").read_text().split()
    (d / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
    yield {"port": port, "user": user, "key": d / "client_key", "known": d / "known_hosts", "log": log}
    stop(proc)


def logins(sshd):
    """How many ssh sessions the server accepted so far."""
    return sshd["log"].read_text(errors="replace").count("Accepted publickey")


def write_env(path, sshd, target, keep=3, **extra):
    lines = {
        "DEPLOY_HOST": "127.0.0.1",
        "DEPLOY_PORT": str(sshd["port"]),
        "DEPLOY_USER": sshd["user"],
        "DEPLOY_PATH": str(target),
        "DEPLOY_KEEP": str(keep),
        "DEPLOY_SSH_KEY": str(sshd["key"]),
        "DEPLOY_SSH_OPTIONS": f'"-o UserKnownHostsFile={sshd["known"]} -o StrictHostKeyChecking=yes"',
        **extra,
    }
    path.write_text("".join(f"{k}={v}\n" for k, v in lines.items() if v is not None))
    return path


def run_deploy(env, output, *args):
    return subprocess.run(
        [sys.executable, "-m", "deploy", "--env-file", str(env), "--output", str(output), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def ok(proc):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def snapshot(root):
    """Every entry under root (root included): kind, inode, size, mtime, link target."""
    root = Path(root)
    if not root.exists() and not root.is_symlink():
        return None
    out = {}
    for path in [root, *sorted(root.rglob("*"))]:
        st = path.lstat()
        link = os.readlink(path) if path.is_symlink() else None
        out[path.relative_to(root).as_posix()] = (st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, link)
    return out


def tree(root):
    """{relative path: bytes} of the files under root."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- the site --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http_port():
    return free_port()


@pytest.fixture(scope="module")
def site_a(tmp_path_factory, http_port):
    """A publish build of the fixture content, with SITEURL on the test's nginx."""
    out = tmp_path_factory.mktemp("build") / "output"
    return build_site(FIXTURE, out, "publishconf.py", SITEURL=f"http://127.0.0.1:{http_port}")


def variant(site, dest, tag):
    """A copy of `site` where every HTML page differs (a comment before </html>), one
    attachment is added and everything else is byte-identical."""
    shutil.copytree(site, dest)
    for page in dest.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "</html>" in text
        page.write_text(text.replace("</html>", f"<!-- ban {tag} -->\n</html>"), encoding="utf-8")
    (dest / "files").mkdir(exist_ok=True)
    (dest / "files" / f"thong-bao-{tag}.txt").write_text(f"Tệp đính kèm {tag}\n", encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def site_b(site_a, tmp_path_factory):
    return variant(site_a, tmp_path_factory.mktemp("build-b") / "output", "B")


@pytest.fixture
def target(tmp_path):
    return tmp_path / "srv" / "thuongthanh"


@pytest.fixture
def env(tmp_path, sshd, target):
    return write_env(tmp_path / "deploy.env", sshd, target)


def current_release(target):
    return os.readlink(target / "current")


def releases(target):
    return sorted(p.name for p in (target / "releases").iterdir())


# --- deploy, second deploy, rollback, prune --------------------------------------------------


def test_first_deploy_uploads_the_site_and_points_current_at_it(env, target, site_a):
    ok(run_deploy(env, site_a, "init"))
    assert (target / ".ward-deploy-target").read_text().startswith("ward-news-site deploy target")
    assert releases(target) == []

    out = ok(run_deploy(env, site_a, "deploy"))
    (name,) = releases(target)
    assert current_release(target) == f"releases/{name}"
    assert "Đã chuyển current" in out
    expected = tree(site_a)
    del expected[MANIFEST]  # the manifest stays home
    assert tree(target / "current") == expected
    assert not list(target.glob(".current.tmp*"))


def test_second_deploy_hard_links_unchanged_files(env, target, site_a, site_b):
    ok(run_deploy(env, site_a, "init"))
    ok(run_deploy(env, site_a, "deploy"))
    ok(run_deploy(env, site_b, "deploy"))
    first, second = releases(target)
    assert current_release(target) == f"releases/{second}"
    old, new = target / "releases" / first, target / "releases" / second
    expected = tree(site_b)
    del expected[MANIFEST]
    assert tree(new) == expected

    for unchanged in ("images/2024/03/toan-canh.jpg", "theme/css/site.css", "feeds/all.atom.xml"):
        assert (old / unchanged).stat().st_ino == (new / unchanged).stat().st_ino, unchanged
    for changed in ("index.html", "404.html"):
        assert (old / changed).stat().st_ino != (new / changed).stat().st_ino, changed
    assert (new / "files/thong-bao-B.txt").is_file()
    assert not (old / "files").exists()


def test_rollback_and_releases_list(env, target, site_a, site_b):
    ok(run_deploy(env, site_a, "init"))
    ok(run_deploy(env, site_a, "deploy"))
    ok(run_deploy(env, site_b, "deploy"))
    first, second = releases(target)

    listing = ok(run_deploy(env, site_a, "releases"))
    assert f"* {second}" in listing
    assert f"  {first}" in listing
    assert "đang dùng" in listing

    out = ok(run_deploy(env, site_a, "rollback"))
    assert current_release(target) == f"releases/{first}"
    assert "Đã quay về" in out
    assert (target / "current" / "index.html").read_bytes() == (site_a / "index.html").read_bytes()

    before = snapshot(target)
    refused = run_deploy(env, site_a, "rollback")
    assert refused.returncode == 1
    assert "Không có bản nào trước" in refused.stderr
    assert snapshot(target) == before

    ok(run_deploy(env, site_a, "rollback", "--to", second))
    assert current_release(target) == f"releases/{second}"


def test_only_the_newest_releases_are_kept(tmp_path, sshd, target, site_a, site_b):
    env = write_env(tmp_path / "deploy.env", sshd, target, keep=2)
    ok(run_deploy(env, site_a, "init"))
    names = []
    for site in (site_a, site_b, site_a):
        ok(run_deploy(env, site, "deploy"))
        names.append(current_release(target).split("/")[1])
    assert releases(target) == names[1:]
    assert len(set(names)) == 3


# --- dry run -------------------------------------------------------------------------------


def test_dry_run_shows_the_changes_and_changes_nothing(env, target, site_a, site_b):
    ok(run_deploy(env, site_a, "init"))
    first_time = snapshot(target)
    out = ok(run_deploy(env, site_a, "deploy", "--dry-run"))
    assert "lần đầu" in out
    assert snapshot(target) == first_time

    ok(run_deploy(env, site_a, "deploy"))
    before = snapshot(target)
    out = ok(run_deploy(env, site_b, "deploy", "--dry-run"))
    assert snapshot(target) == before
    assert "Thêm: files/thong-bao-B.txt" in out
    assert "Sửa: index.html" in out
    assert "Sửa: theme/css/site.css" not in out
    assert "Chưa thay đổi gì" in out


def test_make_deploy_dry_run_goes_through_the_makefile(env, target, site_a):
    ok(run_deploy(env, site_a, "init"))
    before = snapshot(target)
    proc = subprocess.run(
        ["make", "--no-print-directory", "deploy", "DRY_RUN=1", f"DEPLOY_ENV={env}", f"OUTPUTDIR={site_a}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ok(proc)
    assert "Chạy thử (DRY_RUN)" in proc.stdout
    assert snapshot(target) == before


# --- guards: each refuses, nothing transferred ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "thiếu DEPLOY_PATH"),
        ("/", "thư mục gốc"),
        ("/root", "thư mục nhà"),
        ("/home/deploy", "thư mục nhà"),
        ("srv/thuongthanh", "không phải đường dẫn tuyệt đối"),
        ("/srv/../", "thành phần . hoặc .."),
        ("/etc/nginx", "thư mục hệ thống"),
    ],
    ids=["empty", "root", "root-home", "user-home", "relative", "dot-dot", "system"],
)
def test_path_guard_refuses_before_connecting(tmp_path, sshd, site_a, path, message):
    env = write_env(tmp_path / "deploy.env", sshd, path)
    sessions = logins(sshd)
    for command in ("init", "deploy"):
        proc = run_deploy(env, site_a, command)
        assert proc.returncode == 1
        assert message in proc.stderr
    assert logins(sshd) == sessions  # not even a connection


def test_missing_settings_are_named(tmp_path, site_a):
    env = tmp_path / "deploy.env"
    env.write_text("DEPLOY_PORT=22\n")
    proc = run_deploy(env, site_a, "deploy")
    assert proc.returncode == 1
    for key in ("DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH"):
        assert f"thiếu {key}: hãy thêm dòng {key}=" in proc.stderr
    proc = run_deploy(tmp_path / "khong-co.env", site_a, "deploy")
    assert proc.returncode == 1
    assert "Không thấy tệp thiết lập" in proc.stderr
    assert "khong-co.env.example" in proc.stderr


def test_target_without_marker_is_refused(tmp_path, sshd, target, site_a):
    target.mkdir(parents=True)
    (target / "index.html").write_text("trang cũ của máy chủ")
    env = write_env(tmp_path / "deploy.env", sshd, target)
    before = snapshot(target)
    proc = run_deploy(env, site_a, "deploy")
    assert proc.returncode == 1
    assert "không có tệp đánh dấu .ward-deploy-target" in proc.stderr
    proc = run_deploy(env, site_a, "init")  # will not adopt a folder with other things in it
    assert proc.returncode == 1
    assert "đã có dữ liệu khác" in proc.stderr
    assert snapshot(target) == before


def test_missing_target_is_refused_not_created(env, target, site_a):
    proc = run_deploy(env, site_a, "deploy")
    assert proc.returncode == 1
    assert "make deploy-init" in proc.stderr
    assert not target.parent.exists()


def test_a_link_to_the_home_directory_is_refused(tmp_path, sshd, site_a):
    home = Path(os.path.expanduser("~")).resolve()
    link = tmp_path / "srv" / "trang"
    link.parent.mkdir()
    link.symlink_to(home)
    env = write_env(tmp_path / "deploy.env", sshd, link)
    before = snapshot_top(home)
    for command in ("init", "deploy"):
        proc = run_deploy(env, site_a, command)
        assert proc.returncode == 1
        assert "thư mục nhà" in proc.stderr
    assert snapshot_top(home) == before


def snapshot_top(folder):
    return sorted((p.name, p.lstat().st_mtime_ns) for p in folder.iterdir())


def test_output_with_drafts_is_refused_before_connecting(tmp_path, sshd, env, target, http_port):
    preview = build_site(FIXTURE, tmp_path / "preview" / "output", "pelicanconf.py")
    assert (preview / "ban-nhap").is_dir()  # the preview build does hold the drafts
    ok(run_deploy(env, preview, "init"))
    before, sessions = snapshot(target), logins(sshd)
    proc = run_deploy(env, preview, "deploy")
    assert proc.returncode == 1
    assert "bản xem thử" in proc.stderr
    assert "ban-nhap/ chứa bản nháp" in proc.stderr
    assert "bai-viet/2024/ban-nhap.md" in proc.stderr
    assert logins(sshd) == sessions
    assert snapshot(target) == before
