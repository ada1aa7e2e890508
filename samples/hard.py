"""The hard, realistic school generator: ``generate_school(n, kind="hard")`` (see samples/generator.py).

What makes a real school hard to staff, and what this setting reproduces:

- a bell schedule: class periods with 5-minute passing periods wherever the class changes room
  (a pause in every need stretch), specials rotating by day (Art, Music, PE, Library, STEM) that
  shared students attend without a para, lunch and recess in waves, resource-room pull-outs on
  some days, an early arrival block for a few students, middle-school periods in a K-8 school;
- lunch waves and their lunch/recess duties sitting inside the paras' own lunch window, while
  the 1:1 students who eat in those waves still need their para;
- therapy that pulls students out of class (speech groups, OT, PT with an assisting para,
  counseling, ABA delivered by an RBT para), fixed and flexible, inside providers' hours;
- skills and same-gender personal care scarce: each skill is held by about as many paras as
  the students needing it call for, mostly female paras for mostly male students;
- staffing at ``staffing`` x the need (default 1.10-1.25): the paras' working minutes (hours
  on their days, lunches and breaks included, as a school counts its staff) against the required
  staff-minutes of ``capacity.summary``; students are drawn until the need reaches that;
- paras funded for support only (``general_duties = no``), duty caps, part-week and
  part-day paras, short shifts without lunch, a later lunch window for some;
- breaks and a maximum continuous stretch on medium and large schools (25 paras and more);
  ``min_support_minutes`` 15; optional cells left blank where the default applies.

Deterministic for a seed. The public schools in ``shared/instances`` were made in this spirit
by another generator; nothing here is copied from them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from parasched.scheduler.capacity import summary
from parasched.scheduler.model import (
    Availability,
    Duty,
    DutyKind,
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
from parasched.scheduler.timegrid import overlaps, total
from parasched.scheduler.weekgrid import WeekGrid
from samples._build import (
    LAST,
    WEEKDAYS,
    Therapy,
    add_duty,
    grade_name,
    kid_name,
    para_day_off,
    para_from_row,
    para_row,
    pe_skills,
    set_gender,
    with_preferences,
)

PASSING = 5  # minutes between two classes in different rooms
SCHOOL_START, SCHOOL_END = 8 * 60, 15 * 60
LUNCH_WAVE_STARTS = (10 * 60 + 50, 11 * 60 + 25, 12 * 60, 12 * 60 + 35)  # waves A-D
LUNCH_LENGTH, RECESS_LENGTH = 30, 25
SPECIALS = (("Art", "Art Room"), ("Music", "Music Room"), ("PE", "Gym"), ("Library", "Library"), ("STEM", "STEM Lab"))
SKILL_ORDER = ("behavior", "medical", "toileting", "lift", "spanish", "asl", "rbt")
K8_FROM_PARAS = 30
SECOND_SUBJECT = {
    "ELA": "Writing",
    "Social Studies": "Centers",
}  # the second half of a long homeroom stretch  # larger schools are K-8: grades 6-8 change rooms every period


@dataclass
class _Kid:
    """A student being drawn, with the week's rows (kept mutable until the Problem is built)."""

    student: Student
    blocks: list[StudentBlock] = field(default_factory=list)
    pullable: list[tuple[int, int]] = field(default_factory=list)  # class time therapy may take
    wave: int = 0


def _wave_of(grade: int, k8: bool) -> int:
    # K-1 eat first, then 2-3, then 4-5; a K-8 school's middle grades last
    return 3 if k8 and grade >= 6 else min(2, grade // 2)


def _layout(start: int, anchor: int, items: list[tuple[str, str, int | None]]) -> list[tuple[int, int, str, str]]:
    """Lay ``items`` (activity, place, minutes or None = the rest) from ``start`` so that the last
    ends a passing period before ``anchor``, with a passing period wherever the place changes (a
    middle-school ``room`` is a new room every period). A long homeroom stretch is two subjects."""
    fixed = sum(m for _, _, m in items if m is not None)
    passes = sum(1 for a, b in itertools.pairwise(items) if a[1] != b[1] or a[1] == "room") + 1
    rest = anchor - start - fixed - passes * PASSING
    out: list[tuple[int, int, str, str]] = []
    cur = start
    for k, (act, place, minutes) in enumerate(items):
        if k and (items[k - 1][1] != place or place == "room"):
            cur += PASSING
        length = minutes if minutes is not None else rest
        if length < 20:  # no sliver of a class: the one before runs to the end
            if out:
                s, _, a, pl = out[-1]
                out[-1] = (s, anchor - PASSING, a, pl)
            continue
        if place == "home" and length > 100:
            half = (length // 2) // 5 * 5
            out.append((cur, cur + half, act, place))
            out.append((cur + half, cur + length, SECOND_SUBJECT.get(act, "Centers"), place))
        else:
            out.append((cur, cur + length, act, place))
        cur += length
    return out


def _grade_day(grade: int, k8: bool, rng: random.Random) -> tuple[list[tuple[int, int, str, str]], int]:
    """One grade's day as (start, end, activity, place) and its lunch wave. ``place`` is
    ``home`` (homeroom), ``room`` (a middle-school classroom), ``special``, ``resource``,
    ``cafeteria`` or ``playground``."""
    wave = _wave_of(grade, k8)
    lunch = LUNCH_WAVE_STARTS[wave]
    middle = grade >= 6
    rows: list[tuple[int, int, str, str]] = []
    if middle:  # periods of about 50 minutes, a new room every period, then lunch, specials and intervention
        before = _layout(
            SCHOOL_START,
            lunch,
            [
                ("ELA", "room", 50),
                ("Math", "room", 50),
                ("Science", "room", 50),
                ("Social Studies", "room", 50),
                ("Elective", "room", None),
            ],
        )
        after_start = lunch + LUNCH_LENGTH + PASSING
        special_first = grade % 2 == 0
        items: list[tuple[str, str, int | None]] = [("Specials", "special", 50), ("Intervention", "resource", None)]
        if not special_first:
            items = [("Intervention", "resource", 50), ("Specials", "special", None)]
        after = _layout(after_start, SCHOOL_END + PASSING, items)
        rows = [*before, (lunch, lunch + LUNCH_LENGTH, "Lunch", "cafeteria"), *after]
        return rows, wave
    recess_start = lunch + LUNCH_LENGTH + PASSING
    recess_end = recess_start + RECESS_LENGTH
    morning_special = grade % 2 == 0
    morning: list[tuple[str, str, int | None]] = [("ELA", "home", None), ("Math", "home", rng.choice((50, 55, 60)))]
    afternoon: list[tuple[str, str, int | None]] = [("Science", "home", 45), ("Social Studies", "home", None)]
    if morning_special:
        morning.insert(1, ("Specials", "special", 45))
    else:
        afternoon.insert(1, ("Specials", "special", 45))
    if rng.random() < 0.5:
        afternoon.insert(0, ("Read-aloud", "home", 25))
    before = _layout(SCHOOL_START, lunch, morning)
    after = _layout(recess_end + PASSING, SCHOOL_END + PASSING, afternoon)
    rows = [
        *before,
        (lunch, lunch + LUNCH_LENGTH, "Lunch", "cafeteria"),
        (recess_start, recess_end, "Recess", "playground"),
        *after,
    ]
    return rows, wave


def _draw_student(sid: str, grade: int, room: str, rng: random.Random) -> Student:
    """A student's sheet row: support level, needs and priority in realistic shares."""
    r = rng.random()
    support = (
        Support.ONE_TO_ONE if r < 0.30 else Support.SHARED if r < 0.75 else Support.FLEX if r < 0.87 else Support.NONE
    )
    one = support == Support.ONE_TO_ONE
    gender = "m" if rng.random() < 0.6 else "f"
    skills: set[str] = set()
    if rng.random() < {Support.ONE_TO_ONE: 0.5, Support.SHARED: 0.2}.get(support, 0.12):
        skills.add("behavior")
    if rng.random() < (0.14 if one else 0.07):
        skills.add("medical")
    if rng.random() < (0.28 if one else 0.1):
        skills.add("toileting")
    if rng.random() < (0.1 if one else 0.03):
        skills.add("lift")
    if rng.random() < 0.1:
        skills.add("spanish")
    if one and rng.random() < 0.05:
        skills.add("asl")
    gender_match = "toileting" in skills and rng.random() < 0.6
    if "medical" in skills or (one and "behavior" in skills and rng.random() < 0.4):
        priority = 1
    elif support in (Support.FLEX, Support.NONE) and rng.random() < 0.5:
        priority = 3
    else:
        priority = 2
    max_same = (
        rng.choice((180, 240)) if one and priority == 1 and "behavior" in skills and rng.random() < 0.35 else None
    )
    group_max = rng.choice((3, 3, 2, 4)) if support == Support.SHARED else 3
    weekly_flex = rng.choice((150, 200, 300, 450, 600)) if support == Support.FLEX else 0
    return Student(
        sid,
        kid_name(gender, rng),
        grade=grade_name(grade),
        homeroom=room,
        support=support,
        group_max=group_max,
        skills_required=frozenset(skills),
        gender=gender.upper(),
        gender_match=gender_match,
        priority=priority,
        max_minutes_with_same_para=max_same,
        weekly_flex_minutes=weekly_flex,
    )


def _student_week(
    kid: _Kid,
    day_rows: list[tuple[int, int, str, str]],
    grade: int,
    days: tuple[str, ...],
    rooms: dict[str, str],
    rng: random.Random,
) -> None:
    """The student's StudentSchedule rows from the grade's day, with their own exceptions."""
    st = kid.student
    sid, support = st.student_id, st.support
    if support == Support.ONE_TO_ONE and rng.random() < 0.12:
        return  # self-contained all day: no rows, the homeroom for the school day
    if support == Support.ONE_TO_ONE and st.priority == 1 and rng.random() < 0.4:
        kid.blocks.append(
            StudentBlock(sid, SCHOOL_START - 15, SCHOOL_START, activity="Arrival & breakfast", location="Cafeteria")
        )
    protect_core = rng.random() < 0.4
    pull_out = support == Support.SHARED and rng.random() < 0.3
    pull_days = tuple(days[:-1]) if len(days) > 1 else days
    for start, end, act, place in day_rows:
        if place == "special":
            # one row per activity of the rotation; shared/flex students go without a para there
            by_activity: dict[tuple[str, str], list[str]] = {}
            for k, day in enumerate(days):
                by_activity.setdefault(SPECIALS[(k + grade) % len(SPECIALS)], []).append(day)
            for (sact, sloc), sdays in by_activity.items():
                if support in (Support.ONE_TO_ONE, Support.NONE):
                    bsupport = None
                else:
                    bsupport = Support.NONE if rng.random() < 0.75 else None
                extra = pe_skills(sact, st.skills_required)
                kid.blocks.append(
                    StudentBlock(
                        sid,
                        start,
                        end,
                        days=tuple(sdays) if len(sdays) < len(days) else (),
                        activity=sact,
                        location=sloc,
                        support=bsupport,
                        skills_required=extra,
                    )
                )
            continue
        if place in ("cafeteria", "playground"):
            location = "Cafeteria" if place == "cafeteria" else "Playground"
            # a student without class support still needs watching at lunch and recess
            bsupport = None
            if support == Support.NONE:
                bsupport = Support.ONE_TO_ONE if "behavior" in st.skills_required else Support.SHARED
            elif support == Support.FLEX and rng.random() < 0.5:
                bsupport = Support.NONE
            kid.blocks.append(StudentBlock(sid, start, end, activity=act, location=location, support=bsupport))
            continue
        if place == "resource":
            kid.blocks.append(
                StudentBlock(
                    sid,
                    start,
                    end,
                    activity=act,
                    location="Resource Room",
                    support=Support.SHARED if support == Support.NONE else None,
                )
            )
            kid.pullable.append((start, end))
            continue
        location = rooms.get(act, "") if place == "room" else ""
        if place == "home" and rng.random() < 0.3:
            location = st.homeroom  # some rows name the homeroom, most leave it blank
        protected = protect_core and act in ("ELA", "Math")
        if pull_out and act == "ELA" and end - start >= 60:
            kid.blocks.append(
                StudentBlock(
                    sid,
                    start,
                    end,
                    days=pull_days,
                    activity="Resource ELA",
                    location="Resource Room",
                    support=Support.SHARED,
                )
            )
            rest = tuple(d for d in days if d not in pull_days)
            if rest:
                kid.blocks.append(
                    StudentBlock(sid, start, end, days=rest, activity=act, location=location, protected=protected)
                )
            continue
        kid.blocks.append(StudentBlock(sid, start, end, activity=act, location=location, protected=protected))
        if not protected:
            kid.pullable.append((start, end))


def _para_rows(n_paras: int, days: tuple[str, ...], rng: random.Random, medium: bool) -> list[dict]:
    """Hours, days, gender and contract terms of each para (skills come later, from the students)."""
    pid_w = max(3, len(str(n_paras)))
    n_subs = 0 if n_paras < 6 else max(1, round(n_paras / 16))
    out: list[dict] = []
    part_week = [tuple(days[k] for k in range(0, len(days), 2)), tuple(days[1::2]), tuple(days[:3]), tuple(days[:-1])]
    part_week = [d for d in part_week if d and len(d) < len(days)]
    for i in range(n_paras):
        p = para_row(f"P{i + 1:0{pid_w}d}", rng, male_share=0.25)
        if i >= n_paras - n_subs:
            p.update(role=Role.SUBSTITUTE, start=7 * 60 + 45, end=15 * 60 + 15)
            out.append(p)
            continue
        r = rng.random()
        if r < 0.58:
            p.update(start=7 * 60 + 30, end=15 * 60 + 30)
        elif r < 0.70:
            p.update(start=7 * 60 + 30, end=15 * 60)
        elif r < 0.76:
            p.update(start=8 * 60, end=15 * 60 + 30)
        elif r < 0.82:
            p.update(start=7 * 60 + 45, end=15 * 60 + 15)
        elif r < 0.87:  # mornings only: a short shift without lunch
            p.update(start=7 * 60 + 30, end=11 * 60 + 30, lunch_minutes=0)
        elif r < 0.93:  # the lunch-hours para
            p.update(start=10 * 60, end=14 * 60, lunch_minutes=0)
        else:
            p.update(start=11 * 60, end=15 * 60 + 30)
        if part_week and rng.random() < 0.25:
            p["days"] = rng.choice(part_week)
        if "lunch_minutes" not in p and rng.random() < 0.1:
            p["lunch_window"] = (11 * 60 + 30, 13 * 60 + 30)
        if "lunch_minutes" not in p and rng.random() < 0.05:
            p["lunch_minutes"] = 45
        if (medium or n_paras >= 8) and rng.random() < 0.18:
            p["general_duties"] = False  # funded by IEPs: student support only
        elif rng.random() < 0.2:
            p["max_duty_minutes"] = rng.choice((150, 300))
        out.append(p)
    if n_paras >= 2 and all(p["gender"] == "f" for p in out):  # the staff's few men: at least one
        set_gender(rng.choice(out), "m", rng)
    regular = [p for p in out if p.get("role") != Role.SUBSTITUTE]
    if n_paras >= 4 and regular and all(p.get("general_duties", True) for p in regular):
        rng.choice(regular)["general_duties"] = False
    return out


def _assign_skills(paras: list[dict], students: list[Student], rng: random.Random, n_aba: int) -> None:
    """Scarce skills: each skill held by about as many paras as the students needing it call for
    (a 1:1 student counts 1, a shared one 0.4, others less), and at least one qualified para of
    the right gender for every student."""
    regular = [p for p in paras if p.get("role") != Role.SUBSTITUTE]
    full = [p for p in regular if p["end"] - p["start"] >= 7 * 60] or regular
    weight = {Support.ONE_TO_ONE: 1.0, Support.SHARED: 0.4, Support.FLEX: 0.2, Support.NONE: 0.2}
    need: dict[str, float] = {}
    for st in students:
        for sk in st.skills_required:
            need[sk] = need.get(sk, 0.0) + weight[st.support]
    for sk in SKILL_ORDER:
        if sk not in need:
            continue
        k = min(len(regular), max(1, math.ceil(need[sk] * rng.uniform(0.9, 1.3))))
        pool = full if rng.random() < 0.7 else regular
        for p in rng.sample(pool, min(k, len(pool))):
            p["skills"].add(sk)
    for p in regular:  # a few more people with Spanish or behavior training than any student needs
        if rng.random() < 0.08:
            p["skills"].add(rng.choice(("spanish", "behavior")))
    rbt = [p for p in full if "behavior" in p["skills"]] or full
    for p in rng.sample(rbt, min(len(rbt), n_aba + 1)):
        p["skills"] |= {"rbt", "behavior"}
    for st in students:  # never nobody: one para qualified (of the right gender where it matters)
        if not st.skills_required:
            continue
        same = [p for p in full if not st.gender_match or p["gender"] == st.gender.lower()]
        if not same:
            p = rng.choice(full)
            set_gender(p, st.gender.lower(), rng)
            same = [p]
        if not any(st.skills_required <= p["skills"] for p in same):
            rng.choice(same)["skills"] |= st.skills_required
    on_duty = [p for p in full if p.get("general_duties", True) and p.get("role") != Role.SUBSTITUTE]
    if on_duty and not any("lift" in p["skills"] for p in on_duty):  # someone loads the lift bus
        rng.choice(on_duty)["skills"].add("lift")
    for p in paras:
        if p.get("role") == Role.SUBSTITUTE and rng.random() < 0.4:
            p["skills"].add("behavior")


def _staff_sessions(
    para_rows: list[dict], sessions: list[Session], students: dict[str, Student], rng: random.Random
) -> None:
    """Every assist/deliver session gets at least one para who may run it (its skills, and allowed
    to support each of its students): the school trained someone for it."""
    regular = [p for p in para_rows if p.get("role") != Role.SUBSTITUTE]
    for ses in sessions:
        if ses.para_role == ParaRole.NONE:
            continue
        members = [students[x] for x in ses.student_ids]

        def allowed(p: dict, members: list[Student] = members) -> bool:
            return all(
                p["para_id"] not in st.avoid_paras and (not st.gender_match or p["gender"] == st.gender.lower())
                for st in members
            )

        need = ses.skills_required.union(*(st.skills_required for st in members))
        fit = [p for p in regular if allowed(p)]
        if fit and not any(need <= p["skills"] for p in fit):
            rng.choice(fit)["skills"] |= need


def _duties(n_paras: int, waves: int, days: tuple[str, ...]) -> list[Duty]:
    """Arrival, breakfast, dismissal and bus duties, and one lunch and recess duty per wave, all
    inside the paras' lunch window."""
    out: list[Duty] = []
    big = 1 + n_paras // 30
    lunch_staff = 1 + n_paras // 25
    add_duty(out, DutyKind.ARRIVAL, "Arrival buses", 7 * 60 + 30, 8 * 60, big, 1, "Bus Loop")
    add_duty(out, DutyKind.OTHER, "Breakfast program", 7 * 60 + 30, 8 * 60, 1, 3, "Cafeteria")
    add_duty(out, DutyKind.DISMISSAL, "Dismissal buses", 15 * 60, 15 * 60 + 20, big, 1, "Bus Loop")
    add_duty(
        out,
        DutyKind.DISMISSAL,
        "Car line",
        15 * 60,
        15 * 60 + 20,
        1,
        2,
        "Front Entrance",
        days=tuple(days[:-1]) if len(days) > 1 else (),
    )
    add_duty(out, DutyKind.BUS, "Lift bus loading", 15 * 60, 15 * 60 + 15, 1, 1, "Bus Loop", skills=frozenset({"lift"}))
    for w in range(waves):
        start = LUNCH_WAVE_STARTS[w]
        label = "ABCD"[w]
        add_duty(
            out,
            DutyKind.LUNCH,
            f"Lunch wave {label}",
            start,
            start + LUNCH_LENGTH,
            lunch_staff + (w == 1),
            2,
            "Cafeteria",
        )
        if w < 3:
            rs = start + LUNCH_LENGTH + PASSING
            add_duty(
                out,
                DutyKind.RECESS,
                f"Recess wave {label}",
                rs,
                rs + RECESS_LENGTH,
                max(1, lunch_staff - (w == 0)),
                2,
                "Playground",
            )
    if n_paras >= 20:
        add_duty(
            out,
            DutyKind.HALLWAY,
            "Hallway passing",
            13 * 60 + 10,
            13 * 60 + 15,
            1,
            3,
            "Main hallway",
            days=tuple(days[::2]),
        )
    return out


def _providers(n_students: int, days: tuple[str, ...]) -> dict[str, tuple[str, list[tuple[tuple[str, ...], int, int]]]]:
    """Provider -> (therapy kind, hours rows (days, start, end)); blank days = every school day."""
    ot_days = tuple(d for d in days if d not in ("Tue", "Fri")) or days
    pt_days = tuple(d for d in days if d in ("Tue", "Thu")) or days[:1]
    out: dict[str, tuple[str, list[tuple[tuple[str, ...], int, int]]]] = {}
    for k in range(max(1, math.ceil(n_students / 45))):
        out[f"SLP {LAST[(7 * k + 3) % len(LAST)]}"] = ("speech", [((), 8 * 60, 15 * 60)])
    ot_rows = [(ot_days, 8 * 60, 14 * 60 + 30)]
    if "Fri" in days:
        ot_rows.append((("Fri",), 8 * 60, 12 * 60))
    out[f"OT {LAST[11]}"] = ("OT", ot_rows)
    out[f"PT {LAST[23]}"] = ("PT", [(pt_days, 8 * 60 + 30, 13 * 60 + 30)])
    out[f"Counselor {LAST[31]}"] = ("counseling", [((), 8 * 60 + 30, 14 * 60 + 30)])
    return out


def _therapy(
    kids: list[_Kid],
    days: tuple[str, ...],
    rng: random.Random,
    providers: dict[str, tuple[str, list[tuple[tuple[str, ...], int, int]]]],
    n_aba: int,
) -> list[Session]:
    """Sessions that pull students out of class: fixed ones placed in class time they may miss
    (no protected block, no lunch), flexible ones left to the solver."""
    sessions: list[Session] = []
    busy: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (provider or student, day) -> spans

    def provider_days(prov: str) -> list[tuple[tuple[str, ...], int, int]]:
        return [(d or days, s, e) for d, s, e in providers[prov][1]] if prov else [(days, 8 * 60, 15 * 60)]

    def add(
        members: list[_Kid],
        kind: str,
        prov: str,
        role: ParaRole,
        per_week: int,
        dur: int,
        skills: frozenset[str] = frozenset(),
        priority: int = 2,
    ) -> None:
        ids = tuple(k.student.student_id for k in members)
        what = Therapy(f"T{len(sessions) + 1:03d}", ids, kind, prov, role, skills, priority)
        hours = provider_days(prov)
        per_week = min(per_week, len(days))
        if rng.random() < 0.4:  # fixed: a time the teacher agreed to, in class time all members may miss
            hdays, hs, he = rng.choice(hours)
            pick = tuple(sorted(rng.sample(hdays, min(per_week, len(hdays))), key=days.index))
            starts = list(range(hs, he - dur + 1, 5))
            rng.shuffle(starts)
            for start in starts[:60]:
                span = (start, start + dur)
                if not all(any(a <= span[0] and span[1] <= b for a, b in k.pullable) for k in members):
                    continue
                who = [*ids, prov] if prov else list(ids)
                if any(overlaps(span, iv) for d in pick for w in who for iv in busy.get((w, d), ())):
                    continue
                for d in pick:
                    for w in who:
                        busy.setdefault((w, d), []).append(span)
                sessions.append(what.fixed(pick if len(pick) < len(days) else (), span))
                return
        allowed: tuple[str, ...] = ()
        pdays = sorted({d for ds, _, _ in hours for d in ds}, key=days.index)
        if len(pdays) < len(days):
            allowed = tuple(pdays)
        window = None
        if rng.random() < 0.6:
            window = rng.choice(((8 * 60 + 30, 14 * 60 + 30), (9 * 60, 14 * 60), (8 * 60 + 30, 11 * 60 + 30)))
        sessions.append(what.flexible(per_week, dur, allowed if len(allowed) >= per_week else (), window))

    slps = [p for p, (k, _) in providers.items() if k == "speech"]
    ot = next(p for p, (k, _) in providers.items() if k == "OT")
    pt = next(p for p, (k, _) in providers.items() if k == "PT")
    counselor = next(p for p, (k, _) in providers.items() if k == "counseling")
    order = list(kids)
    rng.shuffle(order)
    speech: dict[str, list[_Kid]] = {}
    for k in order:
        if rng.random() < 0.3:
            speech.setdefault(k.student.grade, []).append(k)
    n = 0
    for grade in sorted(speech):
        group = speech[grade]
        while group:
            size = rng.choice((1, 2, 2, 3))
            add(group[:size], "speech", slps[n % len(slps)], ParaRole.NONE, 2, 30)
            group = group[size:]
            n += 1
    for k in order:
        st = k.student
        if rng.random() < 0.18:
            assist = st.support == Support.ONE_TO_ONE and "behavior" in st.skills_required and rng.random() < 0.5
            add(
                [k],
                "OT",
                ot,
                ParaRole.ASSIST if assist else ParaRole.NONE,
                1,
                rng.choice((30, 45)),
                skills=frozenset({"behavior"}) if assist else frozenset(),
            )
        if "lift" in st.skills_required:
            add([k], "PT", pt, ParaRole.ASSIST, rng.choice((1, 2)), 30, skills=frozenset({"lift"}), priority=1)
        if rng.random() < 0.12:
            add([k], "counseling", counselor, ParaRole.NONE, 1, 30)
    aba = [k for k in order if k.student.support == Support.ONE_TO_ONE and "behavior" in k.student.skills_required]
    for k in aba[:n_aba]:
        add([k], "ABA", "", ParaRole.DELIVER, rng.choice((3, 5)), 30, skills=frozenset({"rbt"}), priority=1)
    return sessions


def hard_school(
    n_paras: int,
    *,
    seed: int = 0,
    n_students: int | None = None,
    days: Sequence[str] = WEEKDAYS,
    school_name: str | None = None,
    breaks_per_day: int | None = None,
    staffing: float | None = None,
) -> Problem:
    """A realistic, hard school week (module docstring). ``n_students`` fixes the students
    instead of drawing them until staff minutes are ``staffing`` x the need."""
    if n_paras < 1:
        raise ValueError("n_paras must be at least 1")
    if staffing is not None and staffing <= 0:
        raise ValueError("staffing must be positive")
    days = tuple(days)
    rng = random.Random(f"hard-{seed}")
    target = staffing if staffing is not None else rng.uniform(1.10, 1.25)
    medium = n_paras >= 25
    if breaks_per_day is None:
        breaks_per_day = rng.choice((1, 2)) if medium else 0
    settings = Settings(
        school_name=school_name
        if school_name is not None
        else f"{LAST[(seed * 7 + n_paras) % len(LAST)]} {'K-8 School' if n_paras >= K8_FROM_PARAS else 'Elementary'}",
        days=days,
        week_of=dt.date(2026, 9, 7) + dt.timedelta(weeks=seed % 30) if days[0] == "Mon" else None,
        school_start=SCHOOL_START,
        school_end=SCHOOL_END,
        lunch_minutes=30,
        lunch_window=(10 * 60 + 30, 13 * 60 + 30),
        breaks_per_day=breaks_per_day,
        break_minutes=15,
        max_continuous_minutes=rng.choice((150, 180, 210)) if medium else None,
        min_support_minutes=15,
    )

    # -- paras (skills later) ------------------------------------------------------------------------------
    para_rows = _para_rows(n_paras, days, rng, medium)

    # -- a pool of students, drawn in order; the school takes as many as its staff can nearly carry ----------
    k8 = n_paras >= K8_FROM_PARAS
    grades = list(range(9 if k8 else 6))
    student_rng = random.Random(f"hard-students-{seed}")
    grade_days = {g: _grade_day(g, k8, student_rng) for g in grades}
    pool_size = n_students if n_students is not None else max(4, round(n_paras * 2.6))
    sid_w = max(3, len(str(pool_size)))
    rooms_per_grade = max(1, math.ceil(pool_size / len(grades) / 5))
    middle_rooms = {
        g: {
            act: f"Room {g}{k + 1:02d}"
            for k, act in enumerate(("ELA", "Math", "Science", "Social Studies", "Elective"))
        }
        for g in grades
        if g >= 6
    }
    kids: list[_Kid] = []
    for i in range(pool_size):
        grade = student_rng.choice(grades)
        if grade < 6 and student_rng.random() < 0.08:
            room = "Room 110 (self-contained K-2)" if grade <= 2 else "Room 112 (self-contained 3-5)"
        else:
            room = f"Room {grade + 1}{student_rng.randrange(rooms_per_grade) + 1:02d}"
        kid = _Kid(_draw_student(f"S{i + 1:0{sid_w}d}", grade, room, student_rng))
        rows, kid.wave = grade_days[grade]
        _student_week(kid, rows, grade, days, middle_rooms.get(grade, {}), student_rng)
        kids.append(kid)
    waves = 4 if k8 else 3
    duties = _duties(n_paras, waves, days)
    if n_students is None:
        kids = kids[: _students_for(target, para_rows, kids, duties, settings)]

    # -- skills, preferences, therapy ---------------------------------------------------------------------
    students = [k.student for k in kids]
    n_aba = max(1, n_paras // 12)
    _assign_skills(para_rows, students, rng, n_aba)
    paras = [para_from_row(p) for p in para_rows]
    for i, st in enumerate(students):
        students[i] = kids[i].student = with_preferences(st, paras, rng, prefer=0.15, avoid=0.19, avoid_from=2)
    sessions = _therapy(kids, days, rng, _providers(len(kids), days), n_aba)
    _staff_sessions(para_rows, sessions, {st.student_id: st for st in students}, rng)
    paras = [para_from_row(p) for p in para_rows]
    provider_hours = [
        ProviderHours(prov, s, e, days=d) for prov, (_, rows) in _providers(len(kids), days).items() for d, s, e in rows
    ]

    # -- a few para-days off or shortened -----------------------------------------------------------------
    availability: list[Availability] = []
    regular = [p for p in paras if p.role == Role.PARA]
    for p in rng.sample(regular, min(len(regular), n_paras // 12)):
        availability.append(para_day_off(p.para_id, p.days or days, (p.start, min(p.end, 12 * 60)), rng))
    return Problem(
        settings,
        tuple(paras),
        tuple(students),
        student_blocks=tuple(b for k in kids for b in k.blocks),
        availability=tuple(availability),
        duties=tuple(duties),
        sessions=tuple(sessions),
        provider_hours=tuple(provider_hours),
    )


def _students_for(
    target: float, para_rows: list[dict], kids: list[_Kid], duties: list[Duty], settings: Settings
) -> int:
    """How many of the pool's students make the paras' working minutes (their hours on the days
    they work, lunches and breaks included, substitutes left out) ``target`` x the required
    staff-minutes of ``capacity.summary`` (therapy left out: it changes the need little)."""
    paras = tuple(para_from_row({**p, "skills": set()}) for p in para_rows)
    grid = WeekGrid(Problem(settings, paras, ()))
    hours = sum(total(grid.para_available(p.para_id, d)) for p in paras if p.role == Role.PARA for d in grid.days)

    def ratio(k: int) -> float:
        # the need does not depend on who is on staff: one para keeps the count fast
        problem = Problem(
            settings,
            paras[:1],
            tuple(x.student for x in kids[:k]),
            student_blocks=tuple(b for x in kids[:k] for b in x.blocks),
            duties=tuple(duties),
        )
        return hours / max(1, summary(problem).required_total)

    lo, hi = 1, len(kids)
    if ratio(hi) >= target:
        return hi
    while hi - lo > 1:  # the ratio falls as students are added
        mid = (lo + hi) // 2
        if ratio(mid) >= target:
            lo = mid
        else:
            hi = mid
    return lo


__all__ = ["hard_school"]
