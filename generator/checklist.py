"""Dossier checklists (thành phần hồ sơ, spec §5.1): which documents a subject's package needs and has.

The lines of each package come from the unit's ruleset (``ho_so``); the condition that makes a line
required (``khi``) names a function registered here with ``@condition``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import ConfigError
from .ruleset import Ruleset
from .templating import document_title
from .unit import Member, Org, Subject, Unit, value_of
from .validate import ValidForm

PRESENT, ABSENT, MISSING, NOT_APPLICABLE = "co", "khong_co", "thieu", "khong_ap_dung"
STATUS_VI = {PRESENT: "Có", ABSENT: "Không có", MISSING: "Thiếu", NOT_APPLICABLE: "Không áp dụng"}
ALWAYS, IF_ANY = "luon", "neu_co"
"""The two conditions every checklist knows: a line always required, and a line listed only when something fills it."""


def kind_vi(ruleset: Ruleset, kind: str) -> str:
    """The Vietnamese name of a package kind (``ca_nhan`` → "cá nhân"), from the ruleset's labels (``loai_ho_so``)."""
    return ruleset.vocabulary("loai_ho_so")[kind]


@dataclass
class Source:
    """One document that fills a checklist item: a form hoso renders, or an attached file."""

    title: str
    form: ValidForm | None = None
    attachment: Path | None = None
    number: str = ""
    day: str = ""


@dataclass
class Item:
    """A checklist line for one subject: what it is, whether it applies, what fills it."""

    code: str
    name: str
    rule: str
    status: str
    sources: list[Source] = field(default_factory=list)


# -- conditions -----------------------------------------------------------------------------------
Condition = Callable[[Unit, Subject], bool]
CONDITIONS: dict[str, Condition] = {}
"""Checklist conditions by the name a ruleset's ``ho_so`` gives them in ``khi``."""


def condition(name: str) -> Callable[[Condition], Condition]:
    """Register a checklist condition under ``name``."""
    def register(func: Condition) -> Condition:
        CONDITIONS[name] = func
        return func
    return register


@condition("co_goi_y")
def _suggested(unit: Unit, s: Subject) -> bool:
    """The subject was given a written suggestion for its review (its form says so, or the unit has the letter)."""
    return bool(value_of(s.field("co_goi_y")) or s.documents("goi_y"))


@condition("co_khieu_nai")
def _complained(unit: Unit, s: Subject) -> bool:
    """Someone complained about the subject's result."""
    return bool(s.raw.get("khieu_nai") or s.documents("khieu_nai"))


@condition("co_xep_loai_lai")
def _regraded(unit: Unit, s: Subject) -> bool:
    return bool(s.regrades())


@condition("co_bo_phieu")
def _balloted(unit: Unit, s: Subject) -> bool:
    """The organisation held a secret ballot."""
    return any(t["to_chuc"] == s.ma for t in unit.data.get("bo_phieu") or [])


@condition("lanh_dao")
def _leader(unit: Unit, s: Subject) -> bool:
    return isinstance(s, Member) and s.is_leader


@condition("khong_mien_cu_tru")
def _residence_comment(unit: Unit, s: Subject) -> bool:
    """The member is not exempt from the comment of the place of residence."""
    return not s.raw.get("mien_nhan_xet_cu_tru")


@condition("chuyen_den_6_thang")
def _moved_in(unit: Unit, s: Subject) -> bool:
    """The member moved in after the settings' months at the former chi bộ (``so_thang.o_noi_cu``)."""
    moved = s.raw.get("chuyen_den") or {}
    return moved.get("so_thang_o_noi_cu", 0) >= unit.settings["so_thang"]["o_noi_cu"]


@condition("sinh_hoat_tam_thoi")
def _temporary(unit: Unit, s: Subject) -> bool:
    return bool(s.raw.get("sinh_hoat_tam_thoi"))


def _condition(unit: Unit, spec: dict, kind: str) -> Condition | None:
    """The registered condition of a line (None for ``luon`` and ``neu_co``). Raises ConfigError for a name hoso does not have."""
    if spec["khi"] in (ALWAYS, IF_ANY):
        return None
    if spec["khi"] not in CONDITIONS:
        known = ", ".join([ALWAYS, IF_ANY, *CONDITIONS])
        raise ConfigError(f"Bộ quy tắc {unit.ruleset.key}: mục '{spec['ma']}' của hồ sơ {kind} (ho_so.{kind}) dùng điều kiện "
                          f"'{spec['khi']}' mà hoso không có (các điều kiện: {known}).")
    return CONDITIONS[spec["khi"]]


# -- evaluation -----------------------------------------------------------------------------------
def subject_kind(subject: Subject) -> str:
    return "tap_the" if isinstance(subject, Org) else "ca_nhan"


def _unit_wide(unit: Unit, s: Subject, kind: str) -> list[ValidForm]:
    """Unit documents of a kind that name no single subject and cover ``s``.

    A unit's own decisions and summaries cover its members and its subordinate organisations;
    the grassroots organisation itself is decided by the level above (an attached document).
    """
    wanted = "dang_vien" if isinstance(s, Member) else "to_chuc"
    if isinstance(s, Org) and not s.raw.get("thuoc"):
        return []
    return [
        d for d in unit.documents_of_kind(kind)
        if not d.data.get("thanh_vien") and not d.data.get("to_chuc") and d.data.get("doi_tuong", wanted) == wanted
    ]


def _of_member_branch(unit: Unit, m: Member, kind: str) -> list[ValidForm]:
    """The documents of one kind about a member's chi bộ (the minutes of the meeting where the member was reviewed)."""
    branch = unit.org(m.raw.get("chi_bo"))
    return branch.documents_of_kind(kind) if branch is not None else []


def _own_forms(s: Subject, kind: str) -> list[ValidForm]:
    """The subject's own forms (its report or self-review, its scoring sheet) of one kind."""
    return [f for f in (s.form, s.score_form) if f is not None and f.data["bieu_mau"] == kind]


def _form_source(form: ValidForm, facts: dict | None) -> Source:
    number = form.data.get("so_van_ban") or {}
    shown = f"{number['so']:02d}-{number['ky_hieu']}" if number.get("so") else (f"…-{number['ky_hieu']}" if number.get("ky_hieu") else "")
    return Source(document_title(form, facts), form=form, number=shown, day=form.data.get("ngay_lap") or "")


def _sources(unit: Unit, s: Subject, source: dict, facts: dict | None) -> list[Source]:
    """What fills one line (``nguon``): the subject's own form of each slot flagged true (``bao_cao: true``), the forms
    of each kind in ``bieu_mau`` (the subject's own, the unit's about it, with ``pham_vi: don_vi`` the unit-wide
    ones that cover it, with ``pham_vi: chi_bo`` a member's chi bộ's, e.g. the minutes of the meeting that reviewed the
    member), and the attachments of the subject filed under ``dinh_kem``."""
    forms: list[ValidForm] = []
    for slot, flagged in source.items():
        if flagged is True:
            forms += [f for kind in unit.ruleset.kinds(slot) for f in _own_forms(s, kind)]
    for kind in source.get("bieu_mau", []):
        forms += _own_forms(s, kind) + s.documents_of_kind(kind)
        if source.get("pham_vi") == "don_vi":
            forms += _unit_wide(unit, s, kind)
        elif source.get("pham_vi") == "chi_bo" and isinstance(s, Member):
            forms += _of_member_branch(unit, s, kind)
    found = [_form_source(f, facts) for f in forms]
    slot = source.get("dinh_kem")
    for att in s.raw.get("dinh_kem") or []:
        path = unit.attachment(att["tep"])
        if slot and att["muc"] == slot and path is not None:
            found.append(Source(att.get("ten") or Path(att["tep"]).stem, attachment=path,
                                number=att.get("so_ky_hieu", ""), day=att.get("ngay", "")))
    return found


def evaluate(unit: Unit, s: Subject, kind: str | None = None, facts: dict | None = None) -> list[Item]:
    """Every checklist line of a subject's package (``kind``: ca_nhan, tap_the, khen_thuong; by default the
    subject's own) with its status: present, absent (optional), missing, or not applicable. ``facts`` (the
    unit's ``so_lieu``) names subjects in document titles.

    Raises ConfigError when the ruleset's checklist names a condition hoso does not have.
    """
    kind = kind or subject_kind(s)
    items = []
    for spec in unit.ruleset.checklists[kind]:
        check = _condition(unit, spec, kind)
        found = _sources(unit, s, spec.get("nguon", {}), facts)
        if found:
            status = PRESENT
        elif spec["khi"] == IF_ANY:
            status = ABSENT
        elif check is None or check(unit, s):
            status = MISSING
        else:
            status = NOT_APPLICABLE
        items.append(Item(spec["ma"], spec["ten"], spec["khi"], status, found))
    return items


@dataclass
class Package:
    """One record package to build: its kind, its subject, and where the manifest describes it."""

    kind: str
    subject: Subject
    path: str


def dossier_subjects(unit: Unit) -> list[Subject]:
    """Subjects that get a record package: every organisation, every member who was reviewed."""
    return [*unit.orgs, *[m for m in unit.members if m.status != "chua_kiem_diem"]]


def packages(unit: Unit) -> list[Package]:
    """Every package of the unit: per subject (ca_nhan, tap_the), then the commendation packages.

    A commendation package (``khen_thuong`` in don_vi.yaml) is about a member or organisation; its
    documents are the entry's own attachments plus the unit's decisions that cover the subject.
    """
    found = [Package(subject_kind(s), s, s.at().path) for s in dossier_subjects(unit)]
    for i, entry in enumerate(unit.data.get("khen_thuong") or []):
        subject = unit.member(entry["doi_tuong"]) or unit.org(entry["doi_tuong"])
        if subject is not None:
            proposal = dataclasses.replace(subject, raw={**subject.raw, "dinh_kem": entry.get("dinh_kem") or []})
            found.append(Package("khen_thuong", proposal, f"$.khen_thuong[{i}]"))
    return found
