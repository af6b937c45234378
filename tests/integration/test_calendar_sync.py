"""Calendar sync through the real msgraph-sdk client against a fake Graph on 127.0.0.1 (Graph's documented delta
wire format), into the real store on SQLite and PostgreSQL, with the outbox re-planned as the calendar changes."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.conferences import ConferenceRecogniser
from bot.domain.outbox import ReminderStatus
from bot.domain.reminders import ReminderKind
from bot.graph.calendar import GraphCalendar
from bot.graph.client import graph_client
from bot.graph.people import GraphPeople
from bot.store.conferences import SqlConferences
from bot.store.database import session_factory
from bot.store.leases import SqlLeases
from bot.store.reminders import SqlReminderOutbox
from bot.usecases.calendar_sync import CalendarSync, OneInstance
from tests.conftest import ServerFactory
from tests.support.fake_calendars import GraphEvent
from tests.support.fake_graph import FakeGraph
from tests.support.reminder_policy import policy_for

MAILBOX = "cp-conferences@example-council.gov.uk"
CHAIR_MAILBOX = "alex.morgan@example-council.gov.uk"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CHAIR = ("alex.morgan@example-council.gov.uk", "Alex Morgan")
ORGANISER_EMAIL, ORGANISER_ID = CHAIR[0], "4f8c2e1a-0b3d-4c5e-9f6a-7b8c9d0e1f2a"
SOCIAL_WORKER = ("sam.patel@example-council.gov.uk", "Sam Patel", "required")
POLICE = ("jo.evans@example.police.uk", "Jo Evans", "optional")
PARENT = ("parent@example.com", "A Parent", "required")
JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjE1NWIz%40thread.v2/0?context=%7b%7d"
SHORT_JOIN_URL = "https://teams.microsoft.com/meet/3141592653?p=abcdef"
POLICY = policy_for("@example-council.gov.uk", ".police.uk")


def _conference(event_id: str, start: datetime, subject: str = "ICPC Smith", **more: object) -> GraphEvent:
    event = GraphEvent(
        id=event_id,
        ical_uid=f"uid-{event_id}",
        subject=subject,
        start=start,
        end=start + timedelta(hours=2),
        organiser=CHAIR,
        attendees=(SOCIAL_WORKER, POLICE, PARENT),
        join_url=JOIN_URL,
    )
    return replace(event, **more)  # type: ignore[arg-type]


@dataclass
class World:
    graph: FakeGraph
    sync: CalendarSync
    conferences: SqlConferences
    outbox: SqlReminderOutbox
    another_instance: Callable[[str], CalendarSync]
    """The same sync on another instance sharing the database, taking turns through the lease (named holder)."""


@pytest.fixture
async def world(aiohttp_server: ServerFactory, engine: AsyncEngine) -> AsyncIterator[World]:
    graph = FakeGraph(directory={ORGANISER_EMAIL: ORGANISER_ID})
    server = await aiohttp_server(graph.app())
    sessions = session_factory(engine)
    conferences, outbox = SqlConferences(sessions), SqlReminderOutbox(sessions)
    async with graph_client(str(server.make_url("/v1.0")), None, request_timeout_seconds=5) as client:
        calendar = GraphCalendar(client, GraphPeople(client))

        def sync(one_instance: OneInstance | None = None) -> CalendarSync:
            return CalendarSync(
                mailboxes=[MAILBOX, CHAIR_MAILBOX],
                source=calendar,
                chats=calendar,
                store=conferences,
                outbox=outbox,
                recogniser=ConferenceRecogniser(subject_pattern=re.compile(r"\b(ICPC|RCPC)\b")),
                policy=POLICY,
                horizon=timedelta(days=28),
                one_instance=one_instance,
            )

        def another_instance(holder: str) -> CalendarSync:
            return sync(OneInstance(SqlLeases(sessions), holder, timedelta(minutes=5)))

        yield World(graph, sync(), conferences, outbox, another_instance)


async def _open(world: World) -> dict[tuple[str, str], datetime]:
    return {
        (entry.kind.value, entry.recipient): entry.due_at
        for entry in await world.outbox.entries()
        if entry.status is ReminderStatus.PENDING
    }


async def test_a_first_sync_reads_every_page_and_plans_the_reminders(world: World) -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    calendars = world.graph.calendars
    calendars.put(MAILBOX, _conference("e1", start))
    calendars.put(MAILBOX, _conference("e2", start + timedelta(days=1), subject="Team meeting"))
    calendars.put(MAILBOX, _conference("e3", start + timedelta(days=2), subject="RCPC Jones"))
    await world.sync.run_once(NOW)
    pages = [r for r in calendars.requests if "calendarView/delta" in r and "cp-conferences" in r]
    assert len(pages) == 2, "three events at two a page: the next link was followed"
    upcoming = await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))
    assert [(c.conference.kind.value, c.conference.start) for c in upcoming] == [
        ("initial", start),
        ("review", start + timedelta(days=2)),
    ]
    first = upcoming[0].conference
    assert first.chat_id == "19:meeting_NjE1NWIz@thread.v2", "read from the classic join URL"
    assert {p.email for p in first.invitees} == {SOCIAL_WORKER[0], POLICE[0], PARENT[0]}
    planned = await world.outbox.entries(conference_id=upcoming[0].id)
    assert sorted((e.kind.value, e.recipient) for e in planned) == [
        ("join-early", POLICE[0]),
        ("join-early", SOCIAL_WORKER[0]),
        ("meeting-chat", ""),
        ("quorum-recheck", ""),
        ("quorum-start", ""),
        ("report-due", POLICE[0]),
        ("report-due", SOCIAL_WORKER[0]),
        ("report-status", ""),
    ]


async def test_the_subject_is_never_stored(world: World, engine: AsyncEngine) -> None:
    world.graph.calendars.put(MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)))
    await world.sync.run_once(NOW)
    async with engine.connect() as connection:
        for table in ("conferences", "conference_invitees", "calendar_entries", "reminders", "mailbox_sync"):
            rows = (await connection.exec_driver_sql(f"SELECT * FROM {table}")).all()  # noqa: S608
            assert rows, table
            assert "Smith" not in repr(rows), f"the family's name reached {table}"


async def test_later_rounds_follow_reschedules_cancellations_and_removals(world: World) -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    calendars = world.graph.calendars
    for n in range(3):
        calendars.put(MAILBOX, _conference(f"e{n}", start + timedelta(days=n)))
    await world.sync.run_once(NOW)
    before = await _open(world)
    calendars.change(MAILBOX, "e0", start=start + timedelta(days=7), end=start + timedelta(days=7, hours=2))
    calendars.change(MAILBOX, "e1", is_cancelled=True)
    calendars.delete(MAILBOX, "e2")
    later = NOW + timedelta(minutes=5)
    await world.sync.run_once(later)
    assert any("$deltatoken=" in r for r in calendars.requests), "the second round resumed from the delta link"
    entries = await world.outbox.entries()
    by_conference: dict[int, set[ReminderStatus]] = {}
    for entry in entries:
        by_conference.setdefault(entry.conference_id, set()).add(entry.status)
    [moved, cancelled, removed] = sorted(by_conference)
    assert by_conference[cancelled] == {ReminderStatus.CANCELLED}
    assert by_conference[removed] == {ReminderStatus.CANCELLED}
    chat_card = next(e for e in entries if e.conference_id == moved and e.kind is ReminderKind.MEETING_CHAT)
    assert chat_card.status is ReminderStatus.PENDING
    assert chat_card.due_at == start + timedelta(days=7) - timedelta(minutes=15)
    assert before[("meeting-chat", "")] != chat_card.due_at


async def test_a_conference_in_two_calendars_is_one_conference(world: World) -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    world.graph.calendars.put(MAILBOX, _conference("shared-copy", start))
    # Each mailbox has its own event id for its copy; the iCalUId is the same.
    world.graph.calendars.put(CHAIR_MAILBOX, replace(_conference("chairs-copy", start), ical_uid="uid-shared-copy"))
    await world.sync.run_once(NOW)
    assert len(await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))) == 1
    world.graph.calendars.delete(CHAIR_MAILBOX, "chairs-copy")
    await world.sync.run_once(NOW + timedelta(minutes=5))
    [still] = await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))
    assert not still.conference.cancelled, "the shared calendar still has it"


async def test_recurring_occurrences_are_conferences_and_the_series_master_is_not(world: World) -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    calendars = world.graph.calendars
    calendars.put(MAILBOX, _conference("master", start, subject="RCPC", type="seriesMaster"))
    for week in range(3):
        calendars.put(
            MAILBOX,
            _conference(
                f"occurrence-{week}",
                start + timedelta(weeks=week),
                subject="RCPC",
                type="occurrence",
                series_master_id="master",
            ),
        )
    await world.sync.run_once(NOW)
    upcoming = await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))
    assert [c.conference.start for c in upcoming] == [start + timedelta(weeks=week) for week in range(3)]


async def test_short_join_urls_are_looked_up_in_the_organisers_online_meetings(world: World) -> None:
    calendars = world.graph.calendars
    calendars.online_meetings[SHORT_JOIN_URL] = "19:meeting_short@thread.v2"
    calendars.put(MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC), join_url=SHORT_JOIN_URL))
    await world.sync.run_once(NOW)
    [found] = await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))
    assert found.conference.chat_id == "19:meeting_short@thread.v2"
    asked = [r for r in calendars.requests if "/onlineMeetings?" in r]
    assert asked
    assert all(f"/users/{ORGANISER_ID}/onlineMeetings" in r for r in asked), "by object id, as Graph documents"
    assert world.graph.calls.count(f"GET /users?mail={ORGANISER_EMAIL}") == 1, "the address is looked up once"


async def test_an_organiser_outside_the_organisation_has_no_meetings_to_look_in(world: World) -> None:
    calendars = world.graph.calendars
    calendars.online_meetings[SHORT_JOIN_URL] = "19:meeting_short@thread.v2"
    outsider = _conference("e2", datetime(2026, 12, 3, 10, 0, tzinfo=UTC), join_url=SHORT_JOIN_URL)
    calendars.put(MAILBOX, replace(outsider, organiser=("someone@partner.example", "Partner")))
    await world.sync.run_once(NOW)
    [found] = await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))
    assert found.conference.chat_id is None
    assert not [r for r in calendars.requests if "/onlineMeetings?" in r]


FOREIGN_LINKS = (
    "https://zoom.us/j/123456789",
    "http://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://teams.microsoft.com.evil.example/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://evil.example@teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://teams.microsoft.com:8443/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://teams.microsoft.com/l/chat/0/0?users=x",
    "javascript:alert(1)",
)


async def test_an_event_whose_join_link_is_not_a_teams_meeting_gets_nothing_and_is_logged_by_id(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.usecases.calendar_sync")
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    for n, link in enumerate(FOREIGN_LINKS):
        world.graph.calendars.put(MAILBOX, _conference(f"foreign-{n}", start + timedelta(hours=n), join_url=link))
    await world.sync.run_once(NOW)
    assert await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30)) == []
    assert await world.outbox.entries() == [], "no reminder, card or e-mail is planned for any of them"
    for n in range(len(FOREIGN_LINKS)):
        assert f"join link is not a Teams meeting link event=foreign-{n}" in caplog.text
    assert "Smith" not in caplog.text
    assert not any(link in caplog.text for link in FOREIGN_LINKS), "the link itself is not logged"


async def test_a_conference_whose_link_is_changed_to_another_site_loses_its_reminders(world: World) -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    world.graph.calendars.put(MAILBOX, _conference("e1", start))
    await world.sync.run_once(NOW)
    assert await _open(world), "planned while the link was a Teams one"
    world.graph.calendars.change(MAILBOX, "e1", join_url=FOREIGN_LINKS[0])
    await world.sync.run_once(NOW + timedelta(minutes=5))
    assert await _open(world) == {}, "nothing is left to send people to the other site"
    assert {entry.status for entry in await world.outbox.entries()} == {ReminderStatus.CANCELLED}


async def test_throttling_is_retried_after_the_time_graph_asks(world: World) -> None:
    calendars = world.graph.calendars
    calendars.put(MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)))
    calendars.throttle_next = [1]
    await world.sync.run_once(NOW)
    assert len(await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))) == 1
    assert calendars.throttle_next == []


async def test_an_expired_delta_link_starts_a_fresh_read(world: World) -> None:
    calendars = world.graph.calendars
    calendars.put(MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)))
    await world.sync.run_once(NOW)
    calendars.expire_delta_tokens = True
    calendars.delete(MAILBOX, "e1")
    await world.sync.run_once(NOW + timedelta(minutes=5))
    assert await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30)) == []


async def test_a_mailbox_graph_refuses_is_logged_by_number_and_the_others_sync(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.usecases.calendar_sync")
    world.graph.calendars.put(CHAIR_MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)))
    world.graph.calendars.refused_mailboxes.add(MAILBOX)  # outside the application's Exchange RBAC scope
    await world.sync.run_once(NOW)
    assert "calendar sync failed mailbox=#1 reason=Graph answered 403 (ErrorAccessDenied)" in caplog.text
    assert "mailbox=#2 conferences_changed=1" in caplog.text
    assert "example-council" not in caplog.text


async def test_graph_down_leaves_what_is_planned_pending_and_the_next_round_catches_up(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    calendars = world.graph.calendars
    calendars.put(MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)))
    await world.sync.run_once(NOW)
    planned = await world.outbox.entries()
    assert planned
    assert {entry.status for entry in planned} == {ReminderStatus.PENDING}

    calendars.down = True
    calendars.put(MAILBOX, _conference("e2", datetime(2026, 12, 4, 10, 0, tzinfo=UTC)))
    with caplog.at_level(logging.WARNING, logger="bot.usecases.calendar_sync"):
        await world.sync.run_once(NOW + timedelta(minutes=5))  # does not raise
    assert "calendar sync failed mailbox=#1" in caplog.text
    assert await world.outbox.entries() == planned, "nothing planned is lost or changed"

    calendars.down = False
    await world.sync.run_once(NOW + timedelta(minutes=10))
    found = await world.conferences.upcoming(after=NOW, before=NOW + timedelta(days=30))
    assert len(found) == 2, "the change made while Graph was down arrives with the next round"


async def test_instances_sharing_a_database_sync_one_at_a_time(world: World) -> None:
    calendars = world.graph.calendars
    calendars.put(MAILBOX, _conference("e1", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)))
    first, second = world.another_instance("instance-a"), world.another_instance("instance-b")
    await first.run_once(NOW)
    read = len(calendars.requests)
    assert read > 0
    await second.run_once(NOW + timedelta(minutes=1))
    assert len(calendars.requests) == read, "the other instance leaves it to the lease holder"
    await first.run_once(NOW + timedelta(minutes=5))
    assert len(calendars.requests) > read, "the holder renews and goes on"
    read = len(calendars.requests)
    await second.run_once(NOW + timedelta(minutes=21))  # the holder stopped: its 15-minute lease has lapsed
    assert len(calendars.requests) > read, "taken over"
    await second.stop()  # a clean stop hands over at once
    read = len(calendars.requests)
    await first.run_once(NOW + timedelta(minutes=22))
    assert len(calendars.requests) > read
