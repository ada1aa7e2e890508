"""The command line: parse -> read -> solve/check -> write. Thin by design.

Every command turns bad input into a located message and exit code 2 (never a traceback).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from parasched.scheduler.deadline import RESOLVE_DEFAULT_SECONDS
from parasched.scheduler.errors import InputError

if TYPE_CHECKING:  # the solver is imported when a command needs it: the CLI starts fast
    from parasched.scheduler.schedule import SolveResult
    from parasched.solver.options import SolverOptions

EXIT_BAD_INPUT = 2
EXIT_CRASH = 3


# --- crash guard (issue 13): never a traceback on the terminal -------------------------------
# Any exception not foreseen (a bug) becomes one paragraph and exit code 3; the traceback goes to
# a log file the user can send. The log masks student names unless --verbose (FERPA).

_OUTPUT_PARAMS = ("output", "json_path", "report_path", "out_dir")


def crash_log_dir() -> Path:
    """Where crash logs go: $PARASCHED_LOG_DIR, else ~/.cache/parasched (XDG), else the temp dir."""
    import os
    import tempfile

    explicit = os.environ.get("PARASCHED_LOG_DIR")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "parasched"
    for folder in ([Path(explicit)] if explicit else []) + [cache, Path(tempfile.gettempdir()) / "parasched"]:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            return folder
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def _verbose() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return bool(root is not None and (root.obj or {}).get("verbose"))


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _masked(text: str) -> str:
    """``text`` with every student name read in this process masked (FERPA)."""
    try:
        from parasched.io.reader import mask_names, student_names_read
    except Exception:  # the reader itself is what broke: it read no names, there is nothing to mask
        return text
    return mask_names(text, student_names_read())


def _write_crash_log(command: str, exc: BaseException, verbose: bool) -> Path | None:
    import datetime as dt
    import os
    import platform
    import traceback

    text = "".join(traceback.format_exception(exc))
    if not verbose:
        text = _masked(text)
    try:
        from importlib.metadata import version

        ours = version("parasched")
    except Exception:  # the log must be written whatever is broken
        ours = "unknown"
    now = dt.datetime.now()
    head = (
        f"parasched {ours} crash report\n"
        f"time: {now.isoformat(timespec='seconds')}\n"
        f"command: {command}\n"
        f"arguments: {' '.join(sys.argv[1:])}\n"
        f"python: {platform.python_version()} on {platform.platform()}\n"
        f"student names: {'shown (--verbose)' if verbose else 'masked (run with --verbose to keep them)'}\n\n"
    )
    path = crash_log_dir() / f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # ids inside: owner only
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(head + text)
    except OSError:
        return None
    return path


def _report_crash(command: str, exc: BaseException, written: list[Path]) -> None:
    """One paragraph on stderr, the traceback in the log, exit 3."""
    verbose = _verbose()
    log = _write_crash_log(command, exc, verbose)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if not verbose:
        detail = _masked(detail)
    if len(detail) > 300:
        detail = detail[:300] + "..."
    if written:
        done = (
            f"{', '.join(str(p) for p in written)} had been written before the error; check it with "
            "'parasched check' before you use it. Your input files are unchanged."
        )
    else:
        done = "Nothing was written: your input files are unchanged and no output file was created or changed."
    where = (
        f"The details are in the log file {log}"
        if log is not None
        else "The log file could not be written (run again with the same arguments to see it)"
    )
    click.echo(
        f"parasched stopped on an unexpected error in '{command}' ({detail}). {done} This is a fault in "
        f"parasched, not in your workbook. {where}; please send that file (it holds student ids, "
        "not names, unless --verbose was given) with the command you ran to whoever supports parasched "
        "at your school, or attach it to an issue in the project's tracker.",
        err=True,
    )
    sys.exit(EXIT_CRASH)


def _guarded(command: str | Callable[[], str], outputs: list[Path], run: Callable[[], Any]) -> Any:
    """Run a command; an unexpected exception becomes :func:`_report_crash`. Click's own exits
    and Ctrl-C pass through unchanged."""
    before = {p: _stat(p) for p in outputs}
    try:
        return run()
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except Exception as exc:
        written = [p for p in outputs if _stat(p) != before[p]]
        _report_crash(command if isinstance(command, str) else command(), exc, written)


class _GuardedGroup(click.Group):
    """The group catches what a command without ``@_friendly`` lets escape (a newer command)."""

    def invoke(self, ctx: click.Context) -> Any:
        # the subcommand's name is known once the group has parsed its arguments
        return _guarded(
            lambda: ctx.invoked_subcommand or "parasched", [], lambda: super(_GuardedGroup, self).invoke(ctx)
        )


def _friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Report InputError / OSError as a message with exit code 2 instead of a traceback; anything
    unexpected as one paragraph, a crash log and exit code 3."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        outputs = [Path(kwargs[k]) for k in _OUTPUT_PARAMS if kwargs.get(k) is not None]
        if fn.__name__ == "template" and kwargs.get("file") is not None:
            outputs.append(Path(kwargs["file"]))
        return _guarded(fn.__name__.replace("_", "-"), outputs, lambda: _friendly_errors(fn, args, kwargs))

    return wrapper


def _friendly_errors(fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        what = getattr(exc, "file", "") or "this input"  # the reader names the file it read
        click.echo(f"Cannot use {what} ({len(exc.issues)} problem(s)):", err=True)
        for issue in exc.issues:
            click.echo(f"  - {issue}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (PermissionError, IsADirectoryError, FileNotFoundError) as exc:
        click.echo(f"Error: {exc.strerror or exc}: {exc.filename}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@click.group(cls=_GuardedGroup)
@click.version_option(package_name="parasched")
@click.option("--verbose", is_flag=True, help="Log details, student names included (confidential).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Weekly paraprofessional schedules for schools (see README)."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.call_on_close(_exit_on_signals(ctx.invoked_subcommand))  # Ctrl-C: exit 130, temporary files removed (issue 14)


# --- Ctrl-C, SIGTERM and the run limits (issue 14) --------------------------------------------
# Ctrl-C ends any command with exit code 130 (SIGTERM: 143) through an exception, so a temporary
# output file is always removed on the way out (files.atomic_output). During a solve the main
# thread only waits for the solver thread, so Ctrl-C is seen at once: the first one stops the
# search (SolverOptions.stop) and, unless --keep-on-interrupt was given, exits writing nothing;
# a second one exits at once.

EXIT_INTERRUPTED = 130  # what shells report for a command stopped by Ctrl-C (128 + SIGINT)
MAX_TIME_LIMIT = 86_400.0  # seconds: a day; a longer solve is a typo, not a plan
MAX_WORKERS = 64
MAX_SEED = 2**31 - 1  # CP-SAT stores the seed in a 32-bit integer
KEEP_HINT = "run again with --keep-on-interrupt to write the best schedule found when you press Ctrl-C"


def _interrupted_exit(signum: int, _frame: object) -> None:
    import signal

    click.echo(
        "\nInterrupted: stopped. Outputs are written whole or not at all, so no partial file was left.", err=True
    )
    raise SystemExit(EXIT_INTERRUPTED if signum == signal.SIGINT else 128 + signum)


# commands that end with exit 130 on Ctrl-C (batch and serve handle KeyboardInterrupt themselves)
_CLEAN_EXIT_COMMANDS = frozenset({"template", "validate", "check", "solve", "resolve", "export-ics"})


def _exit_on_signals(command: str | None) -> Callable[[], None]:
    """From now on Ctrl-C and SIGTERM end ``command`` cleanly; returns what restores the handlers."""
    import signal

    if command not in _CLEAN_EXIT_COMMANDS:
        return lambda: None
    wanted = (signal.SIGINT, signal.SIGTERM)
    try:
        before = {s: signal.signal(s, _interrupted_exit) for s in wanted}
    except ValueError:  # not the main thread (an embedding program): leave its handlers alone
        return lambda: None

    def restore() -> None:
        for s, handler in before.items():
            signal.signal(s, handler)

    return restore


def _check_run_options(time_limit: float | None, workers: int, seed: int) -> None:
    """--time-limit, --workers and --seed within what the solver can use (nan, inf, 2**31 are not)."""
    import math

    from parasched.scheduler.errors import Issue

    issues = []
    if time_limit is not None and not (math.isfinite(time_limit) and 0 < time_limit <= MAX_TIME_LIMIT):
        issues.append(
            Issue(
                f"'{time_limit}' is not a usable number of seconds; expected a number above 0 and at "
                f"most {MAX_TIME_LIMIT:,.0f} (a day), such as 60",
                "--time-limit",
            )
        )
    if not 1 <= workers <= MAX_WORKERS:
        issues.append(
            Issue(
                f"'{workers}' workers; expected 1 to {MAX_WORKERS} (2 is the default; more than "
                "the machine's cores only slows the search)",
                "--workers",
            )
        )
    if not 0 <= seed <= MAX_SEED:
        issues.append(Issue(f"'{seed}' is not a usable seed; expected a whole number from 0 to {MAX_SEED:,}", "--seed"))
    if issues:
        err = InputError(issues)
        err.file = "the command-line options"  # type: ignore[attr-defined]  # "Cannot use ..." in _friendly
        raise err


def _run_stoppable(options: Any, run: Callable[[Any], Any], keep: bool, output: Path) -> tuple[Any, bool]:
    """``run(options)`` in a worker thread, with Ctrl-C stopping the search; (result, interrupted).

    The first Ctrl-C sets ``options.stop``: with ``keep`` the solver's best schedule so far is
    returned (the caller writes it, then exits 130); without, the command exits 130 at once,
    writing nothing. A second Ctrl-C exits 130 at once. No output file exists while the solver
    runs (the output is only probed before), so exiting at once leaves nothing behind.
    """
    import dataclasses
    import os
    import signal
    import threading

    stop = threading.Event()
    # CP-SAT's own SIGINT handler would take Ctrl-C from us (and abort the process from a thread)
    options = dataclasses.replace(options, stop=stop, params={**options.params, "catch_sigint_signal": False})
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = run(options)
        except BaseException as exc:  # re-raised in the main thread, where the CLI reports it
            box["error"] = exc

    def quit_now(text: str, code: int = EXIT_INTERRUPTED) -> None:
        click.echo(text, err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # the solver's threads cannot be joined quickly; no output file exists yet

    def on_ctrl_c(_signum: int, _frame: object) -> None:
        if stop.is_set():
            quit_now("\nInterrupted again: stopped at once; nothing written.")
        stop.set()
        if not keep:
            quit_now(f"\nInterrupted: stopped; nothing written ({KEEP_HINT}).")
        click.echo(
            f"\nStopping: the best schedule found so far will be written to {output} "
            "(Ctrl-C again to quit without writing)...",
            err=True,
        )

    def on_term(_signum: int, _frame: object) -> None:
        stop.set()
        quit_now("\nTerminated: stopped at once; nothing written.", 128 + signal.SIGTERM)

    worker = threading.Thread(target=work, name="parasched-solve", daemon=True)
    try:
        before = signal.signal(signal.SIGINT, on_ctrl_c)
        before_term = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: run plainly
        return run(options), False
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)  # a short wait, so the handler runs as soon as Ctrl-C comes
            # a CP-SAT solver created without catch_sigint_signal=False puts its own handler in
            # and leaves the default one (which kills the process) behind it: take Ctrl-C back
            signal.signal(signal.SIGINT, on_ctrl_c)
    finally:
        signal.signal(signal.SIGINT, before)
        signal.signal(signal.SIGTERM, before_term)
    if "error" in box:
        raise box["error"]
    result = box["result"]
    schedule = getattr(result, "schedule", None) or getattr(getattr(result, "result", None), "schedule", None)
    if stop.is_set() and (schedule is None or not schedule.assignments):
        click.echo("Interrupted before any schedule was found; nothing written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    return result, stop.is_set()


def _new_absences(problem: Any, path: Path) -> tuple[Any, ...]:
    """A separate absences file's records, with every problem reported at once as validate does
    (cells that cannot be read and ids the input does not know; resolve used to stop at the first)."""
    import dataclasses

    from parasched.io.reader import InputFileError, _read_absences

    records, issues = _read_absences(path)
    try:  # the input's Problem checks the ids, as read_problem(..., absences=path) does for validate
        dataclasses.replace(problem, absences=(*problem.absences, *records))
    except InputError as exc:
        issues = [*issues, *exc.issues]
    if issues:
        raise InputFileError(issues, file=path.name)
    return records


def _interrupted_written(output: Path) -> None:
    """After writing the best schedule found when Ctrl-C came: say so, exit 130."""
    click.echo(
        f"Interrupted: wrote the best schedule found when Ctrl-C was pressed to {output}; it is complete "
        "and breaks no hard rule, but a full run may cover more.",
        err=True,
    )
    sys.exit(EXIT_INTERRUPTED)


# --- CLI manners (issue 15): one --json, --verbose anywhere, --force for every output ----------
# --json FILE writes the command's JSON to FILE; --json alone or --json - prints it on stdout, and
# the report for people then goes to stderr, so stdout is one JSON document. An output that
# already exists is refused unless --force (as template does). --verbose works before or after
# the command's name.

_JSON_STDOUT = "-"
_real_stdout: list[Any] = []  # where --json - prints while the human report is sent to stderr


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().ensure_object(dict)["verbose"] = True


def _manners(*, json: str | None = None, force: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The shared options: ``--verbose`` always; ``--json [FILE]`` when ``json`` is its help;
    ``--force`` when an output may be refused for existing."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option(
            "--verbose",
            is_flag=True,
            expose_value=False,
            callback=_set_verbose,
            is_eager=True,
            help="Log details, student names included (confidential); same as before the command.",
        )(fn)
        if force:
            fn = click.option("--force", is_flag=True, help="Overwrite outputs that already exist.")(fn)
        if json is not None:
            fn = click.option(
                "--json",
                "json_target",
                metavar="FILE",
                is_flag=False,
                flag_value=_JSON_STDOUT,
                default=None,
                help=f"{json} Written to FILE; '--json' alone or '--json -': "
                "printed on stdout (the report then goes to stderr).",
            )(fn)

            inner = fn

            @functools.wraps(inner)
            def to_stderr(*args: Any, **kwargs: Any) -> Any:
                if kwargs.get("json_target") != _JSON_STDOUT:
                    return inner(*args, **kwargs)
                import contextlib

                _real_stdout.append(sys.stdout)
                try:
                    with contextlib.redirect_stdout(sys.stderr):
                        return inner(*args, **kwargs)
                finally:
                    _real_stdout.pop()

            fn = to_stderr
        return fn

    return deco


def _refuse_existing(force: bool, *paths: Path | None) -> None:
    """Exit 2 when an output already exists and --force was not given (checked before any work)."""
    for path in paths:
        if path is not None and str(path) != _JSON_STDOUT and path.exists() and not force:
            click.echo(f"Error: {path} already exists; choose another name, or add --force to overwrite it", err=True)
            sys.exit(EXIT_BAD_INPUT)


def _json_file(target: str | None) -> Path | None:
    return Path(target) if target not in (None, _JSON_STDOUT) else None


def _emit_json(target: str | None, data: Any, inputs: list[Path]) -> None:
    """``data`` as JSON into the --json FILE (atomically), or on stdout for ``-``."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    if target == _JSON_STDOUT:
        click.echo(text, file=_real_stdout[-1] if _real_stdout else None)
    elif target is not None:
        from parasched.io.files import atomic_output

        with atomic_output(Path(target), inputs=inputs) as tmp:
            Path(tmp).write_text(text + "\n", encoding="utf-8")


def _progress_display(log: bool) -> Any:
    """The coordinator's progress line on stderr (none with --log: the search log says it all)."""
    import contextlib

    from parasched.io.progress import ProgressDisplay

    return contextlib.nullcontext(None) if log else ProgressDisplay(sys.stderr)


# --- template / validate (foundation) ---------------------------------------------------------
@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it already exists.")
@_manners()
@_friendly
def template(file: Path, force: bool) -> None:
    """Write a blank input workbook FILE.xlsx: every sheet and column, instructions, dropdowns and
    one example row per sheet (replace them with your school's data)."""
    from parasched.io.template import write_template

    if file.suffix.lower() != ".xlsx":
        click.echo(f"Error: {file.name}: the template is an Excel workbook; give a name ending in .xlsx", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if file.exists() and not force:
        click.echo(f"Error: {file} already exists; choose another name, or add --force to overwrite it", err=True)
        sys.exit(EXIT_BAD_INPUT)
    write_template(file)
    click.echo(f"Wrote {file}: fill in the sheets (see Instructions), then run: parasched validate {file.name}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--absences",
    "absences_path",
    type=click.Path(path_type=Path),
    help="A separate absences file: an .xlsx with an Absences sheet, or a .csv.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Write the capacity heat-map workbook (.xlsx) here.",
)
@_manners(force=True)
@_friendly
def validate(file: Path, absences_path: Path | None, report_path: Path | None, force: bool) -> None:
    """Check an input workbook (or folder of .csv files): every problem located, warnings,
    and where staff needed exceeds paras available. Exit 0 when usable, 2 when not."""
    from parasched.io.reader import read_problem
    from parasched.io.report import validate_lines
    from parasched.scheduler.capacity import capacity_map

    if report_path is not None:  # refused before the reading, never after (issue 14)
        from parasched.io.files import check_output_path

        check_output_path(report_path, inputs=[p for p in (file, absences_path) if p is not None], suffix=".xlsx")
    _refuse_existing(force, report_path)
    read = read_problem(file, absences=absences_path)
    cmap = capacity_map(read.problem)
    for line in validate_lines(file.name, read, cmap):
        click.echo(line)
    if report_path is not None:
        from parasched.io.report import write_capacity_report

        inputs = [p for p in (file, absences_path) if p is not None]
        write_capacity_report(report_path, read.problem, cmap, inputs=inputs)
        click.echo(f"Wrote {report_path}")


# --- check ------------------------------------------------------------------------------------

EXIT_RULES_BROKEN = 1


@main.command("check")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.argument("schedule_path", metavar="SCHEDULE.xlsx", type=click.Path(path_type=Path))
@click.option(
    "--absences",
    "absences_path",
    type=click.Path(path_type=Path),
    help="A workbook (or .csv) with an Absences sheet, added to the input's own absences.",
)
@_manners(json="One JSON object: violations, kpis, disagreements.", force=True)
@click.pass_context
@_friendly
def check(
    ctx: click.Context,
    input_path: Path,
    schedule_path: Path,
    absences_path: Path | None,
    json_target: str | None,
    force: bool,
) -> None:
    """Judge any schedule workbook (ours or edited by hand) against every hard rule.

    Prints each broken rule as a sentence, the KPIs, and where the schedule's Unmet sheet
    disagrees with what is really uncovered. Exit 1 when a hard rule is broken, 0 otherwise,
    2 when the input or the schedule cannot be read.
    """
    from parasched.io.reader import read_problem
    from parasched.io.schedule_reader import read_schedule
    from parasched.scheduler.check import check_schedule

    verbose = bool((ctx.obj or {}).get("verbose"))
    _refuse_existing(force, _json_file(json_target))
    read = read_problem(input_path, absences=absences_path)
    problem = read.problem
    schedule = read_schedule(schedule_path, problem)  # another school's schedule: refused (issue 14)
    report = check_schedule(problem, schedule, names=verbose)
    for w in read.warnings:
        click.echo(f"warning: {w}", err=True)
    _emit_json(json_target, report.as_dict(), [p for p in (input_path, schedule_path, absences_path) if p])
    for line in _check_lines(report):  # on stderr when the JSON has stdout (see _manners)
        click.echo(line)
    if not report.ok:
        sys.exit(EXIT_RULES_BROKEN)


def _check_lines(report: Any) -> list[str]:
    k = report.kpis
    lines: list[str] = []
    if report.violations:
        lines.append(f"{len(report.violations)} hard rule(s) broken:")
        lines += [f"  - [{v.rule}] {v.message}" for v in report.violations]
    else:
        lines.append("Passes every hard rule.")
    lines.append("")
    lines.append("KPIs")
    lines.append(f"  {'priority':<12}{'required':>10}{'covered':>10}{'%':>8}")
    for p in (1, 2, 3):
        req, cov = k.required_minutes.get(p, 0), k.covered_minutes.get(p, 0)
        lines.append(f"  {p:<12}{req:>10}{cov:>10}{k.coverage_percent_of(p):>8.1f}")
    lines.append(f"  {'all':<12}{k.required_total:>10}{k.covered_total:>10}{k.coverage_percent:>8.1f}")
    lines.append(f"  duty staff-minutes: {k.duty_staff_minutes}")
    if k.duty_minutes:
        lines.append(
            f"  duty minutes per para: min {k.duty_min}, avg {k.duty_avg:.0f}, max {k.duty_max} "
            f"(spread {k.duty_spread})"
        )
    lines.append(f"  substitute minutes: {k.substitute_minutes}")
    lines.append(
        f"  handoffs: {k.handoffs}; extra paras in a student's day: {k.extra_paras}; "
        f"minutes not with a preferred para: {k.preferred_missed}"
    )
    lines.append(f"  lunch start times beyond one per para: {k.lunch_variation}")
    for sid, (got, target) in sorted(k.flex.items()):
        lines.append(f"  flex {sid}: {got} of {target} minutes")
    if k.paras_per_student:
        lines.append("  paras per student: " + ", ".join(f"{s} {n}" for s, n in sorted(k.paras_per_student.items())))
    lines.append("  objective terms: " + ", ".join(f"{name} {v}" for name, v in k.objective_terms().items()))
    lines.append("")
    if report.unmet_disagreements:
        lines.append(f"The Unmet sheet disagrees with the schedule ({len(report.unmet_disagreements)}):")
        lines += [f"  - {d}" for d in report.unmet_disagreements]
    else:
        lines.append("The Unmet sheet agrees with the schedule.")
    return lines


# --- solve ------------------------------------------------------------------------------------
@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="The schedule workbook to write (.xlsx).",
)
@click.option(
    "--absences",
    "absences_path",
    type=click.Path(path_type=Path),
    help="A workbook (or .csv) with an Absences sheet, added to the input's own absences.",
)
@click.option(
    "--time-limit",
    type=float,
    default=None,
    help="Seconds for the whole command, reading and writing included (default: the workbook's time_limit_seconds).",
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers (1 + --seed: reproducible).")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option("--log", is_flag=True, help="Print the CP-SAT search log.")
@click.option("--anonymize", is_flag=True, help="Write student initials and ids instead of names.")
@_manners(json="Also the schedule as JSON (status, objective, bound, KPIs, every row).", force=True)
@click.option(
    "--keep-on-interrupt",
    is_flag=True,
    help="On Ctrl-C, write the best schedule found so far (exit code 130); default: write nothing.",
)
@click.pass_context
@_friendly
def solve(
    ctx: click.Context,
    input_path: Path,
    output: Path,
    absences_path: Path | None,
    time_limit: float | None,
    workers: int,
    seed: int,
    log: bool,
    anonymize: bool,
    json_target: str | None,
    force: bool,
    keep_on_interrupt: bool,
) -> None:
    """Build the week's schedule with the CP-SAT solver and write it to OUTPUT.

    Coverage comes first, by priority (a priority-1 minute counts as ten priority-2 minutes),
    weighed with continuity (handoffs, paras per student, relays on duties); then flex minutes,
    substitutes, preferred paras and fairness (README, "How it decides"). Needs left uncovered are
    listed in the Unmet sheet with the reason.
    """
    import dataclasses
    import time
    from collections import Counter

    from parasched.io.files import check_output_path
    from parasched.io.reader import read_problem
    from parasched.io.writer import write_schedule
    from parasched.scheduler.deadline import Deadline, solver_seconds
    from parasched.scheduler.errors import Issue
    from parasched.scheduler.kpis import compute_kpis
    from parasched.scheduler.schedule import Status
    from parasched.solver.options import SolverOptions
    from parasched.workflows.solve import solve as solve_week

    started = time.monotonic()  # --time-limit counts from here: reading and writing are part of the wait
    cpu_started = time.process_time()  # against the wall clock: how busy the machine is

    json_path = _json_file(json_target)
    _check_run_options(time_limit, workers, seed)  # nan, inf, 2**31: refused (issue 14)
    if time_limit is not None and time_limit <= 0:
        raise InputError([Issue(f"'{time_limit}' is not a positive number of seconds", "--time-limit")])
    if workers < 1:
        raise InputError([Issue(f"'{workers}' workers; expected 1 or more", "--workers")])
    inputs = [p for p in (input_path, absences_path) if p is not None]
    # refuse a bad -o before the solve, not after minutes of work
    check_output_path(output, inputs=inputs, suffix=".xlsx")
    if json_path is not None:
        check_output_path(json_path, inputs=inputs, others=[output], suffix=".json")
    _refuse_existing(force, output, json_path)
    read = read_problem(input_path, absences=absences_path)
    for w in read.warnings:
        click.echo(f"warning: {w}", err=True)
    problem = read.problem
    deadline = Deadline(time_limit or problem.settings.time_limit_seconds, started, cpu_started=cpu_started)
    limit = deadline.seconds
    options = SolverOptions(
        time_limit=solver_seconds(deadline, len(problem.paras), len(problem.settings.days)),
        workers=workers,
        seed=seed,
        log=log,
    )
    click.echo(
        f"Solving {len(problem.paras)} paras, {len(problem.students)} students, "
        f"{len(problem.settings.days)} days (limit {limit:g} s)...",
        err=True,
    )
    with _progress_display(log) as shown:
        options = dataclasses.replace(options, on_progress=shown)
        result, interrupted = _run_stoppable(options, lambda opts: solve_week(problem, opts), keep_on_interrupt, output)
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        click.echo(
            f"No schedule found ({result.status}) within the time limit; nothing written. Try a longer --time-limit.",
            err=True,
        )
        sys.exit(1)
    write_schedule(output, problem, result, inputs=inputs, anonymize=anonymize, json_path=json_path)
    if json_target == _JSON_STDOUT:
        from parasched.io.json_out import schedule_to_json

        _emit_json(json_target, schedule_to_json(problem, result, anonymize=anonymize), inputs)
    k = compute_kpis(problem, result.schedule)
    from parasched.io.sheets_summary import proof_text  # the Summary's words; raw numbers are in --json

    click.echo(f"Status: {result.status} in {result.runtime:.1f} s; priority-1 minutes: {proof_text(result)}")
    early = None if interrupted else stopped_early(result, options, limit)
    if early is not None:  # a coordinator who set 3 minutes wonders why it stopped sooner
        click.echo(f"  stopped {early:.0f} s before the limit: the search had stopped finding better schedules")
    for pr in (1, 2, 3):
        req = k.required_minutes.get(pr, 0)
        if req:
            click.echo(f"  priority {pr}: {k.coverage_percent_of(pr):5.1f}% of {req} required minutes covered")
    unmet = result.schedule.unmet
    click.echo(f"Unmet: {len(unmet)} row(s), {sum(u.minutes for u in unmet)} minutes")
    if unmet:
        by_need: Counter[tuple[int, str, str]] = Counter()
        for u in unmet:
            by_need[(u.priority, u.kind, u.ref)] += u.minutes
        for (pr, kind, ref), minutes in sorted(by_need.items(), key=lambda x: (x[0][0], -x[1]))[:5]:
            example = next(u for u in unmet if (u.priority, u.kind, u.ref) == (pr, kind, ref))
            when = f"{example.day} " if example.day else ""  # a session never placed has no day
            click.echo(f"  - P{pr} {kind} {ref}: {minutes} min; e.g. {when}{example.reason}")
    click.echo(f"Wrote {output}")
    if interrupted:
        _interrupted_written(output)


def stopped_early(result: SolveResult, options: SolverOptions, limit: float) -> float | None:
    """Seconds a solve ended before its limit because its searches stopped finding better
    schedules (docs/solver.md point 11), or None. Only on the wall clock (2+ workers): with one
    worker the budgets are deterministic time, which may run out sooner with nothing stalled;
    a proven schedule (optimal) says so in its status line already."""
    from parasched.scheduler.schedule import Status

    if result.status != Status.FEASIBLE or options.workers < 2:
        return None
    early = (options.time_limit or limit) - result.runtime
    return early if early > max(5.0, 0.05 * limit) else None


# --- resolve ----------------------------------------------------------------------------------
@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "--baseline",
    "baseline_path",
    required=True,
    type=click.Path(path_type=Path),
    help="The schedule workbook to repair (ours, or edited by hand).",
)
@click.option(
    "--absences",
    "absences_path",
    type=click.Path(path_type=Path),
    help="A workbook (or .csv) with an Absences sheet: person_id, days, start, end, reason.",
)
@click.option(
    "--absent",
    "absent",
    multiple=True,
    metavar="ID[:HH:MM-HH:MM]",
    help="A para or student out on the --day days: whole day (P07) or part day (P11:10:00-12:00).",
)
@click.option(
    "--day",
    "days",
    multiple=True,
    metavar="DAY",
    help="Re-plan this day (repeatable; Tue, Mon-Wed). --absent applies to these days; required "
    "with --absent unless the week has one school day. Days with new absences are always re-planned.",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="The new schedule workbook (with a Changes sheet).",
)
@click.option(
    "--time-limit",
    type=float,
    default=None,
    help="Seconds for the whole command, reading and writing included (default: 20, a morning re-plan; "
    "the workbook's time_limit_seconds is for solve).",
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option("--log", is_flag=True, help="Print the CP-SAT search log.")
@click.option("--anonymize", is_flag=True, help="Write student initials and ids instead of names.")
@_manners(json="Also the new schedule as JSON (status, KPIs, every row, the changes).", force=True)
@click.option(
    "--keep-on-interrupt",
    is_flag=True,
    help="On Ctrl-C, write the best schedule found so far (exit code 130); default: write nothing.",
)
@click.pass_context
@_friendly
def resolve(
    ctx: click.Context,
    input_path: Path,
    baseline_path: Path,
    absences_path: Path | None,
    absent: tuple[str, ...],
    days: tuple[str, ...],
    output: Path,
    time_limit: float | None,
    workers: int,
    seed: int,
    log: bool,
    anonymize: bool,
    json_target: str | None,
    force: bool,
    keep_on_interrupt: bool,
) -> None:
    """Re-plan after absences: keep everyone safe, change as little as possible.

    Only days with a new absence (and the --day days) are re-planned; every other day is kept
    exactly as in the baseline. Prints the baseline's own violations, who is affected and what
    changed for them, and what is still uncovered.
    """
    import dataclasses
    import time

    from parasched.io.absence_args import absences_from_args, parse_days
    from parasched.io.files import check_output_path
    from parasched.io.reader import read_problem
    from parasched.io.schedule_reader import read_schedule
    from parasched.io.writer import write_schedule
    from parasched.scheduler.deadline import Deadline, solver_seconds
    from parasched.scheduler.errors import Issue
    from parasched.scheduler.schedule import Status
    from parasched.solver.options import SolverOptions
    from parasched.workflows import resolve as rs

    began = time.monotonic()  # --time-limit counts from here: reading and writing are part of the wait
    cpu_began = time.process_time()  # against the wall clock: how busy the machine is
    verbose = bool((ctx.obj or {}).get("verbose"))
    _check_run_options(time_limit, workers, seed)  # nan, inf, 2**31: refused (issue 14)
    inputs = [p for p in (input_path, baseline_path, absences_path) if p is not None]
    json_path = _json_file(json_target)
    check_output_path(output, inputs=inputs, suffix=".xlsx")  # before the work, not after it
    if json_path is not None:
        check_output_path(json_path, inputs=inputs, others=[output], suffix=".json")
    _refuse_existing(force, output, json_path)
    read = read_problem(input_path)  # with the input's own Absences sheet
    for w in read.warnings:
        click.echo(f"warning: {w}", err=True)
    problem = read.problem
    chosen = parse_days(days, problem.settings.days)
    extra = _new_absences(problem, absences_path) if absences_path is not None else ()  # every problem at once
    extra += absences_from_args(absent, chosen, problem)
    baseline = read_schedule(baseline_path, problem)  # another school's schedule: refused (issue 14)
    if time_limit is not None and time_limit <= 0:
        raise InputError([Issue(f"'{time_limit}' is not a positive number of seconds", "--time-limit")])
    if workers < 1:
        raise InputError([Issue(f"'{workers}' workers; expected 1 or more", "--workers")])
    deadline = Deadline(time_limit or RESOLVE_DEFAULT_SECONDS, began, cpu_started=cpu_began)
    options = SolverOptions(
        time_limit=solver_seconds(deadline, len(problem.paras), len(problem.settings.days)),
        workers=workers,
        seed=seed,
        log=log,
    )

    def baseline_checked(report: object) -> None:
        violations = list(getattr(report, "violations", ()))
        if violations:
            click.echo(
                f"The baseline breaks {len(violations)} rule(s) (reported, not silently changed; "
                "rows on days kept as they were stay as they are):"
            )
            for v in violations:
                click.echo(f"  - {v}")
        else:
            click.echo("Baseline: passes every hard rule.")

    with _progress_display(log) as shown:
        options = dataclasses.replace(options, on_progress=shown)
        outcome, interrupted = _run_stoppable(
            options,
            lambda opts: rs.resolve(
                problem,
                baseline,
                opts,
                extra_absences=extra,
                days=chosen,
                on_baseline_checked=baseline_checked,
                names=verbose,
            ),
            keep_on_interrupt,
            output,
        )
    for note in outcome.notes:
        click.echo(f"Note: {note}")
    if outcome.result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        click.echo(
            f"No schedule found ({outcome.result.status}) within the time limit; nothing written. "
            "Try a longer --time-limit.",
            err=True,
        )
        sys.exit(1)
    write_schedule(
        output,
        outcome.problem,
        outcome.result,
        inputs=inputs,
        changes_sheet=True,
        anonymize=anonymize,
        json_path=json_path,
    )
    if json_target == _JSON_STDOUT:
        from parasched.io.json_out import schedule_to_json

        _emit_json(json_target, schedule_to_json(outcome.problem, outcome.result, anonymize=anonymize), inputs)
    for line in rs.report_lines(outcome, names=verbose):
        click.echo(line)
    if outcome.new_report is None:
        from parasched.scheduler.check import check_schedule

        final = list(check_schedule(outcome.problem, outcome.schedule, names=verbose).violations)
    else:
        final = list(outcome.new_report.violations)
    if final:
        click.echo(f"The new schedule breaks {len(final)} rule(s) (with the absences applied):")
        for v in final:
            click.echo(f"  - {v}")
    else:
        click.echo("New schedule: passes every hard rule (with the absences applied).")
    click.echo(f"Wrote {output} ({time.monotonic() - began:.1f} s in all)")
    if interrupted:
        _interrupted_written(output)


# --- export-ics -------------------------------------------------------------------------------
@main.command("export-ics")
@click.argument("schedule_path", metavar="SCHEDULE.xlsx", type=click.Path(path_type=Path))
@click.argument("out_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--input",
    "input_path",
    type=click.Path(path_type=Path),
    help="The input workbook: its week_of, para names, duty names and session kinds.",
)
@click.option(
    "--names",
    is_flag=True,
    help="Put student names in the events (confidential; needs --input). Default: student ids only.",
)
@_manners(force=True)
@_friendly
def export_ics(schedule_path: Path, out_dir: Path, input_path: Path | None, names: bool, force: bool) -> None:
    """Write one iCalendar (.ics) file per para into DIR, dated from week_of.

    Every assignment (lunch and breaks included) becomes an event; phones and calendar apps
    import the files directly.
    """
    from parasched.io.ics import export_ics as write_ics

    written = write_ics(schedule_path, out_dir, input_path=input_path, names=names, force=force)
    click.echo(f"Wrote {len(written)} calendar file(s) to {out_dir}")


# --- batch (a district's schools in one run; parasched/workflows/batch.py) ---------------------
@main.command("batch")
@click.argument("schools_dir", metavar="SCHOOLS_DIR", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for each school's schedule and the district.xlsx summary (created if missing).",
)
@click.option("--workers", type=int, default=0, help="Schools solved at once (default: one per core).")
@click.option(
    "--ray",
    "ray_address",
    default=None,
    is_flag=False,
    flag_value="local",
    metavar="ADDRESS",
    help="Run the schools as Ray tasks: --ray alone starts an embedded Ray here, --ray auto joins the "
    "cluster of this machine (ray start), else a cluster address (ray://host:10001).",
)
@click.option(
    "--district",
    "district_path",
    type=click.Path(path_type=Path),
    default=None,
    help="District workbook with a Substitutes sheet (default: SCHOOLS_DIR/district.xlsx if there).",
)
@click.option("--time-limit", type=float, default=None, help="Seconds per school (default: each workbook's own).")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT seed (one worker per school).")
@click.option(
    "--school-timeout",
    type=float,
    default=None,
    help="Stop a school's solve after this many seconds of wall time (default: 50 x limit + 300).",
)
@_friendly
def batch(
    schools_dir: Path,
    out_dir: Path,
    workers: int,
    ray_address: str | None,
    district_path: Path | None,
    time_limit: float | None,
    seed: int,
    school_timeout: float | None,
) -> None:
    """Solve every school of SCHOOLS_DIR (workbooks or csv folders) and summarize them.

    Each school is validated, solved and checked; a school with bad input or one that fails is
    listed in district.xlsx and the others go on. Re-running skips the schools whose input and
    options did not change, so a stopped run resumes. Exit 0 when every school was solved, 1 when
    some were not.
    """
    from parasched.scheduler.errors import Issue
    from parasched.workflows.batch import SOLVED, BatchOptions, progress_line, run_batch

    for value, name in ((time_limit, "--time-limit"), (school_timeout, "--school-timeout")):
        if value is not None and value <= 0:
            raise InputError([Issue(f"'{value}' is not a positive number of seconds", name)])
    if workers < 0:
        raise InputError([Issue(f"'{workers}' schools at once; expected 1 or more (0 = one per core)", "--workers")])
    if ray_address is not None:
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            raise InputError([Issue("Ray is not installed; expected `pip install ray`, or run without --ray", "--ray")])
    options = BatchOptions(
        time_limit=time_limit, seed=seed, parallel=workers, school_timeout=school_timeout, ray=ray_address
    )
    try:
        report = run_batch(
            schools_dir,
            out_dir,
            options,
            district_input=district_path,
            on_event=lambda *e: click.echo(progress_line(*e), err=True),
        )
    except KeyboardInterrupt:
        click.echo("Interrupted: the schools finished so far are kept; run the same command again to resume.", err=True)
        sys.exit(130)
    finals = [report.final(o.school) for o in report.outcomes]
    solved = sum(o.status == SOLVED for o in finals)
    click.echo(
        f"{solved} of {len(finals)} school(s) solved ({len(report.skipped)} unchanged since the last run) "
        f"on {report.engine}"
    )
    for o in finals:
        if o.status != SOLVED:
            click.echo(f"  - {o.school}: {o.status}" + (f": {o.errors[0]}" if o.errors else ""))
    if report.placements:
        click.echo(
            f"District substitutes placed: {len(report.placements)} substitute-day(s) at "
            f"{len({p.school for p in report.placements})} school(s)"
        )
    click.echo(f"Wrote {report.summary}")
    if solved < len(finals):
        sys.exit(1)


# --- serve (the local web page, issue 17) -----------------------------------------------------
@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but 127.0.0.1/localhost lets other computers reach the page.",
)
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--time-limit",
    type=float,
    default=RESOLVE_DEFAULT_SECONDS,
    show_default=True,
    help="Seconds a solve or re-plan started from the page may take.",
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@_friendly
def serve(host: str, port: int, time_limit: float, workers: int) -> None:
    """Start the local web page: open the workbooks, tick who is out, re-plan the day, download
    the new workbook and calendars. Nothing leaves this computer; stop with Ctrl-C."""
    from parasched.scheduler.errors import Issue
    from parasched.web.server import address, check_port, is_loopback, run

    if time_limit <= 0:
        raise InputError([Issue(f"'{time_limit}' is not a positive number of seconds", "--time-limit")])
    if workers < 1:
        raise InputError([Issue(f"'{workers}' workers; expected 1 or more", "--workers")])
    if not is_loopback(host):
        click.echo(
            f"WARNING: --host {host} lets other computers on the network open this page and the student "
            "data in it; there is no password. Use it only on a network you trust.",
            err=True,
        )
    check_port(host, port)
    click.echo(f"parasched is running at {address(host, port)} (open it in your browser; Ctrl-C to stop)")
    run(host, port, time_limit=time_limit, workers=workers)
    click.echo("Stopped; the session files were removed.")


# --- advise (issue 18; logic in parasched/workflows/advise.py) --------------------------------
@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help="Advise on this schedule workbook instead of solving the week first.",
)
@click.option(
    "--budget", type=int, default=1, show_default=True, help="Also find the best combination of up to N changes."
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the advice workbook (.xlsx) here.",
)
@click.option(
    "--time-limit",
    type=float,
    default=None,
    help="Seconds for the first solve (default: the workbook's time_limit_seconds).",
)
@click.option(
    "--eval-limit", type=float, default=5.0, show_default=True, help="Seconds for each re-solve with a change applied."
)
@click.option("--candidates", type=int, default=20, show_default=True, help="How many changes to re-solve.")
@click.option("--jobs", type=int, default=None, help="Re-solves run at once (default: the machine's cores).")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@_manners(force=True)
@click.pass_context
@_friendly
def advise(
    ctx: click.Context,
    input_path: Path,
    baseline_path: Path | None,
    budget: int,
    output: Path | None,
    time_limit: float | None,
    eval_limit: float,
    candidates: int,
    jobs: int | None,
    seed: int,
    force: bool,
) -> None:
    """Which hire, extra hours, training, substitute or duty move would cover the most unmet minutes.

    Starts from the week's schedule (solved now, or --baseline), re-solves the week with each
    candidate change and ranks the changes by minutes covered per priority, then by para-hours.
    """
    from parasched.io.files import check_output_path
    from parasched.io.reader import read_problem
    from parasched.io.schedule_reader import read_schedule
    from parasched.scheduler.errors import Issue
    from parasched.solver.options import SolverOptions
    from parasched.workflows import advise as adv
    from parasched.workflows.solve import solve as solve_week

    names = bool((ctx.obj or {}).get("verbose"))
    for value, flag in ((budget, "--budget"), (candidates, "--candidates"), (jobs, "--jobs")):
        if value is not None and value < 1:
            raise InputError([Issue(f"'{value}' is too small; expected 1 or more", flag)])
    for seconds, flag in ((time_limit, "--time-limit"), (eval_limit, "--eval-limit")):
        if seconds is not None and seconds <= 0:
            raise InputError([Issue(f"'{seconds}' is not a positive number of seconds", flag)])
    inputs = [p for p in (input_path, baseline_path) if p is not None]
    if output is not None:
        _refuse_existing(force, output)
        check_output_path(output, inputs=inputs, suffix=".xlsx")  # before minutes of solving, not after
    read = read_problem(input_path)
    for w in read.warnings:
        click.echo(f"warning: {w}", err=True)
    problem = read.problem
    if baseline_path is not None:
        from parasched.scheduler.check import check_schedule

        baseline = read_schedule(baseline_path)
        broken = check_schedule(problem, baseline).violations
        if broken:
            click.echo(
                f"The baseline breaks {len(broken)} rule(s); advice is measured on re-solved schedules, "
                "which break none:",
                err=True,
            )
            for v in broken[:5]:
                click.echo(f"  - {v}", err=True)
    else:
        click.echo(
            f"Solving the week first ({len(problem.paras)} paras, {len(problem.students)} students)...", err=True
        )
        result = solve_week(problem, SolverOptions(time_limit=time_limit, workers=2, seed=seed))
        if not result.schedule.assignments:
            click.echo(
                f"No schedule found ({result.status}) within the time limit; try a longer --time-limit.", err=True
            )
            sys.exit(1)
        baseline = result.schedule
    options = adv.AdviceOptions(time_limit=eval_limit, seed=seed, jobs=jobs, candidates=candidates, budget=budget)
    advice = adv.advise(problem, baseline, options, on_progress=lambda line: click.echo(line, err=True))
    for line in adv.report_lines(problem, advice, names=names):
        click.echo(line)
    if output is not None:
        from parasched.io.advice_sheet import write_advice

        write_advice(output, problem, advice, inputs=inputs, names=names)
        click.echo(f"Wrote {output}")


if __name__ == "__main__":  # pragma: no cover
    main()
