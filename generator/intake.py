"""Intake, ``hoso init``: a unit folder from a roster, and an updated roster laid over an existing unit.

A new unit gets ``don_vi.yaml`` (organisations, members, circumstances, meetings) and, for each member and organisation,
its own form with the identity filled in and every narrative section present and empty (``[]``): the form kind and
role come from the ruleset (its slot map, its roles) and the registry, the sections from the form's schema. A roster
with any error writes nothing. Laid over an existing unit, a roster updates the identity it holds (in don_vi.yaml and
in the forms) and adds new members and organisations; everything else — texts, levels, decisions, what clerks added —
is kept, nobody is removed, and each change is reported as a line. Every value written records the roster cell it came
from in ``.hoso/nguon.json`` (generator/provenance.py), so later findings can point back to the cell.

A unit is of one period, a year or a quarter (``ky_danh_gia``): its forms are those of the ruleset resolved for that
period (``Ruleset.for_period``), and a roster made for another period is refused.
"""

from __future__ import annotations

import copy
import datetime as dt
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


from . import provenance, registry
from .errors import InputError, UsageError
from .facts import committee_name, org_kinds, same_name
from .findings import Finding, show
from .load import comment_block, dump_yaml, load_form, load_yaml_file, problems_of
from .output import publish, staging, time_stamp
from .period import Period
from .registry import SCHEMA_BASE, FormEntry, schema_registry
from .roster import (EVENTS, MADE_FOR, MEETINGS, MEMBERS, ORGS, RULE, Cell, Column, Issue, Ref, Roster, Row, check_quarter, display,
                     needs_form, norm, read_roster, slug, subject_path, table, vn_date)
from .ruleset import Ruleset
from .schemawalk import Node, root
from .source import FORM_KEYS, MANIFEST
from .validate import make_validator, schema_findings

BASIS = "Nhập danh sách vào đơn vị (hoso init --roster)"
UNIT_BASIS = "Lược đồ tệp đơn vị (schemas/unit.schema.json)"
MEMBER_DIR, ORG_DIR = "ca_nhan", "tap_the"
ORG_FORM_KEY, MEMBER_FORM_KEY = FORM_KEYS[ORGS][0], FORM_KEYS[MEMBERS][0]
"""The manifest keys naming a subject's own form; each is also the slot (``vi_tri``) whose form kind it holds."""
NARRATIVE_DEF = "$defs/doan_van"
"""A schema property that refers to this definition is a narrative section (paragraphs the writer types)."""
SIGNED_BLOCK = "nguoi_ky"
"""A block with a signer is filled by whoever signs it (the chi ủy, the superior), not by the form's writer."""
JUDGED_BY_OTHERS = ("muc_de_xuat", "nhan_xet")
"""Field-map names of what the superior writes on a form (proposed level, comment): the block holding them is not part
of the empty sections a new form gets, even when it has no signer (Mẫu 05 of a quarter: phần III)."""
PACKAGE_OF = {ORGS: "tap_the", MEMBERS: "ca_nhan"}
"""The dossier package of each kind of subject (the ruleset's checklists, ``ho_so.<package>``)."""


@dataclass
class InitResult:
    """What ``init_unit`` did or would do."""

    findings: list[Finding]
    changes: list[str]
    """Vietnamese lines: what was created, what changed (old → new), what was kept."""
    written: list[Path]
    created: bool
    """True when the unit folder had no don_vi.yaml (a new unit)."""


def init_unit(unit_dir: str | Path, roster_file: str | Path, *, year: int | None = None,
              locality_file: str | Path | None = None, dry_run: bool = False, quarter: int | None = None) -> InitResult:
    """Create a unit folder from a roster, or update an existing unit from an updated roster.

    The period of a new unit: ``year`` and ``quarter`` when given (a quarter alone is a quarter of the workbook's year),
    else what the workbook records, else this year. A quarter unit (``ky_danh_gia: {nam, quy}``) gets, for each member,
    the form the ruleset resolved for the quarter puts in the member's slot, and for each organisation the form of its
    slot only when the quarter's dossier of a collective lists it (under Quy định 366 a collective does not review
    itself in a quarter); circumstances are kept only when they touch the quarter. A roster made for another period
    than the unit's, or a period argument other than the unit's, is an error.

    Never raises for bad input: problems are findings (ROSTER for cells, SCHEMA for an unreadable existing unit). With
    any error nothing is written (not even the folder); ``dry_run`` computes the changes and writes nothing. Written
    files go through a staging folder; a replaced file is kept under _phien_ban_truoc/<time>/.
    """
    unit_dir = Path(unit_dir)
    shown_manifest = str(unit_dir / MANIFEST)
    try:
        quarter = check_quarter(quarter)
    except UsageError as exc:
        return InitResult([Finding(RULE, "error", shown_manifest, "$.ky_danh_gia.quy", exc.message, BASIS)], [], [], False)
    existing, problems = _Existing.read(unit_dir)
    if problems:
        return InitResult(problems, [], [], False)
    if existing is not None:
        have = existing.period
        if year is not None or quarter is not None:
            asked = Period(year or have.year, quarter)
            if asked != have:
                message = f"Đơn vị {unit_dir} là của {have.label_vi}, không nhập danh sách {asked.label_vi} vào được."
                path = "$.ky_danh_gia.nam" if asked.year != have.year else "$.ky_danh_gia.quy" if have.quarter else "$.ky_danh_gia"
                return InitResult([Finding(RULE, "error", shown_manifest, path, message, BASIS)], [], [], False)
        roster = read_roster(roster_file, year=have.year, quarter=have.quarter, ruleset_key=existing.data.get("bo_quy_tac"),
                             locality_file=locality_file, known_orgs=existing.org_names(), known_members=existing.member_keys())
        made = roster.file_period
        if made is not None and made != have:
            roster.issues = [i for i in roster.issues if not i.message.startswith(MADE_FOR)]
            roster.issues.append(Issue("error", f"{MADE_FOR}{made.label_vi}, đơn vị là của {have.label_vi}: không nhập danh sách của kỳ "
                                                "này vào đơn vị của kỳ khác được."))
    else:
        roster = read_roster(roster_file, year=year, quarter=quarter, locality_file=locality_file, default_year=dt.date.today().year)
    plan = _Plan(roster, existing, unit_dir)
    findings = roster.findings(plan.locate)
    if roster.errors or roster.rs is None:
        return InitResult(findings, [], [], existing is None)
    plan.build()
    findings += plan.findings
    if any(f.severity == "error" for f in findings):
        return InitResult(findings, [], [], existing is None)
    files = plan.files()
    if dry_run or not files:
        return InitResult(findings, plan.changes, [], existing is None)
    try:
        with staging(unit_dir) as stage:
            for name, content in files.items():
                target = stage / name
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                target.write_bytes(content)
            written = publish(stage, unit_dir, list(files), time_stamp())
    except OSError as exc:
        message = f"Không ghi được đơn vị vào {unit_dir}: {exc.strerror or exc}."
        return InitResult([*findings, Finding(RULE, "error", shown_manifest, "$", message, BASIS)], plan.changes, [], existing is None)
    return InitResult(findings, plan.changes, written, existing is None)


# -- the existing unit ----------------------------------------------------------------------------------------------
@dataclass
class _File:
    data: dict | None
    header: list[str]
    text: bytes | None
    problem: str = ""


@dataclass
class _Existing:
    """An existing unit: its manifest as read (not necessarily valid) and its forms, read when needed."""

    folder: Path
    data: dict
    header: list[str]
    text: bytes
    forms: dict[str, _File] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.data["ky_danh_gia"]["nam"]

    @property
    def period(self) -> Period:
        return Period.of(self.data["ky_danh_gia"])

    @classmethod
    def read(cls, folder: Path) -> tuple["_Existing | None", list[Finding]]:
        path = folder / MANIFEST
        if not path.is_file():
            if folder.exists() and not folder.is_dir():
                return None, [Finding(RULE, "error", str(folder), "$", f"{folder} là một tệp, không phải thư mục đơn vị.", BASIS)]
            return None, []
        shown = str(path)
        try:
            data = load_yaml_file(path, shown)
        except InputError as exc:
            return None, [Finding("SCHEMA", "error", shown, p.json_path, f"Không đọc được tệp đơn vị đã có: {p.message}", UNIT_BASIS)
                          for p in problems_of(exc)]
        period = data.get("ky_danh_gia") if isinstance(data, dict) else None
        year = period.get("nam") if isinstance(period, dict) else None
        quarter = period.get("quy") if isinstance(period, dict) else None
        if (not isinstance(year, int) or isinstance(year, bool)
                or not (quarter is None or (isinstance(quarter, int) and not isinstance(quarter, bool) and 1 <= quarter <= 4))):
            return None, [Finding("SCHEMA", "error", shown, "$.ky_danh_gia", "Tệp đơn vị đã có không ghi đúng kỳ đánh giá (ky_danh_gia: "
                                  "{nam: …} cho một năm, {nam: …, quy: 1…4} cho một quý).", UNIT_BASIS)]
        for key in (ORGS, MEMBERS):
            if not isinstance(data.get(key, []), list) or not all(isinstance(x, dict) for x in data.get(key, [])):
                return None, [Finding("SCHEMA", "error", shown, f"$.{key}", f"{key} của tệp đơn vị đã có phải là một danh sách.", UNIT_BASIS)]
        text = path.read_bytes()
        return cls(folder, data, _header_of(text), text), []

    def form(self, name: str) -> _File:
        if name not in self.forms:
            path = self.folder / name
            if not path.is_file():
                self.forms[name] = _File(None, [], None)
            else:
                text = path.read_bytes()
                try:
                    data = load_form(path).data
                    self.forms[name] = _File(data if isinstance(data, dict) else None, _header_of(text), text,
                                             "" if isinstance(data, dict) else "không phải bảng khóa: giá trị")
                except InputError as exc:
                    self.forms[name] = _File(None, [], text, "; ".join(p.message for p in problems_of(exc)))
        return self.forms[name]

    def org_names(self) -> dict[str, str]:
        return {o["ten"]: o["ma"] for o in self.data.get(ORGS, []) if isinstance(o.get("ten"), str) and isinstance(o.get("ma"), str)}

    def member_keys(self) -> list[tuple[str, str, str | None]]:
        return [(m["ma"], m["ho_ten"], m.get("so_the_dang_vien")) for m in self.data.get(MEMBERS, [])
                if isinstance(m.get("ma"), str) and isinstance(m.get("ho_ten"), str)]

    def birth(self, member: dict) -> str | None:
        if isinstance(member.get("ngay_sinh"), str):
            return member["ngay_sinh"]
        name = member.get(MEMBER_FORM_KEY)
        found = self.form(name).data if isinstance(name, str) else None
        person = (found or {}).get("ca_nhan")
        return person.get("ngay_sinh") if isinstance(person, dict) and isinstance(person.get("ngay_sinh"), str) else None


def _header_of(text: bytes) -> list[str]:
    """The comment lines at the top of a YAML file (without "# "), kept when hoso rewrites the file."""
    return [line[2:] if line.startswith("# ") else line[1:] for line in comment_block(text.decode("utf-8", errors="replace"))]


# -- forms: which, where, and their empty sections ---------------------------------------------------------------
def entry_for(rs: Ruleset, slot: str, role: str | None) -> FormEntry | None:
    """The registry entry of a ruleset that fills a slot of a unit (``ban_kiem_diem``, ``bao_cao``) for a role."""
    kind = rs.kind(slot)
    found = [e for e in registry.entries() if e.ruleset == rs.key and e.kind == kind]
    return next((e for e in found if e.role == role), None) or next((e for e in found if e.role is None), None)


def own_form_in_period(rs: Ruleset, kind: str, slot: str) -> bool:
    """Whether a subject of a kind (``to_chuc``, ``thanh_vien``) has its own form of a slot (``bao_cao``,
    ``ban_kiem_diem``) in the period the ruleset was resolved for: its dossier checklist (``ho_so.tap_the``,
    ``ho_so.ca_nhan``) takes the slot's form as a source (``nguon: {bao_cao: true}``). A quarter under Quy định 366 has
    no collective self-review, so its collective dossier names none. Without such a checklist the form is made."""
    checklist = rs.checklists.get(PACKAGE_OF[kind])
    if not checklist:
        return True
    return any(isinstance(spec, dict) and (spec.get("nguon") or {}).get(slot) is True for spec in checklist)


def form_path(rs: Ruleset, entry: FormEntry, spec: str) -> str | None:
    """Where a form keeps a column's value: ``spec`` is a field-map name (``ho_ten``, ``ca_nhan``) with an optional
    sub-path, or a top-level property of the form's schema (``tap_the.ten``); None when the form has no such place."""
    head, _, rest = spec.partition(".")
    mapped = rs.fields(entry.key).get(head)
    if isinstance(mapped, list):
        mapped = mapped[0] if mapped else None
    if mapped is None:
        if head not in _root_names(entry):
            return None
        mapped = head
    return f"{mapped}.{rest}" if rest else mapped


@cache
def _root_names(entry: FormEntry) -> tuple[str, ...]:
    return tuple(_ordered(root(entry.schema_id)))


def _ordered(node: Node) -> dict[str, Node]:
    """A node's properties, those of its largest part (the base schema) first, so a form reads in the schema's order."""
    props = node.properties()
    parts = sorted(node.parts(), key=lambda p: -len(p.schema.get("properties") or {}))
    names: list[str] = []
    for part in parts:
        names += [n for n in part.schema.get("properties") or {} if n not in names]
    return {n: props[n] for n in names if n in props}


def _is_narrative(node: Node) -> bool:
    return any(str(p.schema.get("$ref", "")).endswith(NARRATIVE_DEF) for p in node.parts())


def _walk(node: Node, depth: int = 0) -> dict:
    """Every narrative section under a node, as ``[]``, in nested objects; blocks signed by someone else are skipped."""
    out: dict[str, Any] = {}
    for name, sub in _ordered(node).items():
        if _is_narrative(sub):
            out[name] = []
        elif depth < 6 and "object" in sub.types() and "array" not in sub.types() and SIGNED_BLOCK not in sub.properties():
            inner = _walk(sub, depth + 1)
            if inner:
                out[name] = inner
    return out


@cache
def narrative(entry: FormEntry, civil: bool) -> dict:
    """The empty narrative sections of a form (every ``doan_van`` its schema allows for this role and CBCCVC flag)."""
    sections = _walk(root(entry.schema_id))
    probe = {"bieu_mau": entry.kind, **({"vai_tro": entry.role} if entry.role else {}), "la_cbccvc": civil, **copy.deepcopy(sections)}
    _prune(probe, sections, entry)
    return sections


def _prune(probe: dict, sections: dict, entry: FormEntry, only_empty: bool = True) -> list[str]:
    """Remove the sections the schema forbids for this form (``not``): the leader-only sections of a staff form.
    Returns the dotted paths removed. Only empty sections are removed (never a text someone wrote)."""
    validator = make_validator(registry.schema(entry))
    removed = []
    for _ in range(4):
        found = False
        for error in validator.iter_errors(probe):
            if error.validator != "not":
                continue
            path = list(error.absolute_path)
            keys = [path] if error.validator_value == {} else [
                [*path, k] for alt in (error.validator_value.get("anyOf") or [error.validator_value])
                for k in (alt.get("required") or [])]
            for key in keys:
                for target in (probe, sections):
                    if _drop(target, key, only_empty):
                        found = True
                if found:
                    removed.append(".".join(map(str, key)))
        if not found:
            break
    return removed


def _drop(data: Any, path: list, only_empty: bool) -> bool:
    for key in path[:-1]:
        data = data.get(key) if isinstance(data, dict) else None
    if isinstance(data, dict) and path and path[-1] in data and (not only_empty or _empty(data[path[-1]])):
        del data[path[-1]]
        return True
    return False


def _empty(value: Any) -> bool:
    """Nothing written: None, an empty list, or an object whose every value is empty (``{noi_dung: []}``)."""
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value in ([], None, "")


def _get(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _put(data: dict, dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    for key in keys[:-1]:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[keys[-1]] = value


def _merge_missing(target: dict, sections: dict) -> list[str]:
    """Add the sections ``target`` lacks (for a form whose role changed); returns the dotted paths added."""
    added = []
    for key, value in sections.items():
        if key not in target:
            target[key] = copy.deepcopy(value)
            added.append(key)
        elif isinstance(value, dict) and isinstance(target[key], dict):
            added += [f"{key}.{k}" for k in _merge_missing(target[key], value)]
    return added


def _reordered(data: dict, order: tuple[str, ...]) -> dict:
    return {**{k: data[k] for k in order if k in data}, **{k: v for k, v in data.items() if k not in order}}


def _in_schema_order(data: Any, node: Node, depth: int = 0) -> Any:
    """A new form's objects with their keys in the order of the schema (the order of the printed form)."""
    if not isinstance(data, dict) or depth > 8:
        return data
    props = _ordered(node)
    ordered = _reordered(data, tuple(props))
    return {k: _in_schema_order(v, props[k], depth + 1) if k in props else v for k, v in ordered.items()}


@cache
def _max_length(entry: FormEntry, dotted: str) -> int | None:
    """The longest text a form's schema takes at a path (the smallest ``maxLength`` of its parts), or None."""
    node: Node | None = root(entry.schema_id)
    for key in dotted.split("."):
        node = node.properties().get(key) if node is not None else None
    if node is None:
        return None
    limits = [p.schema["maxLength"] for p in node.parts() if isinstance(p.schema.get("maxLength"), int)]
    return min(limits) if limits else None


@cache
def _unit_order(kind: str) -> tuple[str, ...]:
    schema = schema_registry()[SCHEMA_BASE + "unit.schema.json"].contents
    return tuple(schema["properties"][kind]["items"]["properties"])


# -- the plan -------------------------------------------------------------------------------------------------------------
class _Plan:
    """Everything ``init_unit`` writes, computed before anything is written."""

    def __init__(self, roster: Roster, existing: _Existing | None, unit_dir: Path):
        self.roster, self.existing, self.unit_dir = roster, existing, unit_dir
        self.new = existing is None
        self.manifest: dict = copy.deepcopy(existing.data) if existing else {}
        self.findings: list[Finding] = []
        self.changes: list[str] = []
        self.origins: provenance.Origins = {}
        self.forms: dict[str, dict] = {}
        self.form_headers: dict[str, list[str]] = {}
        self.created_forms: list[str] = []
        self.org_at: dict[int, int] = {}
        self.member_at: dict[int, int] = {}
        self.new_orgs: set[int] = set()
        self.new_members: set[int] = set()
        self.taken: set[str] = set()
        self.org_code: dict[int, str] = {}
        self.member_code: dict[int, str] = {}
        if existing:
            self.taken = {x.get("ma") for k in (ORGS, MEMBERS) for x in existing.data.get(k, []) if isinstance(x.get("ma"), str)}
        self.period: Period | None = roster.period
        self.rs: Ruleset | None = roster.rs.for_period(self.period) if roster.rs else None
        self.dropped: list[str] = []
        self.member_labels: set[str] = set()
        """Change lines of the circumstances left out (outside the quarter)."""
        self.no_org_form = False
        """True when the period gives organisations no form of their own (a quarter under Quy định 366)."""
        if self.rs is not None:
            self._match()

    # -- matching rows with the existing unit ------------------------------------------------------------------
    def _code(self, name: str, fallback: str) -> str:
        base = slug(name or "") or fallback
        code, n = base, 1
        while code in self.taken:
            n += 1
            code = f"{base}_{n}"
        self.taken.add(code)
        return code

    def _match(self) -> None:
        orgs = self.manifest.setdefault(ORGS, []) if not self.new else []
        known = {norm(o.get("ten")): i for i, o in enumerate(orgs)}
        for row in self.roster.of(ORGS):
            name = row.value("ten_to_chuc") or ""
            if norm(name) in known:
                self.org_at[row.index] = known[norm(name)]
            else:
                self.org_at[row.index] = len(orgs) + len(self.new_orgs)
                self.new_orgs.add(row.index)
        members = self.manifest.get(MEMBERS, []) if not self.new else []
        by_card = {m.get("so_the_dang_vien"): i for i, m in enumerate(members) if m.get("so_the_dang_vien")}
        by_id = {m.get("so_cccd"): i for i, m in enumerate(members) if m.get("so_cccd")}
        births = {i: self.existing.birth(m) for i, m in enumerate(members)} if self.existing else {}
        by_person = {(norm(m.get("ho_ten")), births[i]): i for i, m in enumerate(members) if births.get(i)}
        by_name: dict[str, list[int]] = {}
        for i, m in enumerate(members):
            by_name.setdefault(norm(m.get("ho_ten")), []).append(i)
        taken: dict[int, Row] = {}
        count = len(members)
        for row in self.roster.of(MEMBERS):
            card, ident, name, born = row.value("so_the"), row.value("so_cccd"), norm(row.value("ho_ten")), row.value("ngay_sinh")
            at = by_card.get(card) if card else None
            if at is None and ident:
                at = by_id.get(ident)
            if at is None and born:
                at = by_person.get((name, born))
            if at is None:
                loose = [i for i in by_name.get(name, []) if not births.get(i) and not members[i].get("so_the_dang_vien") and i not in taken]
                at = loose[0] if len(loose) == 1 and sum(1 for r in self.roster.of(MEMBERS) if norm(r.value("ho_ten")) == name) == 1 else None
            if at is not None and at in taken:
                other = taken[at]
                self.roster.issues.append(Issue("error", f"Dòng {other.number} và dòng {row.number} cùng khớp với đảng viên "
                                                         f"{members[at].get('ho_ten')} của đơn vị (số thẻ, số CCCD hoặc họ tên và ngày sinh).",
                                                row.ref("ho_ten"), row, "ho_ten"))
                at = None
            if at is None:
                self.member_at[row.index] = count
                self.new_members.add(row.index)
                count += 1
            else:
                taken[at] = row
                self.member_at[row.index] = at
        for row in self.roster.of(ORGS):
            if row.index in self.new_orgs:
                self.org_code[row.index] = self._code(row.value("ten_to_chuc"), "to_chuc")
            else:
                self.org_code[row.index] = orgs[self.org_at[row.index]].get("ma")
        for row in self.roster.of(MEMBERS):
            if row.index in self.new_members:
                self.member_code[row.index] = self._code(row.value("ho_ten"), "dang_vien")
            else:
                self.member_code[row.index] = members[self.member_at[row.index]].get("ma")

    def index_of(self, sheet: str, index: int) -> int:
        return (self.org_at if sheet == ORGS else self.member_at).get(index, index)

    def locate(self, issue: Issue) -> tuple[str, str]:
        """Where a roster problem's value goes: the form for a form-only column, else don_vi.yaml."""
        manifest = str(self.unit_dir / MANIFEST)
        row = issue.row
        if row is None:
            return manifest, "$"
        column = table().column(issue.column) if issue.column else None
        if column is not None and not column.manifest_key and column.form_field and row.sheet in (ORGS, MEMBERS) and self.rs:
            name, entry = self._form_of_row(row)
            path = form_path(self.rs, entry, column.form_field) if entry else None
            if name and path:
                return str(self.unit_dir / name), f"$.{path}"
        return manifest, subject_path(self.roster, row, issue.column, issue.extra_path, self.index_of if self.rs else None)

    def _form_of_row(self, row: Row) -> tuple[str | None, FormEntry | None]:
        if row.sheet == ORGS:
            code = self.org_code.get(row.index)
            return (f"{ORG_DIR}/{code}.yaml" if code else None), entry_for(self.rs, ORG_FORM_KEY, None)
        code = self.member_code.get(row.index)
        role = self.roster.roles.get(row.index)
        return (f"{MEMBER_DIR}/{code}.yaml" if code else None), (entry_for(self.rs, MEMBER_FORM_KEY, role) if role else None)

    # -- building ---------------------------------------------------------------------------------------------------
    def origin(self, file: str, path: str, ref: str) -> None:
        if ref:
            self.origins.setdefault(file, {})[path] = self.roster.origin(ref)

    def change(self, line: str) -> None:
        if not self.new:
            self.changes.append(line)

    def build(self) -> None:
        if self.new:
            self.manifest = {"don_vi": {}, "ky_danh_gia": self.period.to_data()}
            if self.roster.explicit_ruleset:
                self.manifest["bo_quy_tac"] = self.rs.key
            self.manifest[ORGS], self.manifest[MEMBERS] = [], []
        self.manifest.setdefault(ORGS, [])
        self.manifest.setdefault(MEMBERS, [])
        self._orgs()
        self._members()
        self._events()
        self._meetings()
        self._missing()
        self._member_forms()
        self._org_forms()
        self._check_manifest()
        self._summary()

    def _value(self, column: Column, cell: Cell, for_form: bool = False) -> Any:
        value = cell.value
        if isinstance(value, Ref):
            if for_form:
                return value.name
            if value.code is not None:
                return value.code
            codes = self.org_code if column.kind == "to_chuc" or column.key == "truc_thuoc" else self.member_code
            return codes[value.row]
        return value

    def _shown(self, column: Column, value: Any, kind: str) -> str:
        """A manifest value as the clerk reads it: codes of subjects by name."""
        if isinstance(value, str) and (column.kind in ("to_chuc", "thanh_vien") or column.key == "truc_thuoc"):
            for item in self.manifest.get(kind, []):
                if item.get("ma") == value:
                    return item.get("ten") or item.get("ho_ten") or value
        return display(column, value, self.rs)

    def _apply(self, entry: dict, row: Row, sheet_kind: str, at: int, who: str, skip: tuple[str, ...] = ()) -> None:
        """Write the row's manifest columns into its entry (``to_chuc[at]`` or ``thanh_vien[at]``), noting changes."""
        for key, cell in row.cells.items():
            column = table().sheet(row.sheet).column(key)
            if not column.manifest_key or key in skip:
                continue
            value = self._value(column, cell)
            old = _get(entry, column.manifest_key)
            if old != value:
                if old is not None:
                    self.change(f"{who}: {column.label} {self._shown(column, old, ORGS if column.kind == 'to_chuc' or key == 'truc_thuoc' else MEMBERS)}"
                                f" → {self._shown(column, value, ORGS if column.kind == 'to_chuc' or key == 'truc_thuoc' else MEMBERS)}")
                elif at not in self._fresh(sheet_kind):
                    self.change(f"{who}: thêm {column.label} {display(column, cell.value, self.rs)}")
                _put(entry, column.manifest_key, value)
            self.origin(MANIFEST, f"$.{sheet_kind}[{at}].{column.manifest_key}", cell.ref)

    def _fresh(self, kind: str) -> set[int]:
        rows = self.new_orgs if kind == ORGS else self.new_members
        at = self.org_at if kind == ORGS else self.member_at
        return {at[i] for i in rows}

    def _orgs(self) -> None:
        orgs = self.manifest[ORGS]
        for row in sorted(self.roster.of(ORGS), key=lambda r: self.org_at[r.index]):
            at, code = self.org_at[row.index], self.org_code[row.index]
            name = row.value("ten_to_chuc")
            if row.index in self.new_orgs:
                orgs.append({"ma": code, "ten": name})
                self.change(f"Thêm tổ chức {name}: {ORG_DIR}/{code}.yaml")
            entry = orgs[at]
            is_top = self.roster.top == row.index
            skip = ("truc_thuoc", "dia_danh") if is_top else ()
            self._apply(entry, row, ORGS, at, name, skip)
            if is_top:
                self._top(row, code, name)
            if row.index in self.new_orgs:
                orgs[at] = _reordered(entry, _unit_order(ORGS))

    def _top(self, row: Row, code: str, name: str) -> None:
        unit = self.manifest.setdefault("don_vi", {})
        cells = row.cells
        wanted = {"ten": (name, cells["ten_to_chuc"].ref), "to_chuc_co_so": (code, cells["ten_to_chuc"].ref)}
        if "truc_thuoc" in cells:
            wanted["cap_tren.ten"] = (cells["truc_thuoc"].value if isinstance(cells["truc_thuoc"].value, str) else cells["truc_thuoc"].value.name,
                                      cells["truc_thuoc"].ref)
        if "dia_danh" in cells:
            wanted["dia_danh"] = (cells["dia_danh"].value, cells["dia_danh"].ref)
        labels = {"ten": "tên đơn vị", "to_chuc_co_so": "tổ chức đứng đầu", "cap_tren.ten": "tổ chức cấp trên", "dia_danh": "địa danh"}
        for key, (value, ref) in wanted.items():
            old = _get(unit, key)
            if old != value:
                if old is not None:
                    self.change(f"Đơn vị: {labels[key]} {old} → {value}")
                _put(unit, key, value)
            self.origin(MANIFEST, f"$.don_vi.{key}", ref)
        thuoc = self.manifest[ORGS][self.org_at[row.index]].get("thuoc")
        if thuoc is not None and not self.new:
            self.findings.append(Finding(RULE, "warning", str(self.unit_dir / MANIFEST), f"$.to_chuc[{self.org_at[row.index]}].thuoc",
                                         f"{name} là tổ chức đứng đầu đơn vị theo danh sách nhưng don_vi.yaml ghi trực thuộc '{thuoc}': "
                                         "kiểm tra lại.", BASIS, origin=self.roster.origin(row.ref("truc_thuoc"))))

    def _members(self) -> None:
        members = self.manifest[MEMBERS]
        for row in sorted(self.roster.of(MEMBERS), key=lambda r: self.member_at[r.index]):
            at, code = self.member_at[row.index], self.member_code[row.index]
            name = row.value("ho_ten")
            if row.index in self.new_members:
                members.append({"ma": code, "ho_ten": name})
            entry = members[at]
            self._apply(entry, row, MEMBERS, at, name)
            if row.index in self.new_members:
                org = row.value("chi_bo")
                self.change(f"Thêm đảng viên {name}" + (f" ({org.name})" if isinstance(org, Ref) else ""))

    def _events(self) -> None:
        members = self.manifest[MEMBERS]
        kinds = table().events
        for row in self.roster.of(EVENTS):
            member, kind = row.value("thanh_vien"), row.value("loai_hoan_canh")
            if not isinstance(member, Ref) or kind is None:
                continue
            at = self.member_at[member.row] if member.row is not None else next(
                i for i, m in enumerate(members) if m.get("ma") == member.code)
            entry, spec = members[at], kinds[kind]
            if not self._touches(row, spec):
                continue
            item = {sub: row.cells[col].value for sub, col in spec["truong"].items() if col in row.cells}
            refs = {sub: row.cells[col].ref for sub, col in spec["truong"].items() if col in row.cells}
            target = spec["dich"]
            fresh = at in self._fresh(MEMBERS)
            if spec.get("nhieu"):
                items = entry.setdefault(target, [])
                keys = spec.get("khoa") or [k for k in item if k in ("tu", "ngay")]
                found = next((i for i, old in enumerate(items) if isinstance(old, dict) and all(old.get(k) == item.get(k) for k in keys)), None)
                if found is None:
                    items.append(item)
                    found = len(items) - 1
                    if not fresh:
                        self.change(f"{member.name}: thêm {spec['ten'].lower()} {self._event_text(item)}")
                else:
                    self._update(items[found], item, f"{member.name}, {spec['ten'].lower()} {self._event_text(item)}", fresh, spec)
                base = f"$.{MEMBERS}[{at}].{target}[{found}]"
            else:
                old = entry.get(target)
                if not isinstance(old, dict):
                    entry[target] = item
                    if not fresh:
                        self.change(f"{member.name}: thêm {spec['ten'].lower()} {self._event_text(item)}")
                else:
                    self._update(old, item, f"{member.name}, {spec['ten'].lower()}", fresh, spec)
                base = f"$.{MEMBERS}[{at}].{target}"
            for sub, ref in refs.items():
                self.origin(MANIFEST, f"{base}.{sub}", ref)
            self.origin(MANIFEST, base, row.ref("loai_hoan_canh"))

    def _touches(self, row: Row, spec: dict) -> bool:
        """Whether a circumstance row touches the period: a quarter keeps only those whose dates (the day of a one-day
        circumstance, the span from start to end of another; no end: still going on) meet the quarter. A year keeps all,
        as does a circumstance without dates. A row left out is reported as a change line."""
        period = self.period
        if period is None or period.quarter is None:
            return True
        used = set(spec["truong"].values())
        start = row.value("tu_ngay") if "tu_ngay" in used else None
        end = row.value("den_ngay") if "den_ngay" in used else None
        if start is None and end is None:
            return True
        first = dt.date.fromisoformat(start) if start else period.start
        if "den_ngay" in used:
            last = dt.date.fromisoformat(end) if end else period.end
        else:
            last = first  # a one-day circumstance (a transfer, a discipline decision)
        if first <= period.end and last >= period.start:
            return True
        member = row.value("thanh_vien")
        dates = " – ".join(vn_date(d) for d in (start, end) if d)
        self.dropped.append(f"Bỏ qua {spec['ten'].lower()} của {member.name if isinstance(member, Ref) else '?'} ({dates}, "
                            f"{row.ref('loai_hoan_canh')}): ngoài {period.label_vi}.")
        return False

    def _update(self, old: dict, new: dict, who: str, fresh: bool, spec: dict) -> None:
        for key, value in new.items():
            if old.get(key) != value:
                if old.get(key) is not None and not fresh:
                    # The column the field is read from names it ("nội dung" for ky_luat[].noi_dung).
                    column = spec.get("truong", {}).get(key)
                    label = table().sheet(EVENTS).column(column).label if column else key
                    self.change(f"{who}: {label} {_text(old.get(key))} → {_text(value)}")
                old[key] = value

    @staticmethod
    def _event_text(item: dict) -> str:
        parts = []
        for key, word in (("tu", "từ"), ("ngay", "ngày"), ("den", "đến")):
            value = item.get(key)
            if isinstance(value, str):
                parts.append(f"{word} {_text(value)}")
        for key in ("noi", "noi_vi_pham"):
            if isinstance(item.get(key), str):
                parts.append(f"tại {show(item[key], 40)}")
        return " ".join(parts)

    def _meetings(self) -> None:
        orgs = self.manifest[ORGS]
        sessions: dict[int, list[Row]] = {}
        for row in self.roster.of(MEETINGS):
            org = row.value("to_chuc_hop")
            if isinstance(org, Ref):
                at = self.org_at[org.row] if org.row is not None else next(i for i, o in enumerate(orgs) if o.get("ma") == org.code)
                sessions.setdefault(at, []).append(row)
        for at, rows in sessions.items():
            entry = orgs[at]
            old = copy.deepcopy(entry.get("hop"))
            hop: dict[str, Any] = dict(entry.get("hop") or {})
            sent = next((r for r in rows if "ngay_gui_du_thao" in r.cells), None)
            if sent is not None:
                hop["ngay_gui_du_thao"] = sent.value("ngay_gui_du_thao")
                self.origin(MANIFEST, f"$.{ORGS}[{at}].hop.ngay_gui_du_thao", sent.ref("ngay_gui_du_thao"))
            timed = sorted((r for r in rows if r.value("bat_dau") and r.value("ket_thuc")), key=lambda r: r.value("bat_dau"))
            if timed:
                hop["buoi"] = [{"bat_dau": r.value("bat_dau"), "ket_thuc": r.value("ket_thuc")} for r in timed]
                for k, r in enumerate(timed):
                    self.origin(MANIFEST, f"$.{ORGS}[{at}].hop.buoi[{k}].bat_dau", r.ref("bat_dau"))
                    self.origin(MANIFEST, f"$.{ORGS}[{at}].hop.buoi[{k}].ket_thuc", r.ref("ket_thuc"))
            if hop != old:
                entry["hop"] = hop
                if old and at not in self._fresh(ORGS):
                    self.change(f"{entry.get('ten')}: cập nhật hội nghị kiểm điểm (ngày gửi dự thảo, các buổi họp)")

    def _missing(self) -> None:
        """Members (and organisations, when the roster lists them) of the unit that the roster no longer has: kept."""
        if self.new:
            return
        shown = str(self.unit_dir / MANIFEST)
        matched = set(self.member_at.values())
        for i, m in enumerate(self.manifest[MEMBERS]):
            if i not in matched and i < len(self.existing.data.get(MEMBERS, [])):
                self.findings.append(Finding(RULE, "warning", shown, f"$.{MEMBERS}[{i}]",
                                             f"{m.get('ho_ten')} không còn trong danh sách {self.roster.shown}: vẫn giữ trong đơn vị. Nếu đồng chí "
                                             "đã chuyển đi, ghi ở trang Hoàn cảnh (chuyển sinh hoạt đi) hoặc bỏ khỏi don_vi.yaml.", BASIS))
        if ORGS in self.roster.sheets_found:
            matched = set(self.org_at.values())
            for i, o in enumerate(self.manifest[ORGS]):
                if i not in matched and i < len(self.existing.data.get(ORGS, [])):
                    self.findings.append(Finding(RULE, "warning", shown, f"$.{ORGS}[{i}]",
                                                 f"Tổ chức {o.get('ten')} không còn trong danh sách {self.roster.shown}: vẫn giữ trong đơn vị.", BASIS))

    # -- forms ----------------------------------------------------------------------------------------------------------------
    def _org_entry(self, code: str) -> dict | None:
        return next((o for o in self.manifest[ORGS] if o.get("ma") == code), None)

    def _header(self, org: dict | None) -> dict:
        """The two header lines of a document the organisation issues: the body above it and its committee."""
        if org is None:
            return {}
        kind = org_kinds().get(org.get("loai")) or {}
        parent = self._org_entry(org.get("thuoc")) if org.get("thuoc") else None
        upper = parent.get("ten") if parent else (self.manifest.get("don_vi", {}).get("cap_tren") or {}).get("ten")
        header = {"cap_tren": upper} if upper else {}
        header["ten"] = committee_name(org.get("ten", ""), kind)
        return header

    def _identity(self, form: dict, row: Row, entry: FormEntry, file: str, who: str, fresh: bool,
                  defaults: dict[str, tuple[Any, str]]) -> None:
        """Write the row's form columns (and the given defaults: path → (value, cell)) into a form, noting changes."""
        values: dict[str, tuple[Any, str, Column | None]] = {}
        for key, cell in row.cells.items():
            column = table().sheet(row.sheet).column(key)
            if column.form_field and column.key not in ("lanh_dao", "nhom_doi_tuong"):
                path = form_path(self.rs, entry, column.form_field)
                if path:
                    values[path] = (self._value(column, cell, for_form=True), cell.ref, column)
        for path, (value, ref) in defaults.items():
            values.setdefault(path, (value, ref, None))
        for path, (value, ref, column) in values.items():
            old = _get(form, path)
            limit = _max_length(entry, path)
            if isinstance(value, str) and limit is not None and len(value) > limit:
                self.findings.append(Finding(RULE, "error", str(self.unit_dir / file), f"$.{path}",
                                             f"{ref}: «{show(value, 40)}» dài {len(value)} ký tự, biểu mẫu chỉ nhận tối đa {limit} ký tự ở chỗ này.",
                                             BASIS, origin=self.roster.origin(ref)))
                continue
            if column is None and isinstance(old, str) and same_name(old, value):
                pass  # a header written in capitals ("CHI BỘ THÔN ĐÔNG") names the same body
            elif old != value:
                if not fresh and column is not None:
                    self.change(f"{who}: {column.label} {display(column, old, self.rs)} → {display(column, value, self.rs)} ({file})"
                                if old is not None else f"{who}: thêm {column.label} {display(column, value, self.rs)} ({file})")
                _put(form, path, value)
            self.origin(file, f"$.{path}", ref)

    def _member_forms(self) -> None:
        members = self.manifest[MEMBERS]
        for row in self.roster.of(MEMBERS):
            at = self.member_at[row.index]
            entry = members[at]
            name = entry.get(MEMBER_FORM_KEY)
            role = self.roster.roles.get(row.index)
            fresh = row.index in self.new_members
            if not needs_form(row) and not (isinstance(name, str) and self.existing and self.existing.form(name).data is not None):
                continue
            if role is None or not own_form_in_period(self.rs, MEMBERS, MEMBER_FORM_KEY):
                continue
            form_entry = entry_for(self.rs, MEMBER_FORM_KEY, role)
            if form_entry is None:
                continue
            self.member_labels.add(form_entry.label or form_entry.name)
            file = name if isinstance(name, str) and name else f"{MEMBER_DIR}/{self.member_code[row.index]}.yaml"
            if not name:
                entry[MEMBER_FORM_KEY] = file
                members[at] = _reordered(entry, _unit_order(MEMBERS)) if fresh else entry
            self.origin(MANIFEST, f"$.{MEMBERS}[{at}].{MEMBER_FORM_KEY}", row.ref("ho_ten"))
            org = self._org_entry(entry.get("chi_bo"))
            defaults = {}
            header_path = "don_vi" if "don_vi" in _root_names(form_entry) else None
            org_row = next((r for r in self.roster.of(ORGS) if self.org_code.get(r.index) == (org or {}).get("ma")), None)
            if header_path and org is not None:
                ref = org_row.ref("ten_to_chuc") if org_row else row.ref("chi_bo")
                for key, value in self._header(org).items():
                    defaults[f"{header_path}.{key}"] = (value, ref)
            role_ref = ", ".join(self.roster.role_cells.get(row.index, []))
            self._form(file, form_entry, row, f"{entry.get('ho_ten')}", fresh, defaults, role_ref,
                       civil=bool(row.value("cbccvc")), role=role, role_given=self.roster.role_given.get(row.index, False),
                       code=self.member_code[row.index])

    def _org_forms(self) -> None:
        orgs = self.manifest[ORGS]
        if not own_form_in_period(self.rs, ORGS, ORG_FORM_KEY):
            self.no_org_form = bool(self.roster.of(ORGS))
            return
        form_entry = entry_for(self.rs, ORG_FORM_KEY, None)
        if form_entry is None:
            return
        for row in self.roster.of(ORGS):
            at = self.org_at[row.index]
            entry = orgs[at]
            fresh = row.index in self.new_orgs
            name = entry.get(ORG_FORM_KEY)
            file = name if isinstance(name, str) and name else f"{ORG_DIR}/{self.org_code[row.index]}.yaml"
            if not name:
                entry[ORG_FORM_KEY] = file
                orgs[at] = _reordered(entry, _unit_order(ORGS)) if fresh else entry
            self.origin(MANIFEST, f"$.{ORGS}[{at}].{ORG_FORM_KEY}", row.ref("ten_to_chuc"))
            defaults = {}
            if "don_vi" in _root_names(form_entry):
                for key, value in self._header(orgs[at]).items():
                    defaults[f"don_vi.{key}"] = (value, row.ref("ten_to_chuc"))
            team = form_path(self.rs, form_entry, "tap_the.ten")
            if team and "ten_tap_the" not in row.cells:
                defaults[team] = (entry.get("ten"), row.ref("ten_to_chuc"))
            self._form(file, form_entry, row, entry.get("ten", ""), fresh, defaults, "", civil=False, role=None)

    def _form(self, file: str, form_entry: FormEntry, row: Row, who: str, fresh: bool, defaults: dict,
              role_ref: str, civil: bool, role: str | None, role_given: bool = False, code: str | None = None) -> None:
        existing = self.existing.form(file) if self.existing else None
        if existing is not None and existing.text is not None and existing.data is None:
            self.findings.append(Finding(RULE, "warning", str(self.unit_dir / file), "$",
                                         f"Không đọc được {file} ({existing.problem}): không cập nhật thông tin của {who} vào tệp này.",
                                         BASIS, origin=self.roster.origin(row.ref())))
            return
        if existing is not None and existing.data is not None and existing.data.get("bieu_mau") != form_entry.kind:
            self.findings.append(Finding(RULE, "info", str(self.unit_dir / file), "$.bieu_mau",
                                         f"{file} không phải {form_entry.name.lower()} ({form_entry.label}): không cập nhật thông tin "
                                         f"của {who} vào tệp này.", BASIS))
            return
        if existing is not None and existing.data is not None:
            form = copy.deepcopy(existing.data)
            header = existing.header
            created = False
        else:
            form = {"bieu_mau": form_entry.kind}
            form["ky_danh_gia"] = self.period.to_data()
            if code and MEMBERS in _root_names(form_entry):
                form[MEMBERS] = code  # a form that names its member by code (Mẫu 05): the header follows the member's chi bộ
                self.origin(file, f"$.{MEMBERS}", row.ref("ho_ten"))
            if self.roster.explicit_ruleset:
                form["bo_quy_tac"] = self.rs.key
            header = None
            created = True
        self._identity(form, row, form_entry, file, who, created, defaults)
        changed_role = False
        # The role a form records: its registry entry's (one form per role), else the member's when the form has a
        # place for it (one form for every role, as Mẫu 05 of a quarter).
        form_role = form_entry.role or (role if role and form_path(self.rs, form_entry, "vai_tro") == "vai_tro" else None)
        if form_role:
            old_role = form.get("vai_tro")
            if old_role != form_role and (created or role_given):
                if not created:
                    self.change(f"{who}: nhóm đối tượng «{self.rs.roles.get(old_role, {}).get('ten', old_role)}» → "
                                f"«{self.rs.roles.get(role, {}).get('ten', role)}» ({file})")
                    changed_role = form_entry.role is not None
                form["vai_tro"] = form_role
            if created or role_given:
                self.origin(file, "$.vai_tro", role_ref)
        civil_path = form_path(self.rs, form_entry, "la_cbccvc")
        if created and civil_path and _get(form, civil_path) is None:
            _put(form, civil_path, civil)
            self.origin(file, f"$.{civil_path}", row.ref("cbccvc"))  # the cell to fill, when it was left empty
        if created or changed_role:
            # A new form gets every section; a form whose role changed gets the new role's sections and loses the empty
            # ones the new role's schema forbids (a section with text stays: the schema check shows it to the clerk).
            sections = dict(narrative(form_entry, bool(_get(form, civil_path)) if civil_path else False))
            for judged in JUDGED_BY_OTHERS:  # the superior's block (Mẫu 05, phần III) is theirs to write, not the member's
                path = form_path(self.rs, form_entry, judged)
                if path and "." in path:
                    sections.pop(path.split(".")[0], None)
            _merge_missing(form, sections)
            if changed_role:
                _prune(copy.deepcopy(form), form, form_entry)
        if created:
            form = _in_schema_order(form, root(form_entry.schema_id))
            self.created_forms.append(file)
            if not fresh:
                self.change(f"{who}: tạo {file} (chưa có)")
        if created or existing is None or form != existing.data:
            self.forms[file] = form
            self.form_headers[file] = header if header is not None else self._form_header(form_entry, who, file)

    def _form_header(self, entry: FormEntry, who: str, file: str) -> list[str]:
        rs = self.rs
        level = rs.fields(entry.key).get("muc_tu_nhan")
        level = level[0] if isinstance(level, list) else level
        what = f"{entry.name} ({entry.label})" if entry.label else entry.name
        lines = [f"{who}: {what}, {self.period.label_vi}.",
                 f"Lập bằng hoso init từ danh sách {self.roster.shown}: thông tin cá nhân, đơn vị đã điền sẵn; muốn sửa thì sửa",
                 "trong danh sách rồi chạy lại hoso init (nội dung đã viết ở đây được giữ nguyên).",
                 "Mỗi mục «[]» là phần tự viết: mỗi đoạn văn một dòng «- …» (mục không có gì để viết thì xóa dòng đó)."]
        if level:
            lines.append(f"Mức tự xếp loại ghi ở {level} ({', '.join(rs.levels)}); chưa chọn.")
        lines += ["Cách dễ nhất: hoso forms export THƯ_MỤC_ĐƠN_VỊ -o THƯ_MỤC_WORD, điền bằng Word, rồi hoso forms import;",
                  "hoso check THƯ_MỤC_ĐƠN_VỊ liệt kê những mục còn thiếu."]
        return lines

    # -- checks and output --------------------------------------------------------------------------------------------------
    def _check_manifest(self) -> None:
        schema_id = SCHEMA_BASE + "unit.schema.json"
        schema = schema_registry()[schema_id].contents
        shown = str(self.unit_dir / MANIFEST)
        before = set()
        if self.existing:
            before = {(f.json_path, f.message_vi) for f in schema_findings(shown, self.existing.data, schema, schema_id, UNIT_BASIS, "tệp đơn vị")}
        paths = self.origins.get(MANIFEST, {})
        for f in schema_findings(shown, self.manifest, schema, schema_id, UNIT_BASIS, "tệp đơn vị"):
            where = provenance.origin_of(paths, f.json_path)
            if (f.json_path, f.message_vi) in before:
                self.findings.append(Finding(f.rule_id, "warning", f.file, f.json_path, f"(Đã có từ trước) {f.message_vi}", f.legal_basis))
            elif where:
                cell = where.split(", ô ", 1)[-1]
                self.findings.append(Finding(RULE, "error", f.file, f.json_path, f"{cell}: {f.message_vi}", BASIS, origin=where))
            else:
                self.findings.append(Finding(f.rule_id, "error", f.file, f.json_path, f"Lỗi của hoso khi lập don_vi.yaml: {f.message_vi}", f.legal_basis))

    def _summary(self) -> None:
        rs = self.rs
        notes = list(self.dropped)
        if self.no_org_form and (self.new or self.new_orgs):
            notes.append(f"{self.period.title_vi} ({rs.name}): tổ chức đảng không tự đánh giá, hồ sơ tập thể của kỳ không có báo "
                         f"cáo tự đánh giá, nên không tạo báo cáo tập thể ({ORG_DIR}/); tổ chức chỉ có trong don_vi.yaml.")
        if not self.new:
            self.changes += notes
            return
        members = self.roster.of(MEMBERS)
        without = [r for r in members if not needs_form(r)]
        made_members = sum(1 for f in self.created_forms if f.startswith(MEMBER_DIR + '/'))
        made_orgs = sum(1 for f in self.created_forms if f.startswith(ORG_DIR + '/'))
        if self.period.quarter is None:
            made = f"Tạo {made_members} bản kiểm điểm ({MEMBER_DIR}/) và {made_orgs} báo cáo tập thể ({ORG_DIR}/) để trống"
        else:
            labels = ", ".join(sorted(self.member_labels))
            made = (f"Tạo {made_members} bản tự đánh giá của {self.period.label_vi} ({MEMBER_DIR}/{', ' + labels if labels else ''})"
                    + (f" và {made_orgs} báo cáo tập thể ({ORG_DIR}/)" if made_orgs else "") + " để trống")
        lines = [f"Tạo đơn vị {self.manifest['don_vi'].get('ten')} {self.period.label_vi} ({rs.name}): "
                 f"{len(self.roster.of(ORGS))} tổ chức, {len(members)} đảng viên, {len(self.roster.of(EVENTS)) - len(self.dropped)} hoàn "
                 f"cảnh, {len(self.roster.of(MEETINGS))} buổi họp.",
                 f"{made}, đã điền thông tin cá nhân, đơn vị.", *notes]
        if without:
            lines.append(f"Không tạo bản kiểm điểm cho {len(without)} đảng viên chưa kiểm điểm: "
                         + ", ".join(show(r.value("ho_ten"), 40) for r in without[:10]) + ("…" if len(without) > 10 else "") + ".")
        unit = shlex.quote(str(self.unit_dir))
        lines.append(f"Tiếp theo: hoso forms export {unit} -o THƯ_MỤC_WORD để các đồng chí viết bằng Word; "
                     f"hoso check {unit} liệt kê những mục còn thiếu.")
        self.changes = lines + self.changes

    def files(self) -> dict[str, bytes]:
        """Every file to write, by its name in the unit folder (only those that change)."""
        out: dict[str, bytes] = {}
        manifest = _dump(self.manifest, self.existing.header if self.existing else self._manifest_header())
        if self.existing is None or manifest != self.existing.text:
            out[MANIFEST] = manifest
        for name, form in self.forms.items():
            content = _dump(form, self.form_headers.get(name) or [])
            old = self.existing.form(name).text if self.existing else None
            if content != old:
                out[name] = content
        old_origins = provenance.read(self.unit_dir) if self.existing else {}
        # The sections of don_vi.yaml this roster covers are recorded anew (entries may have moved since); a form's record
        # keeps what a Word import wrote there.
        covered = [f"$.{MEMBERS}"] if MEMBERS in self.roster.sheets_found else []
        if ORGS in self.roster.sheets_found:
            covered += [f"$.{ORGS}", "$.don_vi"]
        old_origins = {**old_origins, MANIFEST: {p: o for p, o in old_origins.get(MANIFEST, {}).items()
                                                 if not any(p == c or p.startswith(c + "[") or p.startswith(c + ".") for c in covered)}}
        origins = provenance.merged(old_origins, self.origins)
        content = provenance.content(origins)
        old = _read_bytes(provenance.origins_path(self.unit_dir)) if self.existing else None
        if content != old:
            out[f"{provenance.FOLDER}/{provenance.FILE}"] = content
        return out

    def _manifest_header(self) -> list[str]:
        return [f"{self.manifest['don_vi'].get('ten')}, {self.period.label_vi} ({self.rs.name}): lập bằng hoso init từ danh sách "
                f"{self.roster.shown}.",
                "Tổ chức, đảng viên, hoàn cảnh và hội nghị lấy từ danh sách: sửa danh sách rồi chạy lại hoso init để cập nhật",
                "(những gì ghi thêm ở đây — kiểm phiếu, quyết định, ghi đè… — được giữ nguyên). Nơi nhập từng giá trị: .hoso/nguon.json."]


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return vn_date(value)
    if isinstance(value, bool):
        return table().yes[0] if value else table().no[0]
    return show(value)


def _dump(data: dict, header: list[str]) -> bytes:
    """YAML as hoso writes it (``load.dump_yaml``) under a ``#`` header."""
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return (lines + dump_yaml(data)).encode("utf-8")

