"""Assemble the schedule workbook: Summary first, the people's sheets, then the contract sheets."""

from __future__ import annotations

from openpyxl import Workbook

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult


def build_workbook(problem: Problem, result: SolveResult, *, anonymize: bool = False, names: bool = True,
                   changes_sheet: bool = False) -> Workbook:
    from .sheets_summary import write_summary
    from .writer import write_contract_sheets

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    write_summary(ws, problem, result)
    write_contract_sheets(wb, problem, result, changes_sheet=changes_sheet)
    return wb
