"""The rule engine: the registry of rule functions, what a rule sees (``Context``) and the run over a unit's subjects.

A rule runs for a ruleset iff the ruleset's rule table (``quy_tac``) has its row; the row carries the
severity, the legal basis and the rule's parameters. No rule id, severity or basis is written here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Iterable

from ..errors import ConfigError
from ..findings import Finding
from ..period import Period
from ..ruleset import Ruleset
from ..unit import Located, Member, Org, Subject, Unit, field_of
from ..validate import ValidForm
from .measures import check_ruleset

SCOPES = ("member", "org", "subject", "unit")
"""What a rule function is called with: each member, each organisation, each subject (organisations, then
members) or the unit once."""


@dataclass(frozen=True)
class Rule:
    """One rule id of the catalogue with the function that checks it."""

    id: str
    scope: str
    func: Callable
    needs_unit: bool
    stage: str = "check"

    @property
    def summary(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]

    @property
    def source(self) -> str:
        doc = (self.func.__doc__ or "").strip()
        for line in doc.splitlines():
            if line.strip().startswith("Nguồn:"):
                return line.split("Nguồn:", 1)[1].strip()
        return ""


RULES: dict[str, Rule] = {}


def rule(rule_id: str, scope: str, *, needs_unit: bool = True, stage: str = "check"):
    """Register a rule function under its catalogue id.

    ``needs_unit``: the rule reads the unit manifest, so it does not run on plain form files.
    ``stage`` "dossier" rules run only when record packages are built (``hoso dossier``).
    """
    assert scope in SCOPES

    def register(func: Callable) -> Callable:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule {rule_id}")
        RULES[rule_id] = Rule(rule_id, scope, func, needs_unit, stage)
        return func

    return register


class Context:
    """What a rule sees: the ruleset, the layered settings, the unit (or None) and a way to report.

    Raises ConfigError when the ruleset has no data file, or when its data names a measure, a level
    or a condition that does not exist (see ``measures.check_ruleset``).
    """

    def __init__(self, ruleset: Ruleset, settings: dict, unit: Unit | None):
        if not ruleset.has_data:
            raise ConfigError(f"Bộ quy tắc {ruleset.key} chưa có dữ liệu quy tắc (rulesets/{ruleset.key}.yaml) trong phiên bản này.")
        problems = check_ruleset(ruleset)
        if problems:
            raise ConfigError(f"Dữ liệu của bộ quy tắc {ruleset.key} không dùng được: {'; '.join(problems)}.")
        self.ruleset = ruleset
        self.settings = settings
        self.unit = unit
        self.findings: list[Finding] = []
        self._rule: Rule | None = None
        self._memo: dict = {}

    def memo(self, key: tuple, compute: Callable):
        """A value computed once per context (e.g. a subject's classification, read by several rules)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def rule_id(self) -> str:
        """The id of the running rule."""
        return self._rule.id

    @property
    def row(self) -> dict:
        """The running rule's row of the rule table: severity, legal basis and parameters."""
        return self.ruleset.rule(self._rule.id)

    def severity(self, rule_id: str, key: str = "muc_do") -> str:
        """The locality's severity for a rule (``muc_do_quy_tac``), else the row's ``key`` (``muc_do``, ``muc_do_htxs``)."""
        return self.settings["muc_do_quy_tac"].get(rule_id) or self.ruleset.rule(rule_id)[key]

    def period(self, subject: Subject) -> Period:
        """The evaluation period: the unit's, or the subject's form's when checked without a unit."""
        return self.unit.period if self.unit is not None else Period.of(subject.form.data["ky_danh_gia"])

    def field(self, form: ValidForm, name: str) -> Located:
        """A named field of a document through the ruleset's field map (``truong``).

        Raises ConfigError when the ruleset does not say where the document's form keeps it.
        """
        found = field_of(form, name)
        if found is None:
            raise ConfigError(f"Bộ quy tắc {self.ruleset.key} không ghi biểu mẫu {form.entry.key} giữ trường '{name}' ở đâu (truong).")
        return found

    def report(self, where: Located, message: str, *, subject: Subject | str | None = None, severity: str | None = None,
               rule_id: str | None = None, basis: str | None = None) -> None:
        """Record a finding of the running rule at ``where``; its legal basis is the rule row's (``can_cu``) unless the
        rule gives the whole ``basis`` (e.g. the row's with the decree of the period)."""
        rid = rule_id or self._rule.id
        who = subject.ma if isinstance(subject, Subject) else (subject or "")
        self.findings.append(
            Finding(
                rule_id=rid,
                severity=severity or self.severity(rid),
                file=where.file,
                json_path=where.path,
                message_vi=message,
                legal_basis=basis or self.ruleset.rule(rid)["can_cu"],
                subject=who,
                override=self._override(rid, who),
            )
        )

    def _override(self, rule_id: str, subject: str) -> dict | None:
        if self.unit is None:
            return None
        for item in self.unit.data.get("ghi_de") or []:
            if item["quy_tac"] == rule_id and item.get("doi_tuong") in (None, subject):
                return item
        return None


def run_rules(ctx: Context, members: Iterable[Member], orgs: Iterable[Org], stages: tuple[str, ...] = ("check",)) -> list[Finding]:
    """Run every rule the context's ruleset has a row for, of the given stages, over the subjects, in catalogue order."""
    members, orgs = list(members), list(orgs)
    for r in RULES.values():
        if ctx.ruleset.rule(r.id) is None or (r.needs_unit and ctx.unit is None) or r.stage not in stages:
            continue
        ctx._rule = r
        if r.scope == "member":
            for m in members:
                r.func(ctx, m)
        elif r.scope == "org":
            for o in orgs:
                r.func(ctx, o)
        elif r.scope == "subject":
            for s in [*orgs, *members]:
                r.func(ctx, s)
        else:
            r.func(ctx)
    ctx._rule = None
    return ctx.findings


def catalogue() -> list[Rule]:
    """Every registered rule, for ``hoso rules``."""
    return list(RULES.values())


def as_warnings(findings: list[Finding], stage: str) -> list[Finding]:
    """Errors of the rules of a later stage, shown as warnings: ``check`` shows what ``dossier`` will refuse
    without blocking the documents that can already be made."""
    later = {r.id for r in RULES.values() if r.stage == stage}
    return [dataclasses.replace(f, severity="warning") if f.rule_id in later and f.severity == "error" else f for f in findings]


def unit_findings(unit: Unit, stages: tuple[str, ...]) -> list[Finding]:
    """Stage 3 over a unit; a ruleset without rule data is a finding on the unit's period."""
    try:
        ctx = Context(unit.ruleset, unit.settings, unit)
    except ConfigError as exc:
        where = "$.bo_quy_tac" if unit.data.get("bo_quy_tac") else "$.ky_danh_gia"
        return [Finding("SCHEMA", "error", unit.path, where, exc.message, "Bảng bộ quy tắc theo kỳ (rulesets/rulesets.yaml)")]
    return run_rules(ctx, unit.members, unit.orgs, stages=stages)


def check_unit(unit: Unit) -> list[Finding]:
    """The rule findings of ``hoso check`` for a unit: every rule, the dossier's too, whose errors show as warnings."""
    return as_warnings(unit_findings(unit, ("check", "dossier")), "dossier")
