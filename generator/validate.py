"""Stage 2, validate: bind each form to its ruleset and check it against its JSON Schema."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from . import registry
from .errors import InputError
from .findings import Finding, child_path, show
from .load import load_form, problems_of
from .registry import Binding, BindingProblem
from .schemawalk import Node

RULE = "SCHEMA"

TYPE_VI = {
    "string": "một dòng chữ",
    "integer": "một số nguyên",
    "number": "một số",
    "boolean": "true hoặc false",
    "object": "một bảng khóa: giá trị",
    "array": "một danh sách",
    "null": "để trống",
}


FORMAT_CHECKER = FormatChecker(formats=Draft202012Validator.FORMAT_CHECKER.checkers)
"""The formats hoso checks: jsonschema's own, plus ``date-time`` as hoso writes it (below)."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LOCAL_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
_DATE_SHAPED = "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
YEARS = range(1900, 2100)
"""Years a date of hoso may have. Every document, birth and admission falls inside; and date
arithmetic (months after admission, deadlines of the next year) stays inside Python's calendar."""


def _moment(text: str) -> dt.date:
    """The date or date-time ``text`` names; ValueError when it cannot exist or lies outside ``YEARS``."""
    moment = dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
    if moment.year not in YEARS:
        raise ValueError(f"year {moment.year} outside {YEARS.start}..{YEARS.stop - 1}")
    return moment


@FORMAT_CHECKER.checks("date", raises=ValueError)
def _date(instance: Any) -> bool:
    """A calendar date ``2024-12-05`` that exists (no 30 February), in ``YEARS``."""
    if not isinstance(instance, str):
        return True
    return bool(_DATE.fullmatch(instance)) and bool(_moment(instance))


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _date_time(instance: Any) -> bool:
    """A local date and time of the meeting's place, ``2024-12-10T07:30`` (seconds optional, no zone).

    Not RFC 3339 (which needs seconds and a zone): a minute is what minutes record, and times
    of one meeting are compared with each other, so a zone would only let naive and aware mix.
    A time that cannot exist (``2024-02-30T07:30``, ``T25:00``) is refused.
    """
    if not isinstance(instance, str):
        return True
    return bool(_LOCAL_DATE_TIME.fullmatch(instance)) and bool(_moment(instance))


def _pattern(validator, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """``pattern``, and for a date-shaped pattern also a date that exists, in ``YEARS``."""
    errors = list(Draft202012Validator.VALIDATORS["pattern"](validator, pattern, instance, schema))
    yield from errors
    if errors or not isinstance(instance, str) or not pattern.startswith(_DATE_SHAPED):
        return
    try:
        _moment(instance)
    except ValueError:
        yield ValidationError("not a real calendar date")


Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def make_validator(schema: dict) -> Draft202012Validator:
    """A validator for one of hoso's schemas, with hoso's registry and format checks."""
    return Validator(schema, registry=registry.schema_registry(), format_checker=FORMAT_CHECKER)


def schema_findings(shown: str, data: Any, schema: dict, schema_id: str, basis: str, where: str = "biểu mẫu này") -> list[Finding]:
    """Every schema error of ``data`` as SCHEMA findings in Vietnamese, one per path and message.

    ``data`` must come from ``load`` (string keys, bounded depth); ``where`` names the document.
    """
    root = Node(schema, schema_id)
    findings = [
        Finding(RULE, "error", shown, path, message, basis)
        for error in sorted(make_validator(schema).iter_errors(data), key=lambda e: (e.json_path, e.validator))
        for path, message in _explain(error, root, where)
    ]
    return _dedupe(findings)


@dataclass
class ValidForm:
    """A form that passed its schema: where it came from, its data and its binding."""

    path: str
    data: dict[str, Any]
    binding: Binding

    @property
    def entry(self) -> registry.FormEntry:
        return self.binding.entry


def legal_basis(binding: Binding | None) -> str:
    if binding is None:
        return "Sổ đăng ký biểu mẫu của hoso"
    e = binding.entry
    label = f" ({e.label})" if e.label else ""
    return f"{e.name}{label} theo {binding.ruleset.guidance}"


def check_file(path: str | Path) -> tuple[list[Finding], ValidForm | None]:
    """Load, bind and schema-check one form file; never raises for bad input."""
    shown = str(path)
    try:
        raw = load_form(path)
    except InputError as exc:
        return [Finding(RULE, "error", shown, p.json_path, p.message, legal_basis(None)) for p in problems_of(exc)], None
    return check_data(shown, raw.data)


def check_data(shown: str, data: dict[str, Any]) -> tuple[list[Finding], ValidForm | None]:
    """Bind and schema-check already-loaded form data."""
    try:
        binding = registry.bind(data)
    except BindingProblem as exc:
        return [Finding(RULE, "error", shown, exc.json_path, exc.message, legal_basis(None))], None
    findings: list[Finding] = []
    if binding.explicit and binding.default_ruleset != binding.ruleset.key:
        findings.append(
            Finding(
                RULE, "info", shown, "$.bo_quy_tac",
                f"Biểu mẫu ghi rõ bộ quy tắc {binding.ruleset.key} ({binding.ruleset.name}), "
                f"khác bộ quy tắc mặc định của kỳ đánh giá ({binding.default_ruleset or 'không có'}).",
                legal_basis(binding),
            )
        )
    schema = registry.schema(binding.entry)
    findings = _dedupe(findings + schema_findings(shown, data, schema, binding.entry.schema_id, legal_basis(binding)))
    if any(f.severity == "error" for f in findings):
        return findings, None
    return findings, ValidForm(shown, data, binding)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.json_path, f.message_vi)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _title(node: Node | None, name: str) -> str:
    title = node.annotation("title") if node is not None else None
    return f"\"{title}\" ({show(name)})" if title else f"\"{show(name)}\""


def _node_at(root: Node, path: list) -> Node | None:
    node: Node | None = root
    for step in path:
        if node is None:
            return None
        node = node.items() if isinstance(step, int) else node.properties().get(step)
    return node


def _explain(error: ValidationError, root: Node, where: str = "biểu mẫu này") -> Iterator[tuple[str, str]]:
    """Yield (JSON path, Vietnamese message) for one jsonschema error.

    A user's value is quoted through ``findings.show``: escaped and cut short, so no value
    can split a message, reach the terminal as a control code or flood the report. ``where``
    names the document in messages ("biểu mẫu này", "tệp đơn vị", "thiết lập địa phương").
    """
    path = error.json_path
    custom = error.schema.get("x-loi") if isinstance(error.schema, dict) else None
    kind = error.validator
    value = error.instance

    if kind == "required":
        parent = _node_at(root, list(error.absolute_path))
        props = parent.properties() if parent else {}
        for name in error.validator_value:
            if isinstance(value, dict) and name not in value:
                msg = custom or f"Thiếu mục bắt buộc {_title(props.get(name), name)}."
                yield child_path(path, name), msg
        return
    if custom:
        yield path, custom
        return
    if kind == "additionalProperties":
        parent = _node_at(root, list(error.absolute_path))
        allowed = sorted(parent.properties()) if parent else []
        declared = set(allowed)
        for name in value if isinstance(value, dict) else ():
            name = str(name)
            if name in declared:
                continue
            guess = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Có phải là '{guess[0]}'?" if guess else ""
            yield child_path(path, name), f"Mục '{show(name)}' không có trong {where} (có thể gõ sai tên khóa).{hint}"
        return

    node = _node_at(root, list(error.absolute_path))
    label = _title(node, str(error.absolute_path[-1])) if error.absolute_path else "Biểu mẫu"
    limit = error.validator_value
    if kind == "type":
        expected = limit if isinstance(limit, str) else limit[0]
        msg = f"{label} phải là {TYPE_VI.get(expected, expected)}, không phải {_describe(value)}."
    elif kind == "enum":
        options = ", ".join(f"'{show(o)}'" for o in limit)
        msg = f"{label}: giá trị '{show(value)}' không hợp lệ; chọn một trong: {options}."
    elif kind == "const":
        msg = f"{label} phải là '{show(limit)}', không phải '{show(value)}'."
    elif kind == "format" and limit == "date":
        msg = _date_message(label, value)
    elif kind == "format" and limit == "date-time":
        msg = _date_time_message(label, value)
    elif kind == "pattern":
        msg = _pattern_message(label, value, limit, node)
    elif kind == "minLength":
        msg = f"{label} không được để trống." if limit <= 1 else f"{label} phải có ít nhất {limit} ký tự."
    elif kind == "maxLength":
        msg = f"{label} quá dài ({len(value)} ký tự; tối đa {limit})."
    elif kind == "minimum":
        msg = f"{label} phải từ {show(limit)} trở lên, không phải {show(value)}."
    elif kind == "maximum":
        msg = f"{label} không được lớn hơn {show(limit)}, không phải {show(value)}."
    elif kind == "exclusiveMinimum":
        msg = f"{label} phải lớn hơn {show(limit)}, không phải {show(value)}."
    elif kind == "exclusiveMaximum":
        msg = f"{label} phải nhỏ hơn {show(limit)}, không phải {show(value)}."
    elif kind == "multipleOf":
        msg = f"{label} phải là bội số của {show(limit)}, không phải {show(value)}."
    elif kind == "minItems":
        msg = f"{label} cần ít nhất {limit} mục (đang để trống)." if not value else f"{label} cần ít nhất {limit} mục."
    elif kind == "maxItems":
        msg = f"{label} có quá nhiều mục ({len(value)}; tối đa {limit})."
    elif kind == "uniqueItems":
        msg = f"{label} có mục bị lặp lại; mỗi mục chỉ ghi một lần."
    elif kind == "false" or error.schema is False:
        msg = f"{label} không dùng trong {where}."
    else:
        msg = f"{label} không hợp lệ ({show(error.message, 200)})."
    yield path, msg


def _date_message(label: str, value: Any) -> str:
    return _out_of_range(label, value) or (
        f"{label}: '{show(value)}' không phải là ngày hợp lệ (viết dạng NĂM-THÁNG-NGÀY, ví dụ 2024-12-05)."
    )


def _date_time_message(label: str, value: Any) -> str:
    return _out_of_range(label, value) or (
        f"{label}: '{show(value)}' không phải là ngày giờ hợp lệ "
        "(viết dạng NĂM-THÁNG-NGÀYTGIỜ:PHÚT trong ngoặc kép, ví dụ \"2024-12-06T07:30\")."
    )


def _out_of_range(label: str, value: Any) -> str | None:
    """The message for a real date whose year hoso does not take, else None."""
    try:
        year = (dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)).year
    except (TypeError, ValueError):
        return None
    if year in YEARS:
        return None
    return f"{label}: năm {year} của '{show(value)}' nằm ngoài khoảng {YEARS.start}–{YEARS.stop - 1}; kiểm tra lại năm."


def _pattern_message(label: str, value: Any, pattern: str, node: Node | None) -> str:
    if pattern == "\\S":
        return f"{label} không được để trống."
    if pattern.startswith(_DATE_SHAPED + "T"):
        return _date_time_message(label, value)
    if "[0-9]{4}-" in pattern:
        return _date_message(label, value)
    hint = node.annotation("description") if node is not None else None
    return f"{label}: '{show(value)}' không đúng dạng." + (f" {hint}" if hint else "")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if value is None:
        return "giá trị rỗng"
    if isinstance(value, dict):
        return "một bảng khóa: giá trị"
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, str):
        return f"chữ '{show(value)}'"
    return f"'{show(value)}'"
