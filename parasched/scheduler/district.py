"""A district's shared substitutes (domain records): who they are, where and when they can work.
Read from the district workbook by ``io/district_sheet.py``; placed by ``workflows/district.py``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import Source
from .model import Para, Problem, Role


@dataclass(frozen=True)
class Substitute:
    """A district substitute (a row of the district workbook's Substitutes sheet).

    ``days`` empty = every day; ``start``/``end`` None = the school day of the school they go to;
    ``schools`` empty = every school of the district (keys as ``school_key`` gives them).
    """

    substitute_id: str
    name: str = ""
    skills: frozenset[str] = frozenset()
    gender: str = ""
    days: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    schools: tuple[str, ...] = ()
    source: Source | None = dataclasses.field(default=None, compare=False, repr=False)

    def key(self) -> tuple[object, ...]:
        """Every field in a fixed order (a frozenset's repr follows the process's hash seed)."""
        return (
            self.substitute_id,
            self.name,
            tuple(sorted(self.skills)),
            self.gender,
            self.days,
            self.start,
            self.end,
            self.schools,
        )

    def works(self, day: str) -> bool:
        return not self.days or day in self.days

    def reaches(self, school: str) -> bool:
        return not self.schools or school_key(school) in self.schools

    def hours(self, problem: Problem) -> tuple[int, int]:
        s = problem.settings
        return (
            self.start if self.start is not None else s.school_start,
            self.end if self.end is not None else s.school_end,
        )

    def as_para(self, problem: Problem, days: Sequence[str]) -> Para:
        """This substitute as a para of ``problem`` on ``days`` (role substitute: used only
        where it avoids unmet needs, at a cost)."""
        start, end = self.hours(problem)
        return Para(
            para_id=self.substitute_id,
            name=self.name or self.substitute_id,
            start=start,
            end=end,
            days=tuple(days),
            role=Role.SUBSTITUTE,
            skills=self.skills,
            gender=self.gender,
        )


def school_key(name: str) -> str:
    """How a school is named in the Substitutes sheet: its file (or folder) name without the
    extension, compared case-insensitively."""
    name = name.strip()
    for ext in (".xlsx", ".csv"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return name.lower()
