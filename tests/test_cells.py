"""Parsing what people type into cells: times, days, lists, yes/no, support levels, numbers, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parasched.io.cells import (
    CellError,
    parse_bool,
    parse_date,
    parse_days,
    parse_int,
    parse_list,
    parse_number,
    parse_priority,
    parse_span,
    parse_support,
    parse_tags,
    parse_text,
    parse_time,
)
from parasched.scheduler.model import Support
from parasched.scheduler.timegrid import DAYS


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("08:30", 510),
        ("8:30", 510),
        (" 8:30 ", 510),
        ("8:30 AM", 510),
        ("8:30am", 510),
        ("8:30 a.m.", 510),
        ("1:15 PM", 795),
        ("12:00 PM", 720),
        ("12:10 am", 10),
        ("8am", 480),
        ("13:30", 810),
        ("0:00", 0),
        ("24:00", 1440),
        ("08:30:00", 510),
        ("8:30:00 AM", 510),
        ("Noon", 720),
        (dt.time(8, 30), 510),
        (dt.time(13, 5), 785),
        (dt.time(8, 29, 59, 999000), 510),
        (dt.datetime(1899, 12, 30, 15, 0), 900),
        (dt.timedelta(hours=9, minutes=5), 545),
    ],
)
def test_times_people_type(value: object, minutes: int) -> None:
    assert parse_time(value) == minutes


def test_a_number_is_a_time_only_in_a_time_formatted_cell() -> None:
    assert parse_time(0.5, time_format=True) == 720
    with pytest.raises(CellError) as e:
        parse_time(0.5)
    assert e.value.text == "'0.5' is not a time; expected HH:MM such as 08:30"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("830", "'830' is not a time; expected HH:MM such as 08:30"),
        (830, "'830' is not a time; expected HH:MM such as 08:30"),
        (8.5, "'8.5' is not a time; expected HH:MM such as 08:30"),
        ("8.5", "'8.5' is not a time; expected HH:MM such as 08:30"),
        ("8:3O", "'8:3O' is not a time; expected HH:MM such as 08:30"),
        ("25:00", "'25:00' is not a time; expected HH:MM such as 08:30"),
        ("8:75", "'8:75' is not a time; expected HH:MM such as 08:30"),
        ("13:30 PM", "'13:30 PM' is not a time; expected a 12-hour time such as 8:30 AM, or HH:MM such as 08:30"),
        ("8:30:15", "'8:30:15' has seconds; expected HH:MM such as 08:30"),
        (True, "'TRUE' is not a time; expected HH:MM such as 08:30"),
        (dt.date(2026, 9, 7), "'2026-09-07' is a date, not a time; expected HH:MM such as 08:30"),
        (dt.timedelta(days=2), "'2 days, 0:00:00' is not a time of day; expected HH:MM such as 08:30"),
    ],
)
def test_ambiguous_or_wrong_times_are_refused(value: object, message: str) -> None:
    with pytest.raises(CellError) as e:
        parse_time(value)
    assert e.value.text == message


def test_blank_cells_are_none() -> None:
    for parse in (
        parse_time,
        parse_days,
        parse_bool,
        parse_support,
        parse_int,
        parse_span,
        parse_date,
        parse_priority,
        parse_number,
    ):
        assert parse(None) is None
        assert parse("  ") is None
    assert parse_list(None) == ()
    assert parse_tags("") == frozenset()
    assert parse_text(None) == ""


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("Mon", ("Mon",)),
        ("monday", ("Mon",)),
        ("Mon, Wed", ("Mon", "Wed")),
        ("Wed; Mon", ("Mon", "Wed")),
        ("Mon-Thu", ("Mon", "Tue", "Wed", "Thu")),
        ("mon - thu, sat", ("Mon", "Tue", "Wed", "Thu", "Sat")),
        ("Tues thurs", ("Tue", "Thu")),
        ("Mon to Wed", ("Mon", "Tue", "Wed")),
        ("Mon, Mon-Tue", ("Mon", "Tue")),
        ("Friday.", ("Fri",)),
        ("M-F", ("Mon", "Tue", "Wed", "Thu", "Fri")),
        ("M/W/F", ("Mon", "Wed", "Fri")),
        ("Tu, R", ("Tue", "Thu")),
    ],
)
def test_days(value: str, days: tuple[str, ...]) -> None:
    assert parse_days(value) == days


def test_blank_or_all_days_mean_every_school_day() -> None:
    assert parse_days("") is None
    assert parse_days("All") is None
    assert parse_days("daily") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Mnday", "'Mnday' is not a day; expected days such as Mon, Wed or Mon-Thu"),
        (
            "Mon, Funday",
            "'Mon, Funday' is not a list of days ('Funday' is not a day); expected days such as Mon, Wed or Mon-Thu",
        ),
        ("Fri-Mon", "'Fri-Mon' runs backwards; expected days such as Mon, Wed or Mon-Thu"),
        ("T, Th", "'T, Th' is ambiguous ('T' may be Tue or Thu); expected days such as Mon, Wed or Mon-Thu"),
        ("S", "'S' is ambiguous ('S' may be Sat or Sun); expected days such as Mon, Wed or Mon-Thu"),
        (3, "'3' is not a day; expected days such as Mon, Wed or Mon-Thu"),
    ],
)
def test_bad_days(value: object, message: str) -> None:
    with pytest.raises(CellError) as e:
        parse_days(value)
    assert e.value.text == message


def test_lists_and_tags() -> None:
    assert parse_list("P01, P02;;P03 , ,P01") == ("P01", "P02", "P03")
    assert parse_list(101) == ("101",)
    assert parse_tags("Behavior, ASL; medical") == frozenset({"behavior", "asl", "medical"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        (1, True),
        ("x", True),
        (True, True),
        ("no", False),
        ("n", False),
        ("false", False),
        ("0", False),
        (0, False),
        (False, False),
    ],
)
def test_yes_no(value: object, expected: bool) -> None:
    assert parse_bool(value) is expected


def test_yes_no_refuses_other_words() -> None:
    with pytest.raises(CellError) as e:
        parse_bool("maybe")
    assert e.value.text == "'maybe' is not yes or no; expected yes or no"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1:1", Support.ONE_TO_ONE),
        (dt.time(1, 1), Support.ONE_TO_ONE),
        (dt.datetime(1899, 12, 30, 1, 1), Support.ONE_TO_ONE),
        ("1-1", Support.ONE_TO_ONE),
        ("One-to-one", Support.ONE_TO_ONE),
        ("01:01", Support.ONE_TO_ONE),
        ("Shared", Support.SHARED),
        ("flex", Support.FLEX),
        ("NONE", Support.NONE),
    ],
)
def test_support_levels(value: object, expected: Support) -> None:
    assert parse_support(value) == expected


def test_support_refuses_other_words() -> None:
    with pytest.raises(CellError) as e:
        parse_support("full")
    assert e.value.text == "'full' is not a support level; expected 1:1, shared, flex or none"
    with pytest.raises(CellError):
        parse_support(dt.time(1, 2))


def test_whole_numbers() -> None:
    assert parse_int("3") == 3
    assert parse_int("3.0") == 3
    assert parse_int(3.0) == 3
    assert parse_int(" 12 ") == 12
    for bad, shown in (("three", "three"), (2.5, "2.5"), ("2.5", "2.5"), (True, "TRUE")):
        with pytest.raises(CellError) as e:
            parse_int(bad)
        assert e.value.text == f"'{shown}' is not a whole number; expected a number such as 3"


def test_priority_accepts_numbers_and_names() -> None:
    assert parse_priority(1) == 1
    assert parse_priority("Critical") == 1
    assert parse_priority("desirable") == 3
    assert parse_priority("5") == 5  # range is checked by the model, with its own message
    with pytest.raises(CellError) as e:
        parse_priority("high")
    assert e.value.text == "'high' is not a priority; expected 1 (critical), 2 (required) or 3 (desirable)"


def test_time_spans() -> None:
    assert parse_span("10:30-13:30") == (630, 810)
    assert parse_span("10:30 AM - 1:30 PM") == (630, 810)
    assert parse_span("10:30 to 13:30") == (630, 810)
    for bad in ("10:30", "10:30-1330", "a-b"):
        with pytest.raises(CellError) as e:
            parse_span(bad)
        assert e.value.text == f"'{bad}' is not a time span; expected start-end such as 10:30-13:30"


def test_dates() -> None:
    assert parse_date("2026-09-07") == dt.date(2026, 9, 7)
    assert parse_date(dt.datetime(2026, 9, 7, 0, 0)) == dt.date(2026, 9, 7)
    assert parse_date(dt.date(2026, 9, 7)) == dt.date(2026, 9, 7)
    with pytest.raises(CellError) as e:
        parse_date("9/7/2026")
    assert e.value.text == "'9/7/2026' is not a date; expected a date such as 2026-09-07"


def test_text_of_numbers_typed_as_ids() -> None:
    assert parse_text(101) == "101"
    assert parse_text(101.0) == "101"
    assert parse_text("  Room 4 ") == "Room 4"
    assert parse_number("7.5") == 7.5


@given(st.integers(min_value=0, max_value=24 * 60 - 1))
def test_every_time_of_day_round_trips_in_both_clocks(minutes: int) -> None:
    h, m = divmod(minutes, 60)
    assert parse_time(f"{h:02d}:{m:02d}") == minutes
    assert parse_time(f"{h % 12 or 12}:{m:02d} {'PM' if h >= 12 else 'AM'}") == minutes
    assert parse_time(dt.time(h, m)) == minutes


@given(st.lists(st.sampled_from(DAYS), min_size=1, unique=True))
def test_any_list_of_days_round_trips(days: list[str]) -> None:
    assert parse_days(", ".join(days)) == tuple(d for d in DAYS if d in days)
    first, last = DAYS.index(min(days, key=DAYS.index)), DAYS.index(max(days, key=DAYS.index))
    assert parse_days(f"{DAYS[first]}-{DAYS[last]}") == DAYS[first : last + 1]


@given(st.text(max_size=12))
def test_parsers_raise_only_cell_errors(text: str) -> None:
    for parse in (
        parse_time,
        parse_days,
        parse_bool,
        parse_support,
        parse_int,
        parse_span,
        parse_date,
        parse_priority,
        parse_number,
    ):
        try:
            parse(text)
        except CellError as e:
            assert e.text.startswith("'") and "expected" in e.text
