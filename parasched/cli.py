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

# --- export-ics -------------------------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    main()
