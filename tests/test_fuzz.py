"""Stages 1–2 under mutation (generator/load.py, generator/validate.py): no input ends in a traceback.

Hypothesis picks an example form or a data file of the demo unit and one mutation of
tools/fuzz.py (keys that are not text, deep nesting, huge numbers, NaN, impossible dates, NFD
and zero-width text, control characters, wrong types, deleted, renamed and repeated keys, YAML
tags, other encodings…). ``hoso validate`` and ``hoso check`` run in-process with exceptions
let through: the run must end with exit code 0 or 1 and every error finding must name its file
and a JSON path starting with ``$``. ``python tools/fuzz.py`` does the same for 10,000 inputs.
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO, ROOT

_spec = importlib.util.spec_from_file_location("hoso_fuzz", ROOT / "tools" / "fuzz.py")
fuzz = sys.modules.setdefault("hoso_fuzz", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(fuzz)

FORMS = fuzz.example_forms()
UNIT_FILES = fuzz.unit_files()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder for mutated forms and one copy of the demo unit, shared by every example."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "bieu_mau").mkdir()
    shutil.copytree(DEMO, root / "don_vi")
    return root


def _assert_contract(label: str, outcomes) -> None:
    for o in outcomes:
        assert o.error is None, f"{label}: {o.command}: {o.error}\n{o.trace}"


@settings(max_examples=120, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), mutation=st.sampled_from(fuzz.MUTATIONS), seed=st.integers(0, 2**32 - 1))
def test_mutated_inputs_end_in_findings_not_tracebacks(workspace, data, mutation, seed):
    rng = random.Random(seed)  # a plain generator: hypothesis's own draws lean to the first choice of every list
    if data.draw(st.integers(0, 5), label="unit") == 0:
        rel = data.draw(st.sampled_from(UNIT_FILES[:2] * 10 + UNIT_FILES), label="unit file")
        label, outcomes = fuzz.run_unit(workspace / "don_vi", rel, mutation, rng)
    else:
        form = data.draw(st.sampled_from(FORMS), label="form")
        label, outcomes = fuzz.run_form(form, mutation, rng, workspace / "bieu_mau", render=False)
    _assert_contract(label, outcomes)


@pytest.mark.parametrize("mutation", fuzz.MUTATIONS)
def test_each_mutation_of_the_demo_manifest(workspace, mutation):
    label, outcomes = fuzz.run_unit(workspace / "don_vi", "don_vi.yaml", mutation, random.Random(mutation))
    _assert_contract(label, outcomes)
