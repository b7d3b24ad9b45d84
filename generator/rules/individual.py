"""Form-level rules for individuals (đảng viên, cán bộ): IND-* of domain/rules.md."""

from __future__ import annotations

import datetime as dt

from ..render import LEVEL_NAMES
from ..unit import Member, parse_date
from . import Context, rule
from .arithmetic import add_months, days_in_period, level_rank, supported_level, vn

DISCIPLINE_VI = {"khien_trach": "khiển trách", "canh_cao": "cảnh cáo", "cach_chuc": "cách chức", "khai_tru": "khai trừ"}


def _name(level: str) -> str:
    return f"{level} ({LEVEL_NAMES[level]})"


def criteria(ctx: Context, m: Member) -> tuple[list[str], list[str]] | None:
    """The member's criterion levels from the form: (task-result criteria, the others)."""
    if m.form is None:
        return None
    groups = ctx.data["tieu_chi"].get(m.form.entry.key)
    if not groups:
        return None

    def read(paths: list[str]) -> list[str]:
        out = []
        for dotted in paths:
            loc = m.form_at(dotted + ".cap_do")
            if loc is not None and loc.value:
                out.append(loc.value)
        return out

    return read(groups["nhiem_vu"]), read(groups["khac"])


def must_be_khtnv(ctx: Context, m: Member, why: str) -> None:
    """Report when the member's effective level is not KHTNV although ``why`` forces it."""
    level = m.level()
    if level is None or level.value == "KHTNV":
        return
    ctx.report(level, f"{m.name}: {why} nên phải xếp loại \"Không hoàn thành nhiệm vụ\"; đang ghi {_name(level.value)}.", subject=m)


def year_bounds(ctx: Context, m: Member) -> tuple[dt.date, dt.date]:
    year = ctx.unit.year if ctx.unit else m.form.data["ky_danh_gia"]["nam"]
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@rule("IND-KEM-KHT", "member", rulesets=("qd124",), needs_unit=False)
def kem_means_khtnv(ctx: Context, m: Member) -> None:
    """Một tiêu chí ở cấp độ "Kém" thì mức xếp loại phải là KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4 (đoạn mở đầu).
    """
    found = criteria(ctx, m)
    if found and "Kém" in [*found[0], *found[1]]:
        must_be_khtnv(ctx, m, "có tiêu chí tự đánh giá ở cấp độ \"Kém\"")


@rule("IND-LEVEL-CRITERIA", "member", needs_unit=False)
def level_matches_criteria(ctx: Context, m: Member) -> None:
    """Mức xếp loại phù hợp với cấp độ các tiêu chí; báo mức mà dữ liệu cho phép.

    Nguồn: Quy định 124-QĐ/TW, Điều 12; Quy định 366-QĐ/TW, Điều 11.
    """
    found = criteria(ctx, m)
    level = m.level()
    if not found or level is None or "Kém" in [*found[0], *found[1]]:
        return
    supported = supported_level(found[0], found[1], ctx.data["dieu_kien_muc"])
    if level_rank(level.value) > level_rank(supported):
        ctx.report(
            level,
            f"{m.name}: mức {_name(level.value)} cao hơn mức mà cấp độ các tiêu chí cho phép; "
            f"theo các tiêu chí đã tự đánh giá, mức phù hợp cao nhất là {_name(supported)}.",
            subject=m,
        )


@rule("IND-CIVIL-SERVANT-LINK", "member", needs_unit=False)
def civil_servant_link(ctx: Context, m: Member) -> None:
    """Mức đảng viên không cao hơn mức mà kết quả xếp loại CBCCVC cho phép.

    Nguồn: Hướng dẫn 21-HD/BTCTW, mục 2.3 (mô hình); hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    setting = ctx.locality.get("lien_ket_cbccvc", {})
    if not setting.get("bat", True):
        return
    cb, level = m.civil_servant_level(), m.level()
    if cb is None or level is None:
        return
    if cb.value == "KHTNV" and level.value != "KHTNV":
        ctx.report(level, f"{m.name}: xếp loại cán bộ, công chức, viên chức là KHTNV nên mức đảng viên phải là KHTNV; đang ghi {_name(level.value)}.", subject=m)
    elif setting.get("htxs_can_cbccvc_htxs", True) and level.value == "HTXSNV" and cb.value != "HTXSNV":
        ctx.report(
            level,
            f"{m.name}: đảng viên là cán bộ, công chức, viên chức chỉ xếp HTXSNV khi xếp loại CBCCVC cũng là HTXSNV; "
            f"mức CBCCVC là {cb.value}, nên mức đảng viên cao nhất là HTTNV.",
            subject=m, severity=ctx.severity("IND-CIVIL-SERVANT-LINK", "muc_do_htxs"),
        )


@rule("IND-DISCIPLINE-KHT", "member")
def discipline_means_khtnv(ctx: Context, m: Member) -> None:
    """Bị kỷ luật trong năm đánh giá (trừ tự phát hiện và khắc phục xong) thì xếp KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4.3, điểm d; Quy định 366-QĐ/TW, Điều 11.
    """
    spec = ctx.data["ky_luat"]
    order = spec["hinh_thuc"]
    start, end = year_bounds(ctx, m)
    for item in m.raw.get("ky_luat") or []:
        day = parse_date(item["ngay"])
        if not (start <= day <= end) or item.get("tu_phat_hien_khac_phuc"):
            continue
        if order.index(item["hinh_thuc"]) < order.index(spec["tu_muc"]):
            continue
        if spec.get("chi_lien_quan_nhiem_vu") and not item.get("lien_quan_nhiem_vu"):
            continue
        must_be_khtnv(ctx, m, f"bị kỷ luật {DISCIPLINE_VI[item['hinh_thuc']]} ngày {day:%d/%m/%Y} trong năm đánh giá")
        return


@rule("IND-DEGRADATION-KHT", "member")
def degradation_means_khtnv(ctx: Context, m: Member) -> None:
    """Bị kết luận suy thoái, "tự diễn biến", "tự chuyển hoá" hoặc vi phạm điều cấm, trách nhiệm nêu gương thì xếp KHTNV.

    Nguồn: Quy định 124-QĐ/TW, Điều 12, khoản 4; Quy định 366-QĐ/TW, Điều 11.
    """
    found = m.raw.get("suy_thoai")
    if found:
        must_be_khtnv(ctx, m, f"đã bị {found['co_quan']} kết luận suy thoái hoặc vi phạm điều đảng viên không được làm")


@rule("IND-SICK-CAP", "member")
def sick_leave_cap(ctx: Context, m: Member) -> None:
    """Nghỉ ốm cộng dồn từ 3 tháng trở lên trong năm thì không xếp từ HTTNV trở lên.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Hướng dẫn 43-HD/BTCTW, mục 7.5.
    """
    setting = ctx.locality.get("nghi_om", {})
    if not setting.get("bat", True):
        return
    start, end = year_bounds(ctx, m)
    periods = [(parse_date(p["tu"]), parse_date(p["den"])) for p in m.raw.get("nghi_om") or []]
    days = days_in_period(periods, start, end)
    level = m.level()
    cap = setting.get("muc_toi_da", "HTNV")
    if days >= setting.get("nguong_ngay", 90) and level is not None and level_rank(level.value) > level_rank(cap):
        ctx.report(level, f"{m.name}: nghỉ ốm {days} ngày trong năm (từ {setting.get('nguong_ngay', 90)} ngày) nên mức cao nhất là {_name(cap)}; đang ghi {_name(level.value)}.", subject=m)


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
    months = ctx.locality.get("so_thang", {}).get("moi_ket_nap", 6)
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
    months = ctx.locality.get("so_thang", {}).get("o_noi_cu", 6)
    start, end = year_bounds(ctx, m)
    if not (start <= parse_date(moved["ngay"]) <= end):
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
    proposal = m.form_at("danh_gia_chi_uy.muc")
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
