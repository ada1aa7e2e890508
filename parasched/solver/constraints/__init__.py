"""Hard rules, one module per constraint family, each ``add_xxx(m: ModelData) -> None``.

Eligibility (skills, gender_match, avoid_paras, general_duties, working hours, absences,
support only where and when the student is) holds by construction: ``variables.py`` creates a
variable only for an allowed (para, need, segment). Everything else is added here, in this
order.
"""

from __future__ import annotations

from collections.abc import Callable

from ..variables import ModelData
from .capacity import add_one_place_at_a_time
from .duties import add_duty_staff, add_max_duty_minutes
from .rest import add_breaks, add_lunch, add_max_continuous
from .rotation import add_rotation
from .runs import add_min_support_run
from .support import add_one_para_per_student, add_shared_groups
from .therapy import add_session_no_overlap, add_session_para, add_session_placement

CONSTRAINTS: tuple[Callable[[ModelData], None], ...] = (
    add_one_place_at_a_time,
    add_lunch,
    add_breaks,
    add_max_continuous,
    add_one_para_per_student,
    add_shared_groups,
    add_min_support_run,
    add_rotation,
    add_duty_staff,
    add_max_duty_minutes,
    add_session_placement,
    add_session_no_overlap,
    add_session_para,
)


def add_constraints(m: ModelData) -> None:
    """Add every hard rule, in the order of ``CONSTRAINTS``."""
    for add in CONSTRAINTS:
        add(m)


__all__ = ["CONSTRAINTS", "add_constraints"]
