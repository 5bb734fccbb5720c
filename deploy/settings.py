"""Reading deploy/deploy.env: KEY=VALUE lines, checked, with Vietnamese messages.

The file is the IT contact's own (not committed); deploy/deploy.env.example shows every key.
A hand-written reader rather than python-dotenv because every mistake must be reported with
its line number and a fix, and an unknown key (a typo such as DEPLOY_PAHT) must stop the
deploy instead of being ignored.
"""

import difflib
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from deploy.guards import check_target_path

LINE_RE = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$")
HOST_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.:\[\]-]*$")
USER_RE = re.compile(r"^[a-z_][a-z0-9_.-]*$")
# DEPLOY_LOGS: an absolute path whose last part may hold the wildcards * and ? (rotated logs).
LOGS_RE = re.compile(r"^/(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._*?-]+$")


@dataclass(frozen=True)
class Key:
    required: bool
    default: str
    help: str  # what to put there, in Vietnamese


KEYS = {
    "DEPLOY_HOST": Key(True, "", "tên hoặc địa chỉ IP máy chủ web, ví dụ DEPLOY_HOST=203.0.113.10"),
    "DEPLOY_PORT": Key(False, "22", "cổng ssh của máy chủ, thường là DEPLOY_PORT=22"),
    "DEPLOY_USER": Key(True, "", "tài khoản ssh dùng để đăng bài, ví dụ DEPLOY_USER=deploy"),
    "DEPLOY_PATH": Key(
        True,
        "",
        "thư mục của trang trên máy chủ (đường dẫn tuyệt đối), ví dụ "
        "DEPLOY_PATH=/srv/thuongthanh; nginx phục vụ DEPLOY_PATH/current",
    ),
    "DEPLOY_KEEP": Key(
        False, "5", "số bản phát hành giữ lại trên máy chủ (ít nhất 2), ví dụ DEPLOY_KEEP=5"
    ),
    "DEPLOY_SSH_KEY": Key(
        False, "", "tệp khóa ssh riêng (không bắt buộc), ví dụ DEPLOY_SSH_KEY=~/.ssh/id_ed25519"
    ),
    "DEPLOY_SSH_OPTS": Key(
        False,
        "",
        "tùy chọn ssh thêm (không bắt buộc), ví dụ DEPLOY_SSH_OPTS=-o ConnectTimeout=20",
    ),
    # Read by `make stats-pull` / `make stats-upload` (plugins/view_counts/remote.py) from
    # the same file, checked here with the rest; unused by the deploy itself.
    "DEPLOY_LOGS": Key(
        False,
        "/var/log/nginx/access.log*",
        "nhật ký nginx để tải về cho make stats-pull (đường dẫn tuyệt đối, có thể có * ở "
        "tên tệp), ví dụ DEPLOY_LOGS=/var/log/nginx/thuongthanh.access.log*",
    ),
    "DEPLOY_VIEWS_DIR": Key(
        False,
        "",
        "nơi make stats-upload đặt views.json (mặc định DEPLOY_PATH/current), ví dụ "
        "DEPLOY_VIEWS_DIR=/srv/thuongthanh/current",
    ),
}


class SettingsError(Exception):
    """The settings file cannot be used; str() is the Vietnamese message for staff."""


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    user: str
    path: str
    keep: int
    ssh_key: str = ""
    ssh_options: tuple = field(default_factory=tuple)
    logs: str = KEYS["DEPLOY_LOGS"].default
    views_dir: str = ""  # DEPLOY_PATH/current when empty

    @property
    def destination(self):
        return f"{self.user}@{self.host}"


def parse_lines(text, filename):
    """{KEY: (line number, value)} from the text of an env file; raises SettingsError."""
    values, problems = {}, []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE_RE.match(line)
        if not match:
            problems.append(
                f"{filename}:{number}: dòng không đúng dạng TÊN=giá trị: {raw.strip()!r}. "
                "Hãy viết mỗi dòng một thiết lập, ví dụ DEPLOY_HOST=203.0.113.10"
            )
            continue
        key, value = match["key"], match["value"].strip()
        try:
            words = shlex.split(value, comments=True)
        except ValueError:
            problems.append(
                f"{filename}:{number}: giá trị của {key} thiếu dấu ngoặc kép đóng. "
                "Hãy đóng ngoặc hoặc bỏ ngoặc"
            )
            continue
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" Có phải ý bạn là {close[0]}?" if close else ""
            problems.append(
                f"{filename}:{number}: thiết lập lạ {key}.{hint} "
                f"Các thiết lập hợp lệ: {', '.join(KEYS)}"
            )
            continue
        if key in values:
            problems.append(
                f"{filename}:{number}: {key} đã được đặt ở dòng {values[key][0]}. "
                "Hãy giữ một dòng và xóa dòng kia"
            )
            continue
        if key != "DEPLOY_SSH_OPTS" and len(words) > 1:
            problems.append(
                f"{filename}:{number}: giá trị của {key} có khoảng trắng. "
                "Hãy bỏ khoảng trắng (hoặc đặt trong dấu ngoặc kép nếu thật sự cần)"
            )
            continue
        if key == "DEPLOY_SSH_OPTS":
            # DEPLOY_SSH_OPTS="-o A -o B" (one quoted string, as in a shell file) is
            # split into words; unquoted words are taken as they are.
            values[key] = (number, shlex.join(shlex.split(words[0]) if len(words) == 1 else words))
        else:
            values[key] = (number, words[0] if words else "")
    if problems:
        raise SettingsError("\n".join(problems))
    return values


def _int(values, key, filename, low, high, *, problems):
    line, text = values.get(key, (None, KEYS[key].default))
    where = f"{filename}:{line}" if line else filename
    text = text or KEYS[key].default
    if not text.isdigit() or not low <= int(text) <= high:
        problems.append(
            f"{where}: {key}={text} không hợp lệ: cần một số từ {low} đến {high}. "
            f"Hãy đặt {KEYS[key].help}"
        )
        return 0
    return int(text)


def parse_settings(text, filename="deploy/deploy.env"):
    """Settings from the text of the env file; raises SettingsError naming every problem."""
    values = parse_lines(text, filename)
    problems = []
    missing = [k for k, spec in KEYS.items() if spec.required and not values.get(k, (0, ""))[1]]
    for key in missing:
        problems.append(f"{filename}: thiếu {key}: hãy thêm dòng {key}=... với {KEYS[key].help}")
    port = _int(values, "DEPLOY_PORT", filename, 1, 65535, problems=problems)
    keep = _int(values, "DEPLOY_KEEP", filename, 2, 100, problems=problems)
    host = values.get("DEPLOY_HOST", (0, ""))[1]
    if host and not HOST_RE.match(host):
        problems.append(
            f"{filename}:{values['DEPLOY_HOST'][0]}: DEPLOY_HOST={host} không phải tên máy "
            "hay địa chỉ IP hợp lệ (không được bắt đầu bằng dấu -, không có khoảng trắng)"
        )
    user = values.get("DEPLOY_USER", (0, ""))[1]
    if user and not USER_RE.match(user):
        problems.append(
            f"{filename}:{values['DEPLOY_USER'][0]}: DEPLOY_USER={user} không phải tên tài "
            "khoản hợp lệ: chỉ gồm chữ thường không dấu, số, dấu _ . -"
        )
    key_file = values.get("DEPLOY_SSH_KEY", (0, ""))[1]
    if key_file and not Path(key_file).expanduser().is_file():
        problems.append(
            f"{filename}:{values['DEPLOY_SSH_KEY'][0]}: không thấy tệp khóa ssh {key_file}. "
            "Hãy sửa đường dẫn hoặc xóa dòng này để dùng khóa mặc định"
        )
    _check_stats_paths(values, filename, problems)
    if problems:
        raise SettingsError("\n".join(problems))
    options = values.get("DEPLOY_SSH_OPTS", (0, ""))[1]
    return Settings(
        host=host,
        port=port,
        user=user,
        path=values["DEPLOY_PATH"][1],
        keep=keep,
        ssh_key=str(Path(key_file).expanduser()) if key_file else "",
        ssh_options=tuple(shlex.split(options)),
        logs=values.get("DEPLOY_LOGS", (0, ""))[1] or KEYS["DEPLOY_LOGS"].default,
        views_dir=(
            values.get("DEPLOY_VIEWS_DIR", (0, ""))[1]
            or values["DEPLOY_PATH"][1].rstrip("/") + "/current"
        ),
    )


def _check_stats_paths(values, filename, problems):
    """DEPLOY_LOGS and DEPLOY_VIEWS_DIR, the view counts' two paths on the server."""
    line, logs = values.get("DEPLOY_LOGS", (None, ""))
    if logs and not LOGS_RE.match(logs):
        problems.append(
            f"{filename}:{line}: DEPLOY_LOGS={logs} có ký tự không cho phép hoặc không phải "
            "đường dẫn tuyệt đối: chỉ dùng chữ không dấu, số, . _ - / và * ? ở tên tệp. "
            f"Hãy đặt {KEYS['DEPLOY_LOGS'].help}"
        )
    elif logs and any(part in (".", "..") for part in logs.split("/")):
        problems.append(
            f"{filename}:{line}: DEPLOY_LOGS={logs} có thành phần . hoặc ..: hãy viết "
            "đường dẫn thẳng"
        )
    line, views = values.get("DEPLOY_VIEWS_DIR", (None, ""))
    if views:
        problems.extend(
            f"{filename}:{line}: {p}" for p in check_target_path(views, "DEPLOY_VIEWS_DIR")
        )


def load_settings(path):
    """Settings from the env file at `path`; a missing file is a SettingsError too."""
    path = Path(path)
    if not path.is_file():
        example = path.with_name(path.name + ".example")
        raise SettingsError(
            f"Không thấy tệp thiết lập {path}. Hãy chép {example} thành {path} "
            "rồi điền máy chủ, tài khoản và thư mục (tệp này không đưa lên git)."
        )
    return parse_settings(path.read_text(encoding="utf-8"), str(path))
