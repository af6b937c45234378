"""Recognising conferences among calendar events, and the reminders each one needs."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.conferences import AttendeeType, CalendarEvent, ConferenceKind, ConferenceRecogniser, Invitee
from bot.domain.reminders import (
    CHAIRS_RECIPIENT,
    MEETING_CHAT_RECIPIENT,
    PlannedReminder,
    ReminderKind,
    ReminderPolicy,
    join_window,
    plan_reminders,
)
from bot.domain.working_days import WorkingDays
from bot.usecases.reminder_sender import REMINDER_KINDS

LONDON = ZoneInfo("Europe/London")
RECOGNISER = ConferenceRecogniser(
    categories=frozenset({"CP Conference"}), subject_pattern=re.compile(r"\b(ICPC|RCPC)\b", re.IGNORECASE)
)
CHAIR = Invitee("chair@council.gov.uk", "Alex Morgan", AttendeeType.REQUIRED)
SOCIAL_WORKER = Invitee("sam@council.gov.uk", "Sam Patel", AttendeeType.REQUIRED)
POLICE = Invitee("jo@police.uk", "Jo Evans", AttendeeType.OPTIONAL)
PARENT = Invitee("parent@example.com", "A Parent", AttendeeType.REQUIRED)
ROOM = Invitee("room-1@council.gov.uk", "Room 1", AttendeeType.RESOURCE)


def _event(subject: str = "Meeting", categories: tuple[str, ...] = (), **changes: object) -> CalendarEvent:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    event = CalendarEvent(
        event_id="AAMk-1",
        ical_uid="040000008200E00074C5B7101A82E008",
        subject=subject,
        categories=categories,
        start=start,
        end=start + timedelta(hours=2),
        is_cancelled=False,
        is_series_master=False,
        join_url="https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0",
        organiser=CHAIR,
        attendees=(SOCIAL_WORKER, POLICE, PARENT, ROOM),
    )
    return replace(event, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("subject", "categories", "kind"),
    [
        ("ICPC - Smith", (), ConferenceKind.INITIAL),
        ("RCPC Smith family", (), ConferenceKind.REVIEW),
        ("Smith", ("CP Conference", "Initial"), ConferenceKind.INITIAL),
        ("Smith review", ("cp conference",), ConferenceKind.REVIEW),
        # The category says which kind even when the subject mentions the other.
        ("Review of the initial plan", ("CP Conference", "Review"), ConferenceKind.REVIEW),
        ("Team meeting", (), None),
        ("Initial conversation", ("Other",), None),
        ("Smith", ("CP Conference",), None),  # a conference of no known kind is ignored
        ("ICPC review", (), None),  # both kinds in the subject and nothing else to go on
    ],
)
def test_conferences_are_recognised_with_their_kind(
    subject: str, categories: tuple[str, ...], kind: ConferenceKind | None
) -> None:
    assert RECOGNISER.kind_of(_event(subject, categories)) is kind


def test_a_series_master_is_not_a_conference_its_occurrences_are() -> None:
    assert RECOGNISER.kind_of(_event("ICPC Smith", is_series_master=True)) is None


def test_a_conference_keeps_no_subject() -> None:
    conference = RECOGNISER.conference(_event("ICPC Smith"))
    assert conference is not None
    assert "Smith" not in repr(conference)
    assert conference.key == "040000008200E00074C5B7101A82E008"


def _policy(**changes: object) -> ReminderPolicy:
    return ReminderPolicy(
        timezone=LONDON,
        working_days=WorkingDays("ENG"),
        is_professional=lambda email: email.endswith(("council.gov.uk", "police.uk")),
        **changes,  # type: ignore[arg-type]
    )


def test_an_initial_conference_gets_the_chat_card_join_early_and_report_reminders() -> None:
    conference = RECOGNISER.conference(_event("ICPC Smith"))
    assert conference is not None
    start = conference.start
    assert sorted(plan_reminders(conference, _policy()), key=lambda r: (r.kind, r.recipient)) == sorted(
        [
            PlannedReminder(ReminderKind.MEETING_CHAT, MEETING_CHAT_RECIPIENT, start - timedelta(minutes=15), start),
            PlannedReminder(ReminderKind.JOIN_EARLY, "jo@police.uk", start - timedelta(minutes=15), start),
            PlannedReminder(ReminderKind.JOIN_EARLY, "sam@council.gov.uk", start - timedelta(minutes=15), start),
            # Thursday 3 December: the report is due Tuesday 1st; the reminder is Monday 30 November at 09:00 GMT.
            PlannedReminder(
                ReminderKind.REPORT_DUE,
                "jo@police.uk",
                datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
                datetime(2026, 12, 2, 0, 0, tzinfo=UTC),
            ),
            PlannedReminder(
                ReminderKind.REPORT_DUE,
                "sam@council.gov.uk",
                datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
                datetime(2026, 12, 2, 0, 0, tzinfo=UTC),
            ),
            # The chairs hear who has shared their report the working day after it was due: Wednesday 2nd, 09:00.
            PlannedReminder(
                ReminderKind.REPORT_STATUS, CHAIRS_RECIPIENT, datetime(2026, 12, 2, 9, 0, tzinfo=UTC), start
            ),
            # The chairs hear about quoracy at the start, and five minutes later (only if it is still not quorate).
            PlannedReminder(ReminderKind.QUORUM_AT_START, CHAIRS_RECIPIENT, start, start + timedelta(minutes=15)),
            PlannedReminder(
                ReminderKind.QUORUM_RECHECK,
                CHAIRS_RECIPIENT,
                start + timedelta(minutes=5),
                start + timedelta(minutes=20),
            ),
        ],
        key=lambda r: (r.kind, r.recipient),
    ), "the organiser, the family and the room get nothing privately"


def test_report_reminders_are_at_nine_local_time_in_summer() -> None:
    conference = RECOGNISER.conference(_event("RCPC", start=datetime(2026, 7, 10, 9, 0, tzinfo=UTC)))
    assert conference is not None
    [report, *_] = [r for r in plan_reminders(conference, _policy()) if r.kind is ReminderKind.REPORT_DUE]
    # Friday 10 July: due Friday 3 July; reminded Thursday 2 July at 09:00 BST, which is 08:00 UTC.
    assert report.due_at == datetime(2026, 7, 2, 8, 0, tzinfo=UTC)


def test_lead_time_reminder_days_and_exempt_people_are_settings() -> None:
    conference = RECOGNISER.conference(_event("ICPC"))
    assert conference is not None
    policy = _policy(
        lead_time=timedelta(minutes=30), report_reminder_working_days=3, not_reminded=frozenset({"jo@police.uk"})
    )
    planned = plan_reminders(conference, policy)
    joining = (ReminderKind.MEETING_CHAT, ReminderKind.JOIN_EARLY)
    assert {r.due_at for r in planned if r.kind in joining} == {conference.start - timedelta(minutes=30)}
    [report] = [r for r in planned if r.kind is ReminderKind.REPORT_DUE]
    assert report.recipient == "sam@council.gov.uk"
    assert report.due_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_a_cancelled_conference_needs_nothing() -> None:
    conference = RECOGNISER.conference(_event("ICPC", is_cancelled=True))
    assert conference is not None
    assert plan_reminders(conference, _policy()) == []


def test_the_join_window_is_three_to_two_minutes_before() -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert join_window(start) == (start - timedelta(minutes=3), start - timedelta(minutes=2))


def test_a_calendar_event_never_shows_its_subject() -> None:
    assert "Smith" not in repr(_event("ICPC Smith"))


def test_every_kind_of_reminder_has_one_way_to_be_sent() -> None:
    assert set(REMINDER_KINDS) == set(ReminderKind)
    assert len({handling.deliver for handling in REMINDER_KINDS.values()}) == len(ReminderKind)


def test_the_report_status_waits_for_a_working_day_and_is_never_after_the_start() -> None:
    # Monday 7 December: due Monday 30 November (5 working days); the status goes Tuesday 1 December at 09:00.
    review = RECOGNISER.conference(_event("RCPC", start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC)))
    assert review is not None
    [status] = [r for r in plan_reminders(review, _policy()) if r.kind is ReminderKind.REPORT_STATUS]
    assert status.due_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    # Tuesday 29 December: Monday 28th (for Boxing Day) and Christmas Day are holidays, so the report is due
    # Wednesday 23rd and the status goes on Thursday 24th at 09:00; after the start it is never sent.
    winter = RECOGNISER.conference(_event("ICPC", start=datetime(2026, 12, 29, 10, 0, tzinfo=UTC)))
    assert winter is not None
    [status] = [r for r in plan_reminders(winter, _policy()) if r.kind is ReminderKind.REPORT_STATUS]
    assert status.due_at == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    assert status.expires_at == winter.start
    # Friday 1 January's holiday: a status due after a holiday waits for the next working day.
    new_year = RECOGNISER.conference(_event("ICPC", start=datetime(2027, 1, 6, 10, 0, tzinfo=UTC)))
    assert new_year is not None
    # Wednesday 6 January: due Monday 4th (Friday 1st is a holiday); the status goes Tuesday 5th.
    [status] = [r for r in plan_reminders(new_year, _policy()) if r.kind is ReminderKind.REPORT_STATUS]
    assert status.due_at == datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def test_no_report_status_when_no_report_is_expected() -> None:
    conference = RECOGNISER.conference(_event("ICPC"))
    assert conference is not None
    everyone_exempt = _policy(not_reminded=frozenset({"jo@police.uk", "sam@council.gov.uk"}))
    assert not [r for r in plan_reminders(conference, everyone_exempt) if r.kind is ReminderKind.REPORT_STATUS]


def test_the_quorum_recheck_is_a_setting_and_can_be_off() -> None:
    conference = RECOGNISER.conference(_event("ICPC"))
    assert conference is not None
    later = [
        r
        for r in plan_reminders(conference, _policy(quorum_recheck=timedelta(minutes=10)))
        if r.kind is ReminderKind.QUORUM_RECHECK
    ]
    assert [r.due_at for r in later] == [conference.start + timedelta(minutes=10)]
    off = plan_reminders(conference, _policy(quorum_recheck=timedelta(0)))
    assert {r.kind for r in off if r.kind in (ReminderKind.QUORUM_AT_START, ReminderKind.QUORUM_RECHECK)} == {
        ReminderKind.QUORUM_AT_START
    }
