"""`make stats-pull` and `make stats-upload`: rsync over ssh with the deploy settings.

The settings are the deploy's local file `deploy/deploy.env` (never committed), read and
checked by the deploy's own code (deploy/settings.py, deploy/guards.py): whatever
`make deploy` refuses (a typo in a key, a home or system folder as DEPLOY_PATH, a host
that starts with "-"...) these refuse too, before any connection. The two keys of their
own, DEPLOY_LOGS (the logs to fetch, `/var/log/nginx/access.log*`) and DEPLOY_VIEWS_DIR
(where views.json goes, `$DEPLOY_PATH/current`), are checked there as well.
"""

import shlex

from deploy.guards import check_target_path
from deploy.remote import ssh_base
from deploy.settings import SettingsError, load_settings


class DeployEnvError(Exception):
    """deploy.env is missing or wrong; the message names the file and line (Vietnamese)."""


def read_deploy_env(path):
    """The deploy's Settings from `path`, checked as `make deploy` checks them."""
    try:
        settings = load_settings(path)
    except SettingsError as error:
        raise DeployEnvError(str(error)) from None
    problems = check_target_path(settings.path)
    if problems:
        raise DeployEnvError("\n".join(f"{path}: {problem}" for problem in problems))
    return settings


def _rsync(settings, *args):
    # --protect-args: the remote paths reach rsync on the server as they are, never a
    # shell (rsync itself expands the * of DEPLOY_LOGS there).
    return ["rsync", "--protect-args", "--rsh", shlex.join(ssh_base(settings)), *args]


def remote(settings, path):
    return f"{settings.destination}:{path}"


def pull_command(settings, dest):
    """rsync the remote logs (plain and rotated .gz) into `dest`, keeping their times."""
    return _rsync(
        settings, "--archive", "--partial", "--compress", "--no-owner", "--no-group",
        remote(settings, settings.logs), f"{dest}/",
    )  # fmt: skip


def upload_command(settings, views_json):
    """rsync one views.json; rsync writes a temporary file and renames it (atomic)."""
    target = settings.views_dir.rstrip("/") + "/views.json"
    return _rsync(
        settings, "--checksum", "--chmod=F644", "--no-owner", "--no-group",
        str(views_json), remote(settings, target),
    )  # fmt: skip
