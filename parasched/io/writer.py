"""Write a schedule workbook: the sheets people read and print, then the machine contract sheets.

Contract sheets (``Assignments``, ``Sessions``, ``Unmet``, ``Changes``) follow
``docs/workbook.md`` exactly (``sheets_contract.py``); every other sheet is for people.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult

from .files import atomic_output
from .json_out import schedule_to_json
from .sheets import build_workbook
from .sheets_contract import ASSIGNMENT_COLUMNS, CHANGE_COLUMNS, SESSION_COLUMNS, UNMET_COLUMNS


def write_schedule(
    path: str | Path,
    problem: Problem,
    result: SolveResult,
    *,
    inputs: Sequence[str | Path] = (),
    anonymize: bool = False,
    json_path: str | Path | None = None,
    names: bool = True,
    changes_sheet: bool = False,
) -> None:
    """Write the schedule workbook to ``path`` (atomically: a crash leaves no half workbook).

    ``inputs`` are the files read to build ``problem``; the target may not be one of them.
    ``anonymize`` writes student initials + ids instead of names; ``names=False`` writes ids only.
    ``changes_sheet`` forces a Changes sheet even when there are no changes (resolve).
    ``json_path`` also writes the schedule as JSON there.
    """
    with contextlib.ExitStack() as stack:
        # both targets are checked (folder, lock, not an input) before anything is written
        tmp = stack.enter_context(atomic_output(Path(path), inputs=inputs))
        json_tmp = (
            stack.enter_context(atomic_output(Path(json_path), inputs=(*inputs, path)))
            if json_path is not None
            else None
        )
        wb = build_workbook(problem, result, anonymize=anonymize, names=names, changes_sheet=changes_sheet)
        wb.save(tmp)
        if json_tmp is not None:
            data = schedule_to_json(problem, result, anonymize=anonymize)
            json_tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


__all__ = ["ASSIGNMENT_COLUMNS", "CHANGE_COLUMNS", "SESSION_COLUMNS", "UNMET_COLUMNS", "write_schedule"]
