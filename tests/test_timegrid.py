"""Interval arithmetic: exact cases and properties against a minute-set model."""

from hypothesis import given
from hypothesis import strategies as st

from parasched.scheduler.timegrid import contains, fmt_span, intersect, merge, overlaps, subtract, total


def minutes(ivs):
    return {m for s, e in ivs for m in range(s, e)}


spans = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)).map(lambda t: (min(t), max(t))), max_size=6)


def test_merge_joins_touching_and_overlapping():
    assert merge([(60, 90), (0, 30), (30, 45), (80, 100)]) == ((0, 45), (60, 100))


def test_subtract_cuts_holes():
    assert subtract([(480, 600)], [(500, 510), (590, 700)]) == ((480, 500), (510, 590))


def test_intersect_and_total():
    assert intersect([(0, 100)], [(50, 150), (10, 20)]) == ((10, 20), (50, 100))
    assert total([(0, 30), (15, 45)]) == 45


def test_half_open_edges():
    assert not overlaps((480, 510), (510, 540))
    assert overlaps((480, 511), (510, 540))
    assert contains([(480, 540)], (480, 540))
    assert not contains([(480, 540)], (475, 540))
    assert fmt_span(485, 900) == "08:05-15:00"


@given(spans, spans)
def test_set_semantics(a, b):
    assert minutes(merge(a)) == minutes(a)
    assert minutes(subtract(a, b)) == minutes(a) - minutes(b)
    assert minutes(intersect(a, b)) == minutes(a) & minutes(b)
    assert total(a) == len(minutes(a))
