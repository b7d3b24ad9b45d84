"""A ruleset as data: one regulation with its guidance (``rulesets/<key>.yaml``), everything hoso knows of it.

The file owns the vocabulary (levels with their names and order, the criterion scale, roles), the
field map (where each form keeps the self level, the proposal, the decision, the criteria, the
score), the slot map (which form kind fills which role in a unit), the rule table (a rule runs for a
ruleset iff it has a row; the row carries severity, legal basis and parameters), the level
conditions, the dossier checklists and the default settings. ``ke_thua: <key>`` inherits another
ruleset: mappings merge key by key, a list replaces, ``null`` removes. No regulation lives in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Mapping

from jsonschema import Draft202012Validator

from .errors import ConfigError
from .load import load_yaml_file
from .period import Period
from .resources import data_dir, data_dirs

TABLE = "rulesets.yaml"
SCHEMA = "ruleset.schema.json"
IDENTITY = ("ten", "van_ban", "huong_dan", "ky")
"""What a ruleset says of itself and never inherits: its name, regulation, guidance and period kinds."""


def deep_merge(base: Mapping, override: Mapping, *, null_removes: bool = True) -> dict:
    """Mappings merge key by key (the override wins), anything else is replaced; ``None`` removes a key
    (with ``null_removes``; otherwise it is kept, so that a schema can report it)."""
    out = dict(base)
    for key, value in override.items():
        if value is None and null_removes:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value, null_removes=null_removes)
        else:
            out[key] = value
    return out


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((data_dir("rulesets") / SCHEMA).read_text(encoding="utf-8")))


@cache
def table() -> dict[str, Any]:
    """The bundled table of rulesets and of the default ruleset of each period (rulesets/rulesets.yaml)."""
    return load_yaml_file(data_dir("rulesets") / TABLE)


def _file_of(key: str):
    for folder in data_dirs("rulesets"):
        path = folder / f"{key}.yaml"
        if path.is_file():
            return path
    return None


def known_keys() -> list[str]:
    """Every ruleset hoso knows: the bundled table and every ruleset file of the data folders."""
    keys = list(table()["bo_quy_tac"])
    for folder in data_dirs("rulesets"):
        keys += [p.stem for p in sorted(folder.glob("*.yaml")) if p.name != TABLE and p.stem not in keys]
    return keys


@cache
def _raw(key: str, chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """The ruleset's data with its ancestors merged in, plus its row of the table."""
    if key in chain:
        raise ConfigError(f"Bộ quy tắc {key} kế thừa vòng tròn: {' → '.join((*chain, key))}.")
    path = _file_of(key)
    own = load_yaml_file(path) if path else {}
    if not isinstance(own, dict):
        raise ConfigError(f"Tệp bộ quy tắc {path} phải là một bảng khóa: giá trị.")
    for error in sorted(_validator().iter_errors(own), key=lambda e: list(e.path)):
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        raise ConfigError(f"Tệp bộ quy tắc {path} không đúng lược đồ rulesets/{SCHEMA} ở {where}: {error.message}")
    parent = own.get("ke_thua")
    if parent and parent not in known_keys():
        raise ConfigError(f"Bộ quy tắc {key} kế thừa '{parent}', nhưng không có bộ quy tắc đó (các bộ quy tắc: {', '.join(known_keys())}).")
    base = {k: v for k, v in (_raw(parent, (*chain, key)) if parent else {}).items() if k not in IDENTITY}
    meta = table()["bo_quy_tac"].get(key, {})
    merged = deep_merge(deep_merge(base, meta), own)
    merged["_co_du_lieu"] = bool(path)
    return merged


@dataclass(frozen=True)
class Ruleset:
    """One regulation with its guidance, e.g. ``qd124`` (spec §0.1), and all its data."""

    key: str
    name: str
    regulation: str
    guidance: str
    periods: tuple[str, ...]
    data: dict = field(compare=False, hash=False, repr=False)
    _field_maps: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    # -- vocabulary ------------------------------------------------------------------------
    @property
    def has_data(self) -> bool:
        """True when the ruleset has its own data file (rule table, levels, checklists)."""
        return bool(self.data.get("_co_du_lieu"))

    @property
    def levels(self) -> tuple[str, ...]:
        """Quality level codes, best first."""
        return tuple(item["ma"] for item in self.data.get("muc") or [])

    @property
    def top(self) -> str:
        return self.levels[0]

    @property
    def bottom(self) -> str:
        return self.levels[-1]

    def rank(self, level: Any) -> int:
        """Higher is better: the bottom level is 0; an unknown level or None is -1."""
        return len(self.levels) - 1 - self.levels.index(level) if level in self.levels else -1

    def level_name(self, level: Any) -> str:
        """"Hoàn thành xuất sắc nhiệm vụ" for ``HTXSNV``; "" for anything else."""
        return next((item["ten"] for item in self.data.get("muc") or [] if item["ma"] == level), "")

    def named(self, level: str) -> str:
        """"HTXSNV (Hoàn thành xuất sắc nhiệm vụ)"."""
        return f"{level} ({self.level_name(level)})"

    @property
    def level_names(self) -> dict[str, str]:
        return {item["ma"]: item["ten"] for item in self.data.get("muc") or []}

    @property
    def scale(self) -> tuple[str, ...]:
        """The criterion scale (cấp độ tiêu chí), best first; empty when criteria are scored in points."""
        return tuple(self.data.get("cap_do") or ())

    def scale_rank(self, word: Any) -> int:
        """Higher is better on the criterion scale; -1 for a word not on it."""
        return len(self.scale) - 1 - self.scale.index(word) if word in self.scale else -1

    @property
    def roles(self) -> dict[str, dict]:
        """Roles of individual forms (``vai_tro``) with their name and whether they hold a post."""
        return dict(self.data.get("vai_tro") or {})

    def is_leader_role(self, role: Any) -> bool:
        return bool((self.roles.get(role) or {}).get("lanh_dao"))

    def vocabulary(self, name: str) -> dict[str, str]:
        """A named label table of the ruleset (``nhan``): statuses, reasons, discipline forms, package kinds."""
        return dict((self.data.get("nhan") or {}).get(name) or {})

    # -- maps --------------------------------------------------------------------------------
    def kind(self, slot: str) -> str:
        """The form kind (``bieu_mau``) that fills a slot of a unit (``vi_tri``: bao_cao, ban_kiem_diem, ...)."""
        try:
            value = self.data["vi_tri"][slot]
            return value[0] if isinstance(value, list) else value
        except KeyError:
            raise ConfigError(f"Bộ quy tắc {self.key} không ghi loại biểu mẫu cho vị trí '{slot}' (vi_tri).") from None

    def kinds(self, slot: str) -> tuple[str, ...]:
        """Every form kind a slot accepts (``vi_tri`` may list several, the first being the usual one)."""
        self.kind(slot)  # raises ConfigError for a slot the ruleset does not have
        value = self.data["vi_tri"][slot]
        return tuple(value) if isinstance(value, list) else (value,)

    def slot_of(self, kind: str) -> str | None:
        """The slot a form kind fills, or None."""
        return next((slot for slot, k in (self.data.get("vi_tri") or {}).items() if kind in (k if isinstance(k, list) else [k])), None)

    def fields(self, entry_key: str) -> dict[str, Any]:
        """Where a registry entry's form keeps each named field (``truong``): dotted paths, or lists of them."""
        if entry_key in self._field_maps:
            return self._field_maps[entry_key]
        table = self.data.get("truong") or {}
        found, seen = {}, set()
        key = entry_key
        while key and key not in seen:
            seen.add(key)
            own = table.get(key) or {}
            found = {**{k: v for k, v in own.items() if k != "ke_thua"}, **found}
            key = own.get("ke_thua")
        self._field_maps[entry_key] = found
        return found

    # -- rules, conditions, checklists, settings --------------------------------------------
    @property
    def rules(self) -> dict[str, dict]:
        """The rule table: rule id → row (``muc_do``, ``can_cu`` and the rule's parameters)."""
        return dict(self.data.get("quy_tac") or {})

    def rule(self, rule_id: str) -> dict | None:
        return (self.data.get("quy_tac") or {}).get(rule_id)

    def conditions(self, name: str) -> dict[str, list[dict]]:
        """Level conditions (``dieu_kien_muc.<name>``): level → rows ``{do: measure, toi_thieu|toi_da|bang|duoi|tren: value}``."""
        return dict((self.data.get("dieu_kien_muc") or {}).get(name) or {})

    def failure_cases(self, name: str) -> list[dict]:
        """Cases that force the bottom level (``truong_hop_khong_dat.<name>``): rows ``{khi: [conditions], ly_do: text}``."""
        return list((self.data.get("truong_hop_khong_dat") or {}).get(name) or [])

    @property
    def checklists(self) -> dict[str, list[dict]]:
        """Dossier checklists by package kind (``ho_so``: tap_the, ca_nhan, khen_thuong)."""
        return dict(self.data.get("ho_so") or {})

    @property
    def settings(self) -> dict[str, Any]:
        """The ruleset's default settings (``thiet_lap``), under every locality's own."""
        return dict(self.data.get("thiet_lap") or {})

    def accepts(self, period: Period) -> bool:
        return period.kind in self.periods

    def for_period(self, period: Period) -> "Ruleset":
        """The ruleset as it applies to a kind of period: its section ``theo_ky.<nam|quy>`` merged over the rest
        (a quarter fills the self-review slot with Mẫu 05 and drops the rules and dossier items of the year)."""
        section = (self.data.get("theo_ky") or {}).get(period.kind)
        return _for_kind(self.key, period.kind) if section else self


def load(key: str) -> Ruleset:
    """The ruleset ``key`` with its inheritance resolved. Raises ConfigError for an unknown key."""
    if key not in known_keys():
        raise ConfigError(f"Không có bộ quy tắc {key!r} (các bộ quy tắc: {', '.join(known_keys())}).")
    return _ruleset(key)


@cache
def _ruleset(key: str) -> Ruleset:
    raw = _raw(key)
    missing = [k for k in ("ten", "van_ban", "huong_dan", "ky") if k not in raw]
    if missing:
        raise ConfigError(f"Bộ quy tắc {key} thiếu khóa: {', '.join(missing)} (trong rulesets/{key}.yaml hoặc rulesets/{TABLE}).")
    return Ruleset(key, raw["ten"], raw["van_ban"], raw["huong_dan"], tuple(raw["ky"]), raw)


@cache
def _for_kind(key: str, kind: str) -> Ruleset:
    base = _ruleset(key)
    data = deep_merge(base.data, base.data["theo_ky"][kind])
    return Ruleset(base.key, base.name, base.regulation, base.guidance, base.periods, data)


def default_for(period: Period) -> str | None:
    """The ruleset the period table binds to an evaluation period (spec §0.2)."""
    rows = table()
    if period.quarter is not None:
        return rows["theo_quy"]
    for row in rows["theo_nam"]:
        if row["tu_nam"] <= period.year and (row.get("den_nam") is None or period.year <= row["den_nam"]):
            return row["bo_quy_tac"]
    return None
