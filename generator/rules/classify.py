"""Classification as data: a subject's condition table, the level its data supports, the failure cases that
hold (with their mitigations), and the rule that reports each finding.

A subject's table (its branch) is its role's ``nhanh`` (``vai_tro`` of the ruleset), else the table of the
level rule of its kind (the member or organisation rule whose row names ``dieu_kien``). The same table
names its level conditions (``dieu_kien_muc``) and its failure cases (``truong_hop_khong_dat``).

A finding is reported by the rule a row or case names (``quy_tac``), else by the rule whose row names the
table (``dieu_kien`` for conditions, ``truong_hop`` for cases). Several rules share one classification of a
subject, computed once per run; each reports only what is its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..grading import vn
from ..unit import Located, Member, Subject, value_of
from .engine import RULES, Context
from .measures import Values, constrains, failed_rows, fill, holding_cases, level_for

MITIGATION_FLAG = "tu_phat_hien_khac_phuc"
"""The discipline record's own flag (``ky_luat[].tu_phat_hien_khac_phuc``), which is also the code of that mitigation."""


def must_be_bottom(ctx: Context, s: Subject, why: str) -> None:
    """Report when the subject's effective level is not the ruleset's bottom level although ``why`` forces it."""
    level, bottom = s.level(), ctx.ruleset.bottom
    if level is None or level.value == bottom:
        return
    ctx.report(level, f"{s.name}: {why} nên phải xếp loại \"{ctx.ruleset.level_name(bottom)}\"; đang ghi {ctx.ruleset.named(level.value)}.", subject=s)


def ask_competent_level(ctx: Context, s: Subject, why: str, mitigations: list[dict]) -> None:
    """Report, as a warning, a reason for the bottom level that a recorded mitigation leaves to the competent level."""
    level = s.level()
    if level is None or level.value == ctx.ruleset.bottom:
        return
    labels = ctx.ruleset.vocabulary("giam_nhe")
    shown = "; ".join(dict.fromkeys(labels.get(m["ly_do"], m["ly_do"]) + (f" — {m['ghi_chu']}" if m.get("ghi_chu") else "") for m in mitigations))
    ctx.report(
        level,
        f"{s.name}: {why}, nhưng có lý do giảm nhẹ ({shown}): cấp có thẩm quyền xem xét, quyết định mức xếp loại "
        f"(ghi quyết định vào ghi_de của don_vi.yaml); đang ghi {ctx.ruleset.named(level.value)}.",
        subject=s, severity="warning",
    )


def mitigations(s: Subject, accepted: list[str] | None, *names: str) -> list[dict]:
    """The subject's recorded mitigations (``giam_nhe`` in don_vi.yaml) of an accepted kind that concern a case:
    an entry without ``truong_hop`` concerns every case, else the case whose code or rule id it names."""
    return [
        entry for entry in s.raw.get("giam_nhe") or []
        if entry.get("ly_do") in (accepted or ()) and entry.get("truong_hop") in (None, *names)
    ]


# -- which table and which rule --------------------------------------------------------------------------------
def _kind_scope(s: Subject) -> str:
    return "member" if isinstance(s, Member) else "org"


def _rules_naming(ctx: Context, s: Subject, param: str) -> list[tuple[str, dict]]:
    """The rules of the subject's kind whose row in this ruleset names a table under ``param``, in catalogue order."""
    found = []
    for rule_id, r in RULES.items():
        row = ctx.ruleset.rule(rule_id)
        if r.scope in (_kind_scope(s), "subject") and row is not None and row.get(param) is not None:
            found.append((rule_id, row))
    return found


def table_of(ctx: Context, s: Subject) -> str | None:
    """The subject's condition table: its role's branch (``vai_tro.<role>.nhanh``), else the table of its kind's level rule."""
    role = value_of(s.field("vai_tro")) if isinstance(s, Member) else None
    branch = (ctx.ruleset.roles.get(role) or {}).get("nhanh") if isinstance(role, str) else None
    if branch:
        return branch
    for param in ("dieu_kien", "truong_hop"):
        for _, row in _rules_naming(ctx, s, param):
            return row[param]
    return None


def level_rule(ctx: Context, s: Subject, table: str | None) -> tuple[str, dict] | None:
    """The level rule of the subject (the rule whose row names its table, else the first of its kind's level rules)."""
    rules = _rules_naming(ctx, s, "dieu_kien")
    return next(((rid, row) for rid, row in rules if row["dieu_kien"] == table), rules[0] if rules else None)


def case_rule(ctx: Context, s: Subject, table: str | None) -> str | None:
    """The rule that reports the failure cases of a table by default."""
    return next((rid for rid, row in _rules_naming(ctx, s, "truong_hop") if row["truong_hop"] == table), None)


def _reporter(ctx: Context, wanted: str | None, default: str | None) -> str | None:
    """The rule a row or case names when it runs here (it has a row, and a unit when it needs one), else the default."""
    if wanted and ctx.ruleset.rule(wanted) is not None and wanted in RULES and (ctx.unit is not None or not RULES[wanted].needs_unit):
        return wanted
    return default


# -- the classification -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """A failure case that holds for a subject: its row, the rule that reports it, its reason, its mitigations."""

    row: Mapping
    rule_id: str | None
    reason: str
    mitigated: tuple[dict, ...]


@dataclass(frozen=True)
class Verdict:
    """What the data says of a subject's level (see ``classify``)."""

    table: str | None
    level: Located | None
    supported: str
    lowered: Mapping | None
    failed: tuple[Mapping, ...]
    cases: tuple[Case, ...]
    level_rule: str | None
    gap_rule: str | None
    values: Values

    @property
    def gap(self) -> bool:
        """No level above the bottom holds and no case forces the bottom: the ruleset's gap rule (``khong_co_muc``)
        asks the competent level instead of defaulting to the bottom."""
        return self.gap_rule is not None and self.supported == self.values.ctx.ruleset.bottom and not self.cases


def classify(ctx: Context, s: Subject) -> Verdict:
    """The subject's classification, computed once per run: its table, effective level, the highest level whose
    constraining rows hold, the rows failing at its effective level, the failure cases that hold."""
    return ctx.memo(("phan_loai", id(s)), lambda: _classify(ctx, s))


def _classify(ctx: Context, s: Subject) -> Verdict:
    rs = ctx.ruleset
    values = Values(ctx, s)
    table = table_of(ctx, s)
    conditions = rs.conditions(table) if table else {}
    supported, lowered = level_for(rs, conditions, values)
    level = s.level()
    failed = tuple(failed_rows(rs, conditions.get(level.value) or [], values)) if level is not None else ()
    found_rule = level_rule(ctx, s, table)
    default_case = case_rule(ctx, s, table)
    cases = []
    for row in holding_cases(rs, rs.failure_cases(table) if table else [], values):
        rule_id = _reporter(ctx, row.get("quy_tac"), default_case)
        found = mitigations(s, row.get("giam_nhe"), *(x for x in (row.get("ma"), rule_id) if x))
        cases.append(Case(row, rule_id, fill(row["ly_do"], values), tuple(found)))
    return Verdict(table, level, supported, lowered, failed, tuple(cases),
                   found_rule[0] if found_rule else None, found_rule[1].get("khong_co_muc") if found_rule else None, values)


# -- reporting ---------------------------------------------------------------------------------------------------
def report_level(ctx: Context, s: Subject) -> None:
    """Report, under the running rule if it is the one the failing row names, a level above what the data supports
    (an error), or a warning row that fails at the effective level.

    Nothing is reported when a failure case holds (the case rules report it). In a gap the proposal is still
    unsupported, but no level is named instead (the gap rule asks the competent level).
    """
    if s.form is None:
        return
    v = classify(ctx, s)
    if v.level is None or v.table is None or v.cases:
        return
    rs = ctx.ruleset
    blocking = [row for row in v.failed if constrains(row)]
    if rs.rank(v.level.value) > rs.rank(v.supported) and blocking:
        row = blocking[0]
        if _reporter(ctx, row.get("quy_tac"), v.level_rule) != ctx.rule_id:
            return
        ctx.report(v.level, _too_high(ctx, s, v, row), subject=s)
        return
    warned = [row for row in v.failed if not constrains(row)]
    if warned and _reporter(ctx, warned[0].get("quy_tac"), v.level_rule) == ctx.rule_id:
        ctx.report(v.level, f"{s.name}: mức {rs.named(v.level.value)}: {fill(warned[0]['ly_do'], v.values)}.", subject=s, severity=warned[0]["muc_do"])


def _too_high(ctx: Context, s: Subject, v: Verdict, row: Mapping) -> str:
    rs = ctx.ruleset
    if v.gap:
        why = fill(row["ly_do"], v.values) if row.get("ly_do") else "theo điều kiện của mức"
        return (f"{s.name}: mức {rs.named(v.level.value)} cao hơn mức cho phép {why}; không mức nào trên mức thấp nhất "
                "có đủ điều kiện, cũng không thuộc trường hợp buộc xếp mức thấp nhất: cấp có thẩm quyền xem xét, quyết định "
                "(ghi quyết định vào ghi_de của don_vi.yaml).")
    if row.get("ly_do"):
        return f"{s.name}: mức {rs.named(v.level.value)} cao hơn mức cho phép {fill(row['ly_do'], v.values)}; mức phù hợp cao nhất là {rs.named(v.supported)}."
    if isinstance(s, Member):
        return (f"{s.name}: mức {rs.named(v.level.value)} cao hơn mức mà cấp độ các tiêu chí cho phép; "
                f"theo các tiêu chí đã tự đánh giá, mức phù hợp cao nhất là {rs.named(v.supported)}.")
    return f"{s.name}: mức {rs.named(v.level.value)} cao hơn mức cho phép theo cấp độ các tiêu chí đã tự đánh giá; mức phù hợp cao nhất là {rs.named(v.supported)}."


def report_cases(ctx: Context, s: Subject) -> None:
    """Report the failure cases the running rule owns: an error when one holds without a mitigation, else a warning
    that asks the competent level (a case without mitigation elsewhere already forces the bottom level)."""
    v = classify(ctx, s)
    mine = [c for c in v.cases if c.rule_id == ctx.rule_id]
    if not mine:
        return
    if any(not c.mitigated for c in v.cases):
        firm = [c.reason for c in mine if not c.mitigated]
        if firm:
            must_be_bottom(ctx, s, "; ".join(firm))
        return
    ask_competent_level(ctx, s, "; ".join(c.reason for c in mine), [m for c in mine for m in c.mitigated])


def report_gap(ctx: Context, s: Subject) -> None:
    """Report a subject whose data supports no level above the bottom although no failure case holds (the
    regulation then assigns no level: the competent level decides), when the running rule is its table's gap rule."""
    v = classify(ctx, s)
    if s.form is None or v.level is None or not v.gap or v.gap_rule != ctx.rule_id:
        return
    rs = ctx.ruleset
    why = f" {fill(v.lowered['ly_do'], v.values)}" if v.lowered and v.lowered.get("ly_do") else ""
    points = v.values["diem"]
    score = f"tổng điểm {vn(points)}, " if isinstance(points, (int, float)) else ""
    ctx.report(
        v.level,
        f"{s.name}: {score}không thuộc trường hợp buộc xếp mức thấp nhất, nhưng không đủ điều kiện của mức nào cao hơn{why}: "
        f"quy định không xác định mức, cấp có thẩm quyền xem xét, quyết định (ghi quyết định vào ghi_de của don_vi.yaml); "
        f"đang ghi {rs.named(v.level.value)}.",
        subject=s,
    )
