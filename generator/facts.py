"""Computed facts of a unit for documents: lists, levels, counts, percentages, tallies, score totals.

Templates of unit documents read these under ``so_lieu`` (số liệu của đơn vị); nothing here is typed by a clerk,
so nothing is typed twice. The keys (Vietnamese, no diacritics) are a contract with the
templates (``generator.templating.FACT_KEYS`` lists them for ``hoso lint``). Levels, statuses and reasons are
named by the unit's ruleset; form fields are read through its field map.

so_lieu:
  ten, nam, bo_quy_tac
  dia_danh                                         place of the date line: don_vi.dia_danh, else the locality's, else ""
  cap_tren{ten, loai, loai_ten}|None               the party organisation above the unit (don_vi.cap_tren)
  ban_hanh                                         issuer of the unit's top organisation (don_vi.to_chuc_co_so), see below
  ban_hanh_theo_tep{file: ma}                      the issuing organisation of each unit document, by its file
  to_chuc[], to_chuc_theo_ma{ma: org}             org: ma, ten, loai, loai_ten, thuoc, ten_cap_tren, ban_hanh|None,
                                                      nguoi_dung_dau (member|None), tu_nhan_muc, muc, muc_ten,
                                                      quyet_dinh{muc, ngay, co_quan, van_ban}|None,
                                                      tham_dinh{muc, muc_ten, ly_do, co_quan}|None, co_goi_y,
                                                      thanh_vien[], thanh_vien_xep_loai[], truc_thuoc[] (ma),
                                                      so_dang_vien, ngay_thanh_lap, hop{ngay_gui_du_thao, ngay, buoi[]}
  thanh_vien[], thanh_vien_theo_ma{ma: member}    member: ma, ho_ten, ngay_sinh, chi_bo, ten_chi_bo, chuc_vu,
                                                      chuc_vu_dang, chuc_vu_chinh_quyen, chuc_vu_doan_the,
                                                      don_vi_cong_tac, vai_tro, la_cbccvc, ngay_vao_dang,
                                                      tinh_trang, tinh_trang_ten, ly_do, ly_do_ten, ghi_chu,
                                                      chua_kiem_diem, chua_xep_loai, muc_tu_nhan, muc_cbccvc,
                                                      muc_doan_the, muc_chi_uy, muc_bo_phieu, muc, muc_ten,
                                                      ngay_quyet_dinh, nhan_xet_chi_uy[], nghi_om[{tu, den}],
                                                      so_ngay_nghi_om, thai_san[{tu, den}]
  chua_kiem_diem_xep_loai[]                       members not reviewed or not graded, with reasons
  thong_ke{...}                                    see ``statistics``
  bo_phieu[], bo_phieu_theo_to_chuc{ma: tally}    tally: to_chuc, ten_to_chuc, ngay, co_mat, phat_ra, thu_vao,
                                                      hop_le, khong_hop_le, mau_so, mau_so_la ("hop_le"|"co_mat"),
                                                      nguong (e.g. 0.5), ket_qua[{thanh_vien, ho_ten,
                                                      HTXSNV, HTTNV, HTNV, KHTNV, ty_le{...}, muc_chon, muc_chon_ten}]
  cham_diem_theo_ma{ma: sheet}                     sheet: dong[{ma, ten, toi_da, diem, cong, tru, dat, ket_qua}],
                                                      cong[], tru[], tong_toi_da, tong_tu_cham, tong_cong, tong_tru,
                                                      tong, muc_de_xuat

ban_hanh (issuer: how an organisation heads and signs its documents, thể thức of Hướng dẫn 36-HD/VPTW):
  ma, cap_tren (upper header line: the body above), ten (lower line: the issuing committee, e.g. "Đảng ủy xã Hòa Bình"),
  co_quan (its name in running text), co_quan_quyet_dinh (the "… QUYẾT ĐỊNH" line), tham_quyen_ky ("T/M ĐẢNG ỦY"),
  chuc_vu_ky ("BÍ THƯ"), dia_danh, tham_quyen[{tham_quyen_ky, co_quan_quyet_dinh, co_quan}] (accepted authorities, default first).
  Derived from the organisation's kind and name through the table of schemas/unit.schema.json ($defs.loai_to_chuc,
  x-loai); to_chuc[].ban_hanh in don_vi.yaml overrides any of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from . import registry
from .grading import ballot_adopted, days_in_period
from .ruleset import Ruleset
from .scoring import computed_total, rubric_kind, scoring
from .unit import Member, Org, Subject, Unit, parse_date, value_of
from .validate import ValidForm


@cache
def _kind_table(name: str) -> dict[str, dict]:
    """A kind vocabulary of the unit schema ($defs.<name>.x-loai): the data, not Python, names the kinds."""
    schema = registry.schema_registry()[registry.SCHEMA_BASE + "unit.schema.json"].contents
    return schema["$defs"][name]["x-loai"]


def org_kinds() -> dict[str, dict]:
    """Kinds of organisation in a unit: name, committee word, signing authorities (``loai_to_chuc``)."""
    return _kind_table("loai_to_chuc")


class _KindNames(Mapping):
    """Kind code → Vietnamese name, read from the unit schema when first used."""

    def _names(self) -> dict[str, str]:
        return {code: kind["ten"] for code, kind in {**_kind_table("loai_cap_tren"), **org_kinds()}.items()}

    def __getitem__(self, code: str) -> str:
        return self._names()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


ORG_KINDS: Mapping[str, str] = _KindNames()


def percent(part: int, whole: int) -> str:
    """Vietnamese percentage with one decimal and a decimal comma: "87,5%"."""
    if not whole:
        return "0%"
    value = round(100 * part / whole, 1)
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def _field(subject: Subject, name: str) -> Any:
    return value_of(subject.field(name))


def member_view(m: Member, tallies: dict[str, str]) -> dict:
    """A member of the unit as templates see it (``so_lieu.thanh_vien[]``)."""
    names = m.ruleset
    # The person block's own keys (chuc_vu_dang, ...) are the contract of every self-review form.
    person = _field(m, "ca_nhan") or {}
    posts = [person.get(k) for k in ("chuc_vu_dang", "chuc_vu_chinh_quyen", "chuc_vu_doan_the") if person.get(k)]
    level = m.level()
    civil = m.civil_servant_level()
    org = m.unit.org(m.raw.get("chi_bo")) if m.unit else None
    status = m.status
    period = m.unit.period if m.unit else None
    return {
        "ma": m.ma,
        "ho_ten": m.name,
        "ngay_sinh": person.get("ngay_sinh"),
        "chi_bo": m.raw.get("chi_bo"),
        "ten_chi_bo": org.name if org else "",
        "chuc_vu": "; ".join(posts),
        "chuc_vu_dang": person.get("chuc_vu_dang"),
        "chuc_vu_chinh_quyen": person.get("chuc_vu_chinh_quyen"),
        "chuc_vu_doan_the": person.get("chuc_vu_doan_the"),
        "don_vi_cong_tac": person.get("don_vi_cong_tac"),
        "vai_tro": _field(m, "vai_tro"),
        "la_cbccvc": bool(_field(m, "la_cbccvc")),
        "ngay_vao_dang": m.raw.get("ngay_vao_dang"),
        "tinh_trang": status,
        "tinh_trang_ten": names.vocabulary("tinh_trang")[status],
        "ly_do": m.raw.get("ly_do"),
        "ly_do_ten": names.vocabulary("ly_do").get(m.raw.get("ly_do"), ""),
        "ghi_chu": m.raw.get("ghi_chu"),
        "chua_kiem_diem": status == "chua_kiem_diem",
        "chua_xep_loai": status != "xep_loai",
        "muc_tu_nhan": _field(m, "muc_tu_nhan"),
        "muc_cbccvc": civil.value if civil else None,
        "muc_doan_the": m.raw.get("muc_doan_the"),
        "muc_chi_uy": _field(m, "muc_de_xuat"),
        "muc_bo_phieu": tallies.get(m.ma),
        "muc": level.value if level else None,
        "muc_ten": names.level_name(level.value) if level else "",
        "ngay_quyet_dinh": _field(m, "ngay_quyet_dinh"),
        "nhan_xet_chi_uy": _field(m, "nhan_xet") or [],
        "nghi_om": list(m.raw.get("nghi_om") or []),
        "so_ngay_nghi_om": days_in_period([(parse_date(p["tu"]), parse_date(p["den"])) for p in m.raw.get("nghi_om") or []],
                                          period.start, period.end) if period else 0,
        "thai_san": list(m.raw.get("thai_san") or []),
    }


def org_view(o: Org, members: dict[str, dict], unit: Unit) -> dict:
    """An organisation of the unit as templates see it (``so_lieu.to_chuc[]``)."""
    names = unit.ruleset
    level = o.level()
    decided = o.raw.get("quyet_dinh")
    appraisal = o.raw.get("tham_dinh")
    parent = unit.org(o.raw.get("thuoc"))
    hop = o.raw.get("hop") or {}
    own = [members[m.ma] for m in unit.members if m.raw.get("chi_bo") == o.ma]
    return {
        "ma": o.ma,
        "ten": o.name,
        "loai": o.raw.get("loai"),
        "loai_ten": ORG_KINDS.get(o.raw.get("loai"), ""),
        "thuoc": o.raw.get("thuoc"),
        "ten_cap_tren": parent.name if parent else "",
        "ban_hanh": issuer_view(o, unit),
        "nguoi_dung_dau": members.get(o.raw.get("nguoi_dung_dau")),
        "tu_nhan_muc": _field(o, "muc_tu_nhan"),
        "muc": level.value if level else None,
        "muc_ten": names.level_name(level.value) if level else "",
        "quyet_dinh": dict(decided) if decided else None,
        "tham_dinh": dict(appraisal, muc_ten=names.level_name(appraisal.get("muc"))) if appraisal else None,
        "co_goi_y": bool(_field(o, "co_goi_y")),
        "thanh_vien": own,
        "thanh_vien_xep_loai": [m for m in own if m["muc"]],
        "truc_thuoc": [c.ma for c in unit.orgs if c.raw.get("thuoc") == o.ma],
        "so_dang_vien": len(own),
        "ngay_thanh_lap": o.raw.get("ngay_thanh_lap"),
        "hop": {"ngay_gui_du_thao": hop.get("ngay_gui_du_thao"), "ngay": o.meeting_date().isoformat() if o.meeting_date() else None,
                "buoi": list(hop.get("buoi") or [])},
    }


def tally_view(tally: dict, unit: Unit, members: dict[str, dict]) -> dict:
    """A secret-ballot tally of the manifest with each member's votes, shares and adopted level (``so_lieu.bo_phieu[]``)."""
    setting = unit.settings["bo_phieu"]
    levels = unit.ruleset.levels
    denominator = tally["co_mat"] if setting["mau_so"] == "co_mat" else tally["hop_le"]
    org = unit.org(tally["to_chuc"])
    rows = []
    for row in tally["ket_qua"]:
        counts = {lvl: row.get(lvl, 0) for lvl in levels}
        chosen = ballot_adopted(counts, denominator, setting["nguong"], levels)
        member = members.get(row["thanh_vien"], {})
        rows.append({
            "thanh_vien": member, "ho_ten": member.get("ho_ten", row["thanh_vien"]), **counts,
            "ty_le": {lvl: percent(counts[lvl], denominator) for lvl in levels},
            "muc_chon": chosen, "muc_chon_ten": unit.ruleset.level_name(chosen),
        })
    return {
        "to_chuc": tally["to_chuc"], "ten_to_chuc": org.name if org else tally["to_chuc"], "ngay": tally.get("ngay"),
        "co_mat": tally["co_mat"], "phat_ra": tally.get("phat_ra", tally["co_mat"]),
        "thu_vao": tally["hop_le"] + tally["khong_hop_le"], "hop_le": tally["hop_le"], "khong_hop_le": tally["khong_hop_le"],
        "mau_so": denominator, "mau_so_la": setting["mau_so"], "nguong": setting["nguong"], "ket_qua": rows,
    }


def score_view(subject: Subject, settings: dict) -> dict | None:
    """Score sheet rows with maxima from the locality rubric and computed totals."""
    sheet = scoring(subject)
    if sheet is None:
        return None
    data = sheet.value
    # The rubric's own items, not only their maxima: a row prints the rubric's name and its maximum as written.
    rubric = {str(i["ma"]): i for i in settings["diem"]["thang_diem"].get(rubric_kind(subject)) or []}
    bonus: dict[str, float] = {}
    for b in data.get("cong") or []:
        bonus[str(b.get("tieu_chi"))] = bonus.get(str(b.get("tieu_chi")), 0) + b["diem"]
    minus: dict[str, float] = {}
    for d in data.get("tru") or []:
        minus[str(d.get("tieu_chi"))] = minus.get(str(d.get("tieu_chi")), 0) + d["diem"]
    rows = []
    for c in data["tieu_chi"]:
        code = str(c["ma"])
        top = rubric.get(code, {}).get("toi_da", c.get("toi_da"))
        rows.append({
            "ma": code, "ten": c.get("ten") or rubric.get(code, {}).get("ten", ""), "toi_da": top, "diem": c["diem"],
            "cong": bonus.get(code, 0), "tru": minus.get(code, 0), "dat": round(c["diem"] + bonus.get(code, 0) - minus.get(code, 0), 2),
            "ket_qua": c.get("ket_qua"),
        })
    total, maximum = computed_total(settings, subject)
    return {
        "dong": rows, "cong": list(data.get("cong") or []), "tru": list(data.get("tru") or []),
        "tong_toi_da": maximum, "tong_tu_cham": round(sum(r["diem"] for r in rows), 2),
        "tong_cong": round(sum(bonus.values()), 2), "tong_tru": round(sum(minus.values()), 2), "tong": total,
        "muc_de_xuat": data.get("muc_de_xuat"),
    }


def statistics(members: list[dict], orgs: list[dict], suggested: int, ruleset: Ruleset) -> dict:
    """Counts and percentages for the summary report and Biểu 6F (spec §2.12), by the ruleset's levels and reasons."""
    excluded = {"moi_ket_nap", "mien_sinh_hoat", "dinh_chi_sinh_hoat"}
    must = [m for m in members if not (m["chua_kiem_diem"] and m["ly_do"] in excluded)]
    reviewed = [m for m in members if not m["chua_kiem_diem"]]
    graded = [m for m in members if m["muc"]]
    graded_orgs = [o for o in orgs if o["muc"] and o["loai"] != "tap_the_lanh_dao"]

    def levels(items: list[dict]) -> dict:
        return {lvl: {"so": sum(1 for i in items if i["muc"] == lvl), "ty_le": percent(sum(1 for i in items if i["muc"] == lvl), len(items)),
                      "ten": ruleset.level_name(lvl)} for lvl in ruleset.levels}

    not_reviewed = [m for m in members if m["chua_kiem_diem"]]
    return {
        "tong_dang_vien": len(members),
        "phai_kiem_diem": len(must),
        "da_kiem_diem": len(reviewed),
        "ty_le_da_kiem_diem": percent(len(reviewed), len(must)),
        "chua_kiem_diem": {"tong": len(not_reviewed), **{r: sum(1 for m in not_reviewed if m["ly_do"] == r) for r in ruleset.vocabulary("ly_do")}},
        "da_xep_loai": len(graded),
        "xep_loai": levels(graded),
        "to_chuc_xep_loai": len(graded_orgs),
        "to_chuc": levels(graded_orgs),
        "so_to_chuc": len(orgs),
        "goi_y": suggested,
        "theo_chi_bo": [
            {"ma": o["ma"], "ten": o["ten"], "so_dang_vien": o["so_dang_vien"], "da_xep_loai": len(o["thanh_vien_xep_loai"]),
             **{lvl: sum(1 for m in o["thanh_vien_xep_loai"] if m["muc"] == lvl) for lvl in ruleset.levels}}
            for o in orgs if o["so_dang_vien"]
        ],
    }


def unit_facts(unit: Unit) -> dict:
    """Everything ``don_vi`` offers to the templates of a unit's documents (``so_lieu``): computed once per unit
    and passed to every stage that needs it."""
    settings = unit.settings
    tallies_raw = unit.data.get("bo_phieu") or []
    adopted = {m.ma: voted.value for m in unit.members if (voted := m.voted()) is not None}
    members = {m.ma: member_view(m, adopted) for m in unit.members}
    orgs = [org_view(o, members, unit) for o in unit.orgs]
    tallies = [tally_view(t, unit, members) for t in tallies_raw]
    scores = {s.ma: v for s in [*unit.orgs, *unit.members] if (v := score_view(s, settings)) is not None}
    suggested = sum(1 for s in [*unit.orgs, *unit.members] if _field(s, "co_goi_y"))
    member_list = list(members.values())
    by_code = {o["ma"]: o for o in orgs}
    upper = unit.data["don_vi"].get("cap_tren")
    top = by_code.get(unit.data["don_vi"]["to_chuc_co_so"])
    return {
        "ten": unit.data["don_vi"]["ten"],
        "nam": unit.year,
        "bo_quy_tac": unit.ruleset.key,
        "dia_danh": unit.data["don_vi"].get("dia_danh") or settings["the_thuc"].get("dia_danh") or "",
        "cap_tren": {"ten": upper["ten"], "loai": upper.get("loai"), "loai_ten": ORG_KINDS.get(upper.get("loai"), "")} if upper else None,
        "ban_hanh": top["ban_hanh"] if top else None,
        "ban_hanh_theo_tep": {f.path: code for f in unit.forms() if (code := issuer_code(f, unit)) in by_code},
        "to_chuc": orgs,
        "to_chuc_theo_ma": by_code,
        "thanh_vien": member_list,
        "thanh_vien_theo_ma": members,
        "chua_kiem_diem_xep_loai": [m for m in member_list if m["chua_xep_loai"]],
        "thong_ke": statistics(member_list, orgs, suggested, unit.ruleset),
        "bo_phieu": tallies,
        "bo_phieu_theo_to_chuc": {t["to_chuc"]: t for t in tallies},
        "cham_diem_theo_ma": scores,
    }


# -- issuing organisations (thể thức văn bản của Đảng, Hướng dẫn 36-HD/VPTW; spec §4) -------------------------
def same_name(a: Any, b: Any) -> bool:
    """Two names of a body are the same when they differ only in case, spacing, Unicode form or the old
    placement of the tone mark ("Đảng uỷ" = "ĐẢNG ỦY")."""
    return _name_key(a) == _name_key(b)


_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe",
              "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def _name_key(value: Any) -> str:
    text = unicodedata.normalize("NFC", " ".join(str(value or "").split())).casefold()
    for old, new in _OLD_TONES.items():
        text = text.replace(old, new)
    return text


def committee_name(name: str, kind: dict) -> str:
    """The issuing committee of an organisation: its name with the kind's word replaced by the committee word
    ("Đảng bộ xã Hòa Bình" → "Đảng ủy xã Hòa Bình"; a chi bộ keeps its name)."""
    word, committee = kind.get("danh_xung", ""), kind.get("cap_uy", "")
    if word and _name_key(name[: len(word)]) == _name_key(word):
        return committee + name[len(word):]
    return f"{committee} {name}".strip()


def issuer_view(o: Org, unit: Unit) -> dict | None:
    """How an organisation of the unit heads and signs its documents; None for a kind that issues no Party
    document (a leadership collective) unless don_vi.yaml names its issuing body."""
    kind = org_kinds().get(o.raw.get("loai"), {})
    override = o.raw.get("ban_hanh") or {}
    if not kind.get("cap_uy") and not override.get("ten"):
        return None
    name = o.name
    committee = override.get("ten") or committee_name(name, kind)
    parent = unit.org(o.raw.get("thuoc"))
    upper = override.get("cap_tren") or (parent.name if parent else (unit.data["don_vi"].get("cap_tren") or {}).get("ten", ""))

    def fill(pattern: str) -> str:
        return pattern.format(to_chuc=name, cap_uy=committee)

    authorities = [{"tham_quyen_ky": a["ky"], "co_quan_quyet_dinh": fill(a["quyet_dinh"]), "co_quan": fill(a["co_quan"])}
                   for a in kind.get("tham_quyen", [])]
    if not authorities:
        authorities = [{"tham_quyen_ky": "", "co_quan_quyet_dinh": committee, "co_quan": committee}]
    if override.get("tham_quyen_ky"):
        chosen = next((a for a in authorities if same_name(a["tham_quyen_ky"], override["tham_quyen_ky"])), None)
        if chosen is None:
            chosen = {**authorities[0], "tham_quyen_ky": override["tham_quyen_ky"]}
        else:
            authorities.remove(chosen)
        authorities.insert(0, chosen)
    authorities[0] = {**authorities[0], **{k: override[k] for k in ("co_quan_quyet_dinh", "co_quan") if override.get(k)}}
    return {
        "ma": o.ma,
        "cap_tren": upper,
        "ten": committee,
        **authorities[0],
        "chuc_vu_ky": override.get("chuc_vu_ky") or kind.get("chuc_vu_ky", ""),
        "dia_danh": override.get("dia_danh") or unit.data["don_vi"].get("dia_danh") or "",
        "tham_quyen": authorities,
    }


def _issuer_rule(form: ValidForm) -> dict:
    return form.entry.extra.get("ban_hanh") or {}


def issuer_code(form: ValidForm, unit: Unit) -> str | None:
    """The code of the organisation that issues a unit document: the form's own ``co_quan_ban_hanh``, else the
    registry entry's rule (``ban_hanh.theo``), else None (the document writes its own header)."""
    if form.data.get("co_quan_ban_hanh"):
        return form.data["co_quan_ban_hanh"]
    rule = _issuer_rule(form).get("theo")
    if rule == "bao_cao":
        owner = unit.owner(form)
        return owner.ma if isinstance(owner, Org) else None
    if rule == "ban_kiem_diem":
        owner = unit.owner(form)
        return owner.raw.get("chi_bo") if isinstance(owner, Member) else None
    if rule == "don_vi":
        return unit.data["don_vi"]["to_chuc_co_so"]
    code = form.data.get(rule) if rule in ("to_chuc", "thanh_vien", "doi_tuong") else None
    if code and unit.org(code) is None and unit.member(code) is not None:
        return unit.member(code).raw.get("chi_bo")
    return code


def document_issuer(form: ValidForm, facts: dict | None) -> dict | None:
    """The issuing organisation's ``ban_hanh`` view for a form rendered with its unit's facts, or None."""
    if not facts:
        return None
    code = form.data.get("co_quan_ban_hanh") or facts.get("ban_hanh_theo_tep", {}).get(form.path)
    if code is None:
        rule = _issuer_rule(form).get("theo")
        if rule == "don_vi":
            return facts.get("ban_hanh")
        code = form.data.get(rule) if rule in ("to_chuc", "thanh_vien", "doi_tuong") else None
        member = facts["thanh_vien_theo_ma"].get(code) if code else None
        code = member["chi_bo"] if member else code
    org = facts["to_chuc_theo_ma"].get(code) if code else None
    return org["ban_hanh"] if org else None


def _authority(issuer: dict, written: Any) -> dict | None:
    """The issuer's authority matching what a document writes (``chu_ky.quyen_han``), or None."""
    return next((a for a in issuer["tham_quyen"] if same_name(a["tham_quyen_ky"], written)), None) if written else None


def printed_issuer(data: dict, rule: dict, issuer: dict | None) -> dict:
    """What a document prints as its issuer (``hoso.ban_hanh`` of the templates).

    Within a unit, every name comes from the issuing organisation; the document's own ``don_vi``, ``chu_ky`` and
    named fields only fill what the unit does not know. A signing authority the document writes is kept when it
    is one the organisation may sign with (T/M BAN THƯỜNG VỤ for a đảng ủy), with its deciding body.
    Without an issuer (a form rendered alone) everything comes from the document.
    """
    own = data.get("don_vi") or {}
    signer = data.get("chu_ky") or {}
    own_name = data.get(rule["ten_co_quan"]) if rule.get("ten_co_quan") else None
    if issuer is None:
        return {
            "ma": None, "cap_tren": own.get("cap_tren") or "", "ten": own.get("ten") or "",
            "co_quan": own_name or own.get("ten") or "",
            "co_quan_quyet_dinh": data.get("co_quan_quyet_dinh") or own.get("ten") or "",
            "tham_quyen_ky": signer.get("quyen_han") or "", "chuc_vu_ky": signer.get("chuc_vu") or "",
            "dia_danh": data.get("dia_danh") or "",
        }
    authority = _authority(issuer, signer.get("quyen_han")) or issuer["tham_quyen"][0]
    # The document's own upper line fills a gap only when it names the same issuer (not another body's header).
    own_upper = own.get("cap_tren") if same_name(own.get("ten"), issuer["ten"]) else None
    return {
        "ma": issuer["ma"], "cap_tren": issuer["cap_tren"] or own_upper or "", "ten": issuer["ten"],
        "co_quan": authority["co_quan"], "co_quan_quyet_dinh": authority["co_quan_quyet_dinh"],
        "tham_quyen_ky": authority["tham_quyen_ky"], "chuc_vu_ky": signer.get("chuc_vu") or issuer["chuc_vu_ky"],
        "dia_danh": issuer["dia_danh"] or data.get("dia_danh") or "",
    }


class Mismatch(NamedTuple):
    """A document that says something other than its unit: where (file, JSON path) and what to do (Vietnamese)."""

    file: str
    json_path: str
    message_vi: str


def _override_path(unit: Unit, code: str, key: str) -> str:
    org = unit.org(code)
    return f"to_chuc[{org.index}].ban_hanh.{key}" if org is not None else f"ban_hanh.{key}"


def issuer_gaps(unit: Unit, facts: dict) -> list[Mismatch]:
    """What the unit does not say, so that a header prints empty: no body above its top organisation
    (``don_vi.cap_tren``), or a document with neither an issuing organisation nor its own ``don_vi``."""
    found: list[Mismatch] = []
    top = facts["ban_hanh"]
    if top is not None and not top["cap_tren"]:
        found.append(Mismatch(unit.path, "$.don_vi.cap_tren", (
            f"Đơn vị chưa ghi tổ chức đảng cấp trên: dòng trên của phần đầu các văn bản do {top['ten']} ban hành đang để "
            "trống. Ghi don_vi.cap_tren: {ten: …, loai: …} trong don_vi.yaml (ví dụ {ten: \"Đảng bộ huyện Tân Phú\", "
            "loai: dang_bo_cap_tren_co_so})."
        )))
    for form in unit.forms():
        if (form.data.get("don_vi") or {}).get("ten"):
            continue
        code = issuer_code(form, unit)
        org = facts["to_chuc_theo_ma"].get(code) if code else None
        if code and org is None:
            continue  # an unknown code: issuer_mismatches reports it
        if org is None:
            found.append(Mismatch(form.path, "$.don_vi", (
                "Văn bản không có cơ quan ban hành: ghi co_quan_ban_hanh (mã tổ chức trong don_vi.yaml) "
                "hoặc don_vi: {cap_tren: …, ten: …}."
            )))
        elif org["ban_hanh"] is None:
            found.append(Mismatch(form.path, "$.don_vi", (
                f"{org['ten']} ({org['loai_ten'].lower()}) không ban hành văn bản của Đảng: ghi don_vi: {{cap_tren: …, ten: …}} "
                f"trong văn bản, hoặc {_override_path(unit, org['ma'], 'ten')} trong don_vi.yaml."
            )))
    return found


def issuer_mismatches(unit: Unit, facts: dict) -> list[Mismatch]:
    """Every place where a unit document's own header, signing authority, deciding body or issuer name differs
    from its issuing organisation (the message says what hoso prints instead), and every issuer code the unit
    does not have."""
    found: list[Mismatch] = []
    for form in unit.forms():
        code = issuer_code(form, unit)
        org = facts["to_chuc_theo_ma"].get(code) if code else None
        if code and org is None:
            where = "$.co_quan_ban_hanh" if form.data.get("co_quan_ban_hanh") else f"$.{_issuer_rule(form).get('theo', 'co_quan_ban_hanh')}"
            found.append(Mismatch(form.path, where, (
                f"Không có tổ chức mã '{code}' trong danh sách to_chuc của don_vi.yaml: hoso không biết cơ quan ban hành "
                "văn bản này. Ghi mã một tổ chức của đơn vị."
            )))
            continue
        issuer = org["ban_hanh"] if org else None
        own = form.data.get("don_vi") or {}
        if issuer is None:
            continue
        who = f"tổ chức ban hành ({issuer['ma']})"
        for key, label, printed in (("cap_tren", "Dòng trên của phần đầu", issuer["cap_tren"]), ("ten", "Cơ quan ban hành", issuer["ten"])):
            if own.get(key) and printed and not same_name(own[key], printed):
                found.append(Mismatch(form.path, f"$.don_vi.{key}", (
                    f"{label} ghi '{own[key]}' nhưng {who} là '{printed.upper()}': hoso in '{printed.upper()}'. Bỏ "
                    f"don_vi.{key} khỏi văn bản, hoặc nếu tên trong văn bản đúng thì ghi {_override_path(unit, issuer['ma'], key)} "
                    "trong don_vi.yaml."
                )))
        printed = printed_issuer(form.data, _issuer_rule(form), issuer)
        written = (form.data.get("chu_ky") or {}).get("quyen_han")
        if written and _authority(issuer, written) is None:
            accepted = ", ".join(f"'{a['tham_quyen_ky']}'" for a in issuer["tham_quyen"])
            found.append(Mismatch(form.path, "$.chu_ky.quyen_han", (
                f"Thẩm quyền ký '{written}' không phải của {issuer['ten']} ({accepted}): hoso in '{printed['tham_quyen_ky']}'. "
                f"Sửa chu_ky.quyen_han, hoặc ghi {_override_path(unit, issuer['ma'], 'tham_quyen_ky')} trong don_vi.yaml."
            )))
        checks = [("co_quan_quyet_dinh", "Cơ quan quyết định")]
        if _issuer_rule(form).get("ten_co_quan"):
            checks.append((_issuer_rule(form)["ten_co_quan"], "Tên cơ quan ban hành trong lời văn"))
        for key, label in checks:
            target = "co_quan_quyet_dinh" if key == "co_quan_quyet_dinh" else "co_quan"
            if form.data.get(key) and not same_name(form.data[key], printed[target]):
                found.append(Mismatch(form.path, f"$.{key}", (
                    f"{label} ghi '{form.data[key]}' nhưng {who} là '{printed[target]}': hoso in '{printed[target]}'. "
                    f"Bỏ {key} khỏi văn bản, hoặc ghi {_override_path(unit, issuer['ma'], target)} trong don_vi.yaml."
                )))
    return found


def place_mismatches(unit: Unit, facts: dict) -> list[Mismatch]:
    """Unit documents whose own ``dia_danh`` differs from their issuing organisation's place (don_vi.dia_danh,
    or to_chuc[].ban_hanh.dia_danh), which is what hoso prints on the date line."""
    found: list[Mismatch] = []
    for form in unit.forms():
        issuer = document_issuer(form, facts)
        written = form.data.get("dia_danh")
        if issuer and issuer["dia_danh"] and written and not same_name(written, issuer["dia_danh"]):
            found.append(Mismatch(form.path, "$.dia_danh", (
                f"Địa danh ghi '{written}' nhưng địa danh của {issuer['ten']} là '{issuer['dia_danh']}' (don_vi.dia_danh): "
                f"hoso in '{issuer['dia_danh']}'. Bỏ dia_danh khỏi văn bản, hoặc ghi {_override_path(unit, issuer['ma'], 'dia_danh')} "
                "trong don_vi.yaml."
            )))
    return found
