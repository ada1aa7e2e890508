"""The district workbooks: the substitute pool read from ``district.xlsx`` (sheet Substitutes), and
the ``district.xlsx`` summary a batch writes (built with pandas).

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
from typing import TYPE_CHECKING, Any

from parasched.scheduler.errors import InputError, Issue, Source, column_letter
from parasched.workflows.district import Substitute, school_key

from .cells import CellError, is_blank, parse_days, parse_list, parse_tags, parse_text, parse_time

if TYPE_CHECKING:
    from parasched.workflows.batch import BatchReport

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


def summary_frames(report: BatchReport) -> dict[str, Any]:
    """The summary's sheets as pandas DataFrames: Schools, Errors, Substitutes, Run."""
    import pandas as pd

    from parasched.workflows.batch import SOLVED

    rows = []
    for first in report.outcomes:
        o = report.final(first.school)
        row: dict[str, Any] = {"school": o.school, "status": o.status, "schedule": o.output}
        row |= {"paras": o.paras, "students": o.students}
        for p in (1, 2, 3):
            row[f"P{p} required min"] = o.required[p - 1]
            row[f"P{p} covered min"] = o.covered[p - 1]
            row[f"P{p} covered %"] = round(o.covered_percent(p), 2) if o.status == SOLVED else None
        for p in (1, 2, 3):
            row[f"P{p} unmet min"] = o.unmet[p - 1]
        row["unmet min"] = sum(o.unmet)
        row["handoffs"] = o.handoffs
        row["substitute min"] = o.substitute_minutes
        row["substitutes used"] = ", ".join(o.substitutes_used)
        row["district substitutes"] = ", ".join(o.placed)
        row["unmet min before district substitutes"] = sum(first.unmet) if o is not first else None
        row["rules broken"] = o.violations
        row["warnings"] = o.warnings
        row["errors"] = len(first.errors) + (len(o.errors) if o is not first else 0)
        row["solver status"] = o.solver_status
        row["seconds"] = round(o.seconds, 1)
        row["resumed"] = "yes" if o.school in report.skipped else ""
        rows.append(row)
    schools = pd.DataFrame(rows)
    errors = pd.DataFrame(
        [
            {"school": o.school, "status": o.status, "problem": e}
            for o in (*report.outcomes, *report.resolves)
            for e in o.errors
        ],
        columns=["school", "status", "problem"],
    )
    subs = pd.DataFrame(
        [
            {
                "substitute_id": p.substitute_id,
                "day": p.day,
                "school": p.school,
                "P1 min they could cover": p.minutes[0],
                "P2 min they could cover": p.minutes[1],
                "P3 min they could cover": p.minutes[2],
            }
            for p in report.placements
        ],
        columns=[
            "substitute_id",
            "day",
            "school",
            "P1 min they could cover",
            "P2 min they could cover",
            "P3 min they could cover",
        ],
    )
    counts = schools["status"].value_counts() if len(schools) else pd.Series(dtype=int)
    run = pd.DataFrame(
        [
            ("engine", report.engine),
            ("schools", len(report.outcomes)),
            *((f"schools {status}", int(n)) for status, n in counts.items()),
            ("unchanged since the last run (not solved again)", len(report.skipped)),
            ("district substitutes placed (substitute-days)", len(report.placements)),
        ],
        columns=["what", "value"],
    )
    return {"Schools": schools, "Errors": errors, "Substitutes": subs, "Run": run}


def write_district_summary(path: Path, report: BatchReport, *, inputs: Sequence[Path] = ()) -> None:
    """Write ``district.xlsx`` (atomically): one row per school, then the errors, the substitutes
    placed and how the run went. Text is stored as text, never as a formula."""
    import pandas as pd

    from parasched.io.files import atomic_output

    frames = summary_frames(report)
    with atomic_output(path, inputs=inputs) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "B2"
            for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
                for c in col:
                    if c.data_type == "f":  # a school or message starting with '=' stays text
                        c.data_type = "s"
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
