"""Form-level rules for collectives and party organisations: COL-*, ORG-* of domain/rules.md."""

from __future__ import annotations

from ..unit import Org, parse_date
from . import Context, rule
from .arithmetic import add_months, level_rank, supported_level
from .individual import _name


def _criteria(ctx: Context, o: Org) -> tuple[list[str], list[str]] | None:
    if o.form is None:
        return None
    groups = ctx.data["tieu_chi"].get(o.form.entry.key)
    if not groups:
        return None

    def read(paths):
        return [loc.value for p in paths if (loc := o.form_at(p + ".cap_do")) is not None and loc.value]

    return read(groups["nhiem_vu"]), read(groups["khac"])


def _disciplined(o: Org) -> bool:
    return bool(o.raw.get("lanh_dao_bi_ky_luat")) or (o.raw.get("so_don_vi_truc_thuoc_bi_ky_luat") or 0) > 0


@rule("COL-LEVEL-CRITERIA", "org", needs_unit=False)
def collective_level(ctx: Context, o: Org) -> None:
    """Mức của tập thể phù hợp với cấp độ các tiêu chí và điều kiện về kỷ luật; báo mức mà dữ liệu cho phép.

    Nguồn: Quy định 124-QĐ/TW, Điều 12; Quy định 366-QĐ/TW, Điều 11.
    """
    level = o.level()
    found = _criteria(ctx, o)
    if level is None or found is None:
        return
    supported = supported_level(found[0], found[1], ctx.data["dieu_kien_muc"])
    reason = "theo cấp độ các tiêu chí đã tự đánh giá"
    if supported == "HTXSNV" and _disciplined(o):
        supported, reason = "HTTNV", "vì có tổ chức trực thuộc hoặc thành viên lãnh đạo bị kỷ luật"
    if level_rank(level.value) > level_rank(supported):
        ctx.report(level, f"{o.name}: mức {_name(level.value)} cao hơn mức cho phép {reason}; mức phù hợp cao nhất là {_name(supported)}.", subject=o)


@rule("COL-KHT-CASES", "org")
def collective_failure_cases(ctx: Context, o: Org) -> None:
    """Các trường hợp buộc tập thể xếp KHTNV: dưới 50% chỉ tiêu, lãnh đạo bị kỷ luật, trên 20% đơn vị bị kỷ luật, mất đoàn kết.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4; Quy định 366-QĐ/TW, Điều 11.
    """
    level = o.level()
    if level is None or level.value == "KHTNV":
        return
    spec = ctx.data["tap_the_kht"]
    reasons = []
    result = o.raw.get("ket_qua_nhiem_vu") or {}
    rate = result.get("ty_le_chi_tieu")
    if rate is not None and rate < spec["ty_le_chi_tieu_toi_thieu"] and not result.get("chi_tieu_chu_yeu_dat", True) and not result.get("bat_kha_khang"):
        reasons.append(f"chỉ đạt {rate:.0%} chỉ tiêu và không đạt các chỉ tiêu chủ yếu")
    if o.raw.get("lanh_dao_bi_ky_luat"):
        reasons.append("tập thể lãnh đạo hoặc thành viên lãnh đạo bị kỷ luật trong năm")
    total, punished = o.raw.get("so_don_vi_truc_thuoc") or 0, o.raw.get("so_don_vi_truc_thuoc_bi_ky_luat") or 0
    if total and punished / total > spec["ty_le_don_vi_bi_ky_luat_toi_da"]:
        reasons.append(f"{punished}/{total} đơn vị trực thuộc bị kỷ luật")
    if o.raw.get("mat_doan_ket"):
        reasons.append("có kết luận mất đoàn kết nội bộ")
    if o.raw.get("thanh_vien_suy_thoai"):
        reasons.append("có thành viên bị kết luận suy thoái")
    if reasons:
        ctx.report(level, f"{o.name}: {'; '.join(reasons)} nên phải xếp loại \"Không hoàn thành nhiệm vụ\"; đang ghi {_name(level.value)}.", subject=o)


@rule("COL-MIN-LEADERS", "org")
def collective_min_leaders(ctx: Context, o: Org) -> None:
    """Chỉ xếp loại tập thể lãnh đạo, quản lý có từ 02 lãnh đạo trực tiếp; nơi chỉ có 01 người thì đánh giá như cá nhân.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 3.1; Hướng dẫn 43-HD/BTCTW, mục 7.4.
    """
    minimum = ctx.locality.get("tap_the_toi_thieu_lanh_dao", 2)
    count = o.raw.get("so_lanh_dao")
    if o.raw.get("loai") == "tap_the_lanh_dao" and count is not None and count < minimum and o.level() is not None:
        ctx.report(o.at("so_lanh_dao"), f"{o.name} chỉ có {count} lãnh đạo trực tiếp (cần từ {minimum}): không xếp loại tập thể, đánh giá như cá nhân.", subject=o)


@rule("ORG-NEW", "org")
def new_organisation(ctx: Context, o: Org) -> None:
    """Tổ chức đảng mới thành lập chưa đủ 6 tháng thì chưa xếp loại.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    founded = parse_date(o.raw.get("ngay_thanh_lap"))
    level = o.level()
    if founded is None or level is None:
        return
    months = ctx.locality.get("so_thang", {}).get("to_chuc_moi", 6)
    evaluation = o.meeting_date() or ctx.unit.period_end
    if add_months(founded, months) > evaluation:
        ctx.report(level, f"{o.name} thành lập ngày {founded:%d/%m/%Y}, chưa đủ {months} tháng đến ngày đánh giá {evaluation:%d/%m/%Y}: kiểm điểm nhưng chưa xếp loại.", subject=o)


@rule("ORG-MEMBERS-LINK", "org")
def organisation_and_members(ctx: Context, o: Org) -> None:
    """Mức của tổ chức đảng phù hợp với mức của đảng viên và tổ chức trực thuộc (mô hình Hướng dẫn 21).

    Nguồn: Hướng dẫn 43-HD/BTCTW, Mục 3; Hướng dẫn 21-HD/BTCTW (mô hình); thiết lập địa phương.
    """
    level = o.level()
    if level is None:
        return
    need = ctx.locality.get("to_chuc_va_thanh_vien", {}).get(level.value)
    if not need:
        return
    unit = ctx.unit
    parts = [m.level().value for m in unit.members if m.raw.get("chi_bo") == o.ma and m.status == "xep_loai" and m.level()]
    parts += [c.level().value for c in unit.orgs if c.raw.get("thuoc") == o.ma and c.level()]
    if not parts:
        return
    at_least_htnv = sum(level_rank(x) >= level_rank("HTNV") for x in parts) / len(parts)
    at_least_httnv = sum(level_rank(x) >= level_rank("HTTNV") for x in parts) / len(parts)
    if at_least_htnv < need.get("tu_htnv", 0) or at_least_httnv < need.get("tu_httnv", 0):
        ctx.report(
            level,
            f"{o.name} xếp {_name(level.value)} cần {need.get('tu_htnv', 0):.0%} đảng viên/tổ chức trực thuộc từ HTNV và "
            f"{need.get('tu_httnv', 0):.0%} từ HTTNV trở lên; thực tế {at_least_htnv:.0%} và {at_least_httnv:.0%}.",
            subject=o,
        )
