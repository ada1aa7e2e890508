"""Repair: a large-neighbourhood search over small pieces of a day (docs/solver.md).

A large school's day model is too big to search well in seconds, yet a shortfall is local: a
student is left short because the few paras who may serve them are busy or at lunch at that
time. For each short need (priority order), the piece is those paras (and the paras who could
take over their 1:1 students), every student they serve that day, and the short student
(``scheduler/subschool.py``); everything else stays. The piece is an ordinary one-day problem
of a few paras, solved exactly by the same model in a second or two; its rows replace the
piece's rows in the week, and the result is kept only when the checker finds no broken rule on
that day and the objective levels (``objective.levels``, recomputed from the schedule by
``kpis``) are lexicographically better. In a resolve, once no short need is left to try,
pieces around the paras changed most tidy up (fewer changes at the same coverage).

So the search never makes a schedule worse and never breaks a rule, whatever the piece left
out. It runs before the day models (large schools) and on a resolve's re-planned days.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from parasched.scheduler.check import day_violations
from parasched.scheduler.coverage import NeedCoverage, coverage
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Problem, Support
from parasched.scheduler.runs import Run, drop_short_runs, runs
from parasched.scheduler.schedule import Assignment, Kind, Schedule, UnmetKind
from parasched.scheduler.subschool import DayPiece, day_piece, splice
from parasched.scheduler.weekgrid import WeekGrid

from .hint import hint_values
from .model import build, complete_hint, solve_model
from .objective import judge
from .options import SolverOptions
from .progress import ProgressFeed

PIECE_PARAS = (10, 14, 18)  # a piece's paras, round by round: its model stays a few thousand variables
PIECE_SECONDS = 2.0  # CP-SAT time for one piece (at most; stages at their floor are skipped)
# a piece of this many paras or more is searched by both workers on neighbourhoods of its hint:
# there the LP worker's bound never closes in 2 s (public-tight: 46,000 against 652,510), while
# pieces of 1-4 paras are proved in 0.01-0.1 s by it (docs/solver.md, repair search)
PIECE_LNS_PARAS = 5
# most of a piece's time goes to its uncovered minutes, priority 1 alone first. Measured (80
# paras, seed 0, 30 s, two seeds): so, 185-205 priority-1 minutes left (priority 2: 805-1015);
# with the three coverage levels folded into one first stage, 290-355 (priority 2: 35-565).
# The tiers are lexicographic (safety first), so priority 1 goes alone first.
PIECE_SHARES = {"unmet_p1": 12, "unmet_p2": 6, "unmet_p3": 3, "changed_minutes": 3}
# a search of priority-1 needs alone (a 9-24 para school's solve) has no priority-2 pieces after
# it: a piece's priority-2 stage is where the minutes its priority-1 stage took are won back, and
# at half the time it was still finding better answers when cut (public-small, 4-para pieces:
# last gain at 0.36-0.52 s of 0.54). Measured with it at 30 s, six seeds (docs/solver.md point 19)
PRIORITY1_PIECE_SHARES = {**PIECE_SHARES, "unmet_p2": 12}
# a continuity piece cannot lose coverage (capped): most of its time goes to the continuity stage
CONTINUITY_SHARES = {"unmet_p1": 2, "unmet_p2": 2, "unmet_p3": 1, "changed_minutes": 2, "handoffs": 12}
# a search that has kept nothing for this share of its time (and at least REPAIR_STALL_MIN_SECONDS)
# stops: what is left of its time goes to the day models, or the solve ends early (docs/solver.md,
# point 11, "When a solve ends")
REPAIR_STALL_SHARE = 0.4
REPAIR_STALL_MIN_SECONDS = 10.0


@dataclass
class RepairStats:
    """What the search did (for the log, the benchmark and the tests)."""

    pieces: int = 0
    improved: int = 0
    rejected: int = 0  # the piece improved, the week did not (or a rule broke at a seam)
    failed: int = 0  # pieces that could not be cut out or solved (skipped)
    repeated: int = 0  # pieces already searched on the same week, not searched again
    seconds: float = 0.0
    stalled: bool = False  # ended early: nothing kept for a while (``REPAIR_STALL_SHARE``)


def level_key(
    problem: Problem, schedule: Schedule, baseline: Schedule | None = None, grid: WeekGrid | None = None
) -> tuple[int, ...]:
    """How ``schedule`` is judged (``objective.judge``), most important first (compare as tuples)."""
    from parasched.scheduler.changes import changed_minutes

    terms = dict(compute_kpis(problem, schedule, grid).objective_terms())
    if baseline is not None:
        terms["changed_minutes"] = changed_minutes(baseline, schedule, problem=problem)
    return judge(terms, baseline is not None)


def repair(
    problem: Problem,
    schedule: Schedule,
    options: SolverOptions,
    deadline: float,
    baseline: Schedule | None = None,
    days: tuple[str, ...] | None = None,
    stats: RepairStats | None = None,
    max_pieces: int | None = None,
    feed: ProgressFeed | None = None,
    cover: bool = True,
    continuity: bool = False,
    priorities: int = 3,
) -> Schedule:
    """A schedule at least as good as ``schedule`` on every level, searched until ``deadline``
    (or ``max_pieces`` pieces: with one worker the search is then reproducible), or until
    ``options.stop`` is set. Each improvement is told to ``feed``.

    ``cover``: pieces around the needs left short, of priority ``priorities`` or more important;
    ``continuity``: then pieces around the students passed between the most paras (see
    ``_least_continuous``). On the wall clock each kind of piece stops once it has kept nothing
    for ``REPAIR_STALL_SHARE`` of the time it had (at least ``REPAIR_STALL_MIN_SECONDS``)."""
    t0 = time.monotonic()
    last_gain = t0
    stall = _stall_after(deadline, t0, max_pieces)
    stats = stats if stats is not None else RepairStats()
    grid = WeekGrid.of(problem)
    plan = set(days if days is not None else grid.days)
    rng = random.Random(options.seed)
    best, key = schedule, level_key(problem, schedule, baseline, grid)
    # the pieces searched since the week last changed. Short needs of one student often make the
    # same piece (the same few paras may serve them, whatever the minute), and so do the larger
    # piece sizes where no more paras may: public-medium's 30 s search solved one 2-para piece
    # seven times, 1.4 s each, for the same answer (docs/solver.md, point 20)
    searched: set[tuple[str, tuple[str, ...], tuple[str, ...], bool]] = set()

    def attempt(day: str, paras: list[str], students: list[str], familiar: bool = False) -> bool:
        """Re-plan one piece; keep it if the day breaks no rule and the levels improve.
        ``familiar``: the piece prefers each student's paras of the other days."""
        nonlocal best, key, last_gain
        same = (day, tuple(sorted(paras)), tuple(sorted(students)), familiar)
        if same in searched:
            stats.repeated += 1
            return False
        searched.add(same)
        try:
            piece = day_piece(problem, best, day, paras, students, grid)
            if piece is None:
                return False
            stats.pieces += 1
            seen = _week_paras(best, day)
            week = seen if familiar else None
            rows = _solve_piece(
                piece,
                options,
                baseline,
                min(PIECE_SECONDS, deadline - time.monotonic()),
                week,
                seen=seen,
                shares=PIECE_SHARES if priorities > 1 else PRIORITY1_PIECE_SHARES,
            )
        except Exception:  # a piece that cannot be cut or solved is skipped: never lose the schedule we have
            stats.failed += 1
            return False
        if rows is None:
            return False
        if _unchanged(piece, rows):  # the piece's own rows came back: nothing to judge (most pieces)
            stats.rejected += 1
            return False
        # in the piece, time covered by rows that stay looks like the student's absence, so a short
        # run there may sit next to another para's run in the week: such slivers come out here
        trial = drop_short_runs(problem, splice(best, piece, rows), grid)
        new_key = level_key(problem, trial, baseline, grid) if not day_violations(problem, trial, (day,), grid) else key
        if new_key >= key:
            stats.rejected += 1
            return False
        best, key, last_gain = trial, new_key, time.monotonic()
        searched.clear()  # a piece of another day counts this day's paras in the student's week
        stats.improved += 1
        if feed is not None:
            k = compute_kpis(problem, best, grid)
            feed.solution(
                f"{day}: {'continuity' if familiar else 'repairing'}", (k.unmet_p1, k.unmet_p2, k.unmet_p3), k.handoffs
            )
        return True

    def more() -> bool:
        if options.stop is not None and options.stop.is_set():
            return False
        now = time.monotonic()
        if now - last_gain > stall:
            stats.stalled = True
            return False
        return now < deadline and (max_pieces is None or stats.pieces < max_pieces)

    def fresh() -> None:  # a new kind of piece: its own time to find something
        nonlocal last_gain, stall
        last_gain = time.monotonic()
        stall = _stall_after(deadline, last_gain, max_pieces)

    reachable: dict[tuple[str, str, int, int], bool] = {}

    def coverable(sid: str, day: str, start: int, end: int) -> bool:
        if (sid, day, start, end) not in reachable:
            reachable[(sid, day, start, end)] = _someone_may_cover(problem, grid, sid, day, start, end)
        return reachable[(sid, day, start, end)]

    tried: set[tuple[str, str, int]] = set()
    size = 0  # index in PIECE_PARAS: every short need is tried with small pieces, then larger ones
    improved_at_cycle_start = stats.improved
    needs: tuple[Schedule, list[NeedCoverage]] | None = None  # most pieces change nothing: reuse
    while cover and more():
        if needs is None or needs[0] is not best:
            needs = (best, coverage(problem, best, grid))
        short = _short(needs[1], plan, tried, coverable, priorities)
        if short is None:
            if size + 1 < len(PIECE_PARAS):
                size, tried = size + 1, set()
                continue
            if stats.improved == improved_at_cycle_start:
                break  # a whole cycle of piece sizes found nothing: done
            # something improved: new random pieces may find more
            size, tried, improved_at_cycle_start = 0, set(), stats.improved
            continue
        sid, day, start = short
        tried.add(short)
        paras = _paras_for(problem, best, grid, sid, day, start, rng, PIECE_PARAS[size])
        if attempt(day, paras, [sid, *sorted(_served(best, day, set(paras)) - {sid})]):
            tried = {t for t in tried if t[1] != day}  # the day changed: its needs get a new try
    # a resolve: then tidy up, piece by piece around the paras changed most (fewer changes,
    # coverage kept: the levels only let a piece through if nothing more important gets worse)
    done: set[tuple[str, str]] = set()
    fresh()
    while baseline is not None and more():
        target = _most_changed(problem, baseline, best, plan, done)
        if target is None:
            break
        done.add(target)
        pid, day = target
        paras = _partners(baseline, best, day, pid, PIECE_PARAS[0])
        students = sorted(_served(best, day, set(paras)) | _served(baseline, day, set(paras)))
        attempt(day, paras, students)
    # continuity: the student-days passed between the most paras, each re-planned with the paras
    # who serve the student that day and on the other days (preferred in the piece)
    visited: set[tuple[str, str]] = set()
    fresh()
    while continuity and more():
        target = _least_continuous(best, plan, visited)
        if target is None:
            break
        visited.add(target)
        sid, day = target
        paras = _familiar_paras(problem, best, grid, sid, day, PIECE_PARAS[0])
        students = sorted({sid} | _served(best, day, set(paras)))
        if attempt(day, paras, students, familiar=True):
            visited = {v for v in visited if v[1] != day}  # the day changed: its students get a new try
    stats.seconds += time.monotonic() - t0
    return best


def _stall_after(deadline: float, now: float, max_pieces: int | None) -> float:
    """Seconds without a kept piece after which the search stops: none when it counts pieces
    (one worker, reproducible) or has no deadline."""
    if max_pieces is not None or deadline == float("inf"):
        return float("inf")
    return max(REPAIR_STALL_MIN_SECONDS, REPAIR_STALL_SHARE * (deadline - now))


def _unchanged(piece: DayPiece, rows: tuple[Assignment, ...]) -> bool:
    """Whether the re-planned piece is the piece as it was (rows ``splice`` would put back)."""
    return set(piece.free) == {
        a
        for a in rows
        if a.day == piece.day and a.para_id in piece.paras and a.kind in (Kind.SUPPORT, Kind.LUNCH, Kind.BREAK)
    }


def _least_continuous(schedule: Schedule, plan: set[str], visited: set[tuple[str, str]]) -> tuple[str, str] | None:
    """The (student, day) not yet visited that costs most in continuity: handoffs and paras that
    day (30 each) and paras not among the student's paras of the rest of the week (60 each)."""
    by_day: dict[tuple[str, str], list[Run]] = defaultdict(list)
    week: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in runs(schedule):
        by_day[(r.student_id, r.day)].append(r)
        week[r.student_id][r.para_id] += r.minutes
    best: tuple[int, tuple[str, str]] | None = None
    for (sid, day), rs in by_day.items():
        if day not in plan or (sid, day) in visited:
            continue
        ends = {(r.end, r.para_id) for r in rs}
        handoffs = len({r.start for r in rs if any(t == r.start and p != r.para_id for t, p in ends)})
        paras = {r.para_id for r in rs}
        main = max(week[sid], key=lambda p: (week[sid][p], p))
        cost = 30 * handoffs + 30 * (len(paras) - 1) + 60 * len(paras - {main})
        if cost and (best is None or cost > best[0]):
            best = (cost, (sid, day))
    return best[1] if best else None


def _familiar_paras(problem: Problem, schedule: Schedule, grid: WeekGrid, sid: str, day: str, limit: int) -> list[str]:
    """The student's paras that day, then their paras of other days who work that day, most
    minutes first, then other paras who may support them (a piece large enough to swap in)."""
    minutes: dict[str, int] = defaultdict(int)
    for a in schedule.assignments:
        if a.kind == Kind.SUPPORT and sid in a.students:
            minutes[a.para_id] += (a.end - a.start) * (1000 if a.day == day else 1)
    st = problem.student(sid)
    segs = grid.student_day(sid, day)
    chosen = [p for p in sorted(minutes, key=lambda p: (-minutes[p], p)) if grid.para_available(p, day)]
    chosen += [
        p.para_id
        for p in problem.paras
        if p.para_id not in minutes
        and grid.para_available(p.para_id, day)
        and any(grid.support_refusal(p, st, s.skills) is None for s in segs)
    ]
    return chosen[:limit]


def _week_paras(schedule: Schedule, day: str) -> dict[str, set[str]]:
    """Each student's paras on the other days of the week."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in schedule.assignments:
        if a.day != day and a.kind in (Kind.SUPPORT, Kind.THERAPY):
            for sid in a.students:
                out[sid].add(a.para_id)
    return out


def _most_changed(
    problem: Problem, baseline: Schedule, schedule: Schedule, plan: set[str], done: set[tuple[str, str]]
) -> tuple[str, str] | None:
    """The (para, day) with the most changed minutes against the baseline not tidied yet."""
    from parasched.scheduler.changes import diff

    minutes: dict[tuple[str, str], int] = {}
    for c in diff(baseline, schedule, problem):
        if c.day in plan and (c.para_id, c.day) not in done:
            minutes[(c.para_id, c.day)] = minutes.get((c.para_id, c.day), 0) + c.end - c.start
    return max(minutes, key=lambda k: (minutes[k], k)) if minutes else None


def _partners(baseline: Schedule, schedule: Schedule, day: str, pid: str, limit: int) -> list[str]:
    """The para and the paras who serve, now or in the baseline, the students it serves now or did:
    the paras a swap back would involve."""
    students = _served(baseline, day, {pid}) | _served(schedule, day, {pid})
    others = sorted(
        {
            a.para_id
            for sch in (baseline, schedule)
            for a in sch.assignments
            if a.day == day and a.para_id != pid and a.kind == Kind.SUPPORT and set(a.students) & students
        }
    )
    return [pid, *others[: limit - 1]]


def _short(
    needs: list[NeedCoverage],
    plan: set[str],
    tried: set[tuple[str, str, int]],
    coverable: Callable[[str, str, int, int], bool],
    priorities: int = 3,
) -> tuple[str, str, int] | None:
    """The most important support need left short, of priority ``priorities`` or more important,
    that has not been tried and that some para could cover (``coverable``): (student, day, start)."""
    cands = []
    for n in needs:
        if n.kind != UnmetKind.SUPPORT or n.day not in plan or not n.uncovered or n.priority > priorities:
            continue
        for s, e, _ in n.uncovered:
            key = (n.ref, n.day, s)
            if key not in tried and coverable(n.ref, n.day, s, e):
                cands.append((n.priority, -(e - s), key))
    return min(cands)[2] if cands else None


def _someone_may_cover(problem: Problem, grid: WeekGrid, sid: str, day: str, start: int, end: int) -> bool:
    """Whether a para who may support the student (skills of each block) works during some part
    of [start, end). When none does, no piece can cover it: on public-tight 20 of the first 30
    pieces were such (a priority-1 student needing medical care and Spanish while the only
    paras with both are not working), each costing up to 2 s for nothing."""
    st = problem.student(sid)
    for seg in grid.student_day(sid, day):
        a, b = max(start, seg.start), min(end, seg.end)
        if a >= b:
            continue
        for p in problem.paras:
            if grid.support_refusal(p, st, seg.skills) is None and any(
                x < b and a < y for x, y in grid.para_available(p.para_id, day)
            ):
                return True
    return False


def _paras_for(
    problem: Problem, schedule: Schedule, grid: WeekGrid, sid: str, day: str, start: int, rng: random.Random, limit: int
) -> list[str]:
    """Paras who may serve the student then (the first pick), and who may take over from them."""
    st = problem.student(sid)
    segs = [s for s in grid.student_day(sid, day) if s.start <= start < s.end] or list(grid.student_day(sid, day))
    ok = [
        p
        for p in problem.paras
        if any(a <= start < b for a, b in grid.para_available(p.para_id, day))
        and all(grid.support_refusal(p, st, s.skills) is None for s in segs)
    ]
    rng.shuffle(ok)
    chosen = [p.para_id for p in ok[:limit]]
    # who else could serve the 1:1 students these paras have: they may free one of them
    served = _one_to_one_served(problem, schedule, day, set(chosen))
    extra = []
    for other in served:
        o = problem.student(other)
        osegs = grid.student_day(other, day)
        extra += [
            p.para_id
            for p in problem.paras
            if p.para_id not in chosen
            and grid.para_available(p.para_id, day)
            and all(grid.support_refusal(p, o, s.skills) is None for s in osegs)
        ]
    rng.shuffle(extra)
    for pid in extra:
        if len(chosen) >= limit:
            break
        if pid not in chosen:
            chosen.append(pid)
    return chosen


def _served(schedule: Schedule, day: str, paras: set[str]) -> set[str]:
    """Every student the paras support that day (1:1 or in a group): the piece may re-plan them."""
    return {
        s
        for a in schedule.assignments
        if a.day == day and a.para_id in paras and a.kind == Kind.SUPPORT
        for s in a.students
    }


def _one_to_one_served(problem: Problem, schedule: Schedule, day: str, paras: set[str]) -> set[str]:
    return {
        s
        for a in schedule.assignments
        if a.day == day and a.para_id in paras and a.kind == Kind.SUPPORT and len(a.students) == 1
        for s in a.students
        if problem.student(s).support == Support.ONE_TO_ONE
    }


def _solve_piece(
    piece: DayPiece,
    options: SolverOptions,
    baseline: Schedule | None,
    seconds: float,
    week: dict[str, set[str]] | None = None,
    seen: dict[str, set[str]] | None = None,
    shares: dict[str, int] = PIECE_SHARES,
) -> tuple[Assignment, ...] | None:
    """The piece re-planned by the model (exactly, every para considered), or None. ``week``:
    each student's paras of the other days, preferred in the piece (the same paras all week);
    ``shares``: how a coverage piece's time is shared among its stages."""
    if seconds <= 0.05:
        return None
    if week:
        in_piece = {p.para_id for p in piece.problem.paras}
        students = tuple(
            dataclasses.replace(
                st, preferred_paras=tuple(sorted((set(st.preferred_paras) | week.get(st.student_id, set())) & in_piece))
            )
            for st in piece.problem.students
        )
        piece = dataclasses.replace(piece, problem=dataclasses.replace(piece.problem, students=students))
    opts = dataclasses.replace(
        options, time_limit=seconds, exact=True, progress=False, log=False, use_greedy_hint=False, max_unmet=None
    )  # a piece's terms are not the week's
    base = None
    if baseline is not None:
        base = Schedule(tuple(a for a in baseline.assignments if a.day == piece.day and a.para_id in piece.paras))
    # a coverage piece of a solve counts a student's week paras with those of the other days: a
    # para the student sees all week is no new face (at 30 s, two seeds: public-tight judged 0.3
    # and 2.2 % better, public-medium, public-large and hard 35 equal within noise)
    m = build(
        piece.problem,
        opts,
        base,
        hint=piece.hint,
        week_seen=seen if baseline is None and week is None else None,
        busy=piece.busy,
    )
    m.improve_only = len(piece.paras) >= PIECE_LNS_PARAS
    # a solve's coverage piece of a few paras (the full search, which proves such a piece) searches
    # priority-1 minutes alone first: with continuity as the tie-breaker of that stage it ran its
    # whole time and proved nothing (public-small's repair search, 14 s from the warm start:
    # 570-580 priority-1 minutes left against 420-425). A larger piece, searched on neighbourhoods
    # of its hint, proves nothing either way, and there the tie-breaker keeps its continuity
    # (public-tight: 40 more handoffs without it; docs/solver.md, point 15)
    m.priority1_alone = baseline is None and week is None and not m.improve_only
    if week is not None:  # a continuity piece: coverage may only get better on every priority at once
        start = complete_hint(m, hint_values(m, piece.hint), 0.5)
        if start is None:
            return None
        for pr in (1, 2, 3):
            term = m.terms[f"unmet_p{pr}"][0]
            m.model.add(term <= start[term.Index()])
        m.improve_only = True  # it runs its whole time anyway (measured: 4 pieces in 7 s at 32 paras)
    raw = solve_model(m, piece.hint, shares=CONTINUITY_SHARES if week is not None else shares)
    if raw.schedule is None:
        return None
    return raw.schedule.assignments


__all__ = ["RepairStats", "level_key", "repair"]
