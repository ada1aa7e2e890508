"""One coordinator's session of the web page: open files, solve or re-plan in the background, and
the day as the page shows it. No web framework here: ``parasched/web/app.py`` is a thin layer on top.

A session owns a private temporary folder; every upload and every download is written there and
nowhere else, and the folder is removed when the session ends (``close``). Uploads go through the
same reader and file-safety checks as the command line (``io/reader.py``, ``io/files.py``).

Solving and re-planning run in one background thread per session, through the same workflows as
``parasched solve`` and ``parasched resolve``; the page polls :meth:`Session.job_status` to show
progress. A failure becomes messages on the page, never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import re
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parasched.io.absence_args import absences_from_args
from parasched.io.files import MAX_FILE_BYTES
from parasched.io.labels import Labels
from parasched.scheduler.deadline import RESOLVE_DEFAULT_SECONDS
from parasched.scheduler.errors import InputError, Issue
from parasched.scheduler.model import Absence, Problem
from parasched.scheduler.schedule import Kind, Schedule, SolveResult, Status, UnmetKind
from parasched.scheduler.timegrid import DAYS, Interval, fmt_span, fmt_time, intersect, merge, subtract
from parasched.solver.options import Progress, SolverOptions
from parasched.workflows import resolve as rs

log = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".numbers", ".xltx")
SUB_NOT_CALLED = "substitute not called in"  # the reason of the absence that keeps an uncalled substitute out


class UploadTooLarge(InputError):
    """An upload over the size limit (refused before it is read)."""


# -- the records shown on the page ----------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    """A message box on the page: ``level`` info, ok or error; ``lines`` the located details."""

    level: str
    text: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A schedule the page shows, with the problem it must pass (absences applied)."""

    problem: Problem
    result: SolveResult
    source: str  # "uploaded", "solved", "re-planned"
    outcome: rs.ResolveOutcome | None = None
    marks: Marks | None = None
    violations: tuple[str, ...] = ()
    serial: int = 0

    @property
    def schedule(self) -> Schedule:
        return self.result.schedule


@dataclass(frozen=True)
class Marks:
    """Who is out today, as ticked on the page: ``paras`` and ``students`` map an id to a time
    range (None = the whole day); ``substitutes`` are the substitutes called in."""

    day: str
    paras: tuple[tuple[str, Interval | None], ...] = ()
    students: tuple[tuple[str, Interval | None], ...] = ()
    substitutes: tuple[str, ...] = ()

    def out(self, person_id: str) -> tuple[bool, Interval | None]:
        for pid, span in (*self.paras, *self.students):
            if pid == person_id:
                return True, span
        return False, None


@dataclass(frozen=True)
class JobStatus:
    """What the page's progress bar shows while a solve or re-plan runs."""

    kind: str  # "solve" or "replan"
    running: bool
    elapsed: float
    limit: float
    stage: str = ""
    covered: tuple[float, float, float] | None = None
    handoffs: int | None = None
    error: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Block:
    """One colored block of a grid row; ``left``/``width`` in percent of the day shown."""

    left: float
    width: float
    css: str  # one, shared, duty, therapy, lunch, break, off, absent, need-one, need-shared, unmet, changed
    text: str = ""
    title: str = ""


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str
    hours: str
    blocks: tuple[Block, ...]
    changed: bool = False
    note: str = ""


@dataclass(frozen=True)
class DayView:
    """The day as the Excel day sheet draws it, plus a student view and the unmet needs."""

    day: str
    title: str
    ticks: tuple[tuple[float, str, bool], ...]  # (left %, label, full hour)
    paras: tuple[GridRow, ...]
    students: tuple[GridRow, ...]
    unmet: tuple[str, ...]
    week_unmet: tuple[str, ...]
    changes: tuple[str, ...]
    coverage: tuple[tuple[int, int, float], ...]  # (priority, required minutes, percent covered)
    uncovered: tuple[GridRow, ...] = ()  # the day sheet's "Uncovered needs" band: one row per need


# -- kind names and colors: the workbook's (io/styles.py) ------------------------------------------
CSS_OF_KIND = {
    "1:1": "one",
    "shared": "shared",
    "duty": "duty",
    "therapy": "therapy",
    "lunch": "lunch",
    "break": "break",
}
PX_PER_CHAR = 6.5  # 12-px text in a block
TRACK_PX = 1000  # the day's width in pixels on a 1366-px screen (for choosing long or short labels)


def _fit(long: str, short: str, minutes: int, day_minutes: int) -> str:
    room = TRACK_PX * minutes / max(1, day_minutes) / PX_PER_CHAR - 1
    if len(long) <= room:
        return long
    return short if len(short) <= room else ""


# -- the session ----------------------------------------------------------------------------------
@dataclass
class _Job:
    kind: str
    limit: float
    started: float = field(default_factory=time.monotonic)
    stop: threading.Event = field(default_factory=threading.Event)
    progress: Progress | None = None
    finished: float | None = None
    error: bool = False
    thread: threading.Thread | None = None


class Session:
    """One person's files, schedules and background job (see the module docstring)."""

    def __init__(self, *, time_limit: float = RESOLVE_DEFAULT_SECONDS, workers: int = 2, names: bool = True) -> None:
        self.id = secrets.token_urlsafe(24)
        self.folder = Path(tempfile.mkdtemp(prefix="parasched-web-"))
        self.time_limit = time_limit
        self.workers = workers
        self.names = names
        self.last_used = time.monotonic()
        self.lock = threading.RLock()
        self.input_name = ""
        self.problem: Problem | None = None
        self.warnings: tuple[Issue, ...] = ()
        self.baseline: Plan | None = None  # what a re-plan starts from: uploaded or solved
        self.current: Plan | None = None  # what the page shows
        self.messages: list[Message] = []
        self.validation: tuple[str, tuple[str, ...]] | None = None  # (file name, validate lines)
        self._job: _Job | None = None
        self.pending: Marks | None = None
        self._serial = 0

    # -- files ----------------------------------------------------------------------------------
    def _save(self, stem: str, filename: str, data: bytes) -> Path:
        """Write an upload into the session folder under a fixed name (the user's name is never a path)."""
        if len(data) > MAX_FILE_BYTES:
            raise UploadTooLarge(
                [
                    Issue(
                        f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; check it is the right file",
                        _display_name(filename),
                    )
                ]
            )
        if not data:
            raise InputError([Issue("is empty; choose the workbook file (.xlsx)", _display_name(filename))])
        suffix = Path(filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise InputError(
                [
                    Issue(
                        f"'{suffix or 'no extension'}' is not a workbook; expected an Excel workbook (.xlsx)",
                        _display_name(filename),
                    )
                ]
            )
        path = self.folder / f"{stem}{suffix}"
        path.write_bytes(data)
        return path

    def open_input(self, filename: str, data: bytes) -> None:
        """Read an input workbook; on success it replaces the session's input and schedules."""
        from parasched.io.reader import read_problem

        path = self._save("input", filename, data)
        try:
            read = read_problem(path)
        except InputError as exc:
            raise _named(exc, filename) from None
        finally:
            path.unlink(missing_ok=True)  # what was read lives in memory; keep no copy of student data
        with self.lock:
            self.input_name = _display_name(filename)
            self.problem = read.problem
            self.warnings = read.warnings
            self.baseline = self.current = None
            self.validation = None

    def validate(self, filename: str, data: bytes) -> tuple[str, ...]:
        """``parasched validate`` on an upload: the summary, warnings and capacity lines."""
        from parasched.io.reader import read_problem
        from parasched.io.report import validate_lines
        from parasched.scheduler.capacity import capacity_map

        path = self._save("check", filename, data)
        try:
            read = read_problem(path)
        except InputError as exc:
            raise _named(exc, filename) from None
        finally:
            path.unlink(missing_ok=True)
        lines = tuple(validate_lines(_display_name(filename), read, capacity_map(read.problem)))
        with self.lock:
            self.validation = (_display_name(filename), lines)
        return lines

    def open_baseline(self, filename: str, data: bytes) -> None:
        """Read a schedule workbook as the day's baseline; it must belong to the open input."""
        from parasched.io.schedule_reader import read_schedule
        from parasched.scheduler.check import check_schedule

        problem = self._need_problem()
        path = self._save("baseline", filename, data)
        try:
            schedule = read_schedule(path)
        except InputError as exc:
            raise _named(exc, filename) from None
        finally:
            path.unlink(missing_ok=True)
        issues = rs.baseline_issues(problem, schedule)
        if issues:
            raise _named(InputError(issues), filename)
        report = check_schedule(problem, schedule, names=False)
        plan = Plan(
            problem,
            SolveResult(Status.FEASIBLE, schedule),
            "uploaded",
            violations=tuple(str(v) for v in report.violations),
            serial=self._next(),
        )
        with self.lock:
            self.baseline = self.current = plan

    def _read_absences(self, filename: str, data: bytes) -> tuple[Absence, ...]:
        from parasched.io.reader import read_absences

        path = self._save("absences", filename, data)
        try:
            return read_absences(path)
        except InputError as exc:
            raise _named(exc, filename) from None
        finally:
            path.unlink(missing_ok=True)

    def _need_problem(self) -> Problem:
        if self.problem is None:
            raise InputError([Issue("open the input workbook first")])
        return self.problem

    def _next(self) -> int:
        with self.lock:
            self._serial += 1
            return self._serial

    # -- background work --------------------------------------------------------------------------
    def job_status(self) -> JobStatus | None:
        with self.lock:
            job = self._job
        if job is None:
            return None
        end = job.finished if job.finished is not None else time.monotonic()
        p = job.progress
        return JobStatus(
            job.kind,
            job.finished is None,
            round(end - job.started, 1),
            job.limit,
            p.stage if p else "",
            p.covered_percent if p else None,
            p.handoffs if p else None,
            job.error,
        )

    @property
    def busy(self) -> bool:
        with self.lock:
            return self._job is not None and self._job.finished is None

    def stop(self) -> None:
        """Ask the running solve to return its best schedule now."""
        with self.lock:
            if self._job is not None:
                self._job.stop.set()

    def _options(self, job: _Job) -> SolverOptions:
        def on_progress(p: Progress) -> None:
            job.progress = p  # one reference swap: cheap from the solver's thread

        return SolverOptions(time_limit=job.limit, workers=self.workers, stop=job.stop, on_progress=on_progress)

    def _start(self, kind: str, limit: float | None, work: Any) -> None:
        with self.lock:
            if self.busy:
                raise InputError([Issue("a solve is already running; wait for it or press Stop")])
            job = _Job(kind, float(limit or self.time_limit))
            self._job = job

        def run() -> None:
            try:
                work(job)
            except InputError as exc:
                job.error = True
                self._say(Message("error", _what_failed(kind), tuple(str(i) for i in exc.issues)))
            except Exception as exc:  # a failed solve is a message on the page, never a traceback
                job.error = True
                log.error("%s failed: %s", kind, exc.__class__.__name__, exc_info=log.isEnabledFor(logging.DEBUG))
                self._say(
                    Message(
                        "error",
                        _what_failed(kind),
                        (f"{exc.__class__.__name__}: {exc}", "Nothing was changed; try again, or a longer time limit."),
                    )
                )
            finally:
                job.finished = time.monotonic()

        job.thread = threading.Thread(target=run, name=f"parasched-{kind}-{self.id[:6]}", daemon=True)
        job.thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background job (if any) ends (tests, shutdown)."""
        with self.lock:
            job = self._job
        if job is not None and job.thread is not None:
            job.thread.join(timeout)

    def start_solve(self, limit: float | None = None) -> None:
        """Solve the week from the input (the baseline when none was uploaded)."""
        from parasched.workflows.solve import solve

        problem = self._need_problem()

        def work(job: _Job) -> None:
            result = solve(problem, self._options(job))
            if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
                raise InputError(
                    [Issue(f"no schedule found ({result.status}) within {job.limit:g} s; try a longer time limit")]
                )
            plan = Plan(problem, result, "solved", serial=self._next())
            with self.lock:
                self.baseline = self.current = plan
            self._say(Message("ok", f"Solved the week in {time.monotonic() - job.started:.1f} s ({result.status})."))

        self._start("solve", limit, work)

    def absences(self, marks: Marks) -> tuple[Absence, ...]:
        """Absence records for the ticks, through the command line's ``--absent`` parser (same
        messages); substitutes not called in are kept out of the day."""
        problem = self._need_problem()
        values = [_absent_arg(pid, span) for pid, span in (*marks.paras, *marks.students)]
        out = list(absences_from_args(values, (marks.day,), problem))
        called = set(marks.substitutes)
        for p in problem.paras:
            if p.is_substitute and p.para_id not in called and not marks.out(p.para_id)[0]:
                out.append(Absence(p.para_id, (marks.day,), None, None, reason=SUB_NOT_CALLED))
        return tuple(out)

    def start_replan(
        self, marks: Marks, limit: float | None = None, absences_file: tuple[str, bytes] | None = None
    ) -> None:
        """Re-plan ``marks.day`` of the baseline with these people out (``parasched resolve``);
        ``absences_file`` (name, bytes): an absences workbook or .csv, as ``resolve --absences``."""
        problem = self._need_problem()
        if self.baseline is None:
            raise InputError([Issue("no schedule to re-plan yet: upload a baseline schedule or solve the week first")])
        if marks.day not in problem.settings.days:
            raise InputError(
                [
                    Issue(
                        f"'{marks.day}' is not a school day of this input "
                        f"(Settings days: {', '.join(problem.settings.days)})",
                        "day",
                    )
                ]
            )
        extra = self.absences(marks)
        if absences_file is not None:
            extra = (*self._read_absences(*absences_file), *extra)
        baseline = self.baseline.schedule
        self.pending = marks  # the form shows these ticks while the re-plan runs
        rs.plan(problem, baseline, extra, (marks.day,))  # bad ids or a foreign baseline: a message now

        def work(job: _Job) -> None:
            outcome = rs.resolve(problem, baseline, self._options(job), extra_absences=extra, days=(marks.day,))
            if outcome.result.status in (Status.INFEASIBLE, Status.UNKNOWN):
                raise InputError(
                    [
                        Issue(
                            f"no schedule found ({outcome.result.status}) within {job.limit:g} s; "
                            "try a longer time limit"
                        )
                    ]
                )
            report = outcome.new_report
            if report is None:
                from parasched.scheduler.check import check_schedule

                report = check_schedule(outcome.problem, outcome.schedule)
            plan = Plan(
                outcome.problem,
                outcome.result,
                "re-planned",
                outcome,
                marks,
                tuple(str(v) for v in report.violations),
                self._next(),
            )
            with self.lock:
                self.current = plan
            self._say(
                Message(
                    "ok",
                    f"Re-planned {marks.day} in {time.monotonic() - job.started:.1f} s: "
                    f"{len(outcome.changes)} change(s), {len(rs.affected_paras(outcome))} para(s) "
                    "affected.",
                    (
                        f"New absences: {rs.absence_text(outcome.problem, outcome.new_absences) or 'none'}",
                        *outcome.notes,
                    ),
                )
            )

        self._start("replan", limit, work)

    # -- messages ---------------------------------------------------------------------------------
    def _say(self, message: Message) -> None:
        with self.lock:
            self.messages.append(message)

    def say_error(self, exc: InputError, text: str = "") -> None:
        what = getattr(exc, "file", "") or ""
        head = text or (f"Cannot use {what}" if what else "Cannot do that")
        self._say(Message("error", f"{head} ({len(exc.issues)} problem(s)):", tuple(str(i) for i in exc.issues)))

    def say_ok(self, text: str, lines: Sequence[str] = ()) -> None:
        self._say(Message("ok", text, tuple(lines)))

    def take_messages(self) -> list[Message]:
        with self.lock:
            out, self.messages = self.messages, []
        return out

    # -- downloads --------------------------------------------------------------------------------
    def workbook(self) -> tuple[Path, str]:
        """The shown schedule written by the CLI's writer into the session folder: (path, download name)."""
        from parasched.io.writer import write_schedule

        plan = self._need_plan()
        path = self.folder / f"schedule-{plan.serial}.xlsx"
        if not path.exists():
            write_schedule(path, plan.problem, plan.result, changes_sheet=plan.outcome is not None, names=self.names)
        return path, f"{self._stem()}{'-' + plan.marks.day if plan.marks else ''}-{plan.source.replace('-', '')}.xlsx"

    def calendars(self) -> tuple[bytes, str]:
        """One ``.ics`` per para of the shown schedule, zipped (student ids only, as ``export-ics``)."""
        from parasched.io.ics import NO_DATE, _file_name, calendar

        plan = self._need_plan()
        s = plan.problem.settings
        if s.week_of is None:
            raise InputError([Issue(NO_DATE, "Settings")])
        by_para: dict[str, list[Any]] = {}
        for a in plan.schedule.assignments:
            by_para.setdefault(a.para_id, []).append(a)
        buf = io.BytesIO()
        used: set[str] = set()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in plan.problem.paras:
                if p.para_id in by_para:
                    text = calendar(
                        p.para_id,
                        by_para[p.para_id],
                        s.week_of,
                        s.days,
                        problem=plan.problem,
                        names=False,
                        school=s.school_name,
                    )
                    zf.writestr(_file_name(p.para_id, used), text)
        return buf.getvalue(), f"{self._stem()}-calendars.zip"

    def absences_csv(self) -> tuple[bytes, str]:
        """The re-plan's new absences as an Absences table (``parasched check --absences``)."""
        import csv

        plan = self._need_plan()
        if plan.outcome is None:
            raise InputError([Issue("no re-plan yet: the absences are those of the re-planned day")])
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\r\n")
        out.writerow(["person_id", "days", "start", "end", "reason"])
        for a in plan.outcome.new_absences:
            out.writerow(
                [
                    a.person_id,
                    ",".join(plan.problem.days_of(a.days)),
                    "" if a.start is None else fmt_time(a.start),
                    "" if a.end is None else fmt_time(a.end),
                    a.reason,
                ]
            )
        day = plan.marks.day if plan.marks else "day"
        return buf.getvalue().encode("utf-8"), f"{self._stem()}-{day}-absences.csv"

    def _need_plan(self) -> Plan:
        with self.lock:
            plan = self.current
        if plan is None:
            raise InputError([Issue("no schedule yet: upload a baseline schedule or solve the week first")])
        return plan

    def _stem(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "_", Path(self.input_name).stem).strip("_") or "schedule"

    def close(self) -> None:
        """Stop any job and remove the session's folder."""
        self.stop()
        self.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


def _display_name(filename: str) -> str:
    """The upload's base name only (a browser may send a path); no control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    return re.sub(r"[\x00-\x1f]", "", name)[:120] or "the upload"


def _named(exc: InputError, filename: str) -> InputError:
    """The error with the user's file name instead of the session's own file name."""
    shown = _display_name(filename)
    issues = [
        dataclasses.replace(i, where=re.sub(r"^(input|check|baseline|absences)\.[a-z]+", shown, i.where))
        for i in exc.issues
    ]
    out = InputError(issues)
    out.file = shown  # type: ignore[attr-defined]
    return out


def _what_failed(kind: str) -> str:
    return "The re-plan failed; the schedule shown is unchanged." if kind == "replan" else "The solve failed."


def _absent_arg(person_id: str, span: Interval | None) -> str:
    return person_id if span is None else f"{person_id}:{fmt_time(span[0])}-{fmt_time(span[1])}"


# -- the day as the page draws it -------------------------------------------------------------------
def day_view(plan: Plan, day: str, names: bool = True) -> DayView:
    """Paras as rows, time across, blocks colored by kind, changes outlined (see the module docstring)."""
    from parasched.io.sheets_grid import day_range
    from parasched.scheduler.kpis import compute_kpis

    problem, schedule = plan.problem, plan.schedule
    lb = Labels(problem, plan.result, names=names)
    grid = lb.grid
    t0, t1 = day_range(lb, day)
    t0 -= t0 % 30
    t1 += (-t1) % 30
    span = max(1, t1 - t0)

    def block(s: int, e: int, css: str, text: str = "", title: str = "") -> Block:
        s, e = max(s, t0), min(e, t1)
        return Block(round(100 * (s - t0) / span, 3), round(100 * (e - s) / span, 3), css, text, title)

    ticks = tuple((round(100 * (t - t0) / span, 3), fmt_time(t), t % 60 == 0) for t in range(t0, t1, 30))
    changes = schedule.changes if plan.outcome is not None else ()
    uncalled = {a.person_id for a in problem.absences if a.reason == SUB_NOT_CALLED and day in problem.days_of(a.days)}
    rows: list[GridRow] = []
    for p in problem.paras:
        hours = grid.para_hours(p.para_id, day)
        away = grid.absent(p.para_id, day)
        bl: list[Block] = [block(s, e, "off", title="not working") for s, e in subtract([(t0, t1)], hours)]
        note = (
            "not called in"
            if p.para_id in uncalled
            else ("absent" if away and not grid.para_available(p.para_id, day) else "")
        )
        for s, e in intersect(hours, away):
            bl.append(
                block(
                    s,
                    e,
                    "absent",
                    "not called in" if p.para_id in uncalled else "absent",
                    f"{p.para_id} {'not called in' if p.para_id in uncalled else 'absent'} {fmt_span(s, e)}",
                )
            )
        for a in schedule.for_para(p.para_id, day):
            kind = lb.group_kind(a)
            title = f"{fmt_span(a.start, a.end)} {lb.what(a)}: {lb.block_label(a)}"
            where = lb.where(a)
            bl.append(
                block(
                    a.start,
                    a.end,
                    CSS_OF_KIND[kind],
                    _fit(lb.block_label(a), lb.block_short(a), a.end - a.start, span),
                    title + (f" @ {where}" if where else ""),
                )
            )
        mine = [c for c in changes if c.para_id == p.para_id and c.day == day]
        for c in mine:
            bl.append(
                block(
                    c.start,
                    c.end,
                    "changed",
                    title=f"changed {fmt_span(c.start, c.end)}: was {c.before}, now {c.after}",
                )
            )
        if not hours and not mine and not schedule.for_para(p.para_id, day):
            note = note or "not working"
        rows.append(
            GridRow(
                p.para_id,
                f"{p.name} ({p.para_id})" + (" · sub" if p.is_substitute else ""),
                note or ", ".join(fmt_span(s, e) for s, e in hours) or "off",
                tuple(bl),
                bool(mine),
                note,
            )
        )

    students: list[GridRow] = []
    by_student: dict[str, list[Any]] = {}
    for a in schedule.assignments:
        if a.day == day:
            for sid in a.students:
                by_student.setdefault(sid, []).append(a)
    unmet_by_student: dict[str, list[Any]] = {}
    for u in schedule.unmet:
        if u.day == day and u.kind in (UnmetKind.SUPPORT, UnmetKind.FLEX) and u.start is not None:
            unmet_by_student.setdefault(u.ref, []).append(u)
    for st in problem.students:
        segs = grid.student_day(st.student_id, day)
        away = grid.absent(st.student_id, day)
        bl = []
        for seg in segs:
            if str(seg.support) in ("1:1", "shared", "flex"):
                level = "one" if str(seg.support) == "1:1" else "shared"
                bl.append(
                    block(
                        seg.start,
                        seg.end,
                        f"need-{level}",
                        title=f"{fmt_span(seg.start, seg.end)} needs {seg.support} support"
                        + (f" @ {seg.location}" if seg.location else ""),
                    )
                )
        for s, e in merge(away):
            bl.append(block(s, e, "absent", "absent", f"{st.student_id} absent {fmt_span(s, e)}"))
        for a in sorted(by_student.get(st.student_id, [])):
            kind = lb.group_kind(a) if a.kind == Kind.SUPPORT else str(a.kind)
            text = f"{a.para_id}" if a.kind == Kind.SUPPORT else f"{a.para_id} {a.ref}"
            bl.append(
                block(
                    a.start,
                    a.end,
                    CSS_OF_KIND.get(kind, "shared"),
                    _fit(text, a.para_id, a.end - a.start, span),
                    f"{fmt_span(a.start, a.end)} {lb.what(a)} with {lb.para_full(a.para_id)}",
                )
            )
        for ps in schedule.sessions:
            if ps.day == day and not ps.para_id:
                ses = next((x for x in problem.sessions if x.session_id == ps.session_id), None)
                if ses is not None and st.student_id in ses.student_ids:
                    bl.append(
                        block(
                            ps.start,
                            ps.end,
                            "therapy",
                            _fit(f"{ses.kind} {ses.session_id}", ses.session_id, ps.end - ps.start, span),
                            f"{fmt_span(ps.start, ps.end)} {ses.kind} ({ses.session_id}) with "
                            f"{ps.provider or 'provider'}",
                        )
                    )
        for u in unmet_by_student.get(st.student_id, []):
            bl.append(
                block(
                    u.start,
                    u.end,
                    "unmet",
                    _fit(f"{u.minutes} min", str(u.minutes), u.minutes, span),
                    f"uncovered {fmt_span(u.start, u.end)}: {u.reason}",
                )
            )
        if not segs and not away:
            continue
        label = lb.student_full(st.student_id)
        need = st.support if isinstance(st.support, str) else str(st.support)
        note = "absent" if away and not segs else ""
        students.append(GridRow(st.student_id, label, note or str(need), tuple(bl), note=note))

    band: dict[tuple[str, str], list[Any]] = {}
    for u in schedule.unmet:
        if u.day == day and u.start is not None and u.end is not None:
            band.setdefault((str(u.kind), u.ref), []).append(u)
    uncovered: list[GridRow] = []
    for (kind, ref), needs in sorted(band.items(), key=lambda x: (min(u.priority for u in x[1]), x[0])):
        who = (
            lb.student_full(ref)
            if kind in ("support", "flex")
            else (lb.duty_name(ref) if kind == "duty" else f"{lb.session_kind(ref)} ({ref})")
        )
        pieces = tuple(
            block(
                u.start,
                u.end,
                "unmet",
                _fit(f"{u.minutes} min", str(u.minutes), u.minutes, span),
                f"P{u.priority} {kind} {fmt_span(u.start, u.end)} uncovered: {u.reason}",
            )
            for u in needs
        )
        label = who if kind == "support" else f"{kind}: {who}"  # the band is mostly students: no prefix
        uncovered.append(GridRow(ref, label, f"{sum(u.minutes for u in needs)} min", pieces))

    unmet_lines: list[str] = []
    week_lines: list[str] = []
    for u in sorted(schedule.unmet, key=lambda u: (u.priority, u.day, u.start or 0, u.ref)):
        who = (
            lb.student_full(u.ref)
            if u.kind in (UnmetKind.SUPPORT, UnmetKind.FLEX)
            else (lb.duty_name(u.ref) if u.kind == UnmetKind.DUTY else f"{lb.session_kind(u.ref)} ({u.ref})")
        )
        reason = f": {u.reason}" if u.reason else ""
        if u.day == day and u.start is not None and u.end is not None:
            unmet_lines.append(f"P{u.priority} {u.kind} {who} {fmt_span(u.start, u.end)}, {u.minutes} min{reason}")
        elif not u.day:
            week_lines.append(f"P{u.priority} {u.kind} {who}, {u.minutes} min in the week{reason}")

    change_lines: tuple[str, ...] = ()
    if plan.outcome is not None:
        change_lines = tuple(line for line in rs.para_lines(plan.outcome) if f": {day} " in line)
    k = compute_kpis(problem, schedule, grid)
    coverage = tuple(
        (pr, k.required_minutes.get(pr, 0), k.coverage_percent_of(pr))
        for pr in (1, 2, 3)
        if k.required_minutes.get(pr, 0)
    )
    return DayView(
        day,
        lb.day_title(day),
        ticks,
        tuple(rows),
        tuple(students),
        tuple(unmet_lines),
        tuple(week_lines),
        change_lines,
        coverage,
        tuple(uncovered),
    )


def parse_marks(day: str, form: dict[str, str], problem: Problem) -> Marks:
    """The re-plan form's ticks (``out:ID``, ``from:ID``, ``to:ID``, ``sub:ID``) as Marks.

    A tick with a blank time range is the whole day; half a range is an error naming the person.
    """
    from parasched.io.absence_args import parse_time

    issues: list[Issue] = []
    paras: list[tuple[str, Interval | None]] = []
    students: list[tuple[str, Interval | None]] = []
    para_ids = {p.para_id for p in problem.paras}
    for key, value in form.items():
        if not key.startswith("out:") or not value:
            continue
        pid = key[4:]
        start_text, end_text = form.get(f"from:{pid}", "").strip(), form.get(f"to:{pid}", "").strip()
        span: Interval | None = None
        if start_text or end_text:
            start, end = parse_time(start_text), parse_time(end_text)
            if start is None or end is None:
                bad = start_text if start is None else end_text
                issues.append(
                    Issue(
                        f"'{bad}' is not a time; give both times as HH:MM such as 10:00, or leave "
                        "both blank for the whole day",
                        pid,
                    )
                )
                continue
            if end <= start:
                issues.append(Issue(f"the time range {start_text}-{end_text} ends before it starts", pid))
                continue
            span = (start, end)
        (paras if pid in para_ids else students).append((pid, span))
    if issues:
        raise InputError(issues)
    subs = tuple(key[4:] for key, value in form.items() if key.startswith("sub:") and value)
    order = {
        pid: i for i, pid in enumerate([p.para_id for p in problem.paras] + [s.student_id for s in problem.students])
    }
    return Marks(
        day,
        tuple(sorted(paras, key=lambda x: order.get(x[0], 0))),
        tuple(sorted(students, key=lambda x: order.get(x[0], 0))),
        subs,
    )


def default_marks(session: Session, day: str) -> Marks:
    """The form's ticks when opening a day: the last re-plan's marks of that day, else nobody out
    and the substitutes the baseline already has working that day."""
    if session.busy and session.pending is not None and session.pending.day == day:
        return session.pending
    plan = session.current
    if plan is not None and plan.marks is not None and plan.marks.day == day:
        return plan.marks
    subs: Sequence[str] = ()
    if session.problem is not None and session.baseline is not None:
        working = {a.para_id for a in session.baseline.schedule.assignments if a.day == day}
        subs = tuple(p.para_id for p in session.problem.paras if p.is_substitute and p.para_id in working)
    return Marks(day, substitutes=tuple(subs))


def first_day(problem: Problem, wanted: str | None, today: dt.date | None = None) -> str:
    """The day to show: the one asked for, else today when it is a school day (the 7:15 a.m.
    case), else the week's first day."""
    days = problem.settings.days
    if wanted:
        for d in days:
            if d.lower() == wanted.lower():
                return d
    name = DAYS[(today or dt.date.today()).weekday()]
    if name in days:
        return name
    return days[0] if days else DAYS[0]


__all__ = [
    "Block",
    "DayView",
    "GridRow",
    "JobStatus",
    "Marks",
    "Message",
    "Plan",
    "Session",
    "UploadTooLarge",
    "day_view",
    "default_marks",
    "first_day",
    "parse_marks",
]
