"""`make deploy` against a real sshd, rsync and nginx, and the theme under its CSP in chromium.

The test starts Debian's sshd (as root, on a loopback port, with a throwaway key and its own
sshd_config) and nginx with deploy/nginx.conf as it is, only its ports, paths and
certificate (self-signed, made by the openssl command for 127.0.0.1) replaced.
"""

import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import build_site
from deploy_servers import free_port, run_deploy, start_sshd, stop, wait_for_port, write_env

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "deploy" / "content"
NGINX = "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
SERVER_NAME = "thuongthanh.hanoi.gov.vn"  # server_name of deploy/nginx.conf
MANIFEST = ".publish-manifest.json"


# --- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    proc, info = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield info
    stop(proc)


def logins(sshd):
    """How many ssh sessions the server accepted so far."""
    return sshd["log"].read_text(errors="replace").count("Accepted publickey")


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
        link = str(path.readlink()) if path.is_symlink() else None
        out[path.relative_to(root).as_posix()] = (
            st.st_mode,
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
            link,
        )
    return out


def tree(root):
    """{relative path: bytes} of the files under root."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- the site --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ports():
    """nginx's two loopback ports: plain http (the example's 80) and https (its 443)."""
    return {"http": free_port(), "https": free_port()}


def make_publish(content, out, port):
    if content.is_relative_to(ROOT / "tests"):
        # Built from a copy: the build keeps state beside its content folder.
        content = Path(shutil.copytree(content, out.parent / "content", dirs_exist_ok=True))
    proc = subprocess.run(
        ["make", "--no-print-directory", "publish", f"INPUTDIR={content}", f"OUTPUTDIR={out}"],
        cwd=ROOT,
        env={**os.environ, "SITEURL": f"https://127.0.0.1:{port}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def site_a(tmp_path_factory, ports):
    """`make publish` of the small fixture content, with SITEURL on the test's nginx."""
    return make_publish(FIXTURE, tmp_path_factory.mktemp("build") / "output", ports["https"])


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
    # As a build that published the attachment would: the manifest claims it.
    manifest = dest / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["static"].append(f"files/thong-bao-{tag}.txt")
    manifest.write_text(json.dumps(data), encoding="utf-8")
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
    return str((target / "current").readlink())


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


def photo(root):
    """A published JPEG of the sample photo: the photos plugin publishes resized variants
    named <name>-<width>.<hash>.jpg, never the original."""
    found = sorted(Path(root).glob("images/2024/03/toan-canh-*.jpg"))
    assert found, f"no photo variant under {root}"
    return found[0].relative_to(root).as_posix()


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

    for unchanged in (photo(site_a), "theme/css/site.css", "feeds/all.atom.xml"):
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
        (target / "releases" / "20200101T000000Z.partial").mkdir(exist_ok=True)  # a broken upload
    assert releases(target) == ["20200101T000000Z.partial", *names[1:]]
    ok(run_deploy(env, site_b, "deploy"))  # cleans up the unfinished upload
    assert len(releases(target)) == 2
    assert "20200101T000000Z.partial" not in releases(target)
    assert len(set(names)) == 3


def test_a_second_deploy_at_the_same_time_is_refused(env, target, site_a, site_b):
    ok(run_deploy(env, site_a, "init"))
    ok(run_deploy(env, site_a, "deploy"))
    ok(run_deploy(env, site_b, "deploy"))
    lock = target / ".deploy-lock"
    lock.mkdir()
    (lock / "info").write_text("anh-it@may-khac deploy 2026-11-29 19:00:00 UTC\n")
    before = snapshot(target)
    for command in ("deploy", "rollback"):
        proc = run_deploy(env, site_b, command)
        assert proc.returncode == 1
        assert "Đang có một lần đăng khác" in proc.stderr
        assert "anh-it@may-khac" in proc.stderr
    assert snapshot(target) == before
    (lock / "info").unlink()
    lock.rmdir()
    ok(run_deploy(env, site_a, "deploy"))
    assert not lock.exists()  # released after use


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
        [
            "make",
            "--no-print-directory",
            "deploy",
            "DRY_RUN=1",
            f"DEPLOY_ENV={env}",
            f"OUTPUTDIR={site_a}",
        ],
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
    home = Path("~").expanduser().resolve()
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


def test_output_with_drafts_is_refused_before_connecting(tmp_path, sshd, env, target):
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


# --- nginx: atomic switch, headers, 404, pretty URLs, CSP ----------------------------------


def nginx_site_conf(target, ports, folder):
    """deploy/nginx.conf with the test's ports, root, certificate and log folder."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("https://$server_name$request_uri", f"https://$server_name:{ports['https']}$request_uri"),
        (f"/etc/letsencrypt/live/{SERVER_NAME}/", f"{folder}/tls/"),
        ("root /var/www/letsencrypt;", f"root {folder}/acme;"),
        ("root /srv/thuongthanh/current;", f"root {target}/current;"),
        ("/var/log/nginx/", f"{folder}/log/"),
    ):
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def self_signed_certificate(folder):
    """fullchain.pem and privkey.pem, as certbot names them, valid for 127.0.0.1."""
    if not os.access(OPENSSL, os.X_OK):
        pytest.fail(f"{OPENSSL} missing: run tools/system-deps.sh (package openssl)")
    folder.mkdir()
    made = subprocess.run(
        [
            OPENSSL, "req", "-x509", "-nodes", "-days", "2",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-subj", f"/CN={SERVER_NAME}",
            "-addext", f"subjectAltName=IP:127.0.0.1,DNS:{SERVER_NAME}",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=False,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return folder / "fullchain.pem"


@pytest.fixture(scope="module")
def served(tmp_path_factory, sshd, site_a):
    """A target initialised and holding release A; its deploy.env."""
    base = tmp_path_factory.mktemp("served")
    target = base / "srv" / "thuongthanh"
    env = write_env(base / "deploy.env", sshd, target, keep=2)
    ok(run_deploy(env, site_a, "init"))
    ok(run_deploy(env, site_a, "deploy"))
    return {"target": target, "env": env}


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, served, ports):
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"{NGINX} missing: run tools/system-deps.sh (package nginx)")
    d = tmp_path_factory.mktemp("nginx")
    logs = d / "log"
    logs.mkdir()
    (d / "acme" / ".well-known" / "acme-challenge").mkdir(parents=True)
    certificate = self_signed_certificate(d / "tls")
    (d / "site.conf").write_text(nginx_site_conf(served["target"], ports, d))
    temp = "".join(
        f"{kind}_temp_path {d}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.getuid() == 0 else ""  # pytest's tmp folders are private
    (d / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {logs}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\ninclude /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n"
        f"sendfile on;\n{temp}include {d}/site.conf;\n}}\n"
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(d), "-e", str(logs / "error.log"), "-c", str(d / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(d), "-e", str(logs / "error.log"), "-c", str(d / "nginx.conf")]
    )
    for port in ports.values():
        wait_for_port(port, proc, "nginx", logs / "error.log")
    yield {
        **ports,
        "tls": ssl.create_default_context(cafile=certificate),  # verified, for 127.0.0.1
        "acme": d / "acme" / ".well-known" / "acme-challenge",
        "access_log": logs / "thuongthanh.access.log",
    }
    stop(proc)


def connect(server, plain=False):
    """A connection to the test nginx: https (the site), or plain http (port 80's role)."""
    if plain:
        return http.client.HTTPConnection("127.0.0.1", server["http"], timeout=10)
    return http.client.HTTPSConnection(
        "127.0.0.1", server["https"], timeout=10, context=server["tls"]
    )


def get(server, path, headers=None, plain=False):
    """(status, {lower-case header: value}, body); `path` is sent exactly as given."""
    conn = connect(server, plain)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def pretty_urls(site):
    """{URL a reader uses: file in the output} for every page of the site."""
    urls = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        urls["/" + rel.removesuffix("index.html")] = rel
    return urls


def test_switch_is_atomic_while_readers_load_pages(nginx, served, site_a, site_b):
    urls = pretty_urls(site_a)
    assert len(urls) > 10
    versions = {
        url: {(site_a / rel).read_bytes(): "A", (site_b / rel).read_bytes(): "B"}
        for url, rel in urls.items()
    }
    order = list(urls)
    stop_reading = threading.Event()
    seen, bad = [], []

    def reader(offset):
        conn = connect(nginx)
        for i in range(offset, offset + 20000):  # bounded, whatever happens
            if stop_reading.is_set():
                break
            url = order[i % len(order)]
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
            version = versions[url].get(body) if response.status == 200 else None
            (seen if version else bad).append((url, response.status, version or body[-80:]))
        conn.close()

    threads = [threading.Thread(target=reader, args=(n * 7,)) for n in range(2)]
    for thread in threads:
        thread.start()
    try:
        for site in (site_b, site_a):  # keep=2: the second deploy also prunes, under load
            ok(run_deploy(served["env"], site, "deploy"))
        time.sleep(0.3)
    finally:
        stop_reading.set()
        for thread in threads:
            thread.join()
    counts = {v: sum(1 for *_, version in seen if version == v) for v in ("A", "B")}
    print(f"\n{len(seen)} responses during 2 deploys: {counts}, {len(bad)} bad")
    assert not bad, bad[:5]
    assert counts["A"] and counts["B"]
    assert len(seen) > 100
    assert len(releases(served["target"])) == 2


def test_unchanged_files_keep_their_etag_across_a_deploy(nginx, served, site_a, site_b):
    """Hard-linked files keep inode and mtime, so browsers revalidate them with a 304."""
    ok(run_deploy(served["env"], site_a, "deploy"))
    _, css, _ = get(nginx, "/theme/css/site.css")
    _, page, _ = get(nginx, "/luu-tru/")
    ok(run_deploy(served["env"], site_b, "deploy"))
    status, _, body = get(nginx, "/theme/css/site.css", {"If-None-Match": css["etag"]})
    assert (status, body) == (304, b"")
    status, headers, _ = get(nginx, "/luu-tru/", {"If-None-Match": page["etag"]})
    assert status == 200  # the page changed: a new ETag
    assert headers["etag"] != page["etag"]


def test_headers_cache_and_compression(nginx, served):
    status, headers, _ = get(nginx, "/")
    assert status == 200
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["cache-control"] == "public, max-age=60"
    assert "server" not in headers or "/" not in headers["server"]  # no version

    current = served["target"] / "current"
    (current / "theme/css/site.0123abcd.css").write_bytes(
        (current / "theme/css/site.css").read_bytes()
    )
    jpeg = "/" + photo(current)
    for path, cache in (
        ("/theme/css/site.css", "public, max-age=86400"),
        ("/theme/css/site.0123abcd.css", "public, max-age=31536000, immutable"),
        (jpeg, "public, max-age=31536000, immutable"),  # hashed name: never changes
        ("/luu-tru/", "public, max-age=60"),
    ):
        status, headers, _ = get(nginx, path)
        assert (status, headers.get("cache-control")) == (200, cache), path

    for path in ("/", "/theme/css/site.css", "/feeds/all.atom.xml"):
        status, headers, body = get(nginx, path, {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers.get("content-encoding") == "gzip", path
        assert body[:2] == b"\x1f\x8b"
    status, headers, _ = get(nginx, jpeg, {"Accept-Encoding": "gzip"})
    assert "content-encoding" not in headers  # JPEG is compressed already


def test_pretty_urls_and_the_404_page(nginx, served):
    current = served["target"] / "current"
    article = "/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-nam-2023/"
    status, _, body = get(nginx, article)
    assert status == 200
    assert body == (current / article.strip("/") / "index.html").read_bytes()
    for path, location in (
        ("/luu-tru", "/luu-tru/"),
        ("/luu-tru/index.html", "/luu-tru/"),
        ("/luu-tru/index.html?trang=2", "/luu-tru/?trang=2"),
        ("/index.html", "/"),
    ):
        status, headers, _ = get(nginx, path)
        assert (status, headers.get("location")) == (301, location), path

    status, headers, body = get(nginx, "/khong-co-trang-nay/")
    assert status == 404
    assert body == (current / "404.html").read_bytes()
    assert "Không tìm thấy trang" in body.decode()
    assert "content-security-policy" in headers
    assert "x-content-type-options" in headers

    (current / ".an-di").write_text("không được phục vụ")
    for path in ("/.an-di", "/.publish-manifest.json", "/.ward-deploy-target"):
        status, _, body = get(nginx, path)
        assert status == 404, path
        assert b"kh\xc3\xb4ng \xc4\x91\xc6\xb0\xe1\xbb\xa3c" not in body


# Paths a link on another site could use to make ours redirect there: nginx's own merge of
# slashes and its percent-decoding must not turn them into "//evil.example/".
OPEN_REDIRECTS = [
    "//evil.example/index.html",
    "///evil.example/index.html",
    "/\\evil.example/index.html",
    "/\\/evil.example/index.html",
    "/%2Fevil.example/index.html",
    "/%2fevil.example/index.html",
    "/%5Cevil.example/index.html",
    "/%5c%5cevil.example/index.html",
    "/%2f%2fevil.example/index.html",
    "//evil.example/index.html?trang=2",
    "//evil.example/luu-tru",
    "//evil.example/%2e%2e/luu-tru/index.html",
    # Not a redirect elsewhere but a header of the client's choosing (response splitting),
    # which a redirect built from nginx's decoded $uri would let through.
    "/%0d%0aSet-Cookie:%20a=b/index.html",
]


@pytest.mark.parametrize("path", OPEN_REDIRECTS)
def test_no_redirect_leaves_the_site(nginx, path):
    # http.client sends the path exactly as given (no normalisation, unlike a browser).
    status, headers, _ = get(nginx, path)
    location = headers.get("location")
    if location is not None:
        # What a browser reads as another site: "//host", "/\\host", "\\host", "scheme:".
        assert re.match(r"/(?![/\\])", location), (path, status, location)
    assert status in (200, 301, 404), (path, status)
    assert "set-cookie" not in headers


def test_port_80_redirects_to_https_on_our_own_name(nginx):
    for path in ("/", "/luu-tru/?trang=2", "//evil.example/", "/\\evil.example/index.html"):
        for host in ("127.0.0.1", "evil.example"):
            status, headers, _ = get(nginx, path, {"Host": host}, plain=True)
            assert status == 301, path
            # $server_name, never the Host header: the redirect stays on the ward's site.
            assert headers["location"] == f"https://{SERVER_NAME}:{nginx['https']}{path}"
            assert "server" not in headers or "/" not in headers["server"]  # no version


def test_port_80_answers_certificate_challenges(nginx):
    (nginx["acme"] / "ma-thu-thach").write_text("ma-thu-thach.khoa\n")
    status, headers, body = get(nginx, "/.well-known/acme-challenge/ma-thu-thach", plain=True)
    assert (status, body) == (200, b"ma-thu-thach.khoa\n")
    assert headers["content-type"].startswith("text/plain")


def test_https_sends_hsts_and_every_header_on_every_answer(nginx):
    for path, expected in (("/", 200), ("/luu-tru", 301), ("/luu-tru/index.html", 301),
                           ("/khong-co/", 404), ("/.an-di", 404)):  # fmt: skip
        status, headers, _ = get(nginx, path)
        assert status == expected, path
        assert headers["strict-transport-security"] == "max-age=31536000", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert "camera=()" in headers["permissions-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_a_symlink_inside_the_release_is_not_served(nginx, served, tmp_path):
    """disable_symlinks: a link put in a release (by mistake or by an intruder) pointing
    at a file or folder elsewhere on the server is not followed, while `current` (the
    release switch, a symlink itself) still is."""
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "mat-khau.txt").write_text("BÍ MẬT của máy chủ\n", encoding="utf-8")
    current = served["target"] / "current"
    assert current.is_symlink()
    (current / "mat-khau.txt").symlink_to(outside / "mat-khau.txt")
    (current / "thu-muc-ngoai").symlink_to(outside)
    for path in ("/mat-khau.txt", "/thu-muc-ngoai/mat-khau.txt", "/thu-muc-ngoai/"):
        status, _, body = get(nginx, path)
        assert status == 404, path
        assert "BÍ MẬT".encode() not in body, path
    status, _, body = get(nginx, "/")
    assert status == 200
    assert body == (current / "index.html").read_bytes()


def test_the_calendar_feed_is_served_as_text_calendar(nginx, served):
    current = served["target"] / "current"
    feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//thu//VI\r\nEND:VCALENDAR\r\n" * 20
    (current / "thu-lich.ics").write_text(feed, encoding="utf-8")
    (current / ".an.ics").write_text(feed, encoding="utf-8")
    status, headers, body = get(nginx, "/thu-lich.ics")
    assert (status, body) == (200, feed.encode())
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]  # headers kept
    status, headers, _ = get(nginx, "/thu-lich.ics", {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip"
    assert get(nginx, "/.an.ics")[0] == 404
    assert get(nginx, "/khong-co.ics")[0] == 404


def test_access_log_has_the_fields_the_view_counts_read(nginx):
    get(
        nginx,
        "/luu-tru/?a=1",
        {
            "User-Agent": "Thu/1.0 (kiem tra)",
            "Sec-Purpose": "prefetch;prerender",
            "Purpose": "prefetch",
        },
    )
    get(nginx, "/the/", {"User-Agent": "Thu/2.0", "Referer": "https://zalo.me/"})
    time.sleep(0.2)
    lines = nginx["access_log"].read_text().splitlines()
    stamp = r"\[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]"
    first = (
        rf'127\.0\.0\.1 - - {stamp} "GET /luu-tru/\?a=1 HTTP/1\.1" 200 \d+ "-" '
        r'"Thu/1\.0 \(kiem tra\)" "prefetch;prerender" "prefetch"'
    )
    second = rf'127\.0\.0\.1 - - {stamp} "GET /the/ HTTP/1\.1" 200 \d+ "https://zalo\.me/" "Thu/2\.0" "-" "-"'
    assert re.fullmatch(first, lines[-2]), lines[-2]
    assert re.fullmatch(second, lines[-1]), lines[-1]


CSP_PROBE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>thử</title>
<style>body { color: red }</style></head><body><p>thử CSP</p>
<script>document.title = "chạy";</script></body></html>"""


def test_theme_pages_raise_no_csp_violation_in_chromium(nginx, served, tmp_path):
    """The sample content (content/), published and deployed, every page in chromium."""
    from playwright.sync_api import sync_playwright

    sample = make_publish(ROOT / "content", tmp_path / "output", nginx["https"])
    ok(run_deploy(served["env"], sample, "deploy"))
    base = f"https://127.0.0.1:{nginx['https']}"
    probe_dir = served["target"] / "current" / "thu-csp"
    probe_dir.mkdir()
    (probe_dir / "index.html").write_text(CSP_PROBE, encoding="utf-8")
    every = pretty_urls(sample)
    assert len(every) > 50
    # A few pages of each section (each category with its articles, tags, archives,
    # authors, fixed pages): every template, without loading all of them.
    per_section = {}
    for url in every:
        per_section.setdefault(url.split("/")[1], []).append(url)
    urls = [u for group in per_section.values() for u in sorted(group, key=len)[:4]]
    urls.append("/khong-co-trang-nay/")
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(ignore_https_errors=True)  # the test's self-signed certificate
        page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI), true);"
        )
        console = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        searches = set()
        for url in [*urls, "/thu-csp/", "search"]:
            console.clear()
            if url == "search":
                # The theme's search form, if it has one: a search loads its scripts too.
                if not searches:
                    continue
                page.goto(f"{min(searches)}?q=h%E1%BB%99i+ngh%E1%BB%8B", wait_until="networkidle")
            else:
                page.goto(base + url, wait_until="load")
                searches.add(
                    page.evaluate("document.querySelector('form[role=search]')?.action ?? ''")
                )
                searches.discard("")
            events = page.evaluate("window.__csp")
            messages = [
                m for m in console if "Content Security Policy" in m or "Permissions-Policy" in m
            ]
            if events or messages:
                found[url] = events + messages
        browser.close()
    # The probe with an inline style and script must be caught, or this test proves nothing.
    assert found.pop("/thu-csp/", None), "the CSP listener saw no violation on the probe page"
    assert found == {}
