"""A ruleset is data (issue 10, point 8): tests/rulesets/mau_thu/ adds a ruleset with zero Python.

``mau_thu`` inherits qd124 and changes four things (rulesets/mau_thu.yaml, forms/mau_thu/result_notice.yaml):
the name of HTTNV, the sick-leave threshold (60 days instead of 90), the individual HTTNV condition row
(task criteria "Xuất sắc" instead of "Tốt") and the template of the result notice (one sentence). The unit
in don_vi/ is built so that each change shows: run end to end through the real command line, with the
folder named by ``HOSO_DU_LIEU``, and compared with the same unit under qd124.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from conftest import ROOT, docx_text

DATA = ROOT / "tests" / "rulesets" / "mau_thu"
UNIT = DATA / "don_vi"
NOTICE = Path("van_ban") / "thong_bao_chi_bo.docx"

LEVEL_NAME = "Hoàn thành tốt nhiệm vụ được giao"
"""The name mau_thu gives HTTNV (qd124: "Hoàn thành tốt nhiệm vụ")."""
SENTENCE = "trong thời gian chờ giải quyết vẫn thực hiện theo kết quả đã thông báo (mẫu của Bộ quy tắc thử nghiệm)."
"""The sentence the mau_thu result notice template prints instead of qd124's."""
QD124_SENTENCE = "trong thời gian chờ xem xét, giải quyết vẫn phải chấp hành kết luận của tổ chức."


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """The environment of conftest's ``hermetic`` (a temporary HOME, no inherited HOSO_ settings) plus the data folder."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    return {**clean, "HOME": str(tmp_path_factory.mktemp("home")), "HOSO_DEBUG": "1", "HOSO_DU_LIEU": str(DATA)}


def hoso(env: dict[str, str], *args) -> subprocess.CompletedProcess:
    """Run the installed command line in its own process, as a clerk would."""
    return subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def as_ruleset(target: Path, key: str) -> Path:
    """A copy of the unit whose manifest and forms all name ruleset ``key``."""
    shutil.copytree(UNIT, target)
    for path in target.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "bo_quy_tac: mau_thu\n" in text, f"{path.relative_to(target)} phải ghi bo_quy_tac: mau_thu"
        path.write_text(text.replace("bo_quy_tac: mau_thu\n", f"bo_quy_tac: {key}\n"), encoding="utf-8")
    return target


def findings(env, unit: Path) -> list[dict]:
    result = hoso(env, "check", unit, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)["findings"]


def _key(f: dict) -> tuple:
    return f["rule_id"], f["severity"], Path(f["file"]).name, f["json_path"]


@pytest.fixture(scope="module")
def checked(env, tmp_path_factory) -> dict[str, list[dict]]:
    """The findings of the unit under mau_thu and under qd124 (the same data, the same data folder)."""
    return {"mau_thu": findings(env, UNIT), "qd124": findings(env, as_ruleset(tmp_path_factory.mktemp("qd124") / "don_vi", "qd124"))}


def _only(checked, ruleset: str, other: str) -> set[tuple]:
    """Findings of one ruleset the other does not have (information notes aside: naming a ruleset is one)."""
    return {_key(f) for f in checked[ruleset] if f["severity"] != "info"} - {_key(f) for f in checked[other]}


def test_the_changed_condition_row_and_threshold_each_give_one_finding(checked):
    assert _only(checked, "mau_thu", "qd124") == {
        ("IND-LEVEL-CRITERIA", "warning", "nguyen_van_an.yaml", "$.tu_nhan_muc.dang_vien"),
        ("IND-SICK-CAP", "error", "tran_thi_binh.yaml", "$.tu_nhan_muc.dang_vien"),
    }
    assert _only(checked, "qd124", "mau_thu") == set()


def test_the_findings_speak_the_rulesets_vocabulary(checked):
    by_rule = {f["rule_id"]: f for f in checked["mau_thu"]}
    assert "mức phù hợp cao nhất là HTNV" in by_rule["IND-LEVEL-CRITERIA"]["message_vi"]
    assert f"HTTNV ({LEVEL_NAME})" in by_rule["IND-LEVEL-CRITERIA"]["message_vi"]
    assert "nghỉ ốm 75 ngày" in by_rule["IND-SICK-CAP"]["message_vi"] and "60 ngày" in by_rule["IND-SICK-CAP"]["message_vi"]
    # The unit's competent body kept the level (ghi_de): reported with the decision, not blocking render.
    assert by_rule["IND-SICK-CAP"]["override"]
    assert not any(LEVEL_NAME in f["message_vi"] for f in checked["qd124"])


def test_render_prints_the_level_name_and_the_template_of_the_ruleset(env, tmp_path):
    result = hoso(env, "render", UNIT, "-o", tmp_path / "ra")
    assert result.returncode == 0, result.stdout + result.stderr
    text = docx_text(tmp_path / "ra" / NOTICE)
    assert f"1. Mức xếp loại chất lượng: {LEVEL_NAME}." in text
    assert SENTENCE in text and QD124_SENTENCE not in text
    # Reopened as a document, not only as text: the sentence is a paragraph of the body.
    assert any(SENTENCE in p.text for p in docx.Document(str(tmp_path / "ra" / NOTICE)).paragraphs)


def test_the_same_unit_under_qd124_renders_qd124s_name_and_template(env, tmp_path):
    unit = as_ruleset(tmp_path / "don_vi", "qd124")
    result = hoso(env, "render", unit, "-o", tmp_path / "ra")
    assert result.returncode == 0, result.stdout + result.stderr
    text = docx_text(tmp_path / "ra" / NOTICE)
    assert "1. Mức xếp loại chất lượng: Hoàn thành tốt nhiệm vụ." in text
    assert QD124_SENTENCE in text and SENTENCE not in text and LEVEL_NAME not in text


def test_mau_thu_has_every_qd124_form_and_only_its_own_template(env):
    listed = {}
    for key in ("qd124", "mau_thu"):
        result = hoso(env, "forms", "--bo-quy-tac", key, "--format", "json")
        assert result.returncode == 0, result.stderr
        listed[key] = {row["khoa"]: row for row in json.loads(result.stdout)["bieu_mau"]}
    assert set(listed["mau_thu"]) == set(listed["qd124"])
    changed = {k for k in listed["qd124"] if listed["mau_thu"][k] != listed["qd124"][k]}
    assert changed == {"result_notice"}
    assert listed["mau_thu"]["result_notice"]["mau_in"] == "mau_thu/result_notice.docx"


def test_the_data_folder_lints_clean(env):
    result = hoso(env, "lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_python_in_the_data_folder():
    assert not [p for p in DATA.rglob("*") if p.suffix in (".py", ".pyc")]
