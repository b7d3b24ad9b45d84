"""Rules on record packages: DOSSIER-COMPLETE of domain/rules.md (run by ``hoso dossier``)."""

from __future__ import annotations

from ..checklist import MISSING, evaluate, packages
from ..unit import Located
from .engine import Context, rule


@rule("DOSSIER-COMPLETE", "unit", stage="dossier")
def dossier_complete(ctx: Context) -> None:
    """Hồ sơ có đủ mọi thành phần bắt buộc; thành phần "nếu có" được ghi là không có, không phải thiếu.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 7; Quy định 366-QĐ/TW, Điều 17; Hướng dẫn 43-HD/BTCTW, Mẫu 04.
    """
    specs = {kind: {spec["ma"]: spec for spec in items} for kind, items in ctx.ruleset.checklists.items()}
    kinds = ctx.ruleset.vocabulary("loai_ho_so")
    for package in packages(ctx.unit):
        s = package.subject
        missing = [i for i in evaluate(ctx.unit, s, package.kind) if i.status == MISSING]
        if missing:
            who = getattr(s, "name", s.ma)
            ways = "; ".join(_how_to_add(i, specs[package.kind][i.code]) for i in missing)
            ctx.report(Located(None, ctx.unit.path, package.path), f"Hồ sơ {kinds[package.kind]} {who} còn thiếu: {ways}.", subject=s)


def _how_to_add(item, spec: dict) -> str:
    """"<name> (đính kèm với muc: <code> trong dinh_kem, hoặc thêm văn bản <kinds> vào van_ban/)"."""
    source = spec.get("nguon", {})
    ways = []
    if source.get("dinh_kem"):
        ways.append(f"đính kèm tệp với `muc: {source['dinh_kem']}` trong dinh_kem của đối tượng")
    if source.get("bieu_mau"):
        ways.append(f"thêm văn bản loại {', '.join(source['bieu_mau'])} vào van_ban/")
    if source.get("ban_kiem_diem") or source.get("bao_cao"):
        ways.append("ghi tệp bản kiểm điểm, báo cáo trong don_vi.yaml")
    return f"{item.name} ({' hoặc '.join(ways)})" if ways else item.name
