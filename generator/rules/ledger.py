"""The task ledger (sổ nhiệm vụ) of a subject and of the units a leader leads, read through the field map.

A ledger is the list a form keeps under its ``nhiem_vu`` field: each task with its result (``ket_qua``).
Which results count as done, on time, exceeded, late or not done is a setting (``so_nhiem_vu.nhom_ket_qua``,
qd366-rules.md Q5), so no result code is written here. A leader's led units are the form's
``don_vi_lanh_dao`` entries; an entry naming an organisation of the unit (``to_chuc``) reads that
organisation's own report: its ledger, its level and its socio-economic targets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from ..unit import Located, Org, Subject, field_of, value_of


@dataclass(frozen=True)
class Tally:
    """The tasks of one or more ledgers counted by result group (``so_nhiem_vu.nhom_ket_qua``)."""

    total: int
    groups: dict[str, int]

    def share(self, group: str) -> float | None:
        """The share (0–1) of the tasks whose result is in ``group``; None when there is no task."""
        return self.groups[group] / self.total if self.total else None


def tally(settings: dict, tasks: Sequence[dict] | None) -> Tally | None:
    """Count tasks by the settings' result groups; None when there is no ledger or it is empty.

    Tasks arising during the period (``phat_sinh``) count unless the settings leave them out
    (``so_nhiem_vu.tinh_phat_sinh``).
    """
    setting = settings["so_nhiem_vu"]
    counted = [t for t in tasks or () if isinstance(t, dict) and (setting["tinh_phat_sinh"] or not t.get("phat_sinh"))]
    if not counted:
        return None
    results = Counter(t.get("ket_qua") for t in counted)
    groups = {name: sum(results[code] for code in codes) for name, codes in setting["nhom_ket_qua"].items()}
    return Tally(len(counted), groups)


def own_tasks(s: Subject) -> Located | None:
    """The subject's own ledger (field ``nhiem_vu`` of its form); None when its form keeps none."""
    return field_of(s.form, "nhiem_vu")


@dataclass(frozen=True)
class LedUnit:
    """One locality, body or unit a leader directly leads (an entry of the form's ``don_vi_lanh_dao``)."""

    name: str
    where: Located
    org: Org | None
    tasks: Located | None
    level: Located | None
    targets: Any


def led_units(s: Subject) -> list[LedUnit] | None:
    """The units the subject leads, from its form (``don_vi_lanh_dao``); None when its form keeps no such list.

    An entry that names an organisation of the unit (``to_chuc``) takes that organisation's ledger, level
    and targets from its own report when the entry does not give them.
    """
    found = field_of(s.form, "don_vi_lanh_dao")
    if found is None:
        return None
    units = []
    for i, entry in enumerate(found.value or []):
        where = Located(entry, found.file, f"{found.path}[{i}]")
        org = s.unit.org(entry.get("to_chuc")) if s.unit is not None and entry.get("to_chuc") else None
        tasks = Located(entry["nhiem_vu"], found.file, f"{where.path}.nhiem_vu") if entry.get("nhiem_vu") else None
        if tasks is None and org is not None:
            tasks = own_tasks(org)
        level = Located(entry["muc"], found.file, f"{where.path}.muc") if entry.get("muc") else (org.level() if org else None)
        targets = value_of(field_of(org.form, "chi_tieu_kt_xh")) if org is not None else None
        units.append(LedUnit(entry.get("ten") or (org.name if org else ""), where, org, tasks, level, targets))
    return units


def led_tally(settings: dict, units: Sequence[LedUnit] | None) -> Tally | None:
    """The led units' ledgers counted together (the conditions speak of all the tasks of the units a leader leads)."""
    parts = [t for u in units or () if (t := tally(settings, value_of(u.tasks))) is not None]
    if not parts:
        return None
    return Tally(sum(p.total for p in parts), {g: sum(p.groups[g] for p in parts) for g in parts[0].groups})


def targets_met(value: Any) -> bool | None:
    """Whether every recorded socio-economic target (``chi_tieu_kt_xh``: a mapping or a list of ``{dat, ...}``) was met;
    None when none is recorded."""
    items = list(value.values()) if isinstance(value, dict) else list(value or [])
    flags = [item.get("dat") for item in items if isinstance(item, dict) and isinstance(item.get("dat"), bool)]
    return all(flags) if flags else None
