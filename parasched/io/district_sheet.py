"""The district workbook's substitute pool, read from ``district.xlsx`` (sheet Substitutes); the
summary a batch writes is in ``workflows/batch.py``.

Substitutes sheet (one row per substitute; the header is the first of the top 10 rows naming
``substitute_id``; other columns are ignored):

| column | required | meaning |
|---|---|---|
| substitute_id | yes | unique id (not the id of a para of a school they may go to) |
| name | no | shown on the schedules (blank = the id) |
| skills | no | tags, as in Paras |
| gender | no | compared for students with ``gender_match`` |
| days | no | days they can work (blank = every day) |
| start, end | no | their hours (blank = each school's school day) |
| schools | no | the schools they can reach: file names without .xlsx (blank = every school) |
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parasched.scheduler.district import Substitute, school_key
from parasched.scheduler.errors import InputError, Issue, Source, column_letter

from .cells import CellError, is_blank, parse_days, parse_list, parse_tags, parse_text, parse_time

SHEET = "Substitutes"
COLUMNS = ("substitute_id", "name", "skills", "gender", "days", "start", "end", "schools")
HEADER_ROWS = 10


def _norm(text: Any) -> str:
    """A header as a column name: lower case, a bracketed hint dropped, inner spaces as ``_``."""
    t = re.sub(r"[\(\[].*?[\)\]]", "", str(text or "")).strip().lower()
    return re.sub(r"\s+", "_", t)


def _stem(name: str) -> str:
    return Path(name).stem if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") else name


def read_substitutes(path: Path, schools: Sequence[str]) -> tuple[Substitute, ...]:
    """The district's substitutes; ``schools`` are the names of the schools in the batch (a
    substitute's ``schools`` must name them). Raises ``InputError`` listing every problem, each
    at its sheet, row and column. A workbook without a Substitutes sheet has no substitutes."""
    from openpyxl import load_workbook

    from parasched.io.files import check_input_file

    check_input_file(path)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        title = next((t for t in wb.sheetnames if t.strip().lower() == SHEET.lower()), None)
        if title is None:
            return ()
        rows = [tuple(r) for r in wb[title].iter_rows(values_only=True)]
    finally:
        wb.close()
    where = f"{path.name}: {SHEET}"
    header_at = next((i for i, r in enumerate(rows[:HEADER_ROWS]) if "substitute_id" in {_norm(c) for c in r}), None)
    if header_at is None:
        raise InputError(
            [
                Issue(
                    f"no header row naming substitute_id in the top {HEADER_ROWS} rows; expected the "
                    "columns " + ", ".join(COLUMNS),
                    where,
                )
            ]
        )
    cols = {_norm(c): i for i, c in enumerate(rows[header_at]) if _norm(c) in COLUMNS}
    letters = tuple((name, column_letter(i)) for name, i in cols.items())
    known = {school_key(s): s for s in schools}
    issues: list[Issue] = []
    subs: list[Substitute] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(rows[header_at + 1 :]):
        if all(is_blank(v) for v in row):
            continue
        excel_row = header_at + 2 + offset
        src = Source(SHEET, excel_row, letters, path.name)

        def cell(name: str, row: tuple[Any, ...] = row) -> Any:
            i = cols.get(name)
            return row[i] if i is not None and i < len(row) else None

        def bad(name: str, text: str, src: Source = src) -> None:
            issues.append(Issue(text, f"{path.name}: {src.cell(name)}"))

        sid = parse_text(cell("substitute_id"))
        if not sid:
            bad("substitute_id", "is blank; expected the substitute's id")
            continue
        if sid.lower() in seen:
            bad("substitute_id", f"'{sid}' is already the id of row {seen[sid.lower()]}; expected unique ids")
            continue
        seen[sid.lower()] = excel_row
        try:
            days = parse_days(cell("days")) or ()
        except CellError as exc:
            bad("days", exc.text)
            days = ()
        times: dict[str, int | None] = {}
        unreadable = False  # a time already reported: no second message about the pair
        for name in ("start", "end"):
            try:
                times[name] = parse_time(cell(name))
            except CellError as exc:
                bad(name, exc.text)
                times[name] = None
                unreadable = True
        if unreadable:
            pass
        elif (times["start"] is None) != (times["end"] is None):
            bad(
                "end" if times["end"] is None else "start",
                "is blank while the other of start/end is given; expected both, or neither (the school day)",
            )
        elif times["start"] is not None and times["end"] is not None and times["end"] <= times["start"]:
            bad("end", "is not after start; expected the end of the substitute's hours")
        reach: list[str] = []
        for name in parse_list(cell("schools")):
            if school_key(name) in known:
                reach.append(school_key(name))
            else:
                bad(
                    "schools",
                    f"'{name}' is not a school of this batch; expected one of "
                    + ", ".join(sorted(_stem(s) for s in schools)),
                )
        subs.append(
            Substitute(
                sid,
                parse_text(cell("name")),
                parse_tags(cell("skills")),
                parse_text(cell("gender")).lower(),
                tuple(days),
                times["start"],
                times["end"],
                tuple(reach),
                src,
            )
        )
    if issues:
        raise InputError(issues)
    return tuple(subs)
