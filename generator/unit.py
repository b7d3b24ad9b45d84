"""A unit for one period: its organisations and members, joined with their forms (spec §3.0).

The manifest (``don_vi.yaml``) holds what forms do not: membership dates, leave, discipline,
transfers, meetings, ballots, complaints, overrides. Levels come from the forms and are
never typed twice.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


from . import registry
from .ballot import LEVELS, ballot_adopted
from .errors import InputError
from .findings import Finding
from .load import load_yaml_file
from .paths import PathOutside, inside
from .validate import ValidForm, check_file, legal_basis

MANIFEST = "don_vi.yaml"


def level_rank(level: str | None) -> int:
    """Higher is better: HTXSNV 3 … KHTNV 0; None is -1."""
    return 3 - LEVELS.index(level) if level in LEVELS else -1


def parse_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass
class Located:
    """A value together with where it was read (file and JSON path)."""

    value: Any
    file: str
    path: str


@dataclass
class Regrade:
    """One re-grading: when, the old and new level (where each is written), and whether reason and decision exist."""

    day: dt.date | None
    old: Located
    new: Located
    where: Located
    has_reason: bool
    has_decision: bool


@dataclass
class Subject:
    """What rules see of a graded subject: its manifest record and its form, either may be absent."""

    unit: "Unit | None"
    index: int
    raw: dict
    form: ValidForm | None
    kind: str  # "thanh_vien" or "to_chuc"
    score_form: ValidForm | None = None

    @property
    def in_unit(self) -> bool:
        return self.unit is not None

    @property
    def ma(self) -> str:
        return self.raw.get("ma", "")

    @property
    def file(self) -> str:
        return self.unit.path if self.unit else (self.form.path if self.form else "")

    def at(self, *keys: str | int) -> Located:
        """The manifest location of a field of this subject (``$.thanh_vien[3].ky_luat[0]``)."""
        path = f"$.{self.kind}[{self.index}]"
        value: Any = self.raw
        for key in keys:
            path += f"[{key}]" if isinstance(key, int) else f".{key}"
            value = value.get(key) if isinstance(value, dict) else (value[key] if isinstance(value, list) and key < len(value) else None)
        return Located(value, self.file, path)

    def documents(self, kind: str) -> list[ValidForm]:
        """The unit's documents of one kind (``bieu_mau``) about this subject."""
        if self.unit is None:
            return []
        key = "thanh_vien" if self.kind == "thanh_vien" else "to_chuc"
        return [d for d in self.unit.documents if d.data.get("bieu_mau") == kind and d.data.get(key) == self.ma]

    def regrades(self) -> list["Regrade"]:
        """Every re-grading of the subject, oldest first: manifest entries and re-grading decisions."""
        found = []
        for i, r in enumerate(self.raw.get("xep_loai_lai") or []):
            found.append(Regrade(parse_date(r["ngay"]), self.at("xep_loai_lai", i, "muc_cu"), self.at("xep_loai_lai", i, "muc_moi"),
                                 self.at("xep_loai_lai", i), bool(r.get("ly_do")), bool(r.get("van_ban"))))
        for doc in self.documents("quyet_dinh_xep_loai_lai"):
            data = doc.data
            found.append(Regrade(parse_date(data.get("ngay_lap")), Located(data["muc_cu"], doc.path, "$.muc_cu"),
                                 Located(data["muc_moi"], doc.path, "$.muc_moi"), Located(None, doc.path, "$"),
                                 bool(data.get("ly_do")), bool((data.get("so_van_ban") or {}).get("ky_hieu"))))
        return sorted(found, key=lambda r: r.day or dt.date.min)

    def form_at(self, dotted: str) -> Located | None:
        """A field of the subject's form by dotted path, or None when there is no form."""
        if self.form is None:
            return None
        value: Any = self.form.data
        for key in dotted.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return Located(value, self.form.path, "$." + dotted)


@dataclass
class Member(Subject):
    """A party member of the unit."""

    @property
    def name(self) -> str:
        if self.raw.get("ho_ten"):
            return self.raw["ho_ten"]
        return (self.form.data.get("ca_nhan") or {}).get("ho_ten", "") if self.form else ""

    @property
    def status(self) -> str:
        return self.raw.get("tinh_trang", "xep_loai")

    @property
    def is_leader(self) -> bool:
        return bool(self.form and self.form.data.get("vai_tro") == "lanh_dao")

    def levels(self) -> list[Located]:
        """Every level of the member's party grading present, from self-proposal to decision."""
        found = []
        for dotted in ("tu_nhan_muc.dang_vien", "danh_gia_chi_uy.muc", "quyet_dinh_dang_uy.muc"):
            loc = self.form_at(dotted)
            if loc is not None and loc.value:
                found.append(loc)
        return found

    def voted(self) -> Located | None:
        """The level the chi bộ's secret ballot adopted for the member (the last tally naming them), by the locality's majority rule."""
        if self.unit is None:
            return None
        setting = self.unit.locality.get("bo_phieu", {})
        found = None
        for i, tally in enumerate(self.unit.data.get("bo_phieu") or []):
            denominator = tally["co_mat"] if setting.get("mau_so") == "co_mat" else tally["hop_le"]
            for j, row in enumerate(tally["ket_qua"]):
                if row["thanh_vien"] == self.ma:
                    level = ballot_adopted({lvl: row.get(lvl, 0) for lvl in LEVELS}, denominator, setting.get("nguong", 0.5))
                    if level:
                        found = Located(level, self.unit.path, f"$.bo_phieu[{i}].ket_qua[{j}]")
        return found

    def level(self) -> Located | None:
        """The effective level, in this precedence (README, "Mức xếp loại"):

        the latest re-grading; the competent body's final level (``muc_cuoi_cung``); the party
        committee's decision (``quyet_dinh_dang_uy.muc``); the chi bộ's ballot; the chi bộ's
        proposal (``danh_gia_chi_uy.muc``); the self-assessed level (``tu_nhan_muc.dang_vien``).
        """
        regrades = self.regrades()
        if regrades:
            return regrades[-1].new
        if (self.raw.get("muc_cuoi_cung") or {}).get("muc"):
            return self.at("muc_cuoi_cung", "muc")
        decided = self.form_at("quyet_dinh_dang_uy.muc")
        if decided is not None and decided.value:
            return decided
        voted = self.voted()
        if voted is not None:
            return voted
        levels = self.levels()
        return levels[-1] if levels else None


    def graded_level(self) -> Located | None:
        """The level as graded by others (re-grading, decision, ballot, proposal): the self-assessment does not count."""
        level = self.level()
        return level if level is not None and level.path != "$.tu_nhan_muc.dang_vien" else None

    def graded_date(self) -> Located | None:
        for dotted in ("quyet_dinh_dang_uy.ngay", "danh_gia_chi_uy.ngay"):
            loc = self.form_at(dotted)
            if loc is not None and loc.value:
                return loc
        return None

    def civil_servant_level(self) -> Located | None:
        for dotted in ("danh_gia_cbccvc.muc", "tu_nhan_muc.cbccvc"):
            loc = self.form_at(dotted)
            if loc is not None and loc.value:
                return loc
        if self.raw.get("muc_cbccvc"):
            return self.at("muc_cbccvc")
        return None

    def evaluation_date(self) -> dt.date:
        """The member's review meeting, else the chi bộ's meeting, else the end of the period (spec §3.0, Q27)."""
        own = parse_date(self.raw.get("ngay_kiem_diem"))
        if own:
            return own
        if self.unit:
            org = self.unit.org(self.raw.get("chi_bo"))
            if org and org.meeting_date():
                return org.meeting_date()
            return self.unit.period_end
        year = self.form.data["ky_danh_gia"]["nam"] if self.form else dt.date.today().year
        return dt.date(year, 12, 31)


@dataclass
class Org(Subject):
    """A party organisation or leadership collective of the unit."""

    @property
    def name(self) -> str:
        return self.raw.get("ten", "")

    def level(self) -> Located | None:
        regrades = self.regrades()
        if regrades:
            return regrades[-1].new
        if (self.raw.get("quyet_dinh") or {}).get("muc"):
            return self.at("quyet_dinh", "muc")
        loc = self.form_at("tu_danh_gia.tu_nhan_muc")
        return loc if loc and loc.value else None

    def graded_level(self) -> Located | None:
        """The level as graded by others (re-grading, decision): the self-assessment in Mẫu 01 does not count."""
        level = self.level()
        return level if level is not None and level.path != "$.tu_danh_gia.tu_nhan_muc" else None

    def sittings(self) -> Located | None:
        """The review meeting's sittings: from its minutes when the unit has them, else from the manifest."""
        for doc in self.documents("bien_ban_hoi_nghi"):
            if doc.data.get("buoi"):
                return Located(doc.data["buoi"], doc.path, "$.buoi")
        if (self.raw.get("hop") or {}).get("buoi"):
            return self.at("hop", "buoi")
        return None

    def meeting_date(self) -> dt.date | None:
        sittings = self.sittings()
        return dt.date.fromisoformat(sittings.value[0]["bat_dau"][:10]) if sittings else None

    def decided_date(self) -> dt.date | None:
        return parse_date((self.raw.get("quyet_dinh") or {}).get("ngay"))


@dataclass
class Unit:
    """One unit and period: organisations, members, their forms, settings."""

    path: str
    folder: Path
    data: dict
    locality: dict
    ruleset: str
    orgs: list[Org] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    documents: list[ValidForm] = field(default_factory=list)
    attachments: dict[str, Path] = field(default_factory=dict)
    """Attached files by the name the manifest gives, each checked to lie inside the unit folder."""

    @cached_property
    def facts(self) -> dict:
        """The unit's computed facts (``so_lieu`` of the templates)."""
        from .facts import unit_facts

        return unit_facts(self)

    def forms(self) -> list[ValidForm]:
        """Every valid form of the unit: reports, self-reviews, scoring sheets, other documents."""
        found = [f for s in [*self.orgs, *self.members] for f in (s.form, s.score_form) if f is not None]
        return found + self.documents

    @cached_property
    def period_end(self) -> dt.date:
        period = self.data["ky_danh_gia"]
        if period.get("quy"):
            month = period["quy"] * 3
            next_month = dt.date(period["nam"] + (month == 12), month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date(period["nam"], 12, 31)

    @property
    def year(self) -> int:
        return self.data["ky_danh_gia"]["nam"]

    def output_name(self, form: ValidForm) -> str:
        """Where a form's documents go in an output folder: its path in the unit, without suffix
        (a form from an allowed shared folder keeps its path below that folder)."""
        rel = Path(os.path.relpath(os.path.abspath(form.path), os.path.abspath(self.folder))).with_suffix("")
        return "/".join(p for p in rel.parts if p != "..")

    def attachment(self, name: str) -> Path | None:
        """The checked path of an attached file, or None when it was refused (a finding says why)."""
        return self.attachments.get(name)

    def org(self, ma: str | None) -> Org | None:
        return next((o for o in self.orgs if o.ma == ma), None)

    def member(self, ma: str | None) -> Member | None:
        return next((m for m in self.members if m.ma == ma), None)


def find_manifest(target: Path) -> Path:
    """The manifest of a unit given as a folder or as the manifest file itself."""
    return target / MANIFEST if target.is_dir() else target


def load_unit(target: Path, locality_file: Path | None = None, shared: tuple[Path, ...] = ()) -> tuple[list[Finding], Unit | None]:
    """Load and schema-check a unit manifest and every form it names.

    Every file the manifest names must lie inside the unit folder, or inside one of the ``shared``
    folders the person running hoso allowed (``--thu-muc-chung``); links are not followed.

    Returns the findings (SCHEMA) and the unit, or None when the manifest itself is unusable.
    """
    from .locality import LocalityError, load_locality

    manifest = find_manifest(target)
    shown = str(manifest)
    try:
        data = load_yaml_file(manifest, shown)
    except InputError as exc:
        from .load import problems_of

        return [Finding("SCHEMA", "error", shown, p.json_path, p.message, "Tệp đơn vị (don_vi.yaml)") for p in problems_of(exc)], None
    basis = "Lược đồ tệp đơn vị (schemas/unit.schema.json)"
    schema_id = registry.SCHEMA_BASE + "unit.schema.json"
    schema = registry.schema_registry()[schema_id].contents
    if not isinstance(data, dict):
        return [Finding("SCHEMA", "error", shown, "$", "Tệp đơn vị phải là một bảng khóa: giá trị.", basis)], None
    from .validate import schema_findings  # one translator of schema errors for forms, units and localities

    findings = schema_findings(shown, data, schema, schema_id, basis, "tệp đơn vị")
    if findings:
        return findings, None
    folder = manifest.parent
    if locality_file is None and data.get("dia_phuong"):
        try:
            locality_file = inside(folder, data["dia_phuong"], shared)
        except PathOutside as exc:
            return [Finding("SCHEMA", "error", shown, "$.dia_phuong", f"Không đọc tệp thiết lập địa phương: {exc.reason}.", basis)], None
    try:
        locality = load_locality(locality_file)
    except LocalityError as exc:
        return findings + exc.findings, None
    ruleset = data.get("bo_quy_tac") or registry.default_ruleset(data["ky_danh_gia"]["nam"], data["ky_danh_gia"].get("quy"))
    unit = Unit(shown, folder, data, locality, ruleset)

    def form(kind: str, index: int | None, key: str, raw: dict, expected_kind: str | None) -> ValidForm | None:
        rel = raw.get(key) if index is not None else key
        if not rel:
            return None
        loc = f"$.{kind}[{index}].{key}" if index is not None else f"$.{kind}"
        try:
            path = inside(folder, rel, shared)
        except PathOutside as exc:
            findings.append(Finding("SCHEMA", "error", shown, loc, f"Không đọc tệp: {exc.reason}.", basis))
            return None
        if not path.is_file():
            findings.append(Finding("SCHEMA", "error", shown, loc, f"Không tìm thấy tệp '{rel}' (đường dẫn tính từ thư mục của {MANIFEST}).", basis))
            return None
        found, valid = check_file(path)
        findings.extend(found)
        if valid is None:
            return None
        if expected_kind == "bieu_cham_diem" and index is not None and valid.data.get("doi_tuong") != raw.get("ma"):
            findings.append(Finding("SCHEMA", "error", valid.path, "$.doi_tuong", f"Biểu chấm điểm này của '{valid.data.get('doi_tuong')}', nhưng {MANIFEST} gắn nó cho '{raw.get('ma')}'.", basis))
            return None
        if expected_kind and valid.data["bieu_mau"] != expected_kind:
            findings.append(Finding("SCHEMA", "error", shown, loc, f"Tệp '{rel}' là biểu mẫu '{valid.data['bieu_mau']}', không phải '{expected_kind}'.", basis))
            return None
        if valid.data["ky_danh_gia"] != data["ky_danh_gia"]:
            findings.append(Finding("SCHEMA", "error", valid.path, "$.ky_danh_gia", "Kỳ đánh giá của biểu mẫu khác kỳ đánh giá của đơn vị.", legal_basis(valid.binding)))
        if valid.binding.ruleset.key != ruleset:
            findings.append(Finding("SCHEMA", "error", valid.path, "$.bo_quy_tac", f"Biểu mẫu theo bộ quy tắc {valid.binding.ruleset.key}, đơn vị theo {ruleset}: mọi hồ sơ của một đợt phải cùng bộ quy tắc.", legal_basis(valid.binding)))
        return valid

    seen: set[str] = set()
    for i, raw in enumerate(data["to_chuc"]):
        if raw["ma"] in seen:
            findings.append(Finding("SCHEMA", "error", shown, f"$.to_chuc[{i}].ma", f"Mã '{raw['ma']}' bị trùng.", basis))
        seen.add(raw["ma"])
        unit.orgs.append(Org(unit, i, raw, form("to_chuc", i, "bao_cao", raw, "bao_cao_tap_the"), "to_chuc",
                             form("to_chuc", i, "bieu_diem", raw, "bieu_cham_diem")))
    for i, raw in enumerate(data["thanh_vien"]):
        if raw["ma"] in seen:
            findings.append(Finding("SCHEMA", "error", shown, f"$.thanh_vien[{i}].ma", f"Mã '{raw['ma']}' bị trùng.", basis))
        seen.add(raw["ma"])
        member = Member(unit, i, raw, form("thanh_vien", i, "ban_kiem_diem", raw, "kiem_diem_ca_nhan"), "thanh_vien",
                        form("thanh_vien", i, "bieu_diem", raw, "bieu_cham_diem"))
        if member.form and member.form.data["ca_nhan"]["ho_ten"] != raw["ho_ten"]:
            findings.append(Finding("SCHEMA", "error", member.form.path, "$.ca_nhan.ho_ten", f"Họ tên trong bản kiểm điểm khác họ tên trong {MANIFEST} ('{raw['ho_ten']}').", basis))
        unit.members.append(member)
    for j, rel in enumerate(data.get("van_ban") or []):
        try:
            named = inside(folder, rel, shared)
        except PathOutside as exc:
            findings.append(Finding("SCHEMA", "error", shown, f"$.van_ban[{j}]", f"Không đọc: {exc.reason}.", basis))
            continue
        # A folder stands for every YAML/JSON file in it, in name order.
        paths = sorted(p for p in named.iterdir() if p.suffix in (".yaml", ".yml", ".json")) if named.is_dir() else [named]
        for path in paths:
            doc = form(f"van_ban[{j}]", None, path.relative_to(folder).as_posix(), {}, None)
            if doc is None:
                continue
            unit.documents.append(doc)
            for where, ref in _codes(doc.data, "$"):
                if ref not in seen:
                    findings.append(Finding("SCHEMA", "error", doc.path, where, f"Không có đảng viên hay tổ chức mã '{ref}' trong {MANIFEST}.", basis))
    for i, entry in enumerate(data.get("khen_thuong") or []):
        if entry["doi_tuong"] not in seen:
            findings.append(Finding("SCHEMA", "error", shown, f"$.khen_thuong[{i}].doi_tuong", f"Không có đảng viên hay tổ chức mã '{entry['doi_tuong']}' trong đơn vị.", basis))
    for where, rel in _attachment_names(data):
        try:
            path = inside(folder, rel, shared)
        except PathOutside as exc:
            findings.append(Finding("SCHEMA", "error", shown, where, f"Tệp đính kèm không được dùng: {exc.reason}. Tệp đính kèm phải nằm trong thư mục đơn vị.", basis))
            continue
        if not path.is_file():
            findings.append(Finding("SCHEMA", "error", shown, where, f"Không tìm thấy tệp đính kèm '{rel}' (đường dẫn tính từ thư mục của {MANIFEST}).", basis))
            continue
        unit.attachments[rel] = path
    for i, raw in enumerate(data["thanh_vien"]):
        if unit.org(raw["chi_bo"]) is None:
            findings.append(Finding("SCHEMA", "error", shown, f"$.thanh_vien[{i}].chi_bo", f"Không có tổ chức mã '{raw['chi_bo']}' trong danh sách to_chuc.", basis))
    for i, raw in enumerate(data["to_chuc"]):
        for key in ("thuoc", "nguoi_dung_dau"):
            ref = raw.get(key)
            if ref and ref not in seen:
                findings.append(Finding("SCHEMA", "error", shown, f"$.to_chuc[{i}].{key}", f"Không có mã '{ref}' trong đơn vị.", basis))
    findings += cross_checks(unit, basis)
    return findings, unit


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def cross_checks(unit: Unit, basis: str) -> list[Finding]:
    """What two documents of the unit say about the same fact must agree: the meeting's dates in the
    minutes and in the manifest; the signer of a Mẫu 01 and the organisation's head; the chi bộ a
    self-review names and the member's chi bộ."""
    # The facts know each document's issuing organisation (unit → facts is the one upward step left; issue 10 re-layers it).
    from .facts import issuer_mismatches, place_mismatches

    found = [Finding("SCHEMA", "warning", m.file, m.json_path, m.message_vi, basis) for m in [*issuer_mismatches(unit), *place_mismatches(unit)]]
    for o in unit.orgs:
        planned = [b["bat_dau"][:10] for b in (o.raw.get("hop") or {}).get("buoi") or []]
        for doc in o.documents("bien_ban_hoi_nghi"):
            held = [b["bat_dau"][:10] for b in doc.data.get("buoi") or []]
            if planned and held and sorted(set(planned)) != sorted(set(held)):
                found.append(Finding("SCHEMA", "error", doc.path, "$.buoi[0].bat_dau",
                                     f"Biên bản ghi hội nghị của {o.name} họp ngày {', '.join(_vn_date(d) for d in sorted(set(held)))}, "
                                     f"nhưng {MANIFEST} ghi ngày {', '.join(_vn_date(d) for d in sorted(set(planned)))} (to_chuc[{o.index}].hop.buoi).", basis))
        head = unit.member(o.raw.get("nguoi_dung_dau"))
        signer = ((o.form.data.get("chu_ky") or {}).get("ho_ten") if o.form else None) or ""
        if head is not None and signer and not _same_name(signer, head.name):
            found.append(Finding("SCHEMA", "warning", o.form.path, "$.chu_ky.ho_ten",
                                 f"Báo cáo kiểm điểm của {o.name} do {signer} ký, nhưng người đứng đầu ghi trong {MANIFEST} là {head.name}. "
                                 "Nếu người khác ký thay thì ghi đúng thẩm quyền (quyen_han), nếu không thì sửa cho khớp.", basis))
    for m in unit.members:
        org = unit.org(m.raw.get("chi_bo"))
        if m.form is None or org is None:
            continue
        for dotted, what in (("don_vi.ten", "phần đầu bản kiểm điểm"), ("ca_nhan.chi_bo", "mục chi bộ của bản kiểm điểm")):
            named = m.form_at(dotted)
            if named is not None and isinstance(named.value, str) and named.value and not _same_name(named.value, org.name):
                found.append(Finding("SCHEMA", "error", named.file, named.path,
                                     f"{what.capitalize()} của {m.name} ghi '{named.value}', nhưng {MANIFEST} xếp đồng chí vào {org.name}.", basis))
    return found


def _vn_date(iso: str) -> str:
    day = parse_date(iso)
    return f"{day:%d/%m/%Y}" if day else iso


CODE_KEYS = ("to_chuc", "thanh_vien", "danh_sach")


def _attachment_names(data: dict):
    """(JSON path, file name) of every attachment the manifest names: organisations, members, commendations."""
    for kind in ("to_chuc", "thanh_vien", "khen_thuong"):
        for i, raw in enumerate(data.get(kind) or []):
            for j, att in enumerate(raw.get("dinh_kem") or []):
                yield f"$.{kind}[{i}].dinh_kem[{j}].tep", att["tep"]


def _codes(value: Any, path: str):
    """Every subject code a document names, at any depth: ``to_chuc``, ``thanh_vien``, ``danh_sach``."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}"
            if key in CODE_KEYS and isinstance(item, str):
                yield here, item
            elif key in CODE_KEYS and isinstance(item, list) and all(isinstance(x, str) for x in item):
                yield from ((f"{here}[{i}]", x) for i, x in enumerate(item))
            else:
                yield from _codes(item, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _codes(item, f"{path}[{i}]")


def standalone_subjects(forms: list[ValidForm]) -> tuple[list[Member], list[Org]]:
    """Subjects for plain form files checked without a unit (form-level rules only)."""
    members, orgs = [], []
    for i, form in enumerate(forms):
        if form.data["bieu_mau"] == "kiem_diem_ca_nhan":
            members.append(Member(None, i, {}, form, "thanh_vien"))
        else:
            orgs.append(Org(None, i, {}, form, "to_chuc"))
    return members, orgs
