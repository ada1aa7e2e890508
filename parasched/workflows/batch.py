"""A district's schools in one run: validate, solve and check every school of a folder.

``run_batch(schools_dir, out_dir, options)``:
- every workbook (or folder of .csv files) in ``schools_dir`` is one school; each is read,
  solved (one CP-SAT worker per school, the seed fixed) and checked, its schedule written to
  ``OUT_DIR/<school>-schedule.xlsx``; a school with bad input, or one that crashes or runs out
  of time, is reported and the others go on;
- the engine runs one school per process, as many at once as ``parallel`` (default: the cores),
  or, with ``ray`` set, the very same task function as Ray tasks (``"local"`` starts an embedded
  Ray, ``"auto"`` joins the cluster started on this machine, else a cluster address);
- a task carries its input as bytes and returns the schedule workbook as bytes, so Ray workers on
  other machines need no shared folder; only the driver touches ``OUT_DIR``;
- each finished school leaves a record in ``OUT_DIR/.parasched-batch/`` with a hash of its
  input files and of the options: a re-run skips the schools whose hash did not change, so a run
  that was stopped half-way resumes (schools that failed or timed out are tried again);
- with a district substitute pool (``district.xlsx`` beside the schools, sheet Substitutes),
  every substitute is placed at one school per day (``district.assign_substitutes``) and the
  schools that got one are re-solved with them: ``OUT_DIR/<school>-with-substitutes.xlsx``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_any
from pathlib import Path
from typing import Any

from parasched.scheduler.district import Substitute, school_key
from parasched.scheduler.errors import InputError, Issue
from parasched.workflows.district import NeedPiece, Placement

STATE_DIR = ".parasched-batch"
SUMMARY_NAME = "district.xlsx"
DISTRICT_INPUT = "district.xlsx"
# every file that looks like a spreadsheet is a school: the reader refuses .xls/.ods with advice
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".numbers"})
RECORD_VERSION = 1

SOLVED = "solved"
NO_SCHEDULE = "no schedule"
BAD_INPUT = "bad input"
FAILED = "failed"
TIMED_OUT = "timed out"
SKIPPED = "skipped"  # only in progress events: the record of an earlier run is reused
KEPT_STATUSES = frozenset({SOLVED, NO_SCHEDULE, BAD_INPUT})  # what a re-run may reuse


@dataclass(frozen=True)
class SchoolInput:
    """One school as found in the folder: its name there and its files' bytes."""

    name: str
    files: tuple[tuple[str, bytes], ...]  # (file name, content); one for a workbook, several for csv
    folder: bool = False

    @property
    def key(self) -> str:
        return school_key(self.name)

    @property
    def stem(self) -> str:
        return self.name if self.folder else Path(self.name).stem

    def digest(self) -> str:
        h = hashlib.sha256()
        h.update(self.name.encode())
        for fname, content in sorted(self.files):
            h.update(fname.encode() + b"\0" + hashlib.sha256(content).digest())
        return h.hexdigest()


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs. ``time_limit`` None = each school's own ``time_limit_seconds``;
    ``parallel`` 0 = one school per core; ``school_timeout`` None = fifty times the limit plus
    five minutes: with one worker the limit is CP-SAT's deterministic time, and a school solved
    on a busy machine was measured at 56x its limit in wall time (20 paras, 2 s, load 14 on 2
    cores), so only a hung school should meet this."""

    time_limit: float | None = None
    seed: int = 0
    solver_workers: int = 1
    parallel: int = 0
    school_timeout: float | None = None
    ray: str | None = None

    def schools_at_once(self) -> int:
        return self.parallel or os.cpu_count() or 1

    def timeout(self) -> float:
        if self.school_timeout is not None:
            return self.school_timeout
        return 50 * (self.time_limit or 60.0) + 300.0


@dataclass(frozen=True)
class SchoolOutcome:
    """What became of one school (a row of the district summary). Minutes per priority 1-3."""

    school: str
    status: str
    output: str = ""
    errors: tuple[str, ...] = ()
    warnings: int = 0
    paras: int = 0
    students: int = 0
    required: tuple[int, int, int] = (0, 0, 0)
    covered: tuple[int, int, int] = (0, 0, 0)
    handoffs: int = 0
    substitute_minutes: int = 0
    substitutes_used: tuple[str, ...] = ()
    violations: int = 0
    solver_status: str = ""
    seconds: float = 0.0
    needs: tuple[NeedPiece, ...] = ()
    placed: tuple[str, ...] = ()  # district substitutes added to this school (re-solve)

    @property
    def unmet(self) -> tuple[int, int, int]:
        return (
            self.required[0] - self.covered[0],
            self.required[1] - self.covered[1],
            self.required[2] - self.covered[2],
        )

    def covered_percent(self, priority: int) -> float:
        req = self.required[priority - 1]
        return 100.0 if req == 0 else 100.0 * self.covered[priority - 1] / req

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SchoolOutcome:
        fields = dict(data)
        for name in ("errors", "substitutes_used", "placed"):
            fields[name] = tuple(fields.get(name, ()))
        for name in ("required", "covered"):
            fields[name] = tuple(fields.get(name, (0, 0, 0)))
        fields["needs"] = tuple(
            NeedPiece(n["day"], n["start"], n["end"], n["priority"], n["staff"], tuple(n["eligible"]))
            for n in fields.get("needs", ())
        )
        return cls(**fields)


@dataclass(frozen=True)
class SchoolTask:
    """One solve, everything it needs inside: it runs the same in a local process or on a Ray
    worker on another machine. ``placed`` (substitute id -> days) and ``hint`` (the school's
    first schedule workbook) make it the re-solve with district substitutes."""

    school: SchoolInput
    output: str
    time_limit: float | None
    seed: int
    solver_workers: int
    substitutes: tuple[Substitute, ...] = ()
    placed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    hint: bytes | None = None

    @property
    def label(self) -> str:
        return f"{self.school.name} (with substitutes)" if self.placed else self.school.name

    def digest(self) -> str:
        """The content hash a re-run compares: input files, options, substitutes, warm start."""
        from parasched import __version__

        h = hashlib.sha256()
        for part in (
            RECORD_VERSION,
            __version__,
            self.school.digest(),
            self.output,
            self.time_limit,
            self.seed,
            self.solver_workers,
            sorted(repr(s.key()) for s in self.substitutes),
            self.placed,
            hashlib.sha256(self.hint).hexdigest() if self.hint is not None else "",
        ):
            h.update(repr(part).encode() + b"\0")
        return h.hexdigest()


@dataclass(frozen=True)
class TaskResult:
    outcome: SchoolOutcome
    workbook: bytes | None = None


# -- the task: runs in a worker process (local or Ray) -----------------------------------------
def run_task(task: SchoolTask) -> TaskResult:
    """Read, solve, check and write one school; never raises (a crash becomes a FAILED outcome)."""
    began = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="parasched-batch-") as tmp:
            return _solve_school(task, Path(tmp), began)
    except InputError as exc:
        return TaskResult(
            SchoolOutcome(
                task.school.name, BAD_INPUT, errors=tuple(str(i) for i in exc.issues), seconds=time.monotonic() - began
            )
        )
    except Exception as exc:  # one school's crash must not stop the district
        return TaskResult(
            SchoolOutcome(
                task.school.name, FAILED, errors=(f"{type(exc).__name__}: {exc}",), seconds=time.monotonic() - began
            )
        )


def _solve_school(task: SchoolTask, tmp: Path, began: float) -> TaskResult:
    from parasched.io.reader import read_problem
    from parasched.io.writer import write_schedule
    from parasched.scheduler.check import check_schedule
    from parasched.scheduler.model import Role
    from parasched.scheduler.schedule import Status
    from parasched.solver.options import SolverOptions
    from parasched.workflows import district
    from parasched.workflows.solve import solve

    path = _unpack(task.school, tmp)
    read = read_problem(path)
    problem = read.problem
    notes: list[str] = []
    hint = None
    placed_ids: tuple[str, ...] = ()
    if task.placed:
        from parasched.io.schedule_reader import read_schedule

        days_of = dict(task.placed)
        problem = district.with_substitutes(problem, task.substitutes, days_of)
        placed_ids = tuple(f"{sid} ({', '.join(days)})" for sid, days in task.placed)
        if task.hint is not None:
            first = tmp / "first-schedule.xlsx"
            first.write_bytes(task.hint)
            hint = read_schedule(first)
    options = SolverOptions(time_limit=task.time_limit, workers=task.solver_workers, seed=task.seed)
    result = solve(problem, options, hint=hint)
    base = SchoolOutcome(
        task.school.name,
        NO_SCHEDULE,
        paras=len(problem.paras),
        students=len(problem.students),
        warnings=len(read.warnings),
        solver_status=str(result.status),
        placed=placed_ids,
    )
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        return TaskResult(
            replace(
                base,
                errors=(f"no schedule found ({result.status}) within the time limit",),
                seconds=time.monotonic() - began,
            )
        )
    schedule = result.schedule
    report = check_schedule(problem, schedule)
    k = report.kpis
    subs = {p.para_id for p in problem.paras if p.role == Role.SUBSTITUTE}
    used = tuple(sorted({a.para_id for a in schedule.assignments if a.para_id in subs and a.kind.is_work}))
    needs: tuple[NeedPiece, ...] = ()
    if task.substitutes and not task.placed:
        usable, notes = district.usable_substitutes(problem, task.substitutes)
        needs = district.school_needs(problem, schedule, usable)
    out = tmp / "out" / task.output
    out.parent.mkdir()
    write_schedule(out, problem, result, inputs=[path])
    outcome = replace(
        base,
        status=SOLVED,
        output=task.output,
        errors=tuple(notes),
        required=_per_priority(k.required_minutes),
        covered=_per_priority(k.covered_minutes),
        handoffs=k.handoffs,
        substitute_minutes=k.substitute_minutes,
        substitutes_used=used,
        violations=len(report.violations),
        seconds=time.monotonic() - began,
        needs=needs,
    )
    return TaskResult(outcome, out.read_bytes())


def _per_priority(minutes: dict[int, int]) -> tuple[int, int, int]:
    return (minutes.get(1, 0), minutes.get(2, 0), minutes.get(3, 0))


def _unpack(school: SchoolInput, tmp: Path) -> Path:
    """Write the school's files under ``tmp`` with their own names (messages name the file)."""
    if school.folder:
        folder = tmp / school.name
        folder.mkdir()
        for fname, content in school.files:
            (folder / fname).write_bytes(content)
        return folder
    fname, content = school.files[0]
    path = tmp / fname
    path.write_bytes(content)
    return path


# -- finding the schools -----------------------------------------------------------------------
def find_schools(schools_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """The workbooks and csv folders of ``schools_dir``, by name; not the district input, not
    Excel's ``~$`` lock files, not hidden files, not ``out_dir`` when it lies inside."""
    found: list[Path] = []
    for entry in sorted(schools_dir.iterdir(), key=lambda p: p.name.lower()):
        if entry.name.startswith((".", "~$")):
            continue
        if out_dir is not None and _same(entry, out_dir):
            continue
        if entry.is_dir():
            if any(f.suffix.lower() == ".csv" for f in entry.iterdir() if f.is_file()):
                found.append(entry)
        elif entry.suffix.lower() in WORKBOOK_SUFFIXES and entry.name.lower() != DISTRICT_INPUT:
            found.append(entry)
    return found


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def load_school(path: Path) -> SchoolInput:
    """The school's bytes: the workbook, or every file of the csv folder."""
    if path.is_dir():
        files = tuple(
            (f.name, f.read_bytes())
            for f in sorted(path.iterdir())
            if f.is_file() and not f.name.startswith((".", "~$"))
        )
        return SchoolInput(path.name, files, folder=True)
    return SchoolInput(path.name, ((path.name, path.read_bytes()),))


# -- the run -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """Counts shown while a batch runs."""

    done: int
    failed: int
    running: int
    waiting: int
    skipped: int


@dataclass(frozen=True)
class BatchReport:
    """Every school's outcome (the first solve), the substitutes placed, the re-solves."""

    outcomes: tuple[SchoolOutcome, ...]
    placements: tuple[Placement, ...] = ()
    resolves: tuple[SchoolOutcome, ...] = ()
    skipped: tuple[str, ...] = ()
    summary: Path | None = None
    engine: str = "local processes"

    def final(self, school: str) -> SchoolOutcome:
        """The outcome that stands for ``school``: its re-solve with substitutes when it got one."""
        for o in self.resolves:
            if o.school == school and o.status == SOLVED:
                return o
        return next(o for o in self.outcomes if o.school == school)


Event = Callable[[str, str, SchoolOutcome | None, Progress], None]


def run_batch(
    schools_dir: str | Path,
    out_dir: str | Path,
    options: BatchOptions | None = None,
    *,
    district_input: str | Path | None = None,
    on_event: Event | None = None,
) -> BatchReport:
    """Solve every school of ``schools_dir`` into ``out_dir`` (see the module docstring).

    Raises ``InputError`` (nothing solved) for a folder that is missing or holds no school, an
    ``out_dir`` that is the schools folder, or a district workbook that cannot be used.
    """
    from parasched.io.district_sheet import read_substitutes

    options = options or BatchOptions()
    schools_dir, out_dir = Path(schools_dir), Path(out_dir)
    if not schools_dir.is_dir():
        raise InputError(
            [
                Issue(
                    "is not a folder; expected a folder holding one workbook (or csv folder) per school",
                    str(schools_dir),
                )
            ]
        )
    if _same(schools_dir, out_dir):
        raise InputError(
            [
                Issue(
                    "is the schools folder; expected another folder for the schedules (the summary "
                    f"{SUMMARY_NAME} would overwrite the district input)",
                    str(out_dir),
                )
            ]
        )
    paths = find_schools(schools_dir, out_dir)
    if not paths:
        raise InputError(
            [Issue("holds no school; expected .xlsx workbooks or folders of .csv files", str(schools_dir))]
        )
    _check_unique(paths)
    if district_input is None and (schools_dir / DISTRICT_INPUT).is_file():
        district_input = schools_dir / DISTRICT_INPUT
    substitutes = read_substitutes(Path(district_input), [p.name for p in paths]) if district_input else ()
    out_dir.mkdir(parents=False, exist_ok=True)
    from parasched.io.files import check_output_path

    check_output_path(out_dir / SUMMARY_NAME, inputs=[*paths, *([district_input] if district_input else [])])
    state = out_dir / STATE_DIR
    state.mkdir(exist_ok=True)

    schools = [load_school(p) for p in paths]
    tasks = [
        SchoolTask(
            s,
            f"{s.stem}-schedule.xlsx",
            options.time_limit,
            options.seed,
            options.solver_workers,
            tuple(sub for sub in substitutes if sub.reaches(s.name)),
        )
        for s in schools
    ]
    engine = _Engine(options, on_event)
    try:
        outcomes, skipped = engine.run(tasks, state, out_dir, stage="school")
        placements: tuple[Placement, ...] = ()
        resolves: list[SchoolOutcome] = []
        if substitutes:
            from parasched.workflows.district import assign_substitutes

            needs = {o.school: o.needs for o in outcomes if o.status == SOLVED and o.needs}
            placements = assign_substitutes(needs, substitutes, seed=options.seed)
            again = _resolve_tasks(schools, outcomes, placements, substitutes, options, out_dir)
            if again:
                resolves, skipped2 = engine.run(again, state, out_dir, stage="substitutes")
                skipped += skipped2
    finally:
        engine.close()
    report = BatchReport(
        tuple(outcomes), placements, tuple(resolves), tuple(skipped), out_dir / SUMMARY_NAME, engine.name
    )
    write_district_summary(out_dir / SUMMARY_NAME, report, inputs=paths)
    return report


def _check_unique(paths: Sequence[Path]) -> None:
    seen: dict[str, Path] = {}
    issues: list[Issue] = []
    for p in paths:
        stem = school_key(p.name if p.is_dir() else p.stem)
        if stem in seen:
            issues.append(
                Issue(f"has the same name as {seen[stem].name}; expected one input per school (rename one)", p.name)
            )
        seen[stem] = p
    if issues:
        raise InputError(issues)


def _resolve_tasks(
    schools: Sequence[SchoolInput],
    outcomes: Sequence[SchoolOutcome],
    placements: Sequence[Placement],
    substitutes: Sequence[Substitute],
    options: BatchOptions,
    out_dir: Path,
) -> list[SchoolTask]:
    by_name = {s.name: s for s in schools}
    first = {o.school: o for o in outcomes}
    subs = {s.substitute_id: s for s in substitutes}
    days: dict[str, dict[str, list[str]]] = {}
    for p in placements:
        days.setdefault(p.school, {}).setdefault(p.substitute_id, []).append(p.day)
    tasks = []
    for school, per_sub in sorted(days.items()):
        s = by_name[school]
        hint = (out_dir / first[school].output).read_bytes()
        placed = tuple((sid, tuple(d)) for sid, d in sorted(per_sub.items()))
        tasks.append(
            SchoolTask(
                s,
                f"{s.stem}-with-substitutes.xlsx",
                options.time_limit,
                options.seed,
                options.solver_workers,
                tuple(subs[sid] for sid, _ in placed),
                placed,
                hint,
            )
        )
    return tasks


class _Engine:
    """Runs tasks on local processes or on Ray, skipping those a record says are done."""

    def __init__(self, options: BatchOptions, on_event: Event | None) -> None:
        self.options = options
        self.on_event = on_event
        self.started_ray = False
        self.name = "local processes" if options.ray is None else f"Ray ({options.ray})"

    def run(
        self, tasks: Sequence[SchoolTask], state: Path, out_dir: Path, stage: str
    ) -> tuple[list[SchoolOutcome], list[str]]:
        results: dict[str, SchoolOutcome] = {}
        skipped: list[str] = []
        todo: list[SchoolTask] = []
        digests = {t.label: t.digest() for t in tasks}
        for t in tasks:
            kept = _kept(state, t, digests[t.label], out_dir)
            if kept is not None:
                results[t.label] = kept
                skipped.append(t.label)
            else:
                todo.append(t)
        self.counts = {"done": 0, "failed": 0, "running": 0, "waiting": len(todo), "skipped": len(skipped)}
        for label in skipped:
            self._event(SKIPPED, label, results[label])

        def finished(task: SchoolTask, result: TaskResult) -> None:
            outcome = result.outcome
            if result.workbook is not None and outcome.output:
                _write_atomic(out_dir / outcome.output, result.workbook)
            if outcome.status in KEPT_STATUSES:  # the schedule is in place before its record
                _write_atomic(
                    _record_path(state, task),
                    json.dumps({"digest": digests[task.label], "outcome": outcome.to_json()}).encode(),
                )
            results[task.label] = outcome
            self.counts["running"] -= 1
            self.counts["failed" if outcome.status in (FAILED, TIMED_OUT) else "done"] += 1
            self._event(outcome.status, task.label, outcome)

        def started(task: SchoolTask) -> None:
            self.counts["waiting"] -= 1
            self.counts["running"] += 1
            self._event("started", task.label, None)

        if todo:
            if self.options.ray is None:
                _run_local(todo, self.options.schools_at_once(), self.options.timeout(), started, finished)
            else:
                self._ray_init()
                _run_ray(todo, self.options.timeout(), started, finished)
        return [results[t.label] for t in tasks], skipped

    def _event(self, what: str, label: str, outcome: SchoolOutcome | None) -> None:
        if self.on_event is not None:
            c = self.counts
            self.on_event(
                what, label, outcome, Progress(c["done"], c["failed"], c["running"], c["waiting"], c["skipped"])
            )

    def _ray_init(self) -> None:
        import ray

        if ray.is_initialized():
            return
        address = self.options.ray
        if address in ("", "local"):
            # an embedded Ray on this machine: as many CPUs as schools at once, no dashboard
            ray.init(
                num_cpus=self.options.schools_at_once(),
                include_dashboard=False,
                log_to_driver=False,
                object_store_memory=256 * 1024 * 1024,
                configure_logging=False,
            )
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        self.started_ray = True

    def close(self) -> None:
        if self.started_ray:
            import ray

            ray.shutdown()
            self.started_ray = False


def _record_path(state: Path, task: SchoolTask) -> Path:
    suffix = ".with-substitutes" if task.placed else ""
    return state / f"{task.school.stem}{suffix}.json"


def _kept(state: Path, task: SchoolTask, digest: str, out_dir: Path) -> SchoolOutcome | None:
    """The outcome recorded by an earlier run of this very task (same hash), when its schedule
    is still there."""
    path = _record_path(state, task)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("digest") != digest:
            return None
        outcome = SchoolOutcome.from_json(record["outcome"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if outcome.output and not (out_dir / outcome.output).is_file():
        return None
    return outcome


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(content)
    os.replace(tmp, path)


# -- engine: local processes -------------------------------------------------------------------
# The solver's one-worker path depends on the order Python iterates sets of ids, which follows
# the per-process string hash seed: every school's process (local or Ray) gets the same fixed
# seed, so the same input, options and --seed give the same schedule on either engine.
HASH_SEED = "0"


@contextlib.contextmanager
def _pinned_hash_seed() -> Iterator[None]:
    before = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = HASH_SEED
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONHASHSEED"]
        else:
            os.environ["PYTHONHASHSEED"] = before


def _die_with_parent() -> None:
    """Linux: this school's process is killed when the batch that started it dies, so a batch
    killed with SIGKILL leaves no solver running on."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def _child(task: SchoolTask, conn: Connection) -> None:
    _die_with_parent()
    try:
        conn.send(run_task(task))
    finally:
        conn.close()


@dataclass
class _Running:
    task: SchoolTask
    process: Any
    conn: Connection
    began: float = field(default_factory=time.monotonic)


def _run_local(
    tasks: Sequence[SchoolTask],
    at_once: int,
    timeout: float,
    started: Callable[[SchoolTask], None],
    finished: Callable[[SchoolTask, TaskResult], None],
) -> None:
    """One process per school, ``at_once`` at a time; a process that dies or overruns
    ``timeout`` is reported and the others go on."""
    # a fresh interpreter per school: its own hash seed (above), nothing inherited from the caller
    ctx = multiprocessing.get_context("spawn")
    waiting = list(tasks)
    running: list[_Running] = []
    try:
        while waiting or running:
            while waiting and len(running) < at_once:
                task = waiting.pop(0)
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(task, send), daemon=True)
                with _pinned_hash_seed():
                    proc.start()
                send.close()  # the child holds the only writer: its death closes the pipe
                running.append(_Running(task, proc, recv))
                started(task)
            ready = wait_any([r.conn for r in running], timeout=1.0)
            now = time.monotonic()
            for r in list(running):
                result: TaskResult | None = None
                if r.conn in ready:
                    try:
                        result = r.conn.recv()
                    except (EOFError, OSError):
                        r.process.join(5)
                        result = _failed(
                            r.task,
                            f"the school's process ended without a result (exit code {r.process.exitcode})",
                            now - r.began,
                        )
                elif now - r.began > timeout:
                    r.process.kill()
                    result = TaskResult(
                        SchoolOutcome(
                            r.task.school.name,
                            TIMED_OUT,
                            seconds=now - r.began,
                            errors=(f"stopped after {timeout:g} s (--school-timeout)",),
                        )
                    )
                if result is not None:
                    r.process.join(5)
                    r.conn.close()
                    running.remove(r)
                    finished(r.task, result)
    finally:
        for r in running:  # interrupted: leave no school process behind
            r.process.kill()
            r.process.join(5)


def _failed(task: SchoolTask, message: str, seconds: float) -> TaskResult:
    return TaskResult(SchoolOutcome(task.school.name, FAILED, errors=(message,), seconds=seconds))


# -- engine: Ray -------------------------------------------------------------------------------
def _run_ray(
    tasks: Sequence[SchoolTask],
    timeout: float,
    started: Callable[[SchoolTask], None],
    finished: Callable[[SchoolTask, TaskResult], None],
) -> None:
    """The same tasks as Ray tasks (one CPU each, no retry: a crash is reported, not repeated).
    No more tasks are in flight than the cluster has CPUs, so a task's clock starts when it runs."""
    import ray

    # the workers start with the batch's hash seed (see HASH_SEED): same schedules as local processes
    remote = ray.remote(num_cpus=1, max_retries=0, runtime_env={"env_vars": {"PYTHONHASHSEED": HASH_SEED}})(run_task)
    slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
    waiting = list(tasks)
    running: dict[Any, tuple[SchoolTask, float]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < slots:
                task = waiting.pop(0)
                running[remote.remote(task)] = (task, time.monotonic())
                started(task)
            ready, _ = ray.wait(list(running), num_returns=1, timeout=1.0)
            now = time.monotonic()
            for ref in list(running):
                task, began = running[ref]
                result: TaskResult | None = None
                if ref in ready:
                    try:
                        result = ray.get(ref)
                    except Exception as exc:  # a worker that died or a task Ray could not run
                        result = _failed(task, f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}", now - began)
                elif now - began > timeout:
                    ray.cancel(ref, force=True)
                    result = TaskResult(
                        SchoolOutcome(
                            task.school.name,
                            TIMED_OUT,
                            seconds=now - began,
                            errors=(f"stopped after {timeout:g} s (--school-timeout)",),
                        )
                    )
                if result is not None:
                    del running[ref]
                    finished(task, result)
    finally:
        for ref in running:
            with contextlib.suppress(Exception):
                ray.cancel(ref, force=True)


def progress_line(what: str, label: str, outcome: SchoolOutcome | None, p: Progress) -> str:
    """One line for the terminal: the counts, then what just happened (no student names)."""
    head = f"[{p.done} done, {p.failed} failed, {p.running} running, {p.waiting} waiting]"
    if outcome is None:
        return f"{head} {label}: started"
    if outcome.status == SOLVED:
        tail = (
            f"solved in {outcome.seconds:.1f} s; covered P1 {outcome.covered_percent(1):.1f}%, "
            f"P2 {outcome.covered_percent(2):.1f}%, P3 {outcome.covered_percent(3):.1f}%"
        )
        if outcome.violations:
            tail += f"; {outcome.violations} rule(s) broken"
    else:
        tail = outcome.status + (f": {outcome.errors[0]}" if outcome.errors else "")
        if len(outcome.errors) > 1:
            tail += f" (+{len(outcome.errors) - 1} more)"
    if what == SKIPPED:
        tail = f"unchanged since the last run ({tail})"
    return f"{head} {label}: {tail}"


# -- the district summary (district.xlsx) ----------------------------------------------------------
def summary_frames(report: BatchReport) -> dict[str, Any]:
    """The summary's sheets as pandas DataFrames: Schools, Errors, Substitutes, Run."""
    import pandas as pd

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


__all__ = ["BatchOptions", "BatchReport", "SchoolOutcome", "find_schools", "progress_line", "run_batch", "run_task"]
