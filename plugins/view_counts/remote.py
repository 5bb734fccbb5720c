"""`make stats-pull` and `make stats-upload`: rsync over ssh with the deploy settings.

The settings are the deploy's local file `deploy/deploy.env` (never committed), lines of
KEY=VALUE (`#` comments, optional quotes; it is read, never executed):

    DEPLOY_HOST=web.thuongthanh.example    required
    DEPLOY_PORT=22                          optional, 22
    DEPLOY_USER=deploy                      required
    DEPLOY_PATH=/srv/www/thuongthanh        required: the site (releases/, current)
    DEPLOY_LOGS=/var/log/nginx/access.log*  optional: the logs to fetch (this default)
    DEPLOY_VIEWS_DIR=/srv/.../current       optional: where views.json goes ($DEPLOY_PATH/current)
    DEPLOY_SSH_KEY=~/.ssh/id_ed25519        optional: the ssh key
    DEPLOY_SSH_OPTS=-o StrictHostKeyChecking=yes   optional: more ssh options
"""

import shlex
from pathlib import Path

REQUIRED = ("DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH")
DEFAULTS = {
    "DEPLOY_PORT": "22",
    "DEPLOY_LOGS": "/var/log/nginx/access.log*",
    "DEPLOY_SSH_KEY": "",
    "DEPLOY_SSH_OPTS": "",
}


class DeployEnvError(Exception):
    """deploy.env is missing or wrong; the message names the file and line (Vietnamese)."""


def read_deploy_env(path):
    """The settings of deploy.env, checked, with defaults filled in."""
    path = Path(path)
    if not path.is_file():
        raise DeployEnvError(
            f"{path}: chưa có tệp cấu hình máy chủ. Tạo tệp này (mẫu: deploy/deploy.env.example "
            "hoặc README, mục Lượt xem) với DEPLOY_HOST, DEPLOY_USER, DEPLOY_PATH."
        )
    values = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        text = text.removeprefix("export ").strip()
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise DeployEnvError(f"{path}:{number}: dòng phải có dạng TÊN=giá_trị: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    out = {**DEFAULTS, **values}
    missing = [key for key in REQUIRED if not out.get(key)]
    if missing:
        raise DeployEnvError(f"{path}: thiếu {', '.join(missing)}. Điền vào rồi chạy lại.")
    if not out["DEPLOY_PORT"].isdigit() or not 0 < int(out["DEPLOY_PORT"]) < 65536:
        raise DeployEnvError(f"{path}: DEPLOY_PORT phải là số cổng (1–65535).")
    for key in ("DEPLOY_PATH", "DEPLOY_LOGS"):
        if not out[key].startswith("/"):
            raise DeployEnvError(f"{path}: {key} phải là đường dẫn tuyệt đối trên máy chủ.")
    out.setdefault("DEPLOY_VIEWS_DIR", out["DEPLOY_PATH"].rstrip("/") + "/current")
    if not out["DEPLOY_VIEWS_DIR"]:
        out["DEPLOY_VIEWS_DIR"] = out["DEPLOY_PATH"].rstrip("/") + "/current"
    return out


def ssh_command(env):
    parts = ["ssh", "-p", env["DEPLOY_PORT"], "-o", "BatchMode=yes"]
    if env["DEPLOY_SSH_KEY"]:
        parts += ["-i", str(Path(env["DEPLOY_SSH_KEY"]).expanduser())]
    parts += shlex.split(env["DEPLOY_SSH_OPTS"])
    return shlex.join(parts)


def remote(env, path):
    return f"{env['DEPLOY_USER']}@{env['DEPLOY_HOST']}:{path}"


def pull_command(env, dest):
    """rsync the remote logs (plain and rotated .gz) into `dest`, keeping their times."""
    return [
        "rsync", "--archive", "--partial", "--compress", "--no-owner", "--no-group",
        "-e", ssh_command(env), remote(env, env["DEPLOY_LOGS"]), f"{dest}/",
    ]  # fmt: skip


def upload_command(env, views_json):
    """rsync one views.json; rsync writes a temporary file and renames it (atomic)."""
    target = env["DEPLOY_VIEWS_DIR"].rstrip("/") + "/views.json"
    return [
        "rsync", "--checksum", "--chmod=F644", "--no-owner", "--no-group",
        "-e", ssh_command(env), str(views_json), remote(env, target),
    ]  # fmt: skip
