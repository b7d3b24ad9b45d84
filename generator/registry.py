"""The form registry and the rulesets: which schema and template serve a form instance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .errors import ConfigError
from .load import load_yaml_file
from .resources import data_dir


@dataclass(frozen=True)
class Ruleset:
    """One regulation with its guidance, e.g. ``qd124`` (spec §0.1)."""

    key: str
    name: str
    regulation: str
    guidance: str
    periods: tuple[str, ...]


@dataclass(frozen=True)
class FormEntry:
    """One registry entry: a form of one ruleset, with its schema, template and dossier slot."""

    ruleset: str
    key: str
    kind: str
    role: str | None
    name: str
    label: str
    schema: str
    template: str
    actor: str
    dossier_slot: str
    title: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def schema_id(self) -> str:
        return SCHEMA_BASE + self.schema


SCHEMA_BASE = "https://hoso.invalid/schemas/"


@dataclass(frozen=True)
class Binding:
    """The outcome of binding a form instance to its ruleset and registry entry."""

    ruleset: Ruleset
    entry: FormEntry
    explicit: bool
    default_ruleset: str | None


class BindingProblem(Exception):
    """A form instance cannot be bound; carries the JSON path and a Vietnamese message."""

    def __init__(self, json_path: str, message: str):
        super().__init__(message)
        self.json_path = json_path
        self.message = message


@cache
def rulesets() -> dict[str, Any]:
    """The ruleset table (rulesets/rulesets.yaml) as loaded."""
    return load_yaml_file(data_dir("rulesets") / "rulesets.yaml")


def ruleset(key: str) -> Ruleset:
    raw = rulesets()["bo_quy_tac"].get(key)
    if raw is None:
        raise ConfigError(f"Không có bộ quy tắc {key!r} trong rulesets/rulesets.yaml.")
    return Ruleset(key, raw["ten"], raw["van_ban"], raw["huong_dan"], tuple(raw["ky"]))


def default_ruleset(year: int, quarter: int | None) -> str | None:
    """The ruleset that the period table binds to an evaluation period (spec §0.2)."""
    table = rulesets()
    if quarter is not None:
        return table["theo_quy"]
    for row in table["theo_nam"]:
        if row["tu_nam"] <= year and (row.get("den_nam") is None or year <= row["den_nam"]):
            return row["bo_quy_tac"]
    return None


@cache
def entries() -> tuple[FormEntry, ...]:
    """Every registry entry of every ruleset: one file per form, forms/<ruleset>/<key>.yaml."""
    found = []
    known = {"bo_quy_tac", "khoa", "bieu_mau", "vai_tro", "ten", "nhan", "luoc_do", "mau_in", "nguoi_lap", "muc_ho_so", "tieu_de"}
    for path in sorted(data_dir("forms").rglob("*.yaml")):
        item = load_yaml_file(path)
        missing = [k for k in ("bo_quy_tac", "khoa", "bieu_mau", "ten", "luoc_do", "mau_in") if k not in item]
        if missing:
            raise ConfigError(f"Mục sổ đăng ký {path.name} thiếu khóa: {', '.join(missing)}.")
        found.append(
            FormEntry(
                ruleset=item["bo_quy_tac"],
                key=item["khoa"],
                kind=item["bieu_mau"],
                role=item.get("vai_tro"),
                name=item["ten"],
                label=item.get("nhan", ""),
                schema=item["luoc_do"],
                template=item["mau_in"],
                actor=item.get("nguoi_lap", ""),
                dossier_slot=item.get("muc_ho_so", ""),
                title=item.get("tieu_de", item["ten"]),
                extra={k: v for k, v in item.items() if k not in known},
            )
        )
    return tuple(found)


def bind(data: dict[str, Any]) -> Binding:
    """Bind a form instance to (ruleset, registry entry) from its period, kind and role.

    Raises BindingProblem naming the field to fix.
    """
    kind = data.get("bieu_mau")
    all_kinds = sorted({e.kind for e in entries()})
    if not isinstance(kind, str) or kind not in all_kinds:
        shown = "thiếu" if kind is None else f"'{kind}' không có"
        raise BindingProblem(
            "$.bieu_mau",
            f"Loại biểu mẫu {shown} trong sổ đăng ký. Các loại hiện có: {', '.join(all_kinds)}.",
        )
    period = data.get("ky_danh_gia")
    year = period.get("nam") if isinstance(period, dict) else None
    quarter = period.get("quy") if isinstance(period, dict) else None
    if not isinstance(year, int) or isinstance(year, bool):
        raise BindingProblem("$.ky_danh_gia.nam", "Thiếu năm đánh giá (ky_danh_gia: {nam: 2024}); hoso cần năm để chọn bộ quy tắc.")
    if quarter is not None and (not isinstance(quarter, int) or isinstance(quarter, bool)):
        raise BindingProblem("$.ky_danh_gia.quy", "Quý đánh giá phải là một số từ 1 đến 4.")

    default = default_ruleset(year, quarter)
    explicit = data.get("bo_quy_tac")
    known = rulesets()["bo_quy_tac"]
    if explicit is not None and explicit not in known:
        raise BindingProblem("$.bo_quy_tac", f"Bộ quy tắc '{explicit}' không có. Các bộ quy tắc: {', '.join(known)}.")
    chosen = explicit or default
    if chosen is None:
        raise BindingProblem("$.ky_danh_gia.nam", f"Không có bộ quy tắc nào áp dụng cho năm {year}.")
    rs = ruleset(chosen)
    if quarter is not None and "quy" not in rs.periods:
        raise BindingProblem("$.ky_danh_gia.quy", f"{rs.name} không đánh giá theo quý; chỉ đánh giá theo năm.")

    in_ruleset = [e for e in entries() if e.ruleset == chosen]
    if not in_ruleset:
        period_vi = f"quý {quarter} năm {year}" if quarter else f"năm {year}"
        how = "" if explicit else (
            f" Kỳ {period_vi} mặc định thuộc {rs.name} ({rs.guidance}); "
            "nếu cấp ủy cấp trên cho phép dùng mẫu cũ, ghi rõ `bo_quy_tac: qd124` trong tệp."
        )
        raise BindingProblem(
            "$.bo_quy_tac" if explicit else "$.ky_danh_gia",
            f"Phiên bản hoso này chưa có biểu mẫu của bộ quy tắc {chosen} ({rs.name}).{how}",
        )
    of_kind = [e for e in in_ruleset if e.kind == kind]
    if not of_kind:
        raise BindingProblem("$.bieu_mau", f"{rs.name} không có loại biểu mẫu '{kind}'.")
    roles = [e.role for e in of_kind]
    role = data.get("vai_tro")
    if roles == [None]:
        return Binding(rs, of_kind[0], explicit is not None, default)
    match = [e for e in of_kind if e.role == role]
    if not match:
        shown = "Thiếu vai trò" if role is None else f"Vai trò '{role}' không có"
        raise BindingProblem(
            "$.vai_tro", f"{shown} cho loại biểu mẫu '{kind}'. Chọn một trong: {', '.join(r for r in roles if r)}."
        )
    return Binding(rs, match[0], explicit is not None, default)


@cache
def schema_registry() -> Registry:
    """Every bundled JSON Schema, addressable by its ``$id`` (no network look-ups)."""
    resources = []
    root = data_dir("schemas")
    for path in sorted(root.rglob("*.json")):
        try:
            contents = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"Lược đồ {path.name} hỏng: {exc}") from None
        expected = SCHEMA_BASE + path.relative_to(root).as_posix()
        if contents.get("$id") != expected:
            raise ConfigError(f"Lược đồ {path.name} phải có $id = {expected}")
        resources.append((expected, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def schema(entry: FormEntry) -> dict[str, Any]:
    """The root JSON Schema of a registry entry."""
    try:
        return schema_registry()[entry.schema_id].contents
    except LookupError:
        raise ConfigError(f"Sổ đăng ký nhắc tới lược đồ {entry.schema} nhưng không có tệp đó.") from None


def template_path(entry: FormEntry, overlay: Path | None = None) -> Path:
    """The DOCX template of an entry; a file in ``overlay`` with the same relative path wins."""
    if overlay is not None:
        candidate = overlay / entry.template
        if candidate.is_file():
            return candidate
    return data_dir("templates_docx") / entry.template
