"""Stage 1, load a unit: a source reads its input into one ``UnitInput``; ``build_unit`` checks it and builds the model.

Every source (a folder today; in-memory data from a web or Excel intake next) yields the same plain
``UnitInput``: the manifest and every file it names, each already read or with the reason it could
not be. So every source gets the same findings, with the same messages and JSON paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import registry
from . import ruleset as rulesets
from .errors import ConfigError, InputError
from .facts import issuer_mismatches, place_mismatches, unit_facts
from .findings import Finding
from .load import Problem, clean, load_form, load_yaml_file, problems_of
from .paths import PathOutside, inside
from .period import Period
from .settings import LocalityError, load_settings
from .unit import Member, Org, Unit, field_of, parse_date, value_of
from .validate import RULE, ValidForm, check_data, legal_basis, schema_findings

MANIFEST = "don_vi.yaml"
BASIS = "Lược đồ tệp đơn vị (schemas/unit.schema.json)"
MANIFEST_BASIS = "Tệp đơn vị (don_vi.yaml)"
CODE_KEYS = ("to_chuc", "thanh_vien", "danh_sach")
"""Keys under which a document names subjects of its unit, at any depth."""
FORM_KEYS = {"to_chuc": ("bao_cao", "bieu_diem"), "thanh_vien": ("ban_kiem_diem", "bieu_diem")}
"""Keys of a manifest subject that name its own forms; each is also the slot (``vi_tri``) whose form kind it holds."""
FORM_SUFFIXES = (".yaml", ".yml", ".json")


# -- what a source yields -----------------------------------------------------------------------
@dataclass
class Named:
    """What a source found under one name the manifest gives: a form file, a folder of documents, an attached
    file or the locality file."""

    path: Path | None = None
    """Where it is; ``str(path)`` names a form in its findings. None when the name was refused."""
    refused: str = ""
    """Why the name may not be used (outside the unit folder, through a link, ...), in Vietnamese."""
    exists: bool = False
    """A file (for a ``van_ban`` entry: a file or a folder) is there."""
    data: Any = None
    """A form's data as read (None when not read)."""
    problems: tuple[Problem, ...] = ()
    """Why a form file could not be read, each at a JSON path of that file."""
    files: tuple[str, ...] = ()
    """For a folder named in ``van_ban``: the names (in ``UnitInput.forms``) of its form files, in name order."""


@dataclass
class UnitInput:
    """A unit as a source read it, before any check: plain data, the same for every source."""

    shown: str
    """How findings name the manifest."""
    folder: Path
    """The unit folder: names in the manifest are relative to it, and so are output names."""
    manifest: Any = None
    """The manifest's data; None when it could not be read (``problems`` says why)."""
    problems: tuple[Problem, ...] = ()
    forms: dict[str, Named] = field(default_factory=dict)
    """Every form file the manifest names (its subjects' forms, its documents and the files of its document folders)."""
    documents: dict[str, Named] = field(default_factory=dict)
    """Every ``van_ban`` entry: a form file or a folder of them."""
    attachments: dict[str, Named] = field(default_factory=dict)
    locality: Named | None = None
    """The locality file the manifest names (``dia_phuong``), when it names one."""


def form_names(data: Any) -> Iterator[str]:
    """Every name of a subject's own form in a manifest (``to_chuc[].bao_cao``, ``thanh_vien[].ban_kiem_diem``, ...),
    tolerating a manifest that breaks its schema (the schema check reports it)."""
    for kind, keys in FORM_KEYS.items():
        for raw in _list(data, kind):
            for key in keys:
                if isinstance(raw, dict) and isinstance(raw.get(key), str) and raw[key]:
                    yield raw[key]


def attachment_names(data: Any) -> Iterator[tuple[str, str]]:
    """(JSON path, file name) of every attachment the manifest names: organisations, members, commendations."""
    for kind in ("to_chuc", "thanh_vien", "khen_thuong"):
        for i, raw in enumerate(_list(data, kind)):
            for j, att in enumerate(_list(raw, "dinh_kem")):
                if isinstance(att, dict) and isinstance(att.get("tep"), str):
                    yield f"$.{kind}[{i}].dinh_kem[{j}].tep", att["tep"]


def _list(data: Any, key: str) -> list:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _names(data: Any, key: str) -> list[str]:
    return [name for name in _list(data, key) if isinstance(name, str)]


# -- sources ------------------------------------------------------------------------------------
def find_manifest(target: Path) -> Path:
    """The manifest of a unit given as a folder or as the manifest file itself."""
    return target / MANIFEST if target.is_dir() else target


class FolderSource:
    """A unit on disk: ``don_vi.yaml`` and the files it names inside the unit folder, or inside one of the
    ``shared`` folders the person running hoso allowed (``--thu-muc-chung``); links are not followed."""

    def __init__(self, target: Path, shared: tuple[Path, ...] = ()):
        self.manifest = find_manifest(target)
        self.folder = self.manifest.parent
        self.shared = shared

    def read(self) -> UnitInput:
        shown = str(self.manifest)
        try:
            data = load_yaml_file(self.manifest, shown)
        except InputError as exc:
            return UnitInput(shown, self.folder, problems=tuple(problems_of(exc)))
        found = UnitInput(shown, self.folder, data)
        for name in form_names(data):
            self._form(found, name)
        for name in _names(data, "van_ban"):
            if name not in found.documents:
                found.documents[name] = self._document_entry(found, name)
        for _, name in attachment_names(data):
            if name not in found.attachments:
                found.attachments[name] = self._file(name)
        named = data.get("dia_phuong") if isinstance(data, dict) else None
        if isinstance(named, str) and named:
            found.locality = self._file(named)
        return found

    def _resolve(self, name: str) -> Named:
        try:
            return Named(inside(self.folder, name, self.shared))
        except PathOutside as exc:
            return Named(refused=exc.reason)

    def _file(self, name: str) -> Named:
        named = self._resolve(name)
        named.exists = named.path is not None and named.path.is_file()
        return named

    def _form(self, found: UnitInput, name: str) -> None:
        if name in found.forms:
            return
        named = found.forms[name] = self._file(name)
        if named.exists:
            try:
                named.data = load_form(named.path).data
            except InputError as exc:
                named.problems = tuple(problems_of(exc))

    def _document_entry(self, found: UnitInput, name: str) -> Named:
        """A ``van_ban`` entry: a form file, or a folder that stands for every YAML/JSON file in it, in name order."""
        named = self._resolve(name)
        if named.path is None:
            return named
        paths = sorted(p for p in named.path.iterdir() if p.suffix in FORM_SUFFIXES) if named.path.is_dir() else [named.path]
        named.exists = named.path.exists()
        named.files = tuple(self._relative(p) for p in paths)
        for rel in named.files:
            self._form(found, rel)
        return named

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.folder).as_posix()
        except ValueError:  # a file of an allowed shared folder
            return Path(os.path.relpath(path, self.folder)).as_posix()


def unit_input_from_dicts(manifest: dict, forms: dict[str, dict], attachments: dict[str, Path] | None = None, *,
                          shown: str = MANIFEST, folder: Path = Path("."), locality: Path | None = None) -> UnitInput:
    """A unit given as data (a web form, an Excel import): the manifest, its forms by the names the manifest
    gives (a ``van_ban`` name that is no form stands for every form whose name lies below it), the attached
    files by name, and the locality file. Data is cleaned as a file's would be, so findings are the same."""
    attachments = attachments or {}
    found = UnitInput(shown, folder)
    found.manifest, problems = clean(manifest)
    if problems:
        return UnitInput(shown, folder, problems=tuple(problems))

    def form(name: str) -> Named:
        if name not in forms:
            return Named(folder / name)
        data, problems = clean(forms[name])
        if not isinstance(data, dict):
            problems = [*problems, Problem("$", "Nội dung tệp phải là một bảng khóa: giá trị.")]
        return Named(folder / name, exists=True, data=None if problems else data, problems=tuple(problems))

    for name in form_names(found.manifest):
        found.forms.setdefault(name, form(name))
    for name in _names(found.manifest, "van_ban"):
        below = sorted(n for n in forms if n.startswith(name.rstrip("/") + "/") and n.endswith(FORM_SUFFIXES))
        files = (name,) if name in forms or not below else tuple(below)
        found.documents[name] = Named(folder / name, exists=name in forms or bool(below), files=files)
        for rel in files:
            found.forms.setdefault(rel, form(rel))
    for _, name in attachment_names(found.manifest):
        found.attachments[name] = Named(attachments.get(name), exists=name in attachments)
    named = found.manifest.get("dia_phuong") if isinstance(found.manifest, dict) else None
    if isinstance(named, str) and named:
        found.locality = Named(locality, exists=True) if locality is not None else Named(refused="tệp không có trong dữ liệu gửi lên")
    return found


# -- building the model -------------------------------------------------------------------------
def load_unit(target: Path, locality_file: Path | None = None, shared: tuple[Path, ...] = ()) -> tuple[list[Finding], Unit | None]:
    """Read a unit folder and build it: ``build_unit(FolderSource(target, shared).read(), locality_file)``."""
    return build_unit(FolderSource(target, shared).read(), locality_file)


def build_unit(source: UnitInput, locality_file: Path | None = None) -> tuple[list[Finding], Unit | None]:
    """Schema-check a unit's manifest and every form it names, resolve its ruleset and settings, join subjects
    with their forms, check every cross-reference and what two documents say about the same fact.

    ``locality_file`` (``--locality``) overrides the manifest's ``dia_phuong``. Returns the findings (SCHEMA)
    and the unit, or None when the manifest, its ruleset or its settings are unusable.
    """
    shown = source.shown
    if source.manifest is None:
        return [Finding(RULE, "error", shown, p.json_path, p.message, MANIFEST_BASIS) for p in source.problems], None
    data = source.manifest
    if not isinstance(data, dict):
        return [Finding(RULE, "error", shown, "$", "Tệp đơn vị phải là một bảng khóa: giá trị.", BASIS)], None
    schema_id = registry.SCHEMA_BASE + "unit.schema.json"
    findings = schema_findings(shown, data, registry.schema_registry()[schema_id].contents, schema_id, BASIS, "tệp đơn vị")
    if findings:
        return findings, None
    if locality_file is None and source.locality is not None:
        if source.locality.refused:
            return [_error(shown, "$.dia_phuong", f"Không đọc tệp thiết lập địa phương: {source.locality.refused}.")], None
        locality_file = source.locality.path
    period = Period.of(data["ky_danh_gia"])
    key = data.get("bo_quy_tac") or rulesets.default_for(period)
    try:
        rs = rulesets.load(key) if key else None
    except ConfigError as exc:
        return [_error(shown, "$.bo_quy_tac", exc.message)], None
    if rs is None:
        return [_error(shown, "$.ky_danh_gia.nam", f"Không có bộ quy tắc nào áp dụng cho {period.label_vi}.")], None
    try:
        settings = load_settings(rs, locality_file)
    except LocalityError as exc:
        return exc.findings, None
    # A quarter's unit is graded by the ruleset as it applies to quarters (rulesets/<key>.yaml theo_ky.quy).
    unit = Unit(shown, source.folder, data, settings, rs.for_period(Period.of(data["ky_danh_gia"])))
    findings = _Builder(source, unit).build()
    # The facts know each document's issuing organisation; the façade computes them again for rendering.
    findings += cross_checks(unit, unit_facts(unit))
    return findings, unit


def _error(file: str, path: str, message: str) -> Finding:
    return Finding(RULE, "error", file, path, message, BASIS)


class _Builder:
    """Joins a unit's subjects with their forms and checks every reference of the manifest."""

    def __init__(self, source: UnitInput, unit: Unit):
        self.source, self.unit, self.shown = source, unit, source.shown
        self.findings: list[Finding] = []
        self.seen: set[str] = set()

    def build(self) -> list[Finding]:
        """Every subject with its forms and every document added to the unit; the findings of every reference."""
        findings, data, unit = self.findings, self.unit.data, self.unit
        for i, raw in enumerate(data["to_chuc"]):
            self._code("to_chuc", i, raw)
            unit.orgs.append(Org(unit, i, raw, self._own_form("to_chuc", i, "bao_cao", raw), "to_chuc",
                                 self._own_form("to_chuc", i, "bieu_diem", raw)))
        for i, raw in enumerate(data["thanh_vien"]):
            self._code("thanh_vien", i, raw)
            member = Member(unit, i, raw, self._own_form("thanh_vien", i, "ban_kiem_diem", raw), "thanh_vien",
                            self._own_form("thanh_vien", i, "bieu_diem", raw))
            written = member.field("ho_ten")
            if written is not None and written.value != raw["ho_ten"]:
                findings.append(_error(written.file, written.path, f"Họ tên trong bản kiểm điểm khác họ tên trong {MANIFEST} ('{raw['ho_ten']}')."))
            unit.members.append(member)
        for j, name in enumerate(data.get("van_ban") or []):
            self._documents(j, name)
        for i, entry in enumerate(data.get("khen_thuong") or []):
            if entry["doi_tuong"] not in self.seen:
                findings.append(_error(self.shown, f"$.khen_thuong[{i}].doi_tuong", f"Không có đảng viên hay tổ chức mã '{entry['doi_tuong']}' trong đơn vị."))
        for where, name in attachment_names(data):
            self._attachment(where, name)
        for i, raw in enumerate(data["thanh_vien"]):
            if unit.org(raw["chi_bo"]) is None:
                findings.append(_error(self.shown, f"$.thanh_vien[{i}].chi_bo", f"Không có tổ chức mã '{raw['chi_bo']}' trong danh sách to_chuc."))
        for i, raw in enumerate(data["to_chuc"]):
            for key in ("thuoc", "nguoi_dung_dau"):
                ref = raw.get(key)
                if ref and ref not in self.seen:
                    findings.append(_error(self.shown, f"$.to_chuc[{i}].{key}", f"Không có mã '{ref}' trong đơn vị."))
            for j, ref in enumerate(raw.get("thanh_vien_lanh_dao") or []):
                if unit.member(ref) is None:
                    findings.append(_error(self.shown, f"$.to_chuc[{i}].thanh_vien_lanh_dao[{j}]", f"Không có đảng viên mã '{ref}' trong đơn vị."))
        return findings

    def _code(self, kind: str, i: int, raw: dict) -> None:
        if raw["ma"] in self.seen:
            self.findings.append(_error(self.shown, f"$.{kind}[{i}].ma", f"Mã '{raw['ma']}' bị trùng."))
        self.seen.add(raw["ma"])

    def _own_form(self, kind: str, i: int, key: str, raw: dict) -> ValidForm | None:
        """A subject's own form (``key`` is also its slot): checked, of the slot's kind, of the unit's period and ruleset."""
        name = raw.get(key)
        if not name:
            return None
        valid = self._form(f"$.{kind}[{i}].{key}", name)
        if valid is None:
            return None
        if key == "bieu_diem":
            owner = field_of(valid, "doi_tuong")
            if owner is not None and owner.value != raw.get("ma"):
                self.findings.append(_error(valid.path, owner.path, f"Biểu chấm điểm này của '{owner.value}', nhưng {MANIFEST} gắn nó cho '{raw.get('ma')}'."))
                return None
        expected = self.unit.ruleset.kinds(key)
        if valid.data["bieu_mau"] not in expected:
            self.findings.append(_error(self.shown, f"$.{kind}[{i}].{key}", f"Tệp '{name}' là biểu mẫu '{valid.data['bieu_mau']}', không phải '{' hoặc '.join(expected)}'."))
            return None
        return self._same_period(valid)

    def _form(self, where: str, name: str) -> ValidForm | None:
        """A form the manifest names at ``where``: read, bound to its registry entry and schema-checked."""
        named = self.source.forms[name]
        if named.refused:
            self.findings.append(_error(self.shown, where, f"Không đọc tệp: {named.refused}."))
            return None
        if not named.exists:
            self.findings.append(_error(self.shown, where, f"Không tìm thấy tệp '{name}' (đường dẫn tính từ thư mục của {MANIFEST})."))
            return None
        if named.problems:
            self.findings += [Finding(RULE, "error", str(named.path), p.json_path, p.message, legal_basis(None)) for p in named.problems]
            return None
        found, valid = check_data(str(named.path), named.data)
        self.findings += found
        return valid

    def _same_period(self, valid: ValidForm) -> ValidForm:
        unit = self.unit
        if valid.data["ky_danh_gia"] != unit.data["ky_danh_gia"]:
            self.findings.append(Finding(RULE, "error", valid.path, "$.ky_danh_gia", "Kỳ đánh giá của biểu mẫu khác kỳ đánh giá của đơn vị.", legal_basis(valid.binding)))
        if valid.binding.ruleset.key != unit.ruleset.key:
            self.findings.append(Finding(RULE, "error", valid.path, "$.bo_quy_tac",
                                         f"Biểu mẫu theo bộ quy tắc {valid.binding.ruleset.key}, đơn vị theo {unit.ruleset.key}: "
                                         "mọi hồ sơ của một đợt phải cùng bộ quy tắc.", legal_basis(valid.binding)))
        return valid

    def _documents(self, j: int, name: str) -> None:
        entry = self.source.documents[name]
        if entry.refused:
            self.findings.append(_error(self.shown, f"$.van_ban[{j}]", f"Không đọc: {entry.refused}."))
            return
        for rel in entry.files:
            doc = self._form(f"$.van_ban[{j}]", rel)
            if doc is None:
                continue
            self._same_period(doc)
            self.unit.documents.append(doc)
            for where, ref in _codes(doc.data, "$"):
                if ref not in self.seen:
                    self.findings.append(_error(doc.path, where, f"Không có đảng viên hay tổ chức mã '{ref}' trong {MANIFEST}."))

    def _attachment(self, where: str, name: str) -> None:
        named = self.source.attachments[name]
        if named.refused:
            self.findings.append(_error(self.shown, where, f"Tệp đính kèm không được dùng: {named.refused}. Tệp đính kèm phải nằm trong thư mục đơn vị."))
        elif not named.exists:
            self.findings.append(_error(self.shown, where, f"Không tìm thấy tệp đính kèm '{name}' (đường dẫn tính từ thư mục của {MANIFEST})."))
        else:
            self.unit.attachments[name] = named.path


def _codes(value: Any, path: str) -> Iterator[tuple[str, str]]:
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


# -- what two documents of a unit say about the same fact ----------------------------------------
def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _vn_date(iso: str) -> str:
    day = parse_date(iso)
    return f"{day:%d/%m/%Y}" if day else iso


def cross_checks(unit: Unit, facts: dict) -> list[Finding]:
    """What two documents of the unit say about the same fact must agree: each document's header, authority and
    place and its issuing organisation; the meeting's dates in the minutes and in the manifest; the signer of a
    collective report and the organisation's head; the unit and chi bộ a self-review names and the member's chi bộ."""
    found = [Finding(RULE, "warning", m.file, m.json_path, m.message_vi, BASIS)
             for m in [*issuer_mismatches(unit, facts), *place_mismatches(unit, facts)]]
    for o in unit.orgs:
        planned = [b["bat_dau"][:10] for b in (o.raw.get("hop") or {}).get("buoi") or []]
        for doc in o.documents("bien_ban"):
            sittings = field_of(doc, "buoi")
            held = [b["bat_dau"][:10] for b in value_of(sittings) or []]
            if planned and held and sorted(set(planned)) != sorted(set(held)):
                found.append(_error(doc.path, f"{sittings.path}[0].bat_dau",
                                    f"Biên bản ghi hội nghị của {o.name} họp ngày {', '.join(_vn_date(d) for d in sorted(set(held)))}, "
                                    f"nhưng {MANIFEST} ghi ngày {', '.join(_vn_date(d) for d in sorted(set(planned)))} (to_chuc[{o.index}].hop.buoi)."))
        head = unit.member(o.raw.get("nguoi_dung_dau"))
        signer = o.field("ky_ten")
        if head is not None and signer is not None and signer.value and not _same_name(signer.value, head.name):
            found.append(Finding(RULE, "warning", signer.file, signer.path,
                                 f"Báo cáo kiểm điểm của {o.name} do {signer.value} ký, nhưng người đứng đầu ghi trong {MANIFEST} là {head.name}. "
                                 "Nếu người khác ký thay thì ghi đúng thẩm quyền (quyen_han), nếu không thì sửa cho khớp.", BASIS))
    for m in unit.members:
        org = unit.org(m.raw.get("chi_bo"))
        if m.form is None or org is None:
            continue
        for name, what in (("ten_don_vi", "phần đầu bản kiểm điểm"), ("chi_bo", "mục chi bộ của bản kiểm điểm")):
            named = m.field(name)
            if named is not None and isinstance(named.value, str) and named.value and not _same_name(named.value, org.name):
                found.append(_error(named.file, named.path,
                                    f"{what.capitalize()} của {m.name} ghi '{named.value}', nhưng {MANIFEST} xếp đồng chí vào {org.name}."))
    return found
