"""Continuity trades (scheduler/exchange.py): two paras swap their work over a window; coverage
never changes, continuity only gets better, and no trade breaks a rule."""

from __future__ import annotations

import pytest
from checking import assert_passes_check

from parasched.scheduler.exchange import ExchangeStats, continuity_cost, trade_for_continuity
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Para, Problem, Role, Settings, Student
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from samples.generator import generate_school

MORNING = Settings(days=("Mon",), school_start=480, school_end=600, lunch_minutes=0)


def support(para: str, student: str, start: int, end: int, day: str = "Mon") -> Assignment:
    return Assignment(para, day, start, end, Kind.SUPPORT, "", (student,), "R1")


def two_students(**s1: object) -> Problem:
    paras = (Para("A", "Ann", 480, 600), Para("B", "Bo", 480, 600))
    students = (Student("S1", "s1", homeroom="R1", **s1), Student("S2", "s2", homeroom="R1"))  # type: ignore[arg-type]
    return Problem(MORNING, paras, students)


def paras_of(schedule: Schedule, student: str, day: str | None = None) -> set[str]:
    return {a.para_id for a in schedule.assignments if student in a.students and (day is None or a.day == day)}


def test_two_paras_who_swap_students_at_nine_trade_back() -> None:
    """S1 has Ann then Bo, S2 Bo then Ann: after the trade each keeps one para all morning."""
    problem = two_students()
    crossed = Schedule(
        (
            support("A", "S1", 480, 540),
            support("B", "S1", 540, 600),
            support("B", "S2", 480, 540),
            support("A", "S2", 540, 600),
        )
    )
    assert_passes_check(problem, crossed)
    stats = ExchangeStats()
    traded = trade_for_continuity(problem, crossed, stats=stats)
    assert_passes_check(problem, traded)
    assert len(paras_of(traded, "S1")) == 1 and len(paras_of(traded, "S2")) == 1
    assert paras_of(traded, "S1") != paras_of(traded, "S2")
    before, after = compute_kpis(problem, crossed), compute_kpis(problem, traded)
    assert (after.handoffs, after.extra_paras) == (0, 0)
    assert (before.handoffs, before.extra_paras) == (2, 2)
    assert after.covered_minutes == before.covered_minutes
    assert stats.kept >= 1 and stats.cost_after < stats.cost_before
    assert continuity_cost(problem, traded) == stats.cost_after


def test_a_trade_that_breaks_the_rotation_limit_is_not_made() -> None:
    """S1 may spend at most 60 minutes a day with one para: Ann then Bo is the best there is."""
    problem = two_students(max_minutes_with_same_para=60)
    crossed = Schedule(
        (
            support("A", "S1", 480, 540),
            support("B", "S1", 540, 600),
            support("B", "S2", 480, 540),
            support("A", "S2", 540, 600),
        )
    )
    traded = trade_for_continuity(problem, crossed)
    assert_passes_check(problem, traded)
    assert paras_of(traded, "S1") == {"A", "B"}


def test_a_para_who_may_not_support_the_student_is_never_given_them() -> None:
    """S1 needs a signer (Ann, Cy); S2 personal care by a woman (Ann only). Ann has S1 then S2,
    Cy takes S1 at nine. Trading Ann and Cy at nine would hand S2 to a man: refused. Trading
    them before nine is allowed and leaves S1 with Cy all morning."""
    paras = (
        Para("A", "Ann", 480, 600, skills=frozenset({"asl"}), gender="f"),
        Para("B", "Bo", 480, 600, gender="m"),
        Para("C", "Cy", 480, 600, skills=frozenset({"asl"}), gender="m"),
    )
    students = (
        Student("S1", "s1", homeroom="R1", skills_required=frozenset({"asl"})),
        Student("S2", "s2", homeroom="R1", gender="f", gender_match=True),
    )
    problem = Problem(MORNING, paras, students)
    start = Schedule((support("A", "S1", 480, 540), support("A", "S2", 540, 600), support("C", "S1", 540, 600)))
    assert_passes_check(problem, start)
    traded = trade_for_continuity(problem, start)
    assert_passes_check(problem, traded)
    assert paras_of(traded, "S1") == {"C"}
    assert paras_of(traded, "S2") == {"A"}
    assert compute_kpis(problem, traded).covered_minutes == compute_kpis(problem, start).covered_minutes


def test_days_are_traded_so_the_same_para_comes_every_day() -> None:
    """Monday Ann has S1 and Bo S2; Tuesday the other way round: a whole-day trade on one day
    gives each student one para for the week, and nobody's day changes shape."""
    week = Settings(days=("Mon", "Tue"), school_start=480, school_end=600, lunch_minutes=0)
    problem = Problem(
        week,
        (Para("A", "Ann", 480, 600), Para("B", "Bo", 480, 600)),
        (Student("S1", "s1", homeroom="R1"), Student("S2", "s2", homeroom="R1")),
    )
    start = Schedule(
        (
            support("A", "S1", 480, 600, "Mon"),
            support("B", "S2", 480, 600, "Mon"),
            support("B", "S1", 480, 600, "Tue"),
            support("A", "S2", 480, 600, "Tue"),
        )
    )
    traded = trade_for_continuity(problem, start)
    assert_passes_check(problem, traded)
    assert len(paras_of(traded, "S1")) == 1 and len(paras_of(traded, "S2")) == 1
    assert compute_kpis(problem, traded).extra_week_paras == 0


def test_a_lunch_moves_only_whole_and_each_para_keeps_one() -> None:
    """Ann and Bo both eat, at different times; trades may not leave one with two lunches."""
    day = Settings(days=("Mon",), school_start=480, school_end=780, lunch_minutes=30, lunch_window=(630, 750))
    problem = Problem(
        day,
        (Para("A", "Ann", 480, 780), Para("B", "Bo", 480, 780), Para("C", "Cy", 480, 780)),
        (Student("S1", "s1", homeroom="R1"), Student("S2", "s2", homeroom="R1")),
    )
    greedy = greedy_schedule(problem, method="slots")
    traded = trade_for_continuity(problem, greedy)
    assert_passes_check(problem, traded)
    for pid in ("A", "B", "C"):
        assert sum(1 for a in traded.assignments if a.para_id == pid and a.kind == Kind.LUNCH) == 1
    assert continuity_cost(problem, traded) <= continuity_cost(problem, greedy)


@pytest.mark.parametrize(("kind", "n_paras", "seed"), [("hard", 10, 1), ("hard", 20, 2), ("easy", 20, 3)])
@pytest.mark.parametrize("method", ["slots", "caseload"])
def test_trades_keep_coverage_and_every_rule_on_generated_schools(
    kind: str, n_paras: int, seed: int, method: str
) -> None:
    problem = generate_school(n_paras, seed=seed, kind=kind)
    start = greedy_schedule(problem, method=method)
    stats = ExchangeStats()
    traded = trade_for_continuity(problem, start, stats=stats)
    assert_passes_check(problem, traded)
    before, after = compute_kpis(problem, start), compute_kpis(problem, traded)
    assert after.covered_minutes == before.covered_minutes
    assert (after.unmet_p1, after.unmet_p2, after.unmet_p3) == (before.unmet_p1, before.unmet_p2, before.unmet_p3)
    assert continuity_cost(problem, traded) <= continuity_cost(problem, start)
    assert traded.sessions == start.sessions
    if stats.kept:
        assert continuity_cost(problem, traded) < continuity_cost(problem, start)


def test_only_the_days_asked_for_are_traded() -> None:
    problem = generate_school(10, seed=1, kind="hard")
    start = greedy_schedule(problem, method="slots")
    traded = trade_for_continuity(problem, start, days=("Tue",))
    assert {a for a in traded.assignments if a.day != "Tue"} == {a for a in start.assignments if a.day != "Tue"}


def test_the_warm_start_is_the_judges_choice_of_the_two_greedy_methods_then_traded() -> None:
    """workflows/solve._greedy: no worse by the judge than either method alone, and valid."""
    from parasched.scheduler.weekgrid import WeekGrid
    from parasched.solver.objective import judge
    from parasched.workflows.solve import _greedy

    problem = generate_school(20, seed=2, kind="hard")
    grid = WeekGrid.of(problem)
    start = _greedy(problem)
    assert start is not None
    assert_passes_check(problem, start)
    level = judge(compute_kpis(problem, start, grid).objective_terms(), False)
    for method in ("slots", "caseload"):
        alone = greedy_schedule(problem, grid, method=method)
        assert level <= judge(compute_kpis(problem, alone, grid).objective_terms(), False)


def test_a_stop_request_ends_the_trades_at_once() -> None:
    """Ctrl-C or the page's Stop: no trade is started after it, the schedule is returned as it is."""
    import threading

    problem = generate_school(20, seed=2, kind="hard")
    start = greedy_schedule(problem, method="slots")
    assert trade_for_continuity(problem, start) is not start  # there are trades to make
    stop = threading.Event()
    stop.set()
    stats = ExchangeStats()
    assert trade_for_continuity(problem, start, stop=stop, stats=stats) is start
    assert stats.tried == 0


def test_the_runs_next_to_a_run_are_its_neighbours_in_time() -> None:
    """The paras offered a run first are those just before and after it (a handoff there): the
    runs are listed in time order (they were listed by para, so 'next to' meant another para's
    run at any time of the day once a student had three paras or more)."""
    from parasched.scheduler.exchange import _State
    from parasched.scheduler.weekgrid import WeekGrid

    problem = Problem(
        MORNING,
        tuple(Para(pid, pid, 480, 600) for pid in ("A", "M", "Z")),
        (Student("S1", "s1", homeroom="R1"),),
    )
    day = Schedule(
        (
            support("Z", "S1", 480, 510),
            support("A", "S1", 510, 540),
            support("Z", "S1", 540, 570),
            support("M", "S1", 570, 600),
        )
    )
    state = _State(problem, day, WeekGrid.of(problem))
    assert state._runs("S1", "Mon") == [("Z", 480, 510), ("A", 510, 540), ("Z", 540, 570), ("M", 570, 600)]


@pytest.mark.parametrize(
    ("ann_until", "traded"),
    [
        (600, True),  # Ann is free after 9:00: she takes the substitute's run, who hands it over
        (540, False),  # Ann leaves at 9:00: only the substitute could take her run, and works longer
    ],
)
def test_a_substitute_hands_work_over_but_never_takes_more(ann_until: int, traded: bool) -> None:
    problem = Problem(
        MORNING,
        (Para("A", "Ann", 480, ann_until), Para("U", "Sub", 480, 600, role=Role.SUBSTITUTE)),
        (Student("S1", "s1", homeroom="R1"),),
    )
    start = Schedule((support("A", "S1", 480, 540), support("U", "S1", 540, 600)))
    assert_passes_check(problem, start)
    out = trade_for_continuity(problem, start)
    assert_passes_check(problem, out)
    before, after = compute_kpis(problem, start), compute_kpis(problem, out)
    assert after.covered_minutes == before.covered_minutes
    assert after.substitute_minutes <= before.substitute_minutes
    if traded:
        assert paras_of(out, "S1") == {"A"} and (after.handoffs, after.substitute_minutes) == (0, 0)
    else:
        assert out == start
