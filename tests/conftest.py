"""Shared pytest fixtures; the problems themselves live in ``tests/fixtures.py`` (usable from scripts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# the repository root, so tests import the seeded generator as ``samples.generator`` under plain
# `pytest` too (`python -m pytest` already has it)
ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from parasched.scheduler.model import Problem  # noqa: E402

try:  # repo root on sys.path (python -m pytest, scripts)
    from tests import fixtures
except ImportError:  # pragma: no cover - plain `pytest` puts tests/ itself on sys.path
    import fixtures  # type: ignore[no-redef]


@pytest.fixture
def small_problem() -> Problem:
    """A generated 7-para school (seed fixed), solvable in a couple of seconds."""
    return fixtures.small_problem()


@pytest.fixture
def complete_problem() -> Problem:
    """A small hand-built school using every feature of the contract."""
    return fixtures.complete_problem()
