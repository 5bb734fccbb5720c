"""Is this output safe to upload? No draft, hidden or future-dated article; a publish build.

The evidence is the manifest the `publish_manifest` plugin writes at the end of each build
(what Pelican actually wrote and the status of each article it shows), checked against the
files really present in the folder. Anything unexpected refuses the upload: a file no build
step claims (only Pagefind's index, written after the build, is known by its folder and
kinds of files) and any symbolic link.
"""

import json
import os
from datetime import datetime
from pathlib import Path

MANIFEST = ".publish-manifest.json"
DEFAULT_DRAFT_DIRS = ("ban-nhap",)
SEARCH_DIR = "pagefind"
SEARCH_SUFFIXES = (
    ".js", ".css", ".json", ".pagefind", ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter",
)  # fmt: skip
PUBLISH_HINT = "Hãy chạy `make publish` rồi deploy lại (hoặc `make publish deploy`)."


def _when(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def check_output(output):
    """Vietnamese problems that forbid uploading `output` (empty list: safe to upload)."""
    output = Path(output)
    if not (output / "index.html").is_file():
        return [f"Thư mục {output}/ chưa có bản dựng (không thấy index.html). {PUBLISH_HINT}"]
    manifest_path = output / MANIFEST
    if not manifest_path.is_file():
        return [
            f"Không thấy {manifest_path}: thư mục {output}/ không do `make publish` tạo ra "
            f"(hoặc thiếu plugin publish_manifest trong PLUGINS). {PUBLISH_HINT}"
        ]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files, static = manifest["files"], set(manifest["static"])
        built_at = _when(manifest["built_at"])
    except (ValueError, KeyError, TypeError):
        return [f"{manifest_path} hỏng hoặc không đọc được. {PUBLISH_HINT}"]
    if manifest.get("format") != 1 or built_at is None:
        return [f"{manifest_path} không đúng định dạng. {PUBLISH_HINT}"]

    problems = []
    if manifest.get("unpublished_write", True):
        problems.append(
            f"{output}/ là bản xem thử (`make html`/`make serve`), có cả bản nháp. {PUBLISH_HINT}"
        )
    for folder in sorted(set(manifest.get("draft_dirs", [])) | set(DEFAULT_DRAFT_DIRS)):
        if (output / folder).exists():
            problems.append(f"{output}/{folder}/ chứa bản nháp: không được đưa lên. {PUBLISH_HINT}")

    for rel, items in sorted(files.items()):
        for item in items:
            source = item.get("source") or rel
            status = item.get("status")
            allowed = ("published", "hidden") if item.get("kind") == "page" else ("published",)
            if status not in allowed:
                label = {"draft": "bản nháp", "hidden": "bài ẩn"}.get(
                    status, f"trạng thái {status}"
                )
                problems.append(
                    f"{output}/{rel}: chứa {label} từ content/{source}. Bài này không được "
                    f"đăng. {PUBLISH_HINT}"
                )
            date = _when(item.get("date"))
            if item.get("kind") != "page" and date and date.tzinfo and date > built_at:
                problems.append(
                    f"{output}/{rel}: chứa bài hẹn giờ content/{source} (ngày {item['date']}), "
                    f"chưa đến ngày đăng. {PUBLISH_HINT}"
                )
        if not (output / rel).is_file():
            problems.append(
                f"{output}/{rel} có trong danh mục bản dựng nhưng đã mất. {PUBLISH_HINT}"
            )

    claimed = set(files) | static | {MANIFEST}
    for rel, is_link in walk(output):
        if is_link:
            problems.append(
                f"{output}/{rel}: là liên kết (symlink), không được đưa lên (nó có thể trỏ ra "
                f"ngoài trang). {PUBLISH_HINT}"
            )
        elif rel not in claimed and not is_search_index(rel):
            problems.append(f"{output}/{rel}: tệp lạ, không do lần dựng này tạo ra. {PUBLISH_HINT}")
    return problems


def is_search_index(rel):
    """Pagefind's index, written by `make publish` after Pelican (so not in the manifest):
    only its own kinds of files, in its own folder."""
    return rel.startswith(f"{SEARCH_DIR}/") and rel.endswith(SEARCH_SUFFIXES)


def walk(output):
    """(posix path under output, is a symlink) of every file and link, links not followed."""
    for folder, dirs, names in os.walk(output):
        for name in sorted(dirs + names):
            path = os.path.join(folder, name)
            is_link = os.path.islink(path)
            if is_link or name in names:
                yield Path(os.path.relpath(path, output)).as_posix(), is_link
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
