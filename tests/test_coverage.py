"""Coverage arithmetic: what a hand-written schedule leaves uncovered, minute for minute."""

from parasched.scheduler.coverage import coverage, flex_minutes, unmet_rows
from parasched.scheduler.model import (
    Duty,
    DutyKind,
    Para,
    ParaRole,
    Problem,
    Session,
    Settings,
    Student,
    StudentBlock,
    Support,
)
from parasched.scheduler.schedule import Assignment, Kind, PlacedSession, Schedule, UnmetKind

A = Assignment


def problem():
    students = (
        Student("S1", "a", priority=1),
        Student("S2", "b", support=Support.SHARED),
        Student("S3", "c", support=Support.FLEX, weekly_flex_minutes=100, priority=3),
    )
    blocks = (
        StudentBlock("S1", 480, 600, location="R1"),
        StudentBlock("S2", 480, 600, location="R1"),
        StudentBlock("S3", 480, 540, location="R1"),
    )
    return Problem(
        Settings(days=("Mon",)),
        (Para("P1", "x", 480, 900), Para("P2", "y", 480, 900)),
        students,
        student_blocks=blocks,
        duties=(Duty("D1", "Bus", DutyKind.BUS, 840, 870, staff_needed=2),),
        sessions=(
            Session("T1", ("S1",), provider="SLP", para_role=ParaRole.ASSIST, days=("Mon",), start=540, end=570),
            Session("F1", ("S2",), provider="OT", sessions_per_week=1, duration_minutes=30),
        ),
    )


def test_one_to_one_in_a_group_row_is_not_covered():
    sched = Schedule(
        assignments=(A("P1", "Mon", 480, 540, Kind.SUPPORT, students=("S1", "S2")),),
        sessions=(PlacedSession("T1", "Mon", 540, 570, "SLP"),),
    )
    s1 = [c for c in coverage(problem(), sched) if c.kind == UnmetKind.SUPPORT and c.ref == "S1"]
    # S1 needs 480-540 and 570-600 (therapy 540-570 removed); the group row does not count for 1:1
    assert [(c.required, c.missing) for c in s1] == [(60, 60), (30, 30)]
    # S2 (shared) is covered 480-540 by the group row
    assert [c.missing for c in coverage(problem(), sched) if c.ref == "S2"] == [60]


def test_duty_staff_minutes_and_therapy_and_unplaced_flexible():
    sched = Schedule(
        assignments=(
            A("P1", "Mon", 840, 870, Kind.DUTY, ref="D1"),
            A("P2", "Mon", 855, 870, Kind.DUTY, ref="D1"),
            A("P2", "Mon", 540, 560, Kind.THERAPY, ref="T1", students=("S1",)),
        ),
        sessions=(PlacedSession("T1", "Mon", 540, 570, "SLP", "P2"),),
    )
    rows = {(u.kind, u.ref, u.start, u.end): u.minutes for u in unmet_rows(problem(), sched)}
    assert rows[(UnmetKind.DUTY, "D1", 840, 855)] == 15
    assert rows[(UnmetKind.THERAPY, "T1", 560, 570)] == 10
    assert rows[(UnmetKind.THERAPY, "F1", None, None)] == 30
    assert rows[(UnmetKind.FLEX, "S3", None, None)] == 100


def test_flex_minutes_counted_inside_flex_blocks_only():
    sched = Schedule(
        assignments=(A("P1", "Mon", 500, 600, Kind.SUPPORT, students=("S3",)),),
        sessions=(PlacedSession("T1", "Mon", 540, 570, "SLP"),),
    )
    assert flex_minutes(problem(), sched) == {"S3": 40}
    flex_row = [u for u in unmet_rows(problem(), sched) if u.kind == UnmetKind.FLEX]
    assert flex_row[0].minutes == 60


def test_uncovered_minutes_match_a_minute_by_minute_count() -> None:
    """Random support rows over a student's blocks (1:1 and shared, group rows among them):
    ``coverage`` finds exactly the minutes a minute-by-minute count finds uncovered."""
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    rows = hs.lists(
        hs.tuples(hs.integers(0, 30), hs.integers(1, 12), hs.sampled_from(["S1", "S2"]), hs.booleans()), max_size=12
    )

    @settings(max_examples=200, deadline=None)
    @given(rows)
    def check(spec: list[tuple[int, int, str, bool]]) -> None:
        p = Problem(
            Settings(days=("Mon",)),
            (Para("P1", "x", 480, 900), Para("P2", "y", 480, 900)),
            (Student("S1", "a", priority=1), Student("S2", "b", support=Support.SHARED)),
            student_blocks=(
                StudentBlock("S1", 480, 540),
                StudentBlock("S1", 540, 600),
                StudentBlock("S2", 480, 520),
                StudentBlock("S2", 560, 600),
            ),
        )
        sched = Schedule(
            tuple(
                A("P1", "Mon", 480 + 5 * a, 480 + 5 * (a + n), Kind.SUPPORT, "", ("S1", "S2") if group else (sid,))
                for a, n, sid, group in spec
            )
        )
        needs = [n for n in coverage(p, sched) if n.kind == UnmetKind.SUPPORT]
        assert all(s < e for n in needs for s, e, _ in n.uncovered)
        for sid in ("S1", "S2"):
            group_ok = sid == "S2"  # a shared student is covered in a group too
            covered = {
                m
                for r in sched.assignments
                if sid in r.students and (group_ok or len(r.students) == 1)
                for m in range(r.start, r.end)
            }
            blocks = [b for b in p.student_blocks if b.student_id == sid]
            expect = sum(1 for b in blocks for m in range(b.start, b.end) if m not in covered)
            assert sum(n.missing for n in needs if n.ref == sid) == expect

    check()
