"""The model: a unit for one period, its organisations and members joined with their forms (spec §3.0).

The manifest (``don_vi.yaml``) holds what forms do not: membership dates, leave, discipline,
transfers, meetings, ballots, complaints, overrides. Levels come from the forms and are
never typed twice. Forms are read through their ruleset's field map (``truong``) and the unit's
documents through its slot map (``vi_tri``), so no regulation is written here. Pure data: loading
and checking a unit is ``generator.source``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from .grading import ballot_adopted
from .period import Period
from .ruleset import Ruleset
from .validate import ValidForm


def parse_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass
class Located:
    """A value together with where it was read (file and JSON path)."""

    value: Any
    file: str
    path: str


def field_of(form: ValidForm | None, name: str) -> Located | None:
    """A named field of a form, through its ruleset's field map (``truong``): the first of its paths that has a
    value, else the first path with None; None when there is no form or the form does not map the field."""
    if form is None:
        return None
    paths = form.binding.ruleset.fields(form.entry.key).get(name)
    if paths is None:
        return None
    paths = [paths] if isinstance(paths, str) else list(paths)
    first = None
    for dotted in paths:
        found = Located(_walk(form.data, dotted), form.path, "$." + dotted)
        if found.value not in (None, "", [], {}):
            return found
        first = first or found
    return first


def value_of(located: Located | None) -> Any:
    """The value of a field that may be absent (None)."""
    return located.value if located is not None else None


def _walk(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


@dataclass
class Regrade:
    """One re-grading: when, the old and new level (where each is written), and whether reason and decision exist."""

    day: dt.date | None
    old: Located
    new: Located
    where: Located
    has_reason: bool
    has_decision: bool


@dataclass
class Subject:
    """What rules see of a graded subject: its manifest record and its form, either may be absent."""

    unit: "Unit | None"
    index: int
    raw: dict
    form: ValidForm | None
    kind: str  # "thanh_vien" or "to_chuc": the manifest list the subject is in
    score_form: ValidForm | None = None

    @property
    def in_unit(self) -> bool:
        return self.unit is not None

    @property
    def ruleset(self) -> Ruleset:
        """The ruleset the subject is graded under: its unit's, else its form's."""
        return self.unit.ruleset if self.unit is not None else self.form.binding.ruleset

    def field(self, name: str) -> Located | None:
        """A named field of the subject's form (see ``field_of``)."""
        return field_of(self.form, name)

    @property
    def ma(self) -> str:
        return self.raw.get("ma", "")

    @property
    def file(self) -> str:
        return self.unit.path if self.unit else (self.form.path if self.form else "")

    def at(self, *keys: str | int) -> Located:
        """The manifest location of a field of this subject (``$.thanh_vien[3].ky_luat[0]``)."""
        path = f"$.{self.kind}[{self.index}]"
        value: Any = self.raw
        for key in keys:
            path += f"[{key}]" if isinstance(key, int) else f".{key}"
            value = value.get(key) if isinstance(value, dict) else (value[key] if isinstance(value, list) and key < len(value) else None)
        return Located(value, self.file, path)

    def form_at(self, dotted: str) -> Located | None:
        """A field of the subject's form by dotted path, or None when there is no form."""
        if self.form is None:
            return None
        return Located(_walk(self.form.data, dotted), self.form.path, "$." + dotted)

    def documents_of_kind(self, kind: str) -> list[ValidForm]:
        """The unit's documents of one kind (``bieu_mau``) about this subject."""
        return self.unit.documents_about(kind, self.kind, self.ma) if self.unit is not None else []

    def documents(self, slot: str) -> list[ValidForm]:
        """The unit's documents that fill a slot of the ruleset (``vi_tri``: khieu_nai, bien_ban, ...) about this subject."""
        return self.documents_of_kind(self.ruleset.kind(slot)) if self.unit is not None else []

    def regrades(self) -> list[Regrade]:
        """Every re-grading of the subject, oldest first: manifest entries and re-grading decisions."""
        found = []
        for i, r in enumerate(self.raw.get("xep_loai_lai") or []):
            found.append(Regrade(parse_date(r["ngay"]), self.at("xep_loai_lai", i, "muc_cu"), self.at("xep_loai_lai", i, "muc_moi"),
                                 self.at("xep_loai_lai", i), bool(r.get("ly_do")), bool(r.get("van_ban"))))
        for doc in self.documents("xep_loai_lai"):
            found.append(Regrade(parse_date(value_of(field_of(doc, "ngay"))), field_of(doc, "muc_cu"), field_of(doc, "muc_moi"),
                                 Located(None, doc.path, "$"), bool(value_of(field_of(doc, "ly_do"))),
                                 bool(value_of(field_of(doc, "ky_hieu")))))
        return sorted(found, key=lambda r: r.day or dt.date.min)

    def level(self) -> Located | None:
        """The effective level and where it is written; members and organisations each say how."""
        raise NotImplementedError

    def graded_level(self) -> Located | None:
        """The level as graded by others (re-grading, decision, ballot, proposal): the self-assessment does not count."""
        level = self.level()
        own = self.field("muc_tu_nhan")
        if level is None or (own is not None and (level.file, level.path) == (own.file, own.path)):
            return None
        return level

    def _first_set(self, *names: str) -> Located | None:
        """The first of the named fields of the form that has a value."""
        for name in names:
            loc = self.field(name)
            if loc is not None and loc.value:
                return loc
        return None


@dataclass
class Member(Subject):
    """A party member of the unit."""

    @property
    def name(self) -> str:
        if self.raw.get("ho_ten"):
            return self.raw["ho_ten"]
        return value_of(self.field("ho_ten")) or ""

    @property
    def status(self) -> str:
        return self.raw.get("tinh_trang", "xep_loai")

    @property
    def is_leader(self) -> bool:
        return self.form is not None and self.ruleset.is_leader_role(value_of(self.field("vai_tro")))

    def levels(self) -> list[Located]:
        """Every level of the member's party grading present, from self-proposal to decision."""
        found = []
        for name in ("muc_tu_nhan", "muc_de_xuat", "muc_quyet_dinh"):
            loc = self.field(name)
            if loc is not None and loc.value:
                found.append(loc)
        return found

    def voted(self) -> Located | None:
        """The level the chi bộ's secret ballot adopted for the member (the last tally naming them), by the locality's majority rule."""
        if self.unit is None:
            return None
        setting = self.unit.settings["bo_phieu"]
        levels = self.unit.ruleset.levels
        found = None
        for row in self.unit.ballot_rows(self.ma):
            denominator = row.tally["co_mat"] if setting["mau_so"] == "co_mat" else row.tally["hop_le"]
            level = ballot_adopted({lvl: row.row.get(lvl, 0) for lvl in levels}, denominator, setting["nguong"], levels)
            if level:
                found = Located(level, self.unit.path, f"$.bo_phieu[{row.tally_index}].ket_qua[{row.row_index}]")
        return found

    def level(self) -> Located | None:
        """The effective level, in this precedence (README, "Mức xếp loại"):

        the latest re-grading; the competent body's final level (``muc_cuoi_cung``); the party
        committee's decision (field ``muc_quyet_dinh``); the chi bộ's ballot; the chi bộ's
        proposal (``muc_de_xuat``); the self-assessed level (``muc_tu_nhan``).
        """
        regrades = self.regrades()
        if regrades:
            return regrades[-1].new
        if (self.raw.get("muc_cuoi_cung") or {}).get("muc"):
            return self.at("muc_cuoi_cung", "muc")
        decided = self.field("muc_quyet_dinh")
        if decided is not None and decided.value:
            return decided
        voted = self.voted()
        if voted is not None:
            return voted
        levels = self.levels()
        return levels[-1] if levels else None

    def graded_date(self) -> Located | None:
        return self._first_set("ngay_quyet_dinh", "ngay_de_xuat")

    def civil_servant_level(self) -> Located | None:
        found = self._first_set("muc_cbccvc")
        if found is not None:
            return found
        if self.raw.get("muc_cbccvc"):
            return self.at("muc_cbccvc")
        return None

    def evaluation_date(self) -> dt.date:
        """The member's review meeting, else the chi bộ's meeting, else the end of the period (spec §3.0, Q27)."""
        own = parse_date(self.raw.get("ngay_kiem_diem"))
        if own:
            return own
        if self.unit:
            org = self.unit.org(self.raw.get("chi_bo"))
            if org and org.meeting_date():
                return org.meeting_date()
            return self.unit.period.end
        if self.form is not None:
            return Period.of(self.form.data["ky_danh_gia"]).end
        return Period(dt.date.today().year).end


@dataclass
class Org(Subject):
    """A party organisation or leadership collective of the unit."""

    @property
    def name(self) -> str:
        return self.raw.get("ten", "")

    def level(self) -> Located | None:
        """The latest re-grading, else the decision in the manifest, else the self-assessment of the report."""
        regrades = self.regrades()
        if regrades:
            return regrades[-1].new
        if (self.raw.get("quyet_dinh") or {}).get("muc"):
            return self.at("quyet_dinh", "muc")
        return self._first_set("muc_tu_nhan")

    def sittings(self) -> Located | None:
        """The review meeting's sittings: from its minutes when the unit has them, else from the manifest."""
        for doc in self.documents("bien_ban"):
            held = field_of(doc, "buoi")
            if held is not None and held.value:
                return held
        if (self.raw.get("hop") or {}).get("buoi"):
            return self.at("hop", "buoi")
        return None

    def meeting_date(self) -> dt.date | None:
        sittings = self.sittings()
        return dt.date.fromisoformat(sittings.value[0]["bat_dau"][:10]) if sittings else None

    def decided_date(self) -> dt.date | None:
        return parse_date((self.raw.get("quyet_dinh") or {}).get("ngay"))


class BallotRow(NamedTuple):
    """One member's row of a secret-ballot tally in the manifest (``bo_phieu[i].ket_qua[j]``)."""

    tally_index: int
    row_index: int
    tally: dict
    row: dict


class _Index:
    """Look-ups of a unit by code: subjects, documents about a subject, ballot rows, the owner of a form.

    Built from the unit's lists, so a 1,000-member unit needs no linear scan per question.
    """

    def __init__(self, unit: "Unit"):
        self.sizes = unit.sizes()
        self.orgs: dict[str, Org] = {}
        self.members: dict[str, Member] = {}
        self.owners: dict[str, Subject] = {}
        for subject in [*unit.orgs, *unit.members]:
            table = self.orgs if isinstance(subject, Org) else self.members
            table.setdefault(subject.ma, subject)  # a duplicate code is a finding; the first one counts
            if subject.form is not None:
                self.owners.setdefault(subject.form.path, subject)
        self.by_kind: dict[str, list[ValidForm]] = defaultdict(list)
        self.about: dict[tuple[str, str, str], list[ValidForm]] = defaultdict(list)
        for doc in unit.documents:
            kind = doc.data.get("bieu_mau")
            self.by_kind[kind].append(doc)
            for key in ("thanh_vien", "to_chuc"):
                if isinstance(doc.data.get(key), str):
                    self.about[(kind, key, doc.data[key])].append(doc)
        self.ballots: dict[str, list[BallotRow]] = defaultdict(list)
        for i, tally in enumerate(unit.data.get("bo_phieu") or []):
            for j, row in enumerate(tally["ket_qua"]):
                self.ballots[row["thanh_vien"]].append(BallotRow(i, j, tally, row))


@dataclass
class Unit:
    """One unit and period: organisations, members, their forms, settings and ruleset."""

    path: str
    folder: Path
    data: dict
    settings: dict
    ruleset: Ruleset
    orgs: list[Org] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    documents: list[ValidForm] = field(default_factory=list)
    attachments: dict[str, Path] = field(default_factory=dict)
    """Attached files by the name the manifest gives, each checked to lie inside the unit folder."""
    _index: _Index | None = field(default=None, init=False, repr=False, compare=False)

    def forms(self) -> list[ValidForm]:
        """Every valid form of the unit: reports, self-reviews, scoring sheets, other documents."""
        found = [f for s in [*self.orgs, *self.members] for f in (s.form, s.score_form) if f is not None]
        return found + self.documents

    @cached_property
    def period(self) -> Period:
        return Period.of(self.data["ky_danh_gia"])

    @property
    def period_end(self) -> dt.date:
        return self.period.end

    @property
    def year(self) -> int:
        return self.period.year

    def output_name(self, form: ValidForm) -> str:
        """Where a form's documents go in an output folder: its path in the unit, without suffix
        (a form from an allowed shared folder keeps its path below that folder)."""
        rel = Path(os.path.relpath(os.path.abspath(form.path), os.path.abspath(self.folder))).with_suffix("")
        return "/".join(p for p in rel.parts if p != "..")

    def attachment(self, name: str) -> Path | None:
        """The checked path of an attached file, or None when it was refused (a finding says why)."""
        return self.attachments.get(name)

    def sizes(self) -> tuple[int, int, int]:
        return len(self.orgs), len(self.members), len(self.documents)

    def _indexed(self) -> _Index:
        # The loader appends subjects and documents while it builds the unit: rebuild when a list grew.
        if self._index is None or self._index.sizes != self.sizes():
            self._index = _Index(self)
        return self._index

    def org(self, ma: str | None) -> Org | None:
        return self._indexed().orgs.get(ma)

    def member(self, ma: str | None) -> Member | None:
        return self._indexed().members.get(ma)

    def owner(self, form: ValidForm) -> Subject | None:
        """The organisation whose report, or the member whose self-review, ``form`` is."""
        return self._indexed().owners.get(form.path)

    def documents_of_kind(self, kind: str) -> list[ValidForm]:
        """The unit's documents of one kind (``bieu_mau``), in manifest order."""
        return list(self._indexed().by_kind.get(kind, ()))

    def documents_about(self, kind: str, key: str, code: str) -> list[ValidForm]:
        """The unit's documents of one kind that name a subject under ``key`` (``thanh_vien`` or ``to_chuc``)."""
        return list(self._indexed().about.get((kind, key, code), ()))

    def ballot_rows(self, ma: str) -> list[BallotRow]:
        """Every tally row of the manifest's secret ballots about one member, in manifest order."""
        return list(self._indexed().ballots.get(ma, ()))


def standalone_subjects(forms: list[ValidForm]) -> tuple[list[Member], list[Org]]:
    """Subjects for plain form files checked without a unit (form-level rules only): the self-review kind of each
    form's ruleset (slot ``ban_kiem_diem``) is a member, any other form an organisation."""
    members, orgs = [], []
    for i, form in enumerate(forms):
        if form.data["bieu_mau"] in form.binding.ruleset.kinds("ban_kiem_diem"):
            members.append(Member(None, i, {}, form, "thanh_vien"))
        else:
            orgs.append(Org(None, i, {}, form, "to_chuc"))
    return members, orgs
