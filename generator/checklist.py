"""Dossier checklists (thành phần hồ sơ, spec §5.1): which documents a subject's package needs and has."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .unit import Member, Org, Subject, Unit
from .validate import ValidForm

PRESENT, ABSENT, MISSING, NOT_APPLICABLE = "co", "khong_co", "thieu", "khong_ap_dung"
STATUS_VI = {PRESENT: "Có", ABSENT: "Không có", MISSING: "Thiếu", NOT_APPLICABLE: "Không áp dụng"}
KIND_VI = {"ca_nhan": "cá nhân", "tap_the": "tập thể", "khen_thuong": "khen thưởng"}


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


def subject_kind(subject: Subject) -> str:
    return "tap_the" if isinstance(subject, Org) else "ca_nhan"


def condition(unit: Unit, s: Subject, name: str) -> bool:
    """The named conditions of the checklist data (rulesets/<ruleset>.yaml, ho_so)."""
    if name == "co_goi_y":
        return bool((s.form and s.form.data.get("co_goi_y")) or s.documents("van_ban_goi_y"))
    if name == "co_khieu_nai":
        return bool(s.raw.get("khieu_nai") or s.documents("khieu_nai"))
    if name == "co_xep_loai_lai":
        return bool(s.regrades())
    if name == "co_bo_phieu":
        return any(t["to_chuc"] == s.ma for t in unit.data.get("bo_phieu") or [])
    if name == "lanh_dao":
        return isinstance(s, Member) and s.is_leader
    if name == "khong_mien_cu_tru":
        return not s.raw.get("mien_nhan_xet_cu_tru")
    if name == "chuyen_den_6_thang":
        moved = s.raw.get("chuyen_den") or {}
        return moved.get("so_thang_o_noi_cu", 0) >= unit.locality.get("so_thang", {}).get("o_noi_cu", 6)
    if name == "sinh_hoat_tam_thoi":
        return bool(s.raw.get("sinh_hoat_tam_thoi"))
    raise ValueError(f"unknown checklist condition {name!r}")


def _unit_wide(unit: Unit, s: Subject, kind: str) -> list[ValidForm]:
    """Unit documents of a kind that name no single subject and cover ``s``.

    A unit's own decisions and summaries cover its members and its subordinate organisations;
    the grassroots organisation itself is decided by the level above (an attached document).
    """
    wanted = "dang_vien" if isinstance(s, Member) else "to_chuc"
    if isinstance(s, Org) and not s.raw.get("thuoc"):
        return []
    return [
        d for d in unit.documents
        if d.data.get("bieu_mau") == kind and not d.data.get("thanh_vien") and not d.data.get("to_chuc")
        and d.data.get("doi_tuong", wanted) == wanted
    ]


def _form_source(form: ValidForm, facts: dict | None = None) -> Source:
    from .render import document_title

    number = form.data.get("so_van_ban") or {}
    shown = f"{number['so']:02d}-{number['ky_hieu']}" if number.get("so") else (f"…-{number['ky_hieu']}" if number.get("ky_hieu") else "")
    return Source(document_title(form, facts), form=form, number=shown, day=form.data.get("ngay_lap") or "")


def evaluate(unit: Unit, s: Subject, ruleset_data: dict, kind: str | None = None) -> list[Item]:
    """Every checklist line of a subject's package (``kind``: ca_nhan, tap_the, khen_thuong) with its
    status: present, absent (optional), missing, or not applicable."""
    items = []
    for spec in ruleset_data["ho_so"][kind or subject_kind(s)]:
        source = spec.get("nguon", {})
        found: list[Source] = []
        if source.get("bao_cao") and s.form is not None:
            found.append(_form_source(s.form, unit.facts))
        if source.get("ban_kiem_diem") and s.form is not None:
            found.append(_form_source(s.form, unit.facts))
        for kind in source.get("bieu_mau", []):
            if kind == "bieu_cham_diem" and s.score_form is not None:
                found.append(_form_source(s.score_form, unit.facts))
            found += [_form_source(d, unit.facts) for d in s.documents(kind)]
            if source.get("pham_vi") == "don_vi":
                found += [_form_source(d, unit.facts) for d in _unit_wide(unit, s, kind)]
        slot = source.get("dinh_kem")
        for att in s.raw.get("dinh_kem") or []:
            path = unit.attachment(att["tep"])
            if slot and att["muc"] == slot and path is not None:
                found.append(Source(att.get("ten") or Path(att["tep"]).stem, attachment=path,
                                    number=att.get("so_ky_hieu", ""), day=att.get("ngay", "")))
        rule = spec["khi"]
        if found:
            status = PRESENT
        elif rule == "neu_co":
            status = ABSENT
        elif rule == "luon" or condition(unit, s, rule):
            status = MISSING
        else:
            status = NOT_APPLICABLE
        items.append(Item(spec["ma"], spec["ten"], rule, status, found))
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
    import dataclasses

    found = [Package(subject_kind(s), s, s.at().path) for s in dossier_subjects(unit)]
    for i, entry in enumerate(unit.data.get("khen_thuong") or []):
        subject = unit.member(entry["doi_tuong"]) or unit.org(entry["doi_tuong"])
        if subject is not None:
            proposal = dataclasses.replace(subject, raw={**subject.raw, "dinh_kem": entry.get("dinh_kem") or []})
            found.append(Package("khen_thuong", proposal, f"$.khen_thuong[{i}]"))
    return found
