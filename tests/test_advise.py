"""parasched advise: staffing changes ranked by the unmet minutes a re-solve shows they cover.

Tiny schools where the right advice is known by hand; every solve is one worker, a fixed seed
and a couple of seconds, so the rankings below are exact.
"""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.io.advice_sheet import ADVICE_COLUMNS, build_advice_workbook
from parasched.io.input_writer import write_problem
from parasched.scheduler.check import check_schedule
from parasched.scheduler.model import Absence, Duty, DutyKind, Para, Problem, Settings, Student, StudentBlock, Support
from parasched.scheduler.staffing import ChangeKind, StaffingChange, staffing_changes
from parasched.solver.options import SolverOptions
from parasched.workflows import advise as advise_module
from parasched.workflows.advise import AdviceOptions, advise, apply_changes, report_lines
from parasched.workflows.solve import solve
from tests.fixtures import t

LIMIT = 2.0
SETTINGS = Settings(school_name="Tiny")


def options(**kw: object) -> AdviceOptions:
    return AdviceOptions(**{"time_limit": LIMIT, "seed": 0, "jobs": 1, **kw})  # type: ignore[arg-type]


def baseline_of(problem: Problem):
    return solve(problem, SolverOptions(time_limit=LIMIT, workers=1, seed=0)).schedule


def medical_at_lunch(extra_paras: tuple[Para, ...] = (), medical_students: int = 2) -> Problem:
    """P01 is the only medical para; S01.. each need a medical 1:1 at lunch, 11:00-13:00.
    P02 goes home at 10:30; P03 is free all day but not trained."""
    paras = (
        Para("P01", "Ana Lopez", t("08:00"), t("15:00"), skills=frozenset({"medical"})),
        Para("P02", "Ben Okafor", t("08:00"), t("10:30")),
        Para("P03", "Cy Ray", t("08:00"), t("15:00")),
        *extra_paras,
    )
    ids = [f"S{i:02d}" for i in range(1, medical_students + 1)]
    students = tuple(
        Student(sid, f"Kid {sid}", support=Support.NONE, skills_required=frozenset({"medical"}), priority=1)
        for sid in ids
    )
    blocks = tuple(StudentBlock(sid, t("11:00"), t("13:00"), support=Support.ONE_TO_ONE) for sid in ids)
    return Problem(SETTINGS, paras, students, blocks)


def labels(evals) -> list[str]:
    return [e.label for e in evals]


def test_one_missing_medical_para_at_lunch_train_p03_first_then_hire():
    problem = medical_at_lunch()
    base = baseline_of(problem)
    advice = advise(problem, base, options())
    assert advice.reference.after == (600, 0, 0)
    assert labels(advice.recommendations) == [
        "Train P03 (Cy Ray) in medical",
        "Hire a para with medical, 11:00-13:30, Mon-Fri",
    ]
    train, hire = advice.recommendations
    assert train.gained == hire.gained == (600, 0, 0)
    assert (train.cost_minutes, hire.cost_minutes) == (0, 750)  # 2.5 h a day (lunch after the need), 5 days
    assert [(c.ref, c.days, c.spans, c.minutes) for c in train.covered] == [
        ("S02", ("Mon", "Tue", "Wed", "Thu", "Fri"), ("11:00-13:00",), 600)
    ]
    # the Unmet reason it removes, said once for the five days (its wording is explain.py's)
    (reason,) = train.reasons_removed
    assert reason.startswith("S02: needs medical") and reason.endswith("(the same on Tue-Fri)")
    assert advice.not_recommended == ()
    text = "\n".join(report_lines(problem, advice))
    assert (
        "If we train P03 (Cy Ray) in medical, we would cover 600 more minutes a week of critical (priority 1) "
        "needs: S02 on Mon-Fri 11:00-13:00 (600 min, priority 1). It adds no para hours (only the training)."
    ) in text
    assert "Kid S02" not in text  # student names only with --verbose


def test_the_figures_equal_a_resolve_with_the_change_applied():
    problem = medical_at_lunch()
    base = baseline_of(problem)
    advice = advise(problem, base, options())
    for e in advice.recommendations:
        changed = apply_changes(problem, e.changes)
        report = check_schedule(changed, e.schedule)
        assert report.ok, report.violations
        assert (report.kpis.unmet_p1, report.kpis.unmet_p2, report.kpis.unmet_p3) == e.after
        again = solve(changed, SolverOptions(time_limit=LIMIT, workers=1, seed=0), hint=base).schedule
        k = check_schedule(changed, again).kpis
        assert (k.unmet_p1, k.unmet_p2, k.unmet_p3) == e.after == (0, 0, 0)
        # and without the change the same schedule is not possible: the gain is the change's
        assert not check_schedule(problem, e.schedule).ok


def test_a_change_that_covers_nothing_is_never_recommended():
    problem = medical_at_lunch()
    base = baseline_of(problem)
    asl = StaffingChange(ChangeKind.TRAIN, para_id="P01", skills=frozenset({"asl"}))
    medical = StaffingChange(ChangeKind.TRAIN, para_id="P03", skills=frozenset({"medical"}))
    advice = advise(problem, base, options(), changes=[asl, medical])
    assert labels(advice.recommendations) == ["Train P03 (Cy Ray) in medical"]
    assert labels(advice.not_recommended) == ["Train P01 (Ana Lopez) in asl"]
    assert all(e.gained > (0, 0, 0) for e in advice.recommendations)
    (useless,) = advice.not_recommended
    assert not useless.useful and useless.gained == (0, 0, 0)
    wb = build_advice_workbook(problem, advice)
    verdicts = {row[0]: row[6] for row in wb["Candidates"].iter_rows(min_row=2, values_only=True)}
    # its re-solve is a schedule the school can run today: the change is not what covers anything
    assert useless.not_needed
    assert (
        verdicts["Train P01 (Ana Lopez) in asl"] == "not recommended: covers nothing the school cannot cover without it"
    )
    assert verdicts["Train P03 (Cy Ray) in medical"] == "recommended"


def test_nothing_uncovered_no_candidates():
    problem = medical_at_lunch(medical_students=1)
    base = baseline_of(problem)
    assert staffing_changes(problem, base) == []
    advice = advise(problem, base, options())
    assert advice.recommendations == () and advice.not_recommended == ()
    assert "Every need is covered: no staffing change is needed." in report_lines(problem, advice)


def test_extending_hours_ranks_before_an_equal_hire():
    # S01 needs a 1:1 until 15:00; the only para goes home at 14:00
    problem = Problem(
        SETTINGS,
        (Para("P01", "Ana Lopez", t("08:00"), t("14:00")),),
        (Student("S01", "Kid", support=Support.NONE),),
        (StudentBlock("S01", t("13:00"), t("15:00"), support=Support.ONE_TO_ONE),),
    )
    advice = advise(problem, baseline_of(problem), options())
    assert advice.reference.after == (0, 300, 0)
    assert labels(advice.recommendations) == [
        "Extend P01 (Ana Lopez)'s hours from 08:00-14:00 to 08:00-15:00 (Mon-Fri)",
        "Hire a para, 14:00-15:00, Mon-Fri",
    ]
    assert [(e.gained, e.cost_minutes) for e in advice.recommendations] == [((0, 300, 0), 300), ((0, 300, 0), 300)]


def test_a_substitute_on_the_day_of_an_absence_before_a_hire_for_the_week():
    problem = Problem(
        SETTINGS,
        (Para("P01", "Ana Lopez", t("08:00"), t("15:00")),),
        (Student("S01", "Kid", support=Support.NONE, priority=1),),
        (StudentBlock("S01", t("09:00"), t("11:00"), support=Support.ONE_TO_ONE),),
        absences=(Absence("P01", ("Tue",)),),
    )
    advice = advise(problem, baseline_of(problem), options())
    assert advice.reference.after == (120, 0, 0)
    # 09:00-11:00 overlaps the lunch window by 30 min, so a lunch is owed: it goes right after the need
    assert labels(advice.recommendations) == [
        "Bring in a substitute on Tue, 09:00-11:30",
        "Hire a para, 09:00-11:30, Mon-Fri",
    ]
    assert [(e.gained, e.cost_minutes) for e in advice.recommendations] == [((120, 0, 0), 150), ((120, 0, 0), 750)]
    sub = advice.recommendations[0]
    assert sub.changes[0].kind == ChangeKind.SUBSTITUTE
    assert apply_changes(problem, sub.changes).para("SUB1").is_substitute


def test_moving_a_duty_that_holds_the_only_para_away():
    # P01 is on a priority-1 recess duty 10:00-10:30 when S01 (priority 2) needs them
    problem = Problem(
        SETTINGS,
        (Para("P01", "Ana Lopez", t("08:00"), t("15:00")),),
        (Student("S01", "Kid", support=Support.NONE),),
        (StudentBlock("S01", t("10:00"), t("11:00"), support=Support.ONE_TO_ONE),),
        duties=(Duty("D1", "Recess", DutyKind.RECESS, t("10:00"), t("10:30"), priority=1),),
    )
    advice = advise(problem, baseline_of(problem), options())
    assert advice.reference.after == (0, 150, 0)
    assert labels(advice.recommendations) == [
        "Move duty D1 (Recess) on Mon-Fri from 10:00-10:30 to 09:30-10:00",
        "Move duty D1 (Recess) on Mon-Fri from 10:00-10:30 to 11:00-11:30",
        "Hire a para, 10:00-10:30, Mon-Fri",
    ]
    assert [e.cost_minutes for e in advice.recommendations] == [0, 0, 150]


@pytest.mark.slow
def test_budget_two_trainings_cover_what_one_hire_cannot():
    # three medical students at lunch, one medical para: two trainings cover both gaps, a hire one
    problem = medical_at_lunch(extra_paras=(Para("P04", "Dee Park", t("08:00"), t("15:00")),), medical_students=3)
    advice = advise(problem, baseline_of(problem), options(budget=2))
    assert advice.reference.after == (1200, 0, 0)
    assert labels(advice.recommendations)[:2] == ["Train P03 (Cy Ray) in medical", "Train P04 (Dee Park) in medical"]
    assert all(e.gained == (600, 0, 0) for e in advice.recommendations)
    combo = advice.combination
    assert combo is not None
    assert combo.label == "Train P03 (Cy Ray) in medical + Train P04 (Dee Park) in medical"
    assert combo.gained == (1200, 0, 0) and combo.cost_minutes == 0
    assert check_schedule(apply_changes(problem, combo.changes), combo.schedule).ok
    wb = build_advice_workbook(problem, advice)
    rows = list(wb["Advice"].iter_rows(values_only=True))
    combo_row = next(r for r in rows if r and r[0] == "combo")
    assert combo_row[1] == combo.label and combo_row[4] == 1200


def test_candidates_come_from_the_data():
    problem = medical_at_lunch()
    base = baseline_of(problem)
    found = {c.key for c in staffing_changes(problem, base)}
    # P02 is gone by 11:00 and P01 already has medical: neither is offered training
    assert found == {"train:P03:medical", "hire:NEW1:medical:11:00-13:30"}
    female = dataclasses.replace(
        problem, students=tuple(dataclasses.replace(s, gender="f", gender_match=True) for s in problem.students)
    )
    hires = [c for c in staffing_changes(female, baseline_of(female)) if c.kind == ChangeKind.HIRE]
    assert [c.describe(female) for c in hires] == ["Hire a female para with medical, 11:00-13:30, Mon-Fri"]


@pytest.mark.slow
def test_cli_advise_in_parallel_writes_the_sheet(tmp_path):
    problem = medical_at_lunch()
    src = tmp_path / "tiny.xlsx"
    write_problem(problem, src)
    out = tmp_path / "advice.xlsx"
    r = CliRunner().invoke(
        main,
        ["advise", str(src), "-o", str(out), "--time-limit", "3", "--eval-limit", "2", "--jobs", "2", "--seed", "0"],
    )
    assert r.exit_code == 0, r.output
    assert "1. Train P03 (Cy Ray) in medical" in r.output
    assert "2. Hire a para with medical, 11:00-13:30, Mon-Fri" in r.output
    ws = openpyxl.load_workbook(out)["Advice"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(ADVICE_COLUMNS)
    first = dict(zip(ADVICE_COLUMNS, rows[header + 1], strict=True))
    assert first["rank"] == "1" and first["change"] == "Train P03 (Cy Ray) in medical"
    assert (first["p1_minutes_gained"], first["para_hours_per_week"], first["p1_left"]) == (600, 0, 0)
    assert first["sentence"].startswith("If we train P03 (Cy Ray) in medical, we would cover 600 more minutes")


def test_cli_bad_budget_is_a_located_message(tmp_path):
    src = tmp_path / "tiny.xlsx"
    write_problem(medical_at_lunch(), src)
    r = CliRunner().invoke(main, ["advise", str(src), "--budget", "0"])
    assert r.exit_code == 2
    assert "--budget" in r.output and "expected 1 or more" in r.output
    assert "Traceback" not in r.output


@pytest.mark.slow
def test_budget_greedy_when_there_are_too_many_combinations(monkeypatch):
    monkeypatch.setattr(advise_module, "MAX_EXACT_COMBINATIONS", 0)
    problem = medical_at_lunch(extra_paras=(Para("P04", "Dee Park", t("08:00"), t("15:00")),), medical_students=3)
    advice = advise(problem, baseline_of(problem), options(budget=3))
    assert advice.combination_method.startswith("greedy")
    combo = advice.combination
    assert combo is not None and combo.gained == (1200, 0, 0) and combo.cost_minutes == 0
    # the third change adds nothing once both gaps are covered, so the search stops at two
    assert combo.label == "Train P03 (Cy Ray) in medical + Train P04 (Dee Park) in medical"


@pytest.mark.slow
def test_cli_advise_on_a_given_baseline(tmp_path):
    from parasched.io.writer import write_schedule

    problem = medical_at_lunch()
    src, sched = tmp_path / "tiny.xlsx", tmp_path / "week.xlsx"
    write_problem(problem, src)
    write_schedule(sched, problem, solve(problem, SolverOptions(time_limit=LIMIT, workers=1, seed=0)))
    r = CliRunner().invoke(main, ["advise", str(src), "--baseline", str(sched), "--eval-limit", "2", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert "Solving the week first" not in r.output
    assert "Uncovered now: priority 1 600 min, priority 2 0 min, priority 3 0 min" in r.output
    assert "1. Train P03 (Cy Ray) in medical" in r.output
    refused = CliRunner().invoke(main, ["advise", str(src), "--baseline", str(sched), "-o", str(sched)])
    assert refused.exit_code == 2 and "Traceback" not in refused.output


def test_an_impossible_change_is_reported_not_a_traceback():
    problem = medical_at_lunch()
    late = StaffingChange(ChangeKind.EXTEND, para_id="P03", start=t("08:00"), end=25 * 60)
    advice = advise(problem, baseline_of(problem), options(), changes=[late])
    (e,) = advice.not_recommended
    assert e.error == "times must lie within one day" and not e.useful
    assert "not evaluated: times must lie within one day" in "\n".join(report_lines(problem, advice))
