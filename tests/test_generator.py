"""The seeded school generator: deterministic, realistic proportions, coverable but tight, fast."""

import itertools
import time
from collections import Counter

import pytest

from parasched.scheduler.capacity import capacity_map, summary, warnings
from parasched.scheduler.model import DutyKind, ParaRole, Role, Support
from samples.generator import generate_school

try:
    from tests import fixtures
except ImportError:  # pragma: no cover
    import fixtures  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def school80():
    return generate_school(80, seed=1)


def test_same_seed_same_school_other_seed_other_school():
    a, b = generate_school(40, seed=3), generate_school(40, seed=3)
    assert a == b
    assert [s.source for s in a.students] == [None] * len(a.students)
    assert generate_school(40, seed=4) != a


def test_sizes_follow_paras(school80):
    assert len(school80.paras) == 80
    assert len(school80.students) == 112  # 1.4 students per para
    assert len(generate_school(10, n_students=5).students) == 5
    assert generate_school(6, days=("Mon", "Tue", "Wed")).settings.days == ("Mon", "Tue", "Wed")
    with pytest.raises(ValueError):
        generate_school(0)


def test_one_third_of_students_are_one_to_one_and_the_rest_move_between_rooms(school80):
    support = Counter(s.support for s in school80.students)
    assert 0.30 <= support[Support.ONE_TO_ONE] / len(school80.students) <= 0.35
    assert support[Support.SHARED] > 0 and support[Support.FLEX] > 0
    block_support = Counter(b.support for b in school80.student_blocks)
    assert {Support.NONE, Support.FLEX, Support.SHARED, None} <= set(block_support)
    locations = {b.location for b in school80.student_blocks}
    assert {"Cafeteria", "Playground", "Gym", "Art room", "Music room", "Resource room 1"} <= locations
    assert any(b.protected for b in school80.student_blocks)
    assert any(b.skills_required for b in school80.student_blocks)  # lift in PE


def test_student_needs_and_preferences(school80):
    st = school80.students
    needed = Counter(sk for s in st for sk in s.skills_required)
    assert {"behavior", "medical", "asl", "toileting", "lift"} <= set(needed)
    for s in st:
        if s.skills_required & {"medical", "behavior"}:
            assert s.priority == 1
        if s.gender_match:
            assert "toileting" in s.skills_required and s.gender
        if s.max_minutes_with_same_para is not None:
            assert 180 <= s.max_minutes_with_same_para <= 240
    assert any(s.preferred_paras for s in st) and any(s.avoid_paras for s in st)
    assert any(s.weekly_flex_minutes for s in st)
    assert any(s.max_minutes_with_same_para for s in st)


def test_paras_hours_roles_and_limits(school80):
    paras = school80.paras
    hours = Counter((p.start, p.end) for p in paras)
    assert hours[(450, 930)] > 0 and hours[(480, 900)] > 0
    assert any(p.end - p.start < 300 or p.days for p in paras)  # part-time
    assert sum(p.role == Role.SUBSTITUTE for p in paras) == 2
    assert 0 < sum(not p.general_duties for p in paras) < 20
    assert 0 < sum(p.max_duty_minutes is not None for p in paras) < 20
    assert school80.availability and school80.absences


def test_duties_scale_with_size(school80):
    kinds = {d.kind for d in school80.duties}
    assert {
        DutyKind.ARRIVAL,
        DutyKind.BUS,
        DutyKind.LUNCH,
        DutyKind.RECESS,
        DutyKind.DISMISSAL,
        DutyKind.HALLWAY,
    } <= kinds
    assert max(d.staff_needed for d in school80.duties) >= 2
    assert len(generate_school(320, seed=1).duties) > len(school80.duties) > len(generate_school(8).duties)


def test_therapy_fixed_flexible_and_roles(school80):
    ses = school80.sessions
    assert any(s.is_flexible for s in ses) and any(not s.is_flexible for s in ses)
    roles = Counter(s.para_role for s in ses)
    assert roles[ParaRole.NONE] > roles[ParaRole.ASSIST] > 0 and roles[ParaRole.DELIVER] > 0
    assert all("rbt" in s.skills_required and not s.provider for s in ses if s.para_role == ParaRole.DELIVER)
    assert {s.kind for s in ses} >= {"speech", "OT", "counseling", "ABA"}
    assert {h.provider for h in school80.provider_hours} >= {s.provider for s in ses if s.provider}
    assert any(s.window for s in ses) and any(s.allowed_days for s in ses)


@pytest.mark.parametrize("n, seed", [(7, 0), (12, 1), (20, 0), (20, 1), (40, 2), (80, 1), (160, 3)])
def test_every_need_has_someone_qualified(n, seed):
    assert [str(w) for w in warnings(generate_school(n, seed=seed))] == []


def test_a_normal_school_mostly_coverable_tightest_at_lunch(school80):
    s = summary(school80)
    assert 0.5 < s.required_total / s.staff_minutes < 0.8
    segments = capacity_map(school80).segments
    short = sum(seg.short * seg.minutes for seg in segments)
    assert short < 0.01 * s.required_total  # qualified staff present nearly everywhere
    for day in school80.settings.days:  # the peak need is around lunch, when paras also take theirs
        peak = max((seg for seg in segments if seg.day == day), key=lambda seg: seg.needed)
        assert 10 * 60 + 30 <= peak.start < 13 * 60 + 30


def test_fast():
    start = time.perf_counter()
    generate_school(320, seed=5)
    assert time.perf_counter() - start < 1.0


def test_shared_fixtures():
    small = fixtures.small_problem()
    assert (len(small.paras), len(small.students), small.settings.days) == (7, 10, ("Mon", "Tue", "Wed", "Thu", "Fri"))
    assert small == fixtures.small_problem()


def test_complete_problem_uses_every_feature():
    p = fixtures.complete_problem()
    st = {s.student_id: s for s in p.students}
    assert any(a.start is None for a in p.availability) and any(a.start is not None for a in p.availability)
    assert {a.person_id for a in p.absences} & {x.para_id for x in p.paras}
    assert {a.person_id for a in p.absences} & set(st)
    assert {s.support for s in p.students} == set(Support)
    assert any(s.group_max != 3 for s in st.values() if s.support == Support.SHARED)
    assert any(s.weekly_flex_minutes for s in st.values())
    assert any(b.protected for b in p.student_blocks) and any(b.skills_required for b in p.student_blocks)
    assert any(s.gender_match for s in st.values())
    assert any(s.avoid_paras for s in st.values()) and any(s.preferred_paras for s in st.values())
    assert any(s.max_minutes_with_same_para for s in st.values())
    assert any(x.role == Role.SUBSTITUTE for x in p.paras)
    assert any(not x.general_duties for x in p.paras)
    assert any(x.max_duty_minutes is not None for x in p.paras)
    assert any(x.lunch_minutes is not None and x.lunch_window is not None for x in p.paras)
    assert any(d.staff_needed == 2 for d in p.duties)
    fixed = [s for s in p.sessions if not s.is_flexible]
    flexible = [s for s in p.sessions if s.is_flexible]
    assert {s.para_role for s in fixed} == set(ParaRole)
    assert any(s.window and s.provider in {h.provider for h in p.provider_hours} for s in flexible)
    assert p.settings.breaks_per_day > 0 and p.settings.max_continuous_minutes is not None


@pytest.mark.parametrize("days", [("Mon",), ("Tue", "Thu"), ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")])
def test_any_size_and_week_gives_a_valid_school(days):
    for n in (1, 2, 3, 5, 9, 30):
        p = generate_school(n, seed=n, days=days)
        assert len(p.paras) == n and p.settings.days == days


# -- the hard, realistic setting (kind="hard") -----------------------------------------------------------
@pytest.fixture(scope="module")
def hard35():
    return generate_school(35, seed=2, kind="hard")


def test_hard_school_reads_back_equal_through_the_workbook(tmp_path):
    """What the benchmarks and samples write is a valid input: write_problem -> read_problem."""
    from parasched.io.input_writer import write_problem
    from parasched.io.reader import read_problem

    problem = generate_school(12, seed=0, kind="hard")
    write_problem(problem, tmp_path / "hard.xlsx")
    got = read_problem(tmp_path / "hard.xlsx")
    assert got.problem == problem
    assert [str(w) for w in got.warnings if "unknown" in str(w).lower()] == []


def test_hard_school_is_deterministic_and_checks_its_arguments():
    assert generate_school(20, seed=4, kind="hard") == generate_school(20, seed=4, kind="hard")
    assert generate_school(20, seed=5, kind="hard") != generate_school(20, seed=4, kind="hard")
    with pytest.raises(ValueError, match="kind"):
        generate_school(10, kind="medium")
    with pytest.raises(ValueError, match="staffing"):
        generate_school(10, staffing=1.1)  # easy schools are not drawn to a staffing level
    assert len(generate_school(10, seed=1, kind="hard", n_students=6).students) == 6


def test_hard_school_has_passing_periods_specials_lunch_and_recess(hard35):
    from parasched.scheduler.weekgrid import WeekGrid

    grid = WeekGrid(hard35)
    gaps = Counter()
    for st in hard35.students:
        segs = grid.student_day(st.student_id, "Tue")
        for a, b in itertools.pairwise(segs):
            gaps[b.start - a.end] += 1
    assert gaps[5] > len(hard35.students)  # a 5-minute passing period, most students several a day
    activities = {b.activity for b in hard35.student_blocks}
    assert {"Lunch", "Recess", "Art", "Music", "PE", "Library", "Resource ELA"} <= activities
    specials = [b for b in hard35.student_blocks if b.activity in ("Art", "Music", "PE", "Library", "STEM")]
    assert any(b.support == Support.NONE for b in specials)  # shared students go without a para there
    assert any(b.days for b in specials)  # the rotation by day
    assert any(b.protected for b in hard35.student_blocks)
    # blank optional cells: the student's default support, the homeroom, every school day
    assert any(b.support is None and b.location == "" and not b.days for b in hard35.student_blocks)


def test_hard_school_lunch_duties_sit_in_the_paras_lunch_window(hard35):
    s = hard35.settings
    lunch_duties = [d for d in hard35.duties if d.kind in (DutyKind.LUNCH, DutyKind.RECESS)]
    assert len(lunch_duties) >= 6
    assert all(s.lunch_window[0] <= d.start and d.end <= s.lunch_window[1] for d in lunch_duties)
    students_eat = {(b.start, b.end) for b in hard35.student_blocks if b.activity == "Lunch"}
    assert {(d.start, d.end) for d in lunch_duties if d.kind == DutyKind.LUNCH} <= students_eat


def test_hard_school_paras_contracts_scarce_skills_and_same_gender_care(hard35):
    paras, students = hard35.paras, hard35.students
    regular = [p for p in paras if p.role == Role.PARA]
    assert 0 < sum(not p.general_duties for p in regular) < len(regular) // 2  # funded for support only
    assert any(p.max_duty_minutes for p in paras) and any(p.days for p in paras)
    assert any(p.lunch_minutes == 0 for p in paras) and any(p.lunch_window for p in paras)
    assert sum(p.role == Role.SUBSTITUTE for p in paras) >= 1
    matched = [s for s in students if s.gender_match]
    assert matched and all("toileting" in s.skills_required for s in matched)
    for skill in ("medical", "lift", "asl"):  # scarce: a few paras, not the staff
        assert sum(skill in p.skills for p in paras) <= len(paras) // 3
    # scarce (a warning may say a student has a single eligible para), but never nobody
    assert [str(w) for w in warnings(hard35) if "no para" in str(w)] == []


def test_hard_school_therapy_pulls_students_out(hard35):
    ses = hard35.sessions
    assert any(s.is_flexible for s in ses) and any(not s.is_flexible for s in ses)
    roles = Counter(s.para_role for s in ses)
    assert roles[ParaRole.NONE] > roles[ParaRole.ASSIST] > 0 and roles[ParaRole.DELIVER] > 0
    by_id = {b.student_id: [] for b in hard35.student_blocks}
    for b in hard35.student_blocks:
        by_id[b.student_id].append(b)
    for s in ses:
        if s.is_flexible:
            continue
        for sid in s.student_ids:  # a fixed session takes the student out of class, never protected time
            around = [b for b in by_id.get(sid, []) if b.start <= s.start and s.end <= b.end]
            assert not any(b.protected for b in around)
            assert all(b.activity not in ("Lunch", "Recess") for b in around)


def test_hard_school_settings_by_size(hard35):
    small = generate_school(12, seed=0, kind="hard")
    assert small.settings.min_support_minutes == hard35.settings.min_support_minutes == 15
    assert small.settings.breaks_per_day == 0 and small.settings.max_continuous_minutes is None
    assert hard35.settings.breaks_per_day >= 1 and hard35.settings.max_continuous_minutes in (150, 180, 210)


def test_hard_school_staffing_is_drawn_to_the_need(hard35):
    from parasched.scheduler.timegrid import total
    from parasched.scheduler.weekgrid import WeekGrid

    g = WeekGrid(hard35)
    hours = sum(total(g.para_available(p.para_id, d)) for p in hard35.paras if p.role == Role.PARA for d in g.days)
    ratio = hours / summary(hard35).required_total
    assert ratio >= 1.0 and ratio <= 1.35  # 1.10-1.25 before therapy moves the need a little
    tight = generate_school(35, seed=2, kind="hard", staffing=0.8)
    assert len(tight.students) > len(hard35.students)


def test_hard_school_is_hard_for_the_greedy_fill():
    """The point of the setting: a slot-by-slot fill leaves a real share uncovered (the easy
    generator's schools are covered 99-100 %)."""
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.kpis import compute_kpis

    problem = generate_school(20, seed=1, kind="hard")
    k = compute_kpis(problem, greedy_schedule(problem))
    assert k.coverage_percent < 95


@pytest.mark.parametrize("days", [("Mon",), ("Tue", "Thu"), ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")])
def test_hard_setting_any_size_and_week_gives_a_valid_school(days):
    for n in (1, 2, 3, 5, 9):
        p = generate_school(n, seed=n, days=days, kind="hard")
        assert len(p.paras) == n and p.settings.days == days and p.students
        assert {d for b in p.student_blocks for d in b.days} <= set(days)
        if n >= 2:  # never a need nobody on staff may take
            assert [str(w) for w in warnings(p) if "no para" in str(w)] == []
