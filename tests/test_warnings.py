"""validate's warnings about input that is legal but almost certainly not meant (issue 13):
exact messages, each naming its cells, read from a real workbook."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from parasched.cli import main
from parasched.io.input_writer import write_problem
from parasched.io.reader import read_problem
from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Settings, Student, StudentBlock, Support
from tests.fixtures import t

SETTINGS = Settings(days=("Mon", "Tue"), school_start=t("08:00"), school_end=t("12:00"))


def _warnings(tmp_path: Path, problem: Problem) -> list[str]:
    path = tmp_path / "school.xlsx"
    write_problem(problem, path)
    return [str(w) for w in read_problem(path).warnings]


def _paras(**genders: str) -> tuple[Para, ...]:
    return tuple(Para(pid, f"Para {pid}", t("07:30"), t("12:00"), gender=g) for pid, g in genders.items())


def test_short_rows_for_a_shared_student(tmp_path: Path) -> None:
    problem = Problem(
        SETTINGS,
        _paras(P1="", P2=""),
        (Student("S1", "Ann Lee"), Student("S2", "Bo Chen", support=Support.SHARED)),
        (
            StudentBlock("S2", t("11:00"), t("11:30"), activity="Lunch"),
            StudentBlock("S2", t("08:00"), t("09:00"), days=("Mon",)),
        ),
    )
    assert _warnings(tmp_path, problem) == [
        "Students!E3 (support): student 'S2' has StudentSchedule rows 2, 3 covering only 90 minutes on Mon and "
        "30 minutes on Tue of the 240-minute school day 08:00-12:00, while their default support is shared: "
        "outside their rows they need no para; expected rows for the whole day (or no rows at all: the homeroom "
        "all day)"
    ]


def test_lunch_row_only_for_a_one_to_one_student(tmp_path: Path) -> None:
    """The newcomer's case: a 1:1 priority-1 student given only a Lunch row."""
    problem = Problem(
        SETTINGS,
        _paras(P1="", P2=""),
        (Student("S1", "Ann Lee", priority=1),),
        (StudentBlock("S1", t("11:00"), t("11:30"), activity="Lunch"),),
    )
    assert _warnings(tmp_path, problem) == [
        "Students!E2 (support): student 'S1' has StudentSchedule rows 2 covering only 30 minutes on Mon, Tue of "
        "the 240-minute school day 08:00-12:00, while their default support is 1:1: outside their rows they "
        "need no para; expected rows for the whole day (or no rows at all: the homeroom all day)"
    ]


def test_no_short_day_warning_for_half_a_day_flex_or_no_rows(tmp_path: Path) -> None:
    problem = Problem(
        SETTINGS,
        _paras(P1="", P2=""),
        (Student("S1", "Ann Lee"), Student("S2", "Bo Chen", support=Support.FLEX), Student("S3", "Cy Diaz")),
        (
            StudentBlock("S1", t("08:00"), t("10:00")),  # exactly half: fine
            StudentBlock("S2", t("11:00"), t("11:30")),  # flex: support only welcome
        ),
    )
    assert _warnings(tmp_path, problem) == []


def test_gender_spelled_differently(tmp_path: Path) -> None:
    problem = Problem(
        SETTINGS,
        _paras(P1="M", P2="F"),
        (
            Student("S1", "Ann Lee", gender="male", gender_match=True),
            Student("S2", "Bo Chen", gender="male"),
            Student("S3", "Cy Diaz", gender="f"),
        ),
    )
    assert _warnings(tmp_path, problem) == [
        "Students!I2 (gender_match): student 'S1' needs a para of gender 'male' (gender_match) and no para has "
        "gender 'male'; their support cannot be covered",
        "Students!H2 (gender): gender 'male' (Students!H2, H3) is not spelled as any para's gender: paras have "
        "'f' (Paras!H3) and 'm' (Paras!H2); genders are compared as written (ignoring case), so the gender_match "
        "student(s) S1 get no para; expected one spelling on both sheets, such as 'm'",
    ]


def test_gender_spelling_without_gender_match_still_named(tmp_path: Path) -> None:
    problem = Problem(SETTINGS, _paras(P1="female", P2="female"), (Student("S1", "Ann Lee", gender="F"),))
    assert _warnings(tmp_path, problem) == [
        "Students!H2 (gender): gender 'f' (Students!H2) is not spelled as any para's gender: paras have 'female' "
        "(Paras!H2, H3); genders are compared as written (ignoring case), so it would match no para under "
        "gender_match; expected one spelling on both sheets, such as 'female'"
    ]


def test_same_gender_spelling_or_no_para_gender_is_quiet(tmp_path: Path) -> None:
    same = Problem(SETTINGS, _paras(P1="m", P2="F"), (Student("S1", "Ann Lee", gender="M", gender_match=True),))
    assert _warnings(tmp_path, same) == []
    none = Problem(SETTINGS, _paras(P1="", P2=""), (Student("S1", "Ann Lee", gender="m"),))
    assert _warnings(tmp_path, none) == []
    other = Problem(SETTINGS, _paras(P1="f", P2="f"), (Student("S1", "Ann Lee", gender="m"),))
    assert _warnings(tmp_path, other) == []  # no para of that gender: not a spelling, nothing to say here


def test_priority_one_student_with_a_single_eligible_para(tmp_path: Path) -> None:
    paras = (
        Para("P1", "Para One", t("07:30"), t("12:00"), skills=frozenset({"medical"})),
        Para("P2", "Para Two", t("07:30"), t("12:00")),
    )
    problem = Problem(
        SETTINGS,
        paras,
        (
            Student("S1", "Ann Lee", priority=1, skills_required=frozenset({"medical"})),
            Student("S2", "Bo Chen", priority=1, avoid_paras=("P2",)),
            Student("S3", "Cy Diaz", priority=2, skills_required=frozenset({"medical"})),
        ),
    )
    assert _warnings(tmp_path, problem) == [
        "Students!J2 (priority): priority-1 student 'S1' has a single eligible para, 'P1', limited by "
        "skills_required medical (Students!G2): while P1 is at lunch or on a break nobody may cover S1, so that "
        "time is unmet every day; expected at least two paras who may support them",
        "Students!J3 (priority): priority-1 student 'S2' has a single eligible para, 'P1', limited by avoid_paras "
        "(Students!M3): while P1 is at lunch or on a break nobody may cover S2, so that time is unmet every day; "
        "expected at least two paras who may support them",
    ]


def test_priority_one_student_in_a_school_of_one_para_is_quiet(tmp_path: Path) -> None:
    paras = (Para("P1", "Para One", t("07:30"), t("12:00"), skills=frozenset({"medical"})),)
    problem = Problem(SETTINGS, paras, (Student("S1", "Ann Lee", priority=1, skills_required=frozenset({"medical"})),))
    assert _warnings(tmp_path, problem) == []


def test_priority_one_student_needing_no_support_is_quiet(tmp_path: Path) -> None:
    paras = (
        Para("P1", "Para One", t("07:30"), t("12:00"), skills=frozenset({"medical"})),
        Para("P2", "Para Two", t("07:30"), t("12:00")),
    )
    problem = Problem(
        SETTINGS,
        paras,
        (Student("S1", "Ann Lee", priority=1, support=Support.NONE, skills_required=frozenset({"medical"})),),
    )
    assert _warnings(tmp_path, problem) == []


def test_duty_needing_more_paras_than_the_school_has(tmp_path: Path) -> None:
    problem = Problem(
        SETTINGS,
        _paras(P1="", P2=""),
        (Student("S1", "Ann Lee"),),
        duties=(Duty("D1", "Bus", DutyKind.BUS, t("08:00"), t("08:30"), staff_needed=5),),
    )
    assert _warnings(tmp_path, problem) == [
        "Duties!H2 (staff_needed): duty 'D1' needs 5 paras at once but the school has 2; at least 3 will be unmet "
        "every minute; expected at most 2"
    ]


def test_validate_prints_the_warning_and_exits_0(tmp_path: Path) -> None:
    problem = Problem(
        SETTINGS,
        _paras(P1="", P2=""),
        (Student("S1", "Ann Lee", priority=1),),
        (StudentBlock("S1", t("11:00"), t("11:30"), activity="Lunch"),),
    )
    path = tmp_path / "school.xlsx"
    write_problem(problem, path)
    run = CliRunner().invoke(main, ["validate", str(path)])
    assert run.exit_code == 0, run.output
    assert "Students!E2 (support): student 'S1' has StudentSchedule rows 2 covering only 30 minutes" in run.output
    assert "Ann Lee" not in run.output


def test_flex_target_beyond_the_flex_blocks(tmp_path: Path) -> None:
    """The shared schools' generator gives some students a flex target and no flex block: only
    support in flex blocks counts toward it (contract), so the administrator hears it up front."""
    problem = Problem(
        SETTINGS,
        _paras(P1="", P2=""),
        (
            Student("S1", "Ann Lee", support=Support.SHARED, weekly_flex_minutes=100),
            Student("S2", "Bo Chen", weekly_flex_minutes=100),
            Student("S3", "Cy Diaz", weekly_flex_minutes=100),
        ),
        (
            StudentBlock("S2", t("08:00"), t("10:00")),
            StudentBlock("S2", t("10:00"), t("10:30"), days=("Mon",), support=Support.FLEX),
            StudentBlock("S2", t("10:30"), t("12:00")),
            StudentBlock("S2", t("10:00"), t("10:30"), days=("Tue",)),
            StudentBlock("S3", t("08:00"), t("10:00")),
            StudentBlock("S3", t("10:00"), t("11:00"), support=Support.FLEX),
            StudentBlock("S3", t("11:00"), t("12:00")),
        ),
    )
    assert _warnings(tmp_path, problem) == [
        "Students!N2 (weekly_flex_minutes): student 'S1' has weekly_flex_minutes 100 but no flex blocks this "
        "week; only support in flex blocks counts toward it, so at least 100 minutes will be unmet; expected "
        "StudentSchedule rows with Support 'flex' holding 100 minutes, or a lower target",
        "Students!N3 (weekly_flex_minutes): student 'S2' has weekly_flex_minutes 100 but flex blocks of only 30 "
        "minutes this week; only support in flex blocks counts toward it, so at least 70 minutes will be unmet; "
        "expected StudentSchedule rows with Support 'flex' holding 100 minutes, or a lower target",
    ]
