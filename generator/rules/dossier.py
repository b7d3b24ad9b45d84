"""Rules on record packages: DOSSIER-COMPLETE of domain/rules.md (run by ``hoso dossier``)."""

from __future__ import annotations

from ..checklist import KIND_VI, MISSING, evaluate, packages
from ..unit import Located
from . import Context, rule


@rule("DOSSIER-COMPLETE", "unit", stage="dossier")
def dossier_complete(ctx: Context) -> None:
    """Hồ sơ có đủ mọi thành phần bắt buộc; thành phần "nếu có" được ghi là không có, không phải thiếu.

    Nguồn: hướng dẫn của Ban Thường vụ Huyện ủy, Phần B, mục 7; Quy định 366-QĐ/TW, Điều 17; Hướng dẫn 43-HD/BTCTW, Mẫu 04.
    """
    for package in packages(ctx.unit):
        s = package.subject
        missing = [i.name for i in evaluate(ctx.unit, s, ctx.data, package.kind) if i.status == MISSING]
        if missing:
            who = getattr(s, "name", s.ma)
            ctx.report(Located(None, ctx.unit.path, package.path), f"Hồ sơ {KIND_VI[package.kind]} {who} còn thiếu: {'; '.join(missing)}. Thêm văn bản vào van_ban/ hoặc tệp đính kèm (dinh_kem) với mã mục tương ứng.", subject=s)
