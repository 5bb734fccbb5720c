"""`make stats` and `make stats-upload`: import access logs, refresh views.json.

    python -m view_counts.cli import [--dry-run] [--wait] [limits...] LOG [LOG ...]
    python -m view_counts.cli export           # rewrite <site>/views.json from the store
    python -m view_counts.cli pull             # fetch the access logs (deploy/deploy.env)
    python -m view_counts.cli upload           # export, then put views.json on the server

(with plugins/ on the Python path; the Makefile does that). Exit status: 0 done,
2 bad input (a missing log, store folder or built site), 3 another import holds the store
(`make stats` itself then exits 2, as make does for any failed command, and says "Error 3").
"""

import argparse
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from vietnamese.formatting import vi_number

from .importer import DEFAULT_LIMITS, REASONS, Importer, Limits, LogError
from .output import payload, read_entries, url_map, write_json
from .remote import DeployEnvError, pull_command, read_deploy_env, upload_command
from .settings import DEFAULTS
from .store import (
    ImportLock,
    StoreBusyError,
    StoreError,
    open_copy,
    open_store,
    window_totals,
)
from .visitor import SecretError, load_secret

REASON_LABELS = {
    "already_imported": "đã nhập từ trước",
    "too_late": "quá cũ so với mốc đã nhập",
    "bad_time": "thời điểm vô lý (lỗi đồng hồ)",
    "malformed": "dòng hỏng",
    "method": "không phải GET",
    "status": "mã trả về khác 200/304",
    "not_article": "không phải bài viết",
    "crawler": "máy thu thập, xem trước liên kết",
    "prefetch": "tải trước (prefetch)",
    "repeat": "lặp lại trong 30 phút",
}
EXIT_BAD_INPUT = 2
EXIT_BUSY = 3


class UsageError(Exception):
    pass


def site_entries(site):
    views_json = Path(site) / DEFAULTS["json"]
    if not views_json.is_file():
        raise UsageError(
            f"{views_json}: chưa có trang đã dựng. Chạy `make html` (hoặc `make publish`) "
            "trước để biết đường dẫn của các bài viết, rồi chạy lại."
        )
    try:
        return read_entries(views_json)
    except (ValueError, KeyError, TypeError) as error:
        raise UsageError(
            f"{views_json}: tệp không đúng định dạng ({error}). Dựng lại trang bằng `make html`."
        ) from error


def format_report(report, entries, top, dry_run, limits=DEFAULT_LIMITS):
    path_of = {article_id: path for path, article_id, _ in entries}
    n = vi_number
    lines = [("THỬ (không ghi gì) – " if dry_run else "") + "Kết quả nhập nhật ký truy cập"]
    for file in report.files:
        lines.append(
            f"  {file.name}: {n(file.lines)} dòng ({n(file.skipped)} bỏ qua theo mốc đã nhập)"
        )
        if file.stopped:
            seconds = f"{limits.max_seconds:g}".replace(".", ",")  # Vietnamese decimal comma
            limit = (
                f"giới hạn {n(limits.max_lines)} dòng mỗi lần (--max-lines)"
                if file.stopped == "lines"
                else f"giới hạn {seconds} giây mỗi tệp (--max-seconds)"
            )
            lines.append(
                f"    DỪNG ở dòng {n(file.lines)} của tệp này: đã chạm {limit}. "
                "Tệp bất thường (quá nhiều dòng?): kiểm tra tệp; chạy lại để đọc tiếp."
            )
    lines.append(f"Số dòng đã đọc: {n(report.read)}")
    lines.append(f"Lượt xem được tính: {n(report.counted)}")
    lines.append("Bị loại, theo lý do:")
    for reason in REASONS:
        lines.append(f"  {REASON_LABELS[reason]:<34} {n(report.dropped.get(reason, 0)):>12}")
    if report.incomplete:
        lines.append(f"Dòng chưa ghi xong (để lần sau): {n(report.incomplete)}")
    if report.per_article:
        lines.append(f"Bài được xem nhiều nhất trong lần nhập này (tối đa {top}):")
        for article_id, views in report.per_article.most_common(top):
            lines.append(f"  {n(views):>10}  {path_of.get(article_id, article_id)}")
    for name in report.deleted:
        lines.append(f"Đã xóa nhật ký cũ đã nhập xong (giữ tối đa theo --retention-days): {name}")
    seconds = max(report.seconds, 1e-9)
    lines.append(
        f"Thời gian: {report.seconds:.2f} giây ({n(int(report.read / seconds))} dòng/giây)"
    )
    return "\n".join(lines)


def do_import(args):
    logs = [Path(p) for p in args.logs]
    missing = [str(p) for p in logs if not p.is_file()]
    if missing:
        raise UsageError(
            "Không thấy tệp nhật ký: "
            + ", ".join(missing)
            + '. Kiểm tra LOGS=... (ví dụ LOGS="var/logs/access.log*").'
        )
    entries = site_entries(args.site)
    store = Path(args.store)
    limits = Limits(
        window=args.window * 60,
        not_before=args.not_before,
        max_ahead=args.max_ahead * 3600,
        max_lines=args.max_lines,
        max_seconds=args.max_seconds,
    )

    def importer(conn, secret):
        return Importer(
            conn, url_map(entries), secret, args.timezone, args.batch_lines, limits=limits
        )

    if args.dry_run:
        conn = open_copy(store)
        secret, _ = load_secret(args.secret, create=False)
        report = importer(conn, secret).run(logs, dry_run=True)
        conn.close()
    else:
        open_store(store).close()  # a clear error before waiting on the lock
        with ImportLock(store, wait=args.wait):
            secret, created = load_secret(args.secret)
            if created:
                print(f"Đã tạo khóa bí mật mới: {args.secret} (giữ tệp này, không đưa lên git)")
            conn = open_store(store)
            report = importer(conn, secret).run(logs)
            conn.close()
        report.deleted = prune_logs(report, Path(args.logs_dir), args.retention_days)
    print(format_report(report, entries, args.top, args.dry_run, limits))
    return 0


def prune_logs(report, folder, days):
    """Delete the logs in `folder` (what `make stats-pull` fills) that this import read to
    their end and that were last written more than `days` days ago; their names."""
    if not folder.is_dir():
        return []
    cutoff = time.time() - days * 86_400
    folder = folder.resolve()
    deleted = []
    for file in report.files:
        path = Path(file.name)
        if not file.complete or path.resolve().parent != folder:
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink()
            deleted.append(str(path))
    return deleted


def day_start(text):
    """`YYYY-MM-DD` -> epoch seconds of its midnight (local time), for argparse."""
    try:
        return int(datetime.combine(date.fromisoformat(text), datetime.min.time()).timestamp())
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần ngày dạng YYYY-MM-DD, không phải {text!r}") from None


def positive(kind):
    def check(text):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"cần một số lớn hơn 0, không phải {text!r}")
        return value

    return check


def do_export(args):
    entries = site_entries(args.site)
    conn = open_store(Path(args.store), create=False)
    windows = DEFAULTS["windows"]
    totals, newest = window_totals(conn, windows)
    conn.close()
    target = Path(args.site) / DEFAULTS["json"]
    write_json(target, payload(entries, totals, newest, DEFAULTS["most_read_count"], windows))
    print(f"Đã ghi {target} (số liệu đến ngày {newest.isoformat() if newest else '—'})")
    return 0


def run_rsync(command, what):
    print("$ " + " ".join(command))
    try:
        done = subprocess.run(command, check=False)
    except FileNotFoundError as error:
        raise UsageError("Không có lệnh rsync/ssh: cài gói rsync và openssh-client.") from error
    if done.returncode != 0:
        raise UsageError(
            f"{what} không thành công (rsync trả về {done.returncode}). Kiểm tra kết nối ssh "
            "và các giá trị trong deploy/deploy.env."
        )


def do_pull(args):
    settings = read_deploy_env(args.deploy_env)
    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    run_rsync(pull_command(settings, dest), "Tải nhật ký")
    logs = sorted(p.name for p in dest.iterdir() if p.is_file())
    print(f"Đã tải về {dest}: {', '.join(logs) or 'không có tệp nào'}")
    print(f'Tiếp theo: make stats LOGS="{dest}/access.log*"')
    return 0


def do_upload(args):
    settings = read_deploy_env(args.deploy_env)
    do_export(args)
    run_rsync(upload_command(settings, Path(args.site) / DEFAULTS["json"]), "Tải views.json lên")
    return 0


def parser():
    main = argparse.ArgumentParser(prog="view_counts", description=__doc__.split("\n")[0])
    sub = main.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", default="output", help="the built site (holds views.json)")
    common.add_argument("--store", default=str(DEFAULTS["store"]), help="the SQLite store")
    imp = sub.add_parser("import", parents=[common], help="read access logs into the store")
    imp.add_argument("logs", nargs="+", metavar="LOG", help="access logs, plain or .gz")
    imp.add_argument("--secret", default=str(DEFAULTS["secret"]))
    imp.add_argument("--timezone", default="Asia/Ho_Chi_Minh")
    imp.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    imp.add_argument("--wait", action="store_true", help="wait for another import to end")
    imp.add_argument("--batch-lines", type=int, default=50_000, help="lines per transaction")
    imp.add_argument("--top", type=int, default=10, help="articles listed in the report")
    defaults = DEFAULT_LIMITS
    imp.add_argument(
        "--window", type=positive(int), default=defaults.window // 60,
        help="minutes lines may arrive out of order, across files and runs",
    )  # fmt: skip
    imp.add_argument(
        "--not-before", type=day_start, default=None, metavar="YYYY-MM-DD",
        help="earliest plausible log date (default: Jan 1 of the oldest article's year)",
    )  # fmt: skip
    imp.add_argument(
        "--max-ahead", type=positive(int), default=defaults.max_ahead // 3600,
        help="hours after the import time a log time may be (clock skew)",
    )  # fmt: skip
    imp.add_argument(
        "--max-lines", type=positive(int), default=defaults.max_lines,
        help="lines read per file per run",
    )  # fmt: skip
    imp.add_argument(
        "--max-seconds", type=positive(float), default=defaults.max_seconds,
        help="seconds spent per file per run",
    )  # fmt: skip
    imp.add_argument(
        "--logs-dir", default="var/logs",
        help="the folder make stats-pull fills: fully imported old logs are deleted there",
    )  # fmt: skip
    imp.add_argument(
        "--retention-days", type=positive(int), default=30,
        help="days a fully imported log is kept in --logs-dir",
    )  # fmt: skip
    sub.add_parser("export", parents=[common], help="rewrite <site>/views.json from the store")
    deploy = argparse.ArgumentParser(add_help=False)
    deploy.add_argument("--deploy-env", default="deploy/deploy.env", help="deploy settings")
    pull = sub.add_parser("pull", parents=[deploy], help="fetch the access logs over ssh")
    pull.add_argument("--dest", default="var/logs", help="local folder for the logs")
    sub.add_parser(
        "upload", parents=[common, deploy], help="export views.json and put it on the server"
    )
    return main


def main(argv=None):
    args = parser().parse_args(argv)
    commands = {"import": do_import, "export": do_export, "pull": do_pull, "upload": do_upload}
    try:
        return commands[args.command](args)
    except StoreBusyError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (StoreError, UsageError, LogError, SecretError, DeployEnvError) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
