"""Test helper: every schedule a test builds or solves must pass the independent checker."""

from __future__ import annotations

from parasched.scheduler.check import CheckReport, check_schedule
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Schedule


def assert_passes_check(problem: Problem, schedule: Schedule) -> CheckReport:
    """Raise AssertionError listing every broken hard rule; return the report when none is broken."""
    report = check_schedule(problem, schedule)
    if not report.ok:
        listed = "\n".join(f"  [{v.rule}] {v.message}" for v in report.violations)
        raise AssertionError(f"the schedule breaks {len(report.violations)} hard rule(s):\n{listed}")
    return report


__all__ = ["assert_passes_check"]
