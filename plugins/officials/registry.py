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
# Work phone: digits, spaces and a leading +, 8 to 15 digits ('024 3877 1234', '+84 24 3877 1234').
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ]*$")
PHONE_DIGITS = (8, 15)
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif")
# The keys of an official and of a position, in the order the messages list them. Files
# written before body, photo, phone, email, duties and title_en existed stay valid.
OFFICIAL_KEYS = ("id", "name", "aliases", "photo", "phone", "email", "duties", "positions")
POSITION_KEYS = ("title", "title_en", "body", "from", "to")


class RegistryError(ValueError):
    """The registry has mistakes; the message lists each as `file:line: ...`."""


@dataclass(frozen=True)
class Position:
    title: str
    start: date
    end: date | None  # None: still held
    line: int = 0
    body: str | None = None  # key of the body the post belongs to (OFFICIALS["bodies"])
    title_en: str | None = None

    def covers(self, day):
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Official:
    id: str
    name: str
    aliases: tuple = ()
    positions: tuple = ()
    line: int = 0
    photo: str | None = None  # as written: a path under content/, e.g. images/can-bo/a.jpg
    phone: str | None = None
    email: str | None = None
    duties: str | None = None
    lines: tuple = ()  # ((key, line of its value), ...) for photo, phone, email, duties

    @property
    def names(self):
        return (self.name, *self.aliases)

    def line_of(self, key):
        """The line of `key`'s value, or the official's own line."""
        return dict(self.lines).get(key, self.line)

    def position_on(self, day):
        """The position held on `day` (a date), or None (the first, when posts in several
        bodies are held at once)."""
        for position in self.positions:
            if position.covers(day):
                return position
        return None

    def positions_on(self, day):
        """Every position held on `day`, oldest first (posts in different bodies overlap)."""
        return tuple(p for p in self.positions if p.covers(day))

    def title_on(self, day):
        """The title held on `day`; posts held together are joined with a comma."""
        held = self.positions_on(day)
        return ", ".join(p.title for p in held) if held else None

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
    def __init__(self, bodies=None):
        self.problems = []  # (line, message)
        self.bodies = None if bodies is None else tuple(bodies)  # None: any key is a body

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


def parse_registry(text, path="officials.yml", bodies=None):
    """Return a Registry from YAML `text`; raise RegistryError listing every mistake.
    `bodies`: the body keys a position may name (None: any key of the right shape)."""
    registry, problems = check_registry(text, path, bodies)
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


def check_registry(text, path="officials.yml", bodies=None):
    """(Registry of the entries without mistakes, ['file:line: message' for each mistake])."""
    checker = _Checker(bodies)
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
    for before, after in itertools.combinations(positions, 2):
        if not _overlap(before, after):
            continue
        if before.body and after.body and before.body != after.body:
            continue  # posts in two bodies held at once ('Phó Bí thư Đảng ủy' and 'Chủ tịch UBND')
        if before.body and before.body == after.body:
            fix = (
                f"Một người chỉ giữ một chức vụ trong cùng cơ quan '{after.body}' vào một thời "
                "điểm: hãy ghi 'to:' cho chức vụ cũ trước ngày bắt đầu chức vụ mới, hoặc gộp "
                "hai chức danh vào một dòng 'title:'."
            )
        else:
            fix = (
                "Hãy ghi 'to:' cho chức vụ cũ trước ngày bắt đầu chức vụ mới; nếu hai chức vụ "
                "thuộc hai cơ quan khác nhau và cùng được giữ, ghi 'body:' cho cả hai."
            )
        checker.add(
            after.line,
            f"chức vụ '{after.title}' (từ {after.start:%Y-%m-%d}) trùng thời gian với "
            f"chức vụ '{before.title}' ở dòng {before.line}. {fix}",
        )
        ok = False
    contact = _contact(checker, fields)  # a wrong one is reported and left out, not the person
    if not ok:
        return None
    lines = tuple((key, _line(fields[key][1])) for key in contact if key in fields)
    return Official(
        official_id,
        name,
        tuple(aliases),
        tuple(positions),
        _line(node),
        lines=lines,
        **contact,
    )


def _overlap(a, b):
    """True when positions `a` (starting first) and `b` are held on a same day."""
    return a.end is None or a.end >= b.start


def _contact(checker, fields):
    """{photo, phone, email, duties} of an official: None for each one not written or
    wrong (reported)."""
    out = dict.fromkeys(("photo", "phone", "email", "duties"))
    if "photo" in fields:
        node = fields["photo"][1]
        value = checker.text(node, "ảnh (photo)")
        if value is not None:
            if (
                value.startswith(("/", "{", "http:", "https:"))
                or "://" in value
                or ".." in value.split("/")
                or "\\" in value
            ):
                checker.add(
                    node,
                    f"ảnh '{value}' phải là đường dẫn trong thư mục content/, viết như ở dòng "
                    "Image: của bài, ví dụ images/can-bo/nguyen-van-a.jpg.",
                )
                value = None
            elif not value.lower().endswith(PHOTO_EXTENSIONS):
                checker.add(
                    node,
                    f"ảnh '{value}' không phải tệp ảnh (JPEG, PNG, WebP, HEIC hoặc GIF); "
                    "ví dụ images/can-bo/nguyen-van-a.jpg.",
                )
                value = None
        out["photo"] = value
    if "phone" in fields:
        node = fields["phone"][1]
        value = checker.text(node, "số điện thoại (phone)")
        if value is not None:
            digits = sum(c.isdigit() for c in value)
            if not PHONE_RE.match(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
                checker.add(
                    node,
                    f"số điện thoại '{value}' chỉ được gồm chữ số, dấu cách và dấu + ở đầu "
                    f"(từ {PHONE_DIGITS[0]} đến {PHONE_DIGITS[1]} chữ số), ví dụ 024 3877 1234 "
                    "hoặc +84 24 3877 1234; không dùng dấu chấm, gạch ngang hay ngoặc, và chỉ "
                    "ghi một số.",
                )
                value = None
        out["phone"] = value
    if "email" in fields:
        node = fields["email"][1]
        value = checker.text(node, "thư điện tử (email)")
        if value is not None and not EMAIL_RE.match(value):
            checker.add(
                node,
                f"thư điện tử '{value}' không đúng dạng. Viết một địa chỉ, không dấu, không "
                "dấu cách, ví dụ nguyenvana@hanoi.gov.vn.",
            )
            value = None
        out["email"] = value
    if "duties" in fields:
        out["duties"] = checker.text(fields["duties"][1], "lĩnh vực phụ trách (duties)")
    return out


def _position(checker, node):
    if not isinstance(node, yaml.MappingNode):
        checker.add(node, "mỗi chức vụ phải có dạng '- title: ...' với 'from:' và có thể có 'to:'.")
        return None
    required = ("title", "from")
    fields = checker.mapping(node, POSITION_KEYS, "một chức vụ", required, "chức vụ này")
    ok = all(key in fields for key in required)
    title = checker.text(fields["title"][1], "chức vụ") if "title" in fields else None
    title_en = None
    if "title_en" in fields:
        title_en = checker.text(fields["title_en"][1], "chức vụ bằng tiếng Anh (title_en)")
        ok = ok and title_en is not None
    body = None
    if "body" in fields:
        body = _body(checker, fields["body"][1])
        ok = ok and body is not None
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
    return Position(title, start, end, _line(node), body=body, title_en=title_en)


def _body(checker, node):
    """The body key of a position, or None (reported)."""
    value = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
    known = checker.bodies
    listed = f" Các mã dùng được: {', '.join(known)}." if known else ""
    if not ID_RE.match(value):
        checker.add(
            node,
            f"cơ quan (body) '{value}' phải là một mã viết liền, chữ thường không dấu, "
            f"ví dụ ubnd hoặc dang-uy.{listed}",
        )
        return None
    if known is not None and value not in known:
        close = difflib.get_close_matches(value, known, n=1)
        hint = f" Có phải ý bạn là '{close[0]}'?" if close else ""
        if known:
            fix = listed.strip()
        else:
            fix = "Chưa có cơ quan nào được khai báo (OFFICIALS['bodies'] trong pelicanconf.py)."
        checker.add(node, f"không có cơ quan (body) '{value}'.{hint} {fix}")
        return None
    return value


def load_registry(path, display_path=None, bodies=None):
    """Read and check the registry file at `path`; RegistryError lists every mistake."""
    registry, problems = read_registry(path, display_path, bodies)
    if problems:
        raise RegistryError("\n".join(problems))
    return registry


def read_registry(path, display_path=None, bodies=None):
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
    return check_registry(text, shown, bodies)
