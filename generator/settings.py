"""Settings in layers: ruleset defaults ← the bundled locality ← the user's locality file ← its section for the ruleset (spec §0.3)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .findings import Finding, child_path, escape
from .load import load_yaml_file, problems_of
from . import ruleset
from .registry import SCHEMA_BASE, schema_registry
from .resources import data_dir
from .ruleset import Ruleset
from .validate import schema_findings

DEFAULT_FILE = "mac_dinh.yaml"
SECTIONS = "theo_bo_quy_tac"
"""The key of a locality file that holds settings for one ruleset only."""
SCHEMA_ID = SCHEMA_BASE + "locality.schema.json"
BASIS = "Lược đồ thiết lập địa phương (schemas/locality.schema.json)"
RUBRIC_RULE = "Q366-RUBRIC-SUM"
"""The rule whose row in a ruleset asks that a locality's criteria sets (diem.bo_tieu_chi) add up to the group caps."""


class LocalityError(ConfigError):
    """A locality file cannot be used: unreadable, or settings that break its schema. Exit 1.

    ``findings`` holds every problem (SCHEMA findings with file and JSON path); printed
    through the CLI's ``Lỗi: …`` it gives one line per problem.
    """

    def __init__(self, findings: list[Finding]):
        first = findings[0]
        super().__init__(first.message_vi, file=first.file, json_path=first.json_path)
        self.findings = findings

    def __str__(self) -> str:
        return "\nLỗi: ".join(escape(f"{f.file}: {f.json_path}: {f.message_vi}") for f in self.findings)


def _read(path: Path, source: str) -> tuple[list[Finding], dict]:
    try:
        data = load_yaml_file(path, source)
    except InputError as exc:
        return [_finding(source, p.json_path, p.message) for p in problems_of(exc)], {}
    if not isinstance(data, dict):
        return [_finding(source, "$", "Tệp thiết lập địa phương phải là một bảng khóa: giá trị.")], {}
    return [], data


def _layers(data: dict, key: str | None) -> tuple[dict, dict]:
    """A locality file's common section and its section for ruleset ``key``."""
    common = {k: v for k, v in data.items() if k != SECTIONS}
    sections = data.get(SECTIONS)
    own = sections.get(key) if isinstance(sections, dict) and key else None
    return common, own if isinstance(own, dict) else {}


def check_settings(rs: Ruleset | str | None = None, path: str | Path | None = None) -> tuple[list[Finding], dict[str, Any] | None]:
    """The settings of a ruleset for a locality, in layers, and every problem of the result.

    Layers, each overriding the one before key by key: the ruleset's defaults (``thiet_lap`` of
    rulesets/<key>.yaml); the bundled locality (localities/mac_dinh.yaml); the user's file; then the
    section of that file for this ruleset (``theo_bo_quy_tac.<key>``). The whole result is checked
    against one schema (unknown keys and wrong types are findings), and so is the result for every
    other ruleset section the file names. Returns (findings, settings); settings is None when there
    is any finding. Problems are reported in the user's file (the bundled files are checked by tests).
    """
    rs = ruleset.load(rs) if isinstance(rs, str) else rs
    default = data_dir("localities") / DEFAULT_FILE
    findings, bundled = _read(default, str(default))
    source, user = str(default), {}
    if path is not None:
        source = str(path)
        found, user = _read(Path(path), source)
        if found:
            return found, None
    sections = user.get(SECTIONS)
    if sections is not None and not isinstance(sections, dict):
        return [_finding(source, f"$.{SECTIONS}", "phải là một bảng: tên bộ quy tắc → thiết lập riêng.")], None

    def layered(key: str | None) -> dict:
        base = ruleset.load(key).settings if key and ruleset.load(key).has_data else {}
        for data in (bundled, user):
            common, own = _layers(data, key)
            base = ruleset.deep_merge(base, common, null_removes=False)
            base = ruleset.deep_merge(base, own, null_removes=False)
        return base

    key = rs.key if rs is not None else None
    settings = layered(key)
    own_path = child_path(f"$.{SECTIONS}", key) if key else ""
    findings = _schema_problems(source, settings, (sections or {}).get(key) or {} if key else {}, own_path)
    findings += _all_sections(source, sections, ruleset.known_keys(), key, layered)
    findings += _unknown_rules(source, settings.get("muc_do_quy_tac"))
    if not findings and rs is not None:
        findings += _rubric_findings(rs, source, settings, (sections or {}).get(key) or {}, own_path)
    if findings:
        return _unique(findings), None
    settings.pop(SECTIONS, None)
    return [], settings


def _all_sections(source, sections, known, key, layered) -> list[Finding]:
    out = []
    for name, section in (sections or {}).items():
        where = child_path(f"$.{SECTIONS}", name)
        if name not in known:
            guess = difflib.get_close_matches(str(name), known, n=1)
            hint = f" Có phải là '{guess[0]}'?" if guess else ""
            out.append(_finding(source, where, f"không có bộ quy tắc '{name}' (các bộ quy tắc: {', '.join(known)}).{hint}"))
        elif not isinstance(section, dict):
            out.append(_finding(source, where, "phải là một bảng khóa: giá trị (thiết lập riêng của bộ quy tắc)."))
        elif name != key:
            out += [f for f in _schema_problems(source, layered(name), section, where) if f.json_path.startswith(where)]
    return out


def _schema_problems(source: str, settings: dict, section: dict, where: str = "") -> list[Finding]:
    """Schema findings of effective settings; a problem in a key the ruleset section sets is shown there."""
    checked = {k: v for k, v in settings.items() if k != SECTIONS}
    out = []
    for f in schema_findings(source, checked, schema_registry()[SCHEMA_ID].contents, SCHEMA_ID, BASIS, "thiết lập địa phương"):
        head = f.json_path[2:].split(".", 1)[0].split("[", 1)[0] if f.json_path.startswith("$.") else ""
        path = where + f.json_path[1:] if where and head in section else f.json_path
        out.append(_finding(source, path, f.message_vi))
    return out


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if (f.json_path, f.message_vi) not in seen:
            seen.add((f.json_path, f.message_vi))
            out.append(f)
    return out


def load_settings(rs: Ruleset | str | None = None, path: str | Path | None = None) -> dict[str, Any]:
    """The settings of ruleset ``rs`` for the locality file ``path`` (None: the bundled locality).

    Raises LocalityError (a ConfigError) listing every bad setting with its file and JSON path.
    """
    findings, settings = check_settings(rs, path)
    if settings is None:
        raise LocalityError(findings)
    settings["_nguon"] = "mặc định" if path is None else str(path)
    return settings


def _finding(file: str, json_path: str, message: str) -> Finding:
    return Finding("SCHEMA", "error", file, json_path, f"Thiết lập địa phương không hợp lệ: {message}", BASIS)


def _unknown_rules(file: str, levels: Any) -> list[Finding]:
    """A severity change for a rule id hoso does not have would be silently ignored: say so."""
    if not isinstance(levels, dict) or not levels:
        return []
    known = sorted({rid for key in ruleset.known_keys() for rid in ruleset.load(key).rules})
    out = []
    for rule_id in levels:
        if rule_id not in known:
            guess = difflib.get_close_matches(rule_id, known, n=1)
            hint = f" Có phải là '{guess[0]}'?" if guess else ""
            out.append(_finding(file, child_path("$.muc_do_quy_tac", rule_id), f"không có quy tắc '{rule_id}' (xem `hoso rules`).{hint}"))
    return out


# -- a locality's criteria sets (bộ tiêu chí) --------------------------------------------------------------
def rubric_leaves(items: list) -> list[dict]:
    """The leaves of a criteria tree (items without ``tieu_chi_con``), in order."""
    found = []
    for item in items or []:
        found += rubric_leaves(item["tieu_chi_con"]) if item.get("tieu_chi_con") else [item]
    return found


def rubric_problems(rs: Ruleset, settings: dict) -> list[tuple[str, str]]:
    """(JSON path, message) of every problem of the settings' criteria sets (``diem.bo_tieu_chi``): a subject group
    or criteria group the ruleset does not have, a leaf without its maximum, a node whose maximum is not the sum of
    its children, a group whose leaves do not add up to its cap (``diem.tran_nhom``)."""
    points = settings.get("diem") or {}
    caps, trees = points.get("tran_nhom"), points.get("bo_tieu_chi")
    if not caps or not trees:
        return []
    subjects, names = rs.vocabulary("nhom_doi_tuong"), rs.vocabulary("nhom_tieu_chi")
    out: list[tuple[str, str]] = []
    for subject, tree in trees.items():
        base = child_path("$.diem.bo_tieu_chi", subject)
        if subjects and subject not in subjects:
            guess = difflib.get_close_matches(str(subject), list(subjects), n=1)
            hint = f" Có phải là '{guess[0]}'?" if guess else ""
            out.append((base, f"không có nhóm đối tượng '{subject}' (các nhóm: {', '.join(subjects)}).{hint}"))
            continue
        for group, cap in caps.items():
            if group not in tree:
                out.append((base, f"thiếu {names.get(group, group).lower()} ({group}, tổng {cap:g} điểm)."))
        for group, items in tree.items():
            where = child_path(base, group)
            if group not in caps:
                out.append((where, f"không có nhóm tiêu chí '{group}' (các nhóm: {', '.join(caps)})."))
                continue
            total = _rubric_sum(items, where, out)
            if abs(total - caps[group]) > 0.005:
                out.append((where, f"các tiêu chí của {names.get(group, group).lower()} cộng được {total:g} điểm tối đa, phải bằng {caps[group]:g}."))
    return out


def _rubric_sum(items: list, where: str, out: list) -> float:
    total = 0.0
    for i, item in enumerate(items or []):
        here = f"{where}[{i}]"
        if item.get("tieu_chi_con"):
            part = _rubric_sum(item["tieu_chi_con"], f"{here}.tieu_chi_con", out)
            if item.get("toi_da") is not None and abs(item["toi_da"] - part) > 0.005:
                out.append((f"{here}.toi_da", f"tiêu chí {item['ma']} ghi tối đa {item['toi_da']:g} điểm nhưng các tiêu chí con cộng được {part:g}."))
            total += part
        elif item.get("toi_da") is None:
            out.append((f"{here}.toi_da", f"tiêu chí {item['ma']} không có tiêu chí con nên cần điểm tối đa (toi_da)."))
        else:
            total += item["toi_da"]
    return total


def _rubric_findings(rs: Ruleset, source: str, settings: dict, section: dict, own_path: str) -> list[Finding]:
    """Rubric problems as findings of the ruleset's rule, shown where the user wrote the criteria set."""
    row = rs.rule(RUBRIC_RULE)
    if row is None:
        return []
    written = ((section.get("diem") or {}).get("bo_tieu_chi") or {}) if isinstance(section.get("diem"), dict) else {}
    out = []
    for path, message in rubric_problems(rs, settings):
        subject = path.removeprefix("$.diem.bo_tieu_chi.").split(".", 1)[0].split("[", 1)[0]
        shown = own_path + path[1:] if own_path and subject in written else path
        out.append(Finding(RUBRIC_RULE, "error", source, shown, f"Bộ tiêu chí của địa phương không hợp lệ: {message}", row["can_cu"]))
    return out
