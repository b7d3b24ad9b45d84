"""Rules on scoring sheets (biểu chấm điểm): PTS-* of domain/rules.md."""

from __future__ import annotations

from typing import Iterator

from ..grading import deduction_expected, vn
from ..scoring import Sheet, computed_total, rubric, scoring
from ..settings import rubric_leaves, rubric_problems
from ..unit import Located, Member, Subject, value_of
from .classify import report_level
from .conditions import score_objects
from .engine import Context, rule
from .measures import highest_level

COLLECTIVE_GROUP = "tap_the"
"""The subject group (a key of the ruleset's ``nhan.nhom_doi_tuong``) of every collective, as ``checklist`` names its package kind."""
CENTRAL_GROUP = "dien_tw"
"""The subject group of a leader the form marks as centrally managed (field ``dien_tw``)."""


def scored(ctx: Context) -> Iterator[tuple[Subject, Sheet]]:
    """Every subject of the unit with a scoring sheet, organisations first."""
    for subject in [*ctx.unit.orgs, *ctx.unit.members]:
        sheet = scoring(subject)
        if sheet is not None:
            yield subject, sheet


@rule("PTS-MAX", "unit")
def score_within_maximum(ctx: Context) -> None:
    """Điểm mỗi tiêu chí từ 0 đến điểm tối đa; tổng điểm cộng đúng.

    Nguồn: thang điểm (biểu chấm điểm) của địa phương.
    """
    for s, src in scored(ctx):
        maxima = rubric(ctx.settings, s)
        sheet = src.value
        for i, c in enumerate(sheet["tieu_chi"]):
            top = maxima.get(str(c["ma"]), c.get("toi_da"))
            if maxima and str(c["ma"]) not in maxima:
                ctx.report(src.at("tieu_chi", i, "ma"), f"Tiêu chí '{c['ma']}' không có trong thang điểm của địa phương.", subject=s)
            elif top is None:
                # No maximum anywhere: no document can print the criterion's line or the sheet's total.
                ctx.report(src.at("tieu_chi", i, "ma"), f"Không biết điểm tối đa của tiêu chí '{c['ma']}': ghi toi_da của tiêu chí trong biểu chấm điểm, "
                           "hoặc thang điểm (diem.thang_diem) trong thiết lập địa phương.", subject=s)
            if c["diem"] < 0 or (top is not None and c["diem"] > top):
                ctx.report(src.at("tieu_chi", i, "diem"), f"{s.raw.get('ho_ten') or s.raw.get('ten')}: tiêu chí {c['ma']} chấm {vn(c['diem'])} điểm, " + (f"ngoài khoảng 0–{vn(top)}." if top is not None else "điểm không được âm."), subject=s)
        total, maximum = computed_total(ctx.settings, s)
        typed = sheet.get("tong")
        if typed is not None and abs(typed - total) > 0.005:
            ctx.report(src.at("tong"), f"Tổng điểm ghi {vn(typed)} nhưng cộng các tiêu chí, điểm cộng, điểm trừ được {vn(total)} (tối đa {vn(maximum)}).", subject=s)
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        for found in score_objects(s):
            _detailed_scores(ctx, s, found)


def subject_group(s: Subject) -> str | None:
    """The subject group whose criteria set scores a subject (a key of ``nhan.nhom_doi_tuong``): collectives
    share one, a centrally managed leader has one, any other individual has their role's."""
    if not isinstance(s, Member):
        return COLLECTIVE_GROUP
    return CENTRAL_GROUP if value_of(s.field("dien_tw")) is True else value_of(s.field("vai_tro"))


def _detailed_scores(ctx: Context, s: Subject, found: Located) -> None:
    """The criteria of a score by groups (``chi_tiet``): each within its maximum (the locality's criteria set when it
    has one, else the item's own), each named in the criteria set, and each group the sum of its criteria."""
    items = found.value.get("chi_tiet") or []
    if not items:
        return
    tree = ctx.settings["diem"]["bo_tieu_chi"].get(subject_group(s)) or {}
    names = ctx.ruleset.vocabulary("nhom_tieu_chi")
    for i, item in enumerate(items):
        here = lambda key: Located(item.get(key), found.file, f"{found.path}.chi_tiet[{i}].{key}")  # noqa: E731
        leaves = {str(leaf["ma"]): leaf for leaf in rubric_leaves(tree.get(item["nhom"]) or [])}
        top = item.get("toi_da")
        if tree:
            leaf = leaves.get(str(item.get("ma")))
            if leaf is None:
                ctx.report(here("ma"), f"{s.name}: tiêu chí '{item.get('ma') or item['noi_dung']}' không có trong {names.get(item['nhom'], item['nhom']).lower()} "
                           "của bộ tiêu chí địa phương (diem.bo_tieu_chi).", subject=s)
                continue
            top = leaf["toi_da"]
        if top is not None and item["diem"] > top:
            ctx.report(here("diem"), f"{s.name}: tiêu chí {item.get('ma') or item['noi_dung']} chấm {vn(item['diem'])} điểm, ngoài khoảng 0–{vn(top)}.", subject=s)
    for group in ctx.settings["diem"]["tran_nhom"]:
        parts = [item["diem"] for item in items if item["nhom"] == group]
        typed = found.value.get(group)
        if parts and typed is not None and abs(typed - sum(parts)) > 0.005:
            ctx.report(Located(typed, found.file, f"{found.path}.{group}"),
                       f"{s.name}: {names.get(group, group).lower()} ghi {vn(typed)} điểm nhưng cộng các tiêu chí được {vn(sum(parts))}.", subject=s)


@rule("Q366-RUBRIC-SUM", "unit")
def rubric_sums(ctx: Context) -> None:
    """Bộ tiêu chí của địa phương có điểm tối đa các tiêu chí cộng đúng 30 và 70.

    Bộ tiêu chí của địa phương theo từng nhóm đối tượng có điểm tối đa các tiêu chí cộng đúng bằng điểm tối đa của nhóm tiêu
    chí (30 và 70). Kiểm tra khi nạp thiết lập địa phương; quy tắc này chỉ báo lại khi thiết lập không qua bước nạp.

    Nguồn: Quy định 366-QĐ/TW, Điều 10 và Điều 3, khoản 4; Hướng dẫn 43-HD/BTCTW, tiểu mục 7.12.
    """
    for path, message in rubric_problems(ctx.ruleset, ctx.settings):
        ctx.report(Located(None, ctx.settings.get("_nguon") or "", path), f"Bộ tiêu chí của địa phương không hợp lệ: {message}")


@rule("PTS-DEDUCT-STEP", "unit")
def deduction_steps(ctx: Context) -> None:
    """Trừ 0,5 điểm cho mỗi 5% không đạt của một chỉ tiêu, không quá 2 điểm một chỉ tiêu.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    setting = ctx.settings["diem"]
    for s, src in scored(ctx):
        for i, d in enumerate(src.value.get("tru") or []):
            target = d.get("chi_tieu")
            if not target:
                continue
            expected = deduction_expected(
                target["ke_hoach"], target["dat"], per_step=setting["tru_moi_buoc"],
                step_percent=setting["phan_tram_moi_buoc"], cap=setting["tru_toi_da_moi_chi_tieu"],
                rounding=setting["lam_tron_buoc"],
            )
            if abs(d["diem"] - expected) > 0.005:
                ctx.report(src.at("tru", i, "diem"), f"Chỉ tiêu {target.get('ten', '')} đạt {vn(target['dat'])}/{vn(target['ke_hoach'])}: theo bước trừ của địa phương phải trừ {vn(expected)} điểm, đang trừ {vn(d['diem'])}.", subject=s)


@rule("PTS-BONUS-CAP", "unit")
def bonus_cap(ctx: Context) -> None:
    """Mỗi nội dung, thành tích được cộng tối đa 2 điểm.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    cap = ctx.settings["diem"]["cong_toi_da_moi_noi_dung"]
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
    bands = ctx.settings["diem"]["khung"]
    # Each band is a level condition on the total; a level without a band is never reached by points.
    conditions = {level: [{"do": "tong_diem", "toi_thieu": minimum}] for level, minimum in bands.items()}
    banded = [level for level in ctx.ruleset.levels if level in bands]
    for s, src in scored(ctx):
        total, _ = computed_total(ctx.settings, s)
        level = s.level()
        if not bands:
            ctx.report(src.at(), f"Tổng điểm {vn(total)}: địa phương chưa cấu hình khung điểm xếp loại nên chưa đối chiếu được với mức xếp loại.", subject=s, severity="info")
            continue
        band, _ = highest_level(ctx, s, conditions, banded)
        proposed = src.value.get("muc_de_xuat")
        where = src.at("muc_de_xuat") if proposed else level
        shown = proposed or (level.value if level else None)
        # A lower level than the band is allowed (quota, other conditions); a higher one is not.
        if shown and ctx.ruleset.rank(shown) > ctx.ruleset.rank(band):
            ctx.report(where, f"Tổng điểm {vn(total)} chỉ đạt khung {band}, nhưng mức ghi là {shown}.", subject=s)
    # Rulesets whose level conditions carry the band (a row naming this rule) report it through them.
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        report_level(ctx, s)
