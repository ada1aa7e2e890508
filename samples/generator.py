"""Seeded generator of realistic school weeks (samples, tests, benchmarks).

``generate_school(80)`` gives a "normal" elementary school: about 1.4 students per para, a
third of them 1:1 all day, the rest with shared/flex/none blocks moving between homeroom,
specials, lunch and recess; qualified staff for every need but not many spare; duties scaled
with size; fixed and flexible therapy with provider hours. Deterministic for a seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from parasched.scheduler.model import (
    Absence,
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
from parasched.scheduler.timegrid import overlaps
from samples._build import (
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

STUDENTS_PER_PARA = 1.4
ONE_TO_ONE_SHARE = 0.33

SPECIALS = (
    ("Art", "Art room"),
    ("Music", "Music room"),
    ("PE", "Gym"),
    ("Library", "Library"),
    ("PE", "Gym"),
    ("STEM", "STEM lab"),
    ("Art", "Art room"),
)


def _t(h: int, m: int = 0) -> int:
    return h * 60 + m


def _grade_day(grade: int) -> list[tuple[int, int, str, str]]:
    """One grade's day as (start, end, activity, where) with where in homeroom/special/cafeteria/..."""
    lunch = _t(10, 45) + 15 * (grade % 7)  # K 10:45 ... grade 5 12:00
    recess = (lunch + 30, lunch + 50)
    special = _t(9, 0) if grade % 2 == 0 else _t(13, 15)
    if grade >= 4:
        special = _t(13, 45) if grade == 4 else _t(9, 45)
    events = [
        (lunch, lunch + 30, "Lunch", "cafeteria"),
        (recess[0], recess[1], "Recess", "playground"),
        (special, special + 45, "Specials", "special"),
    ]
    events.sort()
    out: list[tuple[int, int, str, str]] = []
    academics = iter(("Reading", "Writing", "Math", "Science", "Social studies", "Intervention", "Centers"))
    cur = _t(8, 0)
    for s, e, act, where in [*events, (_t(15, 0), _t(15, 0), "", "")]:
        while cur < s:
            end = min(s, cur + 90) if s - cur > 105 else s
            name = next(academics, "Centers")
            out.append((cur, end, name, "resource" if name == "Intervention" else "homeroom"))
            cur = end
        if e > s:
            out.append((s, e, act, where))
            cur = e
    s, e, act, where = out[-1]
    if where == "homeroom":  # the day ends with small-group intervention in the resource room
        out[-1] = (s, e, "Intervention", "resource")
    return out


def generate_school(
    n_paras: int,
    *,
    seed: int = 0,
    n_students: int | None = None,
    days: Sequence[str] = WEEKDAYS,
    school_name: str | None = None,
    breaks_per_day: int | None = None,
    kind: str = "easy",
    staffing: float | None = None,
) -> Problem:
    """A school week with ``n_paras`` paras, deterministic for ``seed``.

    ``kind="easy"``: about 1.4 students per para, qualified staff for nearly every need (greedy
    covers 99-100 %). ``kind="hard"``: the realistic setting of :func:`samples.hard.hard_school`
    (bell schedules with passing periods, scarce skills, lunch duties inside the lunch window,
    staff at ``staffing`` x the need, by default 1.10-1.25)."""
    if n_paras < 1:
        raise ValueError("n_paras must be at least 1")
    if kind == "hard":
        from samples.hard import hard_school

        return hard_school(
            n_paras,
            seed=seed,
            n_students=n_students,
            days=days,
            school_name=school_name,
            breaks_per_day=breaks_per_day,
            staffing=staffing,
        )
    if kind != "easy":
        raise ValueError(f"kind must be 'easy' or 'hard', not {kind!r}")
    if staffing is not None:
        raise ValueError("staffing applies to kind='hard' only")
    breaks_per_day = 1 if breaks_per_day is None else breaks_per_day
    rng = random.Random(seed)
    days = tuple(days)
    if n_students is None:
        n_students = max(1, round(n_paras * STUDENTS_PER_PARA))
    settings = Settings(
        school_name=school_name if school_name is not None else f"Generated School {n_paras}-{seed}",
        days=days,
        school_start=_t(8),
        school_end=_t(15),
        time_step=5,
        lunch_minutes=30,
        lunch_window=(_t(10, 30), _t(13, 30)),
        breaks_per_day=breaks_per_day,
        break_minutes=15,
        max_continuous_minutes=240 if n_paras >= 20 else None,
        time_limit_seconds=60 if n_paras < 40 else 180,
    )

    # -- students ------------------------------------------------------------------------------------------
    n_rooms = max(1, math.ceil(n_students / 6))
    rooms = [f"Room {100 + i + 1}" for i in range(n_rooms)]
    room_grade = {r: (i * 6) // n_rooms for i, r in enumerate(rooms)}  # K..5 spread over the rooms
    students: list[Student] = []
    blocks: list[StudentBlock] = []
    need_count: dict[str, float] = {}
    n_one = round(n_students * ONE_TO_ONE_SHARE)
    sid_w = max(2, len(str(n_students)))
    pid_w = max(2, len(str(n_paras)))
    one_ids = set(rng.sample(range(n_students), n_one))
    asl_idx = min(one_ids) if n_students >= 30 and one_ids else -1  # a larger school has a signing student
    male_one: list[str] = []
    female_one: list[str] = []
    for i in range(n_students):
        sid = f"S{i + 1:0{sid_w}d}"
        gender = rng.choice("mmf")  # boys are over-represented among students with IEPs
        name = kid_name(gender, rng)
        room = rng.choice(rooms)
        grade = room_grade[room]
        one = i in one_ids
        skills: set[str] = set()
        priority = 2
        gender_match = False
        r = rng.random()
        if one:
            if r < 0.40:
                skills.add("behavior")
            elif r < 0.55:
                skills.add("medical")
            elif r < 0.65:
                skills.add("lift")
            elif r < 0.69:
                skills.add("asl")
            if i == asl_idx:
                skills.add("asl")
            if rng.random() < 0.18:
                skills.add("toileting")
                gender_match = rng.random() < 0.7
        else:
            if r < 0.12:
                skills.add("behavior")
            elif r < 0.17:
                skills.add("medical")
            elif r < 0.22:
                skills.add("spanish")
            if rng.random() < 0.06:
                skills.add("toileting")
                gender_match = True
        if skills & {"behavior", "medical"}:
            priority = 1
        support = Support.ONE_TO_ONE if one else rng.choice((Support.SHARED, Support.SHARED, Support.FLEX))
        if not one and support == Support.FLEX and priority == 2 and rng.random() < 0.6:
            priority = 3
        max_same = None
        if one and "behavior" in skills and rng.random() < 0.45:
            max_same = rng.choice((180, 210, 240))
        group_max = 1 if one else rng.choice((2, 3, 3, 4))
        students.append(
            Student(
                sid,
                name,
                grade=grade_name(grade),
                homeroom=room,
                support=support,
                group_max=group_max if not one else 3,
                skills_required=frozenset(skills),
                gender=gender,
                gender_match=gender_match,
                priority=priority,
                max_minutes_with_same_para=max_same,
            )
        )
        weight = 1.0 if one else 0.35
        for sk in skills:
            need_count[sk] = need_count.get(sk, 0) + weight
        if gender_match:
            (male_one if gender == "m" else female_one).append(sid)
        # the student's week
        if one and rng.random() < 0.4:
            continue  # self-contained classroom all day: no rows (homeroom, school day)
        protect_reading = rng.random() < 0.5
        for start, end, act, where in _grade_day(grade):
            if where == "special":
                for k, day in enumerate(days):
                    sact, sloc = SPECIALS[(k + grade) % len(SPECIALS)]
                    if one:
                        bsupport = None
                    elif skills:  # a class of 25 at a special: the student goes without their para
                        bsupport = Support.NONE
                    else:
                        bsupport = rng.choice((Support.SHARED, Support.NONE, Support.NONE))
                    extra = pe_skills(sact, skills)
                    blocks.append(
                        StudentBlock(
                            sid,
                            start,
                            end,
                            days=(day,),
                            activity=sact,
                            location=sloc,
                            support=bsupport,
                            skills_required=extra,
                        )
                    )
                continue
            location = {
                "homeroom": "",
                "resource": f"Resource room {rooms.index(room) // 2 + 1}",
                "cafeteria": "Cafeteria",
                "playground": "Playground",
            }[where]
            if one:
                bsupport = None
            elif where in ("cafeteria", "playground"):
                bsupport = rng.choice((Support.SHARED, Support.SHARED, Support.NONE))
            elif where == "resource":
                bsupport = rng.choice((Support.SHARED, Support.FLEX))
            else:
                bsupport = rng.choice((None, Support.FLEX, Support.NONE, Support.NONE))
            if skills and where != "homeroom" and bsupport in (Support.SHARED, None):
                bsupport = Support.FLEX  # outside the classroom, a student with special needs is not grouped
            protected = act == "Reading" and protect_reading
            blocks.append(
                StudentBlock(sid, start, end, activity=act, location=location, support=bsupport, protected=protected)
            )

    # weekly flex targets: a share of the flex minutes in the student's week
    flex_minutes: dict[str, int] = {}
    by_id = {s.student_id: s for s in students}
    for b in blocks:
        st = by_id[b.student_id]
        if (b.support or st.support) == Support.FLEX:
            n_days = len(b.days) if b.days else len(days)
            flex_minutes[b.student_id] = flex_minutes.get(b.student_id, 0) + (b.end - b.start) * n_days
    for i, st in enumerate(students):
        fm = flex_minutes.get(st.student_id, 0)
        if fm >= 60 and rng.random() < 0.6:
            target = max(30, (int(fm * rng.uniform(0.25, 0.5)) // 15) * 15)
            students[i] = _replace(st, weekly_flex_minutes=target)

    # -- paras ---------------------------------------------------------------------------------------------
    n_subs = 0 if n_paras < 10 else max(1, min(3, n_paras // 30))
    n_regular = n_paras - n_subs
    paras_raw: list[dict] = []
    for i in range(n_paras):
        p = para_row(f"P{i + 1:0{pid_w}d}", rng, male_share=0.2)
        if i >= n_regular:
            p.update(role=Role.SUBSTITUTE, start=_t(8), end=_t(15))
        else:
            r = rng.random()
            if r < 0.55:
                p.update(start=_t(7, 30), end=_t(15, 30))
            elif r < 0.88:
                p.update(start=_t(8), end=_t(15))
            elif r < 0.94:
                p.update(start=_t(8), end=_t(12, 30))
            else:
                p.update(start=_t(8), end=_t(15), days=tuple(d for k, d in enumerate(days) if k % 2 == 0))
        paras_raw.append(p)
    regular = paras_raw[:n_regular]
    full_time = [p for p in regular if p["end"] - p["start"] >= 420 and "days" not in p]
    # every needed skill held by about 1.3x the paras the need calls for (tight but coverable)
    for sk in sorted(need_count):
        k = min(len(full_time), max(2, math.ceil(need_count[sk] * 1.3) + 1))
        for p in rng.sample(full_time, k):
            p["skills"].add(sk)
    for p in regular:
        if rng.random() < 0.12:
            p["skills"].add("spanish")
        if rng.random() < 0.2:
            p["skills"].add("behavior")
    for sex, ids in (("m", male_one), ("f", female_one)):
        same = [p for p in full_time if p["gender"] == sex]
        want = min(len(same), math.ceil(len(ids) * 1.5) + 1) if ids else 0
        have = [p for p in same if "toileting" in p["skills"]]
        for p in rng.sample([p for p in same if "toileting" not in p["skills"]], max(0, want - len(have))):
            p["skills"].add("toileting")
    # every combination of needs (e.g. medical + toileting, same gender) held by at least two paras
    for st in students:
        if not st.skills_required:
            continue
        same = [p for p in full_time if not st.gender_match or p["gender"] == st.gender]
        if st.gender_match and len(same) < 2:  # hire a para of the student's gender
            others = [p for p in full_time if p["gender"] != st.gender]
            for p in rng.sample(others, min(len(others), 2 - len(same))):
                set_gender(p, st.gender, rng)
            same = [p for p in full_time if p["gender"] == st.gender]
        held = [p for p in same if st.skills_required <= p["skills"]]
        lacking = [p for p in same if not st.skills_required <= p["skills"]]
        want = 3 if st.max_minutes_with_same_para else 2  # a rotation needs a third qualified para
        for p in rng.sample(lacking, max(0, min(len(lacking), want - len(held)))):
            p["skills"] |= st.skills_required
    n_rbt = max(1, n_regular // 10)
    for p in rng.sample(full_time or regular, min(n_rbt, len(full_time or regular))):
        p["skills"] |= {"rbt", "behavior"}
    for p in paras_raw[n_regular:]:
        p["skills"] = {"behavior"} if rng.random() < 0.5 else set()
    for p in regular:
        if rng.random() < 0.10:
            p["general_duties"] = False
        elif rng.random() < 0.10:
            p["max_duty_minutes"] = rng.choice((150, 300))
    # the nurse-cover duty needs two medically trained paras who may take duties
    trained = [p for p in full_time if "medical" in p["skills"]]
    untrained = [p for p in full_time if p not in trained]
    for p in rng.sample(untrained, max(0, min(2 - len(trained), len(untrained)))):
        p["skills"].add("medical")
    on_duty = [p for p in regular if "medical" in p["skills"] and p.get("general_duties", True)]
    off_duty = [p for p in regular if "medical" in p["skills"] and not p.get("general_duties", True)]
    for p in off_duty[: max(0, 2 - len(on_duty))]:
        p["general_duties"] = True
    paras = tuple(para_from_row(p) for p in paras_raw)
    para_ids = [p.para_id for p in paras]

    # preferred / avoid
    for i, st in enumerate(students):
        students[i] = with_preferences(st, paras, rng, prefer=0.25, avoid=0.33, avoid_from=3)

    # -- duties --------------------------------------------------------------------------------------------
    duties: list[Duty] = []
    groups = max(1, n_paras // 15)
    doors = ("Front door", "Side door", "Gym door", "Kindergarten door", "Back door", "North door", "South door")

    for g in range(groups):
        door = doors[g % len(doors)]
        add_duty(duties, DutyKind.ARRIVAL, f"Arrival {door}", _t(7, 30), _t(8), location=door, priority=1)
    for g in range(max(1, math.ceil(groups / 2))):
        add_duty(
            duties,
            DutyKind.BUS,
            f"Bus loop {g + 1}",
            _t(15),
            _t(15, 25),
            staff=2 if n_paras >= 10 else 1,
            location="Bus loop",
            priority=1,
        )
    lunch_staff = 1 if n_paras < 40 else (2 if n_paras < 120 else 3)
    waves = 6 if n_paras >= 20 else 3  # a small school supervises two grades' lunches at once
    for w in range(waves):
        grades = range(6) if waves == 6 else range(2 * w, 2 * w + 2)
        lunch = _t(10, 45) + 15 * grades[0]
        length = 15 * (len(grades) - 1) + 30
        gname = (
            "-".join(grade_name(g) for g in (grades[0], grades[-1])) if waves < 6 else ("K" if w == 0 else f"grade {w}")
        )
        if waves == 6:
            lunch, length = _t(10, 45) + 15 * w, 30
        add_duty(
            duties, DutyKind.LUNCH, f"Lunch {gname}", lunch, lunch + length, staff=lunch_staff, location="Cafeteria"
        )
        add_duty(
            duties,
            DutyKind.RECESS,
            f"Recess {gname}",
            lunch + length,
            lunch + length + 20,
            staff=lunch_staff,
            location="Playground",
            priority=2 if w < waves // 2 else 3,
        )
    for g in range(groups):
        add_duty(
            duties,
            DutyKind.DISMISSAL,
            f"Dismissal {doors[g % len(doors)]}",
            _t(15),
            _t(15, 20),
            location=doors[g % len(doors)],
            priority=2,
        )
    add_duty(duties, DutyKind.HALLWAY, "Morning hallway", _t(8), _t(8, 15), location="Main hallway", priority=3)
    if n_paras >= 20:
        add_duty(
            duties,
            DutyKind.OTHER,
            "Nurse office cover",
            _t(11, 30),
            _t(12),
            location="Nurse office",
            skills=frozenset({"medical"}),
            priority=2,
            days=days[1::2] or days,
        )
        add_duty(
            duties,
            DutyKind.HALLWAY,
            "Afternoon hallway",
            _t(12, 30),
            _t(12, 45),
            location="Main hallway",
            priority=3,
            staff=2,
            days=days[::2],
        )

    # -- therapy -------------------------------------------------------------------------------------------
    providers: list[tuple[str, str]] = []  # (provider, kind)
    n_slp = max(1, math.ceil(n_students / 40))
    slp_names = (
        "Ms. Reed",
        "Mr. Vance",
        "Ms. Ortiz",
        "Ms. Burke",
        "Mr. Stone",
        "Ms. Park",
        "Ms. Ferris",
        "Mr. Hunt",
        "Ms. Lowe",
        "Ms. Dean",
        "Ms. Ruiz",
        "Mr. Ames",
    )
    ot_names = ("Ms. Park", "Ms. Lang", "Mr. Cole", "Ms. Shah", "Ms. Byrne", "Mr. Ito", "Ms. Webb", "Ms. Quinn")

    def who(k: int, title: str, names: tuple[str, ...]) -> str:
        name = names[k % len(names)]
        return f"{name} ({title})" if k < len(names) else f"{name} {k // len(names) + 1} ({title})"

    for k in range(n_slp):
        providers.append((who(k, "SLP", slp_names), "speech"))
    for k in range(max(1, math.ceil(n_students / 60))):
        providers.append((who(k, "OT", ot_names), "OT"))
    providers.append(("Ms. Grant (PT)", "PT"))
    providers.append(("Mr. Hale (counselor)", "counseling"))
    provider_hours: list[ProviderHours] = []
    hours_of: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
    for prov, kind in providers:
        if kind == "PT":
            rows = [(tuple(days[1::2]) or days, _t(8, 30), _t(14, 30))]
        elif kind == "OT" and len(days) > 2:
            rows = [(tuple(days[:-1]), _t(8), _t(15)), ((days[-1],), _t(8), _t(12))]
        else:
            rows = [(days, _t(8), _t(15))]
        hours_of[prov] = rows
        for d, s, e in rows:
            provider_hours.append(ProviderHours(prov, s, e, days=d if set(d) != set(days) else ()))

    sessions: list[Session] = []
    busy_provider: dict[tuple[str, str], list[tuple[int, int]]] = {}
    busy_student: dict[tuple[str, str], list[tuple[int, int]]] = {}
    protected_at: dict[str, list[tuple[int, int]]] = {}
    for b in blocks:
        if b.protected:
            protected_at.setdefault(b.student_id, []).append((b.start, b.end))
    load: dict[str, int] = {p: 0 for p, _ in providers}
    capacity = {p: sum(len(d) * (e - s) for d, s, e in hours_of[p]) * 0.55 for p, _ in providers}
    rbt_ok = {p.para_id for p in paras if "rbt" in p.skills and p.role == Role.PARA}

    def add_session(
        studs: list[Student],
        kind: str,
        prov: str,
        role: ParaRole,
        fixed: bool,
        per_week: int,
        dur: int,
        skills: frozenset[str] = frozenset(),
        priority: int = 2,
    ) -> None:
        ids = tuple(s.student_id for s in studs)
        per_week = min(per_week, len(days))
        if prov and load[prov] + per_week * dur > capacity[prov]:
            return
        what = Therapy(f"T{len(sessions) + 1:02d}", ids, kind, prov, role, skills, priority)
        hours = hours_of.get(prov, [(days, _t(8), _t(15))])
        if fixed:
            hdays, hs, he = rng.choice(hours)
            pick_days = tuple(sorted(rng.sample(hdays, min(per_week, len(hdays))), key=days.index))
            for _ in range(30):
                start = rng.randrange(hs, he - dur + 1, 15)
                span = (start, start + dur)
                if any(overlaps(span, iv) for x in ids for iv in protected_at.get(x, ())):
                    continue
                if any(overlaps(span, iv) for d in pick_days for iv in busy_provider.get((prov, d), ())):
                    continue
                if any(overlaps(span, iv) for d in pick_days for s in ids for iv in busy_student.get((s, d), ())):
                    continue
                for d in pick_days:
                    if prov:
                        busy_provider.setdefault((prov, d), []).append(span)
                    for s in ids:
                        busy_student.setdefault((s, d), []).append(span)
                sessions.append(what.fixed(pick_days, span))
                break
            else:
                return
        else:
            allowed: tuple[str, ...] = ()
            if rng.random() < 0.4:
                allowed = tuple(d for d in days if rng.random() < 0.7) or days
                if len(allowed) < per_week:
                    allowed = days
                if set(allowed) == set(days):
                    allowed = ()
            window = None
            if rng.random() < 0.5:
                ws = rng.choice((_t(8, 30), _t(9), _t(12, 30)))
                window = (ws, min(_t(15), ws + rng.choice((120, 150, 180))))
            sessions.append(what.flexible(per_week, dur, allowed, window))
        if prov:
            load[prov] += per_week * dur

    slps = [p for p, k in providers if k == "speech"]
    ots = [p for p, k in providers if k == "OT"]
    pool = list(students)
    rng.shuffle(pool)
    speech = [x for x in pool if rng.random() < 0.35]
    # speech groups of 1-3 students of the same grade
    by_grade: dict[str, list[Student]] = {}
    for stu in speech:
        by_grade.setdefault(stu.grade, []).append(stu)
    k = 0
    for grade_label in sorted(by_grade):
        group = by_grade[grade_label]
        while group:
            size = rng.choice((1, 2, 2, 3))
            members, group = group[:size], group[size:]
            add_session(
                members, "speech", slps[k % len(slps)], ParaRole.NONE, rng.random() < 0.4, rng.choice((1, 2, 2)), 30
            )
            k += 1
    for j, stu in enumerate(x for x in pool if rng.random() < 0.2):
        assist = stu.support == Support.ONE_TO_ONE and "behavior" in stu.skills_required
        add_session(
            [stu],
            "OT",
            ots[j % len(ots)],
            ParaRole.ASSIST if assist else ParaRole.NONE,
            rng.random() < 0.5,
            rng.choice((1, 2)),
            30,
            skills=frozenset({"behavior"}) if assist else frozenset(),
            priority=1 if assist else 2,
        )
    for stu in pool:
        if "lift" in stu.skills_required:
            add_session(
                [stu], "PT", "Ms. Grant (PT)", ParaRole.ASSIST, rng.random() < 0.5, 1, 30, skills=frozenset({"lift"})
            )
    counsel = [x for x in pool if x.support != Support.ONE_TO_ONE and rng.random() < 0.15]
    for j in range(0, len(counsel), 2):
        add_session(counsel[j : j + 2], "counseling", "Mr. Hale (counselor)", ParaRole.NONE, False, 1, 30, priority=3)
    rbt_paras = [p for p in paras if p.para_id in rbt_ok]
    aba = [
        x
        for x in pool
        if x.support == Support.ONE_TO_ONE
        and "behavior" in x.skills_required
        and any(
            x.skills_required <= p.skills
            and p.para_id not in x.avoid_paras
            and (not x.gender_match or p.gender == x.gender)
            for p in rbt_paras
        )
    ]
    for stu in aba[: max(1, len(rbt_ok) // 2) if rbt_ok else 0]:
        add_session(
            [stu], "ABA", "", ParaRole.DELIVER, rng.random() < 0.3, rng.choice((2, 3)), 30, skills=frozenset({"rbt"})
        )

    # -- availability and absences --------------------------------------------------------------------------
    availability: list[Availability] = []
    absences: list[Absence] = []
    regular_ids = para_ids[:n_regular]
    n_exc = max(1, n_paras // 15)
    for pid in rng.sample(regular_ids, min(n_exc, len(regular_ids))):
        availability.append(para_day_off(pid, days, (_t(8), _t(12)), rng))
    if n_paras >= 6:
        n_abs = max(1, n_paras // 20)
        for pid in rng.sample(regular_ids, min(n_abs, len(regular_ids))):
            day = rng.choice(days)
            if rng.random() < 0.5:
                absences.append(Absence(pid, (day,), reason="personal day"))
            else:
                absences.append(Absence(pid, (day,), _t(12), _t(15), reason="training"))
        st = rng.choice(students)
        absences.append(Absence(st.student_id, (rng.choice(days),), reason="medical appointment"))

    return Problem(
        settings,
        paras,
        tuple(students),
        student_blocks=tuple(blocks),
        availability=tuple(availability),
        duties=tuple(duties),
        sessions=tuple(sessions),
        provider_hours=tuple(provider_hours),
        absences=tuple(absences),
    )


def _replace(student: Student, **changes: object) -> Student:
    from dataclasses import replace

    return replace(student, **changes)  # type: ignore[arg-type]


__all__ = ["WEEKDAYS", "generate_school"]
