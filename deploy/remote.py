"""ssh and rsync: the only module that talks to the server.

Every remote step is a short POSIX sh script sent on stdin (`sh -s -- args`), its arguments
quoted for the remote shell, so no path is ever interpreted by a shell.
"""

import contextlib
import dataclasses
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

# $1 = target path, $2 = marker file name
INSPECT = r"""
p=$1
home=$(cd ~ 2>/dev/null && pwd -P) && echo "HOME $home"
getent passwd 2>/dev/null | cut -d: -f6 | sort -u | sed 's/^/HOMEDIR /'
[ -e "$p" ] || [ -L "$p" ] || exit 0
echo EXISTS
if [ ! -d "$p" ]; then echo NOT_DIR; echo "REAL $p"; exit 0; fi
real=$(cd "$p" && pwd -P) || exit 1
echo "REAL $real"
if [ -f "$real/$2" ]; then echo "MARKER $(head -n 1 "$real/$2")"; fi
if [ -L "$real/current" ]; then echo "CURRENT $(readlink "$real/current")"
elif [ -e "$real/current" ]; then echo CURRENT_NOT_LINK; fi
if [ -n "$(ls -A "$real" 2>/dev/null)" ]; then echo NOT_EMPTY; fi
if [ -d "$real/releases" ]; then
  for d in "$real"/releases/*; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    n=${d##*/}
    case $n in *.partial) echo "PARTIAL $n" ;; *) echo "RELEASE $n" ;; esac
  done
fi
"""

# $1 = target path, $2 = marker file name, $3 = marker text
INIT = r"""
set -eu
mkdir -p -- "$1/releases"
chmod 755 -- "$1" "$1/releases"
[ -e "$1/$2" ] || printf '%s\n' "$3" > "$1/$2"
"""

# $1 = real target path, $2 = release name, $3 = deploy|rollback, $4 = marker file name.
# The new link is made under a temporary name, then renamed over `current`: rename(2) is
# atomic, so every request sees either the old release or the new one.
SWITCH = r"""
set -eu
cd -- "$1"
[ -f "$4" ] || { echo "$4 missing" >&2; exit 3; }
if [ "$3" = deploy ]; then mv -- "releases/$2.partial" "releases/$2"; fi
[ -d "releases/$2" ] || { echo "releases/$2 missing" >&2; exit 4; }
tmp=".current.tmp.$$"
ln -s "releases/$2" "$tmp"
mv -T -- "$tmp" current
"""

# $1 = real target path, $2 = who holds the lock. mkdir is atomic: one deploy at a time.
LOCK = r"""
if mkdir -- "$1/.deploy-lock" 2>/dev/null; then
  printf '%s\n' "$2" > "$1/.deploy-lock/info"
  echo LOCKED
else
  echo BUSY
  cat -- "$1/.deploy-lock/info" 2>/dev/null
fi
"""

UNLOCK = r"""
rm -f -- "$1/.deploy-lock/info"
rmdir -- "$1/.deploy-lock"
"""

PRUNE = r"""
set -eu
cd -- "$1/releases"
shift
for n in "$@"; do
  case $n in ''|.*|*/*) echo "bad name $n" >&2; exit 5 ;; esac
  rm -rf -- "./$n"
done
"""


class RemoteError(Exception):
    """A remote step failed; str() is the Vietnamese message."""


def ssh_base(settings):
    """The ssh command line (without the remote command) for these settings."""
    cmd = ["ssh", "-p", str(settings.port), "-o", "BatchMode=yes", "-o", "ConnectTimeout=15"]
    if settings.ssh_key:
        cmd += ["-i", settings.ssh_key, "-o", "IdentitiesOnly=yes"]
    return [*cmd, *settings.ssh_options]


def _connection_hint(settings):
    return (
        f"Kiểm tra DEPLOY_HOST={settings.host}, DEPLOY_PORT={settings.port}, "
        f"DEPLOY_USER={settings.user}, khóa ssh, và hãy chạy "
        f"`ssh -p {settings.port} {settings.destination}` một lần để chấp nhận khóa máy chủ."
    )


@contextlib.contextmanager
def shared_connection(settings):
    """Settings whose ssh and rsync calls share one connection (OpenSSH ControlMaster).

    One deploy makes several remote calls; opening the connection once saves a handshake
    (and a login in the server's log) for each. The master is closed on the way out."""
    folder = tempfile.mkdtemp(prefix="ward-deploy-")
    shared = dataclasses.replace(
        settings,
        ssh_options=(
            *settings.ssh_options,
            "-o", "ControlMaster=auto",
            "-o", f"ControlPath={folder}/ssh",
            "-o", "ControlPersist=120",
        ),
    )  # fmt: skip
    try:
        yield shared
    finally:
        if Path(folder, "ssh").exists():
            subprocess.run(
                [*ssh_base(shared), "-O", "exit", shared.destination],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


def run_script(settings, script, *args):
    """Run a sh script on the server with `args`; returns its stdout."""
    remote = "sh -s -- " + " ".join(shlex.quote(str(a)) for a in args)
    cmd = [*ssh_base(settings), "--", settings.destination, remote]
    proc = subprocess.run(cmd, input=script, capture_output=True, text=True, check=False)
    if proc.returncode == 255:
        raise RemoteError(
            f"Không kết nối được tới {settings.destination} qua ssh: "
            f"{proc.stderr.strip()}\n{_connection_hint(settings)}"
        )
    if proc.returncode != 0:
        raise RemoteError(f"Lệnh trên máy chủ bị lỗi (mã {proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def rsync_command(settings, source, dest_dir, *, link_dest=None, dry_run=False, exclude=()):
    """The rsync command line uploading the folder `source` into `dest_dir` on the server.

    No -t: Pelican rewrites every file on each build, so modification times say nothing;
    --checksum compares contents, and unchanged files are hard-linked from `link_dest`
    (the previous release) instead of being sent."""
    cmd = [
        "rsync", "--recursive", "--links", "--perms", "--chmod=D755,F644", "--checksum",
        "--delete", "--itemize-changes", "--stats", "--protect-args",
        "--rsh", shlex.join(ssh_base(settings)),
    ]  # fmt: skip
    cmd += [f"--exclude=/{name}" for name in exclude]
    if link_dest:
        cmd.append(f"--link-dest={link_dest}")
    if dry_run:
        cmd.append("--dry-run")
    cmd += [f"{str(source).rstrip('/')}/", f"{settings.destination}:{dest_dir.rstrip('/')}/"]
    return cmd


def rsync(settings, source, dest_dir, **options):
    """Run rsync; returns the itemized lines of what changed."""
    proc = subprocess.run(
        rsync_command(settings, source, dest_dir, **options),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RemoteError(
            f"rsync bị lỗi (mã {proc.returncode}): {proc.stderr.strip()}\n"
            f"{_connection_hint(settings)}"
        )
    return [line for line in proc.stdout.splitlines() if line.strip()]


def bytes_sent(lines):
    """`Total bytes sent` of rsync --stats (None when absent)."""
    for line in lines:
        if line.startswith("Total bytes sent:"):
            digits = re.sub(r"\D", "", line.split(":", 1)[1])
            return int(digits) if digits else None
    return None


def summarize(itemized):
    """(new, changed, deleted) file paths from rsync --itemize-changes lines."""
    new, changed, deleted = [], [], []
    for line in itemized:
        if line.startswith("*deleting"):
            path = line.split(None, 1)[1]
            if not path.endswith("/"):
                deleted.append(path)
            continue
        flags, _, path = line.partition(" ")
        if len(flags) < 2 or flags[1] != "f" or flags[0] not in "<>ch":
            continue
        (new if "+++" in flags else changed).append(path)
    return new, changed, deleted
