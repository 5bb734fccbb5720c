"""make stats-pull / stats-upload against a real sshd and rsync on a loopback port."""

import getpass
import gzip
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_view_counts_import import ID, build_site, scenario, write_log

from view_counts.cli import main
from view_counts.remote import DeployEnvError, pull_command, read_deploy_env

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A throwaway sshd for the current user; returns (deploy.env path, server folder)."""
    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("host", "client"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True
        )
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    port = free_port()
    config = keys / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\n"
        f"AuthorizedKeysFile {keys / 'authorized_keys'}\nPidFile {keys / 'sshd.pid'}\n"
        "StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"sshd did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    host_key = (keys / "host.pub").read_text().split()[:2]
    (keys / "known_hosts").write_text(f"[127.0.0.1]:{port} {' '.join(host_key)}\n")
    root = tmp_path / "server"
    (root / "log").mkdir(parents=True)
    (root / "site" / "releases" / "20261128T100000").mkdir(parents=True)
    (root / "site" / "current").symlink_to("releases/20261128T100000")
    env = tmp_path / "deploy.env"
    env.write_text(
        "# deploy settings of the test server\n"
        f"DEPLOY_HOST=127.0.0.1\nDEPLOY_PORT={port}\nDEPLOY_USER={getpass.getuser()}\n"
        f'DEPLOY_PATH="{root / "site"}"\nDEPLOY_LOGS={root / "log"}/access.log*\n'
        f"DEPLOY_SSH_KEY={keys / 'client'}\n"
        f"DEPLOY_SSH_OPTS=-o UserKnownHostsFile={keys / 'known_hosts'} -o StrictHostKeyChecking=yes\n"
    )
    yield env, root
    proc.terminate()
    proc.wait(timeout=10)


def test_pull_fetches_rotated_logs_and_import_counts_them(tmp_path, server, capsys):
    env, root = server
    lines = scenario().lines()
    write_log(root / "log" / "access.log.2.gz", lines[:30], gz=True)
    write_log(root / "log" / "access.log.1", lines[30:70])
    write_log(root / "log" / "access.log", lines[70:])
    (root / "log" / "error.log").write_text("not fetched\n")
    dest = tmp_path / "var" / "logs"
    assert main(["pull", "--deploy-env", str(env), "--dest", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == [
        "access.log",
        "access.log.1",
        "access.log.2.gz",
    ]
    with gzip.open(dest / "access.log.2.gz", "rb") as handle:
        assert handle.read() == b"".join(lines[:30])
    site = build_site(FIXTURES / "view_counts", tmp_path / "output")
    store = tmp_path / "var" / "views.sqlite3"
    logs = [str(p) for p in dest.iterdir()]
    args = ["import", "--site", str(site), "--store", str(store), "--secret", str(tmp_path / "s")]
    assert main([*args, *logs]) == 0
    assert f"Lượt xem được tính: {scenario().counted}" in capsys.readouterr().out


def test_upload_puts_a_fresh_views_json_in_the_current_release(tmp_path, server):
    env, root = server
    site = build_site(FIXTURES / "view_counts", tmp_path / "output")
    store = tmp_path / "views.sqlite3"
    log = write_log(tmp_path / "access.log", scenario().lines())
    args = ["import", "--site", str(site), "--store", str(store), "--secret", str(tmp_path / "s")]
    assert main([*args, str(log)]) == 0
    upload = ["upload", "--deploy-env", str(env), "--site", str(site), "--store", str(store)]
    assert main(upload) == 0
    remote = json.loads((root / "site" / "releases" / "20261128T100000" / "views.json").read_text())
    assert remote == json.loads((site / "views.json").read_text())
    a = "/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-nam-2026/"
    assert remote["articles"][a]["views"] == sum(
        n for (_, article_id), n in scenario().daily.items() if article_id == ID[a]
    )
    assert (root / "site" / "current").is_symlink()


ENV_ERRORS = [
    ("missing-file", None, "Không thấy tệp thiết lập"),
    ("missing-host", "DEPLOY_USER=u\nDEPLOY_PATH=/srv/x\n", "thiếu DEPLOY_HOST"),
    ("bad-line", "DEPLOY_HOST=h\nthis is wrong\n", "deploy.env:2: dòng không đúng dạng"),
    (
        "bad-port",
        "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\nDEPLOY_PORT=ssh\n",
        "DEPLOY_PORT",
    ),
    ("relative-path", "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=srv\n", "tuyệt đối"),
    # What `make deploy` refuses, stats-pull and stats-upload refuse too (deploy/settings.py
    # and deploy/guards.py), before any connection.
    ("root-path", "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/\n", "thư mục gốc"),
    ("home-path", "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/home/u\n", "thư mục nhà"),
    ("system-path", "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/etc/nginx\n", "hệ thống"),
    ("typo", "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PAHT=/srv/x\n", "ý bạn là DEPLOY_PATH"),
    (
        "twice",
        "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\nDEPLOY_PATH=/srv/y\n",
        "deploy.env:4: DEPLOY_PATH đã được đặt ở dòng 3",
    ),
    (
        "option-as-host",
        "DEPLOY_HOST=-oProxyCommand=sh\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\n",
        "DEPLOY_HOST=-oProxyCommand=sh không phải tên máy",
    ),
    (
        "missing-key-file",
        "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\nDEPLOY_SSH_KEY=/khong/co\n",
        "không thấy tệp khóa ssh",
    ),
    (
        "relative-logs",
        "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\nDEPLOY_LOGS=access.log\n",
        "deploy.env:4: DEPLOY_LOGS=access.log",
    ),
    (
        "shell-in-logs",
        "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\nDEPLOY_LOGS='/var/log/$(id)'\n",
        "DEPLOY_LOGS=/var/log/\\$\\(id\\) có ký tự",
    ),
    (
        "system-views-dir",
        "DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/srv/x\nDEPLOY_VIEWS_DIR=/etc\n",
        "deploy.env:4: DEPLOY_VIEWS_DIR=/etc",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in ENV_ERRORS], ids=[c[0] for c in ENV_ERRORS]
)
def test_deploy_env_errors_are_clear(tmp_path, text, message):
    path = tmp_path / "deploy.env"
    if text is not None:
        path.write_text(text)
    with pytest.raises(DeployEnvError, match=message):
        read_deploy_env(path)


@pytest.mark.parametrize("command", ["pull", "upload"])
def test_a_refused_deploy_env_stops_before_rsync(tmp_path, command, capsys, monkeypatch):
    monkeypatch.setattr("subprocess.run", _no_rsync)
    env = tmp_path / "deploy.env"
    env.write_text("DEPLOY_HOST=h\nDEPLOY_USER=u\nDEPLOY_PATH=/root\n")
    argv = [command, "--deploy-env", str(env)]
    if command == "pull":
        argv += ["--dest", str(tmp_path / "logs")]
    else:
        argv += ["--site", str(tmp_path / "khong-co"), "--store", str(tmp_path / "s.sqlite3")]
    assert main(argv) == 2
    assert "DEPLOY_PATH=/root là thư mục nhà" in capsys.readouterr().err
    assert not (tmp_path / "logs").exists()


def _no_rsync(*args, **kwargs):
    raise AssertionError(f"rsync run with refused settings: {args}")


def test_deploy_env_defaults_and_pull_command(tmp_path):
    path = tmp_path / "deploy.env"
    path.write_text("export DEPLOY_HOST=web\nDEPLOY_USER='deploy'\nDEPLOY_PATH=/srv/ward/\n")
    env = read_deploy_env(path)
    assert env.port == 22
    assert env.views_dir == "/srv/ward/current"
    command = pull_command(env, "var/logs")
    assert command[-2:] == ["deploy@web:/var/log/nginx/access.log*", "var/logs/"]
    assert "ssh -p 22 -o BatchMode=yes" in " ".join(command)
