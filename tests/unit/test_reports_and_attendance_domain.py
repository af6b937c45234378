"""The pure rules behind reports, quoracy at the door and Teams' attendance report: what is late, what is
outstanding, which report is a session's, how the report compares with the live record, and how the buttons' data is
read (anything odd is a polite problem, never an exception)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config.agencies import load_agencies
from bot.config.settings import DEFAULT_AGENCIES_FILE
from bot.domain.attendance import AttendanceEvent
from bot.domain.attendance_report import AttendanceReport, ReportedAttendee, closest_report, reconcile
from bot.domain.card_actions import (
    ActionProblem,
    ActionReason,
    ProceedRequest,
    ReportAction,
    ReportStep,
    read_card_action,
)
from bot.domain.conferences import AttendeeType, Invitee
from bot.domain.meetings import AttendanceKind, MeetingRole
from bot.domain.outbox import Channel, OutboxEntry, ReminderStatus
from bot.domain.reminders import ReminderKind
from bot.domain.report_links import looks_like_token, new_token, token_digest
from bot.domain.reports import Reminded, ReportConfirmation, ReportSource, is_late, reminded_from, reports_status

LONDON = ZoneInfo("Europe/London")
AGENCIES = load_agencies(DEFAULT_AGENCIES_FILE)
START = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)


def test_a_report_is_late_from_the_first_moment_after_its_due_day_in_local_time() -> None:
    due = date(2026, 7, 8)  # summer: local midnight is 23:00 UTC
    assert not is_late(datetime(2026, 7, 8, 22, 59, 59, tzinfo=UTC), due, LONDON)
    assert is_late(datetime(2026, 7, 8, 23, 0, tzinfo=UTC), due, LONDON)


def _invitee(email: str, name: str) -> Invitee:
    return Invitee(email, name, AttendeeType.REQUIRED)


def test_the_status_counts_and_names_the_outstanding_agencies_once_each_in_a_stable_order() -> None:
    people = [
        _invitee("jo@example.police.uk", "Jo"),
        _invitee("kim@example-school.sch.uk", "Kim"),
        _invitee("sam@example-council.gov.uk", "Sam"),
        _invitee("ann@example-school.sch.uk", "Ann"),
        _invitee("pat@unknown.example", "Pat"),
    ]
    shared = ReportConfirmation(1, "jo@example.police.uk", datetime(2026, 12, 9, 9, tzinfo=UTC), ReportSource.EMAIL)
    status = reports_status(
        1,
        professionals=people,
        due=date(2026, 12, 8),
        timezone=LONDON,
        agencies=AGENCIES,
        confirmations=[shared],
        reminded={"kim@example-school.sch.uk": Reminded.NOT_REACHED},
    )
    assert (status.shared, status.expected, status.late) == (1, 5, 1)
    assert status.outstanding_agencies == ("Children's social care", "Education", "Pat")
    assert [invitee.name for invitee in status.invitees] == ["Sam", "Ann", "Kim", "Jo", "Pat"], "by agency, then name"
    assert {invitee.email: invitee.reminded for invitee in status.invitees}["sam@example-council.gov.uk"] is (
        Reminded.NOT_REMINDED
    )


def _entry(recipient: str, status: ReminderStatus, channel: Channel | None = None) -> OutboxEntry:
    return OutboxEntry(1, 1, ReminderKind.REPORT_DUE, recipient, status, START, START, 1, channel)


def test_how_each_reminder_went_is_read_from_the_outbox() -> None:
    found = reminded_from(
        [
            _entry("a", ReminderStatus.SENT, Channel.TEAMS),
            _entry("b", ReminderStatus.SENT, Channel.EMAIL),
            _entry("c", ReminderStatus.PENDING),
            _entry("d", ReminderStatus.FAILED),
            _entry("e", ReminderStatus.EXPIRED),
            OutboxEntry(2, 1, ReminderKind.JOIN_EARLY, "f", ReminderStatus.SENT, START, START, 1, Channel.TEAMS),
        ]
    )
    assert found == {
        "a": Reminded.TEAMS,
        "b": Reminded.EMAIL,
        "c": Reminded.PENDING,
        "d": Reminded.NOT_REACHED,
        "e": Reminded.NOT_REMINDED,
    }


def test_tokens_are_random_and_only_their_digest_is_kept() -> None:
    first, second = new_token(), new_token()
    assert first != second
    assert looks_like_token(first)
    assert len(token_digest(first)) == 64
    assert first not in token_digest(first)


@pytest.mark.parametrize("value", ["", "a" * 65, "abc/def", "abc def", "tok\u00e9n", None, 42, "abc%2F"])
def test_anything_that_is_not_a_token_is_refused_unread(value: object) -> None:
    assert not looks_like_token(value)


def test_the_report_buttons_are_read_and_bad_data_is_a_problem() -> None:
    assert read_card_action({"action": "report-shared", "conference": 7}) == ReportAction(ReportStep.SHARED, 7)
    assert read_card_action({"action": "report-withdraw", "conference": "7"}) == ReportAction(ReportStep.WITHDRAW, 7)
    marked = read_card_action({"action": "report-mark", "conference": 7, "invitee": " Jo@Example.Police.UK "})
    assert marked == ReportAction(ReportStep.MARK, 7, "jo@example.police.uk")
    for conference in (None, 0, -1, True, "x", 2**31, "1" * 11, [7], {"id": 7}):
        problem = read_card_action({"action": "report-shared", "conference": conference})
        assert problem == ActionProblem("report-shared", ActionReason.WHICH_CONFERENCE), conference
    assert read_card_action({"action": "report-mark", "conference": 7}) == ActionProblem(
        "report-mark", ActionReason.WHOSE_REPORT
    )


def test_proceeding_needs_a_reason_that_fits() -> None:
    reason = "Police report received"
    assert read_card_action({"action": "proceed-inquorate", "conference": 3, "reason": f"  {reason}\n"}) == (
        ProceedRequest(3, reason)
    )
    for empty in (None, "", "   ", 5):
        problem = read_card_action({"action": "proceed-inquorate", "conference": 3, "reason": empty})
        assert problem == ActionProblem("proceed-inquorate", ActionReason.REASON_NEEDED)
    too_long = read_card_action({"action": "proceed-inquorate", "conference": 3, "reason": "x" * 1001})
    assert too_long == ActionProblem("proceed-inquorate", ActionReason.REASON_TOO_LONG)


@given(st.dictionaries(st.sampled_from(["action", "conference", "invitee", "reason"]), st.from_type(object)))
def test_no_value_makes_reading_a_button_raise(value: dict[str, object]) -> None:
    for action in ("report-shared", "report-withdraw", "report-mark", "proceed-inquorate"):
        read_card_action({**value, "action": action})


def test_the_report_of_the_session_is_the_one_nearest_its_start() -> None:
    reports = [("old", START - timedelta(days=14)), ("this", START + timedelta(minutes=1)), ("undated", None)]
    assert closest_report(reports, START) == "this"
    assert closest_report([("only", None)], START) == "only"
    assert closest_report([("a", None), ("b", None)], START) is None
    assert closest_report([], START) is None


def _person(key: str, email: str | None, tenant: str | None, *minutes: tuple[int, int]) -> ReportedAttendee:
    spans = tuple((START + timedelta(minutes=a), START + timedelta(minutes=b)) for a, b in minutes)
    return ReportedAttendee(key, key.title(), email, tenant, "Attendee", spans)


def test_the_report_as_events_and_against_the_live_record() -> None:
    report = AttendanceReport(
        "r",
        START,
        START + timedelta(hours=1),
        (
            _person("sam", "sam@example-council.gov.uk", "council", (0, 60)),
            _person("jo", "jo@example.police.uk", "police", (4, 30), (33, 60)),
            _person("anonymous-2", None, None, (2, 58)),
        ),
    )
    events = report.as_events()
    assert [(e.aad_object_id, e.kind) for e in events if e.aad_object_id == "jo"] == [
        ("jo", AttendanceKind.JOINED),
        ("jo", AttendanceKind.LEFT),
        ("jo", AttendanceKind.JOINED),
        ("jo", AttendanceKind.LEFT),
    ]
    assert report.attendees[1].present_for == timedelta(minutes=53)
    live = [AttendanceEvent("SAM", "Sam", MeetingRole.ATTENDEE, AttendanceKind.JOINED, START)]
    compared = reconcile(report, live, "council")
    assert (compared.reported, compared.live, compared.guests_or_external, compared.anonymous) == (3, 1, 1, 1)
    assert compared.only_in_report == 2
