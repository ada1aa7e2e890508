"""parasched resolve: absences in, fewest changes out, everyone still safe."""

from __future__ import annotations

import dataclasses

import pytest

from parasched.io.absence_args import absences_from_args, parse_absent, parse_days
from parasched.scheduler.errors import InputError
from parasched.scheduler.model import Absence, Para, Problem, Role, Settings, Student, StudentBlock, Support
from parasched.scheduler.schedule import Assignment, Change, Kind, PlacedSession, Schedule
from parasched.workflows.resolve import broken_rows, keep_days, plan, split_absences

try:
    from tests.checking import assert_passes_check
except ImportError:  # pragma: no cover - plain `pytest` puts tests/ itself on sys.path
    from checking import assert_passes_check  # type: ignore[no-redef]

A = Assignment
H = 60


def hand_problem(days=("Mon", "Tue"), absences=()) -> Problem:
    paras = (
        Para("P1", "Ann", 8 * H, 15 * H),
        Para("P2", "Bea", 8 * H, 15 * H),
        Para("P7", "Cy", 8 * H, 15 * H),
        Para("SUB1", "Dee", 8 * H, 15 * H, role=Role.SUBSTITUTE),
    )
    students = (Student("S1", "Xavier"), Student("S2", "Yara"))
    blocks = (StudentBlock("S1", 9 * H, 11 * H, location="R1"), StudentBlock("S2", 9 * H, 11 * H, location="R2"))
    return Problem(Settings(days=days), paras, students, student_blocks=blocks, absences=tuple(absences))


def hand_baseline() -> Schedule:
    rows = []
    for day in ("Mon", "Tue"):
        rows += [
            A("P1", day, 9 * H, 11 * H, Kind.SUPPORT, students=("S1",), location="R1"),
            A("P7", day, 9 * H, 11 * H, Kind.SUPPORT, students=("S2",), location="R2"),
        ]
        rows += [A(p, day, 12 * H, 12 * H + 30, Kind.LUNCH) for p in ("P1", "P2", "P7", "SUB1")]
    return Schedule(tuple(rows))


# -- --absent / --day ----------------------------------------------------------------------------
def test_parse_absent_whole_and_part_day():
    assert parse_absent("P07").person_id == "P07"
    assert (parse_absent("P07").start, parse_absent("P07").end) == (None, None)
    arg = parse_absent("P11:10:00-12:00")
    assert (arg.person_id, arg.start, arg.end) == ("P11", 600, 720)
    arg = parse_absent("P11:9:30-1:15 PM")
    assert (arg.start, arg.end) == (570, 795)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("P11:12:00-10:00", "end 10:00 is not after start 12:00"),
        ("P11:10:00", "expected ID (whole day) or ID:HH:MM-HH:MM"),
        ("P11:25:00-26:00", "'25:00' is not a time"),
        ("", "no id given"),
    ],
)
def test_parse_absent_rejects_bad_values(value, message):
    with pytest.raises(InputError) as exc:
        parse_absent(value)
    assert message in str(exc.value)
    assert f"--absent {value}" in str(exc.value)


def test_parse_days():
    week = ("Mon", "Tue", "Wed", "Thu", "Fri")
    assert parse_days(["tue"], week) == ("Tue",)
    assert parse_days(["Thursday", "Mon"], week) == ("Mon", "Thu")
    assert parse_days(["Mon-Wed"], week) == ("Mon", "Tue", "Wed")
    assert parse_days(["Mon, Fri"], week) == ("Mon", "Fri")
    with pytest.raises(InputError, match="'Xyz' is not a day"):
        parse_days(["Xyz"], week)
    with pytest.raises(InputError, match="'Sat' is not a school day"):
        parse_days(["Sat"], week)


def test_absences_from_args_apply_to_the_chosen_days():
    p = hand_problem()
    got = absences_from_args(["P7", "s1:10:00-11:00"], ["Tue"], p)
    assert got == (Absence("P7", ("Tue",), reason="--absent"), Absence("S1", ("Tue",), 600, 660, reason="--absent"))


def test_absent_without_day_needs_one_school_day():
    with pytest.raises(InputError, match="--absent needs --day"):
        absences_from_args(["P7"], [], hand_problem())
    one_day = hand_problem(days=("Tue",))
    assert absences_from_args(["P7"], [], one_day) == (Absence("P7", ("Tue",), reason="--absent"),)


def test_unknown_ids_and_off_grid_times_are_all_reported():
    with pytest.raises(InputError) as exc:
        absences_from_args(["P99", "P7:10:02-11:00", "P1"], ["Tue"], hand_problem())
    text = str(exc.value)
    assert "--absent P99: 'P99' is neither a para_id in Paras nor a student_id in Students" in text
    assert "--absent P7:10:02-11:00: 10:02-11:00 is not on the 5-minute grid" in text
    assert len(exc.value.issues) == 2


# -- baseline adaptation (no solver) -------------------------------------------------------------
def test_known_leave_the_baseline_respects_is_not_new():
    # S1 out 13:00-14:00 every day: the baseline gives no support then -> known, split per day;
    # P7 out on Tuesday: the baseline has rows for P7 that day -> new
    p = hand_problem(absences=(Absence("S1", (), 13 * H, 14 * H), Absence("P7", ("Tue",))))
    known, new = split_absences(p, hand_baseline())
    assert [(a.person_id, a.days) for a in known] == [("S1", ("Mon",)), ("S1", ("Tue",))]
    assert [(a.person_id, a.days) for a in new] == [("P7", ("Tue",))]
    # absences given separately (workbook, command line) are new even when the baseline respects
    # them; the same absence as a known row of the input's sheet is not counted twice
    extra = [Absence("S2", ("Mon",), 13 * H, 14 * H), Absence("S1", ("Tue",), 13 * H, 14 * H)]
    known, new = split_absences(p, hand_baseline(), extra)
    assert [(a.person_id, a.days) for a in known] == [("S1", ("Mon",)), ("S1", ("Tue",))]
    assert [(a.person_id, a.days) for a in new] == [("P7", ("Tue",)), ("S2", ("Mon",))]


def test_plan_replans_days_with_new_absences_and_chosen_days():
    p = hand_problem()
    full, base, new, replan, notes = plan(p, hand_baseline(), [Absence("P7", ("Tue",))])
    assert replan == ("Tue",)
    assert new == (Absence("P7", ("Tue",)),)
    assert base.absences == ()
    assert [a.person_id for a in full.absences] == ["P7"]
    assert notes == ()
    # --day Mon chosen while the absence is on Tuesday: Tuesday is re-planned too, with a note
    _, _, _, replan, notes = plan(p, hand_baseline(), [Absence("P7", ("Tue",))], days=["Mon"])
    assert replan == ("Mon", "Tue")
    assert notes == ("also re-planning Tue: new absences fall on that day",)
    # nothing new and no day chosen: nothing to re-plan
    assert plan(p, hand_baseline())[3] == ()


def test_broken_rows_are_the_absent_paras_blocks_and_support_to_absent_students():
    p = hand_problem()
    new = (Absence("P7", ("Tue",), 10 * H, 12 * H + 15), Absence("S1", ("Mon",)))
    broken = broken_rows(hand_baseline(), p, new)
    assert broken == (
        A("P1", "Mon", 9 * H, 11 * H, Kind.SUPPORT, students=("S1",), location="R1"),
        A("P7", "Tue", 9 * H, 11 * H, Kind.SUPPORT, students=("S2",), location="R2"),
        A("P7", "Tue", 12 * H, 12 * H + 30, Kind.LUNCH),
    )


def test_baseline_from_another_input_is_refused():
    bad = Schedule(
        (
            A("P99", "Mon", 9 * H, 10 * H, Kind.SUPPORT, students=("S8",)),
            A("P1", "Sat", 9 * H, 10 * H, Kind.DUTY, ref="Nope"),
        ),
        sessions=(PlacedSession("T9", "Mon", 600, 630, "SLP"),),
    )
    with pytest.raises(InputError) as exc:
        plan(hand_problem(), bad, [])
    text = str(exc.value)
    for fragment in (
        "'P99' is not a para_id",
        "'S8' is not a student_id",
        "'Sat' is not a school day",
        "'Nope' is not a duty_id",
        "'T9' is not a session_id",
    ):
        assert fragment in text


def test_keep_days_copies_every_other_day_exactly():
    base = hand_baseline()
    new = Schedule(
        (A("SUB1", "Tue", 9 * H, 11 * H, Kind.SUPPORT, students=("S2",)), A("P2", "Mon", 9 * H, 10 * H, Kind.BREAK)),
        sessions=(PlacedSession("T1", "Mon", 600, 630, "SLP"),),
    )
    kept = keep_days(base, new, ["Tue"])
    assert sorted(a for a in kept.assignments if a.day == "Mon") == sorted(
        a for a in base.assignments if a.day == "Mon"
    )
    assert [a for a in kept.assignments if a.day == "Tue"] == [new.assignments[0]]
    assert kept.sessions == ()


# -- the whole workflow (solver + checker) -------------------------------------------------------
#
# A tiny school, Mon-Tue, everyone 08:00-12:00 with a 30-minute lunch: S1 and S2 need a
# behavior-trained para 1:1 08:00-11:30, S3 needs shared support. The baseline: P1 with S1, P2 with
# S2, P3 with S3, everyone's lunch 11:30-12:00, the substitute idle.
SKILLS = frozenset({"behavior"})


def school(absences=()) -> Problem:
    settings = Settings(
        days=("Mon", "Tue"),
        school_start=8 * H,
        school_end=12 * H,
        lunch_minutes=30,
        lunch_window=(10 * H + 30, 13 * H + 30),
        time_limit_seconds=5,
    )
    paras = (
        Para("P1", "Ann Able", 8 * H, 12 * H, skills=SKILLS),
        Para("P2", "Bea Bell", 8 * H, 12 * H, skills=SKILLS),
        Para("P3", "Cy Cole", 8 * H, 12 * H),
        Para("SUB", "Dee Dunn", 8 * H, 12 * H, role=Role.SUBSTITUTE, skills=SKILLS),
    )
    students = (
        Student("S1", "Xavier Xu", skills_required=SKILLS, priority=1),
        Student("S2", "Yara Young", skills_required=SKILLS),
        Student("S3", "Zed Zane", support=Support.SHARED),
    )
    blocks = tuple(StudentBlock(s, 8 * H, 11 * H + 30, location=f"R{s[1]}") for s in ("S1", "S2", "S3"))
    return Problem(settings, paras, students, student_blocks=blocks, absences=tuple(absences))


def school_baseline(mon_gap: bool = False) -> Schedule:
    """The baseline; ``mon_gap``: on Monday P3 starts with S3 only at 09:00 (valid, not optimal)."""
    rows = []
    for day in ("Mon", "Tue"):
        s3_start = 9 * H if mon_gap and day == "Mon" else 8 * H
        rows += [
            A("P1", day, 8 * H, 11 * H + 30, Kind.SUPPORT, students=("S1",), location="R1"),
            A("P2", day, 8 * H, 11 * H + 30, Kind.SUPPORT, students=("S2",), location="R2"),
            A("P3", day, s3_start, 11 * H + 30, Kind.SUPPORT, students=("S3",), location="R3"),
        ]
        rows += [A(p, day, 11 * H + 30, 12 * H, Kind.LUNCH) for p in ("P1", "P2", "P3", "SUB")]
    return Schedule(tuple(rows))


def options():
    from parasched.solver.options import SolverOptions

    return SolverOptions(time_limit=5, workers=1, seed=0)


def passes(problem: Problem, schedule: Schedule) -> None:
    """The independent checker finds no broken rule (``problem`` with the absences applied)."""
    assert_passes_check(problem, schedule)


def rows_on(schedule: Schedule, day: str) -> list[Assignment]:
    return sorted(a for a in schedule.assignments if a.day == day)


def covered_by(schedule: Schedule, student: str, day: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in schedule.assignments:
        if a.day == day and a.kind == Kind.SUPPORT and student in a.students:
            out[a.para_id] = out.get(a.para_id, 0) + a.minutes
    return out


def test_hand_baseline_passes_check():
    passes(school(), school_baseline())
    passes(school(), school_baseline(mon_gap=True))


def test_no_absences_means_zero_changes():
    from parasched.workflows.resolve import resolve

    # nothing new and no day chosen: the baseline comes back untouched, no solve
    out = resolve(school(), school_baseline(), options())
    assert (out.solved, out.replan_days, out.changes) == (False, (), ())
    assert out.schedule.assignments == school_baseline().assignments
    # Tuesday re-planned on request with no absence: the solver changes nothing
    out = resolve(school(), school_baseline(), options(), days=["Tue"])
    assert out.solved and out.replan_days == ("Tue",)
    assert out.changes == ()
    assert out.changed_minutes == 0
    assert out.answer == "solver"
    assert sorted(out.schedule.assignments) == sorted(school_baseline().assignments)
    passes(out.problem, out.schedule)


def test_absent_paras_one_to_one_student_is_covered_by_a_qualified_para_the_substitute():
    from parasched.workflows.resolve import para_lines, resolve

    out = resolve(school(), school_baseline(), options(), extra_absences=[Absence("P1", ("Tue",))])
    passes(out.problem, out.schedule)
    assert out.replan_days == ("Tue",)
    assert out.absent_paras == ("P1",)
    # S1 covered all 210 minutes by the substitute (qualified), nobody else moved (P2 is not
    # pulled off S2 in a chain: the substitute avoids moving others)
    assert covered_by(out.schedule, "S1", "Tue") == {"SUB": 210}
    assert out.changes == (
        Change("P1", "Tue", 8 * H, 11 * H + 30, "1:1 S1", "free"),
        Change("P1", "Tue", 11 * H + 30, 12 * H, "lunch", "free"),
        Change("SUB", "Tue", 8 * H, 11 * H + 30, "free", "1:1 S1"),
    )
    assert para_lines(out) == [
        "P1: Tue 08:00-11:30 was 1:1 S1, now free (absent)",
        "P1: Tue 11:30-12:00 was lunch, now free (absent)",
        "SUB: Tue 08:00-11:30 was free, now 1:1 S1 (covering P1)",
    ]
    assert [u for u in out.schedule.unmet if u.day == "Tue"] == []
    # the substitute's 210 minutes at the substitute weight; the absent para's minutes cost nothing
    assert (out.changed_minutes, out.chosen_changed_minutes) == (210 * 2, 210 * 2)
    assert out.baseline_report.ok and out.new_report.ok  # both checked by the independent checker


def test_without_a_substitute_a_qualified_para_is_moved_and_the_unqualified_one_is_not_used():
    from parasched.workflows.resolve import resolve

    problem = school()
    no_sub = dataclasses.replace(problem, paras=problem.paras[:3])
    base = Schedule(tuple(a for a in school_baseline().assignments if a.para_id != "SUB"))
    out = resolve(no_sub, base, options(), extra_absences=[Absence("P1", ("Tue",))])
    passes(out.problem, out.schedule)
    # S1 (priority 1) outranks S2 (priority 2): P2, the only other behavior-trained para, takes S1
    assert covered_by(out.schedule, "S1", "Tue") == {"P2": 210}
    assert covered_by(out.schedule, "S2", "Tue") == {}
    assert {(u.ref, u.start, u.end) for u in out.schedule.unmet if u.day == "Tue"} == {("S2", 8 * H, 11 * H + 30)}
    assert covered_by(out.schedule, "S3", "Tue") == {"P3": 210}


def test_absent_students_para_is_not_moved_without_a_reason():
    from parasched.workflows.resolve import resolve

    out = resolve(school(), school_baseline(), options(), extra_absences=[Absence("S2", ("Tue",))])
    passes(out.problem, out.schedule)
    # P2's time frees up; nobody is reshuffled, P2 is not put anywhere
    assert out.changes == (Change("P2", "Tue", 8 * H, 11 * H + 30, "1:1 S2", "free"),)
    assert out.absent_paras == ()
    # against the baseline P2 was moved off S2 (weight 4); beyond the unavoidable, nothing changed
    assert (out.changed_minutes, out.chosen_changed_minutes) == (210 * 4, 0)


def test_nothing_outside_the_replanned_days_changes():
    from parasched.workflows.resolve import resolve

    base = school_baseline(mon_gap=True)  # Monday could be improved (S3 alone 08:00-09:00) ...
    out = resolve(school(), base, options(), extra_absences=[Absence("P1", ("Tue",), 10 * H, 12 * H)])
    passes(out.problem, out.schedule)
    assert out.replan_days == ("Tue",)
    assert rows_on(out.schedule, "Mon") == rows_on(base, "Mon")  # ... but Monday is kept as it was
    assert all(c.day == "Tue" for c in out.changes)
    # part-day absence: P1 keeps S1 until 10:00, loses the lunch (no longer owed), the substitute
    # covers 10:00-11:30
    assert covered_by(out.schedule, "S1", "Tue") == {"P1": 120, "SUB": 90}
    # choosing Monday re-plans it: the gap is filled by the para already there
    out = resolve(school(), base, options(), days=["Mon"])
    passes(out.problem, out.schedule)
    assert out.changes == (Change("P3", "Mon", 8 * H, 9 * H, "free", "support S3 @R3"),)
    assert rows_on(out.schedule, "Tue") == rows_on(base, "Tue")


def test_repaired_cuts_absent_people_and_puts_lunch_back_where_owed():
    from parasched.workflows.resolve import repaired

    base = school_baseline()
    tue = lambda sch: rows_on(sch, "Tue")  # noqa: E731
    others = [a for a in tue(base) if a.para_id != "P1"]
    # out 10:00-12:00: S1 kept until 10:00, no lunch owed any more (no 30 minutes in the window)
    p = school(absences=(Absence("P1", ("Tue",), 10 * H, 12 * H),))
    got = repaired(base, p, ["Tue"])
    assert [a for a in tue(got) if a.para_id == "P1"] == [
        A("P1", "Tue", 8 * H, 10 * H, Kind.SUPPORT, students=("S1",), location="R1")
    ]
    assert [a for a in tue(got) if a.para_id != "P1"] == others
    assert rows_on(got, "Mon") == rows_on(base, "Mon")
    passes(p, got)
    # out 11:30-12:00: the lunch is still owed (10:30-11:30 is free of absence) and is put back at
    # the first start in the window, displacing 30 minutes of S1
    p = school(absences=(Absence("P1", ("Tue",), 11 * H + 30, 12 * H),))
    got = repaired(base, p, ["Tue"])
    assert [a for a in tue(got) if a.para_id == "P1"] == [
        A("P1", "Tue", 8 * H, 10 * H + 30, Kind.SUPPORT, students=("S1",), location="R1"),
        A("P1", "Tue", 10 * H + 30, 11 * H, Kind.LUNCH),
        A("P1", "Tue", 11 * H, 11 * H + 30, Kind.SUPPORT, students=("S1",), location="R1"),
    ]
    passes(p, got)
    # a student out 09:00-10:00: their para's row is cut around it
    p = school(absences=(Absence("S3", ("Tue",), 9 * H, 10 * H),))
    got = repaired(base, p, ["Tue"])
    assert [(a.start, a.end) for a in tue(got) if a.para_id == "P3" and a.kind == Kind.SUPPORT] == [
        (8 * H, 9 * H),
        (10 * H, 11 * H + 30),
    ]
    passes(p, got)


def test_repaired_group_rows_therapy_and_sessions_on_a_complete_school():
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.workflows.resolve import repaired

    try:
        from tests.fixtures import complete_problem
    except ImportError:  # pragma: no cover
        from fixtures import complete_problem  # type: ignore[no-redef]

    problem = complete_problem()
    base = greedy_schedule(problem)
    passes(problem, base)
    # S1 (1:1, in T2 OT assist and T4 ABA deliver on Tue) out on Tuesday, P3 out Tuesday
    # afternoon, S5 (shared) out Monday morning
    new = (Absence("S1", ("Tue",)), Absence("P3", ("Tue",), 12 * H, 15 * H), Absence("S5", ("Mon",), 8 * H, 12 * H))
    after = dataclasses.replace(problem, absences=(*problem.absences, *new))
    got = repaired(base, after, ["Mon", "Tue"])
    passes(after, got)
    assert rows_on(got, "Wed") == rows_on(base, "Wed")
    assert not any("S1" in a.students for a in got.assignments if a.day == "Tue")
    assert not any(s.session_id in ("T2", "T4") and s.day == "Tue" for s in got.sessions)
    assert not any(a.para_id == "P3" and a.day == "Tue" and a.end > 12 * H for a in got.assignments)
    assert not any("S5" in a.students and a.day == "Mon" and a.start < 12 * H for a in got.assignments)
    # rows that were possible stay (a row that only lost an absent student keeps the others)
    kept = [
        a
        for a in base.assignments
        if a.day == "Tue" and a.para_id not in ("P3",) and "S1" not in a.students and a.kind != Kind.THERAPY
    ]
    assert set(kept) <= set(got.assignments)


def test_a_chain_of_swaps_the_familiar_para_takes_the_student_and_the_substitute_her_duty():
    from parasched.scheduler.model import Duty, DutyKind
    from parasched.workflows.resolve import para_lines, resolve

    base_problem = school()
    sub = dataclasses.replace(base_problem.paras[3], skills=frozenset())  # the substitute is not behavior-trained
    problem = dataclasses.replace(
        base_problem,
        paras=(*base_problem.paras[:3], sub),
        students=(base_problem.students[0], base_problem.students[2]),
        student_blocks=tuple(b for b in base_problem.student_blocks if b.student_id != "S2"),
        duties=(Duty("HALL", "Hallway", DutyKind.HALLWAY, 8 * H, 11 * H + 30, location="Hall"),),
    )
    rows = []
    for day in ("Mon", "Tue"):
        rows += [
            A("P1", day, 8 * H, 11 * H + 30, Kind.SUPPORT, students=("S1",), location="R1"),
            A("P2", day, 8 * H, 11 * H + 30, Kind.DUTY, ref="HALL", location="Hall"),
            A("P3", day, 8 * H, 11 * H + 30, Kind.SUPPORT, students=("S3",), location="R3"),
        ]
        rows += [A(p, day, 11 * H + 30, 12 * H, Kind.LUNCH) for p in ("P1", "P2", "P3", "SUB")]
    baseline = Schedule(tuple(rows))
    passes(problem, baseline)
    out = resolve(problem, baseline, options(), extra_absences=[Absence("P1", ("Tue",))])
    passes(out.problem, out.schedule)
    assert para_lines(out) == [
        "P1: Tue 08:00-11:30 was 1:1 S1, now free (absent)",
        "P1: Tue 11:30-12:00 was lunch, now free (absent)",
        "P2: Tue 08:00-11:30 was duty HALL, now 1:1 S1 (covering P1)",
        "SUB: Tue 08:00-11:30 was free, now duty HALL",
    ]
    assert [u for u in out.schedule.unmet if u.day == "Tue"] == []


def test_fill_in_covers_gaps_from_free_time_only_and_respects_the_rules():
    from parasched.scheduler.fill import fill_in
    from parasched.workflows.resolve import repaired

    p = school(absences=(Absence("P1", ("Tue",)),))
    start = repaired(school_baseline(), p, ["Tue"])
    got = fill_in(start, p, ["Tue"])
    passes(p, got)
    # S1 (behavior) goes to the substitute, the only qualified para with free time; nobody else moves
    assert covered_by(got, "S1", "Tue") == {"SUB": 210}
    assert set(start.assignments) <= set(got.assignments)
    assert len(got.assignments) == len(start.assignments) + 1
    # on a Tuesday-only week: the rotation limit shortens what one para may take ...
    tue = dataclasses.replace(p, settings=dataclasses.replace(p.settings, days=("Tue",)))
    tue_base = Schedule(tuple(a for a in school_baseline().assignments if a.day == "Tue"))
    capped = dataclasses.replace(
        tue, students=(dataclasses.replace(p.students[0], max_minutes_with_same_para=120), *p.students[1:])
    )
    got = fill_in(repaired(tue_base, capped, ["Tue"]), capped, ["Tue"])
    passes(capped, got)
    assert covered_by(got, "S1", "Tue") == {"SUB": 120}
    # ... and max continuous work stops a piece early (P2 and P3 free but for the lunch put back
    # at 10:30; P3 lacks behavior): P2 takes the most it can, the substitute the rest
    tight = dataclasses.replace(tue, settings=dataclasses.replace(tue.settings, max_continuous_minutes=90))
    few = Schedule(tuple(a for a in tue_base.assignments if a.para_id in ("P1", "SUB")))
    got = fill_in(repaired(few, tight, ["Tue"]), tight, ["Tue"])
    passes(tight, got)
    assert sorted((a.para_id, a.start, a.end) for a in got.assignments if "S1" in a.students) == [
        ("P2", 8 * H, 9 * H + 30),
        ("P2", 11 * H, 11 * H + 30),
        ("SUB", 9 * H + 30, 11 * H),
    ]


def test_fill_in_on_a_complete_school_only_adds_rows_and_passes_check():
    from parasched.scheduler.coverage import unmet_rows
    from parasched.scheduler.fill import fill_in
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.workflows.resolve import repaired

    try:
        from tests.fixtures import complete_problem
    except ImportError:  # pragma: no cover
        from fixtures import complete_problem  # type: ignore[no-redef]

    problem = complete_problem()
    base = greedy_schedule(problem)
    # P1 (behavior, medical, rbt: S1's preferred para, ABA and arrival duty) out Monday and Tuesday
    after = dataclasses.replace(problem, absences=(*problem.absences, Absence("P1", ("Mon", "Tue"))))
    start = repaired(base, after, ["Mon", "Tue"])
    got = fill_in(start, after, ["Mon", "Tue"])
    passes(after, got)
    assert set(start.assignments) <= set(got.assignments)
    assert rows_on(got, "Wed") == rows_on(base, "Wed")

    def missing(sch):
        return {pr: sum(u.minutes for u in unmet_rows(after, sch) if u.priority == pr) for pr in (1, 2, 3)}

    before, now = missing(start), missing(got)
    assert all(now[pr] <= before[pr] for pr in (1, 2, 3))
    assert sum(now.values()) < sum(before.values())


@pytest.mark.parametrize("solver_says", ["nothing", "worse"])
def test_when_the_solver_finds_nothing_better_the_filled_in_baseline_is_returned(monkeypatch, solver_says):
    from parasched.scheduler.schedule import SolveResult, Status
    from parasched.workflows import solve as workflows
    from parasched.workflows.resolve import resolve

    def fake_solve(problem, options=None, baseline=None, replan_days=None, hint=None):
        if solver_says == "nothing":
            return SolveResult(Status.UNKNOWN, Schedule())
        # a "solution" leaving S1 uncovered on Tuesday: worse than filling in from free time
        return SolveResult(Status.FEASIBLE, baseline)

    monkeypatch.setattr(workflows, "solve", fake_solve)
    out = resolve(school(), school_baseline(), options(), extra_absences=[Absence("P1", ("Tue",))])
    passes(out.problem, out.schedule)
    assert out.result.status == Status.FEASIBLE
    assert covered_by(out.schedule, "S1", "Tue") == {"SUB": 210}
    assert [u for u in out.schedule.unmet if u.day == "Tue"] == []
    assert any("gaps filled from free time only" in n for n in out.notes)
    assert out.answer == "filled"


# -- the command line ------------------------------------------------------------------------------
@pytest.fixture
def workbooks(tmp_path):
    """The tiny school as an input workbook and its baseline as a schedule workbook."""
    from parasched.io.input_writer import write_problem
    from parasched.io.writer import write_schedule
    from parasched.scheduler.schedule import SolveResult, Status

    write_problem(school(), tmp_path / "school.xlsx")
    write_schedule(tmp_path / "baseline.xlsx", school(), SolveResult(Status.FEASIBLE, school_baseline()))
    return tmp_path


def run_cli(*args: str):
    from click.testing import CliRunner

    from parasched.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_resolve_end_to_end(workbooks):
    from parasched.io.schedule_reader import read_schedule

    out_path = workbooks / "tuesday.xlsx"
    res = run_cli(
        "resolve",
        str(workbooks / "school.xlsx"),
        "--baseline",
        str(workbooks / "baseline.xlsx"),
        "--absent",
        "P1",
        "--absent",
        "S2:10:00-11:30",
        "--day",
        "Tue",
        "-o",
        str(out_path),
        "--time-limit",
        "5",
        "--workers",
        "1",
    )
    assert res.exit_code == 0, res.output
    out = res.output
    assert "Baseline: passes every hard rule." in out
    assert "New absences: P1 Tue, S2 Tue 10:00-11:30" in out
    assert "Re-planned: Tue (kept as in the baseline: Mon)" in out
    # P2 loses S2 for 10:00-11:30 and is the cheapest qualified cover for S1 then (filling in from
    # free time costs less than the substitute); the substitute covers S1 until 10:00
    assert "SUB: Tue 08:00-10:00 was free, now 1:1 S1 (covering P1)" in out
    assert "P2: Tue 10:00-11:30 was 1:1 S2, now 1:1 S1 (covering P1)" in out
    assert "P1: Tue 08:00-11:30 was 1:1 S1, now free (absent)" in out
    assert "Still uncovered: nothing on the re-planned days." in out
    for name in ("Xavier", "Yara", "Zed"):  # no student names without --verbose
        assert name not in out
    written = read_schedule(out_path)
    new_problem = school(absences=(Absence("P1", ("Tue",)), Absence("S2", ("Tue",), 10 * H, 11 * H + 30)))
    passes(new_problem, written)
    assert sorted(a for a in written.assignments if a.day == "Mon") == rows_on(school_baseline(), "Mon")
    assert {(c.para_id, c.start, c.end, c.before, c.after) for c in written.changes} == {
        ("P1", 8 * H, 11 * H + 30, "1:1 S1", "free"),
        ("P1", 11 * H + 30, 12 * H, "lunch", "free"),
        ("SUB", 8 * H, 10 * H, "free", "1:1 S1"),
        ("P2", 10 * H, 11 * H + 30, "1:1 S2", "1:1 S1"),
    }


def test_cli_resolve_with_an_absences_workbook_and_the_inputs_own_sheet(workbooks):
    from parasched.io.input_writer import write_absences, write_problem
    from parasched.io.schedule_reader import read_schedule

    # S3 out Monday 08:00-09:00 in the input's own Absences sheet is new for this baseline (P3
    # supports S3 then); the absences workbook adds P1 out on Tuesday
    write_problem(school(absences=(Absence("S3", ("Mon",), 8 * H, 9 * H),)), workbooks / "school2.xlsx")
    write_absences([Absence("P1", ("Tue",), reason="sick")], workbooks / "absences.xlsx")
    out_path = workbooks / "week.xlsx"
    res = run_cli(
        "resolve",
        str(workbooks / "school2.xlsx"),
        "--baseline",
        str(workbooks / "baseline.xlsx"),
        "--absences",
        str(workbooks / "absences.xlsx"),
        "-o",
        str(out_path),
        "--time-limit",
        "5",
        "--workers",
        "1",
    )
    assert res.exit_code == 0, res.output
    assert "Re-planned: Mon, Tue" in res.output
    assert "P3: Mon 08:00-09:00 was support S3 @R3, now free" in res.output
    written = read_schedule(out_path)
    passes(school(absences=(Absence("S3", ("Mon",), 8 * H, 9 * H), Absence("P1", ("Tue",)))), written)
    assert covered_by(written, "S1", "Tue") == {"SUB": 210}


def test_cli_resolve_unknown_id_in_the_absences_workbook_exits_2_naming_the_cell(workbooks):
    from parasched.io.input_writer import write_absences

    write_absences([Absence("P1", ("Tue",)), Absence("P42", ("Tue",))], workbooks / "absences.xlsx")
    res = run_cli(
        "resolve",
        str(workbooks / "school.xlsx"),
        "--baseline",
        str(workbooks / "baseline.xlsx"),
        "--absences",
        str(workbooks / "absences.xlsx"),
        "-o",
        str(workbooks / "out.xlsx"),
    )
    assert res.exit_code == 2
    assert "Absences!A3 (person_id): 'P42' is neither a para_id nor a student_id" in res.output
    assert not (workbooks / "out.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--absent", "P99", "--day", "Tue"], "--absent P99: 'P99' is neither a para_id in Paras nor a student_id"),
        (["--absent", "P1"], "--absent needs --day"),
        (["--absent", "P1", "--day", "Sat"], "'Sat' is not a school day"),
        (["--absent", "P1:10:00-09:00", "--day", "Tue"], "end 09:00 is not after start 10:00"),
    ],
)
def test_cli_resolve_bad_arguments_exit_2_with_a_clear_message(workbooks, args, message):
    res = run_cli(
        "resolve",
        str(workbooks / "school.xlsx"),
        "--baseline",
        str(workbooks / "baseline.xlsx"),
        "-o",
        str(workbooks / "out.xlsx"),
        *args,
    )
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output
    assert not (workbooks / "out.xlsx").exists()


def test_cli_resolve_reports_the_baselines_own_violations(workbooks):
    from parasched.io.writer import write_schedule
    from parasched.scheduler.schedule import SolveResult, Status

    # hand-edited baseline: P3 (no behavior training) put with S1 on Monday
    rows = [
        a
        for a in school_baseline().assignments
        if not (a.day == "Mon" and a.para_id in ("P1", "P3") and a.kind == Kind.SUPPORT)
    ]
    rows.append(A("P3", "Mon", 8 * H, 11 * H + 30, Kind.SUPPORT, students=("S1",), location="R1"))
    write_schedule(workbooks / "edited.xlsx", school(), SolveResult(Status.FEASIBLE, Schedule(tuple(rows))))
    res = run_cli(
        "resolve",
        str(workbooks / "school.xlsx"),
        "--baseline",
        str(workbooks / "edited.xlsx"),
        "--absent",
        "P2",
        "--day",
        "Tue",
        "-o",
        str(workbooks / "out.xlsx"),
        "--time-limit",
        "5",
        "--workers",
        "1",
    )
    assert res.exit_code == 0, res.output
    assert "The baseline breaks 1 rule(s)" in res.output
    assert "P3" in res.output.split("The baseline breaks", 1)[1].splitlines()[1]


def test_cli_resolve_prints_what_is_still_uncovered_names_only_with_verbose(workbooks):
    args = [
        "resolve",
        str(workbooks / "school.xlsx"),
        "--baseline",
        str(workbooks / "baseline.xlsx"),
        "--absent",
        "P1",
        "--absent",
        "SUB",
        "--day",
        "Tue",
        "-o",
        str(workbooks / "out.xlsx"),
        "--time-limit",
        "5",
        "--workers",
        "1",
    ]
    res = run_cli(*args)
    assert res.exit_code == 0, res.output
    # S1 (priority 1) goes to P2, the only behavior-trained para left; S2 is left uncovered
    assert "P2: Tue 08:00-11:30 was 1:1 S2, now 1:1 S1 (covering P1)" in res.output
    assert "Still uncovered (1):\n  support S2 Tue 08:00-11:30, 210 min, priority 2" in res.output
    assert "Yara" not in res.output
    res = run_cli("--verbose", *args, "--force")  # the first run wrote out.xlsx: overwriting needs --force
    assert res.exit_code == 0, res.output
    assert "support S2 (Yara Young) Tue 08:00-11:30, 210 min, priority 2" in res.output


def test_large_school_path_repairs_first_and_finds_the_same_answer():
    """With a candidate limit (the path of schools above 24 paras) the repair search runs first;
    the absent para's priority-1 student is still covered by the substitute, nobody else moved."""
    from parasched.workflows.resolve import resolve

    limited = dataclasses.replace(options(), max_paras_per_student=2)
    out = resolve(school(), school_baseline(), limited, extra_absences=[Absence("P1", ("Tue",))])
    passes(out.problem, out.schedule)
    assert covered_by(out.schedule, "S1", "Tue") == {"SUB": 210}
    assert covered_by(out.schedule, "S2", "Tue") == {"P2": 210}
    assert out.chosen_changed_minutes == 210 * 2


def test_start_from_an_answer_with_coverage_capped_never_does_worse():
    """The benchmark's "fewest changes at the same coverage": a run from a quick answer with its
    uncovered minutes as hard caps keeps the coverage and changes no more than the quick answer."""
    from parasched.scheduler.kpis import compute_kpis
    from parasched.workflows.resolve import resolve

    absent = [Absence("P1", ("Tue",))]
    # a poor quick answer: P2 (not the substitute) moved onto S1, S2 left alone
    kept = tuple(a for a in school_baseline().assignments if not (a.day == "Tue" and a.para_id in ("P1", "P2")))
    poor = Schedule(
        (
            *kept,
            A("P2", "Tue", 8 * H, 11 * H + 30, Kind.SUPPORT, students=("S1",), location="R1"),
            A("P2", "Tue", 11 * H + 30, 12 * H, Kind.LUNCH),
        )
    )
    first = resolve(school(), school_baseline(), options(), extra_absences=absent, start_from=poor)
    k = compute_kpis(first.problem, first.schedule)
    capped = dataclasses.replace(options(), max_unmet=(k.unmet_p1, k.unmet_p2, k.unmet_p3))
    again = resolve(school(), school_baseline(), capped, extra_absences=absent, start_from=first.schedule)
    k2 = compute_kpis(again.problem, again.schedule)
    assert (k2.unmet_p1, k2.unmet_p2, k2.unmet_p3) <= (k.unmet_p1, k.unmet_p2, k.unmet_p3)
    assert again.chosen_changed_minutes <= first.chosen_changed_minutes
    passes(again.problem, again.schedule)
    # the start is only a start: the solver still finds the substitute (S2 keeps P2)
    assert covered_by(first.schedule, "S1", "Tue") == {"SUB": 210}


def test_max_unmet_caps_are_checked():
    from parasched.solver.options import SolverOptions

    with pytest.raises(ValueError, match="max_unmet"):
        SolverOptions(max_unmet=(0, -1, 0))
    with pytest.raises(ValueError, match="max_unmet"):
        SolverOptions(max_unmet=(0, 0))  # type: ignore[arg-type]


def test_a_shared_student_whose_para_is_out_joins_the_group_in_their_room(monkeypatch):
    """Bo is out on Monday; Max (shared) had Bo alone in Room 1, where Ann supports Kid and Lee
    (a group of three allowed) and nobody else is free. The 7 a.m. answer, before any search:
    Max joins Ann's group (Ann stays where she is, with whom she is)."""
    from parasched.scheduler.schedule import SolveResult, Status
    from parasched.workflows import solve as workflows
    from parasched.workflows.resolve import resolve

    monkeypatch.setattr(workflows, "solve", lambda *a, **k: SolveResult(Status.UNKNOWN, Schedule()))
    problem = Problem(
        Settings(days=("Mon",), school_start=8 * H, school_end=10 * H, lunch_minutes=0),
        (Para("A", "Ann", 8 * H, 10 * H), Para("B", "Bo", 8 * H, 10 * H)),
        tuple(
            Student(sid, name, homeroom="R1", support=Support.SHARED)
            for sid, name in (("S1", "Kid"), ("S2", "Lee"), ("S3", "Max"))
        ),
    )
    baseline = Schedule(
        (
            Assignment("A", "Mon", 8 * H, 10 * H, Kind.SUPPORT, "", ("S1", "S2"), "R1"),
            Assignment("B", "Mon", 8 * H, 10 * H, Kind.SUPPORT, "", ("S3",), "R1"),
        )
    )
    passes(problem, baseline)
    out = resolve(problem, baseline, options(), extra_absences=[Absence("B", ("Mon",))])
    passes(out.problem, out.schedule)
    assert out.answer == "filled"
    assert covered_by(out.schedule, "S3", "Mon") == {"A": 120}
    assert out.schedule.unmet == ()
