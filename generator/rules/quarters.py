"""Rules on the quarters and the year they build (qd366: Điều 15, khoản 1): the roll-up of the ruleset and the locality's switches.

Quy định 366-QĐ/TW gives no formula from quarters to the year (qd366-rules.md Q1): by default the year is scored on its
own and only a strong inconsistency is a warning. What localities add is settings (``tong_hop_quy``): the year's score is
the mean of the quarters' scores, one quarter at the bottom level bars the top level for the year, two bottom quarters in
a row go to the competent body, and a quarter missing from the year's record is a finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..grading import vn
from ..period import Period
from ..unit import Located, Member, Subject, field_of, parse_date
from .engine import Context, rule
from .measures import score

MEAN = "trung_binh"
"""``tong_hop_quy.cach_tinh``: the year's score is the mean of the quarters' scores."""


@dataclass(frozen=True)
class QuarterResult:
    """One quarter's result of a subject: its level and score, and where the level is written."""

    quarter: int
    level: str | None
    score: float | None
    where: Located


def recorded_quarters(s: Subject) -> tuple[list[QuarterResult], Located]:
    """The quarterly results written in the subject's year record, and where the list is: the manifest's rows
    (``ket_qua_quy``), then the rows of its form (field ``ket_qua_quy``, Mẫu 05 of the year) for quarters the manifest
    does not give."""
    found = [QuarterResult(item["quy"], item.get("muc"), item.get("diem"), s.at("ket_qua_quy", i, "muc"))
             for i, item in enumerate(s.raw.get("ket_qua_quy") or [])]
    where = s.at("ket_qua_quy")
    listed = field_of(s.form, "ket_qua_quy")
    if listed is not None and isinstance(listed.value, list) and listed.value:
        if not found:
            where = listed
        have = {r.quarter for r in found}
        found += [QuarterResult(item["quy"], item.get("muc"), item.get("diem"), Located(item.get("muc"), listed.file, f"{listed.path}[{i}].muc"))
                  for i, item in enumerate(listed.value) if isinstance(item, dict) and item.get("quy") not in have]
    return found, where


def quarter_results(ctx: Context, s: Subject) -> list[QuarterResult]:
    """The subject's quarterly results in quarter order: those of its year record (``recorded_quarters``) and, in the unit
    of a quarter, its own level and score of that quarter (which win over a recorded row of the same quarter)."""
    found = {r.quarter: r for r in recorded_quarters(s)[0]}
    quarter = ctx.unit.period.quarter
    if quarter is not None:
        level = s.level()
        if level is not None and level.value:
            found[quarter] = QuarterResult(quarter, level.value, score(ctx, s), level)
    return [found[q] for q in sorted(found)]


def rounded(value: float, digits: int) -> Decimal:
    """A score rounded half up to ``digits`` decimals, as a person rounds it (86,25 → 86,3)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def bottom_runs(results: list[QuarterResult], bottom: str) -> list[list[QuarterResult]]:
    """Every run of two or more quarters in a row (quarter numbers following each other) at the bottom level."""
    runs: list[list[QuarterResult]] = []
    current: list[QuarterResult] = []
    for r in results:
        if r.level == bottom and current and r.quarter == current[-1].quarter + 1:
            current.append(r)
            continue
        if len(current) >= 2:
            runs.append(current)
        current = [r] if r.level == bottom else []
    if len(current) >= 2:
        runs.append(current)
    return runs


def expected_quarters(period: Period, since: dt.date | None, first: Period | None) -> list[Period]:
    """The quarters of a year whose results its record should show: not before the first quarter the locality evaluates
    (``first``), nor ending before the subject existed (``since``: admission to the party, founding of the organisation)."""
    return [q for q in period.quarters() if (first is None or q >= first) and (since is None or q.end >= since)]


def _since(s: Subject) -> dt.date | None:
    return parse_date(s.raw.get("ngay_vao_dang" if isinstance(s, Member) else "ngay_thanh_lap"))


def _quarters(results: list[QuarterResult]) -> str:
    return ", ".join(f"quý {r.quarter}" for r in results)


@rule("Q366-QUARTER-ROLLUP", "unit")
def quarter_rollup(ctx: Context) -> None:
    """Mức năm lệch rõ với kết quả hằng quý (cao hơn mọi quý, hoặc hơn trung vị từ hai mức): cảnh báo.

    Mức năm lệch rõ với kết quả đánh giá hằng quý (cao hơn mọi quý, hoặc cao hơn trung vị các quý từ hai mức): kết quả quý là căn
    cứ đánh giá năm, không có công thức (qd366-rules.md Q1), nên chỉ cảnh báo. Kết quả quý ghi ở ket_qua_quy của don_vi.yaml, hoặc
    của bản tự đánh giá năm (Mẫu 05) cho quý don_vi.yaml không ghi.

    Nguồn: Quy định 366-QĐ/TW, Điều 15, khoản 1.
    """
    if ctx.unit.period.quarter is not None:
        return
    rs = ctx.ruleset
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        recorded = recorded_quarters(s)[0]
        quarters = [r.level for r in recorded]
        level = s.level()
        if not quarters or level is None or rs.rank(level.value) < 0:
            continue
        ranks = sorted(rs.rank(q) for q in quarters)
        median = (ranks[(len(ranks) - 1) // 2] + ranks[len(ranks) // 2]) / 2
        shown = ", ".join(f"quý {r.quarter}: {r.level}" for r in recorded)
        if rs.rank(level.value) > ranks[-1]:
            ctx.report(level, f"{s.name}: mức năm {level.value} cao hơn kết quả của mọi quý ({shown}): xem lại căn cứ đánh giá năm.", subject=s)
        elif rs.rank(level.value) - median >= 2:
            ctx.report(level, f"{s.name}: mức năm {level.value} cao hơn từ hai mức so với kết quả các quý ({shown}): xem lại căn cứ đánh giá năm.", subject=s)


@rule("Q366-QUARTER-MISSING", "unit")
def quarter_missing(ctx: Context) -> None:
    """Kết quả năm đã ghi kết quả quý thì ghi đủ các quý được đánh giá (thiết lập tong_hop_quy.danh_gia_quy).

    Khi địa phương đánh giá hằng quý (tong_hop_quy.danh_gia_quy), kết quả năm của một đối tượng đã ghi kết quả quý (ket_qua_quy)
    phải có đủ các quý được đánh giá: từ quý đầu tiên của kế hoạch (tong_hop_quy.tu_ky), không tính quý kết thúc trước ngày vào
    Đảng của đảng viên hoặc ngày thành lập của tổ chức. Một quý thiếu là một phát hiện, không phải khoảng trống im lặng.

    Nguồn: Quy định 366-QĐ/TW, Điều 15, khoản 1; kế hoạch đánh giá hằng quý của địa phương.
    """
    setting, period = ctx.settings["tong_hop_quy"], ctx.unit.period
    if not setting["danh_gia_quy"] or period.quarter is not None:
        return
    first = Period.parse(setting["tu_ky"]) if setting["tu_ky"] else None
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        recorded, where = recorded_quarters(s)
        if not recorded:
            continue
        have = sorted({r.quarter for r in recorded})
        missing = [q for q in expected_quarters(period, _since(s), first) if q.quarter not in have]
        if missing:
            ctx.report(where,
                       f"{s.name}: kết quả {period.label_vi} thiếu kết quả đánh giá {', '.join(q.label_vi for q in missing)} "
                       f"(ket_qua_quy chỉ ghi {', '.join(f'quý {q}' for q in have)}): ghi mức và điểm của quý đó, hoặc ghi quyết định "
                       "của cấp có thẩm quyền vào ghi_de nếu quý đó không đánh giá.", subject=s)


@rule("Q366-QUARTER-MEAN", "unit")
def quarter_mean(ctx: Context) -> None:
    """Điểm năm bằng trung bình điểm các quý khi địa phương tính điểm năm như vậy (tong_hop_quy.cach_tinh: trung_binh).

    Khi thiết lập tong_hop_quy.cach_tinh là trung_binh, điểm năm của đối tượng (điểm chi bộ thẩm định nếu có, nếu không điểm tự
    chấm) phải bằng trung bình điểm các quý đã ghi điểm trong kết quả quý (ket_qua_quy), làm tròn đến tong_hop_quy.chu_so_thap_phan
    chữ số thập phân.

    Nguồn: thiết lập địa phương (điểm năm là trung bình điểm các quý); Quy định 366-QĐ/TW, Điều 15, khoản 1.
    """
    setting = ctx.settings["tong_hop_quy"]
    if setting["cach_tinh"] != MEAN or ctx.unit.period.quarter is not None:
        return
    digits = setting["chu_so_thap_phan"]
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        scored = [r for r in quarter_results(ctx, s) if r.score is not None]
        recorded = score(ctx, s)
        if not scored or recorded is None:
            continue
        mean = rounded(sum(r.score for r in scored) / len(scored), digits)
        if rounded(recorded, digits) == mean:
            continue
        where = field_of(s.form, "tong_diem") or s.level() or s.at("ket_qua_quy")
        shown = ", ".join(f"quý {r.quarter}: {vn(r.score)}" for r in scored)
        ctx.report(where, f"{s.name}: điểm năm {vn(recorded)} khác trung bình điểm các quý {vn(float(mean))} ({shown}); theo thiết lập "
                          "của địa phương, điểm năm là trung bình điểm các quý.", subject=s)


@rule("Q366-QUARTER-KHT-NO-HTXS", "unit")
def bottom_quarter_bars_the_top(ctx: Context) -> None:
    """Có một quý ở mức thấp nhất thì mức năm không là mức cao nhất (tong_hop_quy.mot_quy_khtnv_khong_htxs).

    Khi bật thiết lập tong_hop_quy.mot_quy_khtnv_khong_htxs (quy định của một số địa phương): đối tượng có một quý xếp mức Không
    hoàn thành nhiệm vụ thì không xếp mức Hoàn thành xuất sắc nhiệm vụ cho cả năm.

    Nguồn: thiết lập địa phương (quy định đánh giá hằng quý của tỉnh, căn cứ Nghị định 335/2025/NĐ-CP); Quy định 366-QĐ/TW, Điều 15, khoản 1.
    """
    if not ctx.settings["tong_hop_quy"]["mot_quy_khtnv_khong_htxs"] or ctx.unit.period.quarter is not None:
        return
    rs = ctx.ruleset
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        level = s.level()
        bottom = [r for r in quarter_results(ctx, s) if r.level == rs.bottom]
        if level is None or level.value != rs.top or not bottom:
            continue
        ctx.report(level, f"{s.name}: {_quarters(bottom)} xếp mức {rs.bottom} nên mức năm không được là {rs.named(rs.top)} (thiết lập "
                          f"của địa phương: có một quý không hoàn thành nhiệm vụ); mức năm cao nhất là {rs.named(rs.levels[1])}.", subject=s)


@rule("Q366-QUARTER-KHT-RUN", "unit")
def bottom_quarters_in_a_row(ctx: Context) -> None:
    """Hai quý liên tiếp ở mức thấp nhất: báo cấp có thẩm quyền xem xét (tong_hop_quy.hai_quy_khtnv_lien_tiep).

    Khi bật thiết lập tong_hop_quy.hai_quy_khtnv_lien_tiep (quy định của một số địa phương): đối tượng xếp mức Không hoàn thành
    nhiệm vụ hai quý liên tiếp trong năm thì báo cấp có thẩm quyền xem xét. Trong đơn vị của một quý, chỉ báo chuỗi kết thúc ở quý
    đó (mức của quý cùng các quý trước ghi ở ket_qua_quy).

    Nguồn: thiết lập địa phương (quy định đánh giá hằng quý của tỉnh, căn cứ Nghị định 335/2025/NĐ-CP); Quy định 366-QĐ/TW, Điều 15, khoản 1.
    """
    if not ctx.settings["tong_hop_quy"]["hai_quy_khtnv_lien_tiep"]:
        return
    rs, period = ctx.ruleset, ctx.unit.period
    for s in [*ctx.unit.orgs, *ctx.unit.members]:
        for run in bottom_runs(quarter_results(ctx, s), rs.bottom):
            if period.quarter is not None and run[-1].quarter != period.quarter:
                continue
            ctx.report(run[-1].where, f"{s.name}: xếp mức {rs.bottom} {len(run)} quý liên tiếp ({_quarters(run)} năm {period.year}): báo "
                                      "cấp có thẩm quyền xem xét (thiết lập của địa phương: hai quý liên tiếp không hoàn thành nhiệm vụ).", subject=s)
