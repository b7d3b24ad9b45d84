"""Form-level rules for collectives and party organisations: COL-*, ORG-* of domain/rules.md."""

from __future__ import annotations

from ..grading import add_months
from ..unit import Org, parse_date
from .classify import report_cases, report_level
from .engine import Context, rule


@rule("COL-LEVEL-CRITERIA", "org", needs_unit=False)
def collective_level(ctx: Context, o: Org) -> None:
    """Mức của tập thể phù hợp với điều kiện các mức (cấp độ các tiêu chí, kỷ luật; qd366: dải điểm và sổ nhiệm vụ); báo mức mà dữ liệu cho phép.

    A condition row with its own reason (``ly_do``, e.g. discipline) names it; the criteria speak for themselves.
    Nguồn: Quy định 124-QĐ/TW, Điều 12; Quy định 366-QĐ/TW, Điều 11.
    """
    report_level(ctx, o)


@rule("COL-KHT-CASES", "org")
def collective_failure_cases(ctx: Context, o: Org) -> None:
    """Các trường hợp buộc tập thể xếp KHTNV: dưới 50% chỉ tiêu, lãnh đạo bị kỷ luật, trên 20% đơn vị bị kỷ luật, mất đoàn kết.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4.
    """
    report_cases(ctx, o)


@rule("Q366-KHT-COL-CASES", "org", needs_unit=False)
def collective_failure_cases_366(ctx: Context, o: Org) -> None:
    """Tập thể lãnh đạo, quản lý thuộc một trường hợp của khoản 4.1 thì xếp KHTNV (có lý do giảm nhẹ: cấp có thẩm quyền quyết định).

    Tập thể lãnh đạo, quản lý thuộc một trường hợp không hoàn thành nhiệm vụ (sai phạm công tác cán bộ, mất đoàn kết; thành viên
    bị kỷ luật vì vi phạm liên quan đến chức trách, nhiệm vụ; thành viên suy thoái; hoàn thành dưới 70% nhiệm vụ hoặc không đạt
    chỉ tiêu kinh tế - xã hội cơ bản) thì xếp KHTNV; có lý do giảm nhẹ thì cấp có thẩm quyền quyết định.

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 4.1.
    """
    report_cases(ctx, o)


@rule("COL-MIN-LEADERS", "org")
def collective_min_leaders(ctx: Context, o: Org) -> None:
    """Chỉ xếp loại tập thể lãnh đạo, quản lý có từ 02 lãnh đạo trực tiếp; nơi chỉ có 01 người thì đánh giá như cá nhân.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 3.1; Hướng dẫn 43-HD/BTCTW, mục 7.4.
    """
    minimum = ctx.settings["tap_the_toi_thieu_lanh_dao"]
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
    months = ctx.settings["so_thang"]["to_chuc_moi"]
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
    # A level the settings set no shares for has no condition on its members.
    need = ctx.settings["to_chuc_va_thanh_vien"].get(level.value)
    if not need:
        return
    unit, rs = ctx.unit, ctx.ruleset
    parts = [m.level().value for m in unit.members if m.raw.get("chi_bo") == o.ma and m.status == "xep_loai" and m.level()]
    parts += [c.level().value for c in unit.orgs if c.raw.get("thuoc") == o.ma and c.level()]
    if not parts:
        return
    # The settings keys name the shares by the third and the second level (tu_htnv, tu_httnv).
    third, second = rs.levels[2], rs.levels[1]
    at_least_third = sum(rs.rank(x) >= rs.rank(third) for x in parts) / len(parts)
    at_least_second = sum(rs.rank(x) >= rs.rank(second) for x in parts) / len(parts)
    if at_least_third < need["tu_htnv"] or at_least_second < need["tu_httnv"]:
        ctx.report(
            level,
            f"{o.name} xếp {rs.named(level.value)} cần {need['tu_htnv']:.0%} đảng viên/tổ chức trực thuộc từ {third} và "
            f"{need['tu_httnv']:.0%} từ {second} trở lên; thực tế {at_least_third:.0%} và {at_least_second:.0%}.",
            subject=o,
        )
