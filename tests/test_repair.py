"""The repair search: day pieces, the day checker, and the search itself (solver/repair.py)."""

from __future__ import annotations

import dataclasses
import time

import pytest
from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.check import check_schedule, day_violations
from parasched.scheduler.coverage import coverage
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Settings, Student, StudentBlock, Support
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.scheduler.subschool import day_piece, splice
from parasched.scheduler.weekgrid import WeekGrid
from parasched.solver.options import SolverOptions
from parasched.solver.repair import RepairStats, level_key, repair
from parasched.workflows.solve import solve
from samples.generator import generate_school


def lunch_school(duty: bool = False) -> Problem:
    """Two paras, two 1:1 priority-1 students, one day; each student is at lunch (flex) at a
    different time, so each para must take lunch exactly while their own student eats."""
    settings = Settings(
        days=("Mon",), school_start=t("08:00"), school_end=t("14:00"), lunch_window=(t("11:00"), t("13:00"))
    )
    paras = (Para("P1", "Ann", t("08:00"), t("14:00")), Para("P2", "Bob", t("08:00"), t("14:00")))
    students = (
        Student("S1", "Sam", support=Support.ONE_TO_ONE, priority=1),
        Student("S2", "Sue", support=Support.ONE_TO_ONE, priority=1),
    )
    blocks = (
        StudentBlock("S1", t("08:00"), t("12:00"), activity="Class"),
        StudentBlock("S1", t("12:00"), t("12:30"), activity="Lunch", support=Support.FLEX),
        StudentBlock("S1", t("12:30"), t("14:00"), activity="Class"),
        StudentBlock("S2", t("08:00"), t("11:00"), activity="Class"),
        StudentBlock("S2", t("11:00"), t("11:30"), activity="Lunch", support=Support.FLEX),
        StudentBlock("S2", t("11:30"), t("14:00"), activity="Class"),
    )
    arrival = Duty("D1", "Arrival", DutyKind.ARRIVAL, t("08:00"), t("08:30"), staff_needed=1, priority=3)
    duties = (arrival,) if duty else ()
    return Problem(settings, paras, students, blocks, duties=duties)


def row(pid: str, start: str, end: str, kind: Kind = Kind.SUPPORT, *students: str, ref: str = "") -> Assignment:
    return Assignment(pid, "Mon", t(start), t(end), kind, ref, tuple(students))


def bad_lunches() -> Schedule:
    """P1 eats 11:00-11:30 while S1 is in class: S1 is short 30 minutes (priority 1)."""
    return Schedule(
        (
            row("P1", "08:00", "11:00", Kind.SUPPORT, "S1"),
            row("P1", "11:00", "11:30", Kind.LUNCH),
            row("P1", "11:30", "12:00", Kind.SUPPORT, "S1"),
            row("P1", "12:30", "14:00", Kind.SUPPORT, "S1"),
            row("P2", "08:00", "11:00", Kind.SUPPORT, "S2"),
            row("P2", "11:00", "11:30", Kind.LUNCH),
            row("P2", "11:30", "14:00", Kind.SUPPORT, "S2"),
        )
    )


def unmet_p1(problem: Problem, schedule: Schedule) -> int:
    return compute_kpis(problem, schedule).unmet_p1


# -- the day checker ----------------------------------------------------------------------------


def test_day_violations_judges_only_the_days_asked() -> None:
    p = generate_school(6, seed=3)
    s = greedy_schedule(p)
    assert check_schedule(p, s).ok
    no_tue_lunch = Schedule(
        tuple(a for a in s.assignments if not (a.day == "Tue" and a.kind == Kind.LUNCH)), s.sessions
    )
    assert "lunch_missing" in check_schedule(p, no_tue_lunch).rules()
    assert day_violations(p, no_tue_lunch, ("Mon",)) == []
    assert {v.rule for v in day_violations(p, no_tue_lunch, ("Tue",))} == {"lunch_missing"}


# -- day pieces -----------------------------------------------------------------------------------


def test_piece_turns_fixed_rows_into_absences_and_keeps_the_rest_free() -> None:
    p = lunch_school(duty=True)
    s = Schedule(
        (
            row("P1", "08:00", "08:30", Kind.DUTY, ref="D1"),
            *bad_lunches().assignments[1:],
            row("P1", "08:30", "11:00", Kind.SUPPORT, "S1"),
        )
    )
    piece = day_piece(p, s, "Mon", ["P1"], ["S1"])
    assert piece is not None
    # P1's duty stays: P1 is away then; P2's rows with S2 stay: S2 is not in the piece
    away = {(a.person_id, a.start, a.end) for a in piece.problem.absences}
    assert away == {("P1", t("08:00"), t("08:30"))}
    assert {a.kind for a in piece.free} == {Kind.SUPPORT, Kind.LUNCH}
    assert all(a.para_id == "P1" for a in piece.free)
    assert [x.para_id for x in piece.problem.paras] == ["P1"]
    assert [x.student_id for x in piece.problem.students] == ["S1"]
    assert piece.problem.duties == () and piece.problem.settings.days == ("Mon",)


def test_piece_student_covered_by_a_para_outside_is_away_then() -> None:
    p = lunch_school()
    piece = day_piece(p, bad_lunches(), "Mon", ["P2"], ["S1", "S2"])
    assert piece is not None
    away = {(a.person_id, a.start, a.end) for a in piece.problem.absences}
    assert ("S1", t("08:00"), t("11:00")) in away and ("S1", t("12:30"), t("14:00")) in away
    assert not any(a.person_id == "S2" for a in piece.problem.absences)  # only P2 (in the piece) serves S2


def test_piece_leaves_out_a_para_whose_lunch_would_change() -> None:
    """A fixed row filling the lunch window would make the piece owe no lunch: that para stays out."""
    p = lunch_school(duty=True)
    long_duty = Duty("D2", "Lunchroom", DutyKind.LUNCH, t("11:00"), t("13:00"), priority=3)
    p = Problem(p.settings, p.paras, p.students, p.student_blocks, duties=(*p.duties, long_duty))
    s = Schedule((row("P1", "11:00", "13:00", Kind.DUTY, ref="D2"),))
    assert day_piece(p, s, "Mon", ["P1"], ["S1"]) is None
    piece = day_piece(p, s, "Mon", ["P1", "P2"], ["S1"])
    assert piece is not None and piece.paras == frozenset({"P2"})


def test_splice_replaces_only_the_free_rows() -> None:
    p = lunch_school()
    s = bad_lunches()
    piece = day_piece(p, s, "Mon", ["P1"], ["S1"])
    assert piece is not None
    new = splice(
        s,
        piece,
        [
            row("P1", "08:00", "12:00", Kind.SUPPORT, "S1"),
            row("P1", "12:00", "12:30", Kind.LUNCH),
            row("P1", "12:30", "14:00", Kind.SUPPORT, "S1"),
        ],
    )
    assert [a for a in new.assignments if a.para_id == "P2"] == [a for a in s.assignments if a.para_id == "P2"]
    assert unmet_p1(p, new) == 0


# -- the search -------------------------------------------------------------------------------------


def test_repair_moves_a_lunch_to_cover_a_priority_one_student() -> None:
    p = lunch_school()
    s = bad_lunches()
    assert unmet_p1(p, s) == 30
    stats = RepairStats()
    out = repair(p, s, SolverOptions(workers=1), time.monotonic() + 20, stats=stats)
    assert unmet_p1(p, out) == 0
    # the para with S1 (either: they are alike) eats while S1 eats, the only way with no handoff
    with_s1 = {a.para_id for a in out.assignments if a.kind == Kind.SUPPORT and "S1" in a.students}
    assert len(with_s1) == 1
    lunch = next(a for a in out.assignments if a.para_id in with_s1 and a.kind == Kind.LUNCH)
    assert (lunch.start, lunch.end) == (t("12:00"), t("12:30"))
    assert stats.improved >= 1
    assert_passes_check(p, out)


def test_repair_keeps_a_schedule_with_nothing_short() -> None:
    p = lunch_school()
    good = good_lunches()
    stats = RepairStats()
    assert repair(p, good, SolverOptions(workers=1), time.monotonic() + 20, stats=stats) == good
    assert stats.pieces == 0


def test_repair_leaves_days_not_planned_alone() -> None:
    p = generate_school(10, seed=4)
    s = greedy_schedule(p)
    out = repair(p, s, SolverOptions(workers=1), time.monotonic() + 10, days=("Tue",))
    assert [a for a in out.assignments if a.day != "Tue"] == [a for a in s.assignments if a.day != "Tue"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_repair_never_worsens_and_never_breaks_a_rule(seed: int) -> None:
    p = generate_school(10, seed=seed)
    s = greedy_schedule(p)
    out = repair(p, s, SolverOptions(workers=1, seed=seed), time.monotonic() + 6)
    assert level_key(p, out) <= level_key(p, s)
    assert_passes_check(p, out)


def test_level_key_counts_changes_against_a_baseline() -> None:
    p = lunch_school()
    s = bad_lunches()
    key = level_key(p, s, baseline=s)
    # 30 priority-1 minutes (100 each, objective.COVERAGE_VALUE), one handoff of S1 (P1 then nobody:
    # none) and no changes
    assert key[:2] == (30 * 100, 0)
    moved = Schedule(tuple(a for a in s.assignments if a.para_id != "P2"))
    assert level_key(p, moved, baseline=s)[1] > 0


def test_solve_of_a_large_school_runs_the_repair_and_passes_the_checker() -> None:
    """The limited (large-school) path: repair first, then day models; the answer passes check."""
    p = lunch_school()
    res = solve(p, SolverOptions(time_limit=10, workers=1, max_paras_per_student=1), hint=bad_lunches())
    assert dict(res.tiers)["unmet_p1"] == 0
    assert_passes_check(p, res.schedule)
    assert [n for n in coverage(p, res.schedule, WeekGrid.of(p)) if n.uncovered and n.priority == 1] == []


def test_max_unmet_caps_hold_in_a_solve() -> None:
    """Caps on uncovered minutes are hard: the answer covers at least that much."""
    p = lunch_school()
    res = solve(
        p, SolverOptions(time_limit=10, workers=1, max_unmet=(0, 0, 0), use_greedy_hint=False), hint=bad_lunches()
    )
    assert dict(res.tiers)["unmet_p1"] == 0
    assert_passes_check(p, res.schedule)


def test_one_worker_large_school_path_is_reproducible() -> None:
    """With workers = 1 the repair search counts pieces instead of watching the clock: the same
    seed gives the same schedule (the promise of SolverOptions)."""
    p = generate_school(10, seed=2)
    opts = SolverOptions(time_limit=4, workers=1, seed=3, max_paras_per_student=3)
    a = solve(p, opts)
    b = solve(p, opts)
    assert a.schedule.assignments == b.schedule.assignments
    assert_passes_check(p, a.schedule)


def test_repair_on_the_complete_school_keeps_every_rule() -> None:
    """Every feature of the contract (therapy, duties, substitutes, breaks, rotation, absences):
    pieces cut around them, and the search still never breaks a rule or makes things worse."""
    from fixtures import complete_problem

    p = complete_problem()
    s = greedy_schedule(p)
    stats = RepairStats()
    out = repair(p, s, SolverOptions(workers=1), time.monotonic() + 30, stats=stats, max_pieces=40)
    assert stats.pieces > 0
    assert level_key(p, out) <= level_key(p, s)
    assert_passes_check(p, out)


def good_lunches() -> Schedule:
    return Schedule(
        (
            row("P1", "08:00", "12:00", Kind.SUPPORT, "S1"),
            row("P1", "12:00", "12:30", Kind.LUNCH),
            row("P1", "12:30", "14:00", Kind.SUPPORT, "S1"),
            row("P2", "08:00", "11:00", Kind.SUPPORT, "S2"),
            row("P2", "11:00", "11:30", Kind.LUNCH),
            row("P2", "11:30", "14:00", Kind.SUPPORT, "S2"),
        )
    )


def test_resolve_tidy_up_swaps_paras_back_to_the_baseline() -> None:
    """Same coverage, every minute changed (the paras swapped students): with a baseline the
    search tidies up piece by piece and returns to the baseline (0 changed minutes)."""
    p = lunch_school()
    swapped = Schedule(
        tuple(dataclasses.replace(a, para_id={"P1": "P2", "P2": "P1"}[a.para_id]) for a in good_lunches().assignments)
    )
    assert_passes_check(p, swapped)
    before = level_key(p, swapped, baseline=good_lunches())
    assert before[1] > 0  # minutes changed
    out = repair(p, swapped, SolverOptions(workers=1), time.monotonic() + 20, baseline=good_lunches())
    assert level_key(p, out, baseline=good_lunches())[:2] == level_key(p, good_lunches(), good_lunches())[:2]
    assert sorted(out.assignments) == sorted(good_lunches().assignments)


def test_without_a_baseline_there_is_no_tidy_up() -> None:
    p = lunch_school()
    swapped = Schedule(
        tuple(dataclasses.replace(a, para_id={"P1": "P2", "P2": "P1"}[a.para_id]) for a in good_lunches().assignments)
    )
    stats = RepairStats()
    assert repair(p, swapped, SolverOptions(workers=1), time.monotonic() + 20, stats=stats) == swapped
    assert stats.pieces == 0


def test_a_piece_that_fails_is_skipped_and_the_schedule_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import parasched.solver.repair as rep

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("cannot cut this piece")

    monkeypatch.setattr(rep, "day_piece", broken)
    p = lunch_school()
    stats = RepairStats()
    assert repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 5, stats=stats) == bad_lunches()
    assert stats.failed > 0 and stats.improved == 0


def test_a_need_no_para_could_cover_gets_no_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    """S3 needs a signer and nobody signs: its whole day is short (the longest priority-1 need),
    yet no piece is cut around it; S1's lunch-time shortfall still gets its piece and is covered."""
    import parasched.solver.repair as rep

    base = lunch_school()
    p = dataclasses.replace(
        base, students=(*base.students, Student("S3", "Tia", priority=1, skills_required=frozenset({"asl"})))
    )
    short_students: list[str] = []
    real = rep.day_piece

    def spy(
        problem: Problem, schedule: Schedule, day: str, paras: list[str], students: list[str], *a: object
    ) -> object:
        short_students.append(students[0])
        return real(problem, schedule, day, paras, students, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(rep, "day_piece", spy)
    out = repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 20)
    assert short_students and "S3" not in short_students
    assert short_students[0] == "S1"
    assert compute_kpis(p, out).unmet_p1 == 6 * 60  # S3's day, nothing else
    assert_passes_check(p, out)


def passed_around() -> Schedule:
    """Every minute of good_lunches() covered, but the paras swap students for an hour at 10:00:
    3 handoffs (S1 at 10:00 and 11:00, S2 at 10:00; S2 eats at 11:00), 2 extra paras."""
    rows = [
        row("P1", "08:00", "10:00", Kind.SUPPORT, "S1"),
        row("P2", "10:00", "11:00", Kind.SUPPORT, "S1"),
        row("P1", "11:00", "12:00", Kind.SUPPORT, "S1"),
        row("P1", "12:00", "12:30", Kind.LUNCH),
        row("P1", "12:30", "14:00", Kind.SUPPORT, "S1"),
        row("P2", "08:00", "10:00", Kind.SUPPORT, "S2"),
        row("P1", "10:00", "11:00", Kind.SUPPORT, "S2"),
        row("P2", "11:00", "11:30", Kind.LUNCH),
        row("P2", "11:30", "14:00", Kind.SUPPORT, "S2"),
    ]
    return Schedule(tuple(rows))


@pytest.mark.parametrize("workers", [1, 2])
def test_continuity_pieces_undo_a_pointless_swap_and_keep_coverage(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 2 workers a continuity piece (it starts from the schedule and may only improve)
    searches neighbourhoods of it on both workers; with 1 it stays reproducible."""
    from parasched.solver import model as model_module

    p = lunch_school()
    s = passed_around()
    assert_passes_check(p, s)
    before = compute_kpis(p, s)
    assert (before.handoffs, before.extra_paras) == (3, 2)
    lns: list[bool] = []
    real_run = model_module._run

    def spy(m, model, budget, t0, label, hinted=False):  # type: ignore[no-untyped-def]
        out = real_run(m, model, budget, t0, label, hinted)
        lns.append(out[1].parameters.use_lns_only)
        return out

    monkeypatch.setattr(model_module, "_run", spy)
    stats = RepairStats()
    out = repair(p, s, SolverOptions(workers=workers), time.monotonic() + 20, stats=stats, cover=False, continuity=True)
    assert lns and all(lns) == (workers == 2)
    assert_passes_check(p, out)
    after = compute_kpis(p, out)
    assert (after.unmet_p1, after.unmet_p2, after.unmet_p3) == (before.unmet_p1, before.unmet_p2, before.unmet_p3)
    assert (after.handoffs, after.extra_paras) == (0, 0)
    assert stats.improved >= 1


def test_a_step_is_judged_by_what_the_school_gains() -> None:
    """One priority-1 minute is worth ten priority-2 minutes; a handoff costs 30 priority-3 minutes."""
    from parasched.solver.objective import judge

    base = {"unmet_p1": 100, "unmet_p2": 100, "unmet_p3": 100, "handoffs": 10}
    better_p1 = {**base, "unmet_p1": 95, "unmet_p2": 149}  # 5 priority-1 minutes for 49 priority-2 minutes
    worse_p1 = {**base, "unmet_p1": 95, "unmet_p2": 151}  # ... for 51: not worth it
    passed = {**base, "unmet_p3": 71, "handoffs": 11}  # 29 priority-3 minutes for a handoff: not worth it
    assert judge(better_p1, False) < judge(base, False) < judge(worse_p1, False)
    assert judge(passed, False) > judge(base, False)
    # in a resolve, changes come before continuity
    assert judge({**base, "changed_minutes": 0, "handoffs": 12}, True) < judge({**base, "changed_minutes": 1}, True)


def test_after_a_stage_the_minutes_it_let_go_are_filled_in_from_free_time() -> None:
    """The solver's refill (model._filled): a solution leaving both students alone while their
    paras are free comes back with them covered, and is still a solution of the model."""
    from parasched.solver.hint import hint_values
    from parasched.solver.model import _filled, build, complete_hint

    p = lunch_school()
    lunches_only = Schedule(tuple(a for a in good_lunches().assignments if a.kind == Kind.LUNCH))
    m = build(p, SolverOptions(workers=1), hint=good_lunches())
    values = complete_hint(m, hint_values(m, lunches_only), 2)
    assert values is not None
    unmet = m.terms["unmet_p1"][0]
    assert values[unmet.Index()] > 0
    filled = _filled(m, values)
    assert filled[unmet.Index()] < values[unmet.Index()]
    assert complete_hint(m, {i: v for i, v in enumerate(filled)}, 2) is not None


def test_a_piece_counts_the_week_paras_of_the_other_days() -> None:
    """A one-day piece where P1 supports S1: one para that day. P1 is S1's para all week: no new
    face (0). Only P3 saw S1 on the other days: P1 is one more para in S1's week (1)."""
    settings = Settings(days=("Mon",), school_start=t("09:00"), school_end=t("10:00"), lunch_minutes=0)
    p = Problem(
        settings,
        (Para("P1", "A", t("09:00"), t("10:00")),),
        (Student("S1", "Kid", homeroom="Rm1"),),
        student_blocks=(StudentBlock("S1", t("09:00"), t("10:00"), location="Rm1"),),
    )
    hint = Schedule((Assignment("P1", "Mon", t("09:00"), t("10:00"), Kind.SUPPORT, students=("S1",), location="Rm1"),))
    from parasched.solver.hint import hint_values
    from parasched.solver.model import build, complete_hint

    got = {}
    for name, seen in (("alone", None), ("P1 all week", {"S1": {"P1"}}), ("P3 on other days", {"S1": {"P3"}})):
        m = build(p, SolverOptions(time_limit=2, workers=1), hint=hint, week_seen=seen)
        values = complete_hint(m, hint_values(m, hint), 1.0)
        assert values is not None
        got[name] = values[m.terms["extra_week_paras"][0].Index()]
    assert got == {"alone": 0, "P1 all week": 0, "P3 on other days": 1}


def test_the_repair_search_gives_each_piece_the_week_paras_of_the_other_days(monkeypatch) -> None:
    """The real path: every coverage piece of a solve's repair is built with each student's paras
    of the other days (and a resolve's pieces, which weigh changes, without)."""
    import parasched.solver.repair as rp

    p = generate_school(10, seed=4)
    s = greedy_schedule(p)
    built: list[tuple[str, dict[str, set[str]] | None]] = []
    real_build = rp.build

    def spy(problem, options, baseline=None, *a, **k):  # type: ignore[no-untyped-def]
        built.append((problem.settings.days[0], k.get("week_seen")))
        return real_build(problem, options, baseline, *a, **k)

    monkeypatch.setattr(rp, "build", spy)
    repair(p, s, SolverOptions(workers=1), float("inf"), days=("Tue",), max_pieces=2)
    assert built, "no piece was built"
    others = {}
    for a in s.assignments:
        if a.day != "Tue" and a.kind in (Kind.SUPPORT, Kind.THERAPY):
            for sid in a.students:
                others.setdefault(sid, set()).add(a.para_id)
    for day, seen in built:
        assert day == "Tue" and seen is not None
        assert {sid: set(v) for sid, v in seen.items() if v} == others


def test_a_solve_above_eight_paras_repairs_first_and_a_proven_week_model_or_a_resolve_does_not() -> None:
    """Point 10 of docs/solver.md: a 12-para school (every para considered, no candidate limit)
    gets pieces around its short students before the day models; an 8-para school's week model,
    which proves optimality, and a resolve's models (changes rank above continuity) do not."""
    from parasched.solver.week import solve_week

    opts = SolverOptions(time_limit=4, workers=1, seed=1)
    p = generate_school(12, seed=1, kind="hard")
    assert opts.candidate_limit(len(p.paras)) is None  # the path of small schools
    start = greedy_schedule(p)
    assert unmet_p1(p, start) > 0, "the school must leave a student short for the pieces to start from"
    raw = solve_week(p, opts, hint=start)
    assert raw.repair is not None and raw.repair.pieces > 0
    assert raw.schedule is not None
    assert_passes_check(p, raw.schedule)
    assert level_key(p, raw.schedule) <= level_key(p, start)
    resolved = solve_week(p, opts, baseline=start, hint=start)
    assert resolved.repair is None
    small = generate_school(8, seed=1, kind="hard")
    assert solve_week(small, opts, hint=greedy_schedule(small)).repair is None


def test_a_piece_counts_a_kept_duty_in_the_paras_continuous_stretch() -> None:
    """A piece sees a para's kept duty as an absence; for ``max_continuous_minutes`` it is work.
    Ann (the only para) supports Sam 08:00-08:25 and has recess 09:00-09:30; at most 60 minutes
    without a pause. Sam short 08:25-09:00: covering all of it (08:00-09:30 unbroken, 90 minutes)
    broke the rule at the seam and the piece was thrown away, leaving 25 minutes; with the duty
    counted as work the piece pauses 08:25-08:30 and covers 55."""
    settings = Settings(
        days=("Mon",), school_start=t("08:00"), school_end=t("10:00"), lunch_minutes=0, max_continuous_minutes=60
    )
    p = Problem(
        settings,
        (Para("P1", "Ann", t("08:00"), t("10:00")),),
        (Student("S1", "Sam", support=Support.ONE_TO_ONE, priority=1),),
        (StudentBlock("S1", t("08:00"), t("09:00"), activity="Class"),),
        duties=(Duty("D1", "Recess", DutyKind.RECESS, t("09:00"), t("09:30"), priority=1),),
    )
    start = Schedule(
        (row("P1", "08:00", "08:25", Kind.SUPPORT, "S1"), row("P1", "09:00", "09:30", Kind.DUTY, ref="D1"))
    )
    assert_passes_check(p, start)
    piece = day_piece(p, start, "Mon", ["P1"], ["S1"])
    assert piece is not None and piece.busy == (("P1", t("09:00"), t("09:30")),)
    stats = RepairStats()
    out = repair(p, start, SolverOptions(workers=1), float("inf"), stats=stats, max_pieces=3)
    assert_passes_check(p, out)
    assert unmet_p1(p, out) == 5
    assert stats.improved == 1
    support = sorted((a.start, a.end) for a in out.assignments if a.kind == Kind.SUPPORT)
    assert support == [(t("08:00"), t("08:25")), (t("08:30"), t("09:00"))]


def test_pieces_limited_to_priority_one_leave_a_priority_two_need_to_the_models() -> None:
    """A 9-24 para solve cuts pieces around priority-1 needs only (``priorities=1``): with Sam
    at priority 2 and short 30 minutes, no piece is tried; with priority 2 allowed, the piece
    moves the lunch and covers him (the day models weigh the rest, docs/solver.md point 10)."""
    school = lunch_school()
    p = dataclasses.replace(
        school,
        students=tuple(dataclasses.replace(s, priority=2) if s.student_id == "S1" else s for s in school.students),
    )
    s = bad_lunches()
    assert compute_kpis(p, s).unmet_p2 == 30 and unmet_p1(p, s) == 0
    only_p1 = RepairStats()
    assert repair(p, s, SolverOptions(workers=1), float("inf"), stats=only_p1, max_pieces=5, priorities=1) == s
    assert only_p1.pieces == 0
    both = RepairStats()
    out = repair(p, s, SolverOptions(workers=1), float("inf"), stats=both, max_pieces=5, priorities=2)
    assert both.improved >= 1 and compute_kpis(p, out).unmet_p2 == 0
    assert_passes_check(p, out)


def test_the_week_search_asks_a_small_school_for_priority_one_pieces_and_a_large_one_for_all(monkeypatch) -> None:
    """The real path (docs/solver.md point 10): a 9-24 para solve's repair search gets
    ``priorities=1`` (the day models weigh the rest), a school with a candidate limit every priority."""
    import parasched.solver.week as wk

    asked: list[int] = []
    real = wk.repair

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        if k.get("cover", True):
            asked.append(k["priorities"])
        return real(*a, **k)

    monkeypatch.setattr(wk, "repair", spy)
    p = generate_school(12, seed=1, kind="hard")
    wk.solve_week(p, SolverOptions(time_limit=3, workers=1, seed=1), hint=greedy_schedule(p))
    wk.solve_week(p, SolverOptions(time_limit=3, workers=1, seed=1, max_paras_per_student=3), hint=greedy_schedule(p))
    assert asked == [1, 3]


def test_a_piece_that_comes_back_as_it_was_is_not_judged_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most pieces find nothing better and return their own rows: the week is then not judged
    again (public-tight: 36 of 50 pieces, 84 ms of whole-week figures each)."""
    import parasched.solver.repair as rep

    judged: list[int] = []
    real_key = rep.level_key
    monkeypatch.setattr(rep, "_solve_piece", lambda piece, *a, **k: piece.free)
    monkeypatch.setattr(rep, "level_key", lambda *a, **k: judged.append(1) or real_key(*a, **k))
    stats = RepairStats()
    p = lunch_school()
    assert repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 5, stats=stats) == bad_lunches()
    assert stats.pieces >= 1 and stats.rejected == stats.pieces and stats.improved == 0
    assert judged == [1]  # the starting schedule only


def test_the_short_needs_are_found_again_only_when_the_schedule_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three pieces that find nothing: the week's coverage is computed once, not once a piece."""
    import parasched.solver.repair as rep

    calls: list[int] = []
    real_coverage = rep.coverage
    monkeypatch.setattr(rep, "_solve_piece", lambda *a, **k: None)
    monkeypatch.setattr(rep, "coverage", lambda *a, **k: calls.append(1) or real_coverage(*a, **k))
    p = generate_school(10, seed=4)
    s = greedy_schedule(p)
    stats = RepairStats()
    repair(p, s, SolverOptions(workers=1), time.monotonic() + 20, stats=stats, max_pieces=3)
    assert stats.pieces == 3
    assert calls == [1]


def test_a_piece_of_five_paras_or_more_is_searched_on_neighbourhoods_of_its_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both workers on neighbourhoods of the hint for a piece of 5+ paras (its LP bound never
    closes in 2 s); a smaller piece keeps the LP worker, which proves it optimal at once."""
    import parasched.solver.repair as rep

    seen: list[tuple[int, bool]] = []
    real = rep.solve_model

    def spy(m, *a, **k):  # type: ignore[no-untyped-def]
        seen.append((len(m.problem.paras), m.improve_only))
        return real(m, *a, **k)

    monkeypatch.setattr(rep, "solve_model", spy)
    p = generate_school(12, seed=1)
    out = repair(p, greedy_schedule(p), SolverOptions(workers=2, seed=0), time.monotonic() + 6, max_pieces=6)
    assert seen and any(n >= rep.PIECE_LNS_PARAS for n, _ in seen)
    assert all(lns == (n >= rep.PIECE_LNS_PARAS) for n, lns in seen)
    assert_passes_check(p, out)


def test_a_solves_coverage_piece_searches_priority_one_alone_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solve's coverage piece of a few paras (here 2: the full search proves it): its first
    stage is priority-1 minutes alone, the later coverage stages keep continuity as their
    tie-breaker. A resolve's pieces (changes count there) keep the tie-breaker on priority 1 too,
    as do pieces of 5+ paras (next test; docs/solver.md, point 15)."""
    import parasched.solver.repair as rep
    from parasched.solver.objective import stages

    seen: list[tuple[str, list[list[tuple[str, int]]]]] = []
    real = rep.solve_model

    def spy(m, *a, **k):  # type: ignore[no-untyped-def]
        seen.append(("resolve" if m.baseline is not None else "solve", stages(m)))
        return real(m, *a, **k)

    monkeypatch.setattr(rep, "solve_model", spy)
    p = lunch_school()
    out = repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 20)
    assert unmet_p1(p, out) == 0
    assert_passes_check(p, out)
    solve_stages = [st for kind, st in seen if kind == "solve"]
    assert solve_stages
    for st in solve_stages:
        assert st[0] == [("unmet_p1", 1)]  # priority 1 alone
        p2 = dict(next(s for s in st if s[0][0] == "unmet_p2"))
        assert "handoffs" in p2  # priority 2 still weighs continuity as its tie-breaker
    seen.clear()
    repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 20, baseline=good_lunches())
    resolve_stages = [st for kind, st in seen if kind == "resolve"]
    assert resolve_stages
    assert all("handoffs" in dict(st[0]) for st in resolve_stages)


def test_a_large_piece_keeps_continuity_as_its_priority_one_tie_breaker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece of 5+ paras is searched on neighbourhoods of its hint and proves nothing either
    way: its priority-1 stage keeps continuity as the tie-breaker (without it public-tight's
    pieces added 40 handoffs); a smaller piece searches priority 1 alone."""
    import parasched.solver.repair as rep
    from parasched.solver.objective import stages

    seen: list[tuple[int, list[tuple[str, int]]]] = []
    real = rep.solve_model

    def spy(m, *a, **k):  # type: ignore[no-untyped-def]
        seen.append((len(m.problem.paras), stages(m)[0]))
        return real(m, *a, **k)

    monkeypatch.setattr(rep, "solve_model", spy)
    p = generate_school(12, seed=1)
    out = repair(p, greedy_schedule(p), SolverOptions(workers=2, seed=0), time.monotonic() + 6, max_pieces=6)
    assert_passes_check(p, out)
    large = [first for n, first in seen if n >= rep.PIECE_LNS_PARAS]
    assert large and all(first[0][0] == "unmet_p1" and "handoffs" in dict(first) for first in large)
    assert all(first == [("unmet_p1", 1)] for n, first in seen if n < rep.PIECE_LNS_PARAS)


def test_a_resolve_that_repairs_builds_no_model_after_the_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resolve on the repair path is the repair search alone; a solve still builds its models.
    The resolve's one-day model, hinted with the repaired week, came back worse than its start
    (public-medium, 3 paras out on Tuesday: docs/resolve.md)."""
    import parasched.solver.week as week

    built: list[object] = []
    real = week.build

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        built.append(a)
        return real(*a, **k)

    monkeypatch.setattr(week, "build", spy)
    p = lunch_school()
    opts = SolverOptions(time_limit=4, workers=1, max_paras_per_student=1)
    assert opts.candidate_limit(len(p.paras)) is not None  # the repair path
    raw = week.solve_week(p, opts, baseline=good_lunches(), hint=bad_lunches())
    assert raw.repair is not None and raw.repair.pieces > 0
    assert built == []
    assert raw.schedule is not None
    assert_passes_check(p, raw.schedule)
    assert level_key(p, raw.schedule) < level_key(p, bad_lunches())  # the pieces found S1's lunch
    solved = week.solve_week(p, opts, hint=bad_lunches())
    assert built, "a solve builds its models after the pieces"
    assert solved.schedule is not None


def test_a_priority_one_search_gives_each_piece_as_long_for_priority_two(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 9-24 para solve's pieces (``priorities=1``) have no priority-2 pieces after them: the
    priority-2 stage of each gets the priority-1 stage's share of the piece's time to win back
    what priority 1 took (docs/solver.md point 19). A search of every priority keeps
    ``PIECE_SHARES`` (its priority-2 needs get pieces of their own)."""
    import parasched.solver.repair as rep

    shares: list[dict[str, int] | None] = []
    real = rep.solve_model

    def spy(m, *a, **k):  # type: ignore[no-untyped-def]
        shares.append(k.get("shares"))
        return real(m, *a, **k)

    monkeypatch.setattr(rep, "solve_model", spy)
    p = lunch_school()
    for priorities in (1, 3):
        shares.clear()
        out = repair(p, bad_lunches(), SolverOptions(workers=1), float("inf"), max_pieces=1, priorities=priorities)
        assert unmet_p1(p, out) == 0
        assert_passes_check(p, out)
        assert shares == [rep.PRIORITY1_PIECE_SHARES if priorities == 1 else rep.PIECE_SHARES]
    assert rep.PRIORITY1_PIECE_SHARES["unmet_p2"] == rep.PRIORITY1_PIECE_SHARES["unmet_p1"]
    assert rep.PIECE_SHARES["unmet_p2"] < rep.PIECE_SHARES["unmet_p1"]


def test_a_piece_already_searched_on_the_same_week_is_not_searched_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The short need is tried with pieces of 10, 14 and 18 paras; this school has two, so all
    three are the same piece: searched once (public-medium's 30 s search solved one 2-para
    piece seven times for the same answer)."""
    import parasched.solver.repair as rep

    searched: list[tuple[str, ...]] = []

    def nothing_better(piece, *a, **k):  # type: ignore[no-untyped-def]
        searched.append(tuple(sorted(piece.paras)))
        return piece.free

    monkeypatch.setattr(rep, "_solve_piece", nothing_better)
    stats = RepairStats()
    p = lunch_school()
    assert repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 5, stats=stats) == bad_lunches()
    assert searched == [("P1", "P2")]
    assert stats.pieces == 1 and stats.repeated == 2

    # the real search still keeps the better lunches
    monkeypatch.undo()
    stats = RepairStats()
    out = repair(p, bad_lunches(), SolverOptions(workers=1), time.monotonic() + 10, stats=stats)
    assert stats.improved == 1 and compute_kpis(p, out).unmet_p1 == 0
    assert_passes_check(p, out)


def test_a_piece_is_searched_again_once_the_week_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept piece changes the week (a piece counts the student's paras of the other days), so
    the pieces searched before it may be searched again: here the same 2-para piece, kept once
    (the judge stubbed to prefer any change once), is searched a second time, then skipped."""
    import parasched.solver.repair as rep

    searched: list[tuple[str, ...]] = []

    def one_row_less(piece, *a, **k):  # type: ignore[no-untyped-def]
        searched.append(tuple(sorted(piece.paras)))
        return piece.free[:-1]  # a change, so the week is judged

    keys = iter([(10,), (9,)])
    monkeypatch.setattr(rep, "_solve_piece", one_row_less)
    monkeypatch.setattr(rep, "level_key", lambda *a, **k: next(keys, (9,)))
    monkeypatch.setattr(rep, "day_violations", lambda *a, **k: [])
    stats = RepairStats()
    repair(lunch_school(), bad_lunches(), SolverOptions(workers=1), time.monotonic() + 5, stats=stats)
    assert stats.improved == 1
    assert searched == [("P1", "P2"), ("P1", "P2")]
    assert stats.repeated >= 1
