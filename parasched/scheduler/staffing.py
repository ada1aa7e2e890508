"""Staffing changes a principal could make, derived from a week's Unmet needs (pure domain).

A :class:`StaffingChange` is one decision: train a para in a skill, extend a para's hours, hire
a para, bring in a substitute on some days, or move a duty to another time. Each knows its cost
in para-minutes a week and how to apply itself to a frozen :class:`Problem` (through
``dataclasses.replace``), so the application layer can re-solve the school with it.

:func:`staffing_changes` builds the candidates from the data and the uncovered needs, never from
a fixed list: the skills, gender and hours the needs ask for, the paras who work then and lack
only a skill, the paras whose hours stop just short of a need, the duties that hold an eligible
para away from a need. Each candidate carries a quick ``potential`` (uncovered minutes per
priority it could reach) used only to choose which ones are worth a re-solve.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .model import PRIORITY_NAMES, Para, ParaRole, Problem, Role, Support
from .schedule import Kind, Schedule, Unmet, UnmetKind
from .timegrid import DAYS, Interval, fmt_span, intersect, merge, subtract, total
from .weekgrid import WeekGrid

MAX_EXTEND_MINUTES = 180  # a longer extension is a new position, proposed as a hire instead
MAX_DUTY_SHIFT_MINUTES = 60  # a duty moved further is a different duty (lunch duty stays at lunch)
PER_KIND_FIRST = 2  # the best of each kind is always evaluated, so one kind cannot crowd out the rest


class ChangeKind(StrEnum):
    TRAIN = "train"
    MOVE_DUTY = "move_duty"
    EXTEND = "extend"
    SUBSTITUTE = "substitute"
    HIRE = "hire"


# cheapest to arrange first: the order among changes that cover the same minutes at the same cost
KIND_ORDER = {k: i for i, k in enumerate(ChangeKind)}
GENDER_WORDS = {"f": "female", "female": "female", "w": "female", "m": "male", "male": "male"}


@dataclass(frozen=True)
class StaffingChange:
    """One staffing decision; fields not used by its kind stay blank.

    - ``train``: ``para_id`` learns ``skills``.
    - ``extend``: ``para_id``'s usual hours become ``start``-``end``.
    - ``hire`` / ``substitute``: a new para ``para_id`` (role para / substitute) with ``skills``,
      ``gender``, hours ``start``-``end`` on ``days`` (empty = every school day).
    - ``move_duty``: duty ``duty_id`` moves to ``start``-``end`` on all its days.
    """

    kind: ChangeKind
    para_id: str = ""
    skills: frozenset[str] = frozenset()
    gender: str = ""
    start: int | None = None
    end: int | None = None
    days: tuple[str, ...] = ()
    duty_id: str = ""
    potential: tuple[int, int, int] = (0, 0, 0)  # uncovered minutes it could reach, per priority

    @property
    def key(self) -> str:
        """A stable id, e.g. ``train:P03:medical``."""
        span = fmt_span(self.start, self.end) if self.start is not None and self.end is not None else ""
        parts = [
            str(self.kind),
            self.para_id or self.duty_id,
            ",".join(sorted(self.skills)),
            self.gender,
            span,
            ",".join(self.days),
        ]
        return ":".join(p for p in parts if p)

    @property
    def touches(self) -> str:
        """The para or duty the change rewrites: two changes touching the same one do not combine."""
        return f"duty:{self.duty_id}" if self.kind == ChangeKind.MOVE_DUTY else f"para:{self.para_id}"

    def cost_minutes(self, problem: Problem) -> int:
        """Para-minutes a week the change adds (time on the clock; training and moves add none)."""
        if self.kind in (ChangeKind.TRAIN, ChangeKind.MOVE_DUTY):
            return 0
        assert self.start is not None and self.end is not None
        if self.kind == ChangeKind.EXTEND:
            para = problem.para(self.para_id)
            days = _usual_days(problem, para)
            return ((self.end - self.start) - (para.end - para.start)) * len(days)
        return (self.end - self.start) * len(problem.days_of(self.days))

    def apply(self, problem: Problem) -> Problem:
        """The problem with this change made (a new frozen Problem; ``problem`` is untouched)."""
        if self.kind == ChangeKind.TRAIN:
            return _replace_para(problem, self.para_id, skills=problem.para(self.para_id).skills | self.skills)
        if self.kind == ChangeKind.EXTEND:
            return _replace_para(problem, self.para_id, start=self.start, end=self.end)
        assert self.start is not None and self.end is not None
        if self.kind == ChangeKind.MOVE_DUTY:
            start, end = self.start, self.end
            duties = tuple(
                dataclasses.replace(d, start=start, end=end) if d.duty_id == self.duty_id else d for d in problem.duties
            )
            return dataclasses.replace(problem, duties=duties)
        role = Role.SUBSTITUTE if self.kind == ChangeKind.SUBSTITUTE else Role.PARA
        name = "Substitute (proposed)" if role == Role.SUBSTITUTE else "New para (proposed hire)"
        para = Para(
            self.para_id, name, self.start, self.end, days=self.days, role=role, skills=self.skills, gender=self.gender
        )
        return dataclasses.replace(problem, paras=(*problem.paras, para))

    def describe(self, problem: Problem) -> str:
        """The change as an instruction, e.g. ``Train P03 (Cy Ray) in medical``."""
        if self.kind == ChangeKind.TRAIN:
            return f"Train {para_label(problem, self.para_id)} in {_and(sorted(self.skills))}"
        assert self.start is not None and self.end is not None
        span = fmt_span(self.start, self.end)
        if self.kind == ChangeKind.EXTEND:
            para = problem.para(self.para_id)
            days = days_text(_usual_days(problem, para))
            return (
                f"Extend {para_label(problem, self.para_id)}'s hours from {fmt_span(para.start, para.end)} "
                f"to {span} ({days})"
            )
        if self.kind == ChangeKind.MOVE_DUTY:
            duty = problem.duty(self.duty_id)
            name = f" ({duty.name})" if duty.name and duty.name != duty.duty_id else ""
            return (
                f"Move duty {duty.duty_id}{name} on {days_text(problem.days_of(duty.days))} from "
                f"{fmt_span(duty.start, duty.end)} to {span}"
            )
        days = days_text(problem.days_of(self.days))
        if self.kind == ChangeKind.SUBSTITUTE:
            return f"Bring in {_article(self.gender)} substitute{_with(self.skills)} on {days}, {span}"
        return f"Hire {_article(self.gender)} para{_with(self.skills)}, {span}, {days}"


def _article(gender: str) -> str:
    word = GENDER_WORDS.get(gender, gender)
    return f"a {word}" if word else "a"


def _with(skills: frozenset[str]) -> str:
    return f" with {_and(sorted(skills))}" if skills else ""


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def para_label(problem: Problem, para_id: str) -> str:
    """``P03 (Cy Ray)``: staff names are not confidential, and a principal knows people by name."""
    try:
        name = problem.para(para_id).name
    except KeyError:
        return para_id
    return f"{para_id} ({name})" if name and name != para_id else para_id


def days_text(days: Iterable[str]) -> str:
    """``Mon-Fri``, ``Mon, Wed``, ``Tue-Thu, Sat``: runs of consecutive days shortened."""
    idx = sorted(DAYS.index(d) for d in set(days))
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [
        DAYS[r[0]]
        if len(r) == 1
        else (f"{DAYS[r[0]]}, {DAYS[r[-1]]}" if len(r) == 2 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}")
        for r in runs
    ]
    return ", ".join(parts)


def priority_words(priority: int) -> str:
    return f"{PRIORITY_NAMES[priority]} (priority {priority})"


def _replace_para(problem: Problem, para_id: str, **changes: object) -> Problem:
    paras = tuple(dataclasses.replace(p, **changes) if p.para_id == para_id else p for p in problem.paras)  # type: ignore[arg-type]
    return dataclasses.replace(problem, paras=paras)


def _usual_days(problem: Problem, para: Para) -> tuple[str, ...]:
    """Days the para works their usual hours (an Availability row for a day replaces them)."""
    exceptions = {a.day for a in problem.availability if a.para_id == para.para_id}
    return tuple(d for d in problem.days_of(para.days) if d not in exceptions)


# -- the needs behind the Unmet rows -------------------------------------------------------------
@dataclass(frozen=True)
class _Need:
    """One timed Unmet row, with what a para must be to take it."""

    row: Unmet
    skills: frozenset[str]
    gender: str  # "" = any
    refusal: Callable[[Para], str | None]
    student_work: bool  # support or therapy (a duty pulls a para away from these)
    stretch: Interval | None = None  # the whole need stretch the row lies in (a duty moved must clear it)

    @property
    def span(self) -> Interval:
        assert self.row.start is not None and self.row.end is not None
        return (self.row.start, self.row.end)


def _needs(problem: Problem, grid: WeekGrid, rows: Sequence[Unmet]) -> list[_Need]:
    out: list[_Need] = []
    for u in rows:
        if not u.day or u.start is None or u.end is None:
            continue  # an unplaced session or a weekly flex shortfall has no time to staff
        if u.kind == UnmetKind.SUPPORT:
            st = problem.student(u.ref)
            skills = next(
                (seg.skills for seg in grid.student_day(u.ref, u.day) if seg.start <= u.start < seg.end),
                st.skills_required,
            )
            stretches = merge(
                (seg.start, seg.end) for seg in grid.student_day(u.ref, u.day) if seg.support != Support.NONE
            )
            stretch = next(((a, b) for a, b in stretches if a <= u.start < b), None)
            out.append(
                _Need(
                    u,
                    skills,
                    st.gender if st.gender_match else "",
                    _support_refusal(grid, st.student_id, skills),
                    True,
                    stretch,
                )
            )
        elif u.kind == UnmetKind.DUTY:
            duty = problem.duty(u.ref)
            out.append(_Need(u, duty.skills_required, "", _duty_refusal(grid, duty.duty_id), False))
        elif u.kind == UnmetKind.THERAPY:
            ses = problem.session(u.ref)
            if ses.para_role == ParaRole.NONE:
                continue
            skills = ses.skills_required.union(*(problem.student(s).skills_required for s in ses.student_ids))
            genders = {problem.student(s).gender for s in ses.student_ids if problem.student(s).gender_match}
            out.append(
                _Need(
                    u,
                    skills,
                    next(iter(genders)) if len(genders) == 1 else "",
                    _session_refusal(grid, ses.session_id),
                    True,
                )
            )
    return out


def _support_refusal(grid: WeekGrid, student_id: str, skills: frozenset[str]) -> Callable[[Para], str | None]:
    st = grid.problem.student(student_id)
    return lambda para: grid.support_refusal(para, st, skills)


def _duty_refusal(grid: WeekGrid, duty_id: str) -> Callable[[Para], str | None]:
    duty = grid.problem.duty(duty_id)
    return lambda para: grid.duty_refusal(para, duty)


def _session_refusal(grid: WeekGrid, session_id: str) -> Callable[[Para], str | None]:
    ses = grid.problem.session(session_id)
    return lambda para: grid.session_refusal(para, ses)


def _triple(minutes: list[int]) -> tuple[int, int, int]:
    return (minutes[0], minutes[1], minutes[2])


def _add(potential: dict[str, list[int]], key: str, priority: int, minutes: int) -> None:
    if minutes > 0:
        potential.setdefault(key, [0, 0, 0])[priority - 1] += minutes


# -- candidate generation -----------------------------------------------------------------------
def staffing_changes(
    problem: Problem, schedule: Schedule, unmet: Sequence[Unmet] | None = None, limit: int = 20
) -> list[StaffingChange]:
    """Up to ``limit`` candidate changes for the uncovered needs of ``schedule`` (its ``unmet``
    rows unless ``unmet`` is given), the most promising first; none when nothing is uncovered."""
    grid = WeekGrid.of(problem)
    needs = _needs(problem, grid, schedule.unmet if unmet is None else unmet)
    if not needs:
        return []
    busy = _busy_by_para_day(problem, schedule)
    found: list[StaffingChange] = [
        *_trainings(problem, grid, needs, busy),
        *_extensions(problem, grid, needs),
        *_new_paras(problem, grid, needs),
        *_duty_moves(problem, grid, needs, schedule),
    ]
    return choose(problem, found, limit)


def choose(problem: Problem, changes: Sequence[StaffingChange], limit: int) -> list[StaffingChange]:
    """The ``limit`` most promising changes: the best ``PER_KIND_FIRST`` of each kind, then the
    rest by potential (priority 1 first), cost and kind."""

    def rank(c: StaffingChange) -> tuple[object, ...]:
        return (*(-m for m in c.potential), c.cost_minutes(problem), KIND_ORDER[c.kind], c.key)

    unique = {c.key: c for c in changes if any(c.potential)}
    ordered = sorted(unique.values(), key=rank)
    picked: list[StaffingChange] = []
    for kind in ChangeKind:
        picked += [c for c in ordered if c.kind == kind][:PER_KIND_FIRST]
    picked = sorted(picked, key=rank)[:limit]
    rest = [c for c in ordered if c not in picked]
    return sorted([*picked, *rest[: max(0, limit - len(picked))]], key=rank)


def _busy_by_para_day(problem: Problem, schedule: Schedule) -> dict[tuple[str, str], list[tuple[Interval, int]]]:
    """Each para's work rows per day with the priority of what they serve (3 when unknown)."""
    out: dict[tuple[str, str], list[tuple[Interval, int]]] = defaultdict(list)
    for a in schedule.assignments:
        if not a.kind.is_work:
            continue
        pr = 3
        try:
            if a.kind == Kind.DUTY:
                pr = problem.duty(a.ref).priority
            elif a.kind == Kind.THERAPY:
                pr = problem.session(a.ref).priority
            elif a.students:
                pr = min(problem.student(s).priority for s in a.students)
        except KeyError:  # a hand-edited baseline naming something unknown: the checker reports it
            pass
        out[(a.para_id, a.day)].append(((a.start, a.end), pr))
    return out


def _free_for(
    grid: WeekGrid, busy: dict[tuple[str, str], list[tuple[Interval, int]]], para_id: str, need: _Need
) -> int:
    """Minutes of the need's span the para works and spends on nothing at least as important."""
    day = need.row.day
    avail = intersect(grid.para_available(para_id, day), [need.span])
    taken = [iv for iv, pr in busy.get((para_id, day), []) if pr <= need.row.priority]
    return total(subtract(avail, taken))


def _trainings(
    problem: Problem, grid: WeekGrid, needs: list[_Need], busy: dict[tuple[str, str], list[tuple[Interval, int]]]
) -> list[StaffingChange]:
    potential: dict[str, list[int]] = {}
    made: dict[str, StaffingChange] = {}
    for need in needs:
        for para in problem.paras:
            missing = need.skills - para.skills
            if not missing or para.is_substitute:
                continue
            if need.refusal(dataclasses.replace(para, skills=para.skills | missing)) is not None:
                continue  # gender, an avoid list or general_duties = no: training would not help
            free = _free_for(grid, busy, para.para_id, need)
            if not free:
                continue
            c = StaffingChange(ChangeKind.TRAIN, para_id=para.para_id, skills=frozenset(missing))
            made[c.key] = c
            _add(potential, c.key, need.row.priority, free)
    return [dataclasses.replace(c, potential=_triple(potential[k])) for k, c in made.items()]


def _extensions(problem: Problem, grid: WeekGrid, needs: list[_Need]) -> list[StaffingChange]:
    # per para and side: the furthest need reached and the minutes each extension would add
    earliest: dict[str, int] = {}
    latest: dict[str, int] = {}
    reach: dict[tuple[str, str], list[tuple[Interval, int, str]]] = defaultdict(list)
    for need in needs:
        s, e = need.span
        for para in problem.paras:
            if need.row.day not in _usual_days(problem, para) or need.refusal(para) is not None:
                continue
            if grid.absent(para.para_id, need.row.day):
                continue  # an absence is not fixed by longer hours
            if s < para.start and para.start - s <= MAX_EXTEND_MINUTES:
                earliest[para.para_id] = min(earliest.get(para.para_id, para.start), s)
                reach[(para.para_id, "start")].append(((s, min(e, para.start)), need.row.priority, need.row.day))
            if e > para.end and e - para.end <= MAX_EXTEND_MINUTES:
                latest[para.para_id] = max(latest.get(para.para_id, para.end), e)
                reach[(para.para_id, "end")].append(((max(s, para.end), e), need.row.priority, need.row.day))
    out: list[StaffingChange] = []
    for (pid, side), pieces in reach.items():
        para = problem.para(pid)
        start, end = (earliest[pid], para.end) if side == "start" else (para.start, latest[pid])
        pot = [0, 0, 0]
        for pr in (1, 2, 3):
            by_day: dict[str, list[Interval]] = defaultdict(list)
            for iv, p, day in pieces:
                if p == pr:
                    by_day[day].append(iv)
            pot[pr - 1] = sum(total(merge(ivs)) for ivs in by_day.values())
        out.append(StaffingChange(ChangeKind.EXTEND, para_id=pid, start=start, end=end, potential=_triple(pot)))
    return out


def _hours_with_rest(problem: Problem, start: int, end: int) -> Interval:
    """Hours for a new para who should be free for the whole of ``start``-``end``: the lunch
    they would be owed is put just after (or before) the span when the lunch window allows it,
    and the breaks after it."""
    st = problem.settings
    lunch, (w0, w1) = st.lunch_minutes, st.lunch_window
    if lunch and total(intersect([(start, end)], [(w0, w1)])) >= lunch:
        if w0 <= end and end + lunch <= w1:
            end += lunch
        elif w0 <= start - lunch and start <= w1:
            start -= lunch
    end += st.breaks_per_day * st.break_minutes
    return max(0, start), min(24 * 60, end)


def _new_id(problem: Problem, prefix: str, taken: set[str]) -> str:
    existing = {p.para_id.lower() for p in problem.paras} | {t.lower() for t in taken}
    n = 1
    while f"{prefix}{n}".lower() in existing:
        n += 1
    taken.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def _new_paras(problem: Problem, grid: WeekGrid, needs: list[_Need]) -> list[StaffingChange]:
    """A hire for each kind of person the needs ask for (skills, gender), working the hours those
    needs span; a substitute instead when those needs fall on some days only."""
    groups: dict[tuple[frozenset[str], str], list[_Need]] = defaultdict(list)
    for need in needs:
        groups[(need.skills, need.gender)].append(need)
    taken: set[str] = set()
    out: list[StaffingChange] = []
    school_days = set(problem.settings.days)
    for (skills, gender), own in sorted(groups.items(), key=lambda kv: (sorted(kv[0][0]), kv[0][1])):
        start, end = _hours_with_rest(problem, min(n.span[0] for n in own), max(n.span[1] for n in own))
        days = tuple(d for d in problem.settings.days if any(n.row.day == d for n in own))
        options: list[tuple[ChangeKind, tuple[str, ...]]] = [(ChangeKind.HIRE, ())]
        if set(days) != school_days:
            options.append((ChangeKind.SUBSTITUTE, days))
        for kind, on_days in options:
            pid = _new_id(problem, "SUB" if kind == ChangeKind.SUBSTITUTE else "NEW", taken)
            role = Role.SUBSTITUTE if kind == ChangeKind.SUBSTITUTE else Role.PARA
            person = Para(pid, "proposed", start, end, days=on_days, role=role, skills=skills, gender=gender)
            pot = [0, 0, 0]
            for pr in (1, 2, 3):
                by_day: dict[str, list[Interval]] = defaultdict(list)
                for need in needs:  # every need this person could take, not only the group's own
                    if need.row.priority != pr or (on_days and need.row.day not in on_days):
                        continue
                    if need.refusal(person) is None:
                        by_day[need.row.day] += intersect([need.span], [(start, end)])
                pot[pr - 1] = sum(total(merge(ivs)) for ivs in by_day.values())
            out.append(
                StaffingChange(
                    kind,
                    para_id=pid,
                    skills=skills,
                    gender=gender,
                    start=start,
                    end=end,
                    days=on_days,
                    potential=_triple(pot),
                )
            )
    return out


def _duty_moves(problem: Problem, grid: WeekGrid, needs: list[_Need], schedule: Schedule) -> list[StaffingChange]:
    """Move a duty off the time of a need when a para who could take the need is on that duty."""
    duty_rows: dict[tuple[str, str], list[tuple[str, Interval]]] = defaultdict(list)
    for a in schedule.assignments:
        if a.kind == Kind.DUTY:
            duty_rows[(a.para_id, a.day)].append((a.ref, (a.start, a.end)))
    potential: dict[str, list[int]] = {}
    made: dict[str, StaffingChange] = {}
    st = problem.settings
    for need in needs:
        if not need.student_work:
            continue
        s, e = need.stretch or need.span
        for para in problem.paras:
            if need.refusal(para) is not None:
                continue
            for duty_id, (ds, de) in duty_rows.get((para.para_id, need.row.day), []):
                clash = total(intersect([(ds, de)], [(s, e)]))
                if not clash:
                    continue
                try:
                    duty = problem.duty(duty_id)
                except KeyError:
                    continue
                length = duty.end - duty.start
                for new_start in (e, s - length):  # just after the need, or just before it
                    if abs(new_start - duty.start) > MAX_DUTY_SHIFT_MINUTES:
                        continue
                    if new_start < st.school_start - 60 or new_start + length > st.school_end + 60:
                        continue
                    c = StaffingChange(ChangeKind.MOVE_DUTY, duty_id=duty_id, start=new_start, end=new_start + length)
                    made[c.key] = c
                    _add(potential, c.key, need.row.priority, clash)
    return [dataclasses.replace(c, potential=_triple(potential[k])) for k, c in made.items()]


__all__ = [
    "KIND_ORDER",
    "ChangeKind",
    "StaffingChange",
    "choose",
    "days_text",
    "para_label",
    "priority_words",
    "staffing_changes",
]
