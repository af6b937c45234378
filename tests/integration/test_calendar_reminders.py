"""Issue 5's acceptance: the whole app (real botbuilder endpoint, real store) with a fake Graph calendar and a fake
Bot Connector on 127.0.0.1, driven by a simulated clock through three weeks of conferences.

A dozen calendar items: initial and review conferences, one rescheduled, one cancelled, one recurring series, one
that is not a conference, one in a chat the bot is not in, one booked after its report reminder was due, one beyond the
first sync's horizon. At each moment that matters the clock moves and the test waits for a whole sync and a whole
send; whatever Teams received is attributed to that moment. The expected messages and times below were worked out by
hand from the partnership's rules (report 2 working days before an Initial conference, 5 before a Review; reminder
one working day before that at 09:00; pre-meeting card and join-early warnings 15 minutes before the start).
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.outbox import ReminderStatus
from bot.domain.reminders import ReminderKind
from bot.store.database import session_factory
from bot.store.reminders import SqlReminderOutbox
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, ServerFactory, SettingsFactory
from tests.support import activities
from tests.support.bot_http import post_activity
from tests.support.card_reading import card_text
from tests.support.fake_calendars import GraphEvent
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson, SentActivity
from tests.support.fake_graph import FakeGraph
from tests.support.simulated_clock import SimulatedClock

MAILBOX = "cp-conferences@example-council.gov.uk"
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk", has_app=False)
PARENT_EMAIL = "parent@example.com"


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)  # GMT in winter: local time is UTC


START = _utc(2026, 11, 30, 8)  # Monday


@dataclass(frozen=True)
class Booking:
    letter: str
    subject: str
    start: datetime
    bot_in_chat: bool = True
    categories: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def chat_id(self) -> str:
        return f"19:meeting_{self.letter}{'x' * 20}@thread.v2"

    @property
    def join_url(self) -> str:
        return f"https://teams.microsoft.com/l/meetup-join/{self.chat_id.replace(':', '%3a').replace('@', '%40')}/0"

    def event(self, **changes: Any) -> GraphEvent:
        fields: dict[str, Any] = {
            "id": f"event-{self.letter}",
            "ical_uid": f"uid-{self.letter}",
            "subject": self.subject,
            "start": self.start,
            "end": self.start + timedelta(hours=2),
            "organiser": (CHAIR.email, CHAIR.name),
            "attendees": (
                (SOCIAL_WORKER.email, SOCIAL_WORKER.name, "required"),
                (POLICE.email, POLICE.name, "required"),
                (PARENT_EMAIL, "A Parent", "optional"),
            ),
            "categories": self.categories,
            "join_url": self.join_url,
            **self.extra,
        }
        fields.update(changes)
        return GraphEvent(**fields)


BOOKINGS = [
    Booking("A", "ICPC Smith", _utc(2026, 12, 1, 10)),  # report was due Fri 27 Nov: its reminder has expired
    Booking("B", "RCPC Brown", _utc(2026, 12, 10, 14)),
    Booking("C", "ICPC Clark", _utc(2026, 12, 9, 11)),  # moved to Fri 11 Dec 11:00 once the bot has seen it
    Booking("D", "ICPC Davies", _utc(2026, 12, 3, 10)),  # cancelled once the bot has seen it
    Booking("E1", "RCPC Evans", _utc(2026, 12, 8, 15), extra={"type": "occurrence", "series_master_id": "E"}),
    Booking("E2", "RCPC Evans", _utc(2026, 12, 15, 15), extra={"type": "occurrence", "series_master_id": "E"}),
    Booking("F", "Team meeting", _utc(2026, 12, 1, 13)),  # not a conference
    Booking("G", "ICPC Green", _utc(2026, 12, 21, 10), bot_in_chat=False),
    Booking("I", "ICPC Irwin", _utc(2027, 1, 4, 10)),  # beyond the first 28 days; its due date crosses Christmas
    Booking("J", "Jones", _utc(2026, 12, 16, 10), categories=("CP Conference", "Review")),
    Booking("K", "ICPC King", _utc(2026, 12, 24, 14)),
    Booking("L", "ICPC Lewis", _utc(2026, 12, 2, 14)),  # report due Mon 30 Nov: reminded at once
]
SERIES_MASTER = GraphEvent(
    id="event-E",
    ical_uid="uid-E-series",
    subject="RCPC Evans",
    start=_utc(2026, 12, 8, 15),
    end=_utc(2026, 12, 8, 17),
    organiser=(CHAIR.email, CHAIR.name),
    type="seriesMaster",
)
DAYS = {
    "Tuesday 1 December": "A",
    "Thursday 10 December": "B",
    "Friday 11 December": "C",
    "Tuesday 8 December": "E1",
    "Tuesday 15 December": "E2",
    "Monday 21 December": "G",
    "Monday 4 January": "I",
    "Wednesday 16 December": "J",
    "Thursday 24 December": "K",
    "Wednesday 2 December": "L",
}
"""The day each conference (as finally scheduled) takes place, as the private cards say it."""

# Moment → what Teams receives then. "card in X": the pre-meeting card in X's meeting chat; "join early X" and
# "report X": private cards to the social worker. The police officer has no app and the parent is not a professional.
# "status X": the report status to the chair (the organiser, a named chair), at 09:00 on the first working day after
# X's report was due, or at the first moment below after that: A Mon 30 Nov, L Tue 1 Dec, E1 Wed 2 Dec, B Fri 4 Dec,
# E2 Wed 9 Dec, C and J Thu 10 Dec, K Wed 23 Dec, I Thu 31 Dec. G's (Fri 18 Dec) cannot reach the chair: the bot is not
# in G's chat and the directory does not know them.
EXPECTED: list[tuple[datetime, set[str]]] = [
    (START, {"report L"}),
    (START + timedelta(minutes=5), set()),  # D is cancelled and C moved, in Outlook, just before this
    (_utc(2026, 11, 30, 9), {"report E1", "status A"}),  # D's report reminder would have been now
    (_utc(2026, 12, 1, 9, 45), {"card in A", "join early A", "status L"}),
    (_utc(2026, 12, 2, 9), {"report B", "status E1"}),
    (_utc(2026, 12, 2, 13, 45), {"card in L", "join early L"}),
    (_utc(2026, 12, 3, 9, 45), set()),  # D's start, had it not been cancelled
    (_utc(2026, 12, 4, 9), {"status B"}),  # C's report reminder, had it not moved
    (_utc(2026, 12, 7, 9), {"report E2"}),
    # The bot restarts here.
    (_utc(2026, 12, 8, 9), {"report C", "report J"}),
    (_utc(2026, 12, 8, 14, 45), {"card in E1", "join early E1"}),
    (_utc(2026, 12, 9, 10, 45), {"status E2"}),  # C's old start
    (_utc(2026, 12, 10, 13, 45), {"card in B", "join early B", "status C", "status J"}),
    (_utc(2026, 12, 11, 10, 45), {"card in C", "join early C"}),
    (_utc(2026, 12, 15, 14, 45), {"card in E2", "join early E2"}),
    (_utc(2026, 12, 16, 9), {"report G"}),  # the bot is not in G's chat: the directory finds the social worker
    (_utc(2026, 12, 16, 9, 45), {"card in J", "join early J"}),
    (_utc(2026, 12, 21, 9), {"report K"}),
    (_utc(2026, 12, 21, 9, 45), {"join early G"}),  # no card: the bot is not in G's chat
    (_utc(2026, 12, 24, 13, 45), {"card in K", "join early K", "status K"}),
    # I's report is due Wed 30 Dec: Thu 31 Dec and Fri 1 Jan count, then Christmas, Boxing Day (Monday 28th) are
    # skipped; the reminder is the working day before, Tue 29 Dec.
    (_utc(2026, 12, 29, 9), {"report I"}),
    (_utc(2027, 1, 4, 9, 45), {"card in I", "join early I", "status I"}),
]
RESTART_BEFORE = _utc(2026, 12, 8, 9)

Client = TestClient[web.Request, web.Application]


def _describe(sent: SentActivity, connector: FakeConnector) -> str:
    text = card_text(sent.cards)
    if connector.private_chats.get(sent.conversation_id) == CHAIR.teams_user_id:
        [letter] = [letter for day, letter in DAYS.items() if f"conference on {day} at" in text]
        return f"status {letter}" if "The report deadline has passed" in text else f"other to the chair: {letter}"
    if connector.private_chats.get(sent.conversation_id) == SOCIAL_WORKER.teams_user_id:
        if "report is due" in text:
            [letter] = [letter for day, letter in DAYS.items() if f"conference on {day} at" in text]
            return f"report {letter}"
        [letter] = [letter for day, letter in DAYS.items() if f"{day}, " in text]
        return f"join early {letter}"
    [booking] = [b for b in BOOKINGS if b.chat_id == sent.conversation_id]
    return f"card in {booking.letter}" if "starts at" in text else f"other in {booking.letter}: {text[:60]}"


@pytest.fixture
async def graph(aiohttp_server: ServerFactory) -> tuple[FakeGraph, str]:
    fake = FakeGraph(directory={SOCIAL_WORKER.email: SOCIAL_WORKER.aad_object_id})
    fake.calendars.page_size = 5
    server = await aiohttp_server(fake.app())
    return fake, str(server.make_url("/v1.0"))


async def _into_chat(client: Client, service_url: str, booking: Booking) -> None:
    """Someone asks the bot for help in the meeting chat, so the bot is in it and remembers it."""
    payload = copy.deepcopy(activities.message("help", service_url=service_url, scope="meetingChat", sender=CHAIR))
    payload["conversation"]["id"] = booking.chat_id
    payload["channelData"]["meeting"]["id"] = f"meeting-{booking.letter}"
    await post_activity(client, payload)


async def test_a_dozen_calendar_items_give_exactly_the_expected_reminders_at_the_expected_times(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    graph: tuple[FakeGraph, str],
) -> None:
    connector, service_url = fake_connector
    fake_graph, graph_url = graph
    for booking in BOOKINGS:
        people = [CHAIR, SOCIAL_WORKER, POLICE]
        connector.add_meeting(FakeMeeting(f"meeting-{booking.letter}", booking.chat_id, people, organizer=CHAIR))
    settings = make_settings(
        calendar_mailboxes=MAILBOX,
        graph_base_url=graph_url,
        calendar_sync_interval_seconds=0.05,
        reminder_send_interval_seconds=0.05,
        chair_users=CHAIR.email,
    )
    clock = SimulatedClock(START - timedelta(days=1))
    start_app: Callable[[], Awaitable[Client]] = lambda: aiohttp_client(create_app(settings, clock=clock))  # noqa: E731
    client = await start_app()
    for booking in BOOKINGS:
        if booking.bot_in_chat:
            await _into_chat(client, service_url, booking)
    connector.sent.clear()
    # The conferences are booked now: the bot first sees them at START.
    fake_graph.calendars.put(MAILBOX, SERIES_MASTER)
    for booking in BOOKINGS:
        fake_graph.calendars.put(MAILBOX, booking.event())

    received: dict[datetime, set[str]] = {}
    for moment, _ in EXPECTED:
        if moment == RESTART_BEFORE:
            await client.close()
            client = await start_app()
        if moment == START + timedelta(minutes=5):
            fake_graph.calendars.change(MAILBOX, "event-D", is_cancelled=True)
            moved = _utc(2026, 12, 11, 11)
            fake_graph.calendars.change(MAILBOX, "event-C", start=moved, end=moved + timedelta(hours=2))
        already = len(connector.sent)
        clock.now = moment
        await clock.completed_run("calendar sync")
        await clock.completed_run("reminders")
        received[moment] = {_describe(sent, connector) for sent in connector.sent[already:]}

    assert received == dict(EXPECTED)
    assert len(connector.sent) == sum(len(messages) for _, messages in EXPECTED), "each exactly once"

    outbox = SqlReminderOutbox(session_factory(client.app[keys.DATABASE]))
    entries = await outbox.entries()
    assert {entry.recipient for entry in entries} == {"", SOCIAL_WORKER.email, POLICE.email}, "never the parent"
    police = [entry for entry in entries if entry.recipient == POLICE.email]
    assert {(e.status, e.reason) for e in police if e.kind is not ReminderKind.REPORT_DUE or e.due_at > START} == {
        (ReminderStatus.FAILED, "not reachable in Teams: they do not have the app (403); e-mail reminders are off"),
        (ReminderStatus.FAILED, "not reachable in Teams: not a user of this organisation; e-mail reminders are off"),
        (ReminderStatus.CANCELLED, "no longer needed: the conference was cancelled or the person uninvited"),
    }
    statuses = {(e.kind, e.status, e.reason) for e in entries if e.recipient == ""}
    assert (
        ReminderKind.MEETING_CHAT,
        ReminderStatus.FAILED,
        "the bot is not in this meeting's chat: add the app to the meeting when booking it "
        "(or allow INSTALL_APP_IN_MEETING_CHATS)",
    ) in statuses
    assert (
        ReminderKind.REPORT_STATUS,
        ReminderStatus.FAILED,
        "not reachable in Teams: not a user of this organisation; e-mail reminders are off",
    ) in statuses, "G's chair could not be reached"
    door = (ReminderKind.QUORUM_AT_START, ReminderKind.QUORUM_RECHECK)
    at_the_door = {e.status for e in entries if e.kind in door and e.due_at < EXPECTED[-1][0]}
    assert at_the_door == {ReminderStatus.EXPIRED, ReminderStatus.CANCELLED}, (
        "the clock never stops at a start here: quoracy at the door had passed each time (D's was cancelled)"
    )
    expired = [e for e in entries if e.status is ReminderStatus.EXPIRED and e.kind not in door]
    assert {(e.kind, e.recipient) for e in expired} == {
        (ReminderKind.REPORT_DUE, SOCIAL_WORKER.email),
        (ReminderKind.REPORT_DUE, POLICE.email),
    }, "A's report reminders were due before the bot first saw A, and their day had passed"
    still_open = [e for e in entries if e.status in (ReminderStatus.PENDING, ReminderStatus.SENDING)]
    assert {(e.kind, e.due_at) for e in still_open} == {
        (ReminderKind.QUORUM_AT_START, _utc(2027, 1, 4, 10)),
        (ReminderKind.QUORUM_RECHECK, _utc(2027, 1, 4, 10, 5)),
    }, "only I's quoracy at the door, after the last moment here"
