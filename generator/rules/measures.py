"""Level conditions as data: named measures of a subject and the one evaluator of the ruleset's condition rows.

A row reads ``{do: <measure>, <comparison>: <value>}``; comparisons are ``toi_thieu`` (≥), ``toi_da`` (≤),
``tren`` (>), ``duoi`` (<) and ``bang`` (=). A text value is compared on the ruleset's criterion scale
(``cap_do``), anything else as it is. A measure is a small function ``(ctx, subject) -> value``
registered with ``@measure(name)``; None means the data does not say.

Level conditions (``dieu_kien_muc``) pick the highest level whose rows all hold; an unknown value
does not stop a level. Failure cases (``truong_hop_khong_dat``) hold when every ``khi`` row holds;
an unknown value never makes a case.
"""

from __future__ import annotations

import operator
import string
from typing import Any, Callable, Mapping, Sequence

from ..errors import ConfigError
from ..ruleset import Ruleset
from ..scoring import computed_total, scoring
from ..unit import Subject

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
        if ruleset.scale_rank(value) < 0:
            return None
        value, wanted = ruleset.scale_rank(value), ruleset.scale_rank(wanted)
    return COMPARISONS[key](value, wanted)


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
        failed = [row for row in conditions.get(level) or () if holds(ruleset, row, values[row["do"]]) is False]
        if not failed:
            return level, lowered
        lowered = failed[0]
    return ruleset.bottom, lowered


def cases_holding(ruleset: Ruleset, cases: Sequence[Mapping], values: Mapping[str, Any]) -> list[str]:
    """The reason (``ly_do`` filled with the measured values) of every case whose ``khi`` rows all hold."""
    return [
        case["ly_do"].format_map(values)
        for case in cases
        if all(holds(ruleset, row, values[row["do"]]) is True for row in case["khi"])
    ]


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
            for _, field, _, _ in string.Formatter().parse(case["ly_do"]):
                if field is not None and field not in MEASURES:
                    problems.append(f"{where}.ly_do: không có phép đo '{field}'")
    for rule_id, row in ruleset.rules.items():
        if row.get("dieu_kien") is not None and row["dieu_kien"] not in conditions:
            problems.append(f"quy_tac.{rule_id}.dieu_kien: không có dieu_kien_muc.{row['dieu_kien']}")
        if row.get("truong_hop") is not None and row["truong_hop"] not in cases:
            problems.append(f"quy_tac.{rule_id}.truong_hop: không có truong_hop_khong_dat.{row['truong_hop']}")
    return problems


def _row_problems(ruleset: Ruleset, where: str, row: Any) -> list[str]:
    if not isinstance(row, Mapping):
        return [f"{where}: dòng điều kiện phải là một bảng {{do: phép đo, so sánh: giá trị}}"]
    problems = []
    if row.get("do") not in MEASURES:
        problems.append(f"{where}: không có phép đo '{row.get('do')}' (xem `hoso rules`)")
    found = [key for key in COMPARISONS if key in row]
    if len(found) != 1:
        problems.append(f"{where}: cần đúng một phép so sánh ({', '.join(COMPARISONS)})")
    elif isinstance(row[found[0]], str) and ruleset.scale_rank(row[found[0]]) < 0:
        problems.append(f"{where}: '{row[found[0]]}' không có trong thang cấp độ (cap_do)")
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
    """Tổ chức có thành viên lãnh đạo hoặc tổ chức trực thuộc bị kỷ luật trong kỳ."""
    return leaders_disciplined(ctx, s) or disciplined_subordinates(ctx, s) > 0


@measure("mat_doan_ket")
def disunity(ctx, s: Subject) -> bool:
    """Tổ chức có kết luận mất đoàn kết nội bộ (mat_doan_ket)."""
    return bool(s.raw.get("mat_doan_ket"))


@measure("thanh_vien_suy_thoai")
def member_degraded(ctx, s: Subject) -> bool:
    """Tổ chức có thành viên bị kết luận suy thoái (thanh_vien_suy_thoai)."""
    return bool(s.raw.get("thanh_vien_suy_thoai"))


@measure("tong_diem")
def total_points(ctx, s: Subject) -> float | None:
    """Tổng điểm của biểu chấm điểm sau điểm cộng, điểm trừ (thang điểm của thiết lập); chưa biết khi không chấm điểm."""
    return computed_total(ctx.settings, s)[0] if scoring(s) is not None else None
