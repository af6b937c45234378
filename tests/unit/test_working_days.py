"""Report due dates: working days in England and Wales (weekends, bank holidays and their substitute days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.conferences import Conference, ConferenceKind
from bot.domain.policy import REPORT_WORKING_DAYS
from bot.domain.reminders import ReminderPolicy, report_due_date
from bot.domain.working_days import WorkingDays

LONDON = ZoneInfo("Europe/London")
ENGLAND = WorkingDays("ENG")


def _conference(kind: ConferenceKind, start: datetime) -> Conference:
    return Conference("uid", kind, start, start + timedelta(hours=1), None, None, ())


def _due(kind: ConferenceKind, local_start: datetime, working_days: WorkingDays = ENGLAND) -> date:
    policy = ReminderPolicy(timezone=LONDON, working_days=working_days, is_professional=lambda _: True)
    return report_due_date(_conference(kind, local_start.replace(tzinfo=LONDON).astimezone(UTC)), policy)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 24), True),  # a Tuesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2026, 12, 28), False),  # Boxing Day falls on Saturday: the Monday is the substitute
        (date(2027, 1, 1), False),
        (date(2027, 1, 4), True),  # a holiday in Scotland only
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2026, 8, 31), False),  # late summer bank holiday
    ],
)
def test_working_days_in_england(day: date, working: bool) -> None:
    assert ENGLAND.is_working_day(day) is working


def test_wales_shares_englands_bank_holidays_and_scotland_does_not() -> None:
    assert not WorkingDays("WLS").is_working_day(date(2027, 3, 29))
    assert not WorkingDays("SCT").is_working_day(date(2027, 1, 4))
    assert WorkingDays("SCT").is_working_day(date(2027, 3, 29))


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown region"):
        WorkingDays("XX")


@pytest.mark.parametrize(
    ("kind", "local_start", "due"),
    [
        # Thursday: Wednesday is one working day before, Tuesday two.
        (ConferenceKind.INITIAL, datetime(2026, 12, 3, 10, 0), date(2026, 12, 1)),
        # Tuesday: over the weekend to Friday.
        (ConferenceKind.INITIAL, datetime(2026, 12, 1, 10, 0), date(2026, 11, 27)),
        # Review on Tuesday: five working days is the Tuesday before.
        (ConferenceKind.REVIEW, datetime(2026, 12, 1, 10, 0), date(2026, 11, 24)),
        # Monday after New Year: Christmas, the substitute Boxing Day and New Year's Day are skipped.
        (ConferenceKind.INITIAL, datetime(2027, 1, 4, 10, 0), date(2026, 12, 30)),
        (ConferenceKind.REVIEW, datetime(2027, 1, 4, 10, 0), date(2026, 12, 23)),
        # The Wednesday after Easter, when British Summer Time has just begun (28 March 2027).
        (ConferenceKind.INITIAL, datetime(2027, 3, 31, 10, 0), date(2027, 3, 25)),
        # The Tuesday after summer time ended (25 October 2026).
        (ConferenceKind.REVIEW, datetime(2026, 10, 27, 10, 0), date(2026, 10, 20)),
        # Half past midnight local time is still the previous day in UTC: the local day counts.
        (ConferenceKind.INITIAL, datetime(2026, 7, 8, 0, 30), date(2026, 7, 6)),
    ],
)
def test_report_due_dates(kind: ConferenceKind, local_start: datetime, due: date) -> None:
    assert _due(kind, local_start) == due


def test_scotland_counts_its_own_new_year_holiday() -> None:
    # Tuesday 5 January 2027: England's two working days back are 4 Jan and 31 Dec; Scotland's are 31 and 30 Dec.
    assert _due(ConferenceKind.INITIAL, datetime(2027, 1, 5, 10, 0)) == date(2026, 12, 31)
    assert _due(ConferenceKind.INITIAL, datetime(2027, 1, 5, 10, 0), WorkingDays("SCT")) == date(2026, 12, 30)


def _working_days_between(first: date, last: date) -> int:
    """Working days in [first, last)."""
    return sum(ENGLAND.is_working_day(first + timedelta(days=n)) for n in range((last - first).days))


@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31)),
    kind=st.sampled_from(ConferenceKind),
    hour=st.integers(min_value=0, max_value=23),
)
def test_the_due_date_is_a_working_day_the_right_number_of_working_days_before(
    day: date, kind: ConferenceKind, hour: int
) -> None:
    local_start = datetime(day.year, day.month, day.day, hour, 0)
    due = _due(kind, local_start)
    assert ENGLAND.is_working_day(due)
    assert due < day
    assert _working_days_between(due, day) == REPORT_WORKING_DAYS[kind]
