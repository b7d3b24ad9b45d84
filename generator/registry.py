"""The form registry and the rulesets: which schema and template serve a form instance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from jsonschema import Draft202012Validator

from . import ruleset as rulesets_data
from .errors import ConfigError
from .load import load_yaml_file
from .period import Period
from .resources import data_dir, data_dirs, find_data
from .ruleset import Ruleset


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
ENTRY_SCHEMA = "registry.schema.json"
KNOWN = {"bo_quy_tac", "khoa", "bieu_mau", "vai_tro", "ten", "nhan", "luoc_do", "mau_in", "nguoi_lap", "muc_ho_so", "tieu_de"}


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


def ruleset(key: str) -> Ruleset:
    """The ruleset ``key`` (see generator/ruleset.py). Raises ConfigError for an unknown key."""
    return rulesets_data.load(key)


def default_ruleset(year: int, quarter: int | None) -> str | None:
    """The ruleset that the period table binds to an evaluation period (spec §0.2)."""
    return rulesets_data.default_for(Period(year, quarter))


@cache
def _entry_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((data_dir("forms") / ENTRY_SCHEMA).read_text(encoding="utf-8")))


def _read_entry(path: Path) -> dict:
    item = load_yaml_file(path)
    if not isinstance(item, dict):
        raise ConfigError(f"Mục sổ đăng ký {path} phải là một bảng khóa: giá trị.")
    for error in sorted(_entry_validator().iter_errors(item), key=lambda e: list(e.path)):
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        raise ConfigError(f"Mục sổ đăng ký {path} không đúng lược đồ forms/{ENTRY_SCHEMA} ở {where}: {error.message}")
    if path.parent.name != item["bo_quy_tac"] or path.stem != item["khoa"]:
        raise ConfigError(f"Mục sổ đăng ký {path} phải nằm ở forms/{item['bo_quy_tac']}/{item['khoa']}.yaml.")
    return item


@cache
def entries() -> tuple[FormEntry, ...]:
    """Every registry entry of every ruleset: one file per form, forms/<ruleset>/<key>.yaml.

    An entry may inherit another (``ke_thua: qd124/minutes``) and override some keys; a ruleset that
    inherits another (``ke_thua`` in its ruleset file) has every form of its parent it does not list
    itself, so an unchanged form is never copied. Entries are checked against forms/registry.schema.json.
    """
    raw: dict[tuple[str, str], dict] = {}
    for folder in reversed(data_dirs("forms")):  # extra data folders last, so they win
        for path in sorted(folder.glob("*/*.yaml")):
            item = _read_entry(path)
            raw[(item["bo_quy_tac"], item["khoa"])] = item

    def resolved(key: tuple[str, str], chain: tuple = ()) -> dict:
        item = raw[key]
        parent = item.get("ke_thua")
        if not parent:
            return item
        ref = tuple(parent.split("/", 1))
        if ref not in raw or ref in chain:
            raise ConfigError(f"Mục sổ đăng ký forms/{key[0]}/{key[1]}.yaml kế thừa '{parent}', không có hoặc vòng tròn.")
        return {**resolved(ref, (*chain, key)), **{k: v for k, v in item.items() if k != "ke_thua"}}

    items = {key: resolved(key) for key in raw}
    for rs_key in rulesets_data.known_keys():
        chain = []
        parent = rulesets_data.load(rs_key).data.get("ke_thua")
        while parent and parent not in chain:
            chain.append(parent)
            parent = rulesets_data.load(parent).data.get("ke_thua")
        own = {(i["bieu_mau"], i.get("vai_tro")) for (r, _), i in items.items() if r == rs_key}
        for ancestor in chain:
            for (r, k), item in sorted(items.items()):
                slot = (item["bieu_mau"], item.get("vai_tro"))
                if r == ancestor and slot not in own and (rs_key, k) not in items:
                    items[(rs_key, k)] = {**item, "bo_quy_tac": rs_key}
                    own.add(slot)
    found = []
    for (_, key), item in sorted(items.items()):
        missing = [k for k in ("bieu_mau", "ten", "luoc_do", "mau_in") if k not in item]
        if missing:
            raise ConfigError(f"Mục sổ đăng ký forms/{item['bo_quy_tac']}/{key}.yaml thiếu khóa: {', '.join(missing)}.")
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
                extra={k: v for k, v in item.items() if k not in KNOWN},
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
    known = rulesets_data.known_keys()
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
        with_forms = [k for k in known if any(e.ruleset == k for e in entries())]
        how = "" if explicit or not with_forms else (
            f" Kỳ {Period(year, quarter).label_vi} mặc định thuộc {rs.name} ({rs.guidance}); "
            f"nếu cấp ủy cấp trên cho phép dùng mẫu cũ, ghi rõ `bo_quy_tac: {with_forms[-1]}` trong tệp."
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
    """Every JSON Schema (bundled and of the extra data folders), addressable by its ``$id`` (no network look-ups)."""
    resources = []
    for root in reversed(data_dirs("schemas")):
        resources += _schemas_in(root)
    return Registry().with_resources(dict(resources).items())


def _schemas_in(root: Path) -> list:
    resources = []
    for path in sorted(root.rglob("*.json")):
        try:
            contents = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"Lược đồ {path.name} hỏng: {exc}") from None
        expected = SCHEMA_BASE + path.relative_to(root).as_posix()
        if contents.get("$id") != expected:
            raise ConfigError(f"Lược đồ {path.name} phải có $id = {expected}")
        resources.append((expected, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return resources


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
    return find_data("templates_docx", entry.template) or data_dir("templates_docx") / entry.template
