"""One grid per school day: paras as rows, time across, one merged, colored cell per block."""

from __future__ import annotations

from collections import defaultdict

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.schedule import Kind
from parasched.scheduler.timegrid import fmt_time, intersect, merge, subtract

from .cells import apply_style, put
from .labels import Labels, span
from .styles import (
    ABSENT_COLOR,
    BOLD,
    CENTER_WRAP,
    HAIR,
    KIND_COLORS,
    KIND_NAMES,
    LEFT_CENTER,
    MEDIUM,
    OFF_COLOR,
    SMALL,
    SMALL_BOLD,
    THIN,
    TITLE_FONT,
    UNCOVERED_COLOR,
    WHITE_SMALL,
    fill,
    print_setup,
)

FIRST_TIME_COL = 3  # A: para, B: hours
HEADER_ROW = 3
FIRST_PARA_ROW = 4


def day_range(lb: Labels, day: str) -> tuple[int, int]:
    """From the earliest para start to the latest para end that day (assignments included)."""
    starts: list[int] = []
    ends: list[int] = []
    for p in lb.problem.paras:
        for s, e in lb.grid.para_hours(p.para_id, day):
            starts.append(s)
            ends.append(e)
    for a in lb.schedule.assignments:
        if a.day == day:
            starts.append(a.start)
            ends.append(a.end)
    if not starts:
        st = lb.problem.settings
        return st.school_start, st.school_end
    return min(starts), max(ends)


def write_day_grid(ws: Worksheet, lb: Labels, day: str) -> None:
    step = lb.problem.settings.time_step
    t0, t1 = day_range(lb, day)
    t0 -= t0 % step
    t1 += (-t1) % step
    n = (t1 - t0) // step
    last_col = FIRST_TIME_COL + n - 1

    def col(t: int) -> int:
        return FIRST_TIME_COL + (t - t0) // step

    title = f"{lb.day_title(day)} - para grid"
    if lb.problem.settings.school_name:
        title = f"{lb.problem.settings.school_name}: {title}"
    put(ws, 1, 1, title, font=TITLE_FONT)
    ws.row_dimensions[1].height = 22

    # legend (row 2)
    items = [(KIND_NAMES[k], KIND_COLORS[k], SMALL) for k in KIND_COLORS]
    items += [("Not working", OFF_COLOR, SMALL), ("Absent", ABSENT_COLOR, WHITE_SMALL),
              ("Uncovered need", UNCOVERED_COLOR, SMALL_BOLD)]
    changes = lb.schedule.changes
    put(ws, 2, 1, "Legend:", font=BOLD, alignment=LEFT_CENTER)
    width = max(2, min(12, n // (len(items) + (1 if changes else 0))))
    c = FIRST_TIME_COL
    text: str | None
    for text, color, font in items:
        put(ws, 2, c, text, fill=fill(color), font=font, alignment=CENTER_WRAP, border=BOX)
        _merge(ws, 2, c, c + width - 1)
        c += width
    if changes:
        _block(ws, 2, c, c + width - 1, "Changed", "FFFFFF", SMALL_BOLD, CHANGED_BOX)
    ws.row_dimensions[2].height = 24

    # time header (row 3): a label every 30 minutes
    put(ws, HEADER_ROW, 1, "Para", font=BOLD, alignment=LEFT_CENTER)
    put(ws, HEADER_ROW, 2, "Hours", font=BOLD, alignment=LEFT_CENTER)
    t = t0
    while t < t1:
        nxt = min(t1, t + 30 - t % 30)
        if t % 30 == 0 and nxt - t == 30:
            put(ws, HEADER_ROW, col(t), fmt_time(t), font=SMALL_BOLD, alignment=CENTER_WRAP)
        cstart, cend = col(t), col(nxt) - 1
        for cc in range(cstart, cend + 1):
            apply_style(ws.cell(HEADER_ROW, cc), {"border": HEAD_HOUR if cc == cstart and t % 60 == 0 else HEAD_TICK})
        if cend > cstart:
            _merge(ws, HEADER_ROW, cstart, cend)
        t = nxt

    # para rows
    by_para = defaultdict(list)
    for a in lb.schedule.assignments:
        if a.day == day:
            by_para[a.para_id].append(a)
    para_ids = [p.para_id for p in lb.problem.paras]
    para_ids += sorted(set(by_para) - set(para_ids))
    row = FIRST_PARA_ROW
    for pid in para_ids:
        _para_row(ws, lb, day, pid, row, t0, t1, col, sorted(by_para.get(pid, [])))
        row += 1

    # uncovered needs of the day, one row per need
    unmet = defaultdict(list)
    for u in lb.schedule.unmet:
        if u.day == day and u.start is not None and u.end is not None:
            unmet[(str(u.kind), u.ref)].append(u)
    if unmet:
        row += 1
        put(ws, row, 1, "Uncovered needs", font=BOLD)
        row += 1
        for (kind, ref), rows in sorted(unmet.items()):
            who = lb.student_full(ref) if kind in ("support", "flex") else (
                lb.duty_name(ref) if kind == "duty" else f"{lb.session_kind(ref)} ({ref})")
            put(ws, row, 1, f"{kind}: {who}", font=SMALL_BOLD, alignment=LEFT_CENTER)
            put(ws, row, 2, f"{sum(u.minutes for u in rows)} min", font=SMALL, alignment=LEFT_CENTER)
            done: list[tuple[int, int]] = []
            for u in sorted(rows, key=lambda u: u.start or 0):
                assert u.start is not None and u.end is not None
                for s, e in subtract([(max(u.start, t0), min(u.end, t1))], done):
                    w = (e - s) // step * col_width(step)
                    text = fit_label(f"{e - s} min", w, 2) or fit_label(str(e - s), w, 1)
                    _block(ws, row, col(s), col(e) - 1, text, UNCOVERED_COLOR, SMALL_BOLD)
                    done.append((s, e))
            ws.row_dimensions[row].height = 24
            row += 1

    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 11
    w = col_width(step)
    for cc in range(FIRST_TIME_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(cc)].width = w
    ws.freeze_panes = ws.cell(FIRST_PARA_ROW, FIRST_TIME_COL).coordinate
    print_setup(ws, landscape=True, title_rows=f"1:{HEADER_ROW}", title_cols="A:B")


LINES = 3  # a para row holds three lines of 8-point text
CHARS_PER_UNIT = 1.3  # 8-point characters per column-width unit (measured on LibreOffice renders)


def col_width(step: int) -> float:
    """Column width for one time step: a half hour is about ten characters wide."""
    return max(0.6, round(10.5 * step / 30, 2))


def fit_label(text: str, width_units: float, lines: int = LINES) -> str | None:
    """``text`` if it wraps into ``lines`` lines of the block's width without cutting a word, else None."""
    cap = int(width_units * CHARS_PER_UNIT - 0.8)  # less the cell padding
    if not text:
        return text
    if cap < 1:
        return None
    used, cur = 1, 0
    for word in text.split():
        if len(word) > cap:
            return None
        need = len(word) if cur == 0 else cur + 1 + len(word)
        if need <= cap:
            cur = need
        else:
            used += 1
            cur = len(word)
    return text if used <= lines else None


BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CHANGED_SIDE = Side(style="thick", color="C00000")
CHANGED_BOX = Border(left=CHANGED_SIDE, right=CHANGED_SIDE, top=CHANGED_SIDE, bottom=CHANGED_SIDE)
HEAD_HOUR = Border(left=MEDIUM, bottom=THIN)
HEAD_TICK = Border(left=HAIR, bottom=THIN)
CELL_HOUR = Border(left=MEDIUM, bottom=THIN, top=THIN)
CELL_TICK = Border(left=HAIR, bottom=THIN, top=THIN)


def _merge(ws: Worksheet, row: int, c0: int, c1: int) -> None:
    """Merge one row's cells c0..c1. Skips openpyxl's per-merge re-styling of the edge cells
    (very slow on big grids); the cells inside already carry the block's fill and border."""
    ws.merged_cells.ranges.add(CellRange(min_col=c0, min_row=row, max_col=c1, max_row=row))


def _block(ws: Worksheet, row: int, c0: int, c1: int, text: str | None, color: str, font: Font = SMALL,
           border: Border = BOX) -> None:
    if c1 < c0:
        return
    put(ws, row, c0, text, fill=fill(color), font=font, alignment=CENTER_WRAP, border=border)
    for cc in range(c0 + 1, c1 + 1):
        apply_style(ws.cell(row, cc), {"fill": fill(color), "border": border})
    if c1 > c0:
        _merge(ws, row, c0, c1)


def _para_row(ws: Worksheet, lb: Labels, day: str, pid: str, row: int, t0: int, t1: int, col, blocks) -> None:
    sub = pid in lb._paras and lb._paras[pid].is_substitute
    put(ws, row, 1, lb.para_full(pid) + (" - substitute" if sub else ""), font=SMALL_BOLD, alignment=LEFT_CENTER)
    hours = lb.grid.para_hours(pid, day) if pid in lb._paras else ()
    avail = lb.grid.para_available(pid, day) if pid in lb._paras else ()
    absent = intersect(hours, lb.grid.absent(pid, day)) if pid in lb._paras else ()
    put(ws, row, 2, ", ".join(span(s, e) for s, e in hours) if hours else "off", font=SMALL,
        alignment=LEFT_CENTER)
    ws.row_dimensions[row].height = 30
    step = lb.problem.settings.time_step

    # background: grey outside hours, dark grey while absent, hairlines on the time grid
    for t in range(t0, t1, step):
        inside = any(s <= t < e for s, e in avail)
        bg = None if inside else fill(ABSENT_COLOR if any(s <= t < e for s, e in absent) else OFF_COLOR)
        apply_style(ws.cell(row, col(t)), {"fill": bg, "border": CELL_HOUR if t % 60 == 0 else CELL_TICK})
    taken: list[tuple[int, int]] = []
    for s, e in absent:
        s, e = max(s, t0), min(e, t1)
        if e > s:
            _block(ws, row, col(s), col(e) - 1, "absent", ABSENT_COLOR, WHITE_SMALL)
            taken.append((s, e))
    if not hours and not blocks:
        _block(ws, row, col(t0), col(t1) - 1, "not working today", OFF_COLOR, SMALL)
        return
    for a in blocks:
        for s, e in subtract([(max(a.start, t0), min(a.end, t1))], taken):
            color = KIND_COLORS.get(lb.group_kind(a), "FFFFFF")
            font = SMALL_BOLD if a.kind in (Kind.LUNCH, Kind.BREAK) else SMALL
            ncols = (e - s) // step
            text = fit_label(lb.block_label(a), ncols * col_width(step))
            if text is None:
                text = fit_label(lb.block_short(a), ncols * col_width(step))
            changed = any(c.para_id == pid and c.day == day and c.start < e and s < c.end
                          for c in lb.schedule.changes)
            _block(ws, row, col(s), col(e) - 1, text, color, font, CHANGED_BOX if changed else BOX)
            if text != lb.block_label(a):
                tip = f"{lb.what(a)} {span(a.start, a.end)}: {lb.block_label(a)}"
                ws.cell(row, col(s)).comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", tip), "parasched", width=220,
                                                       height=60)
            taken = list(merge([*taken, (s, e)]))
    # time a change left free (e.g. a para moved off a student) is outlined too
    for c in lb.schedule.changes:
        if c.para_id != pid or c.day != day:
            continue
        for s, e in subtract([(max(c.start, t0), min(c.end, t1))], taken):
            ncols = (e - s) // step
            text = fit_label(f"was {c.before}", ncols * col_width(step))
            _block(ws, row, col(s), col(e) - 1, text, "FFFFFF", SMALL, CHANGED_BOX)
            taken = list(merge([*taken, (s, e)]))
