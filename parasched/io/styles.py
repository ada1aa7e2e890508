"""Colors and print settings shared by the people's sheets."""

from __future__ import annotations

import functools

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

# Light fills with black text: readable on screen and in grey-scale print.
KIND_COLORS = {
    "1:1": "9DC3E6",  # blue
    "shared": "A9D08E",  # green
    "duty": "F4B183",  # orange
    "therapy": "C9B3E6",  # purple
    "lunch": "FFE699",  # yellow
    "break": "FFF5CC",  # pale yellow
}
KIND_NAMES = {
    "1:1": "Support 1:1",
    "shared": "Support shared / flex",
    "duty": "Duty",
    "therapy": "Therapy (assist/deliver)",
    "lunch": "Lunch",
    "break": "Break",
}
OFF_COLOR = "D0D0D0"  # outside the para's hours
ABSENT_COLOR = "8C8C8C"
UNCOVERED_COLOR = "FF7C80"
SHORT_COLOR = "FFC7CE"  # red-ish fill for shortfalls in tables
OK_COLOR = "E2EFDA"

TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(bold=True, size=11)
BOLD = Font(bold=True)
SMALL = Font(size=8)
SMALL_BOLD = Font(size=8, bold=True)
WHITE_SMALL = Font(size=8, color="FFFFFF", bold=True)
RED_BOLD = Font(bold=True, color="C00000")
GREEN_BOLD = Font(bold=True, color="375623")
GREY_ITALIC = Font(italic=True, color="808080")

CENTER = Alignment(horizontal="center", vertical="top")
CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top")
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
LEFT_CENTER = Alignment(horizontal="left", vertical="center", wrap_text=True)
REASON = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
LEFT_WRAP_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)

HAIR = Side(style="hair", color="BFBFBF")
THIN = Side(style="thin", color="808080")
MEDIUM = Side(style="medium", color="404040")
BLOCK_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@functools.cache
def fill(color: str) -> PatternFill:
    """One shared solid fill per color (shared objects make styling fast, see ``cells.apply_style``)."""
    return PatternFill("solid", fgColor=color)


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: str | None = None,
    title_cols: str | None = None,
    fit_width: bool = True,
    fit_height: bool = False,
) -> None:
    """Letter paper, narrow margins, one page wide (and one page tall with ``fit_height``), page
    numbers in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    if fit_width:
        assert ws.sheet_properties.pageSetUpPr is not None  # openpyxl creates it with every worksheet
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if fit_height else 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    assert ws.oddFooter is not None and ws.oddFooter.center is not None  # openpyxl creates it with every worksheet
    ws.oddFooter.center.text = "&A - page &P of &N"
    ws.oddFooter.center.size = 8
