"""Stage 1, load: read a form instance (YAML or JSON) into plain Python data, safely.

Whatever the file holds, what comes out is JSON-shaped data every later stage can take:
string keys, at most ``MAX_DEPTH`` levels, finite numbers of sane size, text in NFC with no
control, invisible-direction or broken characters. Everything else is a ``Problem`` naming
the JSON path, and all problems of a file are reported together (``DataProblems``).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from .errors import InputError
from .findings import child_path, show

MAX_FORM_BYTES = 5 * 1024 * 1024
"""A form is a few dozen KB; anything above this is not a form (and would stall the pipeline)."""

MAX_DEPTH = 64
"""Nesting levels a data file may have; real forms use fewer than ten. Deeper data is refused
before anything recursive (YAML composer, jsonschema, rules) sees it."""

MAX_NUMBER = 2**53
"""Largest magnitude of a number: beyond it JSON programs lose digits, and no form counts that far."""

_BIG_DIGITS = 20
"""Integer literals longer than this are not converted at all (Python refuses above 4,300 digits)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data of a file, at a JSON path."""

    json_path: str
    message: str


class DataProblems(InputError):
    """A data file parsed, but holds data no form can hold (see the module docstring). Exit 1.

    ``problems`` lists every one of them; ``message`` and ``json_path`` are the first.
    """

    def __init__(self, problems: list[Problem], *, file: str):
        first = problems[0]
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        super().__init__(first.message + more, file=file, json_path=first.json_path)
        self.problems = problems


@dataclass
class RawForm:
    """A form file as read: its path (as the user wrote it) and its data."""

    path: str
    data: dict[str, Any]


# -- YAML -------------------------------------------------------------------------------------
class _Mapping(dict):
    """A mapping as the YAML loader built it, with the problems of its keys (found before paths are known)."""

    problems: list[str]

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.problems = []


@dataclass(frozen=True)
class _TooBig:
    """An integer literal too long to convert; reported with its path by ``_Cleaner``."""

    text: str


@dataclass(frozen=True)
class _NonFinite:
    """JSON's NaN, Infinity, -Infinity (Python's json accepts them); reported with its path."""

    text: str


class _TooDeep(Exception):
    def __init__(self, path: str, line: int):
        super().__init__(path)
        self.path = path
        self.line = line


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text, refuses aliases, and keeps watch on keys and depth.

    Dates stay ISO strings because the schemas check them as such. Aliases are refused
    because a form never needs them and nested aliases expand exponentially ("billion laughs").
    Composition stops at ``MAX_DEPTH`` levels (it is recursive). Keys that are not text, merge
    keys and repeated keys are left out of the mapping and noted on it, with their lines.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._paths: list[str] = []

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "không dùng bí danh YAML (*tên) trong tệp dữ liệu", event.start_mark
            )
        if parent is None:
            path = "$"
        elif isinstance(index, int):
            path = child_path(self._paths[-1], index)
        elif isinstance(index, ScalarNode):
            path = child_path(self._paths[-1], str(index.value))
        else:  # a key being composed: it sits at its mapping's path
            path = self._paths[-1]
        if len(self._paths) > MAX_DEPTH:
            raise _TooDeep(path, self.peek_event().start_mark.line + 1)
        self._paths.append(path)
        try:
            return super().compose_node(parent, index)
        finally:
            self._paths.pop()

    def construct_yaml_map(self, node):  # noqa: D102 - PyYAML hook
        data = _Mapping()
        yield data
        value = self.construct_mapping(node)
        data.update(value)
        data.problems = value.problems

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        mapping = _Mapping()
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:
                mapping.problems.append(f"Không dùng khóa gộp '<<' của YAML (dòng {line}): ghi thẳng từng mục.")
                continue
            if not isinstance(key_node, ScalarNode):
                kind = "một danh sách" if isinstance(key_node, yaml.SequenceNode) else "một bảng khóa: giá trị"
                mapping.problems.append(f"Khóa ở dòng {line} là {kind}, không phải là tên mục (tên mục là chữ, ví dụ ho_ten).")
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                mapping.problems.append(
                    f"Khóa '{show(key_node.value or '(trống)')}' ở dòng {line} là {_kind_vi(key)}, không phải là tên mục "
                    "(tên mục là chữ, ví dụ ho_ten)."
                )
                continue
            if key in lines:
                mapping.problems.append(f"Khóa '{show(key)}' xuất hiện hai lần: dòng {lines[key]} và dòng {line}; chỉ giữ một.")
                continue
            lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node):  # noqa: D102 - PyYAML hook
        digits = str(node.value).replace("_", "").lstrip("+-")
        if len(digits) > _BIG_DIGITS:
            return _TooBig(str(node.value))
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# Characters PyYAML's reader refuses outright. They are moved to plane 16 (private use) for
# parsing, then moved back, so that the cleaner can name the JSON path of each one.
_YAML_REFUSED = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLANE16 = 0x100000
_MASKED = re.compile("[\U00100000-\U0010ffff]")


def _mask(text: str) -> tuple[str, bool]:
    if not _YAML_REFUSED.search(text):
        return text, False
    if _MASKED.search(text):  # the shelter is taken: say where the first refused character is
        m = _YAML_REFUSED.search(text)
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise InputError(f"Tệp có {_char_vi(m.group())} ở dòng {line}, cột {column}; hãy xóa ký tự này.", json_path="$")
    return _YAML_REFUSED.sub(lambda m: chr(_PLANE16 + ord(m.group())), text), True


# -- text -------------------------------------------------------------------------------------
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
"""Removed from all text: invisible in print, yet they make equal-looking names and codes differ."""

_BAD_CHAR = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
    "\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff"
    "\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff"
    "\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff"
    "\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff]"
)
"""Refused in all text: controls other than tab and newline, line/paragraph separators,
bidirectional controls (they make text display differently from what it is), lone surrogates
and noncharacters. None of them prints; some crash or vanish from the DOCX."""


def _char_vi(char: str) -> str:
    n = ord(char)
    code = f"U+{n:04X}"
    if char in "\x0b\x0c\x85\u2028\u2029":
        return f"ký tự ngắt dòng đặc biệt {code} (hãy dùng xuống dòng thường)"
    if n < 0x20 or 0x7F <= n <= 0x9F:
        return f"ký tự điều khiển {code} (không in được)"
    if 0xD800 <= n <= 0xDFFF:
        return f"ký tự hỏng {code} (nửa cặp UTF-16)"
    if char in "\u061c\u200e\u200f" or 0x202A <= n <= 0x202E or 0x2066 <= n <= 0x2069:
        return f"ký tự điều khiển hướng chữ {code} (làm chữ hiện ra khác nội dung thật)"
    return f"ký tự không hợp lệ {code}"


def _text(value: str, masked: bool) -> tuple[str, str | None]:
    """Clean one string: unmask, CRLF/CR to LF, drop zero-width marks, NFC; plus what is wrong with it."""
    if masked:
        value = _MASKED.sub(lambda m: chr(ord(m.group()) - _PLANE16), value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.translate(_ZERO_WIDTH)
    bad = _BAD_CHAR.search(value)
    if bad:
        return value, f"có {_char_vi(bad.group())} ở ký tự thứ {bad.start() + 1} ('{show(value)}'); hãy xóa ký tự này."
    return unicodedata.normalize("NFC", value), None


# -- the one pass over the data ---------------------------------------------------------------
class _Cleaner:
    """Rebuild parsed data as plain JSON-shaped data, collecting a Problem for everything else."""

    def __init__(self, masked: bool):
        self.masked = masked
        self.problems: list[Problem] = []

    def note(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def clean(self, value: Any, path: str = "$", depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            self.note(path, f"Dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} tầng); biểu mẫu không có mục nào sâu như vậy.")
            return None
        if isinstance(value, dict):
            return self._mapping(value, path, depth)
        if isinstance(value, list):
            return [self.clean(v, child_path(path, i), depth + 1) for i, v in enumerate(value)]
        if isinstance(value, str):
            text, problem = _text(value, self.masked)
            if problem:
                self.note(path, "Giá trị " + problem)
            return text
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) > MAX_NUMBER:
                self.note(path, f"Số quá lớn ({show(value, 30)}); một biểu mẫu không có số nào vượt {MAX_NUMBER:,}.".replace(",", "."))
            return value
        if isinstance(value, float):
            if math.isnan(value):
                self.note(path, "Giá trị không phải là số (NaN, .nan); hãy ghi một số cụ thể.")
            elif math.isinf(value) or abs(value) > MAX_NUMBER:
                self.note(path, f"Số vô hạn hoặc quá lớn ({show(value, 30)}); hãy ghi một số cụ thể.")
            return value
        if isinstance(value, _TooBig):
            self.note(path, f"Số quá lớn ({len(value.text)} chữ số: '{show(value.text, 30)}'); một biểu mẫu không có số nào như vậy.")
            return None
        if isinstance(value, _NonFinite):
            self.note(path, f"Giá trị {value.text} không phải là một số cụ thể; hãy ghi một số.")
            return None
        self.note(path, f"Giá trị kiểu đặc biệt ({_kind_vi(value)}) không dùng trong tệp dữ liệu; hãy ghi dạng chữ, số, danh sách hoặc bảng khóa: giá trị.")
        return None

    def _mapping(self, value: dict, path: str, depth: int) -> dict:
        for message in getattr(value, "problems", ()):
            self.note(path, message)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.note(path, f"Khóa '{show(key)}' là {_kind_vi(key)}, không phải là tên mục (tên mục là chữ, ví dụ ho_ten).")
                continue
            name, problem = _text(key, self.masked)
            here = child_path(path, name)
            if problem:
                self.note(here, "Tên mục " + problem)
            if name in out:
                self.note(here, f"Khóa '{show(name)}' xuất hiện hai lần (hai cách gõ dấu của cùng một tên, hoặc lặp lại); chỉ giữ một.")
                continue
            out[name] = self.clean(item, here, depth + 1)
        return out


def clean(data: Any, *, masked: bool = False) -> tuple[Any, list[Problem]]:
    """Parsed data as plain JSON-shaped data in NFC, and every problem found on the way."""
    cleaner = _Cleaner(masked)
    return cleaner.clean(data), cleaner.problems


def nfc(value: Any) -> Any:
    """Normalise every string (keys too) to Unicode NFC, so typed and pasted Vietnamese compare equal."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


# -- files ------------------------------------------------------------------------------------
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


def read_text(path: Path, shown: str, limit: int = MAX_FORM_BYTES) -> str:
    """Read a UTF-8 text file; raise InputError for a missing, oversized, empty or non-UTF-8 file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("Không tìm thấy tệp.", file=shown) from None
    except OSError as exc:
        raise InputError(f"Không đọc được tệp ({exc.strerror}).", file=shown) from None
    if not path.is_file():
        raise InputError("Đây không phải là một tệp.", file=shown)
    if size > limit:
        raise InputError(
            f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB; tối đa {limit // 1024 // 1024} MB cho một biểu mẫu). "
            "Kiểm tra lại xem có chọn nhầm tệp không.",
            file=shown,
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Không đọc được tệp ({exc.strerror}).", file=shown) from None
    wide = next((name for bom, name in _WIDE_BOMS if raw.startswith(bom)), None)
    if wide is None and raw[:64].count(0) >= 8:  # ASCII text saved as UTF-16/32 without a BOM
        wide = "UTF-16"
    if wide:
        raise InputError(
            f"Tệp được lưu bằng bảng mã {wide} (\"Unicode\" của Notepad), không phải UTF-8. "
            "Hãy mở tệp và lưu lại với bảng mã UTF-8.",
            file=shown,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Tệp không được lưu bằng mã UTF-8 (byte lạ ở vị trí {exc.start}). "
            "Hãy mở tệp và lưu lại với bảng mã UTF-8.",
            file=shown,
        ) from None
    if not text.strip():
        raise InputError("Tệp rỗng, không có dữ liệu biểu mẫu.", file=shown)
    return text


def parse(text: str, shown: str, suffix: str) -> Any:
    """Parse JSON (by suffix) or YAML text and clean the result (see ``clean``).

    Raises InputError for a syntax error (naming its line and column) and DataProblems,
    listing every problem with its JSON path, for data no form can hold.
    """
    masked = False
    if suffix == ".json":
        data = _parse_json(text, shown)
    else:
        try:
            text, masked = _mask(text)
        except InputError as exc:
            raise InputError(exc.message, file=shown, json_path="$") from None
        data = _parse_yaml(text, shown)
    data, problems = clean(data, masked=masked)
    if problems:
        raise DataProblems(problems, file=shown)
    return data


_SYNTAX_VI = (
    ("expected a single document", "tệp chỉ được có một tài liệu YAML (bỏ dòng '---' thứ hai)"),
    ("mapping values are not allowed here", "không được có dấu ':' ở đây (giá trị có dấu hai chấm phải đặt trong ngoặc kép)"),
    ("that cannot start any token", "có ký tự không mở đầu được một giá trị (thụt lề bằng tab? YAML chỉ thụt lề bằng dấu cách)"),
    ("could not find expected ':'", "thiếu dấu ':' sau tên mục"),
    ("did not find expected key", "thụt lề không khớp hoặc thiếu tên mục"),
    ("did not find expected node content", "thiếu giá trị"),
    ("expected <block end>", "thụt lề không khớp với các dòng trên"),
    ("found unexpected end of stream", "tệp kết thúc giữa chừng (thiếu dấu ngoặc kép hoặc ngoặc đóng?)"),
    ("found unexpected ':'", "dấu ':' đặt sai chỗ"),
    ("could not determine a constructor for the tag", "thẻ YAML này không dùng được trong tệp dữ liệu"),
    ("found undefined tag handle", "thẻ YAML này không dùng được trong tệp dữ liệu"),
    ("found unknown escape character", "chuỗi thoát (\\…) không hợp lệ trong ngoặc kép"),
    ("expected ',' or ']'", "thiếu dấu ',' hoặc ']'"),
    ("expected ',' or '}'", "thiếu dấu ',' hoặc '}'"),
    ("Expecting value", "thiếu giá trị"),
    ("Expecting ',' delimiter", "thiếu dấu ','"),
    ("Expecting ':' delimiter", "thiếu dấu ':'"),
    ("Expecting property name enclosed in double quotes", "tên mục phải đặt trong ngoặc kép"),
    ("Unterminated string", "chuỗi chưa đóng ngoặc kép"),
    ("Extra data", "còn dữ liệu thừa sau phần kết thúc"),
    ("Invalid \\escape", "chuỗi thoát (\\…) không hợp lệ"),
    ("Invalid \\uXXXX escape", "chuỗi thoát \\uXXXX không hợp lệ"),
)


def _syntax_vi(problem: str) -> str:
    """A parser's English complaint in Vietnamese when it is a common one; the original text otherwise."""
    for english, vietnamese in _SYNTAX_VI:
        if english in problem:
            return vietnamese
    return show(problem, 200)


def _parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(
            text,
            strict=False,  # control characters inside strings are reported with their path
            object_pairs_hook=_json_object,
            parse_int=lambda s: _TooBig(s) if len(s.lstrip("-")) > _BIG_DIGITS else int(s),
            parse_constant=_NonFinite,
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"Lỗi cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}: {_syntax_vi(exc.msg)}.", file=shown) from None
    except RecursionError:
        raise InputError(f"Dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} tầng).", file=shown, json_path="$") from None


def _json_object(pairs: list[tuple[str, Any]]) -> _Mapping:
    mapping = _Mapping()
    for key, value in pairs:
        if key in mapping:
            mapping.problems.append(f"Khóa '{show(key)}' xuất hiện hai lần; chỉ giữ một.")
            continue
        mapping[key] = value
    return mapping


def _parse_yaml(text: str, shown: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _TooDeep as exc:
        raise InputError(
            f"Dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} tầng, ở dòng {exc.line}).", file=shown, json_path=exc.path
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        said = f"{exc.context or ''} {exc.problem or ''}".strip() or str(exc)
        raise InputError(f"Lỗi cú pháp YAML{where}: {_syntax_vi(said)}.", file=shown) from None
    except yaml.YAMLError as exc:
        raise InputError(f"Lỗi cú pháp YAML: {_syntax_vi(str(exc))}.", file=shown) from None
    except RecursionError:
        raise InputError(f"Dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} tầng).", file=shown, json_path="$") from None


def load_form(path: str | Path) -> RawForm:
    """Read one form instance file.

    Raises InputError with a Vietnamese message on any problem; DataProblems (an InputError)
    lists every problem of the data with its JSON path.
    """
    shown = str(path)
    path = Path(path)
    data = parse(read_text(path, shown), shown, path.suffix.lower())
    if not isinstance(data, dict):
        raise InputError(
            "Nội dung tệp phải là một bảng khóa: giá trị (ví dụ `bieu_mau: …` rồi các mục của biểu mẫu), "
            f"không phải {_kind_vi(data)}.",
            file=shown,
            json_path="$",
        )
    return RawForm(shown, data)


def load_yaml_file(path: Path, shown: str | None = None) -> Any:
    """Read a YAML data file (locality, registry, unit manifest) with the same checks as a form.

    Raises InputError, or DataProblems listing every problem with its JSON path.
    """
    shown = shown or str(path)
    return parse(read_text(path, shown), shown, path.suffix.lower())


def problems_of(exc: InputError) -> list[Problem]:
    """Every problem an InputError stands for (one, unless it is a DataProblems)."""
    return list(getattr(exc, "problems", None) or [Problem(exc.json_path or "$", exc.message)])


def _kind_vi(value: Any) -> str:
    if isinstance(value, bool):
        return f"giá trị {str(value).lower()}"
    if isinstance(value, (list, tuple)):
        return "một danh sách"
    if isinstance(value, dict):
        return "một bảng khóa: giá trị"
    if isinstance(value, str):
        return "một dòng chữ"
    if value is None:
        return "giá trị rỗng"
    if isinstance(value, (int, float)):
        return f"một số ({show(value, 30)})"
    if isinstance(value, bytes):
        return "dữ liệu nhị phân (!!binary)"
    if isinstance(value, (set, frozenset)):
        return "một tập hợp (!!set)"
    if hasattr(value, "isoformat"):
        return "một ngày giờ (!!timestamp): hãy ghi ngày dạng chữ, ví dụ \"2024-12-05\""
    return f"một giá trị đơn ({show(value)})"


# -- writing: the one way hoso writes YAML --------------------------------------------------------------------------
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """The safe dumper (libyaml's when present: a thousand forms are written in a second)."""


_NUMBER_LIKE = re.compile(r"[0-9][0-9:T.+\-]*")


def _quoted_numbers(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Digits, dates and times are quoted: a card number "01280451" stays text for every YAML reader (YAML 1.2 reads
    it as a number)."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'" if _NUMBER_LIKE.fullmatch(value) else None)


_Dumper.add_representer(str, _quoted_numbers)


def plain(value: Any) -> Any:
    """JSON-shaped plain data (loaded mappings may be dict subclasses, which YAML will not write)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def dump_yaml(data: Any) -> str:
    """YAML as hoso writes it: plain data, Unicode, keys in the order given, lines up to 120 characters."""
    return yaml.dump(plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def comment_block(text: str) -> list[str]:
    """The comment lines at the top of a YAML text, as they are (kept when hoso rewrites the file)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines
