"""The Summary sheet: the first thing an administrator reads (unmet needs first)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.kpis import CONTINUITY_WEIGHTS, CROWDED_FROM_PRIORITY, CROWDED_WEEK_PARAS
from parasched.scheduler.model import PRIORITIES, PRIORITY_NAMES
from parasched.scheduler.schedule import SolveResult, Status

from .cells import HEADER_FILL, HEADER_FONT, put
from .kpi_view import summary_numbers
from .labels import Labels, fmt_minutes
from .styles import (
    BOLD,
    CENTER,
    GREEN_BOLD,
    GREY_ITALIC,
    LEFT,
    LEFT_WRAP,
    OK_COLOR,
    RED_BOLD,
    SHORT_COLOR,
    SUBTITLE_FONT,
    TITLE_FONT,
    fill,
    print_setup,
)

STATUS_TEXT = {
    Status.OPTIMAL: "optimal: proven the best schedule for these rules",
    Status.FEASIBLE: "a valid schedule; the time limit ended the search for a better one",
    Status.INFEASIBLE: "infeasible: no schedule satisfies the hard rules",
    Status.UNKNOWN: "unknown: no schedule found within the time limit",
}

TERM_TEXT = {
    "unmet_p1": "1. unmet critical minutes",
    "unmet_p2": "1. unmet required minutes",
    "unmet_p3": "1. unmet desirable minutes",
    "flex_short": "2. flex minutes short of targets",
    "substitute_minutes": "3. substitute work minutes",
    # continuity is weighed with coverage (README, "How it decides"): each at its weight in
    # priority-3 minutes
    "handoffs": f"1. handoffs (each as {CONTINUITY_WEIGHTS['handoffs']} desirable minutes)",
    "extra_paras": f"1. extra paras per student-day (each as {CONTINUITY_WEIGHTS['extra_paras']})",
    "extra_week_paras": (
        f"1. extra paras per student over the week (each as {CONTINUITY_WEIGHTS['extra_week_paras']}; "
        f"beyond {CROWDED_WEEK_PARAS}, twice for priority {CROWDED_FROM_PRIORITY}-3)"
    ),
    "duty_relays": f"1. relays on duties (a para for part of a duty; each as {CONTINUITY_WEIGHTS['duty_relays']})",
    "preferred_missed": "4. minutes not with a preferred para",
    "duty_spread": "5. duty minutes spread (max - min)",
    "lunch_variation": "5. lunch time changes",
    "changed_minutes": "changed minutes (resolve)",
}


def proof_text(result: SolveResult) -> str:
    """What the solver's bound says about the uncovered priority-1 minutes, in words (the raw
    objective, bound and gap are in the JSON output only)."""
    uncovered = result.term("unmet_p1")
    if uncovered is None and result.objective is not None:
        uncovered = int(result.objective)
    if result.gap is not None and result.gap == 0:
        if not uncovered:
            return "proven best: every priority-1 minute is covered"
        return f"proven best: no schedule under these rules leaves fewer than {uncovered} uncovered"
    if result.bound is None:
        return "not proven: the search gave no lower limit for this run"
    floor = max(0, int(result.bound))
    if floor == 0:
        return (
            f"not proven: {uncovered} uncovered; the search could not rule out covering them all (a longer "
            "--time-limit may find a better schedule)"
        )
    return (
        f"not proven: {uncovered} uncovered, and at least {floor} cannot be avoided (a longer --time-limit "
        "may find a better schedule)"
    )


UNMET_KINDS = (
    ("support", "Support min"),
    ("duty", "Duty staff-min"),
    ("therapy", "Therapy min"),
    ("flex", "Flex short min"),
)


def write_summary(ws: Worksheet, lb: Labels) -> None:
    problem, result = lb.problem, lb.result
    s = problem.settings
    nums = summary_numbers(problem, result.schedule, lb.grid)
    title = "Para schedule" + (f": {s.school_name}" if s.school_name else "")
    put(ws, 1, 1, title, font=TITLE_FONT)
    ws.row_dimensions[1].height = 22
    short = {p: sum(m for (q, _), m in nums.unmet_minutes.items() if q == p) for p in PRIORITIES}
    if any(short.values()):
        verdict = (
            "Uncovered: "
            + ", ".join(f"{short[p]} min {PRIORITY_NAMES[p]}" for p in PRIORITIES if short[p])
            + " (see Unmet)"
        )
        put(ws, 2, 1, verdict, font=RED_BOLD)
    else:
        put(ws, 2, 1, "Every need is covered.", font=GREEN_BOLD)
    r = 3

    def kv(key: str, value: object, fmt: str | None = None, font=None) -> None:
        nonlocal r
        put(ws, r, 1, key, font=BOLD)
        if value is not None and value != "":
            c = put(ws, r, 2, value)
            if fmt:
                c.number_format = fmt
            c.alignment = LEFT
            if font is not None:
                c.font = font
        r += 1

    def heading(text: str) -> None:
        nonlocal r
        r += 1
        put(ws, r, 1, text, font=SUBTITLE_FONT)
        r += 1

    def header(cols: list[str]) -> None:
        nonlocal r
        for j, c in enumerate(cols, start=1):
            put(ws, r, j, c, font=HEADER_FONT, fill=HEADER_FILL)
        r += 1

    kv("School", s.school_name)
    kv("Week of", s.week_of, "yyyy-mm-dd")
    kv("Days", ", ".join(s.days))
    kv(
        "Solver status",
        STATUS_TEXT.get(result.status, str(result.status)),
        font=RED_BOLD if result.status in (Status.INFEASIBLE, Status.UNKNOWN) else None,
    )
    kv("Priority-1 minutes", proof_text(result))
    kv("Solve time", f"{result.runtime:.0f} seconds")

    heading("Unmet needs by priority (look here first; details in the Unmet sheet)")
    header(["Priority", *(name for _, name in UNMET_KINDS), "Rows"])
    for p in PRIORITIES:
        put(ws, r, 1, f"{p} {PRIORITY_NAMES[p]}", font=BOLD)
        any_unmet = False
        for j, (kind, _) in enumerate(UNMET_KINDS, start=2):
            m = nums.unmet_minutes.get((p, kind), 0)
            any_unmet = any_unmet or m > 0
            put(
                ws,
                r,
                j,
                m,
                fill=fill(SHORT_COLOR) if m else fill(OK_COLOR),
                font=RED_BOLD if m and p == 1 else None,
                alignment=CENTER,
            )
        put(ws, r, len(UNMET_KINDS) + 2, nums.unmet_count.get(p, 0), alignment=CENTER)
        r += 1
    if not result.schedule.unmet:
        put(ws, r, 1, "Every need is covered.", font=GREY_ITALIC)
        r += 1

    heading("Coverage by priority (support, duty staff-minutes, therapy needing a para)")
    header(["Priority", "Required min", "Covered min", "Covered %"])
    for p in PRIORITIES:
        put(ws, r, 1, f"{p} {PRIORITY_NAMES[p]}", font=BOLD)
        put(ws, r, 2, nums.required[p], alignment=CENTER)
        put(ws, r, 3, nums.covered[p], alignment=CENTER)
        pct = nums.pct(p)
        if pct is None:
            put(ws, r, 4, "no needs", font=GREY_ITALIC)
        else:
            put(
                ws, r, 4, pct, fill=fill(OK_COLOR if pct >= 0.99995 else SHORT_COLOR), alignment=CENTER
            ).number_format = "0.0%"
        r += 1

    heading("Staff")
    duty = list(nums.duty_minutes.values())
    if duty:
        kv("Duty minutes per para (min / avg / max)", f"{min(duty)} / {round(sum(duty) / len(duty))} / {max(duty)}")
    else:
        kv("Duty minutes per para (min / avg / max)", "no para takes general duties")
    kv("Handoffs (student passed to another para)", nums.handoffs)
    kv("Relays on duties (another para for part of a duty)", nums.kpis.duty_relays)
    changes = result.schedule.changes
    if changes:
        kv(
            "Changes from the baseline",
            f"{len(changes)} change(s) for {len({c.para_id for c in changes})} "
            "para(s); outlined in red on the day grids, listed in Changes",
        )
    if nums.substitute_minutes:
        kv(
            "Substitutes used",
            ", ".join(f"{lb.para_full(pid)}: {fmt_minutes(m)}" for pid, m in nums.substitute_minutes.items()),
        )
    else:
        kv("Substitutes used", "none")

    heading("What the solver weighs, in order (lower is better; counted from this schedule)")
    header(["Measure", "Value"])
    terms = nums.kpis.objective_terms()
    for name in sorted(terms, key=lambda t: TERM_TEXT.get(t, "9")[:1]):  # by tier (stable within one)
        value = terms[name]
        put(ws, r, 1, TERM_TEXT.get(name, name))
        put(ws, r, 2, value, alignment=CENTER)
        r += 1

    heading("Minutes per para this week")
    header(["Para", "Work min", "Duty min", "Role"])
    for para in problem.paras:
        put(ws, r, 1, lb.para_full(para.para_id))
        put(ws, r, 2, nums.work_minutes.get(para.para_id, 0), alignment=CENTER)
        dm = nums.duty_minutes.get(para.para_id)
        if dm is None:
            put(ws, r, 3, "no duties" if not para.general_duties else "-", font=GREY_ITALIC, alignment=CENTER)
        else:
            put(ws, r, 3, dm, alignment=CENTER)
        put(ws, r, 4, str(para.role), alignment=CENTER)
        r += 1

    heading("Flex minutes against weekly targets")
    if nums.flex:
        header(["Student", "Target min", "Given min", "Short min"])
        for sid, (target, got) in nums.flex.items():
            put(ws, r, 1, lb.student_full(sid))
            put(ws, r, 2, target, alignment=CENTER)
            put(ws, r, 3, got, alignment=CENTER)
            short_min = max(0, target - got)
            put(ws, r, 4, short_min, fill=fill(SHORT_COLOR if short_min else OK_COLOR), alignment=CENTER)
            r += 1
    else:
        put(ws, r, 1, "No student has a weekly flex target.", font=GREY_ITALIC)
        r += 1

    heading("Sheets in this workbook")
    guide = [
        ("Summary", "this page"),
        *((d, f"{lb.day_title(d)}: grid of every para's day, colored by kind") for d in s.days),
        ("By Para", "each para's week, one page per para"),
        ("By Student", "each student's day: who supports them, minutes required vs covered"),
        ("Duties", "duty roster, shortfalls in red"),
        ("Therapy", "placed sessions by provider and by day"),
        ("Unmet", "every uncovered need with the reason (printed after Therapy)"),
        *((("Changes", "every difference from the baseline"),) if changes else ()),
        (
            "Assignments / Sessions",
            "machine-readable copy for parasched check and other tools (do not rename "
            "columns); last in the workbook and not needed on paper: print up to "
            "Unmet",
        ),
    ]
    for name, text in guide:
        put(ws, r, 1, name, font=BOLD)
        put(ws, r, 2, text)
        r += 1

    ws.column_dimensions["A"].width = 44
    for col in "BCDEF":
        ws.column_dimensions[col].width = 15
    for row in range(3, r):  # long values (the proof, the sheet guide) wrap inside B:F
        cell = ws.cell(row, 2)
        if isinstance(cell.value, str) and len(cell.value) > 40 and ws.cell(row, 3).value is None:
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
            cell.alignment = LEFT_WRAP
            ws.cell(row, 1).alignment = LEFT  # the label beside it stays on the first line
            ws.row_dimensions[row].height = 15 * -(-len(cell.value) // 80)
    print_setup(ws, landscape=False, fit_height=len(problem.paras) <= 30)  # one page while it stays readable
    ws.print_area = f"A1:F{r - 1}"
