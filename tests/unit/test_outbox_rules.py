"""How a reminder's attempt settles: back-off, Retry-After, the bound on tries; and the e-mail versions' escaping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.conferences import ConferenceKind
from bot.domain.outbox import LONGEST_RETRY, MAX_ATTEMPTS, Channel, Delivery, ReminderStatus, settle
from cards.emails import join_early_email, report_due_email
from tests.support.sample_cards import REMINDERS

NOW = datetime(2026, 12, 3, 9, 45, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def test_a_retry_backs_off_and_honours_a_longer_retry_after() -> None:
    assert settle(Delivery.retry("busy"), 1, NOW)[:2] == (ReminderStatus.PENDING, NOW + timedelta(seconds=30))
    assert settle(Delivery.retry("busy"), 3, NOW)[1] == NOW + timedelta(minutes=2)
    asked = Delivery.retry("throttled", after=timedelta(minutes=10))
    assert settle(asked, 1, NOW)[1] == NOW + timedelta(minutes=10)


def test_the_last_try_fails_with_the_reason() -> None:
    status, _, reason = settle(Delivery.retry("Teams did not take it"), MAX_ATTEMPTS, NOW)
    assert status is ReminderStatus.FAILED
    assert reason == f"gave up after {MAX_ATTEMPTS} tries: Teams did not take it"


def test_a_settled_delivery_is_kept_as_it_is() -> None:
    assert settle(Delivery.sent(Channel.TEAMS), 1, NOW) == (ReminderStatus.SENT, NOW, None)
    assert settle(Delivery.failed("no app"), 1, NOW) == (ReminderStatus.FAILED, NOW, "no app")


@given(attempts=st.integers(min_value=1, max_value=MAX_ATTEMPTS - 1), asked=st.integers(min_value=0, max_value=7200))
def test_the_next_try_is_never_sooner_than_asked_nor_later_than_the_longest_wait_unless_asked(
    attempts: int, asked: int
) -> None:
    _, next_attempt, _ = settle(Delivery.retry("x", after=timedelta(seconds=asked)), attempts, NOW)
    assert next_attempt >= NOW + timedelta(seconds=asked)
    assert next_attempt <= NOW + max(LONGEST_RETRY, timedelta(seconds=asked))


def test_emails_escape_what_they_carry_and_name_no_one() -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    subject, html = join_early_email(
        start=start,
        timezone=LONDON,
        join_url='https://teams.microsoft.com/l/meetup-join/x?a=1&b="2"',
        wording=REMINDERS,
    )
    assert subject == "Child protection conference Thursday 3 December at 10:00: please join 2–3 minutes early"
    assert 'href="https://teams.microsoft.com/l/meetup-join/x?a=1&amp;b=&quot;2&quot;"' in html
    assert "<strong>camera on</strong>" in html
    with pytest.raises(ValueError, match="not a Teams meeting link"):
        join_early_email(start=start, timezone=LONDON, join_url="https://x.test/meet", wording=REMINDERS)
    subject, html = report_due_email(
        kind=ConferenceKind.REVIEW,
        start=start,
        due=datetime(2026, 11, 26).date(),
        timezone=LONDON,
        wording=REMINDERS.sentences,
    )
    assert subject == "Your conference report is due by Thursday 26 November"
    assert "at least 5 working days before a Review conference" in html
