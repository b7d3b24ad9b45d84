"""Stage 3, rules: the rule catalogue (domain/rules.md) as small named functions in a registry.

Each rule is a function decorated with ``@rule(ID, scope)``; its docstring names its legal
source. Severities and legal bases come from the ruleset data (rulesets/<ruleset>.yaml),
thresholds from the locality settings. A finding that a competent body overrode (the
unit's ``ghi_de``) is reported with the override, not silenced.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable, Iterable

from ..errors import ConfigError
from ..findings import Finding
from ..load import load_yaml_file
from ..resources import data_dir
from ..unit import Located, Member, Org, Subject, Unit

SCOPES = ("member", "org", "unit")


@dataclass(frozen=True)
class Rule:
    """One rule id of the catalogue with the function that checks it."""

    id: str
    scope: str
    rulesets: tuple[str, ...]
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


def rule(rule_id: str, scope: str, *, rulesets: tuple[str, ...] = ("qd124", "qd366"), needs_unit: bool = True, stage: str = "check"):
    """Register a rule function under its catalogue id.

    ``stage`` "dossier" rules run only when record packages are built (``hoso dossier``).
    """
    assert scope in SCOPES

    def register(func: Callable) -> Callable:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule {rule_id}")
        RULES[rule_id] = Rule(rule_id, scope, rulesets, func, needs_unit, stage)
        return func

    return register


@cache
def ruleset_data(ruleset: str) -> dict:
    path = data_dir("rulesets") / f"{ruleset}.yaml"
    if not path.is_file():
        raise ConfigError(f"Bộ quy tắc {ruleset} chưa có dữ liệu quy tắc (rulesets/{ruleset}.yaml) trong phiên bản này.")
    return load_yaml_file(path)


class Context:
    """What a rule sees: the ruleset data, the locality, the unit (or None) and a way to report."""

    def __init__(self, ruleset: str, locality: dict, unit: Unit | None):
        self.ruleset = ruleset
        self.data = ruleset_data(ruleset)
        self.locality = locality
        self.unit = unit
        self.findings: list[Finding] = []
        self._rule: Rule | None = None

    def severity(self, rule_id: str, key: str = "muc_do") -> str:
        override = self.locality.get("muc_do_quy_tac", {}).get(rule_id)
        return override or self.data["quy_tac"][rule_id][key]

    def report(self, where: Located, message: str, *, subject: Subject | str | None = None, severity: str | None = None, rule_id: str | None = None) -> None:
        """Record a finding of the running rule at ``where``."""
        rid = rule_id or self._rule.id
        who = subject.ma if isinstance(subject, Subject) else (subject or "")
        self.findings.append(
            Finding(
                rule_id=rid,
                severity=severity or self.severity(rid),
                file=where.file,
                json_path=where.path,
                message_vi=message,
                legal_basis=self.data["quy_tac"][rid]["can_cu"],
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
    """Run every registered rule of the context's ruleset and stages over the subjects, in catalogue order."""
    from . import collective, dossier, individual, points, process, unit_rules  # noqa: F401 - registers the rules

    members, orgs = list(members), list(orgs)
    for r in RULES.values():
        if ctx.ruleset not in r.rulesets or (r.needs_unit and ctx.unit is None) or r.stage not in stages:
            continue
        ctx._rule = r
        if r.scope == "member":
            for m in members:
                r.func(ctx, m)
        elif r.scope == "org":
            for o in orgs:
                r.func(ctx, o)
        else:
            r.func(ctx)
    ctx._rule = None
    return ctx.findings


def catalogue() -> list[Rule]:
    """Every registered rule, for ``hoso rules``."""
    from . import collective, dossier, individual, points, process, unit_rules  # noqa: F401

    return list(RULES.values())
