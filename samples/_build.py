"""Building blocks shared by the two school generators (``samples/generator.py``, the easy kind, and
``samples/hard.py``): names, para rows and their ``Para``, duties, therapy sessions, preferences and
para-days off.

Each helper draws from the ``rng`` it is given in a fixed order, so a generator that calls it where
it used to do the same draws inline makes the same school for a seed. Where the two generators
differ (shares, thresholds), the difference is a parameter, not a choice made here.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from parasched.scheduler.model import (
    Availability,
    Duty,
    DutyKind,
    Para,
    ParaRole,
    Role,
    Session,
    Student,
)

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")

FEMALE = (
    "Ana",
    "Maria",
    "Jessica",
    "Linda",
    "Karen",
    "Aisha",
    "Grace",
    "Rosa",
    "Tanya",
    "Emily",
    "Sofia",
    "Denise",
    "Priya",
    "Hannah",
    "Lucia",
    "Monique",
    "Rachel",
    "Yuki",
    "Carmen",
    "Beth",
    "Nadia",
    "Olivia",
    "Fatima",
    "Kelly",
    "Brenda",
    "Sara",
    "Leah",
    "Tamika",
    "Irene",
    "Joy",
)
MALE = (
    "James",
    "Marcus",
    "David",
    "Luis",
    "Kevin",
    "Omar",
    "Tyler",
    "Samuel",
    "Andre",
    "Brian",
    "Jorge",
    "Derek",
    "Ethan",
    "Malik",
    "Chris",
    "Victor",
    "Noah",
    "Raj",
    "Tom",
    "Felix",
)
LAST = (
    "Lopez",
    "Johnson",
    "Nguyen",
    "Smith",
    "Garcia",
    "Brown",
    "Okafor",
    "Patel",
    "Kim",
    "Martinez",
    "Williams",
    "Davis",
    "Chen",
    "Rodriguez",
    "Wilson",
    "Khan",
    "Anderson",
    "Thomas",
    "Moore",
    "Jackson",
    "Hernandez",
    "Lee",
    "Walker",
    "Hall",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Diaz",
    "Parker",
    "Cruz",
    "Edwards",
    "Collins",
    "Reyes",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Peterson",
    "Bailey",
    "Reed",
    "Kelly",
    "Howard",
)
KID_F = (
    "Ava",
    "Mia",
    "Zoe",
    "Lily",
    "Chloe",
    "Ella",
    "Aria",
    "Maya",
    "Nora",
    "Ivy",
    "Luna",
    "Layla",
    "Emma",
    "Isla",
    "Ruby",
    "Amara",
    "Sadie",
    "Hazel",
    "Leila",
    "Camila",
)
KID_M = (
    "Liam",
    "Noah",
    "Eli",
    "Leo",
    "Mason",
    "Lucas",
    "Owen",
    "Jayden",
    "Mateo",
    "Caleb",
    "Aiden",
    "Ezra",
    "Kai",
    "Jonah",
    "Miles",
    "Theo",
    "Isaac",
    "Diego",
    "Amir",
    "Ryan",
)


def kid_name(gender: str, rng: random.Random) -> str:
    """A student's full name: a first name of ``gender`` ("m"/"f"), then a last name."""
    return f"{rng.choice(KID_M if gender == 'm' else KID_F)} {rng.choice(LAST)}"


def grade_name(grade: int) -> str:
    return "K" if grade == 0 else str(grade)


def pe_skills(activity: str, needs: Collection[str]) -> frozenset[str]:
    """What a specials row asks of the para beyond the student's needs: lifting in PE."""
    return frozenset({"lift"}) if activity == "PE" and "lift" in needs else frozenset()


# -- paras ----------------------------------------------------------------------------------------------------
# A para is a mutable dict row while the generator decides hours, skills and terms, then one Para.


def para_row(para_id: str, rng: random.Random, male_share: float) -> dict:
    """A para's row before hours and skills: gender (men are ``male_share`` of the staff) and a name."""
    gender = "m" if rng.random() < male_share else "f"
    name = f"{rng.choice(MALE if gender == 'm' else FEMALE)} {rng.choice(LAST)}"
    return {"para_id": para_id, "name": name, "gender": gender, "skills": set()}


def set_gender(p: dict, gender: str, rng: random.Random) -> None:
    """The school hires a para of ``gender`` instead: a new first name to match, the same last name."""
    p["gender"] = gender
    p["name"] = f"{rng.choice(MALE if gender == 'm' else FEMALE)} {p['name'].split()[-1]}"


def para_from_row(p: dict) -> Para:
    """The Para of a row; terms the row does not set are the sheet's defaults."""
    return Para(
        p["para_id"],
        p["name"],
        p["start"],
        p["end"],
        days=p.get("days", ()),
        role=p.get("role", Role.PARA),
        skills=frozenset(p["skills"]),
        gender=p["gender"],
        lunch_minutes=p.get("lunch_minutes"),
        lunch_window=p.get("lunch_window"),
        max_duty_minutes=p.get("max_duty_minutes"),
        general_duties=p.get("general_duties", True),
    )


def para_day_off(para_id: str, days: Sequence[str], morning: tuple[int, int], rng: random.Random) -> Availability:
    """An availability exception on one of ``days``: half of them the whole day off, half only ``morning``."""
    day = rng.choice(days)
    if rng.random() < 0.5:
        return Availability(para_id, day)
    return Availability(para_id, day, *morning)


# -- students -------------------------------------------------------------------------------------------------


def with_preferences(
    st: Student, paras: Sequence[Para], rng: random.Random, *, prefer: float, avoid: float, avoid_from: int
) -> Student:
    """The student with one or two preferred paras (a share ``prefer`` of students) or, for the next
    ``avoid - prefer``, one avoided para, both among the regular paras qualified for them; a student
    avoids someone only when more than ``avoid_from`` qualified paras remain."""
    ok = [
        p.para_id
        for p in paras
        if p.role == Role.PARA and st.skills_required <= p.skills and (not st.gender_match or p.gender == st.gender)
    ]
    r = rng.random()
    if r < prefer and ok:
        return replace(st, preferred_paras=tuple(sorted(rng.sample(ok, min(len(ok), rng.choice((1, 2)))))))
    if r < avoid and len(ok) > avoid_from:
        return replace(st, avoid_paras=(rng.choice(ok),))
    return st


# -- duties and therapy ---------------------------------------------------------------------------------------


def add_duty(
    duties: list[Duty],
    kind: DutyKind,
    name: str,
    start: int,
    end: int,
    staff: int = 1,
    priority: int = 2,
    location: str = "",
    *,
    days: tuple[str, ...] = (),
    skills: frozenset[str] = frozenset(),
) -> None:
    """Append a duty numbered after those before it (D01, D02, ...). Staff, priority and location may
    be given in place: the hard generator's duty table reads as one row a call."""
    duties.append(
        Duty(
            f"D{len(duties) + 1:02d}",
            name,
            kind,
            start,
            end,
            days=days,
            location=location,
            staff_needed=staff,
            skills_required=skills,
            priority=priority,
        )
    )


@dataclass(frozen=True)
class Therapy:
    """What a therapy session is (who, with whom, the para's part) before the generator decides
    whether it has a fixed time or is left to the solver."""

    session_id: str
    student_ids: tuple[str, ...]
    kind: str
    provider: str
    role: ParaRole
    skills: frozenset[str]
    priority: int

    def _session(self, **when: Any) -> Session:
        return Session(
            self.session_id,
            self.student_ids,
            kind=self.kind,
            provider=self.provider,
            para_role=self.role,
            skills_required=self.skills,
            priority=self.priority,
            **when,
        )

    def fixed(self, days: tuple[str, ...], span: tuple[int, int]) -> Session:
        """At ``span`` on ``days`` (blank = every school day)."""
        return self._session(days=days, start=span[0], end=span[1])

    def flexible(
        self, per_week: int, minutes: int, allowed_days: tuple[str, ...], window: tuple[int, int] | None
    ) -> Session:
        """``per_week`` sessions of ``minutes`` placed by the solver on ``allowed_days`` (blank = any) in ``window``."""
        return self._session(
            sessions_per_week=per_week, duration_minutes=minutes, allowed_days=allowed_days, window=window
        )
