"""Computed facts of a unit for documents: lists, levels, counts, percentages, tallies, score totals.

Templates of unit documents read these under ``so_lieu`` (số liệu của đơn vị); nothing here is typed by a clerk,
so nothing is typed twice. The keys (Vietnamese, no diacritics) are a contract with the
templates; ``FACT_KEYS`` lists them for ``hoso lint``.

so_lieu:
  ten, nam, bo_quy_tac, dia_danh
  to_chuc[], to_chuc_theo_ma{ma: org}             org: ma, ten, loai, loai_ten, thuoc, ten_cap_tren,
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
"""

from __future__ import annotations

from typing import Any

from .render import LEVEL_NAMES
import datetime as dt

from .rules.arithmetic import LEVELS, ballot_adopted, days_in_period
from .unit import Member, Org, Unit, parse_date

FACT_KEYS = (
    "ten", "nam", "bo_quy_tac", "dia_danh", "to_chuc", "to_chuc_theo_ma", "thanh_vien", "thanh_vien_theo_ma",
    "chua_kiem_diem_xep_loai", "thong_ke", "bo_phieu", "bo_phieu_theo_to_chuc", "cham_diem_theo_ma",
)
ORG_KINDS = {
    "dang_bo_co_so": "Đảng bộ cơ sở",
    "chi_bo_co_so": "Chi bộ cơ sở",
    "chi_bo_truc_thuoc": "Chi bộ trực thuộc",
    "dang_bo_bo_phan": "Đảng bộ bộ phận",
    "tap_the_lanh_dao": "Tập thể lãnh đạo, quản lý",
}
STATUS_NAMES = {
    "xep_loai": "Đã kiểm điểm, xếp loại",
    "kiem_diem_khong_xep_loai": "Đã kiểm điểm, chưa xếp loại",
    "chua_kiem_diem": "Chưa kiểm điểm, chưa xếp loại",
}
REASON_NAMES = {
    "moi_ket_nap": "Đảng viên mới kết nạp chưa đủ 6 tháng",
    "mien_sinh_hoat": "Được miễn công tác và sinh hoạt đảng",
    "dinh_chi_sinh_hoat": "Bị đình chỉ sinh hoạt đảng",
    "to_chuc_moi": "Tổ chức mới thành lập chưa đủ 6 tháng",
    "vang_mat": "Vắng mặt, sẽ kiểm điểm, xếp loại trong thời gian sớm nhất",
    "khac": "Lý do khác",
}


def percent(part: int, whole: int) -> str:
    """Vietnamese percentage with one decimal and a decimal comma: "87,5%"."""
    if not whole:
        return "0%"
    value = round(100 * part / whole, 1)
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def _form(subject, dotted: str) -> Any:
    loc = subject.form_at(dotted)
    return loc.value if loc is not None else None


def member_view(m: Member, tallies: dict[str, str]) -> dict:
    person = (m.form.data.get("ca_nhan") if m.form else None) or {}
    posts = [person.get(k) for k in ("chuc_vu_dang", "chuc_vu_chinh_quyen", "chuc_vu_doan_the") if person.get(k)]
    level = m.level()
    civil = m.civil_servant_level()
    org = m.unit.org(m.raw.get("chi_bo")) if m.unit else None
    status = m.status
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
        "vai_tro": m.form.data.get("vai_tro") if m.form else None,
        "la_cbccvc": bool(m.form and m.form.data.get("la_cbccvc")),
        "ngay_vao_dang": m.raw.get("ngay_vao_dang"),
        "tinh_trang": status,
        "tinh_trang_ten": STATUS_NAMES[status],
        "ly_do": m.raw.get("ly_do"),
        "ly_do_ten": REASON_NAMES.get(m.raw.get("ly_do"), ""),
        "ghi_chu": m.raw.get("ghi_chu"),
        "chua_kiem_diem": status == "chua_kiem_diem",
        "chua_xep_loai": status != "xep_loai",
        "muc_tu_nhan": _form(m, "tu_nhan_muc.dang_vien"),
        "muc_cbccvc": civil.value if civil else None,
        "muc_doan_the": m.raw.get("muc_doan_the"),
        "muc_chi_uy": _form(m, "danh_gia_chi_uy.muc"),
        "muc_bo_phieu": tallies.get(m.ma),
        "muc": level.value if level else None,
        "muc_ten": LEVEL_NAMES.get(level.value, "") if level else "",
        "ngay_quyet_dinh": _form(m, "quyet_dinh_dang_uy.ngay"),
        "nhan_xet_chi_uy": _form(m, "danh_gia_chi_uy.nhan_xet") or [],
        "nghi_om": list(m.raw.get("nghi_om") or []),
        "so_ngay_nghi_om": days_in_period([(parse_date(p["tu"]), parse_date(p["den"])) for p in m.raw.get("nghi_om") or []],
                                          dt.date(m.unit.year, 1, 1), dt.date(m.unit.year, 12, 31)) if m.unit else 0,
        "thai_san": list(m.raw.get("thai_san") or []),
    }


def org_view(o: Org, members: dict[str, dict], unit: Unit) -> dict:
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
        "nguoi_dung_dau": members.get(o.raw.get("nguoi_dung_dau")),
        "tu_nhan_muc": _form(o, "tu_danh_gia.tu_nhan_muc"),
        "muc": level.value if level else None,
        "muc_ten": LEVEL_NAMES.get(level.value, "") if level else "",
        "quyet_dinh": dict(decided) if decided else None,
        "tham_dinh": dict(appraisal, muc_ten=LEVEL_NAMES.get(appraisal.get("muc"), "")) if appraisal else None,
        "co_goi_y": bool(_form(o, "co_goi_y")),
        "thanh_vien": own,
        "thanh_vien_xep_loai": [m for m in own if m["muc"]],
        "truc_thuoc": [c.ma for c in unit.orgs if c.raw.get("thuoc") == o.ma],
        "so_dang_vien": len(own),
        "ngay_thanh_lap": o.raw.get("ngay_thanh_lap"),
        "hop": {"ngay_gui_du_thao": hop.get("ngay_gui_du_thao"), "ngay": o.meeting_date().isoformat() if o.meeting_date() else None,
                "buoi": list(hop.get("buoi") or [])},
    }


def tally_view(tally: dict, unit: Unit, members: dict[str, dict], locality: dict) -> dict:
    setting = locality.get("bo_phieu", {})
    denominator = tally["co_mat"] if setting.get("mau_so") == "co_mat" else tally["hop_le"]
    org = unit.org(tally["to_chuc"])
    rows = []
    for row in tally["ket_qua"]:
        counts = {lvl: row.get(lvl, 0) for lvl in LEVELS}
        chosen = ballot_adopted(counts, denominator, setting.get("nguong", 0.5))
        member = members.get(row["thanh_vien"], {})
        rows.append({
            "thanh_vien": member, "ho_ten": member.get("ho_ten", row["thanh_vien"]), **counts,
            "ty_le": {lvl: percent(counts[lvl], denominator) for lvl in LEVELS},
            "muc_chon": chosen, "muc_chon_ten": LEVEL_NAMES.get(chosen, ""),
        })
    return {
        "to_chuc": tally["to_chuc"], "ten_to_chuc": org.name if org else tally["to_chuc"], "ngay": tally.get("ngay"),
        "co_mat": tally["co_mat"], "phat_ra": tally.get("phat_ra", tally["co_mat"]),
        "thu_vao": tally["hop_le"] + tally["khong_hop_le"], "hop_le": tally["hop_le"], "khong_hop_le": tally["khong_hop_le"],
        "mau_so": denominator, "mau_so_la": setting.get("mau_so", "hop_le"), "nguong": setting.get("nguong", 0.5), "ket_qua": rows,
    }


def score_view(subject, locality: dict) -> dict | None:
    """Score sheet rows with maxima from the locality rubric and computed totals."""
    from .rules.points import scoring

    sheet = scoring(subject)
    if sheet is None:
        return None
    data = sheet.value
    kind = subject.raw.get("loai") if subject.kind == "to_chuc" else "dang_vien"
    rubric = {str(i["ma"]): i for i in locality.get("diem", {}).get("thang_diem", {}).get(kind) or []}
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
    from .rules.points import computed_total

    total, maximum = computed_total(locality, subject)
    return {
        "dong": rows, "cong": list(data.get("cong") or []), "tru": list(data.get("tru") or []),
        "tong_toi_da": maximum, "tong_tu_cham": round(sum(r["diem"] for r in rows), 2),
        "tong_cong": round(sum(bonus.values()), 2), "tong_tru": round(sum(minus.values()), 2), "tong": total,
        "muc_de_xuat": data.get("muc_de_xuat"),
    }


def statistics(members: list[dict], orgs: list[dict], suggested: int) -> dict:
    """Counts and percentages for the summary report and Biểu 6F (spec §2.12)."""
    excluded = {"moi_ket_nap", "mien_sinh_hoat", "dinh_chi_sinh_hoat"}
    must = [m for m in members if not (m["chua_kiem_diem"] and m["ly_do"] in excluded)]
    reviewed = [m for m in members if not m["chua_kiem_diem"]]
    graded = [m for m in members if m["muc"]]
    graded_orgs = [o for o in orgs if o["muc"] and o["loai"] != "tap_the_lanh_dao"]

    def levels(items: list[dict]) -> dict:
        return {lvl: {"so": sum(1 for i in items if i["muc"] == lvl), "ty_le": percent(sum(1 for i in items if i["muc"] == lvl), len(items)), "ten": LEVEL_NAMES[lvl]} for lvl in LEVELS}

    not_reviewed = [m for m in members if m["chua_kiem_diem"]]
    return {
        "tong_dang_vien": len(members),
        "phai_kiem_diem": len(must),
        "da_kiem_diem": len(reviewed),
        "ty_le_da_kiem_diem": percent(len(reviewed), len(must)),
        "chua_kiem_diem": {"tong": len(not_reviewed), **{r: sum(1 for m in not_reviewed if m["ly_do"] == r) for r in REASON_NAMES}},
        "da_xep_loai": len(graded),
        "xep_loai": levels(graded),
        "to_chuc_xep_loai": len(graded_orgs),
        "to_chuc": levels(graded_orgs),
        "so_to_chuc": len(orgs),
        "goi_y": suggested,
        "theo_chi_bo": [
            {"ma": o["ma"], "ten": o["ten"], "so_dang_vien": o["so_dang_vien"], "da_xep_loai": len(o["thanh_vien_xep_loai"]),
             **{lvl: sum(1 for m in o["thanh_vien_xep_loai"] if m["muc"] == lvl) for lvl in LEVELS}}
            for o in orgs if o["so_dang_vien"]
        ],
    }


def unit_facts(unit: Unit) -> dict:
    """Everything ``don_vi`` offers to the templates of a unit's documents."""
    locality = unit.locality
    tallies_raw = unit.data.get("bo_phieu") or []
    adopted: dict[str, str] = {}
    setting = locality.get("bo_phieu", {})
    for t in tallies_raw:
        denominator = t["co_mat"] if setting.get("mau_so") == "co_mat" else t["hop_le"]
        for row in t["ket_qua"]:
            chosen = ballot_adopted({lvl: row.get(lvl, 0) for lvl in LEVELS}, denominator, setting.get("nguong", 0.5))
            if chosen:
                adopted[row["thanh_vien"]] = chosen
    members = {m.ma: member_view(m, adopted) for m in unit.members}
    orgs = [org_view(o, members, unit) for o in unit.orgs]
    tallies = [tally_view(t, unit, members, locality) for t in tallies_raw]
    scores = {s.ma: v for s in [*unit.orgs, *unit.members] if (v := score_view(s, locality)) is not None}
    suggested = sum(1 for s in [*unit.orgs, *unit.members] if _form(s, "co_goi_y"))
    member_list = list(members.values())
    return {
        "ten": unit.data["don_vi"]["ten"],
        "nam": unit.year,
        "bo_quy_tac": unit.ruleset,
        "dia_danh": locality["the_thuc"].get("dia_danh", ""),
        "to_chuc": orgs,
        "to_chuc_theo_ma": {o["ma"]: o for o in orgs},
        "thanh_vien": member_list,
        "thanh_vien_theo_ma": members,
        "chua_kiem_diem_xep_loai": [m for m in member_list if m["chua_xep_loai"]],
        "thong_ke": statistics(member_list, orgs, suggested),
        "bo_phieu": tallies,
        "bo_phieu_theo_to_chuc": {t["to_chuc"]: t for t in tallies},
        "cham_diem_theo_ma": scores,
    }
