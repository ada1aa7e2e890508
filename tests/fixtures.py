"""Shared test problems, also usable from scripts: ``from tests.fixtures import complete_problem``.

- :func:`small_problem`: a generated 7-para school (fixed seed), solvable in a couple of seconds.
- :func:`complete_problem`: a small hand-built school using every feature of the contract.
"""

from __future__ import annotations

import datetime as dt

from parasched.scheduler.model import (
    Absence,
    Availability,
    Duty,
    DutyKind,
    Para,
    ParaRole,
    Problem,
    ProviderHours,
    Role,
    Session,
    Settings,
    Student,
    StudentBlock,
    Support,
)
from parasched.scheduler.schedule import Assignment, Kind

SMALL_SEED = 0
SMALL_PARAS = 7


def t(hhmm: str) -> int:
    """Minutes from midnight for ``"08:30"``."""
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


# three mornings, 8-10, no lunch: the scraps' and the refill's tiny schools
THREE_DAYS = ("Mon", "Tue", "Wed")
THREE_MORNINGS = Settings(days=THREE_DAYS, school_start=t("08:00"), school_end=t("10:00"), lunch_minutes=0)


def support_row(para: str, day: str, start: str, end: str, *students: str) -> Assignment:
    """A support row in room R1 from ``"08:00"``-style times."""
    return Assignment(para, day, t(start), t(end), Kind.SUPPORT, "", students, "R1")


def small_problem() -> Problem:
    """A generated school: 7 paras, ~10 students, Mon-Fri, seed fixed."""
    from samples.generator import generate_school

    return generate_school(SMALL_PARAS, seed=SMALL_SEED)


def complete_problem() -> Problem:
    """A small school, Mon-Wed, that uses every feature of the contract at least once.

    - Availability: P4 (usually Mon/Wed mornings) also works Tue 08:00-10:00; P1 is off Wed.
    - Absences: P2 out Tue 10:00-12:00; S3 out all Wed.
    - Students: S1 1:1 behavior (priority 1, rotation 180, preferred P1, avoids P3);
      S2 shared group_max 2 with toileting + gender_match; S3 flex with a weekly target;
      S4 support none by default with a shared block; S5 shared, ASL.
    - Protected blocks (S1, S5 reading), a block-level skill (S2 lift in PE).
    - Paras: a substitute (P5), general_duties=no (P2), max_duty_minutes (P3), a per-para lunch
      override (P3), part-time days (P4).
    - Duties: arrival with staff_needed 2, lunch on Mon/Wed, recess needing a medical skill.
    - Therapy: fixed speech (none), fixed OT (assist), flexible PT with window and provider hours,
      a fixed ABA session delivered by an RBT para, a flexible counseling group with no window.
    - Settings: breaks, max_continuous_minutes, week_of, school name.
    """
    settings = Settings(
        school_name="Maple Grove Elementary",
        days=("Mon", "Tue", "Wed"),
        week_of=dt.date(2026, 11, 23),
        school_start=t("08:00"),
        school_end=t("15:00"),
        time_step=5,
        lunch_minutes=30,
        lunch_window=(t("10:30"), t("13:30")),
        breaks_per_day=1,
        break_minutes=15,
        max_continuous_minutes=180,
        time_limit_seconds=20,
    )
    paras = (
        Para("P1", "Ana Lopez", t("07:30"), t("15:30"), skills=frozenset({"behavior", "medical", "rbt"}), gender="f"),
        Para(
            "P2",
            "Ben Okafor",
            t("08:00"),
            t("15:00"),
            skills=frozenset({"lift", "toileting", "behavior"}),
            gender="m",
            general_duties=False,
        ),
        Para(
            "P3",
            "Carla Diaz",
            t("07:30"),
            t("15:00"),
            skills=frozenset({"asl", "rbt", "medical"}),
            gender="f",
            lunch_minutes=45,
            lunch_window=(t("11:30"), t("14:00")),
            max_duty_minutes=120,
        ),
        Para(
            "P4", "Dev Patel", t("08:00"), t("12:00"), days=("Mon", "Wed"), skills=frozenset({"toileting"}), gender="m"
        ),
        Para(
            "P5", "Erin Walsh", t("08:00"), t("15:00"), role=Role.SUBSTITUTE, skills=frozenset({"behavior"}), gender="f"
        ),
    )
    availability = (
        Availability("P4", "Tue", t("08:00"), t("10:00")),
        Availability("P1", "Wed"),
    )
    students = (
        Student(
            "S1",
            "Liam Carter",
            grade="2",
            homeroom="Room 12",
            support=Support.ONE_TO_ONE,
            skills_required=frozenset({"behavior"}),
            gender="m",
            priority=1,
            max_minutes_with_same_para=180,
            preferred_paras=("P1",),
            avoid_paras=("P3",),
        ),
        Student(
            "S2",
            "Noah Brooks",
            grade="3",
            homeroom="Room 14",
            support=Support.SHARED,
            group_max=2,
            skills_required=frozenset({"toileting"}),
            gender="m",
            gender_match=True,
            priority=2,
        ),
        Student(
            "S3", "Mia Chen", grade="2", homeroom="Room 12", support=Support.FLEX, priority=3, weekly_flex_minutes=120
        ),
        Student("S4", "Ava Singh", grade="3", homeroom="Room 14", support=Support.NONE, gender="f"),
        Student(
            "S5",
            "Zoe Martin",
            grade="3",
            homeroom="Room 14",
            support=Support.SHARED,
            group_max=3,
            skills_required=frozenset({"asl"}),
            gender="f",
            preferred_paras=("P3",),
        ),
    )
    blocks = (
        # S1: reading (protected), art, lunch, math, recess handled in homeroom
        StudentBlock("S1", t("08:00"), t("09:30"), activity="Reading", protected=True),
        StudentBlock("S1", t("09:30"), t("10:15"), activity="Art", location="Art room"),
        StudentBlock("S1", t("10:15"), t("11:30"), activity="Math"),
        StudentBlock("S1", t("11:30"), t("12:00"), activity="Lunch", location="Cafeteria"),
        StudentBlock("S1", t("12:00"), t("15:00"), activity="Science and centers"),
        # S2: shared in class, PE needs lift, none in music
        StudentBlock("S2", t("08:00"), t("10:00"), activity="Reading"),
        StudentBlock(
            "S2",
            t("10:00"),
            t("10:45"),
            days=("Mon", "Wed"),
            activity="PE",
            location="Gym",
            skills_required=frozenset({"lift"}),
        ),
        StudentBlock(
            "S2", t("10:00"), t("10:45"), days=("Tue",), activity="Music", location="Music room", support=Support.NONE
        ),
        StudentBlock("S2", t("10:45"), t("12:00"), activity="Math"),
        StudentBlock("S2", t("12:00"), t("12:30"), activity="Lunch", location="Cafeteria"),
        StudentBlock("S2", t("12:30"), t("15:00"), activity="Afternoon", support=Support.FLEX),
        # S3 has no rows: Room 12 all day, flex
        # S4: support none by default, shared in math
        StudentBlock("S4", t("08:00"), t("10:45"), activity="Reading"),
        StudentBlock("S4", t("10:45"), t("12:00"), activity="Math", support=Support.SHARED),
        StudentBlock("S4", t("12:00"), t("15:00"), activity="Afternoon"),
        # S5: ASL interpreting in class
        StudentBlock("S5", t("08:00"), t("10:00"), activity="Reading", protected=True),
        StudentBlock("S5", t("10:00"), t("10:45"), activity="PE", location="Gym", support=Support.FLEX),
        StudentBlock("S5", t("10:45"), t("12:00"), activity="Math"),
        StudentBlock("S5", t("12:00"), t("12:30"), activity="Lunch", location="Cafeteria", support=Support.NONE),
        StudentBlock("S5", t("12:30"), t("15:00"), activity="Afternoon"),
    )
    duties = (
        Duty(
            "D1",
            "Front door arrival",
            DutyKind.ARRIVAL,
            t("07:30"),
            t("08:00"),
            location="Front door",
            staff_needed=2,
            priority=1,
        ),
        Duty(
            "D2",
            "Cafeteria lunch",
            DutyKind.LUNCH,
            t("11:30"),
            t("12:00"),
            days=("Mon", "Wed"),
            location="Cafeteria",
            priority=2,
        ),
        Duty(
            "D3",
            "Recess with medical cover",
            DutyKind.RECESS,
            t("12:30"),
            t("12:50"),
            location="Playground",
            skills_required=frozenset({"medical"}),
            priority=3,
        ),
    )
    sessions = (
        Session(
            "T1",
            ("S4",),
            kind="speech",
            provider="Ms. Reed (SLP)",
            para_role=ParaRole.NONE,
            days=("Mon", "Wed"),
            start=t("09:00"),
            end=t("09:30"),
        ),
        Session(
            "T2",
            ("S1",),
            kind="OT",
            provider="Mr. Kim (OT)",
            para_role=ParaRole.ASSIST,
            skills_required=frozenset({"behavior"}),
            priority=1,
            days=("Tue",),
            start=t("13:00"),
            end=t("13:30"),
        ),
        Session(
            "T3",
            ("S2",),
            kind="PT",
            provider="Ms. Grant (PT)",
            para_role=ParaRole.NONE,
            sessions_per_week=2,
            duration_minutes=30,
            allowed_days=("Mon", "Tue"),
            window=(t("13:00"), t("15:00")),
        ),
        Session(
            "T4",
            ("S1",),
            kind="ABA",
            provider="",
            para_role=ParaRole.DELIVER,
            skills_required=frozenset({"rbt"}),
            days=("Mon", "Tue"),
            start=t("14:00"),
            end=t("14:30"),
        ),
        Session(
            "T5",
            ("S3", "S4"),
            kind="counseling",
            provider="Mr. Hale (counselor)",
            para_role=ParaRole.NONE,
            priority=3,
            sessions_per_week=1,
            duration_minutes=30,
        ),
    )
    provider_hours = (
        ProviderHours("Ms. Reed (SLP)", t("08:00"), t("12:00"), days=("Mon", "Wed")),
        ProviderHours("Mr. Kim (OT)", t("12:00"), t("15:00"), days=("Tue",)),
        ProviderHours("Ms. Grant (PT)", t("13:00"), t("15:00"), days=("Mon",)),
        ProviderHours("Ms. Grant (PT)", t("08:00"), t("15:00"), days=("Tue",)),
    )
    absences = (
        Absence("P2", ("Tue",), t("10:00"), t("12:00"), reason="doctor appointment"),
        Absence("S3", ("Wed",), reason="sick"),
    )
    return Problem(
        settings,
        paras,
        students,
        student_blocks=blocks,
        availability=availability,
        duties=duties,
        sessions=sessions,
        provider_hours=provider_hours,
        absences=absences,
    )


__all__ = ["complete_problem", "small_problem", "t"]
