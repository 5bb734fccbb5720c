"""The checks that stand between a typo and a wiped server directory.

`check_target_path` looks at DEPLOY_PATH as written, before any connection; `assess_remote`
looks at what the server reported about it (its real path after symlinks, the ssh user's
home, the marker file written by `make deploy-init`). Both return Vietnamese messages, an
empty list meaning "go ahead".
"""

import posixpath
import re
from dataclasses import dataclass, field

MARKER = ".ward-deploy-target"
MARKER_MAGIC = "ward-news-site deploy target"
SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9._/-]+$")
# Folders of the operating system itself: never a site's home, at any depth.
SYSTEM_DIRS = (
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run",
    "/sbin", "/sys", "/usr",
)  # fmt: skip
HOME_PARENTS = ("/home", "/Users")


def check_target_path(path, setting="DEPLOY_PATH"):
    """Problems with the target path as written (empty list: acceptable)."""
    fix = f"Hãy đặt {setting} là thư mục riêng của trang, ví dụ {setting}=/srv/thuongthanh"
    if not path or not path.strip():
        return [f"{setting} đang để trống. {fix}"]
    if not SAFE_PATH_RE.match(path):
        return [
            f"{setting}={path!r} có ký tự không cho phép (khoảng trắng, dấu tiếng Việt, ~, $, *...). "
            f"Chỉ dùng chữ không dấu, số và . _ - /. {fix}"
        ]
    if not path.startswith("/"):
        return [f"{setting}={path} không phải đường dẫn tuyệt đối (phải bắt đầu bằng /). {fix}"]
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts) or "//" in path:
        return [
            f"{setting}={path} có thành phần . hoặc .. hoặc //: hãy viết đường dẫn thẳng. {fix}"
        ]
    normal = "/" + "/".join(parts)
    if normal == "/":
        return [f"{setting}=/ là thư mục gốc của máy chủ: không bao giờ được dùng. {fix}"]
    if (
        normal == "/root"
        or normal in HOME_PARENTS
        or (len(parts) == 2 and "/" + parts[0] in HOME_PARENTS)
    ):
        return [f"{setting}={path} là thư mục nhà (home) của tài khoản: không được dùng. {fix}"]
    if any(normal == d or normal.startswith(d + "/") for d in SYSTEM_DIRS):
        return [f"{setting}={path} nằm trong thư mục hệ thống. {fix}"]
    if len(parts) < 2:
        return [f"{setting}={path} quá gần thư mục gốc (cần ít nhất hai cấp). {fix}"]
    return []


@dataclass
class RemoteInfo:
    """What the inspection script reported about the target on the server."""

    exists: bool = False
    is_dir: bool = True
    real: str = ""
    home: str = ""
    homes: list = field(default_factory=list)  # every account's home folder on the server
    marker: str | None = None  # first line of the marker file, None when absent
    current: str | None = None  # symlink target of `current`, None when absent
    current_is_link: bool = True
    empty: bool = True
    releases: list = field(default_factory=list)
    partials: list = field(default_factory=list)


# What each line of the inspection script sets on RemoteInfo: a flag, a value, or one
# more item of a list.
FLAG_LINES = {
    "EXISTS": ("exists", True),
    "NOT_DIR": ("is_dir", False),
    "CURRENT_NOT_LINK": ("current_is_link", False),
    "NOT_EMPTY": ("empty", False),
}
VALUE_LINES = {"REAL": "real", "HOME": "home", "MARKER": "marker", "CURRENT": "current"}
LIST_LINES = {"HOMEDIR": "homes", "RELEASE": "releases", "PARTIAL": "partials"}


def parse_inspection(text):
    """RemoteInfo from the `KEY value` lines the inspection script prints."""
    info = RemoteInfo()
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        if key in FLAG_LINES:
            setattr(info, *FLAG_LINES[key])
        elif key in VALUE_LINES:
            setattr(info, VALUE_LINES[key], value)
        elif key in LIST_LINES:
            getattr(info, LIST_LINES[key]).append(value)
    info.releases.sort()
    return info


def _inside(child, parent):
    return child == parent or child.startswith(parent.rstrip("/") + "/")


def assess_remote(info, path, *, for_init=False):
    """Problems with the target as the server sees it (empty list: acceptable)."""
    where = f"DEPLOY_PATH={path}"
    if info.exists and not info.is_dir:
        return [f"{where} trên máy chủ là một tệp, không phải thư mục: từ chối."]
    if info.exists:
        real = posixpath.normpath(info.real or "/")
        if real == "/":
            return [f"{where} trỏ tới thư mục gốc / của máy chủ (qua liên kết): từ chối."]
        if info.home and _inside(info.home, real):
            return [
                f"{where} là thư mục nhà ({info.home}) của tài khoản ssh hoặc chứa nó: từ chối. "
                "Hãy dùng một thư mục riêng cho trang, ví dụ /srv/thuongthanh"
            ]
        if real in {posixpath.normpath(h) for h in info.homes if h.startswith("/")}:
            return [
                f"{where} ({real}) là thư mục nhà của một tài khoản trên máy chủ: từ chối. "
                "Hãy dùng một thư mục riêng cho trang, ví dụ /srv/thuongthanh"
            ]
        bad = check_target_path(real, "DEPLOY_PATH (đường dẫn thật trên máy chủ)")
        if bad:
            return bad
    if for_init:
        if info.exists and info.marker is None and not info.empty:
            return [
                f"{where} đã có dữ liệu khác trên máy chủ ({info.real}) mà không phải thư mục "
                "đăng trang: từ chối khởi tạo để không ghi đè. Hãy chọn một thư mục mới hoặc rỗng"
            ]
        return []
    if not info.exists:
        return [
            f"{where} chưa có trên máy chủ. Nếu đúng là thư mục này, hãy chạy "
            "`make deploy-init` một lần để khởi tạo"
        ]
    if info.marker is None or not info.marker.startswith(MARKER_MAGIC):
        return [
            f"{where}: thư mục {info.real} trên máy chủ không có tệp đánh dấu {MARKER}, "
            "tức chưa được khởi tạo để đăng trang: từ chối, không tải gì lên. Kiểm tra lại "
            "đường dẫn; nếu đúng, chạy `make deploy-init` một lần"
        ]
    if not info.current_is_link:
        return [
            f"{info.real}/current trên máy chủ là thư mục thật, không phải liên kết: hãy "
            "chuyển nó đi chỗ khác rồi deploy lại"
        ]
    return []
