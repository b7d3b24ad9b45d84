"""Rules on scoring sheets (biểu chấm điểm): PTS-* of domain/rules.md."""

from __future__ import annotations

from typing import Iterator

from ..unit import Located, Subject
from . import Context, rule
from .arithmetic import LEVELS, deduction_expected, level_rank, vn


class Sheet:
    """A subject's scoring, from its scoring-sheet form (``bieu_diem``) or written in the manifest (``cham_diem``)."""

    def __init__(self, value: dict, file: str, base: str):
        self.value, self.file, self.base = value, file, base

    def at(self, *keys) -> Located:
        path = self.base + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys)
        return Located(None, self.file, path)


def scoring(subject: Subject) -> Sheet | None:
    form = getattr(subject, "score_form", None)
    if form is not None:
        return Sheet(form.data, form.path, "$")
    if subject.raw.get("cham_diem"):
        loc = subject.at("cham_diem")
        return Sheet(loc.value, loc.file, loc.path)
    return None


def scored(ctx: Context) -> Iterator[tuple[Subject, Sheet]]:
    for subject in [*ctx.unit.orgs, *ctx.unit.members]:
        sheet = scoring(subject)
        if sheet is not None:
            yield subject, sheet


def _rubric(locality: dict, subject: Subject) -> dict[str, float]:
    """Maximum points per criterion code from the locality rubric of the subject's kind."""
    kind = subject.raw.get("loai") if subject.kind == "to_chuc" else "dang_vien"
    items = locality.get("diem", {}).get("thang_diem", {}).get(kind) or []
    return {str(i["ma"]): float(i["toi_da"]) for i in items}


def computed_total(locality: dict, subject: Subject) -> tuple[float, float]:
    """(total after bonuses and deductions, maximum) of a subject's scoring sheet."""
    sheet = scoring(subject).value
    rubric = _rubric(locality, subject)
    maximum = sum(rubric.get(str(c["ma"]), c.get("toi_da", 0)) for c in sheet["tieu_chi"])
    total = sum(c["diem"] for c in sheet["tieu_chi"]) + sum(b["diem"] for b in sheet.get("cong") or []) - sum(d["diem"] for d in sheet.get("tru") or [])
    if not locality.get("diem", {}).get("vuot_toi_da", False) and maximum:
        total = min(total, maximum)
    return round(total, 2), maximum


@rule("PTS-MAX", "unit")
def score_within_maximum(ctx: Context) -> None:
    """Điểm mỗi tiêu chí từ 0 đến điểm tối đa; tổng điểm cộng đúng.

    Nguồn: thang điểm (biểu chấm điểm) của địa phương.
    """
    for s, src in scored(ctx):
        rubric = _rubric(ctx.locality, s)
        sheet = src.value
        for i, c in enumerate(sheet["tieu_chi"]):
            top = rubric.get(str(c["ma"]), c.get("toi_da"))
            if rubric and str(c["ma"]) not in rubric:
                ctx.report(src.at("tieu_chi", i, "ma"), f"Tiêu chí '{c['ma']}' không có trong thang điểm của địa phương.", subject=s)
            elif top is None:
                # No maximum anywhere: no document can print the criterion's line or the sheet's total.
                ctx.report(src.at("tieu_chi", i, "ma"), f"Không biết điểm tối đa của tiêu chí '{c['ma']}': ghi toi_da của tiêu chí trong biểu chấm điểm, "
                           "hoặc thang điểm (diem.thang_diem) trong thiết lập địa phương.", subject=s)
            if c["diem"] < 0 or (top is not None and c["diem"] > top):
                ctx.report(src.at("tieu_chi", i, "diem"), f"{s.raw.get('ho_ten') or s.raw.get('ten')}: tiêu chí {c['ma']} chấm {vn(c['diem'])} điểm, " + (f"ngoài khoảng 0–{vn(top)}." if top is not None else "điểm không được âm."), subject=s)
        total, maximum = computed_total(ctx.locality, s)
        typed = sheet.get("tong")
        if typed is not None and abs(typed - total) > 0.005:
            ctx.report(src.at("tong"), f"Tổng điểm ghi {vn(typed)} nhưng cộng các tiêu chí, điểm cộng, điểm trừ được {vn(total)} (tối đa {vn(maximum)}).", subject=s)


@rule("PTS-DEDUCT-STEP", "unit")
def deduction_steps(ctx: Context) -> None:
    """Trừ 0,5 điểm cho mỗi 5% không đạt của một chỉ tiêu, không quá 2 điểm một chỉ tiêu.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    setting = ctx.locality.get("diem", {})
    for s, src in scored(ctx):
        for i, d in enumerate(src.value.get("tru") or []):
            target = d.get("chi_tieu")
            if not target:
                continue
            expected = deduction_expected(
                target["ke_hoach"], target["dat"], per_step=setting.get("tru_moi_buoc", 0.5),
                step_percent=setting.get("phan_tram_moi_buoc", 5), cap=setting.get("tru_toi_da_moi_chi_tieu", 2),
                rounding=setting.get("lam_tron_buoc", "ceil"),
            )
            if abs(d["diem"] - expected) > 0.005:
                ctx.report(src.at("tru", i, "diem"), f"Chỉ tiêu {target.get('ten', '')} đạt {vn(target['dat'])}/{vn(target['ke_hoach'])}: theo bước trừ của địa phương phải trừ {vn(expected)} điểm, đang trừ {vn(d['diem'])}.", subject=s)


@rule("PTS-BONUS-CAP", "unit")
def bonus_cap(ctx: Context) -> None:
    """Mỗi nội dung, thành tích được cộng tối đa 2 điểm.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    cap = ctx.locality.get("diem", {}).get("cong_toi_da_moi_noi_dung", 2)
    for s, src in scored(ctx):
        for i, b in enumerate(src.value.get("cong") or []):
            if b["diem"] > cap:
                ctx.report(src.at("cong", i, "diem"), f"Điểm cộng {vn(b['diem'])} vượt mức tối đa {vn(cap)} điểm cho một nội dung, thành tích.", subject=s)


@rule("PTS-REASON", "unit")
def deduction_reason(ctx: Context) -> None:
    """Điểm trừ ghi rõ tiêu chí, lý do, người chịu trách nhiệm; điểm cộng ghi rõ thành tích.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    for s, src in scored(ctx):
        sheet = src.value
        for i, d in enumerate(sheet.get("tru") or []):
            missing = [label for key, label in (("tieu_chi", "tiêu chí"), ("ly_do", "lý do"), ("trach_nhiem", "tập thể, cá nhân chịu trách nhiệm")) if not d.get(key)]
            if missing:
                ctx.report(src.at("tru", i), f"Điểm trừ {vn(d['diem'])} thiếu: {', '.join(missing)}.", subject=s)
        for i, b in enumerate(sheet.get("cong") or []):
            if not b.get("thanh_tich"):
                ctx.report(src.at("cong", i), f"Điểm cộng {vn(b['diem'])} không nêu thành tích nổi bật, điển hình được cộng.", subject=s)


@rule("PTS-THRESHOLD", "unit")
def score_band(ctx: Context) -> None:
    """Mức xếp loại không cao hơn khung điểm (qd366: 90/70/50; qd124: khung của địa phương).

    Nguồn: Quy định 366-QĐ/TW, Điều 11; khung điểm của địa phương.
    """
    bands = ctx.locality.get("diem", {}).get("khung") or {}
    for s, src in scored(ctx):
        total, _ = computed_total(ctx.locality, s)
        level = s.level()
        if not bands:
            ctx.report(src.at(), f"Tổng điểm {vn(total)}: địa phương chưa cấu hình khung điểm xếp loại nên chưa đối chiếu được với mức xếp loại.", subject=s, severity="info")
            continue
        band = next((lvl for lvl in LEVELS[:-1] if lvl in bands and total >= bands[lvl]), "KHTNV")
        proposed = src.value.get("muc_de_xuat")
        where = src.at("muc_de_xuat") if proposed else level
        shown = proposed or (level.value if level else None)
        # A lower level than the band is allowed (quota, other conditions); a higher one is not.
        if shown and level_rank(shown) > level_rank(band):
            ctx.report(where, f"Tổng điểm {vn(total)} chỉ đạt khung {band}, nhưng mức ghi là {shown}.", subject=s)
