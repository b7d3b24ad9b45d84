"""Next period's unit from the last one (issue 12): who and what is carried over, and what stays with the period.

``carry_over`` reads a unit folder and writes a new one for the next period (the next quarter; after a year,
the first quarter of the next year): the organisations, members and their circumstances that still hold,
and for each subject a draft of its own forms with the identity, role, header and the tasks of its ledger.
Levels, scores, decisions, narrative texts, documents, attachments, meetings, ballots and the dates of the
period are not carried.

A draft cannot be a valid form: every form schema requires the texts of the review (``doan_van``, at least
one paragraph) and a proposed level, and a task requires its result (``ket_qua`` has no "pending" value).
So drafts are written next to the manifest under their old names but not named in it (unless ``link_forms``):
the new unit is valid at once, the coverage rules say whose form is still missing, and a draft is linked
when its person has filled it in (its first lines list what is still to write).

What a form keeps is decided from its ruleset's field map (``truong``) and its schema, never from its paths:
the blocks that hold identity fields, the task ledger (``nhiem_vu``) and the units a leader leads
(``don_vi_lanh_dao``), and every other top-level block whose schema is plain text (strings without a list of
values or a date format, and objects of them: the header, the collective's name, the signer).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from . import registry
from . import ruleset as rulesets
from .errors import ConfigError
from .findings import Finding
from .grading import add_months
from .load import dump_yaml, plain
from .output import OWNER_FILE, private_dir, staging
from .paths import PathOutside, inside, plain_relative
from .period import Period
from .registry import BindingProblem
from .schemawalk import Node, root
from .source import FORM_KEYS, MANIFEST, load_unit
from .unit import Subject, Unit, field_of, parse_date
from .validate import RULE as SCHEMA_RULE
from .validate import ValidForm, make_validator

RULE = "CARRY-OVER"
"""Rule id of what ``carry_over`` reports: why it refused, and what it did not carry."""
BASIS = "Chuyển đơn vị sang kỳ đánh giá mới"

PERIOD_KEY = "ky_danh_gia"
"""The period of a manifest and of every form."""

# -- what the manifest carries: every key of schemas/unit.schema.json, by section ---------------------
KEEP = "giu"            # identity or structure: carried as is
DROP = "bo"             # of the period (results, decisions, texts, documents): not carried
PERIOD = "ky"           # the period: the new one
SECTION = "muc"         # a section with its own table below
SUBJECTS = "doi_tuong"  # the list of organisations or members: each entry by its section's table
FORM = "bieu_mau"       # a subject's own form: drafted, linked only with link_forms
LOCALITY = "dia_phuong"  # the locality file: copied
DATED = "theo_ngay"     # a dated circumstance (or a list of them): carried when it lasts into the new period
STATUS = "tinh_trang"   # not reviewed / not graded and why: carried when the reason still holds
CHECK = "can_xem"       # an undated arrangement: its required part carried, with a note to confirm it

MANIFEST_POLICY: dict[str, dict[str, str]] = {
    "$": {
        "don_vi": SECTION, "ky_danh_gia": PERIOD, "bo_quy_tac": KEEP, "dia_phuong": LOCALITY,
        "ngay_nop_ho_so": DROP, "to_chuc": SUBJECTS, "thanh_vien": SUBJECTS, "bo_phieu": DROP, "ghi_de": DROP,
        "van_ban": DROP, "khen_thuong": DROP, "nguoi_lap_ho_so": KEEP,
    },
    "don_vi": {
        "ten": KEEP, "to_chuc_co_so": KEEP, "cap": KEEP, "cap_tren": KEEP, "dia_danh": KEEP, "lich_dac_thu": KEEP,
        "ty_le_htxs_quyet_dinh": DROP,
    },
    "to_chuc": {
        "ma": KEEP, "ten": KEEP, "loai": KEEP, "thuoc": KEEP, "loai_hop": KEEP, "nguoi_dung_dau": KEEP,
        "so_lanh_dao": KEEP, "ngay_thanh_lap": KEEP, "bao_cao": FORM, "hop": DROP, "ket_qua_nhiem_vu": DROP,
        "lanh_dao_bi_ky_luat": DROP, "so_don_vi_truc_thuoc": KEEP, "so_don_vi_truc_thuoc_bi_ky_luat": DROP,
        "mat_doan_ket": DROP, "thanh_vien_suy_thoai": DROP, "quyet_dinh": DROP, "nhom_so_sanh": KEEP,
        "khieu_nai": DROP, "xep_loai_lai": DROP, "cham_diem": DROP, "bieu_diem": FORM, "tham_dinh": DROP,
        "dinh_kem": DROP, "ban_hanh": KEEP, "thanh_vien_lanh_dao": KEEP, "sai_pham_cong_tac_can_bo": DROP,
        "lich_dac_thu": KEEP, "giam_nhe": DROP, "tham_dinh_lai": DROP, "ket_qua_quy": DROP, "thong_bao_ket_qua": DROP,
    },
    "thanh_vien": {
        "ma": KEEP, "ho_ten": KEEP, "chi_bo": KEEP, "ban_kiem_diem": FORM, "ngay_vao_dang": KEEP,
        "so_the_dang_vien": KEEP, "so_cccd": KEEP, "ngay_sinh": KEEP, "gioi_tinh": KEEP, "ngay_chinh_thuc": KEEP,
        "chi_bo_cu_tru": KEEP, "chuyen_di": DROP,
        "tinh_trang": STATUS, "ly_do": STATUS, "ghi_chu": DROP, "ngay_kiem_diem": DROP, "nghi_om": DATED,
        "thai_san": DATED, "mien_sinh_hoat": DATED, "dinh_chi_sinh_hoat": DATED, "dinh_chi_cap_uy": CHECK,
        "chuyen_den": DATED, "sinh_hoat_tam_thoi": CHECK, "nhan_xet_cu_tru": DROP, "mien_nhan_xet_cu_tru": KEEP,
        "ky_luat": DATED, "suy_thoai": DATED, "bi_thu_thon_khong_la_cong_chuc": KEEP,
        "moi_chuyen_den_khong_lien_quan": DROP, "cac_noi_danh_gia": DROP, "muc_cuoi_cung": DROP, "muc_cbccvc": DROP,
        "loai_cbccvc": KEEP, "nhom_so_sanh": KEEP, "khieu_nai": DROP, "xep_loai_lai": DROP, "cham_diem": DROP,
        "bieu_diem": FORM, "muc_doan_the": DROP, "dinh_kem": DROP, "giam_nhe": DROP, "vi_pham_trong_pham_vi": DATED,
        "tham_dinh_lai": DROP, "ket_qua_quy": DROP, "thong_bao_ket_qua": DROP, "kiem_diem_tai_cap_uy": KEEP,
    },
}
"""What happens to each key of the manifest (sections: the top level, ``don_vi``, each ``to_chuc`` and each
``thanh_vien`` entry). A key missing here is not carried and is reported; tests/test_carry.py checks that the
table names every key of schemas/unit.schema.json."""

SUBJECT_LISTS = tuple(FORM_KEYS)
"""The manifest's lists of subjects (``to_chuc``, ``thanh_vien``); a document names its subject under the same key."""

SINCE = {"moi_ket_nap": ("ngay_vao_dang", None), "to_chuc_moi": ("ngay_thanh_lap", "chi_bo")}
"""Reasons (``ly_do``) that last a number of months (settings ``so_thang``) from a date: the member's admission,
or the founding of the member's organisation (the manifest key naming it)."""

# -- what a form carries: field names of the rulesets' field maps -----------------------------------------
IDENTITY_FIELDS = ("ca_nhan", "ho_ten", "chi_bo", "ten_don_vi", "vai_tro", "la_cbccvc", "dien_tw", "ky_ten", "doi_tuong")
"""Fields whose top-level block is carried whole: the person, the role, the header, the signer, the subject."""
LEDGER_FIELD = "nhiem_vu"
"""The task ledger: each task keeps what its schema requires as plain text and the dates still ahead."""
LED_UNITS_FIELD = "don_vi_lanh_dao"
"""The units a leader leads: each keeps its plain-text properties and its own ledger, cleared."""
MAX_TODO = 12
"""How many missing fields a draft's first lines list."""


@dataclass(frozen=True)
class Draft:
    """A subject's form made ready for the new period, and where it goes."""

    name: str
    """Its path in the new unit folder (the old form's name)."""
    data: dict
    todo: tuple[str, ...]
    """What its schema still requires, as collapsed paths (``ket_qua_nhiem_vu[].ket_qua``)."""
    owner: str
    """How the manifest names it: ``thanh_vien truong_quoc_khanh: ban_kiem_diem``, ``van_ban``."""
    key: str | None
    """The manifest key of the subject that names it (``ban_kiem_diem``), None for a unit document."""
    subject: tuple[str, int] | None
    """The subject's manifest list and index, for linking."""


def carry_over(unit_dir: Path, target_dir: Path, period: Period | None = None, *, link_forms: bool = False,
               locality_file: Path | None = None, shared: tuple[Path, ...] = ()) -> tuple[list[Finding], list[Path]]:
    """Write the unit of the next period (or of ``period``, which must come after the unit's) into ``target_dir``.

    ``target_dir`` must not exist or be an empty folder: it is built in a private staging folder beside it and
    moved into place in one step, with owner-only modes. Drafts of the subjects' forms are written under their
    old names; ``link_forms`` names them in the manifest too (``hoso check`` then lists what each still lacks).
    ``locality_file`` and ``shared`` are used to read the unit, as ``hoso check`` takes them.

    Returns the findings (errors when nothing was written: unreadable unit, refused target or period; notes of what
    was not carried) and the written files (empty when refused).
    """
    unit_dir = Path(unit_dir)
    target_dir = Path(os.path.abspath(target_dir))
    found, unit = load_unit(unit_dir, locality_file, shared)
    if unit is None:
        return found, []
    errors = [f for f in found if f.severity == "error"]
    new = period or next_period(unit)
    refusal = _refusal(unit, target_dir, new)
    if refusal is not None:
        return [*errors, refusal], []
    plan = _Plan(unit, new, target_dir, link_forms, shared)
    manifest = plan.manifest()
    notes = plan.notes
    try:
        with staging(target_dir.parent) as stage:
            names = _write(stage, plan, manifest)
            problems = _self_check(stage, target_dir, link_forms)
            if problems:
                return [*errors, *notes, *problems], []
            (stage / OWNER_FILE).unlink()
            os.rename(stage, target_dir)  # one step: a folder that became non-empty meanwhile is refused here
    except OSError as exc:
        return [*errors, _refuse(str(target_dir), f"Không ghi được đơn vị mới vào {target_dir}: {exc.strerror or exc}.")], []
    return [*errors, *notes], [target_dir / name for name in names]


def next_period(unit: Unit) -> Period:
    """The period after the unit's: the next quarter (quý IV → quý I of the next year); after a year, the first quarter
    of the next year, or the next year when the ruleset that would govern that quarter does not evaluate quarters."""
    if unit.period.quarter is not None:
        return unit.period.next()
    first = Period(unit.period.year + 1, 1)
    key = unit.data.get("bo_quy_tac") or rulesets.default_for(first)
    try:
        quarterly = bool(key) and rulesets.load(key).accepts(first)
    except ConfigError:
        quarterly = False
    return first if quarterly else unit.period.next()


# -- refusals ----------------------------------------------------------------------------------------------
def _refuse(file: str, message: str, path: str = "$") -> Finding:
    return Finding(RULE, "error", file, path, message, BASIS)


def _note(file: str, path: str, message: str, severity: str = "info") -> Finding:
    return Finding(RULE, severity, file, path, message, BASIS)


def _refusal(unit: Unit, target: Path, new: Period) -> Finding | None:
    """Why the carry cannot start, or None: a target in use, a period not after the unit's, a period no ruleset takes."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return _refuse(str(target), "Đích phải là một thư mục mới hoặc thư mục trống (không phải tệp hay liên kết).")
    if target.is_dir() and any(target.iterdir()):
        return _refuse(str(target), "Thư mục đích đã có dữ liệu: hoso không ghi đè; chọn một thư mục mới hoặc thư mục trống.")
    if not unit.period < new:
        return _refuse(unit.path, f"Kỳ mới ({new.label_vi}) phải sau kỳ của đơn vị ({unit.period.label_vi}).", f"$.{PERIOD_KEY}")
    key = unit.data.get("bo_quy_tac") or rulesets.default_for(new)
    try:
        rs = rulesets.load(key) if key else None
    except ConfigError as exc:
        return _refuse(unit.path, exc.message, "$.bo_quy_tac")
    if rs is None or not rs.accepts(new):
        how = "không có bộ quy tắc nào" if rs is None else f"{rs.name} không"
        return _refuse(unit.path, f"Kỳ mới {new.label_vi}: {how} đánh giá theo kỳ này.", f"$.{PERIOD_KEY}")
    return None


# -- the plan: the new manifest and drafts, in memory ---------------------------------------------------------
class _Plan:
    def __init__(self, unit: Unit, new: Period, target: Path, link_forms: bool, shared: tuple[Path, ...]):
        self.unit, self.new, self.target, self.link, self.shared = unit, new, target, link_forms, shared
        self.notes: list[Finding] = []
        self.drafts: list[Draft] = []
        self.locality: tuple[str, bytes] | None = None

    def note(self, path: str, message: str, severity: str = "info") -> None:
        self.notes.append(_note(self.unit.path, path, message, severity))

    def manifest(self) -> dict:
        data, unit = self.unit.data, self.unit
        out = self._section("$", data, "$")
        key = data.get("bo_quy_tac") or rulesets.default_for(self.new)
        if key != unit.ruleset.key:
            self.note(f"$.{PERIOD_KEY}", f"Kỳ {self.new.label_vi} theo bộ quy tắc {key}, kỳ {unit.period.label_vi} theo "
                                         f"{unit.ruleset.key}: bản nháp biểu mẫu cần đối chiếu với mẫu của bộ quy tắc mới.", "warning")
        for kind in SUBJECT_LISTS:
            out[kind] = [self._subject(kind, i, raw) for i, raw in enumerate(data[kind])]
        self._documents()
        self._left_behind()
        if self.link:
            for draft in self.drafts:
                if draft.subject is not None:
                    out[draft.subject[0]][draft.subject[1]][draft.key] = draft.name
            documents = [d.name for d in self.drafts if d.subject is None]
            if documents:
                out["van_ban"] = documents
        return out

    def _section(self, section: str, raw: dict, path: str) -> dict:
        out: dict[str, Any] = {}
        policy = MANIFEST_POLICY[section]
        for key, value in raw.items():
            action = policy.get(key)
            where = f"{path}.{key}"
            if action == KEEP:
                out[key] = value
            elif action == PERIOD:
                out[key] = self.new.to_data()
            elif action == SECTION:
                out[key] = self._section(key, value, where)
            elif action == LOCALITY:
                self._locality(value, out)
            elif action == SUBJECTS:
                out[key] = []  # filled by ``manifest``, in its place
            elif action is None:
                self.note(where, f"Khóa '{key}' chưa được phân loại khi chuyển kỳ: không chuyển sang {self.new.label_vi}.", "warning")
        return out

    def _subject(self, kind: str, index: int, raw: dict) -> dict:
        unit, new = self.unit, self.new
        subject = unit.member(raw["ma"]) if kind == "thanh_vien" else unit.org(raw["ma"])
        policy = MANIFEST_POLICY[kind]
        base = f"$.{kind}[{index}]"
        name = raw.get("ho_ten") or raw.get("ten") or raw["ma"]
        out: dict[str, Any] = {}
        for key, value in raw.items():
            action, where = policy.get(key), f"{base}.{key}"
            if action == KEEP:
                out[key] = value
            elif action == DATED:
                kept = _lasting(value, new.start)
                if kept not in (None, []):
                    out[key] = kept
                if kept != value:
                    what = f"{len(value) - len(kept)}/{len(value)} mục {key}" if isinstance(value, list) else key
                    self.note(where, f"{name}: {what} đã kết thúc trước {new.label_vi} (trước {new.start:%d/%m/%Y}): không chuyển.")
            elif action == CHECK and value not in (None, False, {}, []):
                out[key] = _required_part(value, _manifest_node(kind, key))
                self.note(where, f"{name}: {key} không ghi thời hạn, đã chuyển sang {new.label_vi}: xem lại còn đúng không.")
            elif action == FORM:
                self._own_form(subject, kind, index, key, value, name)
            elif action is None:
                self.note(where, f"{name}: khóa '{key}' chưa được phân loại khi chuyển kỳ: không chuyển.", "warning")
        if kind == "thanh_vien" and raw.get("tinh_trang"):
            self._status(raw, out, base, name)
        return out

    def _status(self, raw: dict, out: dict, base: str, name: str) -> None:
        """Carry ``tinh_trang`` and ``ly_do`` when the reason still holds in the new period."""
        reason = raw.get("ly_do")
        if self._holds(raw, out):
            out["tinh_trang"] = raw["tinh_trang"]
            if reason:
                out["ly_do"] = reason
            return
        self.note(f"{base}.tinh_trang", f"{name}: tình trạng '{raw['tinh_trang']}'"
                  + (f" (lý do {reason})" if reason else "")
                  + f" không còn căn cứ trong {self.new.label_vi}: không chuyển; nếu vẫn đúng thì ghi lại.")

    def _holds(self, raw: dict, out: dict) -> bool:
        """Whether a member's status still holds: the default one (graded) always; a reason that is a dated circumstance
        while it is carried; a reason that lasts months from a date (SINCE) while they have not run out by the end of
        the new period; any other reason never (the clerk writes it again)."""
        reason = raw.get("ly_do")
        if reason is None:
            return raw["tinh_trang"] == _manifest_node("thanh_vien", "tinh_trang").annotation("default")
        if MANIFEST_POLICY["thanh_vien"].get(reason) == DATED:
            return reason in out
        if reason in SINCE:
            date_key, owner_key = SINCE[reason]
            source = raw if owner_key is None else next((o for o in self.unit.data["to_chuc"] if o["ma"] == raw.get(owner_key)), {})
            since = parse_date(source.get(date_key))
            return since is not None and add_months(since, self.unit.settings["so_thang"][reason]) > self.new.end
        return False

    def _own_form(self, subject: Subject | None, kind: str, index: int, key: str, name: str, who: str) -> None:
        form = None
        if subject is not None:
            expected = self.unit.ruleset.kinds(key)
            form = next((f for f in (subject.form, subject.score_form) if f is not None and f.data.get("bieu_mau") in expected), None)
        if form is None:
            self.note(f"$.{kind}[{index}].{key}", f"{who}: không có biểu mẫu hợp lệ ở '{name}' để soạn bản nháp cho {self.new.label_vi}.", "warning")
            return
        self.drafts.append(self._draft(form, f"{kind} {subject.ma}: {key}", key, (kind, index)))

    def _documents(self) -> None:
        """Draft each document that is one subject's own assessment (it names one subject and keeps a task ledger)."""
        for doc in self.unit.documents:
            named = [doc.data.get(k) for k in SUBJECT_LISTS if isinstance(doc.data.get(k), str)]
            if len(named) == 1 and field_of(doc, LEDGER_FIELD) is not None:
                self.drafts.append(self._draft(doc, "van_ban", None, None))

    def _draft(self, form: ValidForm, owner: str, key: str | None, subject: tuple[str, int] | None) -> Draft:
        suffix = Path(form.path).suffix
        name = self.unit.output_name(form) + suffix
        data = draft_form(form, self.new)
        return Draft(name, data, _todo(data, self.notes, self.unit.path, name), owner, key, subject)

    def _locality(self, name: str, out: dict) -> None:
        try:
            source = inside(self.unit.folder, name, self.shared)
            text = source.read_bytes()
        except (PathOutside, OSError) as exc:
            self.note("$.dia_phuong", f"Không chép được tệp thiết lập địa phương '{name}' ({getattr(exc, 'reason', None) or exc}): "
                                      "đơn vị mới dùng thiết lập mặc định.", "warning")
            return
        try:
            kept = plain_relative(name).as_posix()
        except PathOutside:
            kept = Path(name).name
        out["dia_phuong"] = kept
        self.locality = (kept, text)

    def _left_behind(self) -> None:
        unit, drafted = self.unit, {d.name for d in self.drafts}
        documents = [d for d in unit.documents if unit.output_name(d) + Path(d.path).suffix not in drafted]
        if documents:
            self.note("$.van_ban", f"{len(documents)} văn bản của {unit.period.label_vi} (van_ban) không chuyển sang {self.new.label_vi}.")
        if unit.attachments:
            self.note("$", f"{len(unit.attachments)} tệp đính kèm của {unit.period.label_vi} không chuyển sang {self.new.label_vi}.")
        if self.drafts:
            how = ("đã ghi vào don_vi.yaml; hoso check báo những mục mỗi bản còn thiếu" if self.link else
                   "chưa ghi vào don_vi.yaml (đầu tệp don_vi.yaml liệt kê): điền xong bản nào thì ghi đường dẫn của bản đó")
            self.notes.append(_note(str(self.target / MANIFEST), "$", f"Đã soạn {len(self.drafts)} bản nháp biểu mẫu cho "
                                    f"{self.new.label_vi}, {how}."))


# -- forms ------------------------------------------------------------------------------------------------
def draft_form(form: ValidForm, new: Period) -> dict:
    """A form's data made ready for period ``new``: the period replaced; identity blocks, the task ledger (tasks
    without results) and led units (without levels) carried; every other top-level block carried only when its
    schema is plain text; nothing else."""
    fields = form.binding.ruleset.fields(form.entry.key)
    node = root(form.entry.schema_id)
    props = node.properties()
    identity = {_top(p) for name in IDENTITY_FIELDS for p in _paths(fields.get(name))}
    ledgers = _paths(fields.get(LEDGER_FIELD))
    led = _paths(fields.get(LED_UNITS_FIELD))
    lists = {_top(p) for p in ledgers + led}
    out: dict[str, Any] = {}
    for key, value in form.data.items():
        if key == PERIOD_KEY:
            out[key] = new.to_data()
        elif key in identity or (key in props and key not in lists and plain_text(props[key])):
            out[key] = value
    for dotted in ledgers:
        tasks = _walk(form.data, dotted)
        if isinstance(tasks, list):
            _put(out, dotted, clear_tasks(tasks, _node_at(node, dotted), new.start))
    for dotted in led:
        units, at = _walk(form.data, dotted), _node_at(node, dotted)
        if isinstance(units, list) and at is not None:
            _put(out, dotted, [_led_unit(u, at.items(), new.start) for u in units if isinstance(u, dict)])
    return out


def clear_tasks(tasks: list, node: Node | None, start: dt.date) -> list[dict]:
    """The tasks of a ledger for the next period: each keeps the properties its schema requires that are plain text
    (what the task is) and its dates not before ``start`` (a deadline still ahead); the result, products, progress
    and notes of the period are left out."""
    item = node.items() if node is not None else None
    props = item.properties() if item is not None else {}
    required = set(item.annotation("required") or ()) if item is not None else set()
    out = []
    for task in tasks:
        if not isinstance(task, dict):
            continue
        kept = {}
        for key, value in task.items():
            sub = props.get(key)
            if sub is None:
                continue
            if _is_date(sub):
                day = parse_date(value) if isinstance(value, str) else None
                if day is not None and day >= start:
                    kept[key] = value
            elif key in required and plain_text(sub):
                kept[key] = value
        if kept:
            out.append(kept)
    return out


def _led_unit(entry: dict, node: Node | None, start: dt.date) -> dict:
    props = node.properties() if node is not None else {}
    out = {}
    for key, value in entry.items():
        sub = props.get(key)
        if sub is None:
            continue
        if sub.items() is not None and isinstance(value, list):
            out[key] = clear_tasks(value, sub, start)
        elif plain_text(sub):
            out[key] = value
    return out


def plain_text(node: Node, depth: int = 0) -> bool:
    """Whether a schema holds only plain text: a constant, strings without a list of values or a date format, or
    objects of them. Levels (a list of values), dates, numbers, flags and lists (paragraphs, tables) are not."""
    if depth > 8:
        return False
    if node.annotation("const") is not None:
        return True
    types = node.types()
    if not types or types - {"string", "object"}:
        return False
    if "object" in types:
        props = node.properties()
        return bool(props) and all(plain_text(p, depth + 1) for p in props.values())
    return node.annotation("enum") is None and not _is_date(node)


def _is_date(node: Node) -> bool:
    return node.annotation("format") in ("date", "date-time")


def _paths(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _top(dotted: str) -> str:
    return dotted.split(".")[0]


def _walk(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _put(data: dict, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def _node_at(node: Node, dotted: str) -> Node | None:
    for key in dotted.split("."):
        node = node.properties().get(key) if node is not None else None
    return node


_INDEX = re.compile(r"\[\d+\]")


def _todo(data: dict, notes: list[Finding], file: str, name: str) -> tuple[str, ...]:
    """What the draft's schema (in the new period) still requires, as collapsed paths; a note when it binds to no form."""
    try:
        binding = registry.bind(data)
    except BindingProblem as exc:
        notes.append(_note(file, exc.json_path, f"Bản nháp {name}: {exc.message}", "warning"))
        return ()
    missing: list[str] = []
    for error in make_validator(registry.schema(binding.entry)).iter_errors(data):
        if error.validator != "required" or not isinstance(error.instance, dict):
            continue
        base = _INDEX.sub("[]", error.json_path).removeprefix("$").lstrip(".")
        for key in error.validator_value:
            if key not in error.instance:
                path = f"{base}.{key}" if base else key
                if path not in missing:
                    missing.append(path)
    return tuple(missing)


# -- the manifest's circumstances ------------------------------------------------------------------------
def lasts_into(entry: Any, start: dt.date) -> bool:
    """Whether a dated circumstance reaches a period starting ``start``: its end (``den``), else its day (``ngay``),
    is not before ``start``; one with a start (``tu``) and no end is still running."""
    if not isinstance(entry, dict):
        return False
    end = parse_date(entry.get("den")) or parse_date(entry.get("ngay"))
    if end is not None:
        return end >= start
    return parse_date(entry.get("tu")) is not None


def _lasting(value: Any, start: dt.date) -> Any:
    """A circumstance (an object) or a list of them, keeping what lasts into the new period; None when nothing does."""
    if isinstance(value, list):
        return [entry for entry in value if lasts_into(entry, start)]
    return value if lasts_into(value, start) else None


def _manifest_node(kind: str, key: str) -> Node:
    return root(registry.SCHEMA_BASE + "unit.schema.json").properties()[kind].items().properties()[key]


def _required_part(value: Any, node: Node) -> Any:
    """An arrangement without its results: the properties its schema requires (the value itself when not an object)."""
    if not isinstance(value, dict):
        return value
    required = set(node.annotation("required") or ())
    return {k: v for k, v in value.items() if k in required}


# -- writing -----------------------------------------------------------------------------------------------
def _dump(data: dict, suffix: str, header: list[str]) -> bytes:
    if suffix == ".json":
        return (json.dumps(plain(data), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    text = dump_yaml(data)
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return (lines + text).encode("utf-8")


def _write_file(folder: Path, name: str, content: bytes) -> None:
    path = folder / name
    if path.parent != folder:
        private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)


def _manifest_header(plan: _Plan) -> list[str]:
    unit, new = plan.unit, plan.new
    lines = [f"{unit.data['don_vi']['ten']}, {new.label_vi}: chuyển từ đơn vị {unit.period.label_vi} bằng hoso.",
             "Đã giữ: tổ chức, đảng viên, vai trò, nhóm so sánh và hoàn cảnh còn kéo dài sang kỳ này; đã bỏ: mức, điểm, quyết",
             "định, nhận xét, hội nghị, kiểm phiếu, văn bản, tệp đính kèm và ngày tháng của kỳ trước."]
    if plan.drafts and not plan.link:
        lines += ["", "Bản nháp biểu mẫu (chưa ghi vào tệp này; điền xong bản nào thì ghi đường dẫn của bản đó):"]
        lines += [f"  {d.owner}: {d.name}" for d in plan.drafts]
    return lines


def _draft_header(draft: Draft, plan: _Plan) -> list[str]:
    lines = [f"Bản nháp cho {plan.new.label_vi}, chuyển từ {plan.unit.period.label_vi}: giữ thông tin",
             "người, đơn vị, vai trò và nội dung các nhiệm vụ; đã xóa mức, điểm, nhận xét, kết quả và ngày tháng của kỳ trước."]
    if draft.todo:
        shown = ", ".join(draft.todo[:MAX_TODO]) + (", …" if len(draft.todo) > MAX_TODO else "")
        lines.append(f"Còn phải ghi: {shown}.")
    if not plan.link:
        lines.append(f"Điền xong thì ghi vào don_vi.yaml: {draft.owner}: {draft.name}")
    return lines


def _write(stage: Path, plan: _Plan, manifest: dict) -> list[str]:
    names = [MANIFEST]
    _write_file(stage, MANIFEST, _dump(manifest, ".yaml", _manifest_header(plan)))
    if plan.locality is not None:
        name, content = plan.locality
        _write_file(stage, name, content)
        names.append(name)
    for draft in plan.drafts:
        _write_file(stage, draft.name, _dump(draft.data, Path(draft.name).suffix, _draft_header(draft, plan)))
        names.append(draft.name)
    return names


def _self_check(stage: Path, target: Path, link_forms: bool) -> list[Finding]:
    """The staged unit must load with a schema-valid manifest (and, unlinked, no schema error at all); its findings,
    named as in the target folder, when not."""
    found, unit = load_unit(stage)
    shown = str(stage / MANIFEST)
    bad = [f for f in found if f.severity == "error" and f.rule_id == SCHEMA_RULE and (not link_forms or f.file == shown)]
    if unit is not None and not bad:
        return []
    bad = bad or [f for f in found if f.severity == "error"]
    prefix = str(stage)
    return [Finding(f.rule_id, f.severity, str(target) + f.file[len(prefix):] if f.file.startswith(prefix) else f.file,
                    f.json_path, "Đơn vị mới không hợp lệ (lỗi của hoso khi chuyển kỳ): " + f.message_vi, f.legal_basis)
            for f in bad] or [_refuse(str(target), "Đơn vị mới không đọc được (lỗi của hoso khi chuyển kỳ).")]
