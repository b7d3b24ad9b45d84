"""Stage 3, rules: the rule catalogue (domain/rules.md) as small named functions in a registry.

Each rule is a function decorated with ``@rule(ID, scope)`` in one of the modules below; its docstring
names its legal source. A rule runs for a ruleset iff the ruleset's rule table has its row, which gives
the severity, the legal basis and the parameters; thresholds come from the layered settings; level
conditions and failure cases are data rows over the named measures of ``measures``. A finding that a
competent body overrode (the unit's ``ghi_de``) is reported with the override, not silenced.
"""

from __future__ import annotations

from .engine import RULES, Context, Rule, as_warnings, catalogue, check_unit, rule, run_rules, unit_findings
from .measures import MEASURES, check_ruleset, measure

# Importing a rule module registers its rules; this order is the catalogue's order.
from . import individual, collective, conditions, dossier, points, process, quarters, unit_rules  # noqa: E402, F401, I001

__all__ = ["RULES", "Context", "Rule", "catalogue", "rule", "run_rules", "MEASURES", "check_ruleset", "measure"]
