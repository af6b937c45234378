"""The stores behind reports, proceeding while inquorate and Teams' attendance reports, on SQLite and PostgreSQL,
with instances racing: one confirmation however many presses at once, a link spent exactly once however many pages
post it at once, one decision per conference, one fetch of a session's attendance report."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.attendance_report import AttendanceReport, ReportedAttendee
from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.domain.meetings import MeetingPlace
from bot.domain.quorum_decisions import ProceedDecision
from bot.domain.report_links import LinkProblem, LinkPurpose, ReportLink
from bot.domain.reports import ConfirmOutcome, ReportConfirmation, ReportSource, WithdrawOutcome
from bot.domain.sessions import StartSource
from bot.store.attendance_reports import SqlAttendanceReports
from bot.store.conferences import SqlConferences
from bot.store.database import session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.store.quorum_decisions import SqlQuorumDecisions
from bot.store.reports import SqlReports

NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
EMAIL = "jo.evans@example.police.uk"
CONFERENCE = Conference(
    key="uid-store",
    kind=ConferenceKind.INITIAL,
    start=NOW + timedelta(days=3),
    end=NOW + timedelta(days=3, hours=2),
    join_url=None,
    organiser=None,
    invitees=(Invitee(EMAIL, "Jo Evans", AttendeeType.REQUIRED),),
)


async def _conference(engine: AsyncEngine) -> int:
    return await SqlConferences(session_factory(engine)).save("m@example-council.gov.uk", "e", CONFERENCE, NOW)


async def test_racing_presses_record_one_confirmation_whose_first_time_stands(engine: AsyncEngine) -> None:
    conference_id = await _conference(engine)
    stores = [SqlReports(session_factory(engine)) for _ in range(5)]
    results = await asyncio.gather(
        *(
            store.confirm(ReportConfirmation(conference_id, EMAIL, NOW + timedelta(seconds=n), ReportSource.TEAMS))
            for n, store in enumerate(stores)
        )
    )
    assert sorted(outcome for outcome, _ in results) == [ConfirmOutcome.ALREADY] * 4 + [ConfirmOutcome.RECORDED]
    [standing] = await stores[0].confirmations(conference_id)
    assert {confirmation.confirmed_at for _, confirmation in results} == {standing.confirmed_at}
    assert await stores[0].withdraw(conference_id, EMAIL, NOW) is WithdrawOutcome.WITHDRAWN
    assert await stores[0].withdraw(conference_id, EMAIL, NOW) is WithdrawOutcome.NOT_CONFIRMED
    assert await stores[0].confirmations(conference_id) == []
    again = ReportConfirmation(conference_id, EMAIL, NOW + timedelta(hours=1), ReportSource.CHAIR, marked_by="aad-c")
    assert await stores[0].confirm(again) == (ConfirmOutcome.RECORDED, again), "confirmed afresh after withdrawing"


async def test_a_link_is_spent_once_however_many_posts_race_and_never_after_it_expires(engine: AsyncEngine) -> None:
    conference_id = await _conference(engine)
    store = SqlReports(session_factory(engine))
    link = ReportLink(conference_id, EMAIL, LinkPurpose.CONFIRM, NOW + timedelta(days=1))
    token = await store.issue_link(link, NOW)
    assert await store.link(token, NOW) == link
    confirmation = ReportConfirmation(conference_id, EMAIL, NOW, ReportSource.EMAIL)
    results = await asyncio.gather(
        *(SqlReports(session_factory(engine)).confirm_by_link(confirmation, token) for _ in range(5))
    )
    assert sorted(map(str, results)) == sorted(
        [str((ConfirmOutcome.RECORDED, confirmation))] + [str(LinkProblem.USED)] * 4
    )
    assert await store.link(token, NOW) is LinkProblem.USED
    later = await store.issue_link(link, NOW)
    assert await store.confirm_by_link(confirmation, later + "x") is LinkProblem.UNKNOWN
    expired = NOW + timedelta(days=1)
    assert await store.link(later, expired) is LinkProblem.EXPIRED
    assert await store.confirm_by_link(replace_time(confirmation, expired), later) is LinkProblem.EXPIRED
    assert await store.withdraw_by_link(conference_id, EMAIL, NOW, later) is LinkProblem.UNKNOWN, "not for that"


def replace_time(confirmation: ReportConfirmation, at: datetime) -> ReportConfirmation:
    return ReportConfirmation(confirmation.conference_id, confirmation.email, at, confirmation.source)


async def test_the_first_decision_to_proceed_stands(engine: AsyncEngine) -> None:
    conference_id = await _conference(engine)
    decisions = [SqlQuorumDecisions(session_factory(engine)) for _ in range(3)]
    made = [
        ProceedDecision(conference_id, "19:meeting_x@thread.v2", NOW + timedelta(seconds=n), f"aad-{n}", f"r{n}", ())
        for n in range(3)
    ]
    results = await asyncio.gather(*(store.record(decision) for store, decision in zip(decisions, made, strict=True)))
    assert sorted(recorded for recorded, _ in results) == [False, False, True]
    standing = await decisions[0].of_conference(conference_id)
    assert standing is not None
    assert {decision for _, decision in results} == {standing}
    found = await decisions[0].in_chat(
        "19:meeting_x@thread.v2", since=NOW - timedelta(hours=1), until=NOW + timedelta(hours=1)
    )
    assert found == standing


async def test_one_instance_fetches_a_sessions_attendance_report_and_it_is_kept_whole(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine), lambda: NOW)
    place = MeetingPlace("meeting-1", "19:meeting_x@thread.v2", "tenant-1")
    session = await records.start_session(place, NOW - timedelta(hours=2), StartSource.EVENT)
    await records.end_session(place, NOW - timedelta(hours=1))
    stores = [SqlAttendanceReports(session_factory(engine)) for _ in range(4)]

    async def waiting() -> list[int]:
        return await stores[0].waiting(ended_before=NOW, ended_after=NOW - timedelta(days=1), now=NOW)

    assert await waiting() == [session.id]
    claims = await asyncio.gather(
        *(s.claim(session.id, now=NOW, claimed_before=NOW - timedelta(minutes=5)) for s in stores)
    )
    assert sorted(claims) == [False, False, False, True]
    await stores[0].later(session.id, at=NOW + timedelta(minutes=10), reason="no attendance report yet")
    assert await waiting() == [], "not due again before its time"
    again = NOW + timedelta(minutes=10)
    assert await stores[1].claim(session.id, now=again, claimed_before=again - timedelta(minutes=5))
    joined = NOW - timedelta(hours=2)
    person = ReportedAttendee(
        "aad-1", "Name \u202e", "a@example.org", "t", "Attendee", ((joined, joined + timedelta(minutes=5)),)
    )
    twice = ReportedAttendee("aad-1", "Name", "a@example.org", "t", "Attendee", ((joined + timedelta(minutes=9), NOW),))
    report = AttendanceReport("report-1", None, None, (person, twice))
    assert await stores[1].settle(session.id, outcome="stored", now=again, report=report)
    assert not await stores[2].settle(session.id, outcome="none", now=again), "settled once"
    kept = await stores[3].report(session.id)
    assert kept is not None
    [only] = kept.attendees
    assert only.intervals == (*person.intervals, *twice.intervals), "one row per person, intervals joined"
    assert await waiting() == []
