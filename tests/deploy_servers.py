"""Real servers for the deploy tests and benchmark: Debian's sshd on a loopback port.

Plain functions (no pytest) so that bench/deploy_bench.py uses the very same setup.
"""

import getpass
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SSHD = "/usr/sbin/sshd"


class ServerError(RuntimeError):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, proc, what, log):
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"{what} stopped at start:\n{Path(log).read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServerError(f"{what} did not listen on {port}")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_sshd(folder):
    """sshd on 127.0.0.1 with a throwaway host key and client key in `folder`.

    Returns (process, info); info has port, user, key, known (known_hosts), log."""
    if not os.access(SSHD, os.X_OK):
        raise ServerError(f"{SSHD} missing: run tools/system-deps.sh (package openssh-server)")
    d = Path(folder)
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
    info = {
        "port": port,
        "user": user,
        "key": d / "client_key",
        "known": d / "known_hosts",
        "log": log,
    }
    return proc, info


def write_env(path, sshd, target, keep=3, **extra):
    """A deploy.env for the test sshd and `target`; extra keys override (None drops one)."""
    lines = {
        "DEPLOY_HOST": "127.0.0.1",
        "DEPLOY_PORT": str(sshd["port"]),
        "DEPLOY_USER": sshd["user"],
        "DEPLOY_PATH": str(target),
        "DEPLOY_KEEP": str(keep),
        "DEPLOY_SSH_KEY": str(sshd["key"]),
        "DEPLOY_SSH_OPTS": f'"-o UserKnownHostsFile={sshd["known"]} -o StrictHostKeyChecking=yes"',
        **extra,
    }
    Path(path).write_text("".join(f"{k}={v}\n" for k, v in lines.items() if v is not None))
    return Path(path)


def run_deploy(env, output, *args):
    """`python -m deploy --env-file env --output output args...` as make runs it."""
    return subprocess.run(
        [sys.executable, "-m", "deploy", "--env-file", str(env), "--output", str(output), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
