"""Unit-level rules across all records of one unit and period: UNIT-* of domain/rules.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..grading import quota_allowed
from ..unit import Located, Member, parse_date, value_of
from .engine import Context, rule


def comparison_groups(ctx: Context) -> dict[str, list]:
    """Graded subjects by comparison group (spec §3.5, Q8).

    Defaults come from the locality (``ty_le_htxs.nhom_mac_dinh``): members per grassroots
    organisation (``to_chuc_co_so``), per chi bộ (``chi_bo``), per role group (``vai_tro``:
    leaders apart from the others) or per subject group (``nhom_doi_tuong``: the name of the
    form's role in the ruleset, e.g. the three groups of Mẫu 2A, 2B, 2C); organisations per
    deciding body (``co_quan_quyet_dinh``) or per kind (``loai``). A subject's own ``nhom_so_sanh`` wins.
    """
    groups: dict[str, list] = defaultdict(list)
    unit = ctx.unit
    defaults = ctx.settings["ty_le_htxs"]["nhom_mac_dinh"]
    base = unit.org(unit.data["don_vi"]["to_chuc_co_so"])
    for m in unit.members:
        if m.status != "xep_loai" or m.graded_level() is None:
            continue
        grouping = defaults["dang_vien"]
        if grouping == "chi_bo":
            default = f"Đảng viên của {getattr(unit.org(m.raw.get('chi_bo')), 'name', m.raw.get('chi_bo'))}"
        elif grouping == "vai_tro":
            default = "Đảng viên giữ chức vụ lãnh đạo, quản lý" if m.is_leader else "Đảng viên không giữ chức vụ lãnh đạo, quản lý"
        elif grouping == "nhom_doi_tuong" and (ctx.ruleset.roles.get(value_of(m.field("vai_tro"))) or {}).get("ten"):
            default = ctx.ruleset.roles[value_of(m.field("vai_tro"))]["ten"]
        else:
            default = f"Đảng viên của {base.name if base else unit.data['don_vi']['ten']}"
        groups[m.raw.get("nhom_so_sanh") or default].append(m)
    for o in unit.orgs:
        if o.graded_level() is None or o.raw.get("loai") == "tap_the_lanh_dao" and not o.raw.get("nhom_so_sanh"):
            continue
        if defaults["to_chuc"] == "loai":
            default = f"Tổ chức loại {o.raw.get('loai')}"
        else:
            default = f"Tổ chức đảng do {(o.raw.get('quyet_dinh') or {}).get('co_quan') or 'cấp có thẩm quyền'} quyết định"
        groups[o.raw.get("nhom_so_sanh") or default].append(o)
    return groups


def _group_where(ctx: Context, subjects: list) -> Located:
    kind = "thanh_vien" if isinstance(subjects[0], Member) else "to_chuc"
    return Located(None, ctx.unit.path, f"$.{kind}")


@rule("UNIT-QUOTA", "unit")
def quota(ctx: Context) -> None:
    """Số HTXSNV không vượt quá 20% số HTTNV trong mỗi nhóm so sánh (mọi trường hợp vượt, kể cả nhóm nhỏ).

    Đếm trên mức đã được quyết định, bỏ phiếu hoặc đề xuất, không trên mức tự nhận.
    Nguồn: Quy định 124-QĐ/TW (báo Kon Tum 11/10/2023); Quy định 366-QĐ/TW, Điều 11.
    """
    top, counted = ctx.ruleset.top, ctx.ruleset.levels[1]
    for q in _quotas(ctx):
        if q.outcome != OVER:
            continue
        if q.small:
            ctx.report(q.where, f"{q.name}: chỉ có {q.n_t} {counted} (dưới {q.threshold}) nên theo ngoại lệ nhóm nhỏ được chọn tối đa {q.allowed} {top} nếu đủ điều kiện; đang có {q.n_x} ({q.names}).")
        elif q.decision is not None:
            ctx.report(q.where, f"{q.name}: {q.n_x} {top} ({q.names}) vượt tỷ lệ {q.ratio:.0%} của {q.n_t} {counted} theo quyết định {q.decision['so_ky_hieu']} "
                                f"ngày {parse_date(q.decision['ngay']):%d/%m/%Y} của {q.decision['co_quan']}; được tối đa {q.allowed}.")
        else:
            ctx.report(q.where, f"{q.name}: {q.n_x} {top} ({q.names}) vượt tỷ lệ {q.ratio:.0%} của {q.n_t} {counted}; được tối đa {q.allowed}.")


@rule("Q366-QUOTA-DECISION", "unit")
def quota_decision(ctx: Context) -> None:
    """HTXSNV quá 20% (tới 25%) số HTTNV chỉ khi có quyết định của cấp có thẩm quyền, không quá 25%.

    Số HTXSNV vượt 20% số HTTNV của nhóm (tới 25%) chỉ khi cấp có thẩm quyền quyết định tỷ lệ cao hơn cho tập thể, cá nhân có
    thành tích xuất sắc, nổi trội; quyết định không vượt 25%.

    Nguồn: Quy định 366-QĐ/TW, Điều 11, khoản 1.5.
    """
    top, counted = ctx.ruleset.top, ctx.ruleset.levels[1]
    raised = ctx.settings["ty_le_htxs"].get("ty_le_co_quyet_dinh")
    for i, decision in enumerate(_decisions(ctx)):
        if raised is not None and decision["ty_le"] > raised:
            ctx.report(Located(decision["ty_le"], ctx.unit.path, f"$.don_vi.ty_le_htxs_quyet_dinh[{i}].ty_le"),
                       f"Quyết định {decision['so_ky_hieu']} cho tỷ lệ {top} {decision['ty_le']:.0%}, vượt tỷ lệ tối đa {raised:.0%} số {counted} "
                       "mà cấp có thẩm quyền được quyết định.")
    for q in _quotas(ctx):
        if q.outcome == NEEDS_DECISION:
            ctx.report(q.where, f"{q.name}: {q.n_x} {top} ({q.names}) vượt tỷ lệ {q.base_ratio:.0%} của {q.n_t} {counted} (được {q.base_allowed}); "
                                f"chỉ được tới {q.ratio:.0%} ({q.allowed}) khi cấp có thẩm quyền quyết định: ghi quyết định vào "
                                "don_vi.ty_le_htxs_quyet_dinh (nhom, ty_le, so_ky_hieu, ngay, co_quan).")


@rule("UNIT-QUOTA-SMALL", "unit")
def quota_small_group(ctx: Context) -> None:
    """Nhóm có dưới 5 HTTNV được chọn 01 HTXSNV nếu đủ điều kiện (báo khi ngoại lệ được áp dụng; vượt thì là UNIT-QUOTA).

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    top, counted = ctx.ruleset.top, ctx.ruleset.levels[1]
    for q in _quotas(ctx):
        if q.small and q.outcome == WITHIN:
            ctx.report(q.where, f"{q.name}: có {q.n_t} {counted} (dưới {q.threshold}); áp dụng ngoại lệ nhóm nhỏ, được chọn {q.allowed} {top} ({q.names}) nếu đủ điều kiện.", severity="info")


WITHIN, OVER, NEEDS_DECISION = "trong_ty_le", "vuot_ty_le", "can_quyet_dinh"
"""How a comparison group's count of the top level stands against its quota."""


@dataclass
class _Quota:
    """One comparison group's count of the top level against what it may have (``n_t``: the second level's count)."""

    name: str
    where: Located
    n_x: int
    n_t: int
    allowed: int
    small: bool
    names: str
    ratio: float
    threshold: int
    outcome: str = WITHIN
    base_ratio: float = 0.0
    base_allowed: int = 0
    decision: dict | None = None


def judge_quota(n_t: int, n_x: int, setting: dict, decided: float | None = None) -> tuple[str, int, float, bool]:
    """(outcome, allowed, ratio, small-group permission applied) of a group with ``n_t`` at the second level and ``n_x`` at the top.

    ``setting`` is the settings' ``ty_le_htxs``. The quota is ``ty_le`` of ``n_t``; a ruleset that allows a higher
    ratio by a decision of the competent level (``ty_le_co_quyet_dinh``) lets ``decided`` (the recorded decision's
    ratio, capped there) raise it, and without a decision a count within the raised ratio needs one.
    """
    small = setting["nhom_nho"]

    def allowed(ratio: float) -> tuple[int, bool]:
        return quota_allowed(n_t, n_x, ratio=ratio, base=setting["co_so"], rounding=setting["lam_tron"], small_on=small["bat"],
                             small_threshold=small["nguong"], small_allowed=small["duoc_chon"])

    base, small_applied = allowed(setting["ty_le"])
    raised = setting.get("ty_le_co_quyet_dinh")
    if raised is None or n_x <= base:
        return (WITHIN if n_x <= base else OVER), base, setting["ty_le"], small_applied
    if decided is not None:
        ratio = max(setting["ty_le"], min(decided, raised))
        top, small_applied = allowed(ratio)
        return (WITHIN if n_x <= top else OVER), top, ratio, small_applied
    top, _ = allowed(raised)
    if n_x <= top:
        return NEEDS_DECISION, top, raised, small_applied
    return OVER, base, setting["ty_le"], small_applied


def _decisions(ctx: Context) -> list[dict]:
    """The decisions of the competent level raising the quota (don_vi.ty_le_htxs_quyet_dinh)."""
    return list(ctx.unit.data["don_vi"].get("ty_le_htxs_quyet_dinh") or [])


def _quotas(ctx: Context) -> list[_Quota]:
    """Every comparison group that has a top level, with its allowance (UNIT-QUOTA with the small-group permission,
    Q366-QUOTA-DECISION with a raised ratio by decision).

    The ratio counts the second level: the quota is a share of those graded just below the top.
    """
    return ctx.memo(("ty_le_htxs",), lambda: _count_quotas(ctx))


def _count_quotas(ctx: Context) -> list[_Quota]:
    setting = ctx.settings["ty_le_htxs"]
    top, counted = ctx.ruleset.top, ctx.ruleset.levels[1]
    decisions = _decisions(ctx)
    found = []
    for name, subjects in comparison_groups(ctx).items():
        levels = [s.graded_level().value for s in subjects]
        n_x, n_t = levels.count(top), levels.count(counted)
        if n_x == 0:
            continue
        decision = next((d for d in decisions if d.get("nhom") in (None, name)), None)
        outcome, allowed, ratio, small_applied = judge_quota(n_t, n_x, setting, decision["ty_le"] if decision else None)
        base_allowed, _ = quota_allowed(n_t, n_x, ratio=setting["ty_le"], base=setting["co_so"], rounding=setting["lam_tron"], small_on=False)
        names = ", ".join(getattr(s, "name", s.ma) for s in subjects if s.graded_level().value == top)
        found.append(_Quota(name, _group_where(ctx, subjects), n_x, n_t, allowed, small_applied, names, ratio,
                            setting["nhom_nho"]["nguong"], outcome, setting["ty_le"], base_allowed, decision))
    return found


@rule("UNIT-HEAD-CAP", "unit")
def head_not_above_collective(ctx: Context) -> None:
    """Mức của người đứng đầu không cao hơn mức của tập thể lãnh đạo và tổ chức do mình đứng đầu.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 4 và mục 6.
    """
    if not ctx.settings["nguoi_dung_dau_khong_cao_hon"]:
        return
    rs = ctx.ruleset
    for o in ctx.unit.orgs:
        head = ctx.unit.member(o.raw.get("nguoi_dung_dau"))
        if head is None or o.level() is None or head.level() is None:
            continue
        if head.raw.get("bi_thu_thon_khong_la_cong_chuc") or head.raw.get("moi_chuyen_den_khong_lien_quan"):
            continue
        if rs.rank(head.level().value) > rs.rank(o.level().value):
            ctx.report(head.level(), f"{head.name} là người đứng đầu {o.name}: mức {rs.named(head.level().value)} không được cao hơn mức của {o.name} ({o.level().value}).", subject=head)


MEMBERS_FIRST = "dang_vien_truoc_to_chuc"
"""An ordering a ruleset's UNIT-ORDER row may add (thu_tu): members graded before their party organisation."""


@rule("UNIT-ORDER", "unit")
def grading_order(ctx: Context) -> None:
    """Thứ tự đánh giá: CBCCVC trước đảng viên; cấp dưới trước cấp trên; tập thể lãnh đạo trước cá nhân; người đứng đầu sau cùng.

    "Tập thể lãnh đạo, quản lý trước, cá nhân thành viên sau" concerns leadership collectives
    (tap_the_lanh_dao) and their heads; a chi bộ is graded after its party members, whose
    levels its own level rests on.

    Nguồn: Quy định 124-QĐ/TW, Điều 11; hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Quy định 366-QĐ/TW, Điều 12, khoản 2.
    """
    unit = ctx.unit
    # Orderings a ruleset adds to these (thu_tu): party members decided before their party organisation (qd366, Điều 12 k2).
    extra = ctx.row.get("thu_tu") or ()
    for m in unit.members:
        cb, party = m.field("ngay_cbccvc"), m.graded_date()
        if cb and cb.value and party and parse_date(cb.value) > parse_date(party.value):
            ctx.report(cb, f"{m.name}: xếp loại CBCCVC ngày {parse_date(cb.value):%d/%m/%Y} sau khi xếp loại đảng viên ({parse_date(party.value):%d/%m/%Y}); phải có kết quả CBCCVC trước.", subject=m)
    for o in unit.orgs:
        parent = unit.org(o.raw.get("thuoc"))
        if parent and o.decided_date() and parent.decided_date() and o.decided_date() > parent.decided_date():
            ctx.report(o.at("quyet_dinh", "ngay"), f"{o.name} (cấp dưới) được xếp loại sau {parent.name} (cấp trên).", subject=o)
        members = [m for m in unit.members if m.raw.get("chi_bo") == o.ma and m.graded_date()]
        head = unit.member(o.raw.get("nguoi_dung_dau"))
        if o.raw.get("loai") == "tap_the_lanh_dao" and head and head.graded_date() and o.decided_date():
            if parse_date(head.graded_date().value) < o.decided_date():
                ctx.report(head.graded_date(), f"{head.name} được xếp loại trước tập thể lãnh đạo {o.name} ({o.decided_date():%d/%m/%Y}): tập thể lãnh đạo trước, cá nhân sau.", subject=head)
        if MEMBERS_FIRST in extra and o.decided_date():
            decided = [m for m in unit.members if m.raw.get("chi_bo") == o.ma and (d := m.field("ngay_quyet_dinh")) is not None and d.value]
            late = [m for m in decided if parse_date(m.field("ngay_quyet_dinh").value) > o.decided_date()]
            if late:
                ctx.report(o.at("quyet_dinh", "ngay"), f"{o.name} được xếp loại ngày {o.decided_date():%d/%m/%Y}, trước khi xếp loại xong đảng viên của mình "
                                                       f"({late[0].name}): đảng viên trực thuộc trước, tổ chức đảng sau.", subject=o)
        if head and head.graded_date():
            later = [m for m in members if m is not head and parse_date(m.graded_date().value) > parse_date(head.graded_date().value)]
            if later:
                ctx.report(head.graded_date(), f"{head.name} là người đứng đầu {o.name} nhưng được xếp loại trước {later[0].name}: người đứng đầu xếp loại sau cùng.", subject=head)


@rule("UNIT-MULTIPOST", "unit")
def multiple_posts(ctx: Context) -> None:
    """Người được đánh giá khác nhau ở nhiều nơi thì báo để cấp có thẩm quyền quyết định.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6.
    """
    for m in ctx.unit.members:
        places = m.raw.get("cac_noi_danh_gia") or []
        if len({p["muc"] for p in places}) > 1 and not m.raw.get("muc_cuoi_cung"):
            shown = "; ".join(f"{p['noi']}: {p['muc']}" for p in places)
            ctx.report(m.at("cac_noi_danh_gia"), f"{m.name} được đánh giá khác nhau ở các nơi ({shown}): Ban Tổ chức tổng hợp, Ban Thường vụ quyết định mức và ghi vào muc_cuoi_cung.", subject=m)


@rule("UNIT-COVERAGE", "unit")
def coverage(ctx: Context) -> None:
    """Mọi đảng viên, tổ chức của đơn vị đều được kiểm điểm, xếp loại hoặc có lý do chưa.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 6; Biểu số 6F-BTCTW.
    """
    for m in ctx.unit.members:
        if m.status == "xep_loai":
            if m.form is None and not m.raw.get("ban_kiem_diem"):
                ctx.report(m.at("ban_kiem_diem"), f"{m.name}: chưa có bản kiểm điểm. Nếu chưa kiểm điểm, xếp loại thì ghi tinh_trang và ly_do.", subject=m)
            elif m.form is not None and m.level() is None:
                ctx.report(m.at("ban_kiem_diem"), f"{m.name}: bản kiểm điểm chưa có mức xếp loại.", subject=m)
        elif not m.raw.get("ly_do"):
            ctx.report(m.at("ly_do"), f"{m.name} {'chưa kiểm điểm' if m.status == 'chua_kiem_diem' else 'chưa xếp loại'}: phải ghi lý do (ly_do).", subject=m)
    for o in ctx.unit.orgs:
        if o.level() is None and o.raw.get("loai") != "tap_the_lanh_dao":
            ctx.report(o.at("bao_cao"), f"{o.name}: chưa có báo cáo tự đánh giá (Mẫu 01) hoặc quyết định xếp loại.", subject=o)
