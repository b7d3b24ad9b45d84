"""The shape of generator/: layered imports without a circle, and no regulation written as a Python literal.

The imports of every module are read with ``ast`` (nothing is imported), so a broken module still gets
its architecture checked. Contracts (issue 10):

- imports only point down the layers (a module may import from its own layer or a lower one);
- the import graph of generator modules has no circle;
- no function-level import of a generator module, except in the command-line interface;
- no string in generator/ names a level code, a criterion-scale word, a form kind or a ruleset:
  that vocabulary comes from the ruleset data (rulesets/, forms/).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

PACKAGE = ROOT / "generator"

LAYERS: dict[int, tuple[str, ...]] = {
    0: ("generator", "errors", "findings", "resources", "load", "paths", "period"),  # base ("generator": __init__)
    1: ("ruleset", "registry", "schemawalk", "validate", "settings", "templating"),  # vocabulary
    2: ("unit", "grading", "scoring"),  # model
    3: ("source", "rules", "facts", "checklist", "lint", "periods", "provenance", "roster"),  # data stages; every module of generator/rules/ too
    4: ("render", "convert", "pdf", "docx_format", "assemble", "numbering", "output", "archive", "carry", "intake", "wordforms", "report_xlsx"),  # file stages
    5: ("pipeline",),  # façade
    6: ("cli", "click_vi"),  # interfaces
}
LAYER_NAMES = {0: "base", 1: "vocabulary", 2: "model", 3: "data stages", 4: "file stages", 5: "façade", 6: "interfaces"}
PACKAGES_OF_ONE_LAYER = ("rules",)
"""Sub-packages whose every module sits in the layer of the package."""
FUNCTION_IMPORTS_ALLOWED = ("generator.cli",)
"""Modules that may import generator modules inside a function (the CLI imports a command's stages when it runs)."""

LEVEL_CODES = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
SCALE_WORDS = ("Xuất sắc", "Tốt", "Trung bình", "Kém")


# -- reading the package ---------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of generator/ by its dotted name ("generator" is the package's __init__.py)."""
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _short(name: str) -> str:
    return name.removeprefix("generator.") if name != "generator" else name


def layer_of(name: str) -> int | None:
    short = _short(name)
    for package in PACKAGES_OF_ONE_LAYER:
        if short.startswith(package + "."):
            short = package
    return next((layer for layer, names in LAYERS.items() if short in names), None)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Import:
    """One import statement of a generator module that reaches generator modules."""

    source: str
    line: int
    targets: tuple[str, ...]
    in_function: bool

    @property
    def where(self) -> str:
        return f"{_rel(modules()[self.source])}:{self.line}"


def _resolve(source: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The generator modules an import statement loads (the named module, its submodules named in
    ``from x import y``, and the packages above them that the importer is not already inside)."""
    known = modules()
    if isinstance(node, ast.Import):
        bases = [alias.name for alias in node.names]
        named: list[str] = []
    else:
        if node.level:
            package = source if modules()[source].name == "__init__.py" else source.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        bases = [base]
        named = [f"{base}.{alias.name}" for alias in node.names]
    found: list[str] = []
    own = set(_ancestors(source)) | {source}
    for name in [*bases, *named]:
        if name not in known:
            continue
        for target in (*_ancestors(name), name):
            if target not in own and target not in found:
                found.append(target)
    return found


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@cache
def imports() -> tuple[Import, ...]:
    found = []
    for source in modules():
        for node, in_function in _walk(tree(source), False):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = tuple(_resolve(source, node))
                if targets:
                    found.append(Import(source, node.lineno, targets, in_function))
    return tuple(found)


def _walk(node: ast.AST, in_function: bool):
    for child in ast.iter_child_nodes(node):
        inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield child, inside
        yield from _walk(child, inside)


# -- 1. every module has a layer; imports point down ------------------------------------------


def test_every_module_has_a_layer():
    unknown = [_rel(path) for name, path in modules().items() if layer_of(name) is None]
    assert not unknown, (
        f"Modules without a layer: {', '.join(unknown)}. Add each to LAYERS in tests/test_architecture.py: "
        "the lowest layer that holds every generator module it imports."
    )


@pytest.mark.parametrize("name", sorted(modules()), ids=_short)
def test_imports_point_down_the_layers(name):
    own = layer_of(name)
    if own is None:
        pytest.skip("module without a layer: see test_every_module_has_a_layer")
    upward = [
        f"{imp.where}: {_short(name)} ({LAYER_NAMES[own]}, layer {own}) imports {_short(target)} "
        f"({LAYER_NAMES[layer_of(target)]}, layer {layer_of(target)})"
        for imp in imports() if imp.source == name
        for target in imp.targets if (layer_of(target) or 0) > own
    ]
    assert not upward, "Imports pointing up the layers (move the code down, or pass the value in):\n" + "\n".join(upward)


# -- 2. no circle --------------------------------------------------------------------------------


def _graph() -> dict[str, dict[str, str]]:
    """Module → imported module → where (first import statement)."""
    graph: dict[str, dict[str, str]] = {name: {} for name in modules()}
    for imp in imports():
        for target in imp.targets:
            graph[imp.source].setdefault(target, imp.where)
    return graph


def _cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, {})):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_import_graph_has_no_circle():
    graph = _graph()
    cycle = _cycle(graph)
    assert cycle is None, "Import circle (top-level and function-level imports both count):\n" + "\n".join(
        f"  {_short(a)} → {_short(b)} ({graph[a][b]})" for a, b in zip(cycle, cycle[1:])
    )


def test_the_circle_finder_finds_a_circle():
    assert _cycle({"a": {"b": ""}, "b": {"c": ""}, "c": {"a": ""}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b": ""}, "b": {}, "c": {"a": ""}}) is None


# -- 3. no function-level imports --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(modules()) - set(FUNCTION_IMPORTS_ALLOWED)), ids=_short)
def test_no_function_level_import_of_a_generator_module(name):
    late = [f"{imp.where}: imports {', '.join(map(_short, imp.targets))} inside a function"
            for imp in imports() if imp.source == name and imp.in_function]
    assert not late, "Import at the top of the module instead (an import hidden in a function hides a circle):\n" + "\n".join(late)


# -- 4. no regulation vocabulary as Python literals -------------------------------------------------


def _schema_property_names(schema) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        names |= set(schema.get("properties") or {})
        for value in schema.values():
            names |= _schema_property_names(value)
    elif isinstance(schema, list):
        for value in schema:
            names |= _schema_property_names(value)
    return names


@cache
def form_kinds() -> tuple[str, ...]:
    """The ``bieu_mau`` values of the registry, except those that are also keys of the unit file."""
    kinds = {yaml.safe_load(path.read_text(encoding="utf-8")).get("bieu_mau") for path in (ROOT / "forms").glob("*/*.yaml")}
    unit_keys = _schema_property_names(json.loads((ROOT / "schemas" / "unit.schema.json").read_text(encoding="utf-8")))
    return tuple(sorted(k for k in kinds if k and k not in unit_keys))


@cache
def ruleset_keys() -> tuple[str, ...]:
    return tuple(yaml.safe_load((ROOT / "rulesets" / "rulesets.yaml").read_text(encoding="utf-8"))["bo_quy_tac"])


def _words(*words: str) -> re.Pattern:
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def _strings(module: ast.Module):
    """Every string constant of a module with its line, f-string parts included; documentation excluded
    (a string standing alone as a statement: docstrings of modules, classes, functions and attributes)."""
    documentation = {id(node.value) for node in ast.walk(module) if isinstance(node, ast.Expr)
                     and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
    for node in ast.walk(module):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in documentation:
            yield node.lineno, node.value


def test_the_vocabulary_lists_are_read_from_the_data():
    assert "kiem_diem_ca_nhan" in form_kinds() and "bao_cao_tap_the" in form_kinds()
    assert "khieu_nai" not in form_kinds(), "khieu_nai is also a key of don_vi.yaml: it must not be in the list"
    assert "qd124" in ruleset_keys()


RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")


def _vocabulary():
    return [
        ("level code", _words(*LEVEL_CODES), "ruleset.levels, ruleset.top, ruleset.bottom, ruleset.rank(...)"),
        ("criterion-scale word", _words(*SCALE_WORDS), "ruleset.scale, ruleset.scale_rank(...)"),
        ("form kind", _words(*form_kinds()), "ruleset.kind(slot) (the slot map `vi_tri`) or a registry entry"),
    ]


@pytest.mark.parametrize("name", sorted(modules()), ids=_short)
def test_no_level_code_scale_word_or_form_kind_in_strings(name):
    path = modules()[name]
    found = [(line, what, f"{_rel(path)}:{line}: {what} {match.group(1)!r} in {text!r}  → use {instead}")
             for line, text in sorted(_strings(tree(name)))
             if not RULE_ID.fullmatch(text)  # a rule id (Q366-HTNV-TASKS) is the public contract of rules.md, not vocabulary
             for what, pattern, instead in _vocabulary()
             for match in pattern.finditer(text)]
    kinds = ""
    if any(what == "form kind" for _, what, _ in found):
        kinds = f"\nForm kinds checked (bieu_mau of forms/*/*.yaml that are not keys of schemas/unit.schema.json): {', '.join(form_kinds())}"
    assert not found, (
        "Regulation vocabulary written in Python; it comes from the ruleset data (rulesets/<key>.yaml).\n"
        + "\n".join(message for _, _, message in found) + kinds
    )


@pytest.mark.parametrize("name", sorted(modules()), ids=_short)
def test_no_ruleset_key_in_strings(name):
    path = modules()[name]
    found = [f"{_rel(path)}:{line}: {text!r}" for line, text in sorted(_strings(tree(name))) if text in ruleset_keys()]
    assert not found, (
        "A ruleset named in Python (no `if ruleset == ...`: put the difference in rulesets/<key>.yaml):\n" + "\n".join(found)
    )
