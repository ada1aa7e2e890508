"""The command line: parse -> read -> solve/check -> write. Thin by design.

Every command turns bad input into a located message and exit code 2 (never a traceback).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from parasched.scheduler.errors import InputError

EXIT_BAD_INPUT = 2


def _friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Report InputError / OSError as a message with exit code 2 instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            click.echo(f"Cannot use this input ({len(exc.issues)} problem(s)):", err=True)
            for issue in exc.issues:
                click.echo(f"  - {issue}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except (PermissionError, IsADirectoryError, FileNotFoundError) as exc:
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


@click.group()
@click.version_option(package_name="parasched")
@click.option("--verbose", is_flag=True, help="Log details, student names included (confidential).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Weekly paraprofessional schedules for schools (see README)."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


# --- template / validate (foundation) ---------------------------------------------------------

# --- check ------------------------------------------------------------------------------------

# --- solve ------------------------------------------------------------------------------------

# --- resolve ----------------------------------------------------------------------------------
@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--baseline", "baseline_path", required=True, type=click.Path(path_type=Path),
              help="The schedule workbook to repair (ours, or edited by hand).")
@click.option("--absences", "absences_path", type=click.Path(path_type=Path),
              help="A workbook (or .csv) with an Absences sheet: person_id, days, start, end, reason.")
@click.option("--absent", "absent", multiple=True, metavar="ID[:HH:MM-HH:MM]",
              help="A para or student out on the --day days: whole day (P07) or part day (P11:10:00-12:00).")
@click.option("--day", "days", multiple=True, metavar="DAY",
              help="Re-plan this day (repeatable; Tue, Mon-Wed). --absent applies to these days; required "
                   "with --absent unless the week has one school day. Days with new absences are always re-planned.")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="The new schedule workbook (with a Changes sheet).")
@click.option("--time-limit", type=float, default=None, help="Seconds (default: the workbook's time_limit_seconds).")
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option("--log", is_flag=True, help="Print the CP-SAT search log.")
@click.pass_context
@_friendly
def resolve(ctx: click.Context, input_path: Path, baseline_path: Path, absences_path: Path | None,
            absent: tuple[str, ...], days: tuple[str, ...], output: Path, time_limit: float | None,
            workers: int, seed: int, log: bool) -> None:
    """Re-plan after absences: keep everyone safe, change as little as possible.

    Only days with a new absence (and the --day days) are re-planned; every other day is kept
    exactly as in the baseline. Prints the baseline's own violations, who is affected and what
    changed for them, and what is still uncovered.
    """
    from parasched.io.absence_args import absences_from_args, parse_days
    from parasched.io.reader import read_absences, read_problem
    from parasched.io.schedule_reader import read_schedule
    from parasched.io.writer import write_schedule
    from parasched.scheduler import resolve as rs
    from parasched.scheduler.errors import Issue
    from parasched.scheduler.schedule import Status
    from parasched.solver.options import SolverOptions

    verbose = bool((ctx.obj or {}).get("verbose"))
    read = read_problem(input_path)
    for w in read.warnings:
        click.echo(f"warning: {w}", err=True)
    problem = read.problem
    extra = tuple(read_absences(absences_path)) if absences_path is not None else ()
    chosen = parse_days(days, problem.settings.days)
    extra += absences_from_args(absent, chosen, problem)
    baseline = read_schedule(baseline_path)
    if time_limit is not None and time_limit <= 0:
        raise InputError([Issue(f"'{time_limit}' is not a positive number of seconds", "--time-limit")])
    if workers < 1:
        raise InputError([Issue(f"'{workers}' workers; expected 1 or more", "--workers")])
    options = SolverOptions(time_limit=time_limit, workers=workers, seed=seed, log=log)

    def baseline_checked(report: object) -> None:
        violations = list(getattr(report, "violations", ()))
        if violations:
            click.echo(f"The baseline breaks {len(violations)} rule(s) (reported, not silently changed; "
                       "rows on days kept as they were stay as they are):")
            for v in violations:
                click.echo(f"  - {v}")
        else:
            click.echo("Baseline: passes every hard rule.")

    outcome = rs.resolve(problem, baseline, options, extra_absences=extra, days=chosen,
                         on_baseline_checked=baseline_checked)
    for note in outcome.notes:
        click.echo(f"Note: {note}")
    if outcome.result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        click.echo(f"No schedule found ({outcome.result.status}) within the time limit; nothing written. "
                   "Try a longer --time-limit.", err=True)
        sys.exit(1)
    inputs = [p for p in (input_path, baseline_path, absences_path) if p is not None]
    write_schedule(output, outcome.problem, outcome.result, inputs=inputs, changes_sheet=True)
    for line in rs.report_lines(outcome, names=verbose):
        click.echo(line)
    click.echo(f"Wrote {output}")


# --- export-ics -------------------------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    main()
