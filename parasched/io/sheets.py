"""Assemble the schedule workbook: Summary first, the people's sheets, then the contract sheets."""

from __future__ import annotations

from typing import cast

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult

from .labels import Labels
from .sheets_contract import write_contract_sheets
from .sheets_grid import write_day_grid
from .sheets_people import write_by_para, write_by_student
from .sheets_roster import write_duties, write_therapy
from .sheets_summary import write_summary


def build_workbook(
    problem: Problem, result: SolveResult, *, anonymize: bool = False, names: bool = True, changes_sheet: bool = False
) -> Workbook:
    """Summary, one grid per day, By Para, By Student, Duties, Therapy, then the contract sheets."""
    lb = Labels(problem, result, anonymize=anonymize, names=names)
    wb = Workbook()
    ws = cast(Worksheet, wb.active)  # a new Workbook's one sheet is a Worksheet
    ws.title = "Summary"
    write_summary(ws, lb)
    for day in problem.settings.days:
        write_day_grid(wb.create_sheet(day), lb, day)
    write_by_para(wb.create_sheet("By Para"), lb)
    write_by_student(wb.create_sheet("By Student"), lb)
    write_duties(wb.create_sheet("Duties"), lb)
    write_therapy(wb.create_sheet("Therapy"), lb)
    write_contract_sheets(wb, problem, result, changes_sheet=changes_sheet)
    return wb
