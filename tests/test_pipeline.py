"""The façade (generator/pipeline.py): one run planned as picklable jobs, presets of one pipeline,
every document rendered and converted once, executors that give the same bytes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import DEMO
from generator import convert, pipeline
from generator.facts import unit_facts
from generator.source import load_unit


def _demo_jobs() -> list[pipeline.Job]:
    findings, unit = load_unit(DEMO)
    assert unit is not None
    return pipeline.plan_unit(unit, unit_facts(unit), None)


def test_the_demo_is_the_latest_bundled_year_unless_one_is_named():
    years = {p.year: path for p, path in pipeline.demo_units().items() if p.quarter is None}
    assert pipeline.demo_unit() == years[max(years)]
    assert pipeline.demo_unit(2024) == DEMO
    with pytest.raises(pipeline.UsageError):
        pipeline.demo_unit(1999)


def test_jobs_are_plain_data_that_cross_to_another_process():
    jobs = _demo_jobs()
    assert len(jobs) == 42
    for job in jobs:
        copy = pickle.loads(pickle.dumps(job))
        assert copy.name == job.name and copy.form.data == job.form.data and copy.settings == job.settings
        assert copy.facts == job.facts and copy.template == job.template
    assert pipeline.render_job(pickle.loads(pickle.dumps(jobs[0]))) == pipeline.render_job(jobs[0])


def test_a_pool_of_processes_renders_the_same_bytes_as_one_process(tmp_path):
    one = pipeline.render_unit(DEMO, tmp_path / "mot")
    two = pipeline.render_unit(DEMO, tmp_path / "hai", workers=2)
    assert one.ok and two.ok and len(one.docx) == len(two.docx) == 42
    for a, b in zip(sorted(one.docx), sorted(two.docx)):
        assert a.relative_to(tmp_path / "mot") == b.relative_to(tmp_path / "hai")
        assert a.read_bytes() == b.read_bytes(), a.name


class _Counting:
    """Stands in for LibreOffice and the packaging step, counting what the pipeline asks of them."""

    def __init__(self):
        self.rendered: list[str] = []
        self.converted: list[list[Path]] = []
        self.packaged: dict | None = None


@pytest.fixture
def counting(monkeypatch):
    seen = _Counting()
    real_render = pipeline.render_job

    def render(job):
        seen.rendered.append(job.name)
        return real_render(job)

    def to_pdf(items, conv):
        paths = [Path(docx) for docx, _ in items]
        seen.converted.append(paths)
        for docx in paths:
            docx.with_suffix(".pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
        return [p.with_suffix(".pdf") for p in paths]

    def package(unit, facts, rendered, stage, conv, templates, findings):
        seen.packaged = dict(rendered)
        root = stage / "goi"
        root.mkdir()
        (root / "manifest.json").write_text("{}", encoding="utf-8")
        return root, 16

    monkeypatch.setattr(pipeline, "render_job", render)
    monkeypatch.setattr(convert, "converter", lambda pdfa: object())
    monkeypatch.setattr(convert, "to_stable_pdf", to_pdf)
    monkeypatch.setattr(pipeline, "build_packages", package)
    return seen


def test_demo_renders_and_converts_each_document_once(tmp_path, counting):
    result = pipeline.demo(tmp_path, year=2024)
    assert result.ok and result.subjects == 16
    assert len(counting.rendered) == len(set(counting.rendered)) == 42
    (converted,) = counting.converted
    assert len(converted) == 42
    # The packages are made from the very files that were rendered and converted, and published beside them.
    assert {docx for docx, _ in counting.packaged.values()} == set(converted)
    assert len(result.docx) == len(result.pdf) == 42
    assert result.package == tmp_path / "ho_so" and (result.package / "manifest.json").is_file()


@pytest.mark.parametrize("steps, published, packaged", [
    (pipeline.RENDER, 42, False),
    (pipeline.RENDER_PDF, 42, False),
    (pipeline.DOSSIER, 0, True),
    (pipeline.DEMO, 42, True),
])
def test_presets_are_steps_of_one_run(tmp_path, counting, steps, published, packaged):
    result = pipeline.run([DEMO], tmp_path, steps)
    assert result.ok
    assert len(result.docx) == published
    assert (result.package is not None) == packaged
    assert len(counting.rendered) == 42
    assert len(counting.converted) == (1 if steps.pdf else 0)


def test_check_stops_before_rendering(counting):
    findings, count = pipeline.check([DEMO])
    assert count == 43 and not [f for f in findings if f.blocking]
    assert counting.rendered == []


def test_template_source_prints_the_jinja_of_a_template(cli):
    template = Path(pipeline.registry.template_path(next(e for e in pipeline.registry.entries() if e.key == "minutes")))
    result = cli("template-source", template)
    assert result.exit_code == 0
    assert "{{" in result.stdout and "<w:p" in result.stdout
