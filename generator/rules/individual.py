"""Form-level rules for individuals (đảng viên, cán bộ): IND-* of domain/rules.md."""

from __future__ import annotations

import datetime as dt

from ..grading import add_months, days_in_period, vn
from ..unit import Member, parse_date
from .classify import MITIGATION_FLAG, ask_competent_level, mitigations, must_be_bottom, report_cases, report_level
from .engine import Context, rule


@rule("IND-KEM-KHT", "member", needs_unit=False)
def kem_means_khtnv(ctx: Context, m: Member) -> None:
    """Một tiêu chí ở cấp độ "Kém" thì mức xếp loại phải là KHTNV.

    The case rows are the member's table of ``truong_hop_khong_dat`` (classify.py).
    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4 (đoạn mở đầu).
    """
    report_cases(ctx, m)


@rule("IND-LEVEL-CRITERIA", "member", needs_unit=False)
def level_matches_criteria(ctx: Context, m: Member) -> None:
    """Mức xếp loại phù hợp với điều kiện các mức (cấp độ các tiêu chí; qd366: dải điểm và sổ nhiệm vụ); báo mức mà dữ liệu cho phép.

    A failure case that holds forces the bottom level and is reported by the case rule, not this one; a row
    that names its own rule (``quy_tac``) is reported by that rule.
    Nguồn: Quy định 124-QĐ/TW, Điều 12; Quy định 366-QĐ/TW, Điều 11.
    """
    report_level(ctx, m)


@rule("Q366-KHT-LEADER-CASES", "member", needs_unit=False)
def leader_failure_cases(ctx: Context, m: Member) -> None:
    """Cá nhân lãnh đạo, quản lý thuộc một trường hợp của khoản 4.2 thì xếp KHTNV (có lý do giảm nhẹ: cấp có thẩm quyền quyết định).

    Cá nhân lãnh đạo, quản lý thuộc một trường hợp không hoàn thành nhiệm vụ (đơn vị do mình lãnh đạo hoàn thành dưới 70%
    nhiệm vụ hoặc không đạt chỉ tiêu kinh tế - xã hội cơ bản, trên 50% đơn vị KHTNV, trên 50% phiếu tín nhiệm thấp, tham nhũng
    trong phạm vi quản lý bị kỷ luật) thì xếp KHTNV; có lý do giảm nhẹ thì cấp có thẩm quyền quyết định.

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 4.2.
    """
    report_cases(ctx, m)


@rule("Q366-KHT-STAFF-CASES", "member", needs_unit=False)
def staff_failure_cases(ctx: Context, m: Member) -> None:
    """Cá nhân không giữ chức vụ có trên 50% nhiệm vụ trong năm bị đánh giá không hoàn thành thì xếp KHTNV.

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 4.3.
    """
    report_cases(ctx, m)


def state_decree(table: list[dict], year: int, kind: str | None) -> str | None:
    """The state's text on grading cán bộ, công chức, viên chức for an evaluation year: the first row of the settings'
    table (``lien_ket_cbccvc.can_cu_theo_ky``) whose years (``tu_nam``–``den_nam``, either open) hold ``year``, in its
    wording for the member's kind (``theo_loai``) when it has one; None when no row holds the year."""
    for row in table:
        if (row.get("tu_nam") is None or row["tu_nam"] <= year) and (row.get("den_nam") is None or year <= row["den_nam"]):
            return (row.get("theo_loai") or {}).get(kind) or row["can_cu"]
    return None


@rule("IND-CIVIL-SERVANT-LINK", "member", needs_unit=False)
def civil_servant_link(ctx: Context, m: Member) -> None:
    """Mức đảng viên không cao hơn mức mà kết quả xếp loại CBCCVC cho phép.

    Căn cứ của phát hiện là căn cứ của quy tắc cùng văn bản của Nhà nước về đánh giá, xếp loại CBCCVC áp dụng cho năm đánh giá
    (thiết lập lien_ket_cbccvc.can_cu_theo_ky: Nghị định 90/2020/NĐ-CP đến năm 2025; từ năm 2026 Nghị định 335/2025/NĐ-CP với
    công chức, Nghị định 233/2026/NĐ-CP với viên chức, theo loai_cbccvc của đảng viên).

    Nguồn: Hướng dẫn 21-HD/BTCTW, mục 2.3 (mô hình); hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Nghị định 90/2020/NĐ-CP, Nghị định 335/2025/NĐ-CP, Nghị định 233/2026/NĐ-CP.
    """
    setting = ctx.settings["lien_ket_cbccvc"]
    if not setting["bat"]:
        return
    cb, level = m.civil_servant_level(), m.level()
    if cb is None or level is None:
        return
    rs = ctx.ruleset
    decree = state_decree(setting["can_cu_theo_ky"], ctx.period(m).year, m.raw.get("loai_cbccvc"))
    basis = f"{ctx.row['can_cu']}; {decree}" if decree else None
    if cb.value == rs.bottom and level.value != rs.bottom:
        ctx.report(level, f"{m.name}: xếp loại cán bộ, công chức, viên chức là {rs.bottom} nên mức đảng viên phải là {rs.bottom}; đang ghi {rs.named(level.value)}.", subject=m, basis=basis)
    elif setting["htxs_can_cbccvc_htxs"] and level.value == rs.top and cb.value != rs.top:
        ctx.report(
            level,
            f"{m.name}: đảng viên là cán bộ, công chức, viên chức chỉ xếp {rs.top} khi xếp loại CBCCVC cũng là {rs.top}; "
            f"mức CBCCVC là {cb.value}, nên mức đảng viên cao nhất là {rs.levels[1]}.",
            subject=m, severity=ctx.severity("IND-CIVIL-SERVANT-LINK", "muc_do_htxs"), basis=basis,
        )


@rule("IND-DISCIPLINE-KHT", "member")
def discipline_means_khtnv(ctx: Context, m: Member) -> None:
    """Bị kỷ luật trong năm đánh giá (trừ tự phát hiện và khắc phục xong) thì xếp KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4.3, điểm d; Quy định 366-QĐ/TW, Điều 11.
    """
    spec = ctx.row
    order = spec["hinh_thuc"]
    period = ctx.period(m)
    # Without accepted mitigations (qd124) a self-detected, remedied violation does not count; with them (qd366)
    # it counts, but the competent level decides (a warning).
    accepted = spec.get("giam_nhe")
    mitigated = []
    for item in m.raw.get("ky_luat") or []:
        day = parse_date(item["ngay"])
        if not period.contains(day) or (accepted is None and item.get(MITIGATION_FLAG)):
            continue
        if order.index(item["hinh_thuc"]) < order.index(spec["tu_muc"]):
            continue
        if spec["chi_lien_quan_nhiem_vu"] and not item.get("lien_quan_nhiem_vu"):
            continue
        why = f"bị kỷ luật {ctx.ruleset.vocabulary('ky_luat')[item['hinh_thuc']]} ngày {day:%d/%m/%Y} trong năm đánh giá"
        found = mitigations(m, accepted, ctx.rule_id)
        if item.get(MITIGATION_FLAG) and MITIGATION_FLAG in (accepted or ()):
            found.append({"ly_do": MITIGATION_FLAG})
        if not found:
            must_be_bottom(ctx, m, why)
            return
        mitigated.append((why, found))
    if mitigated:
        ask_competent_level(ctx, m, mitigated[0][0], mitigated[0][1])


@rule("IND-DEGRADATION-KHT", "member")
def degradation_means_khtnv(ctx: Context, m: Member) -> None:
    """Bị kết luận suy thoái, "tự diễn biến", "tự chuyển hoá" hoặc vi phạm điều cấm, trách nhiệm nêu gương thì xếp KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4; Quy định 366-QĐ/TW, Điều 11.
    """
    found = m.raw.get("suy_thoai")
    if not found:
        return
    why = f"đã bị {found['co_quan']} kết luận suy thoái hoặc vi phạm điều đảng viên không được làm"
    eased = mitigations(m, ctx.row.get("giam_nhe"), ctx.rule_id)
    if eased:
        ask_competent_level(ctx, m, why, eased)
    else:
        must_be_bottom(ctx, m, why)


@rule("IND-SICK-CAP", "member")
def sick_leave_cap(ctx: Context, m: Member) -> None:
    """Nghỉ ốm cộng dồn từ 3 tháng trở lên trong năm: không cao hơn mức tối đa của thiết lập, hoặc (không có mức tối đa) xếp theo kết quả làm việc thực tế.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Hướng dẫn 43-HD/BTCTW, mục 7.5.
    """
    setting = ctx.settings["nghi_om"]
    if not setting["bat"]:
        return
    period = ctx.period(m)
    leave = [(parse_date(p["tu"]), parse_date(p["den"])) for p in m.raw.get("nghi_om") or []]
    days = days_in_period(leave, period.start, period.end)
    # A ruleset without a cap (muc_toi_da absent, qd366) grades long sick leave on the work actually done.
    level, cap, rs = m.level(), setting.get("muc_toi_da"), ctx.ruleset
    if days < setting["nguong_ngay"] or level is None:
        return
    if cap is None:
        ctx.report(level, f"{m.name}: nghỉ ốm {days} ngày trong năm (từ {setting['nguong_ngay']} ngày): xếp loại theo kết quả làm việc thực tế của năm, không giới hạn mức.", subject=m)
    elif rs.rank(level.value) > rs.rank(cap):
        ctx.report(level, f"{m.name}: nghỉ ốm {days} ngày trong năm (từ {setting['nguong_ngay']} ngày) nên mức cao nhất là {rs.named(cap)}; đang ghi {rs.named(level.value)}.", subject=m)


@rule("IND-MATERNITY", "member")
def maternity(ctx: Context, m: Member) -> None:
    """Nghỉ thai sản: xếp loại theo thời gian làm việc thực tế trong năm.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Hướng dẫn 43-HD/BTCTW, mục 7.5.
    """
    for i, p in enumerate(m.raw.get("thai_san") or []):
        where = m.at("thai_san", i)
        if p.get("tu") and p.get("den"):
            ctx.report(where, f"{m.name} nghỉ thai sản từ {parse_date(p['tu']):%d/%m/%Y} đến {parse_date(p['den']):%d/%m/%Y}: kết quả xếp loại là kết quả trong thời gian làm việc thực tế của năm.", subject=m)
        else:
            ctx.report(where, f"{m.name} nghỉ thai sản: ghi rõ từ ngày, đến ngày để xác định thời gian làm việc thực tế.", subject=m)


def _graded(m: Member) -> bool:
    return m.level() is not None


@rule("IND-NEW-MEMBER", "member")
def new_member(ctx: Context, m: Member) -> None:
    """Đảng viên mới kết nạp chưa đủ 6 tháng đến ngày đánh giá thì không kiểm điểm, không xếp loại.

    Nguồn: Quy định 124-QĐ/TW, Điều 5, khoản 2.1.
    """
    admitted = parse_date(m.raw.get("ngay_vao_dang"))
    if admitted is None:
        return
    months = ctx.settings["so_thang"]["moi_ket_nap"]
    evaluation = m.evaluation_date()
    if add_months(admitted, months) <= evaluation:
        return
    what = []
    if m.form is not None:
        what.append("có bản kiểm điểm")
    if _graded(m):
        what.append("có mức xếp loại")
    if m.status != "chua_kiem_diem":
        what.append(f"tình trạng ghi '{m.status}'")
    if what:
        where = m.level() or m.at("ngay_vao_dang")
        ctx.report(
            where,
            f"{m.name} kết nạp ngày {admitted:%d/%m/%Y}, chưa đủ {months} tháng đến ngày đánh giá {evaluation:%d/%m/%Y}: "
            f"không kiểm điểm, không xếp loại ({', '.join(what)}). Ghi tinh_trang: chua_kiem_diem, ly_do: moi_ket_nap.",
            subject=m,
        )


def _covers(period: dict | None, day: dt.date) -> bool:
    return bool(period) and parse_date(period["tu"]) <= day <= parse_date(period["den"])


@rule("IND-EXEMPT", "member")
def exempt_or_suspended(ctx: Context, m: Member) -> None:
    """Đảng viên được miễn công tác và sinh hoạt đảng hoặc bị đình chỉ sinh hoạt đảng thì không kiểm điểm, xếp loại.

    Nguồn: Quy định 124-QĐ/TW, Điều 5, khoản 2.1.
    """
    day = m.evaluation_date()
    for key, what in (("mien_sinh_hoat", "được miễn công tác và sinh hoạt đảng"), ("dinh_chi_sinh_hoat", "bị đình chỉ sinh hoạt đảng")):
        if _covers(m.raw.get(key), day) and (_graded(m) or m.form is not None):
            where = m.level() or m.at(key)
            ctx.report(where, f"{m.name} {what} vào ngày đánh giá {day:%d/%m/%Y} nên không kiểm điểm, không xếp loại. Ghi tinh_trang: chua_kiem_diem, ly_do: {key}.", subject=m)


@rule("IND-SUSPENDED-COMMITTEE", "member")
def suspended_committee_member(ctx: Context, m: Member) -> None:
    """Cấp ủy viên bị đình chỉ sinh hoạt cấp ủy vẫn phải kiểm điểm và xếp loại.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần A, mục 1.2 và Phần B, mục 2.1; Hướng dẫn 43-HD/BTCTW, mục 7.7.
    """
    if m.raw.get("dinh_chi_cap_uy") and (m.status != "xep_loai" or not _graded(m)):
        ctx.report(m.at("tinh_trang"), f"{m.name} bị đình chỉ sinh hoạt cấp ủy nhưng vẫn phải kiểm điểm và đánh giá, xếp loại chất lượng.", subject=m)


@rule("IND-TRANSFER-COMMENT", "member")
def transfer_comment(ctx: Context, m: Member) -> None:
    """Chuyển đến sau từ 6 tháng ở chi bộ cũ thì phải có nhận xét của chi bộ nơi chuyển đi.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    moved = m.raw.get("chuyen_den")
    if not moved:
        return
    months = ctx.settings["so_thang"]["o_noi_cu"]
    if not ctx.period(m).contains(parse_date(moved["ngay"])):
        return
    if moved.get("so_thang_o_noi_cu", 0) >= months and not moved.get("nhan_xet_noi_chuyen_di"):
        ctx.report(m.at("chuyen_den", "nhan_xet_noi_chuyen_di"), f"{m.name} chuyển đến ngày {parse_date(moved['ngay']):%d/%m/%Y} sau {vn(moved['so_thang_o_noi_cu'])} tháng ở {moved.get('tu') or 'chi bộ cũ'}: cần lấy nhận xét của chi bộ nơi chuyển đi trước khi xếp loại.", subject=m)


@rule("IND-TEMP-COMMENT", "member")
def temporary_attachment(ctx: Context, m: Member) -> None:
    """Đảng viên sinh hoạt tạm thời được xếp loại ở chi bộ chính thức, có nhận xét của chi bộ nơi sinh hoạt tạm thời.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Hướng dẫn 43-HD/BTCTW, mục 7.6.
    """
    temp = m.raw.get("sinh_hoat_tam_thoi")
    if not temp:
        return
    if temp.get("xep_loai_tai_noi_tam_thoi"):
        ctx.report(m.at("sinh_hoat_tam_thoi", "xep_loai_tai_noi_tam_thoi"), f"{m.name} phải được xếp loại ở chi bộ nơi sinh hoạt chính thức, không ở {temp['noi']}.", subject=m)
    if not temp.get("nhan_xet"):
        ctx.report(m.at("sinh_hoat_tam_thoi", "nhan_xet"), f"{m.name} sinh hoạt tạm thời tại {temp['noi']}: cần nhận xét của chi bộ nơi sinh hoạt tạm thời nộp cho chi bộ chính thức.", subject=m)


@rule("IND-RESIDENCE-COMMENT", "member")
def residence_comment(ctx: Context, m: Member) -> None:
    """Có nhận xét của cấp ủy nơi cư trú, trừ các trường hợp không lấy nhận xét hằng năm.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 7b; Quy định 366-QĐ/TW, Điều 17, khoản 2; Hướng dẫn 33-HD/BTCTW.
    """
    if m.status == "chua_kiem_diem" or m.raw.get("nhan_xet_cu_tru") or m.raw.get("mien_nhan_xet_cu_tru"):
        return
    ctx.report(m.at("nhan_xet_cu_tru"), f"{m.name}: chưa có nhận xét của cấp ủy nơi cư trú (ghi nhan_xet_cu_tru: true khi đã có, hoặc mien_nhan_xet_cu_tru nếu thuộc diện không lấy nhận xét).", subject=m)


@rule("IND-REVIEW-FIRST", "member")
def review_before_grading(ctx: Context, m: Member) -> None:
    """Phải hoàn thành kiểm điểm mới được đánh giá, xếp loại.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    # A self-proposed level is not a grade: only the chi bộ's proposal or a decision is.
    proposal = m.field("muc_de_xuat")
    graded = m.graded_date() is not None or bool(m.regrades()) or bool(proposal and proposal.value)
    if not graded:
        return
    if m.status == "chua_kiem_diem":
        ctx.report(m.at("tinh_trang"), f"{m.name} chưa kiểm điểm nhưng đã có mức xếp loại; phải kiểm điểm trước (vắng mặt thì tổ chức sớm nhất: ly_do vang_mat).", subject=m)
        return
    graded = m.graded_date()
    review = m.evaluation_date()
    if graded is not None and parse_date(graded.value) < review:
        ctx.report(graded, f"{m.name} được xếp loại ngày {parse_date(graded.value):%d/%m/%Y}, trước ngày kiểm điểm {review:%d/%m/%Y}.", subject=m)


@rule("Q366-DISCIPLINE-TIMING", "member")
def discipline_timing(ctx: Context, m: Member) -> None:
    """Kỷ luật cho vi phạm của kỳ trước hoặc ở đơn vị cũ: nhắc cách tính và đề nghị cấp trên xem xét.

    Kỷ luật trong kỳ cho vi phạm của kỳ trước, hoặc tại đơn vị mới cho vi phạm ở đơn vị cũ: đánh giá ở thời điểm hiện tại,
    tính cho đơn vị nơi xảy ra vi phạm; cấp ủy cấp trên trực tiếp xem xét.

    Nguồn: Quy định 366-QĐ/TW, Điều 11 (các trường hợp cần lưu ý).
    """
    period = ctx.period(m)
    labels = ctx.ruleset.vocabulary("ky_luat")
    for i, item in enumerate(m.raw.get("ky_luat") or []):
        decided = parse_date(item["ngay"])
        if not period.contains(decided):
            continue
        what = f"{m.name} bị kỷ luật {labels[item['hinh_thuc']]} ngày {decided:%d/%m/%Y}"
        committed = parse_date(item.get("ngay_vi_pham"))
        if committed is not None and committed < period.start:
            ctx.report(m.at("ky_luat", i, "ngay_vi_pham"),
                       f"{what} cho vi phạm ngày {committed:%d/%m/%Y}, trước {period.label_vi}: kỷ luật được tính vào kỳ quyết định kỷ luật; "
                       "cấp ủy cấp trên trực tiếp xem xét, đánh giá, xếp loại ở thời điểm hiện tại theo tính chất, mức độ vi phạm.", subject=m)
        if item.get("tai_don_vi_cu"):
            where = f" ({item['noi_vi_pham']})" if item.get("noi_vi_pham") else ""
            ctx.report(m.at("ky_luat", i, "tai_don_vi_cu"),
                       f"{what} cho vi phạm xảy ra ở đơn vị cũ{where}: không quy trách nhiệm cho tổ chức, cơ quan, đơn vị mới; "
                       "tập thể nơi xảy ra vi phạm được đánh giá theo thời điểm vi phạm.", subject=m)


@rule("Q366-SUBJECT-GROUP", "member")
def subject_group(ctx: Context, m: Member) -> None:
    """Mẫu bản kiểm điểm (2A, 2B, 2C) khớp với dữ liệu của đơn vị về chức vụ và nơi làm việc.

    Nhóm đối tượng (mẫu bản kiểm điểm 2A, 2B, 2C) đúng với dữ liệu của đơn vị: người đứng đầu tập thể lãnh đạo, quản lý dùng
    mẫu của cá nhân giữ chức vụ; đảng viên ngoài hệ thống chính trị không giữ chức vụ chính quyền, không có kết quả xếp loại
    cán bộ, công chức, viên chức. (Những gì chính biểu mẫu nói được, lược đồ của biểu mẫu đã kiểm tra.)

    Nguồn: Quy định 366-QĐ/TW, Điều 10, khoản 2; Hướng dẫn 43-HD/BTCTW, tiểu mục 2.1, điểm b.
    """
    role = m.field("vai_tro")
    if role is None or role.value not in ctx.ruleset.roles:
        return
    data = ctx.ruleset.roles[role.value]
    shown = f"{m.name} dùng mẫu của \"{data['ten']}\""
    leaders = [name for name, r in ctx.ruleset.roles.items() if (r or {}).get("lanh_dao")]
    if not data.get("lanh_dao"):
        heads = [o for o in m.unit.orgs if o.raw.get("nguoi_dung_dau") == m.ma and o.raw.get("loai") == "tap_the_lanh_dao"]
        if heads and leaders:
            ctx.report(role, f"{shown} nhưng là người đứng đầu {heads[0].name}: dùng mẫu của \"{ctx.ruleset.roles[leaders[0]]['ten']}\" "
                             f"(vai_tro: {leaders[0]}).", subject=m)
    if data.get("trong_he_thong") is False:
        post = m.field("chuc_vu_chinh_quyen")
        if post is not None and post.value:
            ctx.report(post, f"{shown} nhưng giữ chức vụ chính quyền '{post.value}' (làm việc trong hệ thống chính trị).", subject=m)
        if m.raw.get("muc_cbccvc"):
            ctx.report(m.at("muc_cbccvc"), f"{shown} nhưng don_vi.yaml ghi kết quả xếp loại cán bộ, công chức, viên chức ({m.raw['muc_cbccvc']}).", subject=m)


def _responsibility_triggers(ctx: Context, s) -> list[str]:
    """What Điều 6 khoản 3 asks a review to answer for, from the manifest: discipline, degradation, wrongdoing in one's
    scope, disunity, cadre-work violations."""
    period = ctx.period(s)
    found = []
    if any(period.contains(parse_date(k["ngay"])) for k in s.raw.get("ky_luat") or []) or s.raw.get("lanh_dao_bi_ky_luat"):
        found.append("bị kỷ luật")
    if s.raw.get("suy_thoai") or s.raw.get("thanh_vien_suy_thoai"):
        found.append("bị kết luận suy thoái, vi phạm")
    if any(period.contains(parse_date(v["ngay"])) for v in s.raw.get("vi_pham_trong_pham_vi") or []):
        found.append("có tham nhũng, tiêu cực trong phạm vi quản lý")
    if s.raw.get("mat_doan_ket"):
        found.append("mất đoàn kết nội bộ")
    if s.raw.get("sai_pham_cong_tac_can_bo"):
        found.append("sai phạm trong công tác cán bộ")
    return found


@rule("REVIEW-RESPONSIBILITY", "subject")
def review_responsibility(ctx: Context, s) -> None:
    """Có vi phạm, kỷ luật, suy thoái, tiêu cực, mất đoàn kết thì bản kiểm điểm, báo cáo làm rõ trách nhiệm.

    Khi có vi phạm, kỷ luật, suy thoái, tiêu cực, mất đoàn kết, bản kiểm điểm, báo cáo phải làm rõ trách nhiệm của tập thể, cá nhân
    (mục V của phần A).

    Nguồn: Quy định 366-QĐ/TW, Điều 6, khoản 3.
    """
    section = s.field("trach_nhiem")
    if section is None or section.value:
        return
    reasons = _responsibility_triggers(ctx, s)
    if reasons:
        ctx.report(section, f"{s.name}: {', '.join(reasons)} nhưng bản kiểm điểm, báo cáo chưa làm rõ trách nhiệm (mục V, phần A).", subject=s)


@rule("REVIEW-PLACES", "member")
def review_places(ctx: Context, m: Member) -> None:
    """Cá nhân giữ chức vụ lãnh đạo, quản lý kiểm điểm ở chi bộ và ở tập thể lãnh đạo, quản lý nơi làm việc.

    Cá nhân giữ chức vụ lãnh đạo, quản lý kiểm điểm ở 2 nơi: chi bộ nơi sinh hoạt và tập thể lãnh đạo, quản lý nơi làm việc (trừ
    khi tập thể lãnh đạo kiểm điểm cùng hội nghị của cấp ủy: kiem_diem_tai_cap_uy).

    Nguồn: Quy định 366-QĐ/TW, Điều 7, khoản 2 (2.3, 2.4).
    """
    if not m.is_leader or m.raw.get("kiem_diem_tai_cap_uy") or len(m.raw.get("cac_noi_danh_gia") or []) >= 2:
        return
    collectives = [o for o in m.unit.orgs if o.raw.get("loai") == "tap_the_lanh_dao"
                   and (o.raw.get("nguoi_dung_dau") == m.ma or m.ma in (o.raw.get("thanh_vien_lanh_dao") or []))]
    if not collectives:
        ctx.report(m.at("cac_noi_danh_gia"), f"{m.name} giữ chức vụ lãnh đạo, quản lý nhưng đơn vị chỉ ghi nơi kiểm điểm ở chi bộ: ghi cả tập thể lãnh đạo, "
                                             "quản lý nơi làm việc (cac_noi_danh_gia), hoặc kiem_diem_tai_cap_uy khi tập thể đó kiểm điểm cùng cấp ủy.", subject=m)
