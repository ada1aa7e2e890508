"""The benchmark reads the solver's real progress lines (its 'within 1 %' column depends on it)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from pathlib import Path

from fixtures import small_problem

from parasched.scheduler.workflows import solve
from parasched.solver.options import SolverOptions

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
