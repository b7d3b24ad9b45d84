"""Form-level rules for individuals (đảng viên, cán bộ): IND-* of domain/rules.md."""

from __future__ import annotations

import datetime as dt

from ..grading import add_months, days_in_period, vn
from ..unit import Member, Subject, parse_date
from .engine import Context, rule
from .measures import criteria, failure_cases, highest_level, lowest_criterion


def must_be_bottom(ctx: Context, s: Subject, why: str) -> None:
    """Report when the subject's effective level is not the ruleset's bottom level although ``why`` forces it."""
    level, bottom = s.level(), ctx.ruleset.bottom
    if level is None or level.value == bottom:
        return
    ctx.report(level, f"{s.name}: {why} nên phải xếp loại \"{ctx.ruleset.level_name(bottom)}\"; đang ghi {ctx.ruleset.named(level.value)}.", subject=s)


@rule("IND-KEM-KHT", "member", needs_unit=False)
def kem_means_khtnv(ctx: Context, m: Member) -> None:
    """Một tiêu chí ở cấp độ "Kém" thì mức xếp loại phải là KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4 (đoạn mở đầu).
    """
    reasons = failure_cases(ctx, m, ctx.ruleset.failure_cases(ctx.row["truong_hop"]))
    if reasons:
        must_be_bottom(ctx, m, "; ".join(reasons))


@rule("IND-LEVEL-CRITERIA", "member", needs_unit=False)
def level_matches_criteria(ctx: Context, m: Member) -> None:
    """Mức xếp loại phù hợp với cấp độ các tiêu chí; báo mức mà dữ liệu cho phép.

    Nguồn: Quy định 124-QĐ/TW, Điều 12; Quy định 366-QĐ/TW, Điều 11.
    """
    level = m.level()
    if level is None or criteria(ctx.ruleset, m) is None:
        return
    # The bottom of the criterion scale forces the bottom level: IND-KEM-KHT reports that, not this rule.
    if lowest_criterion(ctx, m) == ctx.ruleset.scale[-1]:
        return
    supported, _ = highest_level(ctx, m, ctx.ruleset.conditions(ctx.row["dieu_kien"]))
    if ctx.ruleset.rank(level.value) > ctx.ruleset.rank(supported):
        ctx.report(
            level,
            f"{m.name}: mức {ctx.ruleset.named(level.value)} cao hơn mức mà cấp độ các tiêu chí cho phép; "
            f"theo các tiêu chí đã tự đánh giá, mức phù hợp cao nhất là {ctx.ruleset.named(supported)}.",
            subject=m,
        )


@rule("IND-CIVIL-SERVANT-LINK", "member", needs_unit=False)
def civil_servant_link(ctx: Context, m: Member) -> None:
    """Mức đảng viên không cao hơn mức mà kết quả xếp loại CBCCVC cho phép.

    Nguồn: Hướng dẫn 21-HD/BTCTW, mục 2.3 (mô hình); hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    setting = ctx.settings["lien_ket_cbccvc"]
    if not setting["bat"]:
        return
    cb, level = m.civil_servant_level(), m.level()
    if cb is None or level is None:
        return
    rs = ctx.ruleset
    if cb.value == rs.bottom and level.value != rs.bottom:
        ctx.report(level, f"{m.name}: xếp loại cán bộ, công chức, viên chức là {rs.bottom} nên mức đảng viên phải là {rs.bottom}; đang ghi {rs.named(level.value)}.", subject=m)
    elif setting["htxs_can_cbccvc_htxs"] and level.value == rs.top and cb.value != rs.top:
        ctx.report(
            level,
            f"{m.name}: đảng viên là cán bộ, công chức, viên chức chỉ xếp {rs.top} khi xếp loại CBCCVC cũng là {rs.top}; "
            f"mức CBCCVC là {cb.value}, nên mức đảng viên cao nhất là {rs.levels[1]}.",
            subject=m, severity=ctx.severity("IND-CIVIL-SERVANT-LINK", "muc_do_htxs"),
        )


@rule("IND-DISCIPLINE-KHT", "member")
def discipline_means_khtnv(ctx: Context, m: Member) -> None:
    """Bị kỷ luật trong năm đánh giá (trừ tự phát hiện và khắc phục xong) thì xếp KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4.3, điểm d; Quy định 366-QĐ/TW, Điều 11.
    """
    spec = ctx.row
    order = spec["hinh_thuc"]
    period = ctx.period(m)
    for item in m.raw.get("ky_luat") or []:
        day = parse_date(item["ngay"])
        if not period.contains(day) or item.get("tu_phat_hien_khac_phuc"):
            continue
        if order.index(item["hinh_thuc"]) < order.index(spec["tu_muc"]):
            continue
        if spec["chi_lien_quan_nhiem_vu"] and not item.get("lien_quan_nhiem_vu"):
            continue
        must_be_bottom(ctx, m, f"bị kỷ luật {ctx.ruleset.vocabulary('ky_luat')[item['hinh_thuc']]} ngày {day:%d/%m/%Y} trong năm đánh giá")
        return


@rule("IND-DEGRADATION-KHT", "member")
def degradation_means_khtnv(ctx: Context, m: Member) -> None:
    """Bị kết luận suy thoái, "tự diễn biến", "tự chuyển hoá" hoặc vi phạm điều cấm, trách nhiệm nêu gương thì xếp KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4; Quy định 366-QĐ/TW, Điều 11.
    """
    found = m.raw.get("suy_thoai")
    if found:
        must_be_bottom(ctx, m, f"đã bị {found['co_quan']} kết luận suy thoái hoặc vi phạm điều đảng viên không được làm")


@rule("IND-SICK-CAP", "member")
def sick_leave_cap(ctx: Context, m: Member) -> None:
    """Nghỉ ốm cộng dồn từ 3 tháng trở lên trong năm thì không xếp từ HTTNV trở lên.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Hướng dẫn 43-HD/BTCTW, mục 7.5.
    """
    setting = ctx.settings["nghi_om"]
    if not setting["bat"]:
        return
    period = ctx.period(m)
    leave = [(parse_date(p["tu"]), parse_date(p["den"])) for p in m.raw.get("nghi_om") or []]
    days = days_in_period(leave, period.start, period.end)
    level, cap, rs = m.level(), setting["muc_toi_da"], ctx.ruleset
    if days >= setting["nguong_ngay"] and level is not None and rs.rank(level.value) > rs.rank(cap):
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
