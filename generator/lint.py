"""Stage 3, template lint: every variable a DOCX template uses must exist in its form's schema.

The template's Jinja source is read the way docxtpl renders it, parsed into an AST, and
each name path (``uu_diem.pham_chat.cap_do``, loop variables included) is resolved
against the schema. Syntax errors and unknown filters are reported too.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from . import registry
from .findings import Finding
from .schemawalk import Node
from .templating import FACT_KEYS, HOSO_KEYS, jinja_vi, make_env, near, template_source

RULE = "SCHEMA"
_ANY = object()
_HOSO = object()
_FACTS = object()


def lint_entry(entry: registry.FormEntry, overlay: Path | None = None) -> list[Finding]:
    """Lint one registry entry: its schema against the metaschema, its template against its schema."""
    template = registry.template_path(entry, overlay)
    shown = str(template)
    basis = f"Sổ đăng ký biểu mẫu: {entry.ruleset}/{entry.key}"
    try:
        schema = registry.schema(entry)
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [Finding(RULE, "error", entry.schema, exc.json_path, f"Lược đồ không hợp lệ: {exc.message}", basis)]
    except Exception as exc:  # noqa: BLE001 - reported as a finding, the lint goes on
        return [Finding(RULE, "error", entry.schema, "$", str(exc), basis)]
    if not template.is_file():
        return [Finding(RULE, "error", shown, "$", f"Không có tệp mẫu in {entry.template}.", basis)]
    try:
        source = template_source(template)
    except Exception as exc:  # noqa: BLE001 - a broken .docx is a lint finding
        return [Finding(RULE, "error", shown, "$", f"Không đọc được mẫu in (tệp .docx hỏng?): {exc}", basis)]
    env = make_env()
    try:
        ast = env.parse(source)
        env.from_string(source)  # compiles: unknown filters and tests surface here
    except jinja2.TemplateSyntaxError as exc:
        return [Finding(RULE, "error", shown, "$", f"Sai cú pháp Jinja: {jinja_vi(exc.message or '')} (gần «{near(source, exc.lineno)}»).", basis)]
    except jinja2.TemplateError as exc:
        return [Finding(RULE, "error", shown, "$", f"Lỗi mẫu in: {exc}", basis)]

    findings: list[Finding] = []
    root = Node(schema, entry.schema_id)

    def report(path: str, lineno: int) -> None:
        findings.append(
            Finding(
                RULE, "error", shown, "$." + path,
                f"Mẫu in dùng '{path}' nhưng lược đồ {entry.schema} không có mục này "
                f"(gần «{near(source, lineno)}»).",
                basis,
            )
        )

    _Walker(root, report).visit(ast, {})
    unique = {(f.json_path, f.message_vi): f for f in findings}
    return list(unique.values())


def lint_all(overlay: Path | None = None) -> tuple[list[Finding], int]:
    """Lint every registry entry; returns the findings and how many templates were checked."""
    findings: list[Finding] = []
    entries = registry.entries()
    for entry in entries:
        findings.extend(lint_entry(entry, overlay))
    return findings, len(entries)


class _Walker:
    """Resolve every name path of a Jinja AST against a schema, tracking loop variables."""

    def __init__(self, root: Node, report):
        self.root = root
        self.report = report

    def visit(self, node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            item = self.resolve(node.iter, scope)
            inner = dict(scope, loop=_ANY)
            for target in _names(node.target):
                inner[target.name] = (item.items() or _ANY) if isinstance(item, Node) else _ANY
            for child in (*node.body, *node.else_):
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            for target in _names(node.target):
                scope[target.name] = _ANY
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def resolve(self, expr: nodes.Node, scope: dict):
        if isinstance(expr, nodes.Name):
            if expr.name in scope:
                return scope[expr.name]
            if expr.name == "hoso":
                return _HOSO
            if expr.name == "so_lieu":
                return _FACTS
            props = self.root.properties()
            if expr.name in props:
                return props[expr.name]
            self.report(expr.name, expr.lineno)
            return _ANY
        attr = None
        if isinstance(expr, nodes.Getattr):
            attr = expr.attr
        elif isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const) and isinstance(expr.arg.value, str):
            attr = expr.arg.value
        if attr is None:
            for child in expr.iter_child_nodes():
                self.visit(child, scope)
            return _ANY
        base = self.resolve(expr.node, scope)
        if base is _ANY:
            return _ANY
        if base is _HOSO:
            if attr not in HOSO_KEYS:
                self.report(f"hoso.{attr}", expr.lineno)
            return _ANY
        if base is _FACTS:
            if attr not in FACT_KEYS:
                self.report(f"so_lieu.{attr}", expr.lineno)
            return _ANY
        props = base.properties()
        if attr in props:
            return props[attr]
        self.report(f"{_dotted(expr.node)}.{attr}", expr.lineno)
        return _ANY


def _names(target: nodes.Node) -> list[nodes.Name]:
    """The names a for/set target binds (``x`` or ``a, b``)."""
    return [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))


def _dotted(expr: nodes.Node) -> str:
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.Getattr):
        return f"{_dotted(expr.node)}.{expr.attr}"
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        return f"{_dotted(expr.node)}.{expr.arg.value}"
    return "?"
