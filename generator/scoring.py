"""Scoring sheets (biểu chấm điểm) as data: a subject's sheet, the rubric maxima, the total after bonuses and deductions.

Pure: no rules and no I/O. The sheet's shape (``tieu_chi[{ma, diem, toi_da}]``, ``cong[]``, ``tru[]``,
``tong``, ``muc_de_xuat``) is the same in the scoring-sheet form and in the manifest's ``cham_diem``.
"""

from __future__ import annotations

from .unit import Located, Subject


class Sheet:
    """A subject's scoring, from its scoring-sheet form (``bieu_diem``) or written in the manifest (``cham_diem``)."""

    def __init__(self, value: dict, file: str, base: str):
        self.value, self.file, self.base = value, file, base

    def at(self, *keys) -> Located:
        path = self.base + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys)
        return Located(None, self.file, path)


def scoring(subject: Subject) -> Sheet | None:
    """The subject's scoring sheet: its own form first, else the manifest's ``cham_diem``; None without one."""
    form = getattr(subject, "score_form", None)
    if form is not None:
        return Sheet(form.data, form.path, "$")
    if subject.raw.get("cham_diem"):
        loc = subject.at("cham_diem")
        return Sheet(loc.value, loc.file, loc.path)
    return None


def rubric_kind(subject: Subject) -> str:
    """Which rubric of the settings (``diem.thang_diem``) scores a subject: an organisation's kind, or ``dang_vien``."""
    return subject.raw.get("loai") if subject.kind == "to_chuc" else "dang_vien"


def rubric(settings: dict, subject: Subject) -> dict[str, float]:
    """Maximum points per criterion code from the settings' rubric of the subject's kind."""
    items = settings["diem"]["thang_diem"].get(rubric_kind(subject)) or []
    return {str(i["ma"]): float(i["toi_da"]) for i in items}


def computed_total(settings: dict, subject: Subject) -> tuple[float, float]:
    """(total after bonuses and deductions, maximum) of a subject's scoring sheet."""
    sheet = scoring(subject).value
    maxima = rubric(settings, subject)
    maximum = sum(maxima.get(str(c["ma"]), c.get("toi_da", 0)) for c in sheet["tieu_chi"])
    total = sum(c["diem"] for c in sheet["tieu_chi"]) + sum(b["diem"] for b in sheet.get("cong") or []) - sum(d["diem"] for d in sheet.get("tru") or [])
    if not settings["diem"]["vuot_toi_da"] and maximum:
        total = min(total, maximum)
    return round(total, 2), maximum
