"""Rules on process and dates: notice, deadlines, meeting length, ballots, complaints, re-grading."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..grading import ballot_adopted, is_working_day, vn, working_days_before
from ..unit import Located, Member, Subject, parse_date, value_of
from .engine import Context, rule


def _extra_days_off(ctx: Context) -> list[dt.date]:
    return [parse_date(d) for d in ctx.settings["ngay_nghi_them"]]


@rule("DATE-NOTICE", "unit")
def notice_period(ctx: Context) -> None:
    """Dự thảo báo cáo tập thể gửi trước ít nhất 03 ngày làm việc; bản tự kiểm điểm gửi chi ủy trước 03 ngày.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần A, mục 4.1 và Phần B, mục 1.4; Hướng dẫn 43-HD/BTCTW, mục 2.1a.
    """
    setting = ctx.settings["thong_bao"]
    need_work, need_days = setting["tap_the_ngay_lam_viec"], setting["ca_nhan_ngay"]
    for o in ctx.unit.orgs:
        meeting = o.meeting_date()
        hop = o.raw.get("hop") or {}
        sent = hop.get("ngay_gui_du_thao") and o.at("hop", "ngay_gui_du_thao")
        if not sent and o.form is not None and o.form.data.get("ngay_lap"):
            sent = o.form_at("ngay_lap")
        if not meeting or not sent:
            continue
        days = working_days_before(parse_date(sent.value), meeting, _extra_days_off(ctx))
        if days < need_work:
            ctx.report(sent, f"{o.name}: dự thảo báo cáo gửi ngày {parse_date(sent.value):%d/%m/%Y}, chỉ {days} ngày làm việc trước hội nghị {meeting:%d/%m/%Y} (cần ít nhất {need_work}, không tính thứ Bảy, Chủ nhật, ngày lễ, Tết).", subject=o)
    for m in ctx.unit.members:
        submitted = m.form_at("ngay_lap")
        if submitted is None or not submitted.value or m.status == "chua_kiem_diem":
            continue
        meeting = m.evaluation_date()
        gap = (meeting - parse_date(submitted.value)).days
        if gap < need_days:
            ctx.report(submitted, f"{m.name}: bản tự kiểm điểm lập ngày {parse_date(submitted.value):%d/%m/%Y}, chỉ {gap} ngày trước hội nghị {meeting:%d/%m/%Y} (cần gửi chi ủy trước {need_days} ngày).", subject=m)


def _deadline(ctx: Context, key: str) -> dt.date:
    """A deadline of the settings (``han``, month-day) in the year the period ends; a key ending ``_nam_sau`` in the year after."""
    month, day = map(int, ctx.settings["han"][key].split("-"))
    year = ctx.unit.period.end.year + (1 if key.endswith("_nam_sau") else 0)
    return dt.date(year, month, day)


SPECIAL_CALENDAR = "dac_thu_nam_sau"
"""The deadline (``han``) of bodies whose working year closes later (lich_dac_thu), when the ruleset has one."""


def working_days_after(day: dt.date, count: int, extra_days_off: list[dt.date]) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0), holidays of each year and the
    locality's extra days off skipped."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= is_working_day(day, extra_days_off)
    return day


def quarter_deadline(ctx: Context) -> tuple[dt.date, str]:
    """The date by which the evaluation of the unit's quarter closes, and how it was counted: ``han.quy_sau_ngay`` days
    (working days with ``han.quy_theo_ngay_lam_viec``) after the quarter's last day."""
    setting, end = ctx.settings["han"], ctx.unit.period.end
    days = setting["quy_sau_ngay"]
    if setting["quy_theo_ngay_lam_viec"]:
        return working_days_after(end, days, _extra_days_off(ctx)), f"{days} ngày làm việc sau khi kết thúc quý"
    return end + dt.timedelta(days=days), f"{days} ngày sau khi kết thúc quý"


def _quarter_deadlines(ctx: Context) -> None:
    period = ctx.unit.period
    limit, counted = quarter_deadline(ctx)
    # The row's own basis for a quarter's deadline (a locality's plan), when it has one.
    basis = ctx.row.get("can_cu_quy")
    for m in ctx.unit.members:
        graded = m.field("ngay_quyet_dinh")
        if graded and graded.value and parse_date(graded.value) > limit:
            ctx.report(graded, f"{m.name}: quyết định xếp loại {period.label_vi} ngày {parse_date(graded.value):%d/%m/%Y}, sau hạn {limit:%d/%m/%Y} ({counted}).", subject=m, basis=basis)
    for o in ctx.unit.orgs:
        decided = o.decided_date()
        if decided and decided > limit:
            ctx.report(o.at("quyet_dinh", "ngay"), f"{o.name}: quyết định xếp loại {period.label_vi} ngày {decided:%d/%m/%Y}, sau hạn {limit:%d/%m/%Y} ({counted}).", subject=o, basis=basis)
    sent = parse_date(ctx.unit.data.get("ngay_nop_ho_so"))
    if sent and sent > limit:
        ctx.report(Located(sent, ctx.unit.path, "$.ngay_nop_ho_so"), f"Hồ sơ, báo cáo {period.label_vi} gửi cấp trên ngày {sent:%d/%m/%Y}, sau hạn {limit:%d/%m/%Y} ({counted}).", basis=basis)


@rule("DATE-DEADLINE", "unit")
def deadlines(ctx: Context) -> None:
    """Hoàn thành và báo cáo đúng hạn của bộ quy tắc và địa phương (lịch đặc thù: đến 15/01 năm sau; một quý: số ngày sau khi hết quý).

    qd124: cơ sở trước 15/12, huyện trước 31/12, tỉnh trong tháng 2; qd366: trước 31/12, đơn vị có lịch đặc thù trước 15/01 năm
    sau, hồ sơ gửi cấp trên trước 01/02 năm sau; đánh giá một quý xong trong han.quy_sau_ngay ngày (mặc định 15) sau ngày cuối
    quý, mọi quyết định xếp loại và hồ sơ gửi cấp trên của quý đều theo hạn đó.

    Nguồn: Kế hoạch của cấp ủy cấp trên (seed 002); hướng dẫn của Ban Thường vụ Huyện ủy, Phần C, mục 2; Hướng dẫn 43-HD/BTCTW, Mục 4.
    """
    if ctx.unit.period.quarter is not None:
        _quarter_deadlines(ctx)
        return
    grassroots, district = _deadline(ctx, "co_so"), _deadline(ctx, "huyen")
    special = _deadline(ctx, SPECIAL_CALENDAR) if SPECIAL_CALENDAR in ctx.settings["han"] else None
    unit_special = special is not None and bool(ctx.unit.data["don_vi"].get("lich_dac_thu"))
    member_limit = special if unit_special else grassroots
    for m in ctx.unit.members:
        graded = m.field("ngay_quyet_dinh")
        if graded and graded.value and parse_date(graded.value) > member_limit:
            which = "của đơn vị có lịch đặc thù" if unit_special else "của cấp cơ sở"
            ctx.report(graded, f"{m.name}: quyết định xếp loại ngày {parse_date(graded.value):%d/%m/%Y}, sau hạn {member_limit:%d/%m/%Y} {which}.", subject=m)
    for o in ctx.unit.orgs:
        decided = o.decided_date()
        limit = district if o.raw.get("loai") in (ctx.row.get("han_huyen") or ()) else grassroots
        if special is not None and (unit_special or o.raw.get("lich_dac_thu")):
            limit = special
        if decided and decided > limit:
            ctx.report(o.at("quyet_dinh", "ngay"), f"{o.name}: quyết định xếp loại ngày {decided:%d/%m/%Y}, sau hạn {limit:%d/%m/%Y}.", subject=o)
    sent = parse_date(ctx.unit.data.get("ngay_nop_ho_so"))
    level = ctx.unit.data["don_vi"].get("cap", "co_so")
    limit = {"co_so": grassroots, "huyen": district, "tinh": _deadline(ctx, "tinh_nam_sau")}[level]
    if sent and sent > limit:
        ctx.report(Located(sent, ctx.unit.path, "$.ngay_nop_ho_so"), f"Hồ sơ, báo cáo gửi cấp trên ngày {sent:%d/%m/%Y}, sau hạn {limit:%d/%m/%Y}.")


@rule("MEETING-DURATION", "unit")
def meeting_duration(ctx: Context) -> None:
    """Hội nghị kiểm điểm đủ thời lượng tối thiểu theo loại (dài hơn khi có gợi ý kiểm điểm).

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần A, mục 4.2; Hướng dẫn 43-HD/BTCTW, mục 2.1.
    """
    setting = ctx.settings["thoi_luong_hop"]
    hours_per_sitting = setting["gio_moi_buoi"]
    table = setting["loai"]
    for o in ctx.unit.orgs:
        where = o.sittings()
        if where is None:
            continue
        sittings = where.value
        # A meeting kind the settings do not list takes the row of every other kind (khac).
        kind = o.raw.get("loai_hop") or ctx.row["loai_hop_theo_to_chuc"].get(o.raw.get("loai"), "khac")
        minimum = table[kind] if kind in table else table["khac"]
        suggested = bool(value_of(o.field("co_goi_y")))
        need = minimum["goi_y" if suggested else "thuong"]
        full = sum(
            1 for s in sittings
            if (dt.datetime.fromisoformat(s["ket_thuc"]) - dt.datetime.fromisoformat(s["bat_dau"])).total_seconds() >= hours_per_sitting * 3600
        )
        days = full / 2
        if days < need:
            extra = " (có văn bản gợi ý kiểm điểm)" if suggested else ""
            ctx.report(where, f"{o.name}: hội nghị kiểm điểm {vn(days)} ngày ({full} buổi từ {vn(hours_per_sitting)} giờ), cần tối thiểu {vn(need)} ngày{extra}.", subject=o)


@rule("BALLOT-TALLY", "unit")
def ballot_tally(ctx: Context) -> None:
    """Phiếu cộng đúng (phiếu thu = hợp lệ + không hợp lệ ≤ có mặt) và mức được chọn theo đa số của địa phương.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 2.4; thiết lập địa phương (đa số).
    """
    setting = ctx.settings["bo_phieu"]
    levels = ctx.ruleset.levels
    for i, tally in enumerate(ctx.unit.data.get("bo_phieu") or []):
        here = lambda *k: Located(None, ctx.unit.path, f"$.bo_phieu[{i}]" + "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in k))  # noqa: E731
        cast = tally["hop_le"] + tally["khong_hop_le"]
        if cast > tally["co_mat"]:
            ctx.report(here("hop_le"), f"Số phiếu thu vào ({cast} = {tally['hop_le']} hợp lệ + {tally['khong_hop_le']} không hợp lệ) lớn hơn số đảng viên có mặt ({tally['co_mat']}).")
        if tally.get("phat_ra") is not None and cast > tally["phat_ra"]:
            ctx.report(here("phat_ra"), f"Số phiếu thu vào ({cast}) lớn hơn số phiếu phát ra ({tally['phat_ra']}).")
        denominator = tally["co_mat"] if setting["mau_so"] == "co_mat" else tally["hop_le"]
        for j, row in enumerate(tally["ket_qua"]):
            member = ctx.unit.member(row["thanh_vien"])
            counts = {lvl: row.get(lvl, 0) for lvl in levels}
            if sum(counts.values()) != tally["hop_le"]:
                ctx.report(here("ket_qua", j), f"{member.name if member else row['thanh_vien']}: tổng phiếu các mức ({sum(counts.values())}) khác số phiếu hợp lệ ({tally['hop_le']}).", subject=row["thanh_vien"])
                continue
            adopted = ballot_adopted(counts, denominator, setting["nguong"], levels)
            if member is None or not adopted:
                continue
            # Every place the member's level is recorded after the vote must agree with it,
            # unless the competent body decided otherwise (an override in ghi_de).
            for recorded, who in _recorded_levels(member):
                if recorded.value != adopted:
                    ctx.report(recorded, f"{member.name}: kết quả bỏ phiếu chọn mức {adopted} (đa số cộng dồn của {denominator} phiếu) nhưng {who} ghi {recorded.value}. Sửa cho khớp kết quả bỏ phiếu, hoặc ghi quyết định khác của cấp có thẩm quyền vào ghi_de.", subject=member)


def _recorded_levels(member: Member):
    """(where, by whom) of each level recorded for a member after the chi bộ's vote."""
    for name, who in (("muc_de_xuat", "chi bộ đề xuất"), ("muc_quyet_dinh", "quyết định của đảng ủy")):
        loc = member.field(name)
        if loc is not None and loc.value:
            yield loc, who


@dataclass
class _Complaint:
    """One complaint about a subject's level, from the manifest (``khieu_nai``) or a complaint reply document."""

    who: str | None
    day: str
    conclusion: Located
    concluded: str | None
    notice: Located


def _complaints(ctx: Context, s: Subject) -> list[_Complaint]:
    found = [
        _Complaint(c.get("nguoi"), c["ngay"], s.at("khieu_nai", i, "ket_luan"), (c.get("ket_luan") or {}).get("ngay"), s.at("khieu_nai", i, "ngay_thong_bao"))
        for i, c in enumerate(s.raw.get("khieu_nai") or [])
    ]
    for d in s.documents("khieu_nai"):
        found.append(_Complaint(ctx.field(d, "nguoi_khieu_nai").value, ctx.field(d, "ngay_khieu_nai").value, ctx.field(d, "ket_luan"),
                                ctx.field(d, "ngay_ket_luan").value, ctx.field(d, "ngay_thong_bao")))
    return found


@rule("COMPLAINT-REPLY", "unit")
def complaint_reply(ctx: Context) -> None:
    """Mỗi khiếu nại bằng văn bản về kết quả xếp loại có kết luận bằng văn bản, đã thông báo cho người khiếu nại.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        for c in _complaints(ctx, s):
            if not c.conclusion.value:
                ctx.report(c.conclusion, f"Khiếu nại ngày {parse_date(c.day):%d/%m/%Y} của {c.who} chưa có kết luận bằng văn bản của cấp có thẩm quyền.", subject=s)
            elif not c.notice.value or parse_date(c.notice.value) < parse_date(c.concluded):
                ctx.report(c.notice, f"Kết luận khiếu nại của {c.who} chưa được thông báo bằng văn bản cho người khiếu nại.", subject=s)


@rule("REGRADE-KEEP", "unit")
def regrade_keeps_history(ctx: Context) -> None:
    """Xếp loại lại tạo phiên bản mới, giữ mức cũ, lý do và quyết định xếp loại lại.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Hướng dẫn 43-HD/BTCTW, Mẫu 03.
    """
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        regrades = s.regrades()
        if isinstance(s, Member):
            decided = s.field("muc_quyet_dinh")
        else:
            decided = s.at("quyet_dinh", "muc") if (s.raw.get("quyet_dinh") or {}).get("muc") else None
        _complaints_leave_a_trace(ctx, s, regrades, decided)
        if not regrades:
            continue
        previous = decided.value if decided and decided.value else None
        for r in regrades:
            missing = [label for ok, label in ((r.has_reason, "lý do"), (r.has_decision, "quyết định xếp loại lại")) if not ok]
            shown = f"{r.day:%d/%m/%Y}" if r.day else "(không ghi ngày)"
            if missing:
                ctx.report(r.where, f"Lần xếp loại lại ngày {shown} thiếu: {', '.join(missing)}.", subject=s)
            if previous and r.old.value != previous:
                ctx.report(r.old, f"Mức cũ ghi {r.old.value} nhưng kết quả trước đó là {previous}: phải giữ đúng kết quả cũ.", subject=s)
            previous = r.new.value


def _complaints_leave_a_trace(ctx: Context, s: Subject, regrades: list, decided: Located | None) -> None:
    """A complaint whose conclusion changed the level, or a decision that no longer shows the level
    complained about, needs a re-grading that keeps the earlier result (xep_loai_lai or Mẫu 03)."""
    for doc in s.documents("khieu_nai"):
        before = ctx.field(doc, "muc_bi_khieu_nai").value
        changed = ctx.field(doc, "muc_sau_ket_luan")
        after = changed.value
        if not before:
            continue
        kept = any(r.old.value == before for r in regrades)
        if after and after != before and not any(r.old.value == before and r.new.value == after for r in regrades):
            ctx.report(changed,
                       f"Kết luận khiếu nại đổi mức từ {before} sang {after} nhưng chưa có lần xếp loại lại giữ kết quả cũ "
                       "(ghi xep_loai_lai trong don_vi.yaml với muc_cu, muc_moi, lý do, quyết định; hoặc lập quyết định xếp loại lại).", subject=s)
        elif decided is not None and decided.value and decided.value != before and not kept:
            ctx.report(decided, f"Quyết định ghi mức {decided.value}, nhưng khiếu nại ngày {ctx.field(doc, 'ngay_khieu_nai').value or ''} là về mức {before}: "
                       "mức đã bị sửa thẳng mà không có lần xếp loại lại giữ kết quả cũ (xep_loai_lai hoặc quyết định xếp loại lại).", subject=s)



# -- qd366: appraisal, re-appraisal, notice (Điều 12, 15) -------------------------------------------------------
def decided(s: Subject) -> tuple[Located | None, dt.date | None]:
    """The competent level's decision on a subject (where its level is written, its date): the party committee's
    decision of a member, the manifest's decision of an organisation; (None, None) before any decision."""
    if isinstance(s, Member):
        level, day = s.field("muc_quyet_dinh"), s.field("ngay_quyet_dinh")
        if level is not None and level.value:
            return level, parse_date(value_of(day))
        if (s.raw.get("muc_cuoi_cung") or {}).get("muc"):
            return s.at("muc_cuoi_cung", "muc"), parse_date(s.raw["muc_cuoi_cung"].get("ngay"))
        return None, None
    if (s.raw.get("quyet_dinh") or {}).get("muc"):
        return s.at("quyet_dinh", "muc"), s.decided_date()
    return None, None


def _attached(s: Subject, code: str) -> bool:
    return any(item.get("muc") == code for item in s.raw.get("dinh_kem") or [])


@rule("Q366-APPRAISAL", "unit")
def appraisal(ctx: Context) -> None:
    """Mức do cấp có thẩm quyền quyết định có kết quả thẩm định (đề xuất của chi bộ, thẩm định của cơ quan tham mưu).

    Mức do cấp có thẩm quyền quyết định có kết quả thẩm định trước (Bước 2): với đảng viên là nhận xét, đề xuất mức (và điểm) của
    chi bộ; với tổ chức là kết quả thẩm định của cơ quan tham mưu (tham_dinh trong don_vi.yaml, văn bản tổng hợp thẩm định hoặc
    tệp đính kèm).

    Nguồn: Quy định 366-QĐ/TW, Điều 12, khoản 1, bước 2 và bước 3.
    """
    summaries = ctx.unit.documents_of_kind(ctx.ruleset.kind("tham_dinh"))
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        level, _ = decided(s)
        if level is None:
            continue
        if isinstance(s, Member):
            proposal = s.field("muc_de_xuat")
            if proposal is not None and not proposal.value:
                ctx.report(level, f"{s.name}: đã có quyết định mức {level.value} nhưng chưa có nhận xét, đề xuất mức của chi bộ (thẩm định, Bước 2).", subject=s)
        elif not (s.raw.get("tham_dinh") or {}).get("muc") and not summaries and not _attached(s, "tham_dinh"):
            ctx.report(level, f"{s.name}: đã có quyết định mức {level.value} nhưng chưa có kết quả thẩm định của cơ quan tham mưu "
                              "(ghi tham_dinh: {muc, diem, co_quan, ngay} trong don_vi.yaml, hoặc văn bản tổng hợp thẩm định).", subject=s)


def _reasons_to_reappraise(ctx: Context, s: Subject, before: dt.date) -> list[str]:
    """What calls for a re-appraisal before the decision: complaints, denunciations or negative reports, discipline, disunity."""
    found = []
    complaints = [parse_date(c["ngay"]) for c in s.raw.get("khieu_nai") or []]
    if any(day <= before for day in complaints):
        found.append("có đơn, thư khiếu nại, phản ánh")
    period = ctx.period(s)
    if any(period.contains(parse_date(k["ngay"])) and parse_date(k["ngay"]) <= before for k in s.raw.get("ky_luat") or []):
        found.append("có vi phạm bị xử lý kỷ luật")
    if s.raw.get("mat_doan_ket"):
        found.append("có dấu hiệu mất đoàn kết nội bộ")
    return found


@rule("Q366-REAPPRAISE", "unit")
def reappraisal(ctx: Context) -> None:
    """Có khiếu nại, phản ánh, kỷ luật, mất đoàn kết trước khi quyết định thì phải thẩm định lại trước đó.

    Có đơn, thư khiếu nại, tố cáo, phản ánh tiêu cực, vi phạm kỷ luật hoặc dấu hiệu mất đoàn kết trước khi quyết định thì cấp
    ủy cấp trên trực tiếp chỉ đạo kiểm tra, xác minh, thẩm định lại trước khi quyết định xếp loại (tham_dinh_lai).

    Nguồn: Quy định 366-QĐ/TW, Điều 12, khoản 1, bước 3.
    """
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        level, day = decided(s)
        if level is None or day is None:
            continue
        reasons = _reasons_to_reappraise(ctx, s, day)
        again = parse_date((s.raw.get("tham_dinh_lai") or {}).get("ngay"))
        if reasons and (again is None or again > day):
            ctx.report(level, f"{s.name}: {'; '.join(reasons)} trước khi quyết định xếp loại ngày {day:%d/%m/%Y}, nhưng chưa ghi việc cấp ủy cấp "
                              "trên trực tiếp chỉ đạo kiểm tra, xác minh, thẩm định lại trước ngày đó (tham_dinh_lai: {ngay, co_quan, ket_qua}).", subject=s)


@rule("RESULT-NOTIFIED", "unit")
def result_notified(ctx: Context) -> None:
    """Nhận xét, đánh giá và kết quả xếp loại được thông báo tới đối tượng và nơi trực tiếp quản lý.

    Nội dung nhận xét, đánh giá và kết quả xếp loại được thông báo tới đối tượng và tập thể, cá nhân trực tiếp quản lý, sử dụng
    đối tượng (văn bản thông báo kết quả, tệp đính kèm, hoặc thong_bao_ket_qua trong don_vi.yaml).

    Nguồn: Quy định 366-QĐ/TW, Điều 15, khoản 2.
    """
    kind = ctx.ruleset.kind("thong_bao")
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        level, _ = decided(s)
        if level is None or s.raw.get("thong_bao_ket_qua") or s.documents_of_kind(kind) or _attached(s, "thong_bao"):
            continue
        ctx.report(s.at("thong_bao_ket_qua"), f"{s.name}: đã có quyết định mức {level.value} nhưng chưa ghi việc thông báo nhận xét, đánh giá và kết quả "
                                              "tới đối tượng và nơi trực tiếp quản lý, sử dụng (thong_bao_ket_qua: {ngay, noi_nhan}, hoặc văn bản thông báo kết quả).", subject=s)
