"""Ballot arithmetic: which level a secret ballot adopts (pure; used by the model, the rules and the facts)."""

from __future__ import annotations

from typing import Sequence

LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
"""Quality levels from best to worst (ballot order)."""


def ballot_adopted(counts: dict[str, int], denominator: int, threshold: float = 0.5, levels: Sequence[str] = LEVELS) -> str | None:
    """The highest level whose cumulative votes (that level or higher) exceed threshold × denominator.

    Example: 3 HTXSNV / 3 HTTNV / 4 HTNV of 10 → cumulative 3, 6 → HTTNV (spec §3.6, Q16).
    None when no level reaches the majority (cannot happen once KHTNV is counted and all ballots are valid).
    """
    if denominator <= 0:
        return None
    total = 0
    for level in levels:
        total += counts.get(level, 0)
        if total > threshold * denominator:
            return level
    return None
