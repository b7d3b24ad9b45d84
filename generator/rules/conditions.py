"""Rules on the level conditions, failure cases, task ledger and scores of every subject (members and collectives).

The level conditions and failure cases are rows of the ruleset (``dieu_kien_muc``, ``truong_hop_khong_dat``);
a row names the rule that reports it (``quy_tac``). The functions below each report what is theirs of one
shared classification (classify.py).
"""

from __future__ import annotations

from ..grading import vn
from ..unit import Located, Subject, value_of
from .classify import report_cases, report_gap, report_level
from .engine import Context, rule
from .ledger import led_units, own_tasks

SCORE_FIELDS = ("diem_tu_cham", "diem_tham_dinh")
"""The fields (``truong``) of a form that hold a score by groups: the self-assessed one and the chi bộ's appraisal."""


@rule("Q366-HTXS-TASKS", "subject", needs_unit=False)
def excellent_tasks(ctx: Context, s: Subject) -> None:
    """HTXSNV cần 100% nhiệm vụ hoàn thành (đúng hạn) và ít nhất 30% vượt mức yêu cầu.

    HTXSNV cần hoàn thành 100% nhiệm vụ (tập thể, cá nhân: đúng hạn, bảo đảm chất lượng), ít nhất 30% vượt mức yêu cầu (cá nhân
    lãnh đạo: đếm trên các đơn vị do mình trực tiếp lãnh đạo, quản lý).

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 1.1, 1.2, 1.3.
    """
    report_level(ctx, s)


@rule("Q366-HTXS-REMEDY", "subject", needs_unit=False)
def excellent_remedy(ctx: Context, s: Subject) -> None:
    """HTXSNV cần đã khắc phục 100% hạn chế, khuyết điểm được chỉ ra ở kỳ kiểm điểm trước (nếu có).

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 1.4.
    """
    report_level(ctx, s)


@rule("Q366-HTXS-COL-DISCIPLINE", "subject", needs_unit=False)
def excellent_collective_discipline(ctx: Context, s: Subject) -> None:
    """Tập thể HTXSNV không có đơn vị trực thuộc hoặc thành viên tập thể lãnh đạo, quản lý bị kỷ luật.

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 1.1.
    """
    report_level(ctx, s)


@rule("Q366-HTT-TASKS", "subject", needs_unit=False)
def good_tasks(ctx: Context, s: Subject) -> None:
    """HTTNV cần hoàn thành 100% nhiệm vụ đúng thời hạn, bảo đảm chất lượng, hiệu quả (cá nhân lãnh đạo: các đơn vị do mình lãnh đạo).

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 2.
    """
    report_level(ctx, s)


@rule("Q366-HTNV-TASKS", "subject", needs_unit=False)
def done_tasks(ctx: Context, s: Subject) -> None:
    """HTNV cần hoàn thành 100% nhiệm vụ, số nhiệm vụ chưa bảo đảm tiến độ không quá 20% (cá nhân lãnh đạo: các đơn vị do mình lãnh đạo).

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 3.
    """
    report_level(ctx, s)


@rule("Q366-KHT-SCORE", "subject", needs_unit=False)
def low_score(ctx: Context, s: Subject) -> None:
    """Tổng điểm dưới 50 thì xếp KHTNV.

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 4.
    """
    report_cases(ctx, s)


@rule("Q366-NO-LEVEL", "subject", needs_unit=False)
def no_level(ctx: Context, s: Subject) -> None:
    """Từ 50 điểm, không thuộc trường hợp KHTNV mà không mức nào đủ điều kiện: cấp có thẩm quyền quyết định.

    Tổng điểm từ 50 trở lên, không thuộc trường hợp KHTNV, nhưng không đủ điều kiện của mức nào: quy định không xác định mức,
    cấp có thẩm quyền quyết định (không tự hạ xuống KHTNV).

    Nguồn: Quy định 366-QĐ/TW, Điều 11 (khoảng trống giữa các mức; qd366-rules.md Q2).
    """
    report_gap(ctx, s)


@rule("Q366-TASK-LEDGER", "subject", needs_unit=False)
def task_ledger(ctx: Context, s: Subject) -> None:
    """Bản kiểm điểm, báo cáo có sổ nhiệm vụ (kết quả, sản phẩm); cá nhân lãnh đạo có sổ của từng đơn vị mình lãnh đạo.

    Mỗi bản kiểm điểm, báo cáo có sổ nhiệm vụ (kết quả từng nhiệm vụ, sản phẩm làm minh chứng); cá nhân lãnh đạo có sổ nhiệm vụ
    của từng đơn vị do mình lãnh đạo. Thiếu sổ khi đề xuất từ HTNV trở lên là lỗi.

    Nguồn: Quy định 366-QĐ/TW, Điều 11; Hướng dẫn 43-HD/BTCTW, tiểu mục 7.12.
    """
    own = own_tasks(s)
    if own is None:
        return
    level, rs = s.level(), ctx.ruleset
    graded = level is not None and rs.rank(level.value) > rs.rank(rs.bottom)
    firm = "error" if graded else "warning"
    why = f"; đang ghi {rs.named(level.value)}" if graded else ""
    units = led_units(s)
    found = s.field("don_vi_lanh_dao")
    if units is not None:
        if not units:
            ctx.report(found, f"{s.name}: chưa ghi các địa phương, cơ quan, đơn vị do mình trực tiếp lãnh đạo, quản lý (don_vi_lanh_dao): "
                       f"điều kiện của các mức được đếm trên sổ nhiệm vụ của các đơn vị đó{why}.", subject=s, severity=firm)
        for u in units:
            if not value_of(u.tasks):
                source = f"báo cáo của {u.org.name}" if u.org is not None else "mục nhiem_vu của đơn vị"
                ctx.report(u.where, f"{s.name}: đơn vị {u.name} do mình lãnh đạo, quản lý chưa có sổ nhiệm vụ ({source}): điều kiện của các mức "
                           f"được đếm trên sổ này{why}.", subject=s, severity=firm)
    if not own.value:
        # A leader's levels are counted on the led units; the own ledger only warns (qd366-rules.md Q6).
        severity = "warning" if units is not None else firm
        ctx.report(own, f"{s.name}: chưa có sổ nhiệm vụ (kết quả thực hiện từng nhiệm vụ được giao, với sản phẩm, tiến độ, chất lượng): "
                   f"điều kiện của các mức được đếm từ sổ này{why}.", subject=s, severity=severity)
    exceeded = ctx.settings["so_nhiem_vu"]["nhom_ket_qua"]["vuot_muc"]
    for ledger, name in [(own, s.name), *((u.tasks, u.name) for u in units or () if u.org is None)]:
        bare = [i + 1 for i, t in enumerate(value_of(ledger) or []) if t.get("ket_qua") in exceeded and not t.get("san_pham")]
        if bare:
            ctx.report(ledger, f"{name}: nhiệm vụ thứ {', '.join(map(str, bare))} ghi hoàn thành vượt mức yêu cầu nhưng không nêu sản phẩm "
                       "(san_pham) làm minh chứng.", subject=s, severity="warning")


@rule("Q366-SCORE-GROUPS", "subject", needs_unit=False)
def score_groups(ctx: Context, s: Subject) -> None:
    """Điểm có đủ hai nhóm tiêu chí, mỗi nhóm không quá tối đa (30, 70), tổng bằng hai nhóm cộng lại.

    Điểm có đủ hai nhóm tiêu chí, mỗi nhóm không quá điểm tối đa (nhóm tiêu chí chung 30, nhóm kết quả thực hiện nhiệm vụ 70);
    tổng điểm bằng tổng hai nhóm.

    Nguồn: Quy định 366-QĐ/TW, Điều 10; Phụ lục 1–5.
    """
    caps = ctx.settings["diem"]["tran_nhom"]
    names = ctx.ruleset.vocabulary("nhom_tieu_chi")
    for found in score_objects(s):
        sheet = found.value
        for group, cap in caps.items():
            value = sheet.get(group)
            where = Located(value, found.file, f"{found.path}.{group}")
            if value is None:
                ctx.report(where, f"{s.name}: thiếu điểm {names.get(group, group).lower()} (tối đa {vn(cap)} điểm).", subject=s)
            elif value > cap:
                ctx.report(where, f"{s.name}: {names.get(group, group).lower()} chấm {vn(value)} điểm, vượt tối đa {vn(cap)} điểm.", subject=s)
        parts = [sheet.get(group) for group in caps]
        total = sheet.get("tong")
        if total is None:
            ctx.report(Located(None, found.file, f"{found.path}.tong"), f"{s.name}: thiếu tổng điểm.", subject=s)
        elif None not in parts and abs(total - sum(parts)) > 0.005:
            ctx.report(Located(total, found.file, f"{found.path}.tong"),
                       f"{s.name}: tổng điểm ghi {vn(total)} nhưng cộng các nhóm tiêu chí được {vn(sum(parts))}.", subject=s)


def score_objects(s: Subject) -> list[Located]:
    """The subject's scores by groups (self-assessed, appraised) that its form holds."""
    return [loc for name in SCORE_FIELDS if (loc := s.field(name)) is not None and isinstance(loc.value, dict)]

