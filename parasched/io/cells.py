"""Cell helpers shared by the writer's sheets: text stays text, tables get a header."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def put(ws: Worksheet, row: int, column: int, value: Any, **style: Any) -> Cell:
    """Write one cell. Strings are always stored as text: ``=SUM(A1)`` never becomes a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise turn a leading '=' into a formula
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def write_table(ws: Worksheet, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                widths: Mapping[str, float] | None = None, start_row: int = 1) -> int:
    """A header row and data rows; frozen header, autofilter, sensible widths. Returns the last row."""
    widths = dict(widths or {})
    for j, name in enumerate(columns, start=1):
        put(ws, start_row, j, name, font=HEADER_FONT, fill=HEADER_FILL)
    r = start_row
    for r, row in enumerate(rows, start=start_row + 1):
        for j, v in enumerate(row, start=1):
            if v is None or v == "":
                continue
            put(ws, r, j, v)
    for j, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, max(10, len(name) + 3))
    if start_row == 1:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(r, 1)}"
    return r


__all__ = ["BOX", "HEADER_FILL", "HEADER_FONT", "Alignment", "put", "write_table"]
