"""Relays on duties (``kpis.duty_relays``): the model's one-way statement made exact, the trades
that hand a relayed duty to one para, and the fill-in that does not send a para for a sliver.

The KPI by hand is in test_kpis.py; the solver on tiny schools (whole duty, a relay that pays) in
test_solver_rules.py.
"""

from __future__ import annotations

from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.exchange import continuity_cost, trade_for_continuity
from parasched.scheduler.fill import fill_in
from parasched.scheduler.kpis import CONTINUITY_WEIGHTS, compute_kpis
from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Settings, Student, StudentBlock
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.solver.hint import hint_values
from parasched.solver.model import build, complete_hint
from parasched.solver.objective import exact_relays
from parasched.solver.options import SolverOptions

SETTINGS = Settings(days=("Mon",), school_start=t("09:00"), school_end=t("10:00"), lunch_minutes=0, time_step=5)


def duty_row(pid: str, start: str, end: str, did: str = "D1") -> Assignment:
    return Assignment(pid, "Mon", t(start), t(end), Kind.DUTY, ref=did, location="Yard")


def sup(pid: str, start: str, end: str, sid: str = "S1") -> Assignment:
    return Assignment(pid, "Mon", t(start), t(end), Kind.SUPPORT, students=(sid,), location="Rm1")


def school(priority: int = 2, p2_end: str = "10:00", s1_start: str = "09:00") -> Problem:
    """P1 09:00-10:00, P2 09:00-``p2_end``; S1 1:1 ``s1_start``-10:00 in Rm1; D1 recess
    09:00-09:30 in the yard."""
    duty = Duty("D1", "Recess", DutyKind.RECESS, t("09:00"), t("09:30"), location="Yard", priority=priority)
    return Problem(
        SETTINGS,
        (Para("P1", "A", t("09:00"), t("10:00")), Para("P2", "B", t("09:00"), t(p2_end))),
        (Student("S1", "Kid", homeroom="Rm1", priority=3),),
        student_blocks=(StudentBlock("S1", t(s1_start), t("10:00"), location="Rm1"),),
        duties=(duty,),
    )


def test_exact_relays_drops_a_relay_that_is_not_there() -> None:
    """A solution may count a run start the schedule does not have (the model bounds it from
    below only); ``exact_relays`` gives the schedule's own count, the KPI's."""
    p = school()
    relayed = Schedule(
        (duty_row("P1", "09:00", "09:15"), duty_row("P2", "09:15", "09:30"), sup("P1", "09:15", "10:00"))
    )
    m = build(p, SolverOptions(time_limit=5, workers=1), hint=relayed)
    values = complete_hint(m, hint_values(m, relayed), 1.0)
    assert values is not None
    term = m.terms["duty_relays"][0]
    assert values[term.Index()] == 1 == compute_kpis(p, relayed).duty_relays
    slack = list(values)
    for relays, staff, starts in m.relay_parts:  # every start counted, as a lazy solution may
        for st, on, _ in starts:
            if st is not on:  # (a para's first possible start is the duty variable itself)
                slack[st.Index()] = 1
        slack[relays.Index()] = len(starts) - staff  # its upper bound
    slack[term.Index()] = values[term.Index()] + sum(slack[r.Index()] - values[r.Index()] for r, _, _ in m.relay_parts)
    assert slack[term.Index()] > 1
    fixed = exact_relays(m, slack)
    assert fixed[term.Index()] == 1
    assert fixed == values


def test_trades_hand_a_relayed_duty_to_one_para() -> None:
    """P1 has the recess until 09:15, then S1 (who arrives at 09:15); P2 the rest of the recess and
    nothing before. No student is passed between paras, so only the relay can make a trade worth
    it: P2 takes the first quarter-hour too and has the recess whole."""
    p = school(p2_end="09:30", s1_start="09:15")
    start = Schedule((duty_row("P1", "09:00", "09:15"), sup("P1", "09:15", "10:00"), duty_row("P2", "09:15", "09:30")))
    assert_passes_check(p, start)
    before = compute_kpis(p, start)
    assert (before.duty_relays, before.handoffs) == (1, 0)
    traded = trade_for_continuity(p, start)
    assert_passes_check(p, traded)
    k = compute_kpis(p, traded)
    assert (k.duty_relays, k.handoffs, k.extra_paras) == (0, 0, 0)
    assert sorted((a.para_id, a.start, a.end, a.kind) for a in traded.assignments) == [
        ("P1", t("09:15"), t("10:00"), Kind.SUPPORT),
        ("P2", t("09:00"), t("09:30"), Kind.DUTY),
    ]
    assert (k.unmet_p1, k.unmet_p2, k.unmet_p3) == (before.unmet_p1, before.unmet_p2, before.unmet_p3)
    assert continuity_cost(p, start) - continuity_cost(p, traded) == CONTINUITY_WEIGHTS["duty_relays"]


def test_fill_in_sends_no_para_for_a_duty_sliver() -> None:
    """P1 has the recess until 09:25, then S1; P2 is free. The recess's last five minutes are
    worth a relay at priority 1 (500 against 60), not at priority 2 (50)."""
    rows = (duty_row("P1", "09:00", "09:25"), sup("P1", "09:25", "10:00"))
    for priority, sent in ((2, False), (1, True)):
        p = school(priority=priority)
        filled = fill_in(Schedule(rows), p, ("Mon",))
        p2_duty = [(a.start, a.end) for a in filled.assignments if a.para_id == "P2" and a.kind == Kind.DUTY]
        assert p2_duty == ([(t("09:25"), t("09:30"))] if sent else [])
