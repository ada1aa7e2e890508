"""Contract fuzzing (issue 13): every workbook the contract allows reads back exactly and solves.

Random valid tiny schools (``samples/fuzz_workbooks.py``) written with every variant the contract
and the README accept: .xlsx or csv folders (BOM, ``;``), odd headers, title rows, hidden and
blank rows, blank optional cells, times and days in every accepted form, numeric ids, ``1:1``
saved as 01:01, priority words. A bounded number of examples here; the script runs thousands.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parasched.io.reader import read_problem
from parasched.scheduler.model import Para, Problem, Settings, Student
from samples.fuzz_workbooks import render, run_cycle, tiny_schools
from tests.fixtures import t

SEEDS = st.integers(0, 2**32 - 1)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=tiny_schools(), seed=SEEDS)
def test_every_accepted_way_of_writing_reads_back_the_same_school(problem: Problem, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = render(problem, Path(tmp), seed)
        assert read_problem(path).problem == problem


@pytest.mark.slow
@settings(max_examples=6, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=tiny_schools(), seed=SEEDS)
def test_validate_solve_check_resolve_pass_on_every_valid_workbook(problem: Problem, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = render(problem, Path(tmp), seed)
        outcome = run_cycle(problem, path, Path(tmp), time_limit=2.0)
    assert outcome.failures == ()


def test_the_cycle_reports_a_workbook_that_does_not_read_back(tmp_path: Path) -> None:
    """The harness itself can fail: a school written as another one is caught."""
    school = Problem(
        Settings(days=("Mon",), school_start=t("08:00"), school_end=t("11:00"), lunch_minutes=0),
        (Para("P1", "Ana Ruiz", t("08:00"), t("11:00")), Para("P2", "Ben Cole", t("08:00"), t("11:00"))),
        (Student("S1", "Hana Ito"),),
    )
    other = dataclasses.replace(school, settings=dataclasses.replace(school.settings, school_name="Elsewhere"))
    path = render(other, tmp_path, seed=1)
    outcome = run_cycle(school, path, tmp_path, time_limit=1.0)
    assert outcome.failures[0].startswith("read back differs: settings: read Settings(school_name='Elsewhere'")
