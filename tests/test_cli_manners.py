"""One convention across commands (--json, --verbose, --force) and the progress a coordinator sees.

The solver is never run here: the commands that need a schedule get one written by hand, and
the progress display is fed a made-up sequence of ``Progress`` reports.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.io.progress import ProgressDisplay, progress_line
from parasched.io.writer import write_schedule
from parasched.solver.options import Progress
from tests.test_writer import _problem, _result


@pytest.fixture
def school(tmp_path: Path) -> tuple[Path, Path]:
    from parasched.io.input_writer import write_problem

    inp = tmp_path / "school.xlsx"
    write_problem(_problem(), inp)
    sched = tmp_path / "schedule.xlsx"
    write_schedule(sched, _problem(), _result())
    return inp, sched


def run(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


# -- --json means one thing everywhere -------------------------------------------------------------
def test_check_json_alone_prints_one_json_document(school):
    inp, sched = school
    res = run("check", inp, sched, "--json")
    data = json.loads(res.stdout)
    assert set(data) >= {"violations", "kpis"}
    assert "KPIs" in res.stderr  # the report for people, as with solve and resolve


def test_check_json_file_is_written_and_the_report_still_printed(school, tmp_path):
    inp, sched = school
    target = tmp_path / "check.json"
    res = run("check", inp, sched, "--json", target)
    assert "KPIs" in res.stdout
    assert set(json.loads(target.read_text())) >= {"violations", "kpis"}


def test_json_dash_on_solve_keeps_stdout_json_only(school, tmp_path, monkeypatch):
    """solve --json -: stdout is the JSON document, the report for people goes to stderr."""
    import parasched.workflows.solve as wf

    inp, _ = school
    monkeypatch.setattr(wf, "solve", lambda problem, options: _result())  # no solver in this test
    res = run("solve", inp, "-o", tmp_path / "out.xlsx", "--json", "-", "--time-limit", "5")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["format"] == "parasched.schedule/1" and data["solve"]["status"] == "optimal"
    assert "Wrote" in res.stderr and "Wrote" not in res.stdout
    # what the bound proves, in words; the raw numbers only in the JSON
    assert "priority-1 minutes: proven best: no schedule under these rules leaves fewer than 60 uncovered" in res.stderr
    assert "gap" not in res.stderr and data["solve"]["bound"] == 60.0


# -- --verbose before or after the command ----------------------------------------------------------
@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_is_accepted_after_the_command_too(school, where):
    inp, sched = school
    args = ["check", inp, sched]
    res = run("--verbose", *args) if where == "before" else run(*args, "--verbose")
    assert res.exit_code in (0, 1), res.output
    assert "no such option" not in res.output


def test_verbose_after_the_command_reaches_the_command(school, monkeypatch):
    import parasched.scheduler.check as chk

    seen: list[bool] = []
    real = chk.check_schedule

    def spy(problem, schedule, names=False, **kw):
        seen.append(names)
        return real(problem, schedule, names=names, **kw)

    monkeypatch.setattr(chk, "check_schedule", spy)
    inp, sched = school
    run("check", inp, sched)
    run("check", inp, sched, "--verbose")
    assert seen == [False, True]


# -- outputs are never overwritten silently --------------------------------------------------------
@pytest.mark.parametrize("command", ["solve", "resolve", "validate"])
def test_existing_output_is_refused_without_force(school, tmp_path, command):
    inp, sched = school
    existing = tmp_path / "already.xlsx"
    existing.write_bytes(b"keep me")
    args = {
        "solve": ["solve", inp, "-o", existing],
        "resolve": ["resolve", inp, "--baseline", sched, "--absent", "P1", "--day", "Mon", "-o", existing],
        "validate": ["validate", inp, "--report", existing],
    }[command]
    res = run(*args)
    assert res.exit_code == 2
    assert f"Error: {existing} already exists; choose another name, or add --force to overwrite it" in res.output
    assert existing.read_bytes() == b"keep me"


def test_validate_report_with_force_overwrites(school, tmp_path):
    inp, _ = school
    report = tmp_path / "capacity.xlsx"
    report.write_bytes(b"old")
    res = run("validate", inp, "--report", report, "--force")
    assert res.exit_code == 0, res.output
    assert report.read_bytes()[:2] == b"PK"  # a real workbook now


# -- progress ------------------------------------------------------------------------------------
STEPS = [
    Progress("greedy", 0.4, 20.0, (100.0, 97.5, 80.0), 310),
    Progress("Mon 1/4", 2.0, 20.0, (100.0, 98.0, 82.0), 300),
    Progress("Mon 1/4", 2.5, 20.0, (100.0, 98.0, 82.0), 300),  # nothing new: no new line in a file
    Progress("Tue 2/4", 6.1, 20.0, (99.0, 96.0, 85.0), 296),  # a dip while a day is re-planned
    Progress("week 3/5", 18.7, 20.0, (100.0, 98.8, 89.7), None),
]


def test_progress_line_says_stage_time_coverage_and_handoffs():
    assert progress_line(STEPS[0]) == "greedy | 0 s of 20 s | covered P1 100.0%, P2 97.5%, P3 80.0% | 310 handoffs"
    assert progress_line(STEPS[-1]) == "week 3/5 | 19 s of 20 s | covered P1 100.0%, P2 98.8%, P3 89.7%"


def test_progress_into_a_file_is_plain_lines_and_coverage_never_falls():
    out = io.StringIO()
    with ProgressDisplay(out) as show:
        for p in STEPS:
            show(p)
    text = out.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert text.splitlines() == [
        "greedy | 0 s of 20 s | covered P1 100.0%, P2 97.5%, P3 80.0% | 310 handoffs",
        "Mon 1/4 | 2 s of 20 s | covered P1 100.0%, P2 98.0%, P3 82.0% | 300 handoffs",
        "Tue 2/4 | 6 s of 20 s | covered P1 100.0%, P2 98.0%, P3 85.0% | 296 handoffs",
        "week 3/5 | 19 s of 20 s | covered P1 100.0%, P2 98.8%, P3 89.7%",
    ]
    assert "objective" not in text and "bound" not in text


def test_progress_on_a_terminal_is_one_live_line():
    out = io.StringIO()
    with ProgressDisplay(out, live=True) as show:
        for p in STEPS:
            show(p)
    text = out.getvalue()
    assert "week 3/5 | 19 s of 20 s | covered P1 100.0%, P2 98.8%, P3 89.7%" in text
    assert show.lines_shown == 1 and text.count("\n") <= 2  # rewritten in place, not a line per update


@pytest.mark.slow
def test_resolve_writes_json_and_anonymizes(school, tmp_path):
    inp, sched = school
    out, data_file = tmp_path / "monday.xlsx", tmp_path / "monday.json"
    res = run(
        "resolve",
        inp,
        "--baseline",
        sched,
        "--absent",
        "P2",
        "--day",
        "Mon",
        "-o",
        out,
        "--anonymize",
        "--json",
        data_file,
        "--time-limit",
        "5",
        "--workers",
        "1",
    )
    assert res.exit_code == 0, res.output
    data = json.loads(data_file.read_text())
    assert data["anonymized"] is True and all("name" not in s for s in data["students"])
    wb = openpyxl.load_workbook(out)
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    assert "Ana Lopez" not in text and "Bo Chen" not in text
    assert "Changes" in wb.sheetnames
