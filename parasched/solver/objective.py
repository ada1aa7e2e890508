"""Objective terms and their lexicographic tiers.

Terms (the same definitions as ``docs/architecture.md`` and ``scheduler/kpis.py``; each is an
integer variable equal to its value over the whole week, days copied from a baseline included):

==== ========================================== ===========================================
tier term(s)                                      weight inside the level
==== ========================================== ===========================================
1    ``unmet_p1`` > ``unmet_p2`` > ``unmet_p3``   three separate lexicographic levels
1b   ``changed_minutes`` (resolve only)           moved para 4, substitute 2, idle para 1, absent 0
2    ``flex_short``                               1 per minute
3    ``substitute_minutes``                       1 per minute
4    ``handoffs``, ``extra_paras``,               30 per handoff, 30 per extra para,
     ``extra_week_paras``, ``duty_relays``,       300 per extra para in a student's week,
     ``preferred_missed``                         60 per relay on a duty, 1 per minute
5    ``duty_spread``, ``lunch_variation``         1 per minute of spread, 15 per extra start
==== ========================================== ===========================================

Levels are strictly lexicographic: no amount of a later level pays for one unit of an earlier
one. Stages (see ``stages``): unmet_p1, unmet_p2, unmet_p3 (and changed_minutes) each alone;
the later levels folded with exact lexicographic weights while they fit ``FOLD_LIMIT``. Each
stage is optimized, constrained to the best value found, and the next continues from that
solution as a hint. The time limit is shared by ``STAGE_SHARE`` (coverage and changes get
more; a solve's judged stage, ``JUDGED_STAGE_SHARE``). The reported objective, bound and gap
are those of the first stage, ``unmet_p1`` (the bound: ``model.valid_bound``, see
``bound.py``); every term's value is in ``SolveResult.tiers``.

``changed_minutes`` (resolve, a re-planned day, per para-minute whose assignment — kind, duty
or session, students supported — differs from the baseline): 4 when a para who is not absent
is moved off something they had (work, lunch or break), 1 when a para who is not absent fills
in from free time, 2 for any change to a substitute's minutes, 0 for an absent para's minutes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from parasched.scheduler.changes import FILL_WEIGHT, MOVE_WEIGHT, SUBSTITUTE_WEIGHT
from parasched.scheduler.coverage import coverage
from parasched.scheduler.kpis import (
    CONTINUITY_WEIGHTS,
    CROWDED_FROM_PRIORITY,
    CROWDED_WEEK_PARAS,
    OBJECTIVE_TERMS,
    PRIORITY_VALUE,
    duty_relays,
)
from parasched.scheduler.model import ParaRole, Support
from parasched.scheduler.schedule import Kind, Schedule

from .constraints.duties import copied_duty_minutes
from .constraints.therapy import copied_placements
from .variables import ModelData

# one changed minute's weight: the domain's definition (scheduler/changes.py), not a copy
W_MOVED, W_SUBSTITUTE, W_FILL = MOVE_WEIGHT, SUBSTITUTE_WEIGHT, FILL_WEIGHT
W_HANDOFF, W_EXTRA_PARA, W_WEEK_PARA, W_DUTY_RELAY, W_PREFERRED = (
    CONTINUITY_WEIGHTS[t] for t in ("handoffs", "extra_paras", "extra_week_paras", "duty_relays", "preferred_missed")
)
W_SPREAD, W_LUNCH_VARIATION = 1, 15

# the KPIs' terms (scheduler/kpis.py defines each), with changes (resolve) after coverage
TERM_NAMES = (*OBJECTIVE_TERMS[:3], "changed_minutes", *OBJECTIVE_TERMS[3:])


CONTINUITY = dict(CONTINUITY_WEIGHTS)


def levels(with_changes: bool) -> list[dict[str, int]]:
    """The lexicographic levels, most important first, as {term: weight}."""
    out = [{"unmet_p1": 1}, {"unmet_p2": 1}, {"unmet_p3": 1}]
    if with_changes:
        out.append({"changed_minutes": 1})
    out += [
        {"flex_short": 1},
        {"substitute_minutes": 1},
        CONTINUITY,
        {"duty_spread": W_SPREAD, "lunch_variation": W_LUNCH_VARIATION},
    ]
    return out


# How a search step is judged, kept or dropped. A solve's day models search with exactly these
# weights (``stages``, ``ModelData.judged``), and so does a solve's week model; a resolve and a
# repair piece search one level at a time, priority 1 alone first, which does not look at
# priority 2 and may throw it away for nothing. So a day model's answer, a repair piece, a continuity piece is kept
# only when the school is better off by this measure: one priority-1 minute is worth ten
# priority-2 minutes, one priority-2 minute ten priority-3 minutes; then changes (resolve), flex,
# substitutes, continuity and fairness, each level only breaking ties of the ones before.
# Continuity is judged with coverage, not after it: a handoff or one more para for a student
# that day costs as much as 30 uncovered priority-3 minutes (3 of priority 2), one more para in
# the student's week 300 (30 of priority 2). A search step that covers a few more minutes by passing students
# between paras is not kept.
COVERAGE_VALUE = {
    "unmet_p1": PRIORITY_VALUE[1],
    "unmet_p2": PRIORITY_VALUE[2],
    "unmet_p3": PRIORITY_VALUE[3],
    "handoffs": W_HANDOFF,
    "extra_paras": W_EXTRA_PARA,
    "extra_week_paras": W_WEEK_PARA,
    "duty_relays": W_DUTY_RELAY,
}


def judged_levels(with_changes: bool) -> list[dict[str, int]]:
    """The levels a search step is judged by (compare as tuples), most important first. In a
    resolve, changes come right after coverage, before continuity: at 7:15 nobody who was not
    hit by an absence is moved to save a handoff."""
    first = {t: w for t, w in COVERAGE_VALUE.items() if not with_changes or t.startswith("unmet_")}
    later = [{t: w for t, w in level.items() if t not in first} for level in levels(with_changes)[3:]]
    return [first, *(level for level in later if level)]


def judge(terms: dict[str, int], with_changes: bool) -> tuple[int, ...]:
    """A schedule's levels from its terms (``kpis`` or the solver's, which are equal)."""
    return tuple(sum(w * terms.get(t, 0) for t, w in level.items()) for level in judged_levels(with_changes))


class Lin:
    """A linear expression kept as a constant plus (coefficient, variable) pairs, with bounds."""

    def __init__(self) -> None:
        self.const = 0
        self.terms: list[tuple[int, Any]] = []
        self.ub_extra = 0  # upper bound contribution of non-boolean variables

    def add(self, coef: int, var: Any) -> None:
        self.terms.append((coef, var))

    @property
    def lb(self) -> int:
        return self.const + sum(c for c, _ in self.terms if c < 0)

    @property
    def ub(self) -> int:
        return self.const + sum(c for c, _ in self.terms if c > 0) + self.ub_extra


def _term_var(m: ModelData, name: str, e: Lin) -> None:
    ub = max(0, e.ub)
    v = m.model.new_int_var(0, ub, name)  # every term is >= 0 by its definition
    m.model.add(v == e.const + cp_model.LinearExpr.weighted_sum([x for _, x in e.terms], [c for c, _ in e.terms]))
    m.terms[name] = (v, ub)


def build_terms(m: ModelData) -> None:
    """Create one integer variable per objective term (see the module docstring)."""
    p_, g_ = m.problem, m.grid
    copied_days = [d for d in g_.days if d not in m.plan_days]

    # -- tier 1: unmet minutes by priority --------------------------------------------------
    unmet = {1: Lin(), 2: Lin(), 3: Lin()}
    kept = [need for need in coverage(p_, m.copied, g_) if need.day in copied_days]
    for cov in kept:
        unmet[cov.priority].const += cov.missing
        m.floors[f"unmet_p{cov.priority}"] = m.floors.get(f"unmet_p{cov.priority}", 0) + cov.missing
    for (sid, d, k), need in m.needs.items():
        if need.support == Support.FLEX:
            continue
        e, ln = unmet[need.priority], m.seg_len(d, k)
        e.const += ln
        for _, v in m.cover.get((sid, d, k), ()):
            e.add(-ln, v)
        for v in m.session_at.get((sid, d, k), ()):
            e.add(-ln, v)
    for d in m.plan_days:
        for duty in g_.duties_on(d):
            e = unmet[duty.priority]
            for k in m.segs_in(d, duty.start, duty.end):
                ln = m.seg_len(d, k)
                e.const += ln * duty.staff_needed
                for v in m.duty_cover.get((duty.duty_id, d, k), ()):
                    e.add(-ln, v)
    staffed: dict[int, list[Any]] = defaultdict(list)
    for (_, idx), v in m.occ_para.items():
        staffed[idx].append(v)
    done = copied_placements(m)
    for ses in p_.sessions:
        if ses.is_flexible:
            assert ses.sessions_per_week is not None
            unmet[ses.priority].const += ses.duration * max(0, ses.sessions_per_week - done.get(ses.session_id, 0))
    for o in m.occs:
        e, dur = unmet[o.session.priority], o.end - o.start
        if o.var is None:
            if o.session.para_role != ParaRole.NONE:
                e.const += dur
                for v in staffed.get(o.idx, ()):
                    e.add(-dur, v)
        elif o.session.para_role == ParaRole.NONE:
            e.add(-dur, o.var)
        else:
            for v in staffed.get(o.idx, ()):
                e.add(-dur, v)
    for pr in (1, 2, 3):
        _term_var(m, f"unmet_p{pr}", unmet[pr])

    # -- changes (resolve) ----------------------------------------------------------------------
    if m.baseline is not None:
        _term_var(m, "changed_minutes", _changes(m))

    # -- tier 2: flex short ----------------------------------------------------------------------
    from parasched.scheduler.coverage import flex_minutes

    got_copied = flex_minutes(p_, m.copied, g_) if m.copied.assignments else {}
    flex = Lin()
    got: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for (sid, d, k), need in m.needs.items():
        if need.support == Support.FLEX:
            for _, v in m.cover.get((sid, d, k), ()):
                got[sid].append((m.seg_len(d, k), v))
    for st in p_.students:
        if not st.weekly_flex_minutes:
            continue
        target = st.weekly_flex_minutes - got_copied.get(st.student_id, 0)
        if target <= 0:
            continue
        short = m.model.new_int_var(0, target, f"flexshort_{st.student_id}")
        m.model.add_max_equality(short, [0, target - sum(c * v for c, v in got[st.student_id])])
        flex.add(1, short)
        flex.ub_extra += target - 1
    _term_var(m, "flex_short", flex)

    # -- tier 3: substitute minutes --------------------------------------------------------------
    subs = Lin()
    sub_ids = {p.para_id for p in p_.paras if p.is_substitute}
    subs.const = sum(a.minutes for a in m.copied.assignments if a.para_id in sub_ids and a.kind.is_work)
    for (pid, d, k), at in m.para_at.items():
        if pid in sub_ids:
            for v, _, work in at:
                if work:
                    subs.add(m.seg_len(d, k), v)
    _term_var(m, "substitute_minutes", subs)

    # -- tier 4: continuity ----------------------------------------------------------------------
    const_h, const_x, const_p = day_continuity(p_, m.copied, copied_days)
    handoffs, extra, preferred = Lin(), Lin(), Lin()
    handoffs.const, extra.const, preferred.const = const_h, const_x, const_p
    by_sdk: dict[tuple[str, str, int], dict[str, Any]] = defaultdict(dict)
    for (pid, sid, d, k), v in m.y.items():
        by_sdk[(sid, d, k)][pid] = v
    for (sid, d, k), here in by_sdk.items():
        before = by_sdk.get((sid, d, k - 1))
        if not before or k == 0:
            continue
        if before.keys() == here.keys() and all(before[p] is here[p] for p in here):
            continue  # inside a chunk: every para's variable is the same on both sides, no handoff here
        # h = 1 exactly when someone supports s in k-1, someone in k, and not the same para
        h = m.model.new_bool_var(f"handoff_{sid}_{d}_{k}")
        cov_k = m.model.new_bool_var(f"covered_{sid}_{d}_{k}")  # at most one para: the sum is 0/1
        m.model.add(cov_k == sum(here.values()))
        # as clauses (the same meaning as the linear forms, far cheaper to build):
        # h >= v + cov_k - here[p] - 1 and h <= 2 - v - here[p] for each p, h <= cov_k, h <= sum(before)
        for pid, v in before.items():
            w = here.get(pid)
            m.model.add_bool_or([h, ~v, ~cov_k] if w is None else [h, ~v, ~cov_k, w])
            if w is not None:
                m.model.add_bool_or([~h, ~v, ~w])
        m.model.add_implication(h, cov_k)
        m.model.add_bool_or([~h, *before.values()])
        handoffs.add(1, h)
    with_para: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for (pid, sid, d, _), v in m.y.items():
        with_para[(sid, d)][pid].append(v)
    for (pid, idx), v in m.occ_para.items():
        o = m.occs[idx]
        for sid in o.session.student_ids:
            with_para[(sid, o.day)][pid].append(v)
    for (sid, d), paras in list(with_para.items()):
        if len(paras) < 2:
            continue
        # z[p] = para p is with s that day (support or therapy); extra = sum z - any z
        zs = []
        for pid, vs in paras.items():
            z = m.model.new_bool_var(f"with_{pid}_{sid}_{d}")
            m.model.add_max_equality(z, vs)
            zs.append(z)
        anyone = m.model.new_bool_var(f"anyone_{sid}_{d}")
        m.model.add_max_equality(anyone, zs)
        for z in zs:
            extra.add(1, z)
        extra.add(-1, anyone)
    _term_var(m, "extra_week_paras", _week_paras(m, with_para))
    _term_var(m, "duty_relays", _duty_relays(m, copied_days))
    for (pid, sid, d, k), v in m.y.items():
        pref = m.students[sid].preferred_paras
        if pref and pid not in pref:
            preferred.add(m.seg_len(d, k), v)
    _term_var(m, "handoffs", handoffs)
    _term_var(m, "extra_paras", extra)
    _term_var(m, "preferred_missed", preferred)

    # -- tier 5: fairness -------------------------------------------------------------------------
    spread = Lin()
    duty_done = copied_duty_minutes(m)
    fair = [p for p in p_.paras if not p.is_substitute and p.general_duties and g_.working_days(p.para_id)]
    per_para: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for (pid, _, d, k), v in m.duty.items():
        per_para[pid].append((m.seg_len(d, k), v))
    if len(fair) > 1:
        top = max(duty_done.get(p.para_id, 0) + sum(c for c, _ in per_para[p.para_id]) for p in fair)
        hi = m.model.new_int_var(0, top, "duty_max")
        lo = m.model.new_int_var(0, top, "duty_min")
        loads = []
        for p in fair:
            load = m.model.new_int_var(0, top, f"duty_load_{p.para_id}")
            m.model.add(load == duty_done.get(p.para_id, 0) + sum(c * v for c, v in per_para[p.para_id]))
            loads.append(load)
        m.model.add_max_equality(hi, loads)
        m.model.add_min_equality(lo, loads)
        spread.add(1, hi)
        spread.add(-1, lo)
        spread.ub_extra += top
    _term_var(m, "duty_spread", spread)

    lunchvar = Lin()
    copied_starts: dict[str, set[int]] = defaultdict(set)
    for a in m.copied.assignments:
        if a.kind == Kind.LUNCH:
            copied_starts[a.para_id].add(a.start)
    planned: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for (pid, _), cands in m.lunch.items():
        for c, v in cands:
            planned[pid][c].append(v)
    for para in p_.paras:
        pid = para.para_id
        fixed_starts = copied_starts.get(pid, set())
        starts = planned.get(pid, {})
        if not starts:
            lunchvar.const += max(0, len(fixed_starts) - 1)
            continue
        lunchvar.const += len(fixed_starts) - 1
        for c, vs in starts.items():
            if c in fixed_starts:
                continue
            u = m.model.new_bool_var(f"lunchstart_{pid}_{c}")
            m.model.add_max_equality(u, vs)
            lunchvar.add(1, u)
    _term_var(m, "lunch_variation", lunchvar)


def _week_paras(m: ModelData, with_para: dict[tuple[str, str], dict[str, list[Any]]]) -> Lin:
    """Per student, distinct paras over the week (support or therapy) minus 1; days copied count,
    and so do the paras ``m.week_seen`` names (a repair piece's other days)."""
    e = Lin()
    seen: dict[str, set[str]] = defaultdict(set)  # paras with the student on days not planned
    for sid, elsewhere in m.week_seen.items():
        seen[sid] |= elsewhere
    for a in m.copied.assignments:
        if a.kind in (Kind.SUPPORT, Kind.THERAPY):
            for sid in a.students:
                seen[sid].add(a.para_id)
    planned: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    priority = {st.student_id: st.priority for st in m.problem.students}
    for (sid, _), paras in with_para.items():
        for pid, vs in paras.items():
            planned[sid][pid] += vs
    for sid in sorted(set(seen) | set(planned)):  # sorted: variables made in the same order every run
        known = seen.get(sid, set())
        e.const += max(0, len(known) - 1)
        new = {pid: vs for pid, vs in planned.get(sid, {}).items() if pid not in known}
        zs = []
        for pid, vs in new.items():
            z = m.model.new_bool_var(f"weekwith_{pid}_{sid}")
            m.model.add_max_equality(z, vs)
            zs.append(z)
            e.add(1, z)
        if not known and zs:  # the first para of the week is free
            anyone = m.model.new_bool_var(f"weekanyone_{sid}")
            m.model.add_max_equality(anyone, zs)
            e.add(-1, anyone)
        crowd = len(known) + len(zs) - CROWDED_WEEK_PARAS  # the most paras beyond a crowded week
        if priority.get(sid, 1) < CROWDED_FROM_PRIORITY:  # (a piece's week names students outside it)
            crowd = 0
        if crowd > 0 and not zs:
            e.const += crowd
        elif crowd > 0:  # each para beyond the crowded count counts once more (kpis.week_para_units)
            over = m.model.new_int_var(0, crowd, f"weekcrowd_{sid}")
            m.model.add_max_equality(over, [0, sum(zs) + len(known) - CROWDED_WEEK_PARAS])
            e.add(1, over)
            e.ub_extra += crowd - 1
    return e


def _duty_relays(m: ModelData, copied_days: list[str]) -> Lin:
    """Per duty and day, its runs (a para's unbroken time on it) beyond ``staff_needed``; days
    copied count as they are (``kpis.duty_relays``).

    Stated one way only: a run starts where the para is on the duty and was not just before
    (``start >= on - before``), and the relays are at least the starts beyond the staff. The
    objective pushes both down; ``exact_relays`` sets them to their exact values in every
    solution the search returns. Measured on public-small, 30 s, four seeds: stated exactly (a
    start is also at most each of its two conditions) the workers' neighbourhood search could
    not move a para off a duty without freeing the start variables too, and the judged value
    was 1.4 % worse than with this form (priority 1 93.1 against 93.3 %)."""
    e = Lin()
    copied = set(copied_days)
    e.const = duty_relays(m.problem, (a for a in m.copied.assignments if a.day in copied))
    on_duty: dict[tuple[str, str], dict[str, dict[int, Any]]] = defaultdict(lambda: defaultdict(dict))
    for (pid, duty_id, d, k), v in m.duty.items():
        on_duty[(duty_id, d)][pid][k] = v
    for d in m.plan_days:
        for duty in m.grid.duties_on(d):
            ks = list(m.segs_in(d, duty.start, duty.end))
            starts: list[tuple[Any, Any, Any]] = []
            for pid, var_at in sorted(on_duty.get((duty.duty_id, d), {}).items()):
                prev: Any = None
                for k in ks:
                    v = var_at.get(k)
                    if v is not None and prev is None:
                        starts.append((v, v, None))  # the para's time on the duty can only begin here
                    elif v is not None:
                        st = m.model.new_bool_var(f"dutyrun_{pid}_{duty.duty_id}_{d}_{k}")
                        m.model.add_bool_or([st, ~v, prev])
                        starts.append((st, v, prev))
                    prev = v
            most = len(starts) - duty.staff_needed
            if most <= 0:
                continue  # never more runs than staff: no relay possible
            relays = m.model.new_int_var(0, most, f"relays_{duty.duty_id}_{d}")
            m.model.add(relays >= sum(st for st, _, _ in starts) - duty.staff_needed)
            m.relay_parts.append((relays, duty.staff_needed, starts))
            e.add(1, relays)
            e.ub_extra += most - 1
    return e


def exact_relays(m: ModelData, values: list[int]) -> list[int]:
    """``values`` (a solution) with the run starts, the relays and the ``duty_relays`` term set to
    their exact values: the same schedule, still a solution (the starts and relays are only bounded
    from below), no longer counting a relay that is not there."""
    if not m.relay_parts:
        return values
    out = list(values)
    total = 0
    for relays, staff, starts in m.relay_parts:
        n = 0
        for st, v, prev in starts:
            on = out[v.Index()] == 1 and (prev is None or out[prev.Index()] == 0)
            if st is not v:
                out[st.Index()] = int(on)
            n += on
        out[relays.Index()] = max(0, n - staff)
        total += out[relays.Index()]
    term = m.terms["duty_relays"][0]
    out[term.Index()] = out[term.Index()] - sum(values[r.Index()] for r, _, _ in m.relay_parts) + total
    return out


def _changes(m: ModelData) -> Lin:
    """Weighted para-minutes on re-planned days whose assignment differs from the baseline."""
    assert m.baseline is not None
    e = Lin()
    p_ = m.problem
    for para in p_.paras:
        pid = para.para_id
        for d in m.plan_days:
            rows = [a for a in m.baseline.assignments if a.para_id == pid and a.day == d]
            av = m.avail[(pid, d)]
            for k in range(m.n_segs(d)):
                s, t = m.seg(d, k)
                row = next((a for a in rows if a.start <= s and t <= a.end), None)
                ln = m.seg_len(d, k)
                here = m.para_at.get((pid, d, k), [])
                if k not in av:
                    continue  # absent or off: weight 0 (and nothing can be assigned)
                if row is None:
                    w = W_SUBSTITUTE if para.is_substitute else W_FILL
                    for v, _, _ in here:
                        e.add(w * ln, v)
                    continue
                w = W_SUBSTITUTE if para.is_substitute else W_MOVED
                same = _same_as(m, pid, d, k, row)
                e.const += w * ln
                for c, v in same:
                    e.add(-c * w * ln, v)
    return e


def _same_as(m: ModelData, pid: str, d: str, k: int, row: Any) -> list[tuple[int, Any]]:
    """(coef, var) pairs whose sum is 1 exactly when the para keeps the baseline row in segment k."""
    s, t = m.seg(d, k)
    if row.kind == Kind.LUNCH:
        ln = m.lunch_len.get((pid, d), 0)
        return [(1, v) for c, v in m.lunch.get((pid, d), []) if c <= s and t <= c + ln]
    if row.kind == Kind.BREAK:
        bm = m.problem.settings.break_minutes
        return [(1, v) for c, v in m.breaks.get((pid, d), []) if c <= s and t <= c + bm]
    if row.kind == Kind.DUTY:
        v = m.duty.get((pid, row.ref, d, k))
        return [(1, v)] if v is not None else []
    if row.kind == Kind.THERAPY:
        return [
            (1, v)
            for (p, idx), v in m.occ_para.items()
            if p == pid and m.occs[idx].session.session_id == row.ref and m.occs[idx].day == d and k in m.occs[idx].segs
        ]
    # support
    ys: list[Any] = [m.y.get((pid, sid, d, k)) for sid in row.students]  # no None past the check below
    if any(v is None for v in ys) or not ys:
        return []
    need = m.needs[(row.students[0], d, k)]
    if need.support == Support.ONE_TO_ONE:
        return [(1, ys[0])] if len(ys) == 1 else []
    gk = (pid, d, need.location, k)
    others = [v for sid, v in m.members.get(gk, []) if sid not in row.students]
    if not others and len(ys) == 1:
        return [(1, ys[0])]
    same = m.model.new_bool_var(f"same_{pid}_{d}_{k}")
    for v in ys:
        m.model.add_implication(same, v)
    for v in others:
        m.model.add_implication(same, v.Not())
    # and back: same = 1 whenever the group is kept, so the term is exact for any solution (a hint
    # completed without an objective left it 0 and counted kept groups as changed: 6355 vs 1075)
    m.model.add_bool_or([same, *(v.Not() for v in ys), *others])
    return [(1, same)]


def day_continuity(problem: Any, schedule: Schedule, days: list[str]) -> tuple[int, int, int]:
    """handoffs, extra_paras and preferred_missed of a schedule on the given days."""
    handoffs = extra = preferred = 0
    for d in days:
        rows = [a for a in schedule.assignments if a.day == d]
        support = [a for a in rows if a.kind == Kind.SUPPORT]
        by_student: dict[str, list[Any]] = defaultdict(list)
        paras: dict[str, set[str]] = defaultdict(set)
        for a in rows:
            if a.kind in (Kind.SUPPORT, Kind.THERAPY):
                for sid in a.students:
                    paras[sid].add(a.para_id)
        for a in support:
            for sid in a.students:
                by_student[sid].append(a)
                pref = problem.student(sid).preferred_paras
                if pref and a.para_id not in pref:
                    preferred += a.minutes
        for rs in by_student.values():
            ends = {(a.end, a.para_id) for a in rs}
            starts = {(a.start, a.para_id) for a in rs}
            times = {t for t, p in ends if any(t2 == t and p2 != p for t2, p2 in starts)}
            handoffs += len(times)
        extra += sum(max(0, len(ps) - 1) for ps in paras.values())
    return handoffs, extra, preferred


FOLD_LIMIT = 2**40
SEPARATE = ("unmet_p1", "unmet_p2", "unmet_p3", "changed_minutes")
TIE_BREAK = ("handoffs", "extra_paras", "extra_week_paras", "duty_relays")  # continuity, decided in the main search
TIE_SCALE = 1500  # the changes stage (resolve): one changed minute outweighs 50 handoffs or 5 week paras
# The coverage stage's weights: one uncovered priority-1 minute outweighs 1,000 priority-2
# minutes, one priority-2 minute 100 priority-3 minutes, one priority-3 minute three handoffs
# (30 each); one para more for a student that week (300) weighs three priority-3 minutes.
COVERAGE_SCALE = {"unmet_p1": 10_000_000, "unmet_p2": 10_000, "unmet_p3": 100}
# a coverage stage: its level, then continuity as the tie-breaker (a level's minute outweighs 166
# handoffs or 16 more paras in students' weeks; at 1,000 against a week para of 300, a resolve's
# priority-1 stage on a 20-para school found nothing better than its hint in 4 s).
# Measured on a 12-para school's day, 8 s: priority 1 alone 890 -> 770 uncovered
# minutes (handoffs 58 -> 68); with continuity 890 -> 835 (handoffs 57); with priority 2 in the
# same sum, no progress at all (890), so the lower priorities are not in it: they are filled in
# again after the stage (``model._filled``) and have their own stage next.
LEVEL_SCALE = 5000


def stages(m: ModelData) -> list[list[tuple[str, int]]]:
    """The stages, most important first, each a list of (term, integer weight).

    1. A solve's day and week models (``m.judged``): one stage, the judge's first level
       (``COVERAGE_VALUE``: priority 1, 2, 3 minutes at 100, 10, 1, handoffs and paras per
       student-day 30, per student-week 300), held as one sum afterwards. The search then looks
       for exactly what is kept: a priority-1-alone stage won minutes by passing students between
       paras or by dropping priority 2, and the judge threw the day's answer away (12-para public
       school, 30 s: 78.5 → 79.8 % of needs covered, handoffs 66 → 37; 10-para hard school:
       93.8 → 95.1 %, 36 → 19); a school of up to 8 paras too, since the fifteenth session
       (docs/solver.md, point 16). Else (resolve, repair pieces) the coverage levels one by one,
       each with continuity as the tie-breaker (``LEVEL_SCALE``; not in a resolve of up to 8
       paras), each held at its value afterwards.
       A solve's repair pieces of a few paras (``m.priority1_alone``) search priority 1 without
       the tie-breaker: they found priority-1 minutes far faster so (docs/solver.md, point 15).
    2. (resolve) ``changed_minutes``, continuity as its tie-breaker.
    3. The later levels (flex, substitutes, continuity with preferred paras, fairness) folded
       with exact lexicographic weights while they fit ``FOLD_LIMIT``
       (``weight(level) = prod(ub + 1 of every later level in the stage)``), else split.
    """
    tie = [(t, w) for t, w in CONTINUITY.items() if t in TIE_BREAK and t in m.terms] if m.tie_break else []
    if m.judged and "changed_minutes" not in m.terms:
        out: list[list[tuple[str, int]]] = [[(t, w) for t, w in COVERAGE_VALUE.items() if t in m.terms]]
    else:
        out = [
            [(t, LEVEL_SCALE), *tie] if tie and not (m.priority1_alone and t == "unmet_p1") else [(t, 1)]
            for t in COVERAGE_SCALE
        ]
    if "changed_minutes" in m.terms:
        out.append([("changed_minutes", TIE_SCALE), *tie])
    lv = levels(False)[3:]
    ubs = [sum(w * m.terms[t][1] for t, w in level.items()) for level in lv]
    groups: list[list[int]] = []
    for i in range(len(lv)):
        if groups:
            total = 1
            for j in [*groups[-1], i]:
                total *= ubs[j] + 1
            if total <= FOLD_LIMIT:
                groups[-1].append(i)
                continue
        groups.append([i])
    for g in groups:
        weights: list[tuple[str, int]] = []
        for pos, i in enumerate(g):
            mult = 1
            for j in g[pos + 1 :]:
                mult *= ubs[j] + 1
            weights += [(t, w * mult) for t, w in lv[i].items()]
        out.append(weights)
    return out


def primary(weights: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """What a stage holds for the stages after it, each a sum kept at most its value: every
    coverage level separately, or the changes (not their tie-breaker), or the whole stage."""
    first = weights[0][0]
    if judged_stage(weights):
        return [weights]
    if first in COVERAGE_SCALE:
        return [[(t, 1)] for t, _ in weights if t in COVERAGE_SCALE]
    if first in SEPARATE:
        return [[(first, 1)]]
    return [weights]


def judged_stage(weights: list[tuple[str, int]]) -> bool:
    """Whether a stage weighs several coverage levels together (the judge's first level)."""
    return sum(t in COVERAGE_SCALE for t, _ in weights) > 1


def stage_name(weights: list[tuple[str, int]]) -> str:
    """What a stage works on, in a coordinator's words."""
    first = weights[0][0]
    if first.startswith("unmet_p"):
        return "covering needs"
    if first == "changed_minutes":
        return "fewer changes"
    names = {
        "flex_short": "flex minutes",
        "substitute_minutes": "fewer substitutes",
        "handoffs": "continuity",
        "preferred_missed": "preferred paras",
        "duty_spread": "fair duties",
    }
    return ", ".join(dict.fromkeys(names[t] for t, _ in weights if t in names)) or "fair duties"


STAGE_SHARE = {"unmet_p1": 4, "unmet_p2": 4, "unmet_p3": 2, "changed_minutes": 2}
# a solve's judged stage (coverage and continuity weighed together) against 1 for each later
# level: at 4 a 12-para school's day model at 30 s gave a third of its 2.3 s to fair duties while
# its judged search was still finding better answers when cut (docs/solver.md point 19); at 12 a
# 22-para school's later stages still took 0.6 s of each day's 4.7 s and found nothing on three
# days of five, the judged stage improving until its last moment (point 22)
JUDGED_STAGE_SHARE = 30


def stage_share(weights: list[tuple[str, int]]) -> int:
    """Relative share of the time limit a stage gets (coverage and changes first)."""
    if judged_stage(weights):
        return JUDGED_STAGE_SHARE
    return max(STAGE_SHARE.get(t, 1) for t, _ in weights)
