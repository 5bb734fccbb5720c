"""The officials registry (`content/data/officials.yml`): loading and checking.

Knows nothing of Pelican. The YAML is composed into nodes (not loaded straight into Python
values) so that every mistake can be reported with the line it is on, in Vietnamese, the
way staff see it in their editor.
"""

import difflib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import yaml

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OFFICIAL_KEYS = ("id", "name", "aliases", "positions")
POSITION_KEYS = ("title", "from", "to")


class RegistryError(ValueError):
    """The registry has mistakes; the message lists each as `file:line: ...`."""


@dataclass(frozen=True)
class Position:
    title: str
    start: date
    end: date | None  # None: still held
    line: int = 0

    def covers(self, day):
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Official:
    id: str
    name: str
    aliases: tuple = ()
    positions: tuple = ()
    line: int = 0

    @property
    def names(self):
        return (self.name, *self.aliases)

    def position_on(self, day):
        """The position held on `day` (a date), or None."""
        for position in self.positions:
            if position.covers(day):
                return position
        return None

    def title_on(self, day):
        position = self.position_on(day)
        return position.title if position else None

    @property
    def latest(self):
        """The most recent position (the one still held, else the last one)."""
        if not self.positions:
            return None
        return max(self.positions, key=lambda p: (p.end is None, p.end or p.start, p.start))


@dataclass
class Registry:
    officials: dict = field(default_factory=dict)  # id -> Official
    path: str = ""

    def __contains__(self, official_id):
        return official_id in self.officials

    def __getitem__(self, official_id):
        return self.officials[official_id]

    def __iter__(self):
        return iter(self.officials.values())

    def __len__(self):
        return len(self.officials)


def _line(node):
    return node.start_mark.line + 1


def _is_nfc(text):
    return unicodedata.is_normalized("NFC", text)


class _Checker:
    def __init__(self):
        self.problems = []  # (line, message)

    def add(self, node_or_line, message):
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append((line, message))

    def mapping(self, node, keys, what, required=(), owner=""):
        """{key: (key_node, value_node)} of a mapping node; reports unknown and duplicate
        keys, and each of `required` that is missing ('thiếu mục … cho <owner>')."""
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.add(key_node, f"{what}: tên mục phải là chữ, ví dụ 'name:'.")
                continue
            if key in out:
                self.add(
                    key_node, f"mục '{key}' được viết hai lần trong cùng {what}; hãy xóa một dòng."
                )
                continue
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                hint = f" Có phải ý bạn là '{close[0]}'?" if close else ""
                self.add(
                    key_node,
                    f"không có mục '{key}' trong {what}.{hint} Các mục dùng được: {', '.join(keys)}.",
                )
                continue
            out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                self.add(node, f"thiếu mục '{key}:' cho {owner}.")
        return out

    def sequence(self, fields, key, message):
        """The item nodes of the list under `key` ([] when there is none), or None when it
        is not a list (then `message` is reported)."""
        if key not in fields:
            return []
        value_node = fields[key][1]
        if not isinstance(value_node, yaml.SequenceNode):
            self.add(value_node, message)
            return None
        return value_node.value

    def text(self, node, what, *, words=1):
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            self.add(node, f"{what} phải là một dòng chữ, không để trống.")
            return None
        value = node.value
        if not _is_nfc(value):
            self.add(
                node,
                f"{what} '{unicodedata.normalize('NFC', value)}' không ở dạng Unicode dựng sẵn "
                "(NFC), thường do chép từ Word hay PDF. Hãy gõ lại chữ này bằng bộ gõ tiếng Việt "
                "(Unicode dựng sẵn).",
            )
            value = unicodedata.normalize("NFC", value)
        value = " ".join(value.split())
        if len(value.split()) < words:
            self.add(
                node,
                f"{what} '{value}' phải là họ và tên đầy đủ (ít nhất {words} chữ); "
                "chỉ tên gọi thì không nhận ra được ai.",
            )
            return None
        return value

    def day(self, node, what):
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        if not DATE_RE.match(value or ""):
            self.add(
                node,
                f"{what} '{value}' không đúng dạng. Viết theo mẫu YYYY-MM-DD, ví dụ 2021-07-01.",
            )
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.add(node, f"{what} '{value}' không có thật trên lịch. Hãy kiểm tra ngày và tháng.")
            return None


def parse_registry(text, path="officials.yml"):
    """Return a Registry from YAML `text`; raise RegistryError listing every mistake."""
    registry, problems = check_registry(text, path)
    if problems:
        raise RegistryError("\n".join(problems))
    return registry


def _compose(text):
    """The YAML node tree, by libyaml when PyYAML has it (ten times faster on a large
    registry); a file it rejects is read again by the pure-Python parser so that the error
    message staff see is the same either way."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def check_registry(text, path="officials.yml"):
    """(Registry of the entries without mistakes, ['file:line: message' for each mistake])."""
    checker = _Checker()
    try:
        root = _compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return Registry(path=path), [
            f"{path}:{line}: tệp danh sách cán bộ viết sai cú pháp YAML "
            f"({getattr(e, 'problem', None) or e}). Kiểm tra thụt lề và dấu ':' ở dòng này."
        ]
    registry = Registry(path=path)
    if root is None:
        return registry, []
    if not isinstance(root, yaml.SequenceNode):
        return registry, [
            f"{path}:{_line(root)}: danh sách cán bộ phải là một danh sách, "
            "mỗi người bắt đầu bằng '- id: ...'."
        ]
    first_line = {}
    for item in root.value:
        official = _official(checker, item)
        if official is None:
            continue
        if official.id in first_line:
            checker.add(
                official.line,
                f"mã cán bộ '{official.id}' đã dùng ở dòng {first_line[official.id]}. "
                "Mỗi người một mã riêng; hãy đổi mã này (ví dụ thêm -2).",
            )
            continue
        first_line[official.id] = official.line
        registry.officials[official.id] = official
    problems = [
        f"{path}:{line}: {msg}" for line, msg in sorted(checker.problems, key=lambda p: p[0])
    ]
    return registry, problems


def _official(checker, node):
    if not isinstance(node, yaml.MappingNode):
        checker.add(node, "mỗi cán bộ phải là một nhóm mục 'id:', 'name:', 'positions:'.")
        return None
    required = ("id", "name")
    fields = checker.mapping(node, OFFICIAL_KEYS, "một cán bộ", required, "cán bộ này")
    ok = all(key in fields for key in required)
    official_id = name = None
    if "id" in fields:
        value_node = fields["id"][1]
        official_id = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
        if not ID_RE.match(official_id or ""):
            checker.add(
                value_node,
                f"mã '{official_id}' chỉ được gồm chữ thường không dấu, số và dấu '-', "
                "ví dụ nguyen-van-a.",
            )
            ok = False
    if "name" in fields:
        name = checker.text(fields["name"][1], "họ tên", words=2)
        ok = ok and name is not None
    alias_nodes = checker.sequence(
        fields, "aliases", "mục 'aliases' phải là danh sách, ví dụ [Nguyễn V. A]."
    )
    position_nodes = checker.sequence(
        fields, "positions", "mục 'positions' phải là danh sách các chức vụ '- title: ...'."
    )
    aliases = [checker.text(n, "tên khác", words=2) for n in alias_nodes or ()]
    positions = [_position(checker, n) for n in position_nodes or ()]
    ok = ok and None not in (alias_nodes, position_nodes) and None not in aliases + positions
    aliases = [a for a in aliases if a]
    positions = [p for p in positions if p]
    positions.sort(key=lambda p: p.start)
    for before, after in itertools.pairwise(positions):
        if before.end is None or before.end >= after.start:
            checker.add(
                after.line,
                f"chức vụ '{after.title}' (từ {after.start:%Y-%m-%d}) trùng thời gian với "
                f"chức vụ '{before.title}' ở dòng {before.line}. Hãy ghi 'to:' cho chức vụ cũ "
                "trước ngày bắt đầu chức vụ mới.",
            )
            ok = False
    if not ok:
        return None
    return Official(official_id, name, tuple(aliases), tuple(positions), _line(node))


def _position(checker, node):
    if not isinstance(node, yaml.MappingNode):
        checker.add(node, "mỗi chức vụ phải có dạng '- title: ...' với 'from:' và có thể có 'to:'.")
        return None
    required = ("title", "from")
    fields = checker.mapping(node, POSITION_KEYS, "một chức vụ", required, "chức vụ này")
    ok = all(key in fields for key in required)
    title = checker.text(fields["title"][1], "chức vụ") if "title" in fields else None
    start = checker.day(fields["from"][1], "ngày bắt đầu") if "from" in fields else None
    end = checker.day(fields["to"][1], "ngày kết thúc") if "to" in fields else None
    if start and end and end < start:
        checker.add(
            fields["to"][1],
            f"ngày kết thúc {end:%Y-%m-%d} ở trước ngày bắt đầu {start:%Y-%m-%d}; hãy kiểm tra lại.",
        )
        ok = False
    if not (ok and title and start) or ("to" in fields and end is None):
        return None
    return Position(title, start, end, _line(node))


def load_registry(path, display_path=None):
    """Read and check the registry file at `path`; RegistryError lists every mistake."""
    registry, problems = read_registry(path, display_path)
    if problems:
        raise RegistryError("\n".join(problems))
    return registry


def read_registry(path, display_path=None):
    """(Registry of the entries without mistakes, [messages]) of the file at `path`."""
    shown = display_path or str(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return Registry(path=shown), [f"{shown}:1: không tìm thấy tệp danh sách cán bộ."]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return Registry(path=shown), [
            f"{shown}:{line}: tệp không được lưu dạng UTF-8. Hãy lưu lại với bảng mã UTF-8."
        ]
    return check_registry(text, shown)
