"""Stage 1, load: read a form instance (YAML or JSON) into plain Python data, safely."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_FORM_BYTES = 5 * 1024 * 1024
"""A form is a few dozen KB; anything above this is not a form (and would stall the pipeline)."""


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text and refuses aliases.

    Dates stay ISO strings because the schemas check them as such. Aliases are refused
    because a form never needs them and nested aliases expand exponentially ("billion laughs").
    """

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "không dùng bí danh YAML (*tên) trong tệp dữ liệu", event.start_mark
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class RawForm:
    """A form file as read: its path (as the user wrote it) and its data."""

    path: str
    data: dict[str, Any]


def nfc(value: Any) -> Any:
    """Normalise every string (keys too) to Unicode NFC, so typed and pasted Vietnamese compare equal."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


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
    raw = path.read_bytes()
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
    """Parse JSON (by suffix) or YAML text, naming the line and column of a syntax error."""
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"Lỗi cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}.", file=shown
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        raise InputError(f"Lỗi cú pháp YAML{where}: {exc.problem or exc}.", file=shown) from None
    except yaml.YAMLError as exc:
        raise InputError(f"Lỗi cú pháp YAML: {exc}.", file=shown) from None
    except RecursionError:
        raise InputError("Tệp YAML lồng nhau quá sâu.", file=shown) from None


def load_form(path: str | Path) -> RawForm:
    """Read one form instance file. Raises InputError with a Vietnamese message on any problem."""
    shown = str(path)
    path = Path(path)
    data = parse(read_text(path, shown), shown, path.suffix.lower())
    if not isinstance(data, dict):
        raise InputError(
            "Nội dung tệp phải là một bảng khóa: giá trị (ví dụ `bieu_mau: kiem_diem_ca_nhan`), "
            f"không phải {_kind_vi(data)}.",
            file=shown,
            json_path="$",
        )
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise InputError(f"Khóa {bad_keys[0]!r} không phải là chữ.", file=shown, json_path="$")
    return RawForm(shown, nfc(data))


def load_yaml_file(path: Path, shown: str | None = None) -> Any:
    """Read a YAML data file (locality, registry, unit manifest) with the same safety checks."""
    shown = shown or str(path)
    return nfc(parse(read_text(path, shown), shown, path.suffix.lower()))


def _kind_vi(value: Any) -> str:
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, str):
        return "một dòng chữ"
    if value is None:
        return "giá trị rỗng"
    return f"một giá trị đơn ({value!r})"
