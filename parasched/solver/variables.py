"""The decision variables of the CP-SAT model and the time partition they live on.

Time: each planned day is cut into elementary segments at every breakpoint (student segment
edges, duties, fixed therapy, para hours/availability/absences, provider hours, baseline rows)
and at every candidate start/end of a lunch, a break or a flexible session. Candidate starts
lie on the decision grid (``SolverOptions.grid_minutes``, default 15) plus the edges of the
para's hours and of the window, so the earliest and latest positions are always possible.
Where rotation limits or ``max_continuous_minutes`` may force a relay inside a block, the
decision grid also cuts every segment of the day.

Variables (booleans, created only for allowed pairs, so skills, gender_match, avoid_paras,
general_duties and availability hold by construction):
- ``y[p, s, d, k]``: para p supports student s in segment k (1:1 alone, shared/flex in a group);
- ``group[p, d, loc, k]``: para p runs a shared/flex group in location loc in segment k;
- ``duty[p, duty, d, k]``: para p is on duty in segment k;
- ``occ.var``: a flexible session occurrence placed at a candidate start (fixed ones: None);
- ``occ_para[p, i]``: para p assists/delivers occurrence i for its whole length;
- ``lunch[p, d]`` / ``breaks[p, d]``: (start, var) candidates of the day's lunch and breaks.
Every variable that occupies a para in a segment is also listed in ``para_at[p, d, k]`` with a
label used by extraction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from parasched.scheduler.model import Problem, Session, Support
from parasched.scheduler.schedule import Kind, Schedule
from parasched.scheduler.timegrid import Interval, intersect
from parasched.scheduler.weekgrid import Occurrence, WeekGrid

from .options import SolverOptions


@dataclass(frozen=True)
class NeedSeg:
    """What a student needs in one elementary segment."""

    support: Support
    location: str
    skills: frozenset[str]
    priority: int


@dataclass
class Occ:
    """A therapy occurrence: fixed (``var`` None, always held) or a flexible candidate."""

    idx: int
    session: Session
    day: str
    start: int
    end: int
    var: Any = None
    segs: tuple[int, ...] = ()


Label = tuple[Any, ...]


@dataclass
class ModelData:
    """Everything the constraint families and the objective need, built once."""

    problem: Problem
    grid: WeekGrid
    options: SolverOptions
    plan_days: tuple[str, ...]
    baseline: Schedule | None = None  # the reference of changed_minutes (resolve), None = solve
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    step: int = 15
    bps: dict[str, list[int]] = field(default_factory=dict)
    needs: dict[tuple[str, str, int], NeedSeg] = field(default_factory=dict)
    y: dict[tuple[str, str, str, int], Any] = field(default_factory=dict)
    cover: dict[tuple[str, str, int], list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    group: dict[tuple[str, str, str, int], Any] = field(default_factory=dict)
    members: dict[tuple[str, str, str, int], list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    duty: dict[tuple[str, str, str, int], Any] = field(default_factory=dict)
    duty_cover: dict[tuple[str, str, int], list[Any]] = field(default_factory=lambda: defaultdict(list))
    occs: list[Occ] = field(default_factory=list)
    occ_para: dict[tuple[str, int], Any] = field(default_factory=dict)
    # flexible occurrence vars covering (student, day, segment) / (provider, day, segment)
    session_at: dict[tuple[str, str, int], list[Any]] = field(default_factory=lambda: defaultdict(list))
    provider_at: dict[tuple[str, str, int], list[Any]] = field(default_factory=lambda: defaultdict(list))
    lunch: dict[tuple[str, str], list[tuple[int, Any]]] = field(default_factory=dict)
    lunch_len: dict[tuple[str, str], int] = field(default_factory=dict)
    breaks: dict[tuple[str, str], list[tuple[int, Any]]] = field(default_factory=dict)
    breaks_owed: dict[tuple[str, str], int] = field(default_factory=dict)
    para_at: dict[tuple[str, str, int], list[tuple[Any, Label, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    avail: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    # objective terms (filled by objective.py): name -> (IntVar, upper bound)
    terms: dict[str, tuple[Any, int]] = field(default_factory=dict)
    floors: dict[str, int] = field(default_factory=dict)  # a term's least possible value (days kept)
    # each student's paras on days outside the model (a repair piece's other days: model.build)
    week_seen: dict[str, set[str]] = field(default_factory=dict)
    # (para, start, end) outside the model that is work all the same (a one-day repair piece's
    # rows that stay: ``DayPiece.busy``)
    busy: tuple[tuple[str, int, int], ...] = ()
    # duty relays, stated one way only (objective._duty_relays): per duty-day its relay variable,
    # staff, and each possible run start as (start variable, the duty variable, the one before)
    relay_parts: list[tuple[Any, int, list[tuple[Any, Any, Any]]]] = field(default_factory=list)
    # constants from days copied from the baseline (resolve)
    copied: Schedule = field(default_factory=Schedule)
    students: dict[str, Any] = field(default_factory=dict)  # id -> Student (Problem.student rebuilds its index)
    need_skills: dict[tuple[str, str, int], frozenset[str]] = field(default_factory=dict)
    chunk: dict[int, tuple[int, int]] = field(default_factory=dict)  # a chunk's variable -> first, last segment
    tie_break: bool = True  # continuity as the tie-breaker of coverage stages (objective.stages)
    judged: bool = False  # one coverage stage weighted as objective.judge (objective.stages)
    # the priority-1 stage weighs priority-1 minutes alone, without continuity as its tie-breaker
    # (a solve's coverage pieces of a few paras: repair._solve_piece; docs/solver.md, point 15)
    priority1_alone: bool = False
    # improve a complete starting schedule by large-neighbourhood search on every worker, no
    # worker spent proving a bound (model._run): for models that cannot be proven in their time
    improve_only: bool = False
    # a day model's judged stage searched window by window (model._window_search): hours of the
    # day re-planned with every para, the rest held as it is
    windows: bool = False
    feed: Any = None  # the solve's ProgressFeed (solver/progress.py); None: nobody is watching (a repair piece)

    def __post_init__(self) -> None:
        self.students = {s.student_id: s for s in self.problem.students}

    # -- segments ---------------------------------------------------------------------------
    def seg(self, day: str, k: int) -> Interval:
        b = self.bps[day]
        return b[k], b[k + 1]

    def seg_len(self, day: str, k: int) -> int:
        b = self.bps[day]
        return b[k + 1] - b[k]

    def segs_in(self, day: str, start: int, end: int) -> range:
        """Indices of the segments covering [start, end) (both must be breakpoints)."""
        return range(self._index[day][start], self._index[day][end])

    def n_segs(self, day: str) -> int:
        return len(self.bps[day]) - 1

    _index: dict[str, dict[int, int]] = field(default_factory=dict)


def decision_step(problem: Problem, options: SolverOptions) -> int:
    """The decision grid in minutes: ``grid_minutes`` or 15, rounded to the time step."""
    ts = problem.settings.time_step
    want = options.grid_minutes or 15
    return max(ts, (want // ts) * ts)


def candidate_starts(intervals: tuple[Interval, ...], length: int, step: int) -> list[int]:
    """Starts s with [s, s + length) inside one interval: grid points plus both extremes."""
    out: set[int] = set()
    for a, b in intervals:
        if b - a < length:
            continue
        out.add(a)
        out.add(b - length)
        g = -(-a // step) * step
        while g + length <= b:
            out.add(g)
            g += step
    return sorted(out)


def build_variables(m: ModelData) -> None:
    """Create the time partition and every decision variable (allowed pairs only)."""
    p_, g_ = m.problem, m.grid
    model = m.model
    m.step = step = decision_step(p_, m.options)
    fixed = [o for o in g_.fixed_occurrences() if o.day in m.plan_days]
    points: dict[str, set[int]] = {d: set() for d in m.plan_days}

    # rows of the baseline / warm-start hint: their edges are breakpoints and their lunch, break
    # and session starts are candidates, so the hint is a solution of this model
    known_rows = [
        a
        for sch in (m.baseline, getattr(m, "hint_schedule", None))
        if sch is not None
        for a in sch.assignments
        if a.day in m.plan_days
    ]
    known_sessions = [
        s
        for sch in (m.baseline, getattr(m, "hint_schedule", None))
        if sch is not None
        for s in sch.sessions
        if s.day in m.plan_days
    ]
    known_starts: dict[tuple[str, str, Kind], set[int]] = defaultdict(set)
    for a in known_rows:
        points[a.day] |= {a.start, a.end}
        if a.kind in (Kind.LUNCH, Kind.BREAK):
            known_starts[(a.para_id, a.day, a.kind)].add(a.start)

    def with_known(starts: list[int], key: tuple[str, str, Kind], free: tuple[Interval, ...], ln: int) -> list[int]:
        extra = {c for c in known_starts.get(key, ()) if any(a <= c and c + ln <= b for a, b in free)}
        return sorted(set(starts) | extra)

    # lunch / break / flexible-session candidates first (their edges become breakpoints)
    for para in p_.paras:
        pid = para.para_id
        for d in m.plan_days:
            av = g_.para_available(pid, d)
            if not av:
                continue
            for a, b in av:
                points[d] |= {a, b}
            rule = g_.lunch_rule(pid, d)
            if rule is not None:
                free = intersect(av, [rule.window])
                starts = with_known(
                    candidate_starts(free, rule.minutes, step), (pid, d, Kind.LUNCH), free, rule.minutes
                )
                m.lunch[(pid, d)] = [(c, None) for c in starts]
                m.lunch_len[(pid, d)] = rule.minutes
                for c in starts:
                    points[d] |= {c, c + rule.minutes}
            n = g_.breaks_owed(pid, d)
            if n:
                bm = p_.settings.break_minutes
                starts = with_known(candidate_starts(av, bm, step), (pid, d, Kind.BREAK), av, bm)
                m.breaks[(pid, d)] = [(c, None) for c in starts]
                m.breaks_owed[(pid, d)] = n
                for c in starts:
                    points[d] |= {c, c + bm}

    flex_cands: list[tuple[Session, str, int]] = []
    for ses in p_.sessions:
        if not ses.is_flexible:
            continue
        for d in m.plan_days:
            allowed = g_.session_allowed(ses, d)
            busy = [(o.start, o.end) for o in fixed if o.day == d and _conflicts(p_.session(o.session_id), ses)]
            ses_starts = set(candidate_starts(allowed, ses.duration, step))
            ses_starts |= {
                x.start
                for x in known_sessions
                if x.session_id == ses.session_id
                and x.day == d
                and any(a <= x.start and x.start + ses.duration <= b for a, b in allowed)
            }
            for c in sorted(ses_starts):
                if any(c < e and s < c + ses.duration for s, e in busy):
                    continue
                flex_cands.append((ses, d, c))
                points[d] |= {c, c + ses.duration}

    for d in m.plan_days:
        for seg in g_.support_needs(d, tuple(fixed)):
            points[d] |= {seg.start, seg.end}
        for duty in g_.duties_on(d):
            points[d] |= {duty.start, duty.end}
        for fo in fixed:
            if fo.day == d:
                points[d] |= {fo.start, fo.end}
    fine = p_.settings.max_continuous_minutes is not None or any(
        s.max_minutes_with_same_para is not None for s in p_.students
    )
    for d in m.plan_days:
        pts = points[d]
        if fine and pts:
            lo, hi = min(pts), max(pts)
            g = -(-lo // step) * step
            while g < hi:
                pts.add(g)
                g += step
        m.bps[d] = sorted(pts)
        m._index[d] = {t: i for i, t in enumerate(m.bps[d])}

    # para availability per segment
    for para in p_.paras:
        for d in m.plan_days:
            ks: set[int] = set()
            for a, b in g_.para_available(para.para_id, d):
                ks.update(m.segs_in(d, a, b))
            m.avail[(para.para_id, d)] = ks

    # lunch and breaks
    for key, cands in m.lunch.items():
        pid, d = key
        m.lunch[key] = [(c, model.new_bool_var(f"lunch_{pid}_{d}_{c}")) for c, _ in cands]
        for c, v in m.lunch[key]:
            for k in m.segs_in(d, c, c + m.lunch_len[key]):
                m.para_at[(pid, d, k)].append((v, (Kind.LUNCH, c), False))
    bm = p_.settings.break_minutes
    for key, cands in m.breaks.items():
        pid, d = key
        m.breaks[key] = [(c, model.new_bool_var(f"break_{pid}_{d}_{c}")) for c, _ in cands]
        for c, v in m.breaks[key]:
            for k in m.segs_in(d, c, c + bm):
                m.para_at[(pid, d, k)].append((v, (Kind.BREAK, c), False))

    # therapy occurrences
    for fo in fixed:
        m.occs.append(
            Occ(
                len(m.occs),
                p_.session(fo.session_id),
                fo.day,
                fo.start,
                fo.end,
                None,
                tuple(m.segs_in(fo.day, fo.start, fo.end)),
            )
        )
    for ses, d, c in flex_cands:
        v = model.new_bool_var(f"ses_{ses.session_id}_{d}_{c}")
        o = Occ(len(m.occs), ses, d, c, c + ses.duration, v, tuple(m.segs_in(d, c, c + ses.duration)))
        m.occs.append(o)
        for k in o.segs:
            for sid in ses.student_ids:
                m.session_at[(sid, d, k)].append(v)
            if ses.provider:
                m.provider_at[(ses.provider, d, k)].append(v)
    for o in m.occs:
        if not o.session.needs_para:
            continue
        for para in p_.paras:
            if g_.session_refusal(para, o.session) is not None:
                continue
            if not set(o.segs) <= m.avail[(para.para_id, o.day)]:
                continue
            v = model.new_bool_var(f"occpara_{para.para_id}_{o.idx}")
            m.occ_para[(para.para_id, o.idx)] = v
            for k in o.segs:
                m.para_at[(para.para_id, o.day, k)].append((v, (Kind.THERAPY, o.idx), True))

    # duties
    for d in m.plan_days:
        for duty in g_.duties_on(d):
            for para in p_.paras:
                if g_.duty_refusal(para, duty) is not None:
                    continue
                seg_av = m.avail[(para.para_id, d)]
                for k in m.segs_in(d, duty.start, duty.end):
                    if k not in seg_av:
                        continue
                    v = model.new_bool_var(f"duty_{para.para_id}_{duty.duty_id}_{d}_{k}")
                    m.duty[(para.para_id, duty.duty_id, d, k)] = v
                    m.duty_cover[(duty.duty_id, d, k)].append(v)
                    m.para_at[(para.para_id, d, k)].append((v, (Kind.DUTY, duty.duty_id), True))

    # student support, decided per chunk: a para who may take a student for a whole chunk gets one
    # variable for all of it (no handoff inside a chunk), others one per segment they can take
    run_edges: dict[tuple[str, str], set[int]] = defaultdict(set)  # (student, day) -> known run edges
    for a in known_rows:
        if a.kind == Kind.SUPPORT:
            for sid in a.students:
                run_edges[(sid, a.day)] |= {a.start, a.end}
    for d in m.plan_days:
        segs_by_student: dict[str, list] = defaultdict(list)
        for seg in g_.support_needs(d, tuple(fixed)):
            segs_by_student[seg.student_id].append(seg)
        for sid, segs in segs_by_student.items():
            st = m.students[sid]
            paras = candidate_paras(m, sid, d, segs)
            for seg in segs:
                for k in m.segs_in(d, seg.start, seg.end):
                    m.need_skills[(sid, d, k)] = seg.skills
            chunk_of = _chunks(m, d, segs, run_edges[(sid, d)])
            refused = {
                (para.para_id, seg.skills): g_.support_refusal(para, st, seg.skills) is not None
                for para in paras
                for seg in segs
            }
            whole: dict[tuple[str, int], Any] = {}  # (para, chunk) -> the chunk's variable
            for seg in segs:
                for k in m.segs_in(d, seg.start, seg.end):
                    m.needs[(sid, d, k)] = NeedSeg(seg.support, seg.location, seg.skills, st.priority)
                    chunk = chunk_of[k]
                    for para in paras:
                        pid = para.para_id
                        if k not in m.avail[(pid, d)] or refused[(pid, seg.skills)]:
                            continue
                        if (pid, chunk[0]) in whole:
                            v = whole[(pid, chunk[0])]
                        else:
                            v = model.new_bool_var(f"y_{pid}_{sid}_{d}_{k}")
                            if all(
                                x in m.avail[(pid, d)] and not refused[(pid, m.need_skills[(sid, d, x)])] for x in chunk
                            ):
                                whole[(pid, chunk[0])] = v
                                m.chunk[v.Index()] = (chunk[0], chunk[-1])
                        m.y[(pid, sid, d, k)] = v
                        m.cover[(sid, d, k)].append((pid, v))
                        if seg.support == Support.ONE_TO_ONE:
                            m.para_at[(pid, d, k)].append((v, (Kind.SUPPORT, sid, seg.location), True))
                        else:
                            gk = (pid, d, seg.location, k)
                            if gk not in m.group:
                                m.group[gk] = model.new_bool_var(f"grp_{pid}_{d}_{seg.location}_{k}")
                                m.para_at[(pid, d, k)].append((m.group[gk], (Kind.SUPPORT, None, seg.location), True))
                            m.members[gk].append((sid, v))


RELIEF_GRID = 15  # minutes: the decision grid of lunches and breaks, so a relief costs no more than it takes


def _chunks(m: ModelData, day: str, segs: list, known: set[int]) -> dict[int, tuple[int, ...]]:
    """Each segment of a student's day -> the segments of its chunk.

    A chunk is a piece of a need stretch between relief points: block edges (a change of class
    or room), the half hours, and the edges of the warm start's and baseline's runs (so they stay
    solutions). Handoffs happen only at relief points: a school plans a para for a block, not
    for five minutes."""
    bps = m.bps[day]
    edges = {e for seg in segs for e in (seg.start, seg.end)} | known
    out: dict[int, tuple[int, ...]] = {}
    current: list[int] = []
    for seg_k in sorted(k for seg in segs for k in m.segs_in(day, seg.start, seg.end)):
        start = bps[seg_k]
        if current and (bps[current[-1] + 1] != start or start in edges or start % RELIEF_GRID == 0):
            for x in current:
                out[x] = tuple(current)
            current = []
        current.append(seg_k)
    for x in current:
        out[x] = tuple(current)
    return out


def _conflicts(a: Session, b: Session) -> bool:
    """Two sessions that may not overlap: same provider or a shared student."""
    return bool((a.provider and a.provider == b.provider) or set(a.student_ids) & set(b.student_ids))


def candidate_paras(m: ModelData, sid: str, day: str, segs: list) -> list:
    """Paras considered for a student on a day: every para, or the best few (``SolverOptions``).

    With a limit (not exact: a para left out might have been the better choice), eligible paras
    are ranked by: preferred, with this student that day in the baseline or the warm start
    (these are always kept, so the warm start stays a solution), minutes of the student's needs
    they can cover, then spread over paras by a student-dependent rotation so students do not
    all share the same few candidates.
    """
    paras = list(m.problem.paras)
    limit = m.options.candidate_limit(len(paras))
    if limit is None or len(paras) <= limit:
        return paras
    st = m.students[sid]
    focus = getattr(m, "focus", None)
    index = getattr(m, "_with_student", None)
    if index is None:  # (day, student) -> paras with them in the baseline or warm start; built once
        index = defaultdict(set)
        for sched in (m.baseline, getattr(m, "hint_schedule", None)):
            if sched is not None:
                for a in sched.assignments:
                    for s in a.students:
                        index[(a.day, s)].add(a.para_id)
        m._with_student = index  # type: ignore[attr-defined]
    known: set[str] = index.get((day, sid), set())
    if focus is not None and sid not in focus:  # outside the neighbourhood: keeps the warm start's paras
        return [p for p in paras if p.para_id in known]
    n = len(paras)
    s_idx = m.problem.students.index(st)
    scored = []
    for i, para in enumerate(paras):
        if all(m.grid.support_refusal(para, st, seg.skills) for seg in segs):
            continue
        av = m.grid.para_available(para.para_id, day)
        overlap = sum(e - s for seg in segs for s, e in intersect(av, [(seg.start, seg.end)]))
        if overlap == 0:
            continue
        scored.append(
            ((para.para_id not in st.preferred_paras, para.para_id not in known, -overlap, (i - s_idx * 7) % n), para)
        )
    scored.sort(key=lambda t: t[0])
    chosen = [p for _, p in scored[:limit]]
    chosen += [p for _, p in scored[limit:] if p.para_id in known]  # the warm start stays possible
    return chosen


__all__ = ["ModelData", "NeedSeg", "Occ", "Occurrence", "build_variables", "candidate_starts", "decision_step"]
