"""Stage 2, validate: bind each form to its ruleset and check it against its JSON Schema."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft202012Validator, ValidationError

from . import registry
from .errors import InputError
from .findings import Finding
from .load import load_form
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
        return [Finding(RULE, "error", shown, exc.json_path or "$", exc.message, legal_basis(None))], None
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
    validator = Draft202012Validator(
        schema, registry=registry.schema_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    basis = legal_basis(binding)
    root = Node(schema, binding.entry.schema_id)
    for error in sorted(validator.iter_errors(data), key=lambda e: (e.json_path, e.validator)):
        for path, message in _explain(error, root):
            findings.append(Finding(RULE, "error", shown, path, message, basis))
    findings = _dedupe(findings)
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
    return f"\"{title}\" ({name})" if title else f"\"{name}\""


def _node_at(root: Node, path: list) -> Node | None:
    node: Node | None = root
    for step in path:
        if node is None:
            return None
        node = node.items() if isinstance(step, int) else node.properties().get(step)
    return node


def _explain(error: ValidationError, root: Node) -> Iterator[tuple[str, str]]:
    """Yield (JSON path, Vietnamese message) for one jsonschema error."""
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
                yield f"{path}.{name}", msg
        return
    if custom:
        yield path, custom
        return
    if kind == "additionalProperties":
        parent = _node_at(root, list(error.absolute_path))
        allowed = sorted(parent.properties()) if parent else []
        declared = set(allowed)
        for name in value:
            if name in declared:
                continue
            guess = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Có phải là '{guess[0]}'?" if guess else ""
            yield f"{path}.{name}", f"Mục '{name}' không có trong biểu mẫu này (có thể gõ sai tên khóa).{hint}"
        return

    node = _node_at(root, list(error.absolute_path))
    label = _title(node, str(error.absolute_path[-1])) if error.absolute_path else "Biểu mẫu"
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, str) else expected[0]
        msg = f"{label} phải là {TYPE_VI.get(expected, expected)}, không phải {_describe(value)}."
    elif kind == "enum":
        options = ", ".join(f"'{o}'" for o in error.validator_value)
        msg = f"{label}: giá trị '{value}' không hợp lệ; chọn một trong: {options}."
    elif kind == "const":
        msg = f"{label} phải là '{error.validator_value}', không phải '{value}'."
    elif kind == "format" and error.validator_value == "date":
        msg = f"{label}: '{value}' không phải là ngày hợp lệ (viết dạng NĂM-THÁNG-NGÀY, ví dụ 2024-12-05)."
    elif kind == "pattern":
        msg = _pattern_message(label, value, error.validator_value, node)
    elif kind == "minLength":
        msg = f"{label} không được để trống." if error.validator_value <= 1 else f"{label} phải có ít nhất {error.validator_value} ký tự."
    elif kind == "maxLength":
        msg = f"{label} quá dài ({len(value)} ký tự; tối đa {error.validator_value})."
    elif kind == "minimum":
        msg = f"{label} phải từ {error.validator_value} trở lên, không phải {value}."
    elif kind == "maximum":
        msg = f"{label} không được lớn hơn {error.validator_value}, không phải {value}."
    elif kind == "minItems":
        msg = f"{label} cần ít nhất {error.validator_value} mục (đang để trống)." if not value else f"{label} cần ít nhất {error.validator_value} mục."
    elif kind == "maxItems":
        msg = f"{label} có quá nhiều mục ({len(value)}; tối đa {error.validator_value})."
    elif kind == "false" or error.schema is False:
        msg = f"{label} không dùng trong biểu mẫu này."
    else:
        msg = f"{label} không hợp lệ ({error.message})."
    yield path, msg


def _pattern_message(label: str, value: Any, pattern: str, node: Node | None) -> str:
    if pattern == "\\S":
        return f"{label} không được để trống."
    if "[0-9]{4}-" in pattern:
        return f"{label}: '{value}' không phải là ngày hợp lệ (viết dạng NĂM-THÁNG-NGÀY, ví dụ 2024-12-05)."
    hint = node.annotation("description") if node is not None else None
    return f"{label}: '{value}' không đúng dạng." + (f" {hint}" if hint else "")


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
        return f"chữ '{value[:60]}'"
    return f"'{value}'"
