"""Template lint (generator/lint.py): template variables against schemas.

Also what the lint reads and guards: the Jinja source of a template (generator/templating.py, the
``git diff`` text of a .docx), the committed templates as the source of truth, and the scaffold
that drafts new ones (tools/scaffold_template.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from generator import registry
from generator.lint import lint_entry
from generator.templating import template_source

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates_docx"
SCAFFOLD = ROOT / "tools" / "scaffold_template.py"


def _overlay(tmp_path: Path, old: str, new: str) -> Path:
    overlay = tmp_path / "mau"
    (overlay / "qd124").mkdir(parents=True)
    doc = docx.Document(str(TEMPLATES / "qd124" / "individual_leader.docx"))
    replaced = 0
    for p in doc.paragraphs:
        for run in p.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                replaced += 1
    assert replaced
    doc.save(str(overlay / "qd124" / "individual_leader.docx"))
    return overlay


def test_builtin_templates_are_clean(cli):
    result = cli("lint")
    assert result.exit_code == 0, result.stdout
    assert f"Đã kiểm tra {len(registry.entries())} tệp: 0 lỗi" in result.stdout


@pytest.mark.parametrize("entry", registry.entries(), ids=lambda e: f"{e.ruleset}/{e.key}")
def test_every_committed_template_lints_clean(entry):
    assert registry.template_path(entry).is_relative_to(TEMPLATES)
    assert lint_entry(entry) == []


def test_every_committed_template_serves_a_registry_entry():
    served = {registry.template_path(e) for e in registry.entries()}
    assert sorted(TEMPLATES.rglob("*.docx")) == sorted(served)


def test_reports_a_variable_missing_from_the_schema(tmp_path, cli):
    overlay = _overlay(tmp_path, "uu_diem.neu_guong.noi_dung", "uu_diem.neu_guongg.noi_dung")
    report = json.loads(cli("lint", "--templates", overlay, "--format", "json").stdout)
    paths = {f["json_path"] for f in report["findings"]}
    assert paths == {"$.uu_diem.neu_guongg"}
    assert report["findings"][0]["file"].endswith("individual_leader.docx")


def test_loop_variables_resolve_to_list_items(tmp_path, cli):
    overlay = _overlay(tmp_path, "{{ doan }}", "{{ doan.noi_dung }}")
    report = json.loads(cli("lint", "--templates", overlay, "--format", "json").stdout)
    assert {f["json_path"] for f in report["findings"]} == {"$.doan.noi_dung"}


def test_reports_unknown_filter(tmp_path, cli):
    overlay = _overlay(tmp_path, "ca_nhan.ngay_sinh|ngay", "ca_nhan.ngay_sinh|ngay_sinh_nhat")
    result = cli("lint", "--templates", overlay)
    assert result.exit_code == 1
    assert "ngay_sinh_nhat" in result.stdout


def test_template_source_is_the_jinja_text_one_paragraph_a_line():
    """What ``hoso template-source`` prints, and so what ``git diff`` shows of a .docx (the textconv driver)."""
    source = template_source(TEMPLATES / "qd124" / "individual_staff.docx")
    lines = source.splitlines()
    assert all(line.startswith("<w:p") for line in lines[1:])
    assert any("{{ ca_nhan.ho_ten }}" in line for line in lines)
    assert "PAGE" in source  # the page-number header is part of the source
    assert source == template_source(TEMPLATES / "qd124" / "individual_staff.docx")


def test_gitattributes_sends_docx_diffs_through_the_template_source_driver():
    assert "*.docx diff=docxtpl" in (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()


def _scaffold(*args):
    return subprocess.run([sys.executable, str(SCAFFOLD), *map(str, args)], capture_output=True, text=True, encoding="utf-8")


def test_scaffold_refuses_to_overwrite_a_committed_template():
    committed = TEMPLATES / "qd124" / "minutes.docx"
    before = committed.read_bytes()
    result = _scaffold("minutes")
    assert result.returncode == 1
    assert f"Đã có tệp {committed}: không ghi đè." in result.stderr and "Không tạo tệp nào." in result.stderr
    assert committed.read_bytes() == before


def test_scaffold_refuses_all_when_one_target_exists(tmp_path):
    assert _scaffold("minutes", "--ra", tmp_path).returncode == 0
    result = _scaffold("minutes", "ballot_level", "--ra", tmp_path)
    assert result.returncode == 1 and "minutes.docx: không ghi đè" in result.stderr
    assert not (tmp_path / "qd124" / "ballot_level.docx").exists()


def test_scaffold_names_an_unknown_builder():
    result = _scaffold("khong_co")
    assert result.returncode == 1 and "Không có bộ dựng mẫu in: khong_co" in result.stderr


def test_scaffold_drafts_elsewhere_lint_clean_against_their_schemas(tmp_path):
    """The scaffold library stays usable: every draft it writes matches its form's schema."""
    result = _scaffold("--ra", tmp_path)
    assert result.returncode == 0, result.stderr
    drafts = sorted(tmp_path.rglob("*.docx"))
    assert drafts
    by_template = {e.template: e for e in registry.entries()}
    for draft in drafts:
        entry = by_template[draft.relative_to(tmp_path).as_posix()]
        assert registry.template_path(entry, tmp_path) == draft
        assert lint_entry(entry, tmp_path) == [], draft.name
