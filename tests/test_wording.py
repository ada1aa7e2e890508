"""The words people read: Unmet reasons (``scheduler/explain.py``) on hand-made schedules.

No solver runs here: each schedule is written by hand so the reason is known exactly.
"""

from __future__ import annotations

import pytest

from parasched.scheduler.coverage import unmet_rows
from parasched.scheduler.explain import NO_RULE, explain, gender_para, tidy
from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Settings, Student
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from tests.fixtures import t

MORNING = Settings(days=("Mon",), school_start=t("08:00"), school_end=t("09:00"), lunch_minutes=0)


def support(pid: str, start: str, end: str, *students: str) -> Assignment:
    return Assignment(pid, "Mon", t(start), t(end), Kind.SUPPORT, students=students)


def reasons(problem: Problem, *rows: Assignment) -> list[str]:
    schedule = Schedule(assignments=rows)
    return [u.reason for u in explain(problem, schedule, unmet_rows(problem, schedule))]


@pytest.mark.parametrize(
    ("typed", "said"),
    [("m", "a male para"), ("F", "a female para"), ("woman", "a female para"), ("x", "a para of gender 'x'")],
)
def test_gender_is_said_in_words(typed: str, said: str) -> None:
    assert gender_para(typed) == said


def test_gender_match_reason_names_a_male_para_not_an_m_para() -> None:
    problem = Problem(
        MORNING,
        (Para("P1", "Ben", t("08:00"), t("09:00"), gender="m"),),
        (Student("S1", "Sam", gender="m", gender_match=True), Student("S2", "Tia", priority=1)),
    )
    (reason,) = reasons(problem, support("P1", "08:00", "09:00", "S2"))
    assert reason == (
        "needs a male para (gender_match): the only eligible para working Mon 08:00-09:00: "
        "P1 with S2 (priority 1) 08:00-09:00"
    )


def test_a_free_stretch_shorter_than_min_support_minutes_is_named() -> None:
    settings = Settings(
        days=("Mon",), school_start=t("08:00"), school_end=t("09:00"), lunch_minutes=0, min_support_minutes=15
    )
    problem = Problem(
        settings,
        (Para("P1", "Ana", t("08:00"), t("08:50")), Para("P2", "Ben", t("08:50"), t("09:00"))),
        (Student("S1", "Sam"),),
    )
    (reason,) = reasons(problem, support("P1", "08:00", "08:50", "S1"))
    assert reason == (
        "the only eligible para working Mon 08:50-09:00: P2 is free 08:50-09:00 but has only 10 free "
        "minutes there, and a para stays at least 15 minutes with a student (min_support_minutes)"
    )


def test_a_short_need_stretch_of_its_own_is_not_blamed_on_min_support_minutes() -> None:
    # a 10-minute arrival block may get a 10-minute run: the rule is not what stopped P1
    settings = Settings(
        days=("Mon",), school_start=t("08:00"), school_end=t("08:10"), lunch_minutes=0, min_support_minutes=15
    )
    problem = Problem(settings, (Para("P1", "Ana", t("08:00"), t("09:00")),), (Student("S1", "Sam"),))
    (reason,) = reasons(problem)
    assert "min_support_minutes" not in reason
    assert reason == f"the only eligible para working Mon 08:00-08:10: P1 is free 08:00-08:10: {NO_RULE}"


def test_continuous_work_is_named_with_minutes() -> None:
    settings = Settings(
        days=("Mon",), school_start=t("08:00"), school_end=t("10:30"), lunch_minutes=0, max_continuous_minutes=120
    )
    problem = Problem(
        settings,
        (Para("P1", "Ana", t("08:00"), t("10:30")),),
        (Student("S1", "Sam", priority=1), Student("S2", "Tia", priority=3)),
    )
    rows = [support("P1", "08:00", "10:00", "S1"), support("P1", "10:05", "10:30", "S2")]
    got = reasons(problem, *rows)
    assert (
        "P1 with S1 (priority 1) 08:00-10:00, free 10:00-10:05 but would work more than 120 minutes without a "
        "pause (max_continuous_minutes)"
    ) in got[-1]


def test_duty_cap_reason_counts_minutes() -> None:
    settings = Settings(days=("Mon",), school_start=t("08:00"), school_end=t("09:00"), lunch_minutes=0)
    duty = Duty("D1", "Bus line", DutyKind.BUS, start=t("08:00"), end=t("08:30"))
    problem = Problem(settings, (Para("P1", "Ana", t("07:00"), t("09:00"), max_duty_minutes=20),), (), duties=(duty,))
    (reason,) = reasons(problem, Assignment("P1", "Mon", t("08:00"), t("08:20"), Kind.DUTY, ref="D1"))
    assert reason == (
        "needs 1 para; 1 eligible para works Mon 08:20-08:30: P1 is free 08:20-08:30 but already has "
        "20 duty minutes this week, the cap is 20 (max_duty_minutes)"
    )


def test_rotation_reason_counts_minutes() -> None:
    problem = Problem(
        MORNING, (Para("P1", "Ana", t("08:00"), t("09:00")),), (Student("S1", "Sam", max_minutes_with_same_para=30),)
    )
    (reason,) = reasons(problem, support("P1", "08:00", "08:30", "S1"))
    assert reason.endswith(
        "but has already spent 30 minutes with S1 that day, the most one para may "
        "(rotation limit, max_minutes_with_same_para 30)"
    )


def test_tidy_removes_double_spaces_and_space_before_punctuation() -> None:
    assert tidy("needs  lift , toileting  ( P1 ) ;  done ") == "needs lift, toileting ( P1); done"


def test_no_reason_has_double_spaces_or_bare_numbers() -> None:
    from tests.fixtures import complete_problem

    problem = complete_problem()
    for reason in reasons(problem):
        assert "  " not in reason and " m para" not in reason
        assert " min " not in reason + " "  # "minutes", never the abbreviation


def test_a_reason_lists_four_paras_and_counts_the_others() -> None:
    """Seven 1:1 students, six paras: the one left short hears of four busy paras and 'and 2 more'."""
    from parasched.scheduler.coverage import unmet_rows
    from parasched.scheduler.explain import explain
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.model import Para, Problem, Settings, Student
    from parasched.scheduler.weekgrid import WeekGrid

    st = Settings(lunch_minutes=0, days=("Mon",), school_start=480, school_end=540)
    paras = tuple(Para(f"P{i}", f"p{i}", 480, 540) for i in range(6))
    students = tuple(Student(f"S{i}", f"s{i}", homeroom="R", priority=1) for i in range(7))
    problem = Problem(st, paras, students)
    schedule = greedy_schedule(problem)
    grid = WeekGrid.of(problem)
    (row,) = explain(problem, schedule, unmet_rows(problem, schedule, grid), grid)
    assert "6 eligible paras work" in row.reason
    assert row.reason.endswith("; and 2 more")
    assert row.reason.count(" with S") == 4


def test_flex_target_without_flex_blocks_says_so() -> None:
    problem = Problem(
        MORNING,
        (Para("P1", "Ben", t("08:00"), t("09:00")),),
        (Student("S1", "Sam", weekly_flex_minutes=100),),
    )
    assert reasons(problem, support("P1", "08:00", "09:00", "S1")) == [
        "S1 has no flex blocks this week, and only support in flex blocks counts toward the 100-minute target"
    ]
