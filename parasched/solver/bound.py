"""A valid lower bound on ``unmet_p1`` from a max-flow relaxation, one per day (docs/solver.md).

For each day, every schedule satisfying the contract gives a flow in this network:

    source -> para p           capacity: p's available minutes - lunch owed - breaks owed
    para p -> p in lunch window   capacity: p's available minutes in the window - lunch owed
    para p -> p outside window    (unbounded)
    p (in/outside window) -> (p, segment k)   capacity len(k), if p is available all of k
    (p, k) -> (need n, k)      capacity len(k), if p may do n (WeekGrid refusals)
    (n, k) -> sink             capacity len(k) x staff (1 for a 1:1 student)

``n`` ranges over the priority-1 needs whose size does not depend on the schedule: 1:1
support of priority-1 students (less fixed therapy) and priority-1 duties. A flexible session
removes the need of its students while it runs: a node ``therapy s`` (capacity from the source:
the durations of the student's flexible sessions allowed that day, at most one each a day)
"covers" the student's need segments inside the sessions' allowed time. A para's work
minutes in a segment are at most its length, a lunch lies in its window, the breaks anywhere in
the available time; everything else (one 1:1 para at a time is implied by the need's
capacity, max continuous, rotation, weekly duty caps, the other needs a para could serve) is
relaxed away. So covered priority-1 minutes of those needs <= max flow, and

    unmet_p1 >= sum over days of (their required minutes - max flow).

The other parts of ``unmet_p1`` (shared support, therapy staffing, flexible sessions not placed)
count 0 in the bound, which stays valid (all are >= 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from parasched.scheduler.coverage import coverage
from parasched.scheduler.model import Problem, Support
from parasched.scheduler.schedule import Schedule
from parasched.scheduler.timegrid import intersect, merge, total
from parasched.scheduler.weekgrid import WeekGrid


def day_bound(problem: Problem, day: str, grid: WeekGrid | None = None) -> int:
    """Lower bound of the priority-1 minutes (1:1 support and duties) left uncovered on ``day``."""
    from ortools.graph.python import max_flow

    g = grid or WeekGrid.of(problem)
    # flexible sessions a student may be in today: where, and for how many minutes at most
    therapy_where: dict[str, list[tuple[int, int]]] = {}
    therapy_minutes: dict[str, int] = {}
    for ses in problem.sessions:
        if ses.is_flexible:
            allowed = g.session_allowed(ses, day)
            if not any(e - s >= ses.duration for s, e in allowed):
                continue
            for sid in ses.student_ids:
                therapy_where.setdefault(sid, []).extend(allowed)
                therapy_minutes[sid] = therapy_minutes.get(sid, 0) + ses.duration  # at most one a day
    needs: list[tuple[int, int, int, list[str], str]] = []  # (start, end, staff, eligible paras, student)
    for seg in g.support_needs(day, tuple(o for o in g.fixed_occurrences() if o.day == day)):
        st = problem.student(seg.student_id)
        if seg.support != Support.ONE_TO_ONE or st.priority != 1:
            continue
        ok = [p.para_id for p in problem.paras if g.support_refusal(p, st, seg.skills) is None]
        needs.append((seg.start, seg.end, 1, ok, st.student_id))
    for duty in g.duties_on(day):
        if duty.priority == 1:
            ok = [p.para_id for p in problem.paras if g.duty_refusal(p, duty) is None]
            needs.append((duty.start, duty.end, duty.staff_needed, ok, ""))
    if not needs:
        return 0
    points = {t for s, e, *_ in needs for t in (s, e)}
    where: Sequence[tuple[int, int]]
    for where in therapy_where.values():
        points |= {t for iv in where for t in iv}
    rest: dict[str, tuple[int, tuple[int, int] | None, int]] = {}
    for p in problem.paras:
        av = g.para_available(p.para_id, day)
        for s, e in av:
            points |= {s, e}
        rule = g.lunch_rule(p.para_id, day)
        lunch = rule.minutes if rule else 0
        if rule:
            points |= set(rule.window)
        rest[p.para_id] = (
            lunch,
            rule.window if rule else None,
            g.breaks_owed(p.para_id, day) * problem.settings.break_minutes,
        )
    bps = sorted(points)
    segs = list(pairwise(bps))

    f = max_flow.SimpleMaxFlow()
    nodes: dict[object, int] = {}

    def node(key: object) -> int:
        if key not in nodes:
            nodes[key] = len(nodes)
        return nodes[key]

    src, sink = node("source"), node("sink")
    demand = 0
    for i, (s, e, staff, ok, sid) in enumerate(needs):
        where = merge(therapy_where.get(sid, ()))
        for k, (a, b) in enumerate(segs):
            if s <= a and b <= e:
                f.add_arc_with_capacity(node(("need", i, k)), sink, (b - a) * staff)
                demand += (b - a) * staff
                for pid in ok:
                    f.add_arc_with_capacity(node(("para", pid, k)), node(("need", i, k)), b - a)
                if any(x <= a and b <= y for x, y in where):  # a session here would remove the need
                    f.add_arc_with_capacity(node(("therapy", sid)), node(("need", i, k)), b - a)
    for sid, minutes in therapy_minutes.items():
        if ("therapy", sid) in nodes:
            f.add_arc_with_capacity(src, nodes[("therapy", sid)], minutes)
    for p in problem.paras:
        pid = p.para_id
        av = g.para_available(pid, day)
        if not av or not any(("para", pid, k) in nodes for k in range(len(segs))):
            continue
        lunch, window, breaks = rest[pid]
        f.add_arc_with_capacity(src, node(("p", pid)), max(0, total(av) - lunch - breaks))
        inside = node(("in", pid))
        outside = node(("out", pid))
        cap_in = total(intersect(av, [window])) - lunch if window else 10**6
        f.add_arc_with_capacity(node(("p", pid)), inside, max(0, cap_in))
        f.add_arc_with_capacity(node(("p", pid)), outside, 10**6)
        for k, (a, b) in enumerate(segs):
            key = ("para", pid, k)
            if key not in nodes or not any(s <= a and b <= e for s, e in av):
                continue
            side = inside if window and window[0] <= a and b <= window[1] else outside
            f.add_arc_with_capacity(side, nodes[key], b - a)
    if f.solve(src, sink) != f.OPTIMAL:
        return 0  # no claim
    return demand - f.optimal_flow()


def week_bound(problem: Problem, days: tuple[str, ...] | None = None, kept: Schedule | None = None) -> int:
    """Lower bound of the week's ``unmet_p1``: the flow bound of every day of ``days`` (default
    the week) plus, with ``kept``, the priority-1 minutes ``kept`` leaves uncovered on the other
    days (fixed there, so counted exactly)."""
    g = WeekGrid.of(problem)
    plan = days if days is not None else g.days
    out = sum(day_bound(problem, d, g) for d in plan)
    if kept is not None:
        out += sum(n.missing for n in coverage(problem, kept, g) if n.priority == 1 and n.day not in plan)
    return out


__all__ = ["day_bound", "week_bound"]
