"""Capacity analysis of a Problem before solving: counts, staff needed against staff available,
and warnings about data that is legal but suspicious. Everything uses :class:`WeekGrid`.

Staff needed in a time segment (needs with fixed therapy removed, as ``WeekGrid.support_needs``):
1 per ``1:1`` student, ``ceil(n / group_max)`` per location for the ``n`` ``shared`` students
there (smallest ``group_max`` among them), ``staff_needed`` per duty and 1 per fixed
``assist``/``deliver`` session occurrence. ``flex`` support is welcome, not needed, so it is not
counted. Paras available: hours less absences (lunch and breaks are not placed yet, so they
are not subtracted here; the summary subtracts them from the week's staff minutes).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from .errors import Issue, Source
from .model import DAYS, Para, ParaRole, Problem, Student, Support
from .timegrid import Interval, fmt_span, intersect, merge, total
from .weekgrid import Occurrence, StudentSegment, WeekGrid


@dataclass(frozen=True)
class Summary:
    """Counts and minutes of the week (minutes are staff-minutes: a duty for two is counted twice)."""

    paras: int
    substitutes: int
    students: int
    student_blocks: int
    duties: int
    fixed_sessions: int
    flexible_sessions: int
    days: tuple[str, ...]
    required: tuple[tuple[int, int], ...]  # (priority, staff-minutes needed in the week)
    staff_minutes: int  # role=para work time in the week: hours less absences, lunches and breaks
    substitute_minutes: int  # the same for role=substitute
    flex_target: int  # sum of weekly_flex_minutes (welcome, not required)

    @property
    def required_total(self) -> int:
        return sum(m for _, m in self.required)


@dataclass(frozen=True)
class Segment:
    """A stretch of one day where need and staffing are constant."""

    day: str
    start: int
    end: int
    needed: int  # staff needed
    available: int  # paras present (hours less absences)
    assignable: int  # most needs that qualified paras present can cover at once
    needs: tuple[str, ...]  # what is needed, by id: "S01 1:1", "D02 duty x2", "T01 session", "Room 4 shared x2"
    uncovered: tuple[str, ...] = ()  # needs no present para may take (qualification, gender, avoid)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def short(self) -> int:
        """Staff missing at once: need beyond what the present, qualified paras can cover."""
        return max(0, self.needed - self.assignable)

    @property
    def flagged(self) -> bool:
        return self.short > 0

    @property
    def ratio(self) -> float:
        """Need over paras available (inf when needed with nobody there)."""
        if self.available == 0:
            return math.inf if self.needed else 0.0
        return self.needed / self.available


@dataclass(frozen=True)
class LunchRoom:
    """A day's lunches against the spare staff time in the lunch windows.

    ``spare`` sums, over the windows, the paras present beyond those needed (minutes x paras);
    when it is below ``owed`` some lunch cannot be given without leaving a need uncovered."""

    day: str
    paras: int  # paras owed a lunch that day
    owed: int  # lunch minutes owed in total
    spare: int  # spare staff-minutes inside the lunch windows
    window: Interval  # the span of the lunch windows of those paras

    @property
    def squeezed(self) -> bool:
        return self.spare < self.owed


@dataclass(frozen=True)
class CapacityMap:
    segments: tuple[Segment, ...]
    lunches: tuple[LunchRoom, ...] = ()

    def day(self, day: str) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.day == day)

    def lunch(self, day: str) -> LunchRoom | None:
        return next((x for x in self.lunches if x.day == day), None)

    @property
    def flagged(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.flagged)


@dataclass(frozen=True)
class _Unit:
    """One staff member needed over an interval, and the paras who may be it."""

    start: int
    end: int
    label: str
    priority: int
    allowed: frozenset[str]  # para ids


class _Capacity:
    def __init__(self, problem: Problem, grid: WeekGrid | None = None) -> None:
        self.problem = problem
        self.grid = grid or WeekGrid(problem)
        self._support_cache: dict[tuple[str, frozenset[str]], frozenset[str]] = {}
        self._group_cache: dict[tuple[tuple[frozenset[str], ...], int, int], tuple[frozenset[str], ...]] = {}

    @cached_property
    def occurrences(self) -> tuple[Occurrence, ...]:
        return self.grid.fixed_occurrences()

    def _who(self, ok: Callable[[Para], bool]) -> frozenset[str]:
        return frozenset(p.para_id for p in self.problem.paras if ok(p))

    def may_support(self, student: Student, skills: frozenset[str]) -> frozenset[str]:
        """Paras allowed to support the student in a segment needing ``skills``."""
        key = (student.student_id, skills)
        if key not in self._support_cache:
            self._support_cache[key] = self._who(lambda p: self.grid.support_refusal(p, student, skills) is None)
        return self._support_cache[key]

    def split_group(self, allowed: tuple[frozenset[str], ...], n: int, gmax: int) -> tuple[frozenset[str], ...]:
        key = (allowed, n, gmax)
        if key not in self._group_cache:
            self._group_cache[key] = _split_group(allowed, n, gmax)
        return self._group_cache[key]

    @cached_property
    def _duty_ok(self) -> dict[str, frozenset[str]]:
        g = self.grid
        return {
            d.duty_id: frozenset(p.para_id for p in self.problem.paras if g.duty_refusal(p, d) is None)
            for d in self.problem.duties
        }

    @cached_property
    def _session_ok(self) -> dict[str, frozenset[str]]:
        g = self.grid
        return {
            s.session_id: frozenset(p.para_id for p in self.problem.paras if g.session_refusal(p, s) is None)
            for s in self.problem.sessions
            if s.para_role != ParaRole.NONE
        }

    def fixed_units(self, day: str, needs: tuple[StudentSegment, ...]) -> list[_Unit]:
        """Needs whose staffing does not depend on grouping: 1:1 students, duties, fixed sessions."""
        units: list[_Unit] = []
        for seg in needs:
            if seg.support != Support.ONE_TO_ONE:
                continue
            st = self.problem.student(seg.student_id)
            units.append(
                _Unit(seg.start, seg.end, f"{st.student_id} 1:1", st.priority, self.may_support(st, seg.skills))
            )
        for duty in self.grid.duties_on(day):
            for k in range(duty.staff_needed):
                label = f"{duty.duty_id} duty" + (f" x{duty.staff_needed}" if duty.staff_needed > 1 else "")
                units.append(
                    _Unit(
                        duty.start,
                        duty.end,
                        label if k == 0 else f"{label} #{k + 1}",
                        duty.priority,
                        self._duty_ok[duty.duty_id],
                    )
                )
        for occ in self.occurrences:
            if occ.day != day:
                continue
            ses = self.problem.session(occ.session_id)
            if ses.para_role == ParaRole.NONE:
                continue
            units.append(
                _Unit(occ.start, occ.end, f"{ses.session_id} session", ses.priority, self._session_ok[ses.session_id])
            )
        return units

    def day_segments(self, day: str) -> list[tuple[Segment, dict[int, int]]]:
        """Elementary segments of a day with the staff-minutes needed there per priority."""
        needs = self.grid.support_needs(day, self.occurrences)
        units = self.fixed_units(day, needs)
        shared = [
            ((seg.start, seg.end), seg.location, self.problem.student(seg.student_id), seg.skills)
            for seg in needs
            if seg.support == Support.SHARED
        ]
        paras = [(p, self.grid.para_available(p.para_id, day)) for p in self.problem.paras]
        points = sorted(
            {x for u in units for x in (u.start, u.end)}
            | {x for iv, _, _, _ in shared for x in iv}
            | {x for _, ivs in paras for iv in ivs for x in iv}
        )
        out: list[tuple[Segment, dict[int, int]]] = []
        for a, b in itertools.pairwise(points):
            here = [u for u in units if u.start <= a and b <= u.end]
            groups: dict[str, list[tuple[Student, frozenset[str]]]] = defaultdict(list)
            for iv, loc, st, skills in shared:
                if iv[0] <= a and b <= iv[1]:
                    groups[loc].append((st, skills))
            for loc, members in sorted(groups.items()):
                gmax = min(s.group_max for s, _ in members)
                n = math.ceil(len(members) / gmax)
                allowed_sets = self.split_group(tuple(self.may_support(s, sk) for s, sk in members), n, gmax)
                label = f"{loc or 'homeroom'} shared" + (f" x{n}" if n > 1 else "")
                pr = min(s.priority for s, _ in members)
                here += [
                    _Unit(a, b, label if k == 0 else f"{label} #{k + 1}", pr, allowed)
                    for k, allowed in enumerate(allowed_sets)
                ]
            present = [p.para_id for p, ivs in paras if any(s <= a and b <= e for s, e in ivs)]
            if not here and not present:
                continue
            assignable = _matching(here, present)
            there = frozenset(present)
            uncovered = tuple(dict.fromkeys(u.label.split(" #")[0] for u in here if not u.allowed & there))
            labels = tuple(dict.fromkeys(u.label.split(" #")[0] for u in here))
            by_priority: dict[int, int] = defaultdict(int)
            for u in here:
                by_priority[u.priority] += b - a
            out.append((Segment(day, a, b, len(here), len(present), assignable, labels, uncovered), by_priority))
        return out


def _split_group(allowed: tuple[frozenset[str], ...], n: int, gmax: int) -> tuple[frozenset[str], ...]:
    """Paras allowed for each of the ``n`` paras a shared group needs.

    Students are split into ``n`` sub-groups of at most ``gmax`` (the most constrained
    first, each into the sub-group keeping the most paras allowed for all its members);
    a sub-group's para must be allowed for each of its students."""
    groups: list[tuple[int, frozenset[str] | None]] = [(0, None)] * n  # (size, paras allowed for all)
    for ok in sorted(allowed, key=len):
        best, best_set = -1, frozenset[str]()
        for i, (size, common) in enumerate(groups):
            if size >= gmax:
                continue
            cand = ok if common is None else common & ok
            if best < 0 or len(cand) > len(best_set):
                best, best_set = i, cand
        if best < 0:  # cannot happen: n * gmax >= number of students
            break
        groups[best] = (groups[best][0] + 1, best_set)
    return tuple(frozenset() if common is None else common for _, common in groups)


def _matching(units: list[_Unit], paras: list[str]) -> int:
    """Size of a maximum matching of needs to qualified paras present (augmenting paths)."""
    if not units or not paras:
        return 0
    there = frozenset(paras)
    if len(paras) >= len(units) and all(there <= u.allowed for u in units):
        return len(units)
    adj = [[j for j, p in enumerate(paras) if p in u.allowed] for u in units]
    match: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match or augment(match[j], seen):
                match[j] = i
                return True
        return False

    return sum(1 for i in range(len(units)) if augment(i, set()))


def _merge_segments(segs: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segs:
        last = out[-1] if out else None
        if (
            last
            and last.day == s.day
            and last.end == s.start
            and last.needed == s.needed
            and last.available == s.available
            and last.assignable == s.assignable
            and last.needs == s.needs
            and last.uncovered == s.uncovered
        ):
            out[-1] = Segment(s.day, last.start, s.end, s.needed, s.available, s.assignable, s.needs, s.uncovered)
        else:
            out.append(s)
    return out


def capacity_map(problem: Problem, grid: WeekGrid | None = None) -> CapacityMap:
    """Staff needed against paras available (and qualified) in every segment of every school day."""
    cap = _Capacity(problem, grid)
    segs: list[Segment] = []
    lunches: list[LunchRoom] = []
    for day in cap.grid.days:
        day_segs = _merge_segments([s for s, _ in cap.day_segments(day)])
        segs += day_segs
        rules = [r for p in problem.paras if (r := cap.grid.lunch_rule(p.para_id, day)) is not None]
        if rules:
            windows = merge(r.window for r in rules)
            spare = sum(
                max(0, sg.available - sg.needed) * total(intersect([(sg.start, sg.end)], windows)) for sg in day_segs
            )
            lunches.append(
                LunchRoom(day, len(rules), sum(r.minutes for r in rules), spare, (windows[0][0], windows[-1][1]))
            )
    return CapacityMap(tuple(segs), tuple(lunches))


def summary(problem: Problem, grid: WeekGrid | None = None) -> Summary:
    """Counts, and required staff-minutes per priority against staff minutes available."""
    cap = _Capacity(problem, grid)
    g = cap.grid
    required: dict[int, int] = defaultdict(int)
    for day in g.days:
        for _, by_priority in cap.day_segments(day):
            for pr, m in by_priority.items():
                required[pr] += m
    for ses in problem.sessions:
        if ses.is_flexible and ses.para_role != ParaRole.NONE and ses.sessions_per_week:
            required[ses.priority] += ses.duration * ses.sessions_per_week
    staff = {False: 0, True: 0}
    for p in problem.paras:
        for day in g.days:
            avail = total(g.para_available(p.para_id, day))
            if not avail:
                continue
            lunch = g.lunch_rule(p.para_id, day)
            off = (lunch.minutes if lunch else 0) + g.breaks_owed(p.para_id, day) * g.settings.break_minutes
            staff[p.is_substitute] += max(0, avail - off)
    subs = sum(1 for p in problem.paras if p.is_substitute)
    return Summary(
        paras=len(problem.paras) - subs,
        substitutes=subs,
        students=len(problem.students),
        student_blocks=len(problem.student_blocks),
        duties=len(problem.duties),
        fixed_sessions=sum(1 for s in problem.sessions if not s.is_flexible),
        flexible_sessions=sum(1 for s in problem.sessions if s.is_flexible),
        days=g.days,
        required=tuple(sorted(required.items())),
        staff_minutes=staff[False],
        substitute_minutes=staff[True],
        flex_target=sum(s.weekly_flex_minutes for s in problem.students),
    )


# -- warnings ----------------------------------------------------------------------------------


def _where(src: Source | None, column: str | None = None) -> str:
    return src.cell(column) if src else ""


def _days_text(days: list[str]) -> str:
    return ", ".join(days)


def lunch_warnings(problem: Problem, grid: WeekGrid | None = None) -> list[Issue]:
    """Paras whose hours cannot hold their lunch inside the lunch window on a day they work
    (their time touches the window, or they work 5 hours or more)."""
    g = grid or WeekGrid(problem)
    out: list[Issue] = []
    for p in problem.paras:
        minutes = p.lunch_minutes if p.lunch_minutes is not None else problem.settings.lunch_minutes
        window = p.lunch_window or problem.settings.lunch_window
        if minutes <= 0:
            continue
        by_hours: dict[str, list[str]] = defaultdict(list)
        for day in g.days:
            avail = g.para_available(p.para_id, day)
            if not avail or g.lunch_rule(p.para_id, day) is not None:
                continue
            if intersect(avail, [window]) or total(avail) >= 5 * 60:
                by_hours[", ".join(fmt_span(s, e) for s, e in avail)].append(day)
        for hours, days in by_hours.items():
            out.append(
                Issue(
                    f"para '{p.para_id}' gets no lunch on {_days_text(days)}: their time {hours} holds "
                    f"no {minutes} minutes inside the lunch window {fmt_span(*window)}; expected hours "
                    "that leave room for lunch (or lunch_minutes 0 for this para)",
                    _where(p.source),
                    "warning",
                )
            )
    return out


def _why_nobody(problem: Problem, g: WeekGrid, student: Student, skills: frozenset[str]) -> tuple[str, str] | None:
    """(column, reason) when no para at all may support the student needing ``skills``."""
    if any(g.support_refusal(p, student, skills) is None for p in problem.paras):
        return None
    held = frozenset().union(*(p.skills for p in problem.paras)) if problem.paras else frozenset()
    missing = sorted(skills - held)
    if missing:
        what = "the skill" if len(missing) == 1 else "the skills"
        return "skills_required", f"no para has {what} {', '.join(repr(m) for m in missing)}"
    if not any(skills <= p.skills for p in problem.paras):
        return "skills_required", f"no single para has all of {', '.join(sorted(skills))}"
    if student.gender_match:
        if not any(p.gender == student.gender for p in problem.paras):
            return "gender_match", f"no para has gender '{student.gender}'"
        if skills and not any(p.gender == student.gender and skills <= p.skills for p in problem.paras):
            return "gender_match", f"no para of gender '{student.gender}' has {', '.join(sorted(skills))}"
        return "avoid_paras", f"every para of gender '{student.gender}' who has the skills is on the avoid list"
    return "avoid_paras", "every para who has the skills is on the avoid list"


def skill_warnings(problem: Problem, grid: WeekGrid | None = None) -> list[Issue]:
    """Students needing a skill (or gender) no para has: their support cannot be covered."""
    g = grid or WeekGrid(problem)
    out: list[Issue] = []
    blocks: dict[str, list] = defaultdict(list)
    for b in problem.student_blocks:
        blocks[b.student_id].append(b)
    for st in problem.students:
        checks: list[tuple[Source | None, frozenset[str]]] = []
        rows = blocks.get(st.student_id)
        uses_default = rows is None or any(b.support is None for b in rows)
        if (st.support != Support.NONE or not uses_default) and (st.skills_required or st.gender_match):
            checks.append((st.source, st.skills_required))
        for b in rows or ():
            level = b.support or st.support
            if level != Support.NONE and b.skills_required - st.skills_required:
                checks.append((b.source, st.skills_required | b.skills_required))
        seen: set[str] = set()
        for src, skills in checks:
            why = _why_nobody(problem, g, st, skills)
            if why is None:
                continue
            column, reason = why
            needs = f"a para with {', '.join(sorted(skills))}" if skills else "a para"
            if st.gender_match:
                needs += f" of gender '{st.gender}' (gender_match)"
            text = f"student '{st.student_id}' needs {needs} and {reason}; their support cannot be covered"
            if text in seen:
                continue
            seen.add(text)
            col = column if src is st.source else ("skills_required" if column == "skills_required" else None)
            out.append(Issue(text, _where(src, col), "warning"))
    return out


def duty_warnings(problem: Problem, grid: WeekGrid | None = None) -> list[Issue]:
    """Duties (and assist/deliver sessions) no para may take."""
    g = grid or WeekGrid(problem)
    out: list[Issue] = []
    for d in problem.duties:
        if any(g.duty_refusal(p, d) is None for p in problem.paras):
            continue
        if not any(p.general_duties for p in problem.paras):
            reason, col = "every para has general_duties = no", "duty_id"
        else:
            reason = f"no para with general_duties has {', '.join(sorted(d.skills_required))}"
            col = "skills_required"
        out.append(
            Issue(f"no para may take duty '{d.duty_id}': {reason}; it will be unmet", _where(d.source, col), "warning")
        )
    for s in problem.sessions:
        if s.para_role == ParaRole.NONE or any(g.session_refusal(p, s) is None for p in problem.paras):
            continue
        out.append(
            Issue(
                f"no para may {s.para_role.value} session '{s.session_id}': none holds its skills "
                f"({', '.join(sorted(s.skills_required)) or 'none'}) and may support all of "
                f"{', '.join(s.student_ids)}; it will be unmet",
                _where(s.source, "para_role"),
                "warning",
            )
        )
    return out


def protected_warnings(problem: Problem, grid: WeekGrid | None = None) -> list[Issue]:
    """Fixed therapy sessions that pull a student out of a protected block."""
    g = grid or WeekGrid(problem)
    out: list[Issue] = []
    for s in problem.sessions:
        if s.is_flexible or s.start is None or s.end is None:
            continue
        hits: dict[tuple[str, str], list[str]] = defaultdict(list)
        for day in problem.days_of(s.days):
            for sid in s.student_ids:
                clash = intersect([(s.start, s.end)], g.protected(sid, day))
                if clash:
                    spans = [fmt_span(a, b) for a, b in merge(g.protected(sid, day)) if a < s.end and s.start < b]
                    hits[(sid, ", ".join(spans))].append(day)
        for (sid, blocks), days in hits.items():
            out.append(
                Issue(
                    f"fixed session '{s.session_id}' {fmt_span(s.start, s.end)} on {_days_text(days)} "
                    f"pulls student '{sid}' out of a protected block ({blocks}); expected therapy "
                    "outside core instruction",
                    _where(s.source, "start"),
                    "warning",
                )
            )
    return out


def provider_warnings(problem: Problem) -> list[Issue]:
    """A session's provider with no Providers row although one is spelled almost the same (a typo
    would silently give that provider the whole school day)."""
    known = sorted({h.provider for h in problem.provider_hours})
    out: list[Issue] = []
    for s in problem.sessions:
        if not s.provider or s.provider in known:
            continue
        guess = difflib.get_close_matches(s.provider.lower(), [k.lower() for k in known], n=1, cutoff=0.75)
        if guess:
            name = next(k for k in known if k.lower() == guess[0])
            out.append(
                Issue(
                    f"provider '{s.provider}' has no Providers row, so they may be scheduled any time in "
                    f"the school day; did you mean '{name}'?",
                    _where(s.source, "provider"),
                    "warning",
                )
            )
    return out


def settings_warnings(problem: Problem) -> list[Issue]:
    st = problem.settings
    out: list[Issue] = []
    if st.week_of is not None:
        wd = DAYS[st.week_of.weekday()]
        if wd != st.days[0]:
            shift = (DAYS.index(st.days[0]) - st.week_of.weekday()) % 7
            better = (st.week_of + dt.timedelta(days=shift)).isoformat()
            out.append(
                Issue(
                    f"week_of {st.week_of.isoformat()} is a {wd} but the first school day is "
                    f"{st.days[0]}; expected the date of the first school day such as {better}",
                    "Settings (week_of)",
                    "warning",
                )
            )
    return out


def _cells(sources: list[Source | None], column: str, most: int = 5) -> str:
    """``Students!H3, H5`` (the sheet once, then cells), at most ``most`` of them."""
    cells = [src.cell(column).split(" (")[0] for src in sources if src is not None]
    if not cells:
        return ""
    shown = [cells[0], *(c.split("!", 1)[-1] for c in cells[1:most])]
    more = f" and {len(cells) - most} more" if len(cells) > most else ""
    return ", ".join(shown) + more


def _level(st: Student) -> str:
    return "1:1" if st.support == Support.ONE_TO_ONE else st.support.value


def short_day_warnings(problem: Problem) -> list[Issue]:
    """Students needing 1:1 or shared support whose StudentSchedule rows cover less than half the
    school day: outside their rows they need no para, so a student given only a Lunch row would
    lose the rest of the day while every report shows 100 %."""
    st_ = problem.settings
    school_day = st_.school_end - st_.school_start
    rows: dict[str, list] = defaultdict(list)
    for b in problem.student_blocks:
        rows[b.student_id].append(b)
    out: list[Issue] = []
    for st in problem.students:
        blocks = rows.get(st.student_id)
        if not blocks or st.support not in (Support.ONE_TO_ONE, Support.SHARED):
            continue  # no rows: in the homeroom all day
        short: dict[int, list[str]] = defaultdict(list)
        for day in st_.days:
            covered = total(merge([(b.start, b.end) for b in blocks if day in problem.days_of(b.days)]))
            if 2 * covered < school_day:
                short[covered].append(day)
        if not short:
            continue
        by_week = sorted(short.items(), key=lambda kv: DAYS.index(kv[1][0]))
        parts = [f"{minutes} minutes on {_days_text(days)}" for minutes, days in by_week]
        row_list = ", ".join(str(b.source.row) for b in blocks[:5] if b.source is not None)
        rows_text = f" {row_list}{' and more' if len(blocks) > 5 else ''}" if row_list else ""
        out.append(
            Issue(
                f"student '{st.student_id}' has StudentSchedule rows{rows_text} covering only "
                f"{' and '.join(parts)} of the {school_day}-minute school day "
                f"{fmt_span(st_.school_start, st_.school_end)}, while their default support is "
                f"{_level(st)}: outside their rows they need no para; expected rows for the whole day "
                "(or no rows at all: the homeroom all day)",
                _where(st.source, "support"),
                "warning",
            )
        )
    return out


def gender_spelling_warnings(problem: Problem) -> list[Issue]:
    """A gender written by students that no para has in the same spelling (``male`` against
    ``M``): genders are compared as written (ignoring case), so a gender_match student with it
    gets no para at all."""
    para_cells: dict[str, list[Source | None]] = defaultdict(list)
    for p in problem.paras:
        if p.gender:
            para_cells[p.gender].append(p.source)
    if not para_cells:
        return []  # no para has a gender: skill_warnings names the gender_match students left uncovered
    student_cells: dict[str, list[Student]] = defaultdict(list)
    for st in problem.students:
        # a spelling of the same word ('male', 'm', 'Man'), not a gender no para has at all ('m' with
        # only 'f' paras: skill_warnings names the gender_match students that leaves uncovered)
        if st.gender and st.gender not in para_cells and any(g[0] == st.gender[0] for g in para_cells):
            student_cells[st.gender].append(st)
    out: list[Issue] = []
    for gender, students in student_cells.items():
        paras = " and ".join(
            f"'{g}' ({_cells(srcs, 'gender')})" if _cells(srcs, "gender") else f"'{g}'"
            for g, srcs in sorted(para_cells.items())
        )
        matched = [st.student_id for st in students if st.gender_match]
        effect = (
            f"so the gender_match student(s) {', '.join(matched)} get no para"
            if matched
            else "so it would match no para under gender_match"
        )
        hint = next(f"'{g}'" for g in sorted(para_cells) if g[0] == gender[0])
        out.append(
            Issue(
                f"gender '{gender}' ({_cells([st.source for st in students], 'gender')}) is not "
                f"spelled as any para's gender: paras have {paras}; genders are compared as written "
                f"(ignoring case), {effect}; expected one spelling on both sheets, such as {hint}",
                _where(students[0].source, "gender"),
                "warning",
            )
        )
    return out


def single_para_warnings(problem: Problem, grid: WeekGrid | None = None) -> list[Issue]:
    """A priority-1 student whom exactly one para may support: while that para is at lunch or on
    a break, nobody may cover them."""
    g = grid or WeekGrid(problem)
    blocks: dict[str, list] = defaultdict(list)
    for b in problem.student_blocks:
        blocks[b.student_id].append(b)
    out: list[Issue] = []
    if len(problem.paras) < 2:
        return out  # a school of one para: nothing narrows the choice, there is none
    for st in problem.students:
        if st.priority != 1:
            continue
        rows = blocks.get(st.student_id)
        levels = {st.support} if rows is None else {b.support or st.support for b in rows}
        if not levels & {Support.ONE_TO_ONE, Support.SHARED}:
            continue
        eligible = [p for p in problem.paras if g.support_refusal(p, st, st.skills_required) is None]
        if len(eligible) != 1:
            continue  # none at all: skill_warnings says so
        why = []
        if st.skills_required:
            cell = _cells([st.source], "skills_required")
            why.append(f"skills_required {', '.join(sorted(st.skills_required))} ({cell})")
        if st.gender_match:
            why.append(f"gender_match ({_cells([st.source], 'gender_match')})")
        if st.avoid_paras:
            why.append(f"avoid_paras ({_cells([st.source], 'avoid_paras')})")
        limited = f", limited by {' and '.join(why)}" if why else ""
        only = eligible[0].para_id
        out.append(
            Issue(
                f"priority-1 student '{st.student_id}' has a single eligible para, '{only}'{limited}: "
                f"while {only} is at lunch or on a break nobody may cover {st.student_id}, so that time is "
                "unmet every day; expected at least two paras who may support them",
                _where(st.source, "priority"),
                "warning",
            )
        )
    return out


def staff_warnings(problem: Problem) -> list[Issue]:
    """A duty needing more paras at once than the school has: the rest is always unmet."""
    out: list[Issue] = []
    n = len(problem.paras)
    for d in problem.duties:
        if d.staff_needed > n:
            out.append(
                Issue(
                    f"duty '{d.duty_id}' needs {d.staff_needed} paras at once but the school has {n}; "
                    f"at least {d.staff_needed - n} will be unmet every minute; expected at most {n}",
                    _where(d.source, "staff_needed"),
                    "warning",
                )
            )
    return out


def flex_warnings(problem: Problem, grid: WeekGrid | None = None) -> list[Issue]:
    """Students whose ``weekly_flex_minutes`` is more than their ``flex`` blocks hold in the week:
    only minutes in flex blocks count toward it, so the rest is unmet whatever the schedule."""
    g = grid or WeekGrid(problem)
    offered: dict[str, int] = defaultdict(int)
    for day in g.days:
        for seg in g.support_needs(day, ()):
            if seg.support == Support.FLEX:
                offered[seg.student_id] += seg.end - seg.start
    out: list[Issue] = []
    for st in problem.students:
        target, held = st.weekly_flex_minutes, offered.get(st.student_id, 0)
        if target <= held:
            continue
        what = "no flex blocks this week" if not held else f"flex blocks of only {held} minutes this week"
        out.append(
            Issue(
                f"student '{st.student_id}' has weekly_flex_minutes {target} but {what}; only support in "
                f"flex blocks counts toward it, so at least {target - held} minutes will be unmet; expected "
                f"StudentSchedule rows with Support 'flex' holding {target} minutes, or a lower target",
                _where(st.source, "weekly_flex_minutes"),
                "warning",
            )
        )
    return out


def warnings(problem: Problem) -> list[Issue]:
    """Every warning about legal but suspicious data, in a stable order."""
    g = WeekGrid(problem)
    return [
        *settings_warnings(problem),
        *lunch_warnings(problem, g),
        *skill_warnings(problem, g),
        *duty_warnings(problem, g),
        *protected_warnings(problem, g),
        *provider_warnings(problem),
        *short_day_warnings(problem),
        *gender_spelling_warnings(problem),
        *single_para_warnings(problem, g),
        *staff_warnings(problem),
        *flex_warnings(problem, g),
    ]


__all__ = [
    "CapacityMap",
    "LunchRoom",
    "Segment",
    "Summary",
    "capacity_map",
    "duty_warnings",
    "flex_warnings",
    "gender_spelling_warnings",
    "lunch_warnings",
    "protected_warnings",
    "provider_warnings",
    "settings_warnings",
    "short_day_warnings",
    "single_para_warnings",
    "skill_warnings",
    "staff_warnings",
    "summary",
    "warnings",
]
