"""The advice workbook written by ``parasched advise -o advice.xlsx``.

Sheet ``Advice`` (for people, printable): what is uncovered now, then one row per recommended
change, best first, with the minutes it covers per priority, its cost in para-hours a week,
what it covers (needs and days), why (the Unmet reasons it removes) and a sentence a principal
can forward; the best combination (``--budget``) below them. Sheet ``Candidates``: every change
re-solved, recommended or not, as a plain table for filters and other tools. Students are named
by id unless names are asked for (confidential).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.advice import Advice, Evaluation, covered_text, sentence, verdict
from parasched.scheduler.model import Problem

from .cells import apply_style, put, write_table
from .files import atomic_output
from .styles import BOLD, GREY_ITALIC, OK_COLOR, SHORT_COLOR, SUBTITLE_FONT, TITLE_FONT, WRAP_TOP, fill, print_setup

ADVICE_COLUMNS = (
    "rank",
    "change",
    "kind",
    "para_hours_per_week",
    "p1_minutes_gained",
    "p2_minutes_gained",
    "p3_minutes_gained",
    "p1_left",
    "p2_left",
    "p3_left",
    "covers",
    "why",
    "also_uncovers",
    "sentence",
)
CANDIDATE_COLUMNS = (
    "change",
    "kind",
    "para_hours_per_week",
    "p1_minutes_gained",
    "p2_minutes_gained",
    "p3_minutes_gained",
    "verdict",
    "seconds",
)
WIDTHS = {"rank": 7, "change": 40, "kind": 12, "covers": 48, "why": 60, "also_uncovers": 30, "sentence": 70}


def _kind(e: Evaluation) -> str:
    return " + ".join(str(c.kind) for c in e.changes)


def _row(problem: Problem, rank: str, e: Evaluation, names: bool) -> list[object]:
    g1, g2, g3 = e.gained
    a1, a2, a3 = e.after
    return [
        rank,
        e.label,
        _kind(e),
        round(e.cost_hours, 2),
        g1,
        g2,
        g3,
        a1,
        a2,
        a3,
        "\n".join(covered_text(problem, c, names) for c in e.covered),
        "\n".join(e.reasons_removed),
        "\n".join(covered_text(problem, c, names) for c in e.worse),
        sentence(problem, e, names),
    ]


def build_advice_workbook(problem: Problem, advice: Advice, *, names: bool = False) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Advice"
    title = "Staffing advice"
    if problem.settings.school_name:
        title += f" - {problem.settings.school_name}"
    put(ws, 1, 1, title, font=TITLE_FONT)
    now = ", ".join(f"priority {p}: {m} min" for p, m in enumerate(advice.reference.after, start=1))
    put(
        ws,
        2,
        1,
        f"Uncovered a week now: {now}. Each change was applied to the school and the week re-solved "
        f"({advice.time_limit:g} s each, warm-started from the schedule); figures are minutes a week.",
        font=GREY_ITALIC,
    )
    for i, note in enumerate(advice.notes):
        put(ws, 3 + i, 1, note, font=GREY_ITALIC)
    top = 4 + len(advice.notes)
    rows = [_row(problem, str(i), e, names) for i, e in enumerate(advice.recommendations, start=1)]
    if not rows:
        put(
            ws,
            top,
            1,
            "No change among those evaluated covers any more minutes."
            if sum(advice.reference.after)
            else "Every need is covered: no staffing change is needed.",
            font=BOLD,
        )
        last = top
    else:
        last = write_table(ws, ADVICE_COLUMNS, rows, widths=WIDTHS, start_row=top)
        _style_rows(ws, top + 1, last, tint=OK_COLOR)
    if advice.combination is not None:
        r = last + 2
        put(
            ws,
            r,
            1,
            f"Best combination of up to {advice.budget} changes ({advice.combination_method}, "
            f"{advice.combinations_tried} tried)",
            font=SUBTITLE_FONT,
        )
        last = write_table(
            ws, ADVICE_COLUMNS, [_row(problem, "combo", advice.combination, names)], widths=WIDTHS, start_row=r + 1
        )
        _style_rows(ws, r + 2, last, tint=OK_COLOR)
    elif advice.budget >= 2 and len(advice.recommendations) >= 2:
        put(
            ws,
            last + 2,
            1,
            f"No combination of up to {advice.budget} changes covers more than change 1 alone "
            f"({advice.combination_method}, {advice.combinations_tried} tried).",
            font=BOLD,
        )
    ws.freeze_panes = f"A{top + 1}" if rows else None
    print_setup(ws, landscape=True, title_rows=f"{top}:{top}" if rows else None)

    cs = wb.create_sheet("Candidates")
    evaluated = [*advice.recommendations, *advice.not_recommended]
    crow = [[e.label, _kind(e), round(e.cost_hours, 2), *e.gained, verdict(e), round(e.seconds, 1)] for e in evaluated]
    end = write_table(cs, CANDIDATE_COLUMNS, crow, widths={"change": 50, "verdict": 50})
    for r in range(2, end + 1):
        if cs.cell(r, 7).value != "recommended":
            apply_style(cs.cell(r, 7), {"fill": fill(SHORT_COLOR)})
    print_setup(cs, landscape=True, title_rows="1:1")
    return wb


def _style_rows(ws: Worksheet, first: int, last: int, *, tint: str) -> None:
    for r in range(first, last + 1):
        lines = max(
            (
                str(ws.cell(r, c).value or "").count("\n") + 1 + len(str(ws.cell(r, c).value or "")) // 70
                for c in range(1, len(ADVICE_COLUMNS) + 1)
            ),
            default=1,
        )
        ws.row_dimensions[r].height = min(400, 15 * lines)
        for c in range(1, len(ADVICE_COLUMNS) + 1):
            apply_style(ws.cell(r, c), {"alignment": WRAP_TOP})
        apply_style(ws.cell(r, 2), {"fill": fill(tint)})


def write_advice(
    path: str | Path, problem: Problem, advice: Advice, *, inputs: Sequence[str | Path] = (), names: bool = False
) -> None:
    """Write the advice workbook atomically (never over an input, never half a file)."""
    with atomic_output(Path(path), inputs=inputs) as tmp:
        build_advice_workbook(problem, advice, names=names).save(tmp)


__all__ = ["ADVICE_COLUMNS", "CANDIDATE_COLUMNS", "build_advice_workbook", "write_advice"]
