"""The benchmark reads the solver's real progress lines (its 'within 1 %' column depends on it)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from pathlib import Path

from fixtures import small_problem

from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve

RUN = Path(__file__).parent.parent / "benchmarks" / "run.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_progress_lines_of_a_real_solve_are_parsed() -> None:
    bench = _bench_module()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        result = solve(small_problem(), SolverOptions(time_limit=3, workers=1, progress=True))
    events = bench.progress_events(err.getvalue())
    assert result.schedule.assignments
    assert events, f"no progress line parsed from: {err.getvalue()[:300]!r}"
    assert all(0 <= cov <= 100 for *_, cov in events if cov is not None)
    assert [t for t, *_ in events] == sorted(t for t, *_ in events)


def test_progress_line_with_a_day_label() -> None:
    bench = _bench_module()
    line = "\r     2.5s  stage Tue 3/5  objective 40  bound 10  coverage  98.2%   "
    assert bench.progress_events(line) == [(2.5, 3, 40.0, 10.0, 98.2)]


def test_resolve_task_measures_changes_against_the_fewest_at_the_same_coverage() -> None:
    """The real resolve task on a tiny school: quick answer, long run, and the capped run from the
    quick answer (coverage held, never more changes), rendered in the table with their ratio."""
    bench = _bench_module()
    spec = {"n_paras": 8, "seed": 2, "time_limit": 2, "solver_seed": 0, "workers": 1, "resolve_limit": 1,
            "long_limit": 2}
    r = {"ok": True, "n_paras": 8, "peak_mb": 100.0, **bench.task_resolve(spec)}
    assert r["same_cov_held"] is True
    assert r["same_cov_changed"] <= r["changed"]
    if r["same_cov_changed"]:
        assert r["changed_ratio"] == round(r["changed"] / r["same_cov_changed"], 3)
    table = bench.resolve_table(r)
    assert "fewest at the same coverage" in table
    assert (f"{r['changed_ratio']:.2f}x" if r["changed_ratio"] is not None else "—") in table.splitlines()[2]


def test_progress_lines_of_the_repair_search_are_parsed() -> None:
    """Large schools start with the repair search; its lines must count for 'within 1 %'."""
    from samples.generator import generate_school

    bench = _bench_module()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        solve(generate_school(10, seed=0),
              SolverOptions(time_limit=3, workers=1, progress=True, max_paras_per_student=3))
    events = bench.progress_events(err.getvalue())
    assert "stage repair:start 1/1" in err.getvalue()
    assert events and all(0 <= cov <= 100 for *_, cov in events if cov is not None)
