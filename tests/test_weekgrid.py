"""The week grid: availability, entitlements and student needs, by hand."""

from parasched.scheduler.model import (
    Absence,
    Availability,
    Duty,
    DutyKind,
    Para,
    Problem,
    Session,
    Settings,
    Student,
    StudentBlock,
    Support,
)
from parasched.scheduler.weekgrid import LunchRule, Occurrence, WeekGrid


def school(**kw):
    base = {
        "settings": Settings(days=("Mon", "Tue")),
        "paras": (Para("P1", "Ann", 450, 930, days=("Mon",)),),
        "students": (Student("S1", "Sam", homeroom="R1"),),
    }
    base.update(kw)
    return WeekGrid(Problem(**base))


def test_availability_replaces_hours_and_adds_days():
    g = school(availability=(Availability("P1", "Tue", 600, 660), Availability("P1", "Tue", 700, 720)))
    assert g.para_hours("P1", "Mon") == ((450, 930),)
    assert g.para_hours("P1", "Tue") == ((600, 660), (700, 720))


def test_blank_availability_is_day_off():
    g = school(availability=(Availability("P1", "Mon"),))
    assert g.para_available("P1", "Mon") == ()
    assert g.working_days("P1") == ()


def test_absence_cuts_hours_and_lunch_needs_contiguous_stretch():
    g = school(absences=(Absence("P1", ("Mon",), 660, 780),))  # out 11:00-13:00
    assert g.para_available("P1", "Mon") == ((450, 660), (780, 930))
    # window 10:30-13:30: stretches 10:30-11:00 and 13:00-13:30, 30 minutes each: still owed
    assert g.lunch_rule("P1", "Mon") == LunchRule(30, (630, 810))
    g2 = school(absences=(Absence("P1", ("Mon",), 650, 790),))
    assert g2.lunch_rule("P1", "Mon") is None


def test_breaks_owed_limited_by_short_day():
    g = school(
        settings=Settings(days=("Mon",), breaks_per_day=2, break_minutes=15), paras=(Para("P1", "Ann", 480, 510),)
    )
    assert g.breaks_owed("P1", "Mon") == 2
    g = school(
        settings=Settings(days=("Mon",), breaks_per_day=2, break_minutes=15), paras=(Para("P1", "Ann", 480, 495),)
    )
    assert g.breaks_owed("P1", "Mon") == 1


def test_student_without_rows_is_in_homeroom_all_day():
    g = school()
    (seg,) = g.student_day("S1", "Mon")
    assert (seg.start, seg.end, seg.location, seg.support) == (480, 900, "R1", Support.ONE_TO_ONE)


def test_needs_drop_none_blocks_therapy_and_absence():
    blocks = (
        StudentBlock("S1", 480, 600, location="Gym", support=Support.SHARED),
        StudentBlock("S1", 600, 660, support=Support.NONE),
        StudentBlock("S1", 660, 720, protected=True, skills_required=frozenset({"lift"})),
    )
    ses = (Session("T1", ("S1",), provider="SLP", days=("Mon",), start=500, end=530),)
    g = school(student_blocks=blocks, sessions=ses, absences=(Absence("S1", ("Mon",), 700, 720),))
    occ = g.fixed_occurrences()
    assert occ == (Occurrence("T1", "Mon", 500, 530),)
    needs = [(s.start, s.end, s.location, s.support) for s in g.support_needs("Mon", occ)]
    assert needs == [
        (480, 500, "Gym", Support.SHARED),
        (530, 600, "Gym", Support.SHARED),
        (660, 700, "R1", Support.ONE_TO_ONE),
    ]
    assert g.protected("S1", "Mon") == ((660, 700),)
    # blank days = every school day; Tuesday has no therapy and no absence
    assert [(s.start, s.end) for s in g.student_day("S1", "Tue")] == [(480, 600), (600, 660), (660, 720)]


def test_fixed_session_not_held_when_all_students_out():
    ses = (Session("T1", ("S1",), provider="SLP", days=("Mon", "Tue"), start=500, end=530),)
    g = school(sessions=ses, absences=(Absence("S1", ("Tue",)),))
    assert [o.day for o in g.fixed_occurrences()] == ["Mon"]


def test_eligibility_reasons():
    st = Student(
        "S1", "Sam", gender="f", gender_match=True, avoid_paras=("P2",), skills_required=frozenset({"medical"})
    )
    paras = (
        Para("P1", "Ann", 480, 900, gender="F", skills=frozenset({"medical"})),
        Para("P2", "Bo", 480, 900, gender="f", skills=frozenset({"medical"})),
        Para("P3", "Cy", 480, 900, gender="m", skills=frozenset({"medical"})),
        Para("P4", "Di", 480, 900, gender="f", general_duties=False),
    )
    g = school(paras=paras, students=(st,), duties=(Duty("D1", "Bus", DutyKind.BUS, 900, 930),))
    assert g.support_refusal(paras[0], st, st.skills_required) is None
    assert g.support_refusal(paras[1], st, st.skills_required) == "P2 is on S1's avoid list"
    assert g.support_refusal(paras[2], st, st.skills_required) == "S1 needs a para of the same gender"
    assert g.support_refusal(paras[3], st, st.skills_required) == "P4 lacks medical"
    assert g.duty_refusal(paras[3], g.problem.duties[0]).startswith("P4 is funded for student support only")


def test_flexible_session_allowed_time():
    blocks = (StudentBlock("S1", 480, 600), StudentBlock("S1", 600, 660, protected=True), StudentBlock("S1", 660, 900))
    ses = Session(
        "F1", ("S1",), provider="OT", sessions_per_week=1, duration_minutes=30, allowed_days=("Tue",), window=(540, 720)
    )
    from parasched.scheduler.model import ProviderHours

    g = school(student_blocks=blocks, sessions=(ses,), provider_hours=(ProviderHours("OT", 600, 900, days=("Tue",)),))
    assert g.session_allowed(ses, "Mon") == ()
    assert g.session_allowed(ses, "Tue") == ((660, 720),)
