"""Command line of the deploy (what make calls).

    python -m deploy [--env-file deploy/deploy.env] [--output output] deploy [--dry-run]
    python -m deploy ... rollback [--to RELEASE]
    python -m deploy ... releases
    python -m deploy ... init

Messages are for the ward's IT contact, in Vietnamese. Exit status 0 on success, 1 when a
check refused or a step failed (nothing is changed on the server by a refusal).
"""

import argparse
import contextlib
import getpass
import importlib.util
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from deploy import releases as rel
from deploy.guards import MARKER, MARKER_MAGIC, assess_remote, check_target_path, parse_inspection
from deploy.outputcheck import MANIFEST, check_output
from deploy.remote import (
    INIT,
    INSPECT,
    LOCK,
    PRUNE,
    SWITCH,
    UNLOCK,
    RemoteError,
    bytes_sent,
    rsync,
    run_script,
    shared_connection,
    summarize,
)
from deploy.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def _vietnamese_formatting():
    """plugins/vietnamese/formatting.py (pure Babel functions) without its package, whose
    __init__ imports Pelican: a second of start-up saved on every deploy and rollback."""
    path = ROOT / "plugins" / "vietnamese" / "formatting.py"
    spec = importlib.util.spec_from_file_location("vietnamese_formatting", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_formatting = _vietnamese_formatting()
vi_datetime, vi_number = _formatting.vi_datetime, _formatting.vi_number

SHOWN = 40  # paths listed per kind in a dry run


class RefusedError(Exception):
    """A check refused: str() is the Vietnamese message; nothing was changed."""


def say(message=""):
    print(message, flush=True)


def inspect(settings, *, for_init=False):
    """Guards on the path as written, then on the server; returns RemoteInfo."""
    problems = check_target_path(settings.path)
    if problems:
        raise RefusedError("\n".join(problems))
    info = parse_inspection(run_script(settings, INSPECT, settings.path, MARKER))
    problems = assess_remote(info, settings.path, for_init=for_init)
    if problems:
        raise RefusedError("\n".join(problems))
    return info


@contextlib.contextmanager
def locked(settings, info, command):
    """Hold the target's lock (one deploy or rollback at a time); yields fresh RemoteInfo."""
    holder = f"{getpass.getuser()}@{socket.gethostname()} {command} {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"
    answer = run_script(settings, LOCK, info.real, holder).splitlines()
    if not answer or answer[0] != "LOCKED":
        who = " ".join(answer[1:]) or "không rõ"
        raise RefusedError(
            f"Đang có một lần đăng khác trên máy chủ (khóa {info.real}/.deploy-lock, của {who}). "
            "Hãy chờ nó xong. Nếu chắc chắn không còn ai đang đăng (lần trước bị ngắt giữa "
            "chừng), xóa thư mục đó trên máy chủ rồi chạy lại. Không thay đổi gì."
        )
    try:
        # What the server holds now, under the lock.
        yield inspect(settings)
    finally:
        run_script(settings, UNLOCK, info.real)


def where(settings, info=None):
    return f"{settings.destination}:{info.real if info else settings.path}"


def cmd_init(settings, args):
    info = inspect(settings, for_init=True)
    if info.marker is not None:
        say(f"{where(settings, info)} đã được khởi tạo từ trước; không thay đổi gì.")
        return
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    text = f"{MARKER_MAGIC} (make deploy-init {stamp}); do not delete"
    run_script(settings, INIT, settings.path, MARKER, text)
    say(f"Đã khởi tạo {where(settings)}: tệp đánh dấu {MARKER} và thư mục releases/.")
    say(f"Trỏ nginx vào {settings.path}/current (xem deploy/nginx.conf), rồi chạy `make deploy`.")


def print_changes(new, changed, deleted):
    for label, paths in (("Thêm", new), ("Sửa", changed), ("Xóa", deleted)):
        for path in paths[:SHOWN]:
            say(f"  {label}: {path}")
        if len(paths) > SHOWN:
            say(f"  {label}: ... và {vi_number(len(paths) - SHOWN)} tệp nữa")
    say(
        f"Tổng: {vi_number(len(new))} tệp mới, {vi_number(len(changed))} tệp sửa, "
        f"{vi_number(len(deleted))} tệp bỏ."
    )


def cmd_deploy(settings, args):
    output = Path(args.output)
    problems = check_output(output)
    if problems:
        raise RefusedError("Không đưa lên vì:\n" + "\n".join(f"- {p}" for p in problems))
    info = inspect(settings)
    if args.dry_run:
        dry_run(settings, info, output)
        return
    with locked(settings, info, "deploy") as fresh:
        upload(settings, fresh, output)


def served_or_newest(info):
    """The release `current` points at, else the newest one, else None."""
    current = rel.current_name(info.current)
    if current in info.releases:
        return current
    names = rel.ordered(info.releases)
    return names[-1] if names else None


def dry_run(settings, info, output):
    base = served_or_newest(info)
    releases_dir = f"{info.real}/releases"
    if base:
        target = f"{releases_dir}/{base}"
    else:
        target = f"{releases_dir}/{rel.new_name(datetime.now(UTC), info.releases)}.partial"
    lines = rsync(settings, output, target, dry_run=True, exclude=[MANIFEST])
    compared = f"bản đang dùng {base}" if base else "thư mục trống (lần đầu)"
    say(f"Chạy thử (DRY_RUN): so {output}/ với {compared} trên {where(settings, info)}.")
    print_changes(*summarize(lines))
    say("Chưa thay đổi gì trên máy chủ.")


def upload(settings, info, output):
    """New release from `output`, hard-linked to the served one; switch; prune."""
    name = rel.new_name(datetime.now(UTC), info.releases)
    link_dest = served_or_newest(info)
    releases_dir = f"{info.real}/releases"
    say(f"Tải {output}/ lên {where(settings, info)}/releases/{name} ...")
    lines = rsync(
        settings,
        output,
        f"{releases_dir}/{name}.partial",
        link_dest=f"{releases_dir}/{link_dest}" if link_dest else None,
        exclude=[MANIFEST],
    )
    new, changed, _ = summarize(lines)
    reused = f"; các tệp khác dùng lại (liên kết cứng) từ {link_dest}" if link_dest else ""
    say(f"Đã tải {vi_number(len(new) + len(changed))} tệp mới hoặc đã sửa{reused}.")
    sent = bytes_sent(lines)
    if sent is not None:
        say(f"Đã gửi {vi_number(sent)} byte qua mạng.")
    run_script(settings, SWITCH, info.real, name, "deploy", MARKER)
    say(f"Đã chuyển current → releases/{name}. Trang mới đang chạy.")
    prune(settings, info, [*info.releases, name], protect=[name])


def prune(settings, info, names, protect):
    doomed = rel.to_prune(names, settings.keep, protect=protect)
    # Uploads that never finished (only this deploy runs: it holds the lock).
    doomed += [p for p in info.partials if rel.is_release(p.removesuffix(".partial"))]
    if doomed:
        run_script(settings, PRUNE, info.real, *doomed)
        say(f"Đã xóa {len(doomed)} bản cũ: {', '.join(doomed)} (giữ {settings.keep} bản mới nhất).")


def cmd_rollback(settings, args):
    info = inspect(settings)
    current = rel.current_name(info.current)
    if args.to:
        if args.to not in info.releases:
            raise RefusedError(
                f"Không có bản {args.to} trên máy chủ. Các bản hiện có: {', '.join(info.releases) or '(chưa có)'}"
            )
        target = args.to
    else:
        target = rel.previous(info.releases, current)
        if target is None:
            raise RefusedError(f"Không có bản nào trước bản đang dùng ({current}) để quay về.")
    if target == current:
        say(f"current đã là {target}; không thay đổi gì.")
        return
    with locked(settings, info, "rollback") as fresh:
        if rel.current_name(fresh.current) != current or target not in fresh.releases:
            raise RefusedError("Các bản trên máy chủ vừa thay đổi; hãy chạy lại lệnh.")
        run_script(settings, SWITCH, info.real, target, "rollback", MARKER)
    say(f"Đã quay về: current → releases/{target} (trước đó là {current}).")


def cmd_releases(settings, args):
    info = inspect(settings)
    current = rel.current_name(info.current)
    if not info.releases:
        say(f"Chưa có bản phát hành nào trên {where(settings, info)}. Chạy `make deploy`.")
        return
    say(f"Các bản phát hành trên {where(settings, info)} (cũ trước, mới sau):")
    for name in rel.ordered(info.releases):
        mark = "*" if name == current else " "
        note = "  ← đang dùng (current)" if name == current else ""
        say(f" {mark} {name}  {vi_datetime(rel.release_time(name))}{note}")


COMMANDS = {
    "deploy": cmd_deploy,
    "rollback": cmd_rollback,
    "releases": cmd_releases,
    "init": cmd_init,
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n")[0])
    parser.add_argument("--env-file", default=str(ROOT / "deploy" / "deploy.env"))
    parser.add_argument("--output", default="output")
    sub = parser.add_subparsers(dest="command", required=True)
    p_deploy = sub.add_parser("deploy")
    p_deploy.add_argument("--dry-run", action="store_true")
    p_rollback = sub.add_parser("rollback")
    p_rollback.add_argument("--to", default="")
    sub.add_parser("releases")
    sub.add_parser("init")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.env_file)
        with shared_connection(settings) as shared:
            COMMANDS[args.command](shared, args)
    except (SettingsError, RefusedError, RemoteError) as error:
        print(f"LỖI: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
