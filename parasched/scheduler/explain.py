"""Why a need went uncovered: a reason naming the limiting resource for every Unmet row.

Reasons are built from the problem and the final schedule alone: who may do the work
(``WeekGrid`` refusals), who works then, and what each of them is doing instead (with the
priority of the need they serve), or which rule keeps a free para off it, in plain words
(rotation, the shortest stay ``min_support_minutes``, continuous work, the lunch or breaks still
owed, the weekly duty cap). Numbers carry their unit; students are named by id only.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

from .coverage import flex_minutes, occurrences_of
from .kpis import CONTINUITY_WEIGHTS, PRIORITY_VALUE, cutting_in_cost, next_week_para_units
from .model import Para, Problem, Session, Support
from .schedule import Assignment, Kind, Schedule, Unmet, UnmetKind
from .timegrid import Interval, fmt_span, intersect, merge, overlaps, subtract
from .weekgrid import WeekGrid

MAX_LISTED = 4
# what people type in a gender column, as the words a reason uses ("a male para")
GENDER_WORDS = {
    "m": "male",
    "male": "male",
    "man": "male",
    "boy": "male",
    "f": "female",
    "female": "female",
    "woman": "female",
    "girl": "female",
}
NO_RULE = "no single rule keeps them off it, but the search found no way to fit it in within the time limit"


def gender_para(gender: str) -> str:
    """``a male para`` for ``m``; a word the table does not know is quoted as the workbook has it."""
    word = GENDER_WORDS.get(gender.strip().lower())
    return f"a {word} para" if word else f"a para of gender '{gender}'"


def tidy(text: str) -> str:
    """One space between words, none before punctuation: reasons are read, not parsed."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,;:)])", r"\1", text)


def explain(problem: Problem, schedule: Schedule, rows: list[Unmet], grid: WeekGrid | None = None) -> list[Unmet]:
    """The rows with ``reason`` filled in (a reason already given is kept)."""
    ctx = _Explainer(problem, schedule, grid or WeekGrid.of(problem))
    return [r if r.reason else dataclasses.replace(r, reason=tidy(ctx.reason(r))) for r in rows]


def _spans(ivs: tuple[Interval, ...] | list[Interval]) -> str:
    return ", ".join(fmt_span(s, e) for s, e in ivs) or "never"


def _listing(items: list[str], total: int | None = None) -> str:
    """The first ``MAX_LISTED`` items, and how many more (of ``total``, when only the first ones
    were worked out: describing every para of a 160-para school took seconds)."""
    shown = items[:MAX_LISTED]
    more = (len(items) if total is None else total) - len(shown)
    # "; " between items: each item may hold commas of its own (a para's morning)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


class _Explainer:
    def __init__(self, problem: Problem, schedule: Schedule, grid: WeekGrid) -> None:
        self.p, self.s, self.g = problem, schedule, grid
        self.rows: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
        self.duty_week: dict[str, int] = defaultdict(int)
        self.with_student: dict[tuple[str, str, str], int] = defaultdict(int)
        self.week_paras: dict[str, set[str]] = defaultdict(set)
        for a in schedule.assignments:
            self.rows[(a.para_id, a.day)].append(a)
            if a.kind == Kind.DUTY:
                self.duty_week[a.para_id] += a.minutes
            if a.kind in (Kind.SUPPORT, Kind.THERAPY):
                for sid in a.students:
                    self.with_student[(a.para_id, sid, a.day)] += a.minutes
                    self.week_paras[sid].add(a.para_id)
        self.occ = occurrences_of(schedule)
        self._needs: dict[str, tuple] = {}
        self._flex: dict[str, int] | None = None
        self._by_student: dict[tuple[str, str], list] | None = None
        self._stretches: dict[str, dict[str, tuple[Interval, ...]]] = {}

    # -- dispatch -------------------------------------------------------------------------------
    def reason(self, u: Unmet) -> str:
        if u.kind == UnmetKind.SUPPORT and u.start is not None and u.end is not None:
            return self.support(u.ref, u.day, u.start, u.end)
        if u.kind == UnmetKind.DUTY and u.start is not None and u.end is not None:
            return self.duty(u.ref, u.day, u.start, u.end)
        if u.kind == UnmetKind.THERAPY and u.day and u.start is not None and u.end is not None:
            return self.therapy_para(u.ref, u.day, u.start, u.end)
        if u.kind == UnmetKind.THERAPY:
            return self.unplaced(u.ref)
        return self.flex(u.ref, u.minutes)

    # -- what a para is doing ------------------------------------------------------------------
    def priority_of(self, a: Assignment) -> int | None:
        if a.kind == Kind.DUTY:
            return self.p.duty(a.ref).priority
        if a.kind == Kind.THERAPY:
            return self.p.session(a.ref).priority
        if a.kind == Kind.SUPPORT and a.students:
            return min(self.p.student(sid).priority for sid in a.students)
        return None

    def describe(self, a: Assignment) -> str:
        pr = self.priority_of(a)
        tag = f" (priority {pr})" if pr is not None else ""
        if a.kind == Kind.SUPPORT:
            who = ", ".join(a.students)
            where = f" in {a.location}" if a.location else ""
            return f"with {who}{where}{tag} {fmt_span(a.start, a.end)}"
        if a.kind == Kind.DUTY:
            return f"on duty {a.ref}{tag} {fmt_span(a.start, a.end)}"
        if a.kind == Kind.THERAPY:
            return f"in therapy {a.ref} with {', '.join(a.students)}{tag} {fmt_span(a.start, a.end)}"
        if a.kind == Kind.LUNCH:
            return f"at lunch {fmt_span(a.start, a.end)}"
        return f"on break {fmt_span(a.start, a.end)}"

    def doing(self, pid: str, day: str, start: int, end: int, free_why: str) -> str:
        """What the para does in [start, end), or why they are kept off while free."""
        busy = [a for a in sorted(self.rows[(pid, day)]) if overlaps((a.start, a.end), (start, end))]
        parts = [self.describe(a) for a in busy]
        free = subtract(intersect(self.g.para_available(pid, day), [(start, end)]), [(a.start, a.end) for a in busy])
        if free:
            joint = ": " if free_why == NO_RULE else " but "
            parts.append(f"{'free' if parts else 'is free'} {_spans(free)}{joint}{free_why}")
        gone = subtract([(start, end)], self.g.para_available(pid, day))
        if gone and not free and not busy:
            parts.append(f"not working {_spans(gone)}")
        return f"{pid} " + ", ".join(parts)

    def free_in(self, pid: str, day: str, start: int, end: int) -> tuple[Interval, ...]:
        """The para's time in [start, end) with no row at all (lunch and breaks count as rows)."""
        rows = [(a.start, a.end) for a in self.rows[(pid, day)]]
        return subtract(intersect(self.g.para_available(pid, day), [(start, end)]), rows)

    def continuous_why(self, pid: str, day: str, start: int, end: int) -> str | None:
        limit = self.p.settings.max_continuous_minutes
        if limit is None:
            return None
        work = [(a.start, a.end) for a in self.rows[(pid, day)] if a.kind.is_work]
        step = self.g.settings.time_step
        for s, e in self.free_in(pid, day, start, end):
            if e - s > 2 * step:
                return None  # a piece in the middle touches no other work
            # the shortest piece the para could take, next to the work already there
            for piece in ((s, min(e, s + step)), (max(s, e - step), e)):
                run = next(((a, b) for a, b in merge([*work, piece]) if a <= piece[0] and piece[1] <= b), piece)
                if run[1] - run[0] <= limit:
                    return None
        if not self.free_in(pid, day, start, end):
            return None
        return f"would work more than {limit} minutes without a pause (max_continuous_minutes)"

    def short_run_why(self, pid: str, sid: str, day: str, start: int, end: int) -> str | None:
        """The free time is shorter than a para's shortest stay and is not the student's whole need."""
        least = self.p.settings.min_support_minutes
        if least <= 0:
            return None
        stretch = next(((s, e) for s, e in self.stretches(day).get(sid, ()) if s <= start < e), (start, end))
        rows = [(a.start, a.end) for a in self.rows[(pid, day)] if not (a.kind == Kind.SUPPORT and sid in a.students)]
        # free around the piece, inside the need stretch; time already with the student extends a run
        room = subtract(intersect(self.g.para_available(pid, day), [stretch]), rows)
        around = next(((s, e) for s, e in room if s < end and start < e), None)
        if around is None:
            return None
        length = around[1] - around[0]
        if length >= least or (around[0] <= stretch[0] and stretch[1] <= around[1]):
            return None
        return (
            f"has only {length} free minutes there, and a para stays at least {least} minutes with a student "
            "(min_support_minutes)"
        )

    def stretches(self, day: str) -> dict[str, tuple[Interval, ...]]:
        if day not in self._stretches:
            self._stretches[day] = self.g.need_stretches(day, self.occ)
        return self._stretches[day]

    def hours_of(self, pid: str, day: str) -> str:
        av = self.g.para_available(pid, day)
        return f"{pid} works {_spans(av)}" if av else f"{pid} is off {day}"

    # -- support ---------------------------------------------------------------------------------
    def needs(self, day: str) -> tuple:
        if day not in self._needs:
            self._needs[day] = self.g.support_needs(day, self.occ)
        return self._needs[day]

    def needs_of(self, sid: str, day: str) -> list:
        """One student's segments that day (indexed once per day, not scanned per row)."""
        if self._by_student is None:
            self._by_student = defaultdict(list)
            for d in self.g.days:
                for seg in self.needs(d):
                    self._by_student[(seg.student_id, d)].append(seg)
        return self._by_student.get((sid, day), [])

    def segment(self, sid: str, day: str, start: int) -> tuple[frozenset[str], Support, str]:
        for seg in self.needs_of(sid, day):
            if seg.student_id == sid and seg.start <= start < seg.end:
                return seg.skills, seg.support, seg.location
        st = self.p.student(sid)
        return st.skills_required, st.support, st.homeroom

    def support(self, sid: str, day: str, start: int, end: int) -> str:
        st = self.p.student(sid)
        skills, support, location = self.segment(sid, day, start)
        need = []
        if skills:
            need.append(", ".join(sorted(skills)))
        if st.gender_match:
            need.append(f"{gender_para(st.gender)} (gender_match)")
        prefix = f"needs {' and '.join(need)}: " if need else ""
        refusals = {p.para_id: self.g.support_refusal(p, st, skills) for p in self.p.paras}
        eligible = [p for p in self.p.paras if refusals[p.para_id] is None]
        span = f"{day} {fmt_span(start, end)}"
        if not eligible:
            why = [r for r in refusals.values() if r]
            return f"{prefix}no para may support {sid} ({_listing(why)})" if why else "no paras in the Paras sheet"
        working = [p for p in eligible if intersect(self.g.para_available(p.para_id, day), [(start, end)])]
        if not working:
            return (
                f"no eligible para works {span} ({prefix.rstrip(': ') + '; ' if prefix else ''}"
                f"{_listing([self.hours_of(p.para_id, day) for p in eligible])})"
            )
        details = [
            self.doing(p.para_id, day, start, end, self.support_free_why(p, sid, day, start, end, support, location))
            for p in working[:MAX_LISTED]
        ]
        if len(working) == 1:
            return f"{prefix}the only eligible para working {span}: {details[0]}"
        return f"{prefix}{len(working)} eligible paras work {span}: {_listing(details, len(working))}"

    def support_free_why(
        self, para: Para, sid: str, day: str, start: int, end: int, support: Support, location: str
    ) -> str:
        st = self.p.student(sid)
        limit = st.max_minutes_with_same_para
        if limit is not None and self.with_student[(para.para_id, sid, day)] + self.g.settings.time_step > limit:
            return (
                f"has already spent {self.with_student[(para.para_id, sid, day)]} minutes with {sid} that day, "
                f"the most one para may (rotation limit, max_minutes_with_same_para {limit})"
            )
        return (
            self.short_run_why(para.para_id, sid, day, start, end)
            or self.continuous_why(para.para_id, day, start, end)
            or self.stranger_why(para.para_id, sid, st.priority, start, end)
            or NO_RULE
        )

    def stranger_why(self, pid: str, sid: str, priority: int, start: int, end: int) -> str:
        """The para is not among the student's paras this week, and this stretch is worth less
        than one more adult in it (``scraps``: the judge's weights, ``kpis``)."""
        week = self.week_paras.get(sid, set())
        if not week or pid in week:
            return ""
        if (end - start) * PRIORITY_VALUE[priority] >= cutting_in_cost(True, True, len(week), priority):
            return ""
        units = next_week_para_units(len(week), priority)
        crowded = f": {sid} already has {len(week)} paras this week" if units > 1 else ""
        return (
            f"is not among {sid}'s paras this week, and {end - start} minutes of priority-{priority} support "
            f"are worth less than one more adult in the student's week (it weighs as much as "
            f"{units * CONTINUITY_WEIGHTS['extra_week_paras'] // PRIORITY_VALUE[2]} priority-2 minutes{crowded})"
        )

    # -- duties ----------------------------------------------------------------------------------
    def duty(self, did: str, day: str, start: int, end: int) -> str:
        duty = self.p.duty(did)
        refusals = {p.para_id: self.g.duty_refusal(p, duty) for p in self.p.paras}
        eligible = [p for p in self.p.paras if refusals[p.para_id] is None]
        staff = f"needs {duty.staff_needed} staff" if duty.staff_needed > 1 else "needs 1 para"
        span = f"{day} {fmt_span(start, end)}"
        if not eligible:
            return f"{staff}; no para may take {did} ({_listing([r for r in refusals.values() if r])})"
        working = [p for p in eligible if intersect(self.g.para_available(p.para_id, day), [(start, end)])]
        if not working:
            hours = _listing([self.hours_of(p.para_id, day) for p in eligible])
            return f"{staff}; no eligible para works {span} ({hours})"
        details = [
            self.doing(p.para_id, day, start, end, self.duty_free_why(p, day, start, end)) for p in working[:MAX_LISTED]
        ]
        n = len(working)
        paras = f"{n} eligible paras work" if n > 1 else "1 eligible para works"
        return f"{staff}; {paras} {span}: {_listing(details, n)}"

    def duty_free_why(self, para: Para, day: str, start: int, end: int) -> str:
        cap = para.max_duty_minutes
        if cap is not None and self.duty_week[para.para_id] + self.g.settings.time_step > cap:
            return (
                f"already has {self.duty_week[para.para_id]} duty minutes this week, the cap is {cap} "
                "(max_duty_minutes)"
            )
        return self.continuous_why(para.para_id, day, start, end) or NO_RULE

    # -- therapy ---------------------------------------------------------------------------------
    def therapy_para(self, sesid: str, day: str, start: int, end: int) -> str:
        ses = self.p.session(sesid)
        refusals = {p.para_id: self.g.session_refusal(p, ses) for p in self.p.paras}
        eligible = [p for p in self.p.paras if refusals[p.para_id] is None]
        prefix = (
            f"needs {', '.join(sorted(ses.skills_required))} for {ses.para_role} "
            if ses.skills_required
            else f"needs a para to {ses.para_role} "
        )
        prefix += f"({', '.join(ses.student_ids)})"
        span = f"{day} {fmt_span(start, end)}"
        if not eligible:
            return f"{prefix}: no para qualifies ({_listing([r for r in refusals.values() if r])})"
        whole = [p for p in eligible if any(a <= start and end <= b for a, b in self.g.para_available(p.para_id, day))]
        if not whole:
            hours = _listing([self.hours_of(p.para_id, day) for p in eligible])
            return f"{prefix}: no eligible para works all of {span} ({hours})"
        details = [
            self.doing(p.para_id, day, start, end, self.continuous_why(p.para_id, day, start, end) or NO_RULE)
            for p in whole[:MAX_LISTED]
        ]
        return f"{prefix}: eligible paras working {span}: {_listing(details, len(whole))}"

    def unplaced(self, sesid: str) -> str:
        ses = self.p.session(sesid)
        placed = [s for s in self.s.sessions if s.session_id == sesid]
        days = self.p.days_of(ses.allowed_days)
        prov = f"provider {ses.provider}" if ses.provider else "no provider limit"
        pieces: list[str] = []
        for d in days:
            if any(s.day == d for s in placed):
                continue
            pieces.append(self.day_room(ses, d, prov))
        head = (
            f"flexible session could not be placed ({len(placed)} of {ses.sessions_per_week} placed, "
            f"{ses.duration} minutes each, allowed {', '.join(days)})"
        )
        return f"{head}: " + "; ".join(pieces) if pieces else head

    def day_room(self, ses: Session, day: str, prov: str) -> str:
        dur = ses.duration
        window = self.g.session_window(ses)
        with_provider = intersect([window], self.g.provider_hours(ses.provider, day))
        if not any(e - s >= dur for s, e in with_provider):
            return f"{day}: {prov} is free only {_spans(with_provider)} inside the window {fmt_span(*window)}"
        allowed = self.g.session_allowed(ses, day)
        if not any(e - s >= dur for s, e in allowed):
            blocked = [
                sid
                for sid in ses.student_ids
                if intersect(with_provider, [*self.g.protected(sid, day), *self.g.absent(sid, day)])
            ]
            return (
                f"{day}: {prov} is free only {_spans(with_provider)} and {', '.join(blocked)} "
                f"{'is' if len(blocked) == 1 else 'are'} in protected blocks or absent then"
            )
        clashes = []
        for o in self.s.sessions:
            if o.day != day or o.session_id == ses.session_id:
                continue
            other = self.p.session(o.session_id)
            if not intersect(allowed, [(o.start, o.end)]):
                continue
            if ses.provider and other.provider == ses.provider:
                clashes.append(f"{ses.provider} gives {o.session_id} {fmt_span(o.start, o.end)}")
            for sid in set(other.student_ids) & set(ses.student_ids):
                clashes.append(f"{sid} is in {o.session_id} {fmt_span(o.start, o.end)}")
        if clashes:
            return f"{day}: allowed only {_spans(allowed)} and {_listing(clashes)}"
        return f"{day}: allowed {_spans(allowed)}, but no {dur}-minute slot was left free by higher-priority needs"

    # -- flex ------------------------------------------------------------------------------------
    def flex(self, sid: str, short: int) -> str:
        st = self.p.student(sid)
        target = st.weekly_flex_minutes
        if self._flex is None:
            self._flex = flex_minutes(self.p, self.s, self.g)
        got = self._flex.get(sid, 0)
        offered = 0
        examples: list[str] = []
        for d in self.g.days:
            for seg in self.needs_of(sid, d):
                if seg.support != Support.FLEX:
                    continue
                offered += seg.end - seg.start
                if len(examples) < 2:
                    busy = [
                        a
                        for p in self.p.paras
                        if self.g.support_refusal(p, st, seg.skills) is None
                        for a in self.rows[(p.para_id, d)]
                        if a.kind.is_work and sid not in a.students and overlaps((a.start, a.end), (seg.start, seg.end))
                    ]
                    if busy:
                        a = busy[0]
                        examples.append(f"{d} {fmt_span(seg.start, seg.end)}: {a.para_id} {self.describe(a)}")
        if not offered:
            return (
                f"{sid} has no flex blocks this week, and only support in flex blocks counts toward the "
                f"{target}-minute target"
            )
        if offered < target:
            return f"{sid}'s flex blocks total only {offered} minutes this week (target {target} minutes); got {got}"
        tail = f" (e.g. {'; '.join(examples)})" if examples else ""
        return f"got {got} of {target} flex minutes: eligible paras were needed for higher tiers{tail}"
