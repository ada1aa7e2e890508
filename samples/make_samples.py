"""Write the bundled sample inputs (run from the repository root: ``python samples/make_samples.py``).

- ``small_school.xlsx``: Lincoln Park Elementary, a hand-made small school (12 paras, 15 students
  with IEP support, duties, fixed and flexible therapy), plus ``small_school_csv/`` (the same as csv).
- ``midsize_school.xlsx``: a generated 40-para school (``generate_school(40, seed=2024)``).
- ``absences_tuesday.xlsx``: an Absences sheet for ``resolve``: three paras out Tuesday (one for the
  afternoon only) and one student out.

Together they use every sheet and column of the input contract.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from parasched.io.input_writer import write_absences, write_problem, write_problem_csv  # noqa: E402
from parasched.scheduler.model import (  # noqa: E402
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
from samples.generator import generate_school  # noqa: E402

HERE = Path(__file__).resolve().parent
WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri")
SPECIALS = {
    "Mon": ("Art", "Art room"),
    "Tue": ("Music", "Music room"),
    "Wed": ("PE", "Gym"),
    "Thu": ("Library", "Library"),
    "Fri": ("PE", "Gym"),
}


def t(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def tags(text: str) -> frozenset[str]:
    return frozenset(x.strip() for x in text.split(",") if x.strip())


# The day of each grade band: (start, end, activity, location); "Specials" rotate by day.
BANDS: dict[str, list[tuple[str, str, str, str]]] = {
    "K-1": [
        ("08:00", "09:30", "Reading", ""),
        ("09:30", "10:15", "Specials", ""),
        ("10:15", "10:45", "Writing", ""),
        ("10:45", "11:15", "Lunch", "Cafeteria"),
        ("11:15", "11:35", "Recess", "Playground"),
        ("11:35", "12:45", "Math", ""),
        ("12:45", "13:30", "Centers", ""),
        ("13:30", "14:15", "Science", ""),
        ("14:15", "15:00", "Social skills", ""),
    ],
    "2-3": [
        ("08:00", "09:30", "Reading", ""),
        ("09:30", "10:30", "Math", ""),
        ("10:30", "11:15", "Writing", ""),
        ("11:15", "11:45", "Lunch", "Cafeteria"),
        ("11:45", "12:05", "Recess", "Playground"),
        ("12:05", "12:50", "Specials", ""),
        ("12:50", "13:45", "Science", ""),
        ("13:45", "14:30", "Intervention", "Resource room"),
        ("14:30", "15:00", "Pack-up", ""),
    ],
    "4-5": [
        ("08:00", "09:15", "Math", ""),
        ("09:15", "10:45", "Reading", ""),
        ("10:45", "11:30", "Specials", ""),
        ("11:30", "11:45", "Read aloud", ""),
        ("11:45", "12:15", "Lunch", "Cafeteria"),
        ("12:15", "12:35", "Recess", "Playground"),
        ("12:35", "13:30", "Science", ""),
        ("13:30", "14:15", "Social studies", ""),
        ("14:15", "15:00", "Intervention", "Resource room"),
    ],
}


def day_rows(
    sid: str,
    band: str,
    support: dict[str, Support | None] | None = None,
    protected: tuple[str, ...] = (),
    skills: dict[str, str] | None = None,
) -> list[StudentBlock]:
    """A student's week from their grade band; ``support`` per activity (missing = the default)."""
    support = support or {}
    skills = skills or {}
    rows: list[StudentBlock] = []
    for start, end, act, loc in BANDS[band]:
        if act == "Specials":
            for day in WEEK:
                name, room = SPECIALS[day]
                rows.append(
                    StudentBlock(
                        sid,
                        t(start),
                        t(end),
                        days=(day,),
                        activity=name,
                        location=room,
                        support=support.get(name, support.get("Specials")),
                        skills_required=tags(skills.get(name, "")),
                    )
                )
            continue
        rows.append(
            StudentBlock(
                sid,
                t(start),
                t(end),
                activity=act,
                location=loc,
                support=support.get(act),
                skills_required=tags(skills.get(act, "")),
                protected=act in protected,
            )
        )
    return rows


def small_school() -> Problem:
    settings = Settings(
        school_name="Lincoln Park Elementary",
        days=WEEK,
        week_of=dt.date(2026, 11, 30),
        school_start=t("08:00"),
        school_end=t("15:00"),
        time_step=5,
        lunch_minutes=30,
        lunch_window=(t("10:30"), t("13:30")),
        breaks_per_day=1,
        break_minutes=15,
        max_continuous_minutes=180,
        min_support_minutes=15,
        time_limit_seconds=30,
    )
    P = Para
    paras = (
        P("P01", "Maria Gonzalez", t("07:30"), t("15:30"), skills=tags("behavior, spanish"), gender="f"),
        P("P02", "James Carter", t("07:30"), t("15:30"), skills=tags("behavior, lift, toileting"), gender="m"),
        P("P03", "Linda Nguyen", t("08:00"), t("15:00"), skills=tags("medical, toileting"), gender="f"),
        P("P04", "Aisha Johnson", t("07:30"), t("15:30"), skills=tags("behavior, rbt, spanish"), gender="f"),
        P(
            "P05",
            "Rosa Martinez",
            t("08:00"),
            t("15:00"),
            skills=tags("spanish, toileting"),
            gender="f",
            general_duties=False,
        ),
        P(
            "P06",
            "David Kim",
            t("08:00"),
            t("15:00"),
            skills=tags("behavior, toileting"),
            gender="m",
            max_duty_minutes=150,
        ),
        P("P07", "Grace Williams", t("08:00"), t("15:00"), skills=tags("ASL"), gender="f"),
        P(
            "P08",
            "Tanya Brooks",
            t("07:30"),
            t("15:30"),
            skills=tags("medical, behavior"),
            gender="f",
            lunch_minutes=45,
            lunch_window=(t("11:30"), t("13:30")),
        ),
        P(
            "P09",
            "Priya Patel",
            t("08:00"),
            t("12:30"),
            days=("Mon", "Wed", "Fri"),
            skills=tags("toileting"),
            gender="f",
        ),
        P("P10", "Kevin O'Brien", t("08:00"), t("15:00"), skills=tags("lift, behavior, toileting"), gender="m"),
        P("P11", "Hannah Lee", t("08:00"), t("15:00"), role=Role.SUBSTITUTE, skills=tags("behavior, ASL"), gender="f"),
        P(
            "P12",
            "Sofia Ramirez",
            t("07:30"),
            t("15:30"),
            skills=tags("rbt, behavior, toileting, spanish"),
            gender="f",
            general_duties=False,
        ),
    )
    availability = (
        Availability("P03", "Thu", t("08:00"), t("12:00")),  # leaves at noon on Thursdays (class)
        Availability("P09", "Tue", t("08:00"), t("12:30")),  # works Tuesday this week...
        Availability("P09", "Wed"),  # ...instead of Wednesday
    )
    S = Student
    one = Support.ONE_TO_ONE
    students = (
        S(
            "S01",
            "Mateo Alvarez",
            grade="K",
            homeroom="Room 101",
            support=one,
            skills_required=tags("behavior, spanish"),
            gender="m",
            priority=1,
            max_minutes_with_same_para=180,
            preferred_paras=("P01",),
            avoid_paras=("P06",),
        ),
        S(
            "S02",
            "Ava Thompson",
            grade="1",
            homeroom="Room 102",
            support=one,
            skills_required=tags("medical"),
            gender="f",
            priority=1,
            preferred_paras=("P03", "P08"),
        ),
        S(
            "S03",
            "Liam Walker",
            grade="2",
            homeroom="Room 104",
            support=one,
            skills_required=tags("behavior"),
            gender="m",
            priority=1,
            max_minutes_with_same_para=210,
            avoid_paras=("P10",),
        ),
        S(
            "S04",
            "Noah Bennett",
            grade="3",
            homeroom="Room 104",
            support=one,
            skills_required=tags("lift, toileting"),
            gender="m",
            gender_match=True,
            priority=2,
        ),
        S(
            "S05",
            "Zoe Mitchell",
            grade="4",
            homeroom="Room 106",
            support=one,
            skills_required=tags("ASL"),
            gender="f",
            priority=2,
            preferred_paras=("P07",),
        ),
        S("S06", "Ella Harris", grade="1", homeroom="Room 102", support=Support.SHARED, group_max=3, gender="f"),
        S(
            "S07",
            "Caleb Young",
            grade="1",
            homeroom="Room 102",
            support=Support.SHARED,
            group_max=3,
            gender="m",
            weekly_flex_minutes=90,
        ),
        S(
            "S08",
            "Lily Chen",
            grade="2",
            homeroom="Room 103",
            support=Support.FLEX,
            gender="f",
            priority=3,
            weekly_flex_minutes=120,
        ),
        S(
            "S09",
            "Jayden Scott",
            grade="2",
            homeroom="Room 103",
            support=Support.SHARED,
            group_max=2,
            skills_required=tags("behavior"),
            gender="m",
            priority=1,
        ),
        S(
            "S10",
            "Maya Robinson",
            grade="3",
            homeroom="Room 105",
            support=Support.SHARED,
            group_max=3,
            skills_required=tags("toileting"),
            gender="f",
            gender_match=True,
        ),
        S(
            "S11",
            "Owen Davis",
            grade="3",
            homeroom="Room 105",
            support=Support.FLEX,
            gender="m",
            priority=3,
            weekly_flex_minutes=60,
        ),
        S("S12", "Isla Turner", grade="4", homeroom="Room 106", support=Support.NONE, gender="f"),
        S(
            "S13",
            "Diego Flores",
            grade="5",
            homeroom="Room 107",
            support=Support.SHARED,
            group_max=4,
            skills_required=tags("spanish"),
            gender="m",
            preferred_paras=("P05",),
        ),
        S(
            "S14",
            "Amara Okafor",
            grade="5",
            homeroom="Room 107",
            support=one,
            skills_required=tags("behavior"),
            gender="f",
            priority=1,
            max_minutes_with_same_para=240,
            preferred_paras=("P04", "P12"),
        ),
        S("S15", "Ezra Cohen", grade="K", homeroom="Room 101", support=Support.SHARED, group_max=2, gender="m"),
    )
    none, flex, shared = Support.NONE, Support.FLEX, Support.SHARED
    blocks: list[StudentBlock] = []
    blocks += day_rows("S01", "K-1")
    # S02 (diabetes): 1:1 around food and exercise; a para checks in during class (flex)
    blocks += day_rows(
        "S02",
        "K-1",
        support={
            "Reading": flex,
            "Writing": flex,
            "Math": flex,
            "Centers": flex,
            "Science": flex,
            "Social skills": flex,
            "Art": none,
            "Music": none,
            "Library": none,
        },
    )
    # S03 has no rows: Room 104 (self-contained) all school day, 1:1
    blocks += day_rows("S04", "2-3", skills={"PE": "lift"}, protected=("Reading",))
    # S05 (ASL): an interpreter in class and music; with signing friends at lunch, recess, art, PE
    blocks += day_rows(
        "S05",
        "4-5",
        support={"Recess": none, "Lunch": none, "Art": none, "PE": none, "Library": none, "Read aloud": none},
    )
    blocks += day_rows(
        "S06",
        "K-1",
        support={
            "Writing": flex,
            "Centers": flex,
            "Science": none,
            "Social skills": none,
            "Art": none,
            "Music": none,
            "Library": none,
            "PE": none,
            "Recess": none,
        },
        protected=("Reading",),
    )
    blocks += day_rows(
        "S07",
        "K-1",
        support={
            "Centers": flex,
            "Science": flex,
            "Art": none,
            "Music": none,
            "Library": none,
            "PE": none,
            "Lunch": none,
            "Writing": none,
            "Social skills": none,
        },
        skills={"Recess": "behavior"},
        protected=("Reading",),
    )
    blocks += day_rows(
        "S08",
        "2-3",
        support={
            "Lunch": none,
            "Recess": none,
            "Pack-up": none,
            "Art": none,
            "Music": none,
            "PE": none,
            "Library": none,
            "Writing": none,
        },
        protected=("Reading",),
    )
    blocks += day_rows(
        "S09",
        "2-3",
        support={
            "Math": none,
            "Art": none,
            "Music": none,
            "Library": none,
            "Pack-up": none,
            "Science": flex,
            "Intervention": flex,
        },
    )
    blocks += day_rows(
        "S10",
        "2-3",
        support={
            "Reading": none,
            "Math": none,
            "Writing": none,
            "Art": none,
            "Music": none,
            "Library": none,
            "Science": flex,
        },
    )
    blocks += day_rows(
        "S11",
        "2-3",
        support={
            "Lunch": none,
            "Recess": none,
            "Art": none,
            "Music": none,
            "PE": none,
            "Library": none,
            "Math": none,
            "Pack-up": none,
        },
        protected=("Reading",),
    )
    blocks += day_rows("S12", "4-5", support={"Math": shared, "Intervention": shared})
    blocks += day_rows(
        "S13",
        "4-5",
        support={
            "Science": none,
            "Social studies": none,
            "Read aloud": none,
            "Art": none,
            "Music": none,
            "PE": none,
            "Library": none,
            "Recess": none,
            "Lunch": none,
            "Intervention": flex,
        },
        protected=("Reading",),
    )
    blocks += day_rows("S14", "4-5", protected=("Reading",))
    blocks += day_rows(
        "S15",
        "K-1",
        support={
            "Math": none,
            "Art": none,
            "Music": none,
            "Library": none,
            "Science": none,
            "Social skills": none,
            "Centers": flex,
        },
    )
    duties = (
        Duty(
            "D01",
            "Arrival front door",
            DutyKind.ARRIVAL,
            t("07:30"),
            t("08:00"),
            location="Front door",
            staff_needed=2,
            priority=1,
        ),
        Duty("D02", "Bus loop", DutyKind.BUS, t("15:00"), t("15:20"), location="Bus loop", staff_needed=2, priority=1),
        Duty("D03", "Lunchroom K-2", DutyKind.LUNCH, t("10:45"), t("11:30"), location="Cafeteria"),
        Duty("D04", "Lunchroom 3-5", DutyKind.LUNCH, t("11:30"), t("12:15"), location="Cafeteria"),
        Duty("D05", "Recess K-2", DutyKind.RECESS, t("11:15"), t("11:35"), location="Playground"),
        Duty("D06", "Recess 3-5", DutyKind.RECESS, t("12:15"), t("12:35"), location="Playground", priority=3),
        Duty("D07", "Car line", DutyKind.DISMISSAL, t("15:00"), t("15:20"), location="Side door", priority=2),
        Duty(
            "D08",
            "Morning hallway",
            DutyKind.HALLWAY,
            t("08:00"),
            t("08:15"),
            days=("Mon", "Wed", "Fri"),
            location="Main hallway",
            priority=3,
        ),
        Duty(
            "D09",
            "Nurse office cover",
            DutyKind.OTHER,
            t("11:00"),
            t("11:30"),
            days=("Tue", "Thu"),
            location="Nurse office",
            skills_required=tags("medical"),
            priority=2,
        ),
    )
    sessions = (
        Session(
            "T01",
            ("S06", "S07"),
            kind="speech",
            provider="Ms. Reed (SLP)",
            para_role=ParaRole.NONE,
            days=("Mon", "Wed"),
            start=t("13:30"),
            end=t("14:00"),
        ),
        Session(
            "T02",
            ("S08",),
            kind="speech",
            provider="Ms. Reed (SLP)",
            para_role=ParaRole.NONE,
            sessions_per_week=2,
            duration_minutes=30,
            window=(t("12:50"), t("14:30")),
        ),
        Session(
            "T03",
            ("S03",),
            kind="OT",
            provider="Ms. Lang (OT)",
            para_role=ParaRole.ASSIST,
            skills_required=tags("behavior"),
            priority=1,
            days=("Tue",),
            start=t("13:00"),
            end=t("13:30"),
        ),
        Session(
            "T04",
            ("S04",),
            kind="PT",
            provider="Mr. Ortiz (PT)",
            para_role=ParaRole.ASSIST,
            skills_required=tags("lift"),
            sessions_per_week=1,
            duration_minutes=30,
            allowed_days=("Tue", "Thu"),
        ),
        Session(
            "T05",
            ("S01",),
            kind="ABA",
            provider="",
            para_role=ParaRole.DELIVER,
            skills_required=tags("rbt"),
            priority=1,
            sessions_per_week=3,
            duration_minutes=30,
            window=(t("12:45"), t("14:15")),
        ),
        Session(
            "T06",
            ("S09", "S14"),
            kind="counseling",
            provider="Mr. Hale (counselor)",
            para_role=ParaRole.NONE,
            priority=3,
            sessions_per_week=1,
            duration_minutes=30,
            allowed_days=("Wed", "Thu", "Fri"),
        ),
        Session(
            "T07",
            ("S15",),
            kind="speech",
            provider="Ms. Reed (SLP)",
            para_role=ParaRole.NONE,
            days=("Thu",),
            start=t("10:15"),
            end=t("10:45"),
        ),
        Session(
            "T08",
            ("S13",),
            kind="OT",
            provider="Ms. Lang (OT)",
            para_role=ParaRole.NONE,
            days=("Thu",),
            start=t("13:30"),
            end=t("14:00"),
            priority=2,
        ),
    )
    provider_hours = (
        ProviderHours("Ms. Reed (SLP)", t("08:00"), t("15:00"), days=("Mon", "Wed", "Thu")),
        ProviderHours("Ms. Lang (OT)", t("08:00"), t("15:00"), days=("Tue", "Thu")),
        ProviderHours("Mr. Ortiz (PT)", t("12:00"), t("15:00"), days=("Tue", "Thu")),
        # Mr. Hale (counselor) has no row: he can see students any time in the school day
    )
    absences = (
        Absence("S12", ("Thu",), t("08:00"), t("10:00"), reason="dentist appointment"),
        Absence("P06", ("Fri",), reason="personal day (approved)"),
    )
    return Problem(
        settings,
        paras,
        students,
        student_blocks=tuple(blocks),
        availability=availability,
        duties=duties,
        sessions=sessions,
        provider_hours=provider_hours,
        absences=absences,
    )


def tuesday_absences() -> tuple[Absence, ...]:
    return (
        Absence("P02", ("Tue",), reason="sick"),
        Absence("P07", ("Tue",), reason="family emergency"),
        Absence("P03", ("Tue",), t("12:00"), t("15:00"), reason="training (afternoon)"),
        Absence("S03", ("Tue",), reason="sick"),
    )


def midsize_school() -> Problem:
    p = generate_school(40, seed=2024, school_name="Riverside Elementary")
    return replace(p, settings=replace(p.settings, week_of=dt.date(2026, 11, 30)))


def main(out: Path = HERE) -> None:
    small = small_school()
    write_problem(small, out / "small_school.xlsx")
    csv_dir = out / "small_school_csv"
    if csv_dir.exists():
        shutil.rmtree(csv_dir)
    write_problem_csv(small, csv_dir)
    write_problem(midsize_school(), out / "midsize_school.xlsx")
    write_absences(tuesday_absences(), out / "absences_tuesday.xlsx")
    for name in ("small_school.xlsx", "small_school_csv/", "midsize_school.xlsx", "absences_tuesday.xlsx"):
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
