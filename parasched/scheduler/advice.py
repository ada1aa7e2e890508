"""Staffing advice as a principal reads it: the changes evaluated, what each covers, and the
sentences that say so (records and wording; the evaluation itself is ``workflows/advise.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Problem
from .schedule import Schedule
from .staffing import KIND_ORDER, ChangeKind, StaffingChange, days_text, priority_words
from .timegrid import DAYS

MAX_REASONS = 3  # Unmet reasons shown per change


@dataclass(frozen=True)
class Covered:
    """One need whose uncovered minutes change: a student's support, a duty or a session."""

    kind: str
    ref: str
    priority: int
    days: tuple[str, ...]
    spans: tuple[str, ...]  # the times it was uncovered, e.g. "11:00-13:00"
    minutes: int  # uncovered minutes removed (or, in ``Evaluation.worse``, added)


@dataclass(frozen=True)
class Evaluation:
    """A change (or a combination) re-solved: uncovered minutes per priority before and after."""

    changes: tuple[StaffingChange, ...]
    labels: tuple[str, ...]  # each change as an instruction
    cost_minutes: int  # para-minutes a week added
    before: tuple[int, int, int]  # the reference's uncovered minutes, priority 1-3
    after: tuple[int, int, int]
    covered: tuple[Covered, ...] = ()
    worse: tuple[Covered, ...] = ()
    reasons_removed: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()
    error: str = ""  # the re-solve failed (no schedule within the limit, or the change is impossible)
    seconds: float = 0.0
    schedule: Schedule | None = field(default=None, compare=False, repr=False)  # the re-solved week
    not_needed: bool = False  # the re-solve covered more without using the change

    @property
    def gained(self) -> tuple[int, int, int]:
        return (self.before[0] - self.after[0], self.before[1] - self.after[1], self.before[2] - self.after[2])

    @property
    def useful(self) -> bool:
        """Covers more, in the solver's order of tiers, and breaks no rule."""
        return not self.error and not self.violations and self.gained > (0, 0, 0)

    @property
    def cost_hours(self) -> float:
        return self.cost_minutes / 60

    @property
    def label(self) -> str:
        return " + ".join(self.labels)

    def rank_key(self) -> tuple[object, ...]:
        return (
            *(-g for g in self.gained),
            self.cost_minutes,
            len(self.changes),
            min(KIND_ORDER[c.kind] for c in self.changes),
            self.label,
        )


@dataclass(frozen=True)
class Advice:
    """What ``advise`` found. ``baseline_unmet``: the schedule advised on; ``reference``: that
    schedule re-solved like every candidate (the figures changes are compared with)."""

    baseline_unmet: tuple[int, int, int]
    reference: Evaluation
    recommendations: tuple[Evaluation, ...]
    not_recommended: tuple[Evaluation, ...]
    combination: Evaluation | None = None
    combination_method: str = ""
    combinations_tried: int = 0
    budget: int = 1
    jobs: int = 1
    time_limit: float = 0.0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)


# -- evaluating one change set (runs in a worker process) ---------------------------------------


def day_position(day: str) -> int:
    return DAYS.index(day) if day in DAYS else len(DAYS)


# -- words a principal can forward --------------------------------------------------------------
def need_label(problem: Problem, c: Covered, names: bool = False) -> str:
    """``S02`` (student ids only unless ``names``), ``duty D1``, ``therapy T1``."""
    if c.kind in ("support", "flex"):
        if names:
            try:
                return f"{c.ref} ({problem.student(c.ref).name})"
            except KeyError:
                return c.ref
        return c.ref
    if c.kind == "duty":
        return f"duty {c.ref}"
    return f"therapy session {c.ref}"


def covered_text(problem: Problem, c: Covered, names: bool = False) -> str:
    """``S02 on Mon-Fri 11:00-13:00 (600 min, priority 1)``."""
    when = days_text(c.days) if c.days else "the week"
    spans = f" {', '.join(c.spans[:3])}" if c.spans else ""
    extra = " and other times" if len(c.spans) > 3 else ""
    flex = " flex" if c.kind == "flex" else ""
    return f"{need_label(problem, c, names)}{flex} on {when}{spans}{extra} ({c.minutes} min, priority {c.priority})"


def _minutes_by_priority(gained: tuple[int, int, int]) -> str:
    """``600 more minutes a week of critical (priority 1) needs and 30 of required (priority 2) needs``."""
    parts = [(g, priority_words(p)) for p, g in zip((1, 2, 3), gained, strict=True) if g > 0]
    first = f"{parts[0][0]} more minutes a week of {parts[0][1]} needs"
    rest = [f"{g} of {words} needs" for g, words in parts[1:]]
    return first if not rest else f"{first} and {' and '.join(rest)}"


def cost_text(e: Evaluation) -> str:
    if e.cost_minutes == 0:
        if any(c.kind == ChangeKind.TRAIN for c in e.changes):
            return "It adds no para hours (only the training)."
        return "It adds no para hours."
    return f"It adds {e.cost_hours:g} para-hours a week."


def sentence(problem: Problem, e: Evaluation, names: bool = False) -> str:
    """One plain paragraph a principal can forward."""
    action = " and ".join(label[0].lower() + label[1:] for label in e.labels)
    if not e.useful:
        return f"If we {action}: {verdict(e)}."
    g1, g2, g3 = (max(0, g) for g in e.gained)
    whom = "; ".join(covered_text(problem, c, names) for c in e.covered[:4])
    more = f" and {len(e.covered) - 4} more" if len(e.covered) > 4 else ""
    text = f"If we {action}, we would cover {_minutes_by_priority((g1, g2, g3))}: {whom}{more}. {cost_text(e)}"
    lost = [g for g in e.gained if g < 0]
    if lost:
        text += (
            f" In exchange, {-sum(lost)} minutes of lower-priority needs now covered would be left "
            f"uncovered ({'; '.join(covered_text(problem, c, names) for c in e.worse[:3])})."
        )
    return text


def _figures(e: Evaluation) -> str:
    parts = []
    for p, (b, a) in enumerate(zip(e.before, e.after, strict=True), start=1):
        if b or a:
            parts.append(f"P{p} {b - a:+d} min ({b} -> {a} uncovered)")
    return ", ".join(parts) or "nothing uncovered"


def report_lines(problem: Problem, advice: Advice, names: bool = False) -> list[str]:
    """The terminal report: the week as it is, each recommendation, the best combination."""
    ref = advice.reference
    lines = [
        "Uncovered now: "
        + ", ".join(f"priority {p} {m} min" for p, m in enumerate(ref.after, start=1))
        + f" (the schedule re-solved for {advice.time_limit:g} s, as every change is)."
    ]
    lines += list(advice.notes)
    n = len(advice.recommendations) + len(advice.not_recommended)
    lines.append(f"Evaluated {n} change(s) in {advice.seconds:.1f} s, {advice.jobs} at a time.")
    if not sum(ref.after):
        lines.append("Every need is covered: no staffing change is needed.")
    lines.append("")
    if advice.recommendations:
        lines.append("Recommendations (most critical minutes covered first; cost in para-hours a week):")
    elif sum(ref.after):
        lines.append("No change among those evaluated covers any more minutes.")
    for i, e in enumerate(advice.recommendations, start=1):
        lines += _evaluation_lines(problem, f"{i}.", e, names)
    if advice.combination is not None:
        c = advice.combination
        lines.append("")
        lines.append(
            f"Best combination of up to {advice.budget} changes ({advice.combination_method}, "
            f"{advice.combinations_tried} tried):"
        )
        lines += _evaluation_lines(problem, "*", c, names)
    elif advice.budget >= 2 and len(advice.recommendations) >= 2:
        lines.append("")
        lines.append(
            f"No combination of up to {advice.budget} changes covers more than recommendation 1 alone "
            f"({advice.combination_method}, {advice.combinations_tried} tried)."
        )
    if advice.not_recommended:
        lines.append("")
        lines.append("Also evaluated:")
        for e in advice.not_recommended:
            lines.append(f"  - {e.label}: {verdict(e)}")
    return lines


def verdict(e: Evaluation) -> str:
    """Why a change is (not) recommended, in a few words."""
    if e.useful:
        return "recommended"
    if e.error:
        return f"not evaluated: {e.error}"
    if e.violations:
        return f"not recommended: breaks a rule ({e.violations[0]})"
    if e.not_needed:
        return "not recommended: covers nothing the school cannot cover without it"
    return "not recommended: covers nothing more"


def _evaluation_lines(problem: Problem, mark: str, e: Evaluation, names: bool) -> list[str]:
    cost = "no extra para hours" if e.cost_minutes == 0 else f"{e.cost_hours:g} para-hours a week"
    out = [f"{mark} {e.label}", f"   covers: {_figures(e)}; cost: {cost}"]
    for c in e.covered[:6]:
        out.append(f"   + {covered_text(problem, c, names)}")
    if len(e.covered) > 6:
        out.append(f"   + {len(e.covered) - 6} more need(s)")
    for c in e.worse[:3]:
        out.append(f"   - now uncovered: {covered_text(problem, c, names)}")
    for r in e.reasons_removed[:MAX_REASONS]:
        out.append(f"   why it was uncovered: {r}")
    out.append(f'   "{sentence(problem, e, names)}"')
    return out


__all__ = [
    "Advice",
    "Covered",
    "Evaluation",
    "cost_text",
    "covered_text",
    "day_position",
    "need_label",
    "report_lines",
    "sentence",
    "verdict",
]
