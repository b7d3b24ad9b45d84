"""Level conditions as data: named measures of a subject and the one evaluator of the ruleset's condition rows.

A row reads ``{do: <measure>, <comparison>: <value>}``; comparisons are ``toi_thieu`` (≥), ``toi_da`` (≤),
``tren`` (>), ``duoi`` (<) and ``bang`` (=). A level code is compared on the ruleset's level order, other
text on its criterion scale (``cap_do``), anything else as it is. A measure is a small function
``(ctx, subject) -> value`` registered with ``@measure(name)``; None means the data does not say.

Level conditions (``dieu_kien_muc``) pick the highest level whose rows all hold; an unknown value
does not stop a level. Failure cases (``truong_hop_khong_dat``) hold when every ``khi`` row holds;
an unknown value never makes a case. A row or a case may name the rule that reports it (``quy_tac``);
a row with its own severity (``muc_do``) only warns and never lowers the level the data supports; a
case may list the mitigations (``giam_nhe``) that turn it into a question for the competent level.
"""

from __future__ import annotations

import operator
import string
from typing import Any, Callable, Mapping, Sequence

from ..errors import ConfigError
from ..findings import SEVERITIES
from ..grading import vn
from ..ruleset import Ruleset
from ..scoring import computed_total, scoring
from ..unit import Member, Subject, field_of, parse_date, value_of
from .ledger import led_tally, led_units, own_tasks, tally, targets_met

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "toi_thieu": operator.ge,
    "toi_da": operator.le,
    "tren": operator.gt,
    "duoi": operator.lt,
    "bang": operator.eq,
}

MEASURES: dict[str, Callable[[Any, Subject], Any]] = {}
"""Measure name → function; the function's docstring (Vietnamese) says what it measures (``hoso rules``)."""


def measure(name: str):
    """Register a measure under the name data rows use in ``do``."""

    def register(func: Callable[[Any, Subject], Any]) -> Callable[[Any, Subject], Any]:
        if name in MEASURES:
            raise ValueError(f"duplicate measure {name}")
        MEASURES[name] = func
        return func

    return register


# -- the evaluator ----------------------------------------------------------------------------------------
class Values(dict):
    """The measures of one subject, each taken once when first asked for (also a ``str.format_map`` mapping).

    Raises ConfigError for a measure that does not exist.
    """

    def __init__(self, ctx: Any, subject: Subject):
        super().__init__()
        self.ctx, self.subject = ctx, subject

    def __missing__(self, name: str) -> Any:
        if name not in MEASURES:
            raise ConfigError(f"Bộ quy tắc {self.ctx.ruleset.key}: không có phép đo '{name}' (xem `hoso rules`).")
        value = self[name] = MEASURES[name](self.ctx, self.subject)
        return value


def comparison(row: Mapping) -> tuple[str, Any]:
    """The one comparison of a row: (key, value). Raises ConfigError when there is none or more than one."""
    found = [(key, row[key]) for key in COMPARISONS if key in row]
    if len(found) != 1:
        raise ConfigError(f"Dòng điều kiện {dict(row)} phải có đúng một phép so sánh ({', '.join(COMPARISONS)}).")
    return found[0]


def holds(ruleset: Ruleset, row: Mapping, value: Any) -> bool | None:
    """Whether a measured value meets a row; None when the value is unknown (None, or a word off the scale)."""
    key, wanted = comparison(row)
    if value is None:
        return None
    if isinstance(wanted, str):
        rank = ruleset.rank if wanted in ruleset.levels else ruleset.scale_rank
        if rank(value) < 0:
            return None
        value, wanted = rank(value), rank(wanted)
    return COMPARISONS[key](value, wanted)


def constrains(row: Mapping) -> bool:
    """Whether a condition row can lower a level: a row with its own severity (``muc_do``) only warns."""
    return row.get("muc_do") is None


def fill(text: str, values: Mapping[str, Any]) -> str:
    """A row's or case's reason with the measured values filled in (``{ty_le_cham:.0%}``); a placeholder whose
    value is unknown is shown as "?"."""
    out = []
    for literal, name, spec, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is None:
            continue
        value = values[name]
        try:
            if value is None:
                out.append("?")
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and not spec:
                out.append(vn(value))
            else:
                out.append(format(value, spec))
        except (TypeError, ValueError):
            out.append(str(value))
    return "".join(out)


def level_for(ruleset: Ruleset, conditions: Mapping[str, Sequence[Mapping]], values: Mapping[str, Any],
              levels: Sequence[str] | None = None) -> tuple[str, Mapping | None]:
    """The highest level whose rows all hold, and the first row that failed at the level just above it.

    ``levels``: the levels that may be chosen, best first (default: every level of the ruleset). A level
    without rows always holds; a row whose value is unknown does not stop its level; the bottom level is
    the fallback.
    """
    lowered = None
    for level in levels if levels is not None else ruleset.levels:
        if level == ruleset.bottom:
            break
        failed = [row for row in conditions.get(level) or () if constrains(row) and holds(ruleset, row, values[row["do"]]) is False]
        if not failed:
            return level, lowered
        lowered = failed[0]
    return ruleset.bottom, lowered


def failed_rows(ruleset: Ruleset, rows: Sequence[Mapping], values: Mapping[str, Any]) -> list[Mapping]:
    """The rows whose measured value is known and does not meet them (warning rows included)."""
    return [row for row in rows or () if holds(ruleset, row, values[row["do"]]) is False]


def holding_cases(ruleset: Ruleset, cases: Sequence[Mapping], values: Mapping[str, Any]) -> list[Mapping]:
    """Every case whose ``khi`` rows all hold."""
    return [case for case in cases if all(holds(ruleset, row, values[row["do"]]) is True for row in case["khi"])]


def cases_holding(ruleset: Ruleset, cases: Sequence[Mapping], values: Mapping[str, Any]) -> list[str]:
    """The reason (``ly_do`` filled with the measured values) of every case whose ``khi`` rows all hold."""
    return [case["ly_do"].format_map(values) for case in holding_cases(ruleset, cases, values)]


def highest_level(ctx: Any, subject: Subject, conditions: Mapping[str, Sequence[Mapping]],
                  levels: Sequence[str] | None = None) -> tuple[str, Mapping | None]:
    """``level_for`` over the subject's measures (see there)."""
    return level_for(ctx.ruleset, conditions, Values(ctx, subject), levels)


def failure_cases(ctx: Any, subject: Subject, cases: Sequence[Mapping]) -> list[str]:
    """``cases_holding`` over the subject's measures (see there)."""
    return cases_holding(ctx.ruleset, cases, Values(ctx, subject))


# -- checking a ruleset's rows ----------------------------------------------------------------------------
def check_ruleset(ruleset: Ruleset) -> list[str]:
    """Every problem of a ruleset's condition rows and failure cases: unknown measures, levels, scale words,
    comparisons and placeholders, and rule rows naming conditions or cases that do not exist."""
    problems: list[str] = []
    conditions = ruleset.data.get("dieu_kien_muc") or {}
    cases = ruleset.data.get("truong_hop_khong_dat") or {}
    mitigations = ruleset.vocabulary("giam_nhe")
    for name, table in conditions.items():
        for level, rows in (table or {}).items():
            where = f"dieu_kien_muc.{name}.{level}"
            if level not in ruleset.levels:
                problems.append(f"{where}: không có mức '{level}' (muc)")
            for i, row in enumerate(rows or []):
                problems += _row_problems(ruleset, f"{where}[{i}]", row)
    for name, items in cases.items():
        for i, case in enumerate(items or []):
            where = f"truong_hop_khong_dat.{name}[{i}]"
            if not isinstance(case, Mapping) or not case.get("khi") or not isinstance(case.get("ly_do"), str):
                problems.append(f"{where}: mỗi trường hợp cần `khi` (các dòng điều kiện) và `ly_do`")
                continue
            for j, row in enumerate(case["khi"]):
                problems += _row_problems(ruleset, f"{where}.khi[{j}]", row)
            problems += _text_problems(f"{where}.ly_do", case["ly_do"])
            problems += _rule_problems(ruleset, where, case.get("quy_tac"))
            for reason in case.get("giam_nhe") or []:
                if reason not in mitigations:
                    problems.append(f"{where}.giam_nhe: không có lý do giảm nhẹ '{reason}' (nhan.giam_nhe)")
    for rule_id, row in ruleset.rules.items():
        if row.get("dieu_kien") is not None and row["dieu_kien"] not in conditions:
            problems.append(f"quy_tac.{rule_id}.dieu_kien: không có dieu_kien_muc.{row['dieu_kien']}")
        if row.get("truong_hop") is not None and row["truong_hop"] not in cases:
            problems.append(f"quy_tac.{rule_id}.truong_hop: không có truong_hop_khong_dat.{row['truong_hop']}")
        problems += _rule_problems(ruleset, f"quy_tac.{rule_id}.khong_co_muc", row.get("khong_co_muc"))
        for reason in row.get("giam_nhe") or []:
            if reason not in mitigations:
                problems.append(f"quy_tac.{rule_id}.giam_nhe: không có lý do giảm nhẹ '{reason}' (nhan.giam_nhe)")
    for name, role in ruleset.roles.items():
        branch = (role or {}).get("nhanh")
        if branch is not None and (branch not in conditions or branch not in cases):
            problems.append(f"vai_tro.{name}.nhanh: cần cả dieu_kien_muc.{branch} và truong_hop_khong_dat.{branch}")
    return problems


def _text_problems(where: str, text: str) -> list[str]:
    return [f"{where}: không có phép đo '{field}'" for _, field, _, _ in string.Formatter().parse(text)
            if field is not None and field not in MEASURES]


def _rule_problems(ruleset: Ruleset, where: str, rule_id: Any) -> list[str]:
    if rule_id is None or ruleset.rule(rule_id) is not None:
        return []
    return [f"{where}: quy tắc '{rule_id}' không có dòng trong bảng quy_tac của bộ quy tắc"]


def _row_problems(ruleset: Ruleset, where: str, row: Any) -> list[str]:
    if not isinstance(row, Mapping):
        return [f"{where}: dòng điều kiện phải là một bảng {{do: phép đo, so sánh: giá trị}}"]
    problems = []
    if row.get("do") not in MEASURES:
        problems.append(f"{where}: không có phép đo '{row.get('do')}' (xem `hoso rules`)")
    found = [key for key in COMPARISONS if key in row]
    if len(found) != 1:
        problems.append(f"{where}: cần đúng một phép so sánh ({', '.join(COMPARISONS)})")
    elif isinstance(row[found[0]], str) and ruleset.scale_rank(row[found[0]]) < 0 and row[found[0]] not in ruleset.levels:
        problems.append(f"{where}: '{row[found[0]]}' không có trong thang cấp độ (cap_do) hay thang mức (muc)")
    if row.get("muc_do") is not None and row["muc_do"] not in SEVERITIES:
        problems.append(f"{where}.muc_do: phải là một trong {', '.join(SEVERITIES)}")
    problems += _rule_problems(ruleset, where, row.get("quy_tac"))
    if isinstance(row.get("ly_do"), str):
        problems += _text_problems(f"{where}.ly_do", row["ly_do"])
    return problems


# -- criteria ---------------------------------------------------------------------------------------------
def criteria(ruleset: Ruleset, subject: Subject) -> tuple[list[str], list[str]] | None:
    """The subject's self-assessed criterion words: (task-result criteria, the others); None when its form
    has no criteria in the ruleset's field map (``tieu_chi``)."""
    if subject.form is None:
        return None
    groups = ruleset.fields(subject.form.entry.key).get("tieu_chi")
    if not groups:
        return None

    def read(paths: Sequence[str]) -> list[str]:
        return [loc.value for p in paths if (loc := subject.form_at(p + ".cap_do")) is not None and loc.value]

    return read(groups["nhiem_vu"]), read(groups["khac"])


def lowest(ruleset: Ruleset, words: Sequence[str]) -> str | None:
    """The lowest word on the criterion scale, None for none."""
    return min(words, key=ruleset.scale_rank) if words else None


# -- the measures -----------------------------------------------------------------------------------------
@measure("cap_do_thap_nhat")
def lowest_criterion(ctx, s: Subject) -> str | None:
    """Cấp độ thấp nhất trong mọi tiêu chí tự đánh giá (theo thang cap_do); chưa biết khi biểu mẫu không có tiêu chí."""
    found = criteria(ctx.ruleset, s)
    return lowest(ctx.ruleset, [*found[0], *found[1]]) if found else None


@measure("cap_do_nhiem_vu_thap_nhat")
def lowest_task_criterion(ctx, s: Subject) -> str | None:
    """Cấp độ thấp nhất trong các tiêu chí về kết quả thực hiện nhiệm vụ; chưa biết khi không có tiêu chí đó."""
    found = criteria(ctx.ruleset, s)
    return lowest(ctx.ruleset, found[0]) if found else None


def _task_result(s: Subject) -> dict:
    return s.raw.get("ket_qua_nhiem_vu") or {}


@measure("ty_le_chi_tieu")
def target_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ chỉ tiêu tập thể đạt được (ket_qua_nhiem_vu.ty_le_chi_tieu, 0–1); chưa biết khi không ghi."""
    return _task_result(s).get("ty_le_chi_tieu")


@measure("dat_chi_tieu_chu_yeu")
def main_targets_met(ctx, s: Subject) -> bool:
    """Tập thể đạt các chỉ tiêu chủ yếu (ket_qua_nhiem_vu.chi_tieu_chu_yeu_dat); không ghi thì coi là đạt."""
    return bool(_task_result(s).get("chi_tieu_chu_yeu_dat", True))


@measure("bat_kha_khang")
def force_majeure(ctx, s: Subject) -> bool:
    """Không đạt chỉ tiêu vì nguyên nhân bất khả kháng (ket_qua_nhiem_vu.bat_kha_khang)."""
    return bool(_task_result(s).get("bat_kha_khang"))


@measure("lanh_dao_bi_ky_luat")
def leaders_disciplined(ctx, s: Subject) -> bool:
    """Tập thể lãnh đạo hoặc thành viên lãnh đạo của tổ chức bị kỷ luật trong kỳ (lanh_dao_bi_ky_luat)."""
    return bool(s.raw.get("lanh_dao_bi_ky_luat"))


@measure("so_don_vi_truc_thuoc")
def subordinate_count(ctx, s: Subject) -> int | None:
    """Số tổ chức, đơn vị trực thuộc (so_don_vi_truc_thuoc); chưa biết khi không ghi."""
    return s.raw.get("so_don_vi_truc_thuoc") or None


@measure("so_don_vi_bi_ky_luat")
def disciplined_subordinates(ctx, s: Subject) -> int:
    """Số tổ chức, đơn vị trực thuộc bị kỷ luật trong kỳ (so_don_vi_truc_thuoc_bi_ky_luat); không ghi là 0."""
    return s.raw.get("so_don_vi_truc_thuoc_bi_ky_luat") or 0


@measure("ty_le_don_vi_bi_ky_luat")
def disciplined_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ tổ chức, đơn vị trực thuộc bị kỷ luật (0–1); chưa biết khi không có đơn vị trực thuộc."""
    total = subordinate_count(ctx, s)
    return disciplined_subordinates(ctx, s) / total if total else None


@measure("co_ky_luat")
def any_discipline(ctx, s: Subject) -> bool:
    """Tổ chức có thành viên lãnh đạo hoặc tổ chức trực thuộc bị kỷ luật trong kỳ (cờ của tổ chức, hoặc kỷ luật
    của một thành viên tập thể lãnh đạo ghi trong thanh_vien_lanh_dao)."""
    return (leaders_disciplined(ctx, s) or disciplined_subordinates(ctx, s) > 0
            or any(_disciplined(ctx, m, duty_only=False) for m in _leadership(s)))


@measure("mat_doan_ket")
def disunity(ctx, s: Subject) -> bool:
    """Tổ chức có kết luận mất đoàn kết nội bộ (mat_doan_ket)."""
    return bool(s.raw.get("mat_doan_ket"))


@measure("thanh_vien_suy_thoai")
def member_degraded(ctx, s: Subject) -> bool:
    """Tổ chức có thành viên bị kết luận suy thoái (cờ thanh_vien_suy_thoai, hoặc kết luận suy_thoai của một
    thành viên tập thể lãnh đạo ghi trong thanh_vien_lanh_dao)."""
    return bool(s.raw.get("thanh_vien_suy_thoai")) or any(m.raw.get("suy_thoai") for m in _leadership(s))


@measure("tong_diem")
def total_points(ctx, s: Subject) -> float | None:
    """Tổng điểm của biểu chấm điểm sau điểm cộng, điểm trừ (thang điểm của thiết lập); chưa biết khi không chấm điểm."""
    return computed_total(ctx.settings, s)[0] if scoring(s) is not None else None


# -- the score and its band (qd366: Điều 10, 11) -------------------------------------------------------------
@measure("diem")
def score(ctx, s: Subject) -> float | None:
    """Tổng điểm của đối tượng: điểm chi bộ thẩm định nếu có, nếu không thì điểm tự chấm (trường tong_diem của
    biểu mẫu); không có thì tổng của biểu chấm điểm; chưa biết khi không chấm điểm."""
    found = value_of(field_of(s.form, "tong_diem"))
    if isinstance(found, (int, float)) and not isinstance(found, bool):
        return found
    return total_points(ctx, s)


@measure("khung_diem")
def score_band(ctx, s: Subject) -> str | None:
    """Mức mà tổng điểm đạt khung (thiết lập diem.khung: điểm tối thiểu của mỗi mức); dưới mọi khung là mức thấp
    nhất; chưa biết khi không có điểm hoặc không có khung."""
    bands, points = ctx.settings["diem"]["khung"], score(ctx, s)
    if not bands or points is None:
        return None
    return next((level for level in ctx.ruleset.levels if level in bands and points >= bands[level]), ctx.ruleset.bottom)


# -- the task ledger (qd366: Điều 11; Hướng dẫn 43, tiểu mục 7.12) ----------------------------------------------
def _own(ctx, s: Subject):
    return ctx.memo(("so_nhiem_vu", id(s)), lambda: tally(ctx.settings, value_of(own_tasks(s))))


def _led(ctx, s: Subject):
    return ctx.memo(("so_nhiem_vu_don_vi", id(s)), lambda: led_tally(ctx.settings, led_units(s)))


def _share(found, group: str) -> float | None:
    return found.share(group) if found is not None else None


@measure("tong_nhiem_vu")
def task_count(ctx, s: Subject) -> int | None:
    """Số nhiệm vụ trong sổ nhiệm vụ của đối tượng (trường nhiem_vu); chưa biết khi không có sổ."""
    found = _own(ctx, s)
    return found.total if found else None


@measure("ty_le_hoan_thanh")
def done_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ nhiệm vụ đã hoàn thành (nhóm kết quả so_nhiem_vu.nhom_ket_qua.hoan_thanh: vượt mức, đúng hạn,
    hoàn thành chậm) trên tổng số nhiệm vụ; chưa biết khi không có sổ nhiệm vụ."""
    return _share(_own(ctx, s), "hoan_thanh")


@measure("ty_le_dung_han")
def on_time_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ nhiệm vụ hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả (nhóm dung_han: vượt mức, đúng hạn);
    chưa biết khi không có sổ nhiệm vụ."""
    return _share(_own(ctx, s), "dung_han")


@measure("ty_le_vuot_muc")
def exceeded_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ nhiệm vụ hoàn thành vượt mức yêu cầu (nhóm vuot_muc); chưa biết khi không có sổ nhiệm vụ."""
    return _share(_own(ctx, s), "vuot_muc")


@measure("ty_le_cham")
def late_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ nhiệm vụ chưa bảo đảm tiến độ (nhóm cham: hoàn thành chậm, đang thực hiện chậm); chưa biết khi
    không có sổ nhiệm vụ."""
    return _share(_own(ctx, s), "cham")


@measure("ty_le_khong_hoan_thanh")
def failed_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ nhiệm vụ bị đánh giá không hoàn thành (nhóm khong_hoan_thanh); chưa biết khi không có sổ nhiệm vụ."""
    return _share(_own(ctx, s), "khong_hoan_thanh")


@measure("ty_le_khac_phuc")
def remedied_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ hạn chế, khuyết điểm được chỉ ra ở kỳ trước đã khắc phục xong (trường han_che_truoc; tình trạng tính là
    xong: so_nhiem_vu.da_khac_phuc); chưa biết khi không có hạn chế nào được chỉ ra (điều kiện "nếu có")."""
    items = [i for i in value_of(field_of(s.form, "han_che_truoc")) or [] if isinstance(i, dict)]
    done = ctx.settings["so_nhiem_vu"]["da_khac_phuc"]
    return sum(i.get("tinh_trang") in done for i in items) / len(items) if items else None


@measure("dat_chi_tieu_kt_xh")
def socio_economic_targets_met(ctx, s: Subject) -> bool | None:
    """Đạt đủ các chỉ tiêu kinh tế - xã hội cơ bản được giao (trường chi_tieu_kt_xh của báo cáo); chưa biết khi
    báo cáo không ghi các chỉ tiêu đó (chỉ áp dụng với chức danh được giao chỉ tiêu)."""
    return targets_met(value_of(field_of(s.form, "chi_tieu_kt_xh")))


# -- the units a leader leads ----------------------------------------------------------------------------------
@measure("so_don_vi_lanh_dao")
def led_count(ctx, s: Subject) -> int | None:
    """Số địa phương, cơ quan, đơn vị do cá nhân trực tiếp lãnh đạo, quản lý (don_vi_lanh_dao); chưa biết khi không ghi."""
    return len(led_units(s) or []) or None


@measure("ty_le_hoan_thanh_don_vi")
def led_done_share(ctx, s: Subject) -> float | None:
    """Như ty_le_hoan_thanh, đếm chung trên sổ nhiệm vụ của các đơn vị do cá nhân trực tiếp lãnh đạo, quản lý."""
    return _share(_led(ctx, s), "hoan_thanh")


@measure("ty_le_dung_han_don_vi")
def led_on_time_share(ctx, s: Subject) -> float | None:
    """Như ty_le_dung_han, đếm chung trên sổ nhiệm vụ của các đơn vị do cá nhân trực tiếp lãnh đạo, quản lý."""
    return _share(_led(ctx, s), "dung_han")


@measure("ty_le_vuot_muc_don_vi")
def led_exceeded_share(ctx, s: Subject) -> float | None:
    """Như ty_le_vuot_muc, đếm chung trên sổ nhiệm vụ của các đơn vị do cá nhân trực tiếp lãnh đạo, quản lý."""
    return _share(_led(ctx, s), "vuot_muc")


@measure("ty_le_cham_don_vi")
def led_late_share(ctx, s: Subject) -> float | None:
    """Như ty_le_cham, đếm chung trên sổ nhiệm vụ của các đơn vị do cá nhân trực tiếp lãnh đạo, quản lý."""
    return _share(_led(ctx, s), "cham")


@measure("ty_le_khong_hoan_thanh_don_vi")
def led_failed_share(ctx, s: Subject) -> float | None:
    """Như ty_le_khong_hoan_thanh, đếm chung trên sổ nhiệm vụ của các đơn vị do cá nhân trực tiếp lãnh đạo, quản lý."""
    return _share(_led(ctx, s), "khong_hoan_thanh")


@measure("ty_le_don_vi_khtnv")
def led_bottom_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ đơn vị do cá nhân lãnh đạo, quản lý bị xếp mức thấp nhất (mức ghi ở don_vi_lanh_dao hoặc mức của tổ
    chức trong đơn vị) trên tổng số đơn vị đó; chưa biết khi chưa đơn vị nào có mức."""
    units = led_units(s) or []
    levels = [value_of(u.level) for u in units]
    if not any(levels):
        return None
    return sum(level == ctx.ruleset.bottom for level in levels) / len(units)


@measure("dat_chi_tieu_kt_xh_don_vi")
def led_targets_met(ctx, s: Subject) -> bool | None:
    """Các đơn vị do cá nhân lãnh đạo đạt đủ chỉ tiêu kinh tế - xã hội cơ bản (theo báo cáo của tổ chức trong đơn
    vị); chưa biết khi không báo cáo nào ghi các chỉ tiêu đó."""
    found = [targets_met(u.targets) for u in led_units(s) or []]
    known = [f for f in found if f is not None]
    return all(known) if known else None


@measure("ty_le_tin_nhiem_thap")
def low_confidence_share(ctx, s: Subject) -> float | None:
    """Tỷ lệ phiếu tín nhiệm thấp tại kỳ lấy phiếu tín nhiệm trong năm (trường phieu_tin_nhiem); chưa biết khi
    không lấy phiếu."""
    votes = value_of(field_of(s.form, "phieu_tin_nhiem"))
    return votes["tin_nhiem_thap"] / votes["tong_so"] if isinstance(votes, dict) and votes.get("tong_so") else None


@measure("co_tham_nhung_trong_pham_vi")
def corruption_in_scope(ctx, s: Subject) -> bool:
    """Có tổ chức, cá nhân trong phạm vi quản lý trực tiếp xảy ra tham nhũng, lãng phí, tiêu cực và bị xử lý kỷ
    luật trong kỳ (vi_pham_trong_pham_vi trong don_vi.yaml)."""
    found = s.raw.get("vi_pham_trong_pham_vi") or []
    return bool(found) and any(ctx.period(s).contains(parse_date(item.get("ngay"))) for item in found)


# -- collectives: the leadership's discipline and conclusions (qd366: Điều 11, khoản 1.1, 4.1) ---------------------
def _leadership(s: Subject) -> list[Member]:
    """The members of a collective's leadership named in don_vi.yaml (thanh_vien_lanh_dao)."""
    if s.unit is None:
        return []
    return [m for code in s.raw.get("thanh_vien_lanh_dao") or [] if (m := s.unit.member(code)) is not None]


def _disciplined(ctx, m: Member, *, duty_only: bool) -> bool:
    """A member disciplined in the period (any form), not for a violation at an earlier unit; with ``duty_only``,
    only for a violation related to their duties."""
    period = ctx.period(m)
    return any(
        period.contains(parse_date(item.get("ngay"))) and not item.get("tai_don_vi_cu") and (item.get("lien_quan_nhiem_vu") or not duty_only)
        for item in m.raw.get("ky_luat") or []
    )


@measure("lanh_dao_bi_ky_luat_nhiem_vu")
def leadership_disciplined_for_duty(ctx, s: Subject) -> bool:
    """Có thành viên tập thể lãnh đạo (thanh_vien_lanh_dao) bị kỷ luật trong kỳ vì vi phạm liên quan đến chức trách,
    nhiệm vụ (lien_quan_nhiem_vu), trừ vi phạm xảy ra ở đơn vị cũ trước khi chuyển đến (tai_don_vi_cu)."""
    return any(_disciplined(ctx, m, duty_only=True) for m in _leadership(s))


@measure("lanh_dao_bi_ky_luat_don_vi_cu")
def leadership_disciplined_for_earlier_unit(ctx, s: Subject) -> bool:
    """Có thành viên tập thể lãnh đạo (thanh_vien_lanh_dao) bị kỷ luật trong kỳ cho vi phạm xảy ra ở đơn vị cũ trước khi
    chuyển đến (tai_don_vi_cu): không tính cho tập thể hiện tại, nhưng cần cấp có thẩm quyền xem xét."""
    period = ctx.period(s)
    return any(period.contains(parse_date(item.get("ngay"))) and item.get("tai_don_vi_cu")
               for m in _leadership(s) for item in m.raw.get("ky_luat") or [])


@measure("sai_pham_cong_tac_can_bo")
def cadre_work_violation(ctx, s: Subject) -> bool:
    """Tập thể bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, bè phái, chạy chức, chạy quyền
    trong phạm vi phụ trách (sai_pham_cong_tac_can_bo)."""
    return bool(s.raw.get("sai_pham_cong_tac_can_bo"))
