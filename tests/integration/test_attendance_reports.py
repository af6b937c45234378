"""Attendance Teams vouches for: after a conference the bot fetches its attendance report from a fake Graph that
answers in the documented wire format (`meetingAttendanceReport`, paged `attendanceRecords` with identities and
join/leave intervals), on SQLite and PostgreSQL, on a simulated clock. The chair's summary is sent from the live
record first, then once more from the report (with a guest and an anonymous joiner the live record missed), saying
which source its figures come from; Graph being unavailable delays it, a refusal leaves the live summary standing,
and a meeting whose join and leave events never arrived still gets its attendance."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.cli.main import main
from bot.store.attendance_reports import SqlAttendanceReports
from bot.store.database import session_factory
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, ServerFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import TENANT_ID
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson, SentActivity
from tests.support.fake_graph import FakeGraph
from tests.support.simulated_clock import SimulatedClock

Client = TestClient[web.Request, web.Application]

CHAT = "19:meeting_attendance00000000000@thread.v2"
MEETING = ("meeting-att", CHAT)
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk", tenant_id="police-tenant")
START = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
GRAPH_MEETING = ("aad-chair", "graph-meeting-att")
"""Where the fake connector says the meeting is in Graph: the organiser's id and `msGraphResourceId`."""


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _record(
    name: str, email: str | None, identity_id: str, tenant: str | None, *spans: tuple[int, int], role: str = "Attendee"
) -> dict[str, Any]:
    """An attendance record as Graph documents it; `spans` are minutes after the start."""
    intervals = [
        {
            "joinDateTime": _iso(START + timedelta(minutes=joined)),
            "leaveDateTime": _iso(START + timedelta(minutes=left)),
            "durationInSeconds": (left - joined) * 60,
        }
        for joined, left in spans
    ]
    return {
        "emailAddress": email,
        "totalAttendanceInSeconds": sum(interval["durationInSeconds"] for interval in intervals),
        "role": role,
        "identity": {"id": identity_id, "displayName": name, "tenantId": tenant},
        "attendanceIntervals": intervals,
    }


REPORT = {
    "id": "c9b6db1c-d5eb-427d-a5c0-20088d9b22d7",
    "totalParticipantCount": 4,
    "meetingStartDateTime": _iso(START),
    "meetingEndDateTime": _iso(END),
    "attendanceRecords": [
        _record(CHAIR.name, CHAIR.email, CHAIR.aad_object_id, TENANT_ID, (0, 60), role="Organizer"),
        _record(SOCIAL_WORKER.name, SOCIAL_WORKER.email, SOCIAL_WORKER.aad_object_id, TENANT_ID, (0, 60)),
        # A guest from the police's own tenant, late; and an interpreter who joined without signing in.
        _record(POLICE.name, POLICE.email, POLICE.aad_object_id, "police-tenant", (4, 30), (33, 60)),
        _record("Interpreter (Unverified)", None, "8f3a7c1e-anon", None, (2, 58)),
    ],
}
EARLIER_OCCURRENCE = {
    "id": "0a1b2c3d-0000-0000-0000-000000000000",
    "totalParticipantCount": 1,
    "meetingStartDateTime": _iso(START - timedelta(days=14)),
    "meetingEndDateTime": _iso(END - timedelta(days=14)),
    "attendanceRecords": [_record("Someone Else", "someone@example-council.gov.uk", "aad-x", TENANT_ID, (0, 5))],
}


class World:
    def __init__(self, client: Client, connector: FakeConnector, service_url: str, graph: FakeGraph, clock: Any):
        self.client, self.connector, self.service_url, self.graph, self.clock = (
            client,
            connector,
            service_url,
            graph,
            clock,
        )

    async def at(self, moment: datetime) -> None:
        self.clock.now = moment
        await self.clock.completed_run("follow-up")

    async def event(self, payload: dict[str, Any]) -> None:
        await post_activity(self.client, payload)

    def summaries(self) -> list[SentActivity]:
        return [s for s in self.connector.sent_privately_to(CHAIR) if "Conference summary" in s.text]

    async def outcome(self) -> tuple[str | None, str | None, int]:
        return await SqlAttendanceReports(session_factory(self.client.app[keys.DATABASE])).outcome(1)


def _everything(sent: SentActivity) -> str:
    """All a card shows, its fact sets' names and times included."""
    return json.dumps(sent.cards, ensure_ascii=False)


@pytest.fixture
async def world(
    aiohttp_client: ClientFactory,
    aiohttp_server: ServerFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    database_url: str,
) -> World:
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting(MEETING[0], CHAT, [CHAIR, SOCIAL_WORKER, POLICE], organizer=CHAIR))
    graph = FakeGraph()
    graph_url = str((await aiohttp_server(graph.app())).make_url("/v1.0"))
    settings = make_settings(
        database_url=database_url,
        graph_base_url=graph_url,
        attendance_reports=True,
        chair_users=CHAIR.email,
        follow_up_interval_seconds=0.05,
    )
    clock = SimulatedClock(START - timedelta(minutes=5))
    client = await aiohttp_client(create_app(settings, clock=clock))
    return World(client, connector, service_url, graph, clock)


Joined = Callable[[World], Awaitable[None]]


async def _live_conference(world: World, *, joins: bool = True) -> None:
    where: dict[str, Any] = {"service_url": world.service_url, "meeting": MEETING}
    await world.event(activities.meeting_started(START, **where))
    if joins:
        await world.event(activities.participants_event(True, [CHAIR, SOCIAL_WORKER], START, **where))
    await world.at(START + timedelta(minutes=30))
    await world.event(activities.meeting_ended(END, **where))


async def test_the_summary_is_sent_from_the_live_record_then_once_from_teams_report(world: World) -> None:
    await _live_conference(world)
    await world.at(END + timedelta(minutes=2))
    [live] = world.summaries()
    assert "from the join and leave events the bot received" in live.text
    assert "Jo Evans" not in _everything(live), "the police officer's joins never arrived"
    assert "Sam Patel" in _everything(live)

    # Five minutes after the end Teams is asked; Graph is unavailable (through msgraph-sdk's own three retries):
    # asked again ten minutes later, not before.
    world.graph.attendance_status = [503] * 4
    await world.at(END + timedelta(minutes=6))
    assert await world.outcome() == (None, "Graph answered 503 to reading the attendance report", 1)
    calls = len(world.graph.attendance_calls)
    await world.at(END + timedelta(minutes=10))
    assert len(world.graph.attendance_calls) == calls, "not asked again before its time"

    # Teams has made the report (and keeps an earlier occurrence's from the same recurring meeting chat).
    world.graph.attendance_reports[GRAPH_MEETING] = [EARLIER_OCCURRENCE, REPORT]
    await world.at(END + timedelta(minutes=17))
    [_, updated] = world.summaries()
    text = updated.text
    assert (
        "from Teams' attendance report: 4 people (1 from other organisations, 1 joined anonymously, 2 not in the 2"
        in text
    )
    assert "Jo Evans" in _everything(updated)
    assert "Interpreter (Unverified)" in _everything(updated)
    assert "Someone Else" not in _everything(updated), "the report of this session, not an earlier one"
    assert (await world.outcome())[0] == "stored"
    pages = [call for call in world.graph.attendance_calls if "attendanceRecords" in call]
    assert len(pages) == 2, "both pages of the records (two to a page)"

    await world.at(END + timedelta(minutes=40))
    await world.at(END + timedelta(hours=3))
    assert len(world.summaries()) == 2, "updated once, not twice"


async def test_the_record_for_business_support_counts_from_the_report(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world.graph.attendance_reports[GRAPH_MEETING] = [REPORT]
    await _live_conference(world)
    await world.at(END + timedelta(minutes=6))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CHAIR_USERS", CHAIR.email)
    assert await asyncio.to_thread(main, ["export-record", "--since", "2026-12-10", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["conferences"]
    assert row["meeting_id"] == MEETING[0]
    assert row["attendance_from"] == "teams-attendance-report"
    people = (row["people_joined"], row["joined_late"], row["from_other_organisations"], row["joined_anonymously"])
    assert people == (4, 2, 1, 1), json.dumps(row)
    assert row["quorate_throughout"] is False, "social care and the police: one agency short"
    assert row["agencies_at_lowest"] == "Children's social care"
    assert row["minutes"] == 60
    assert await asyncio.to_thread(main, ["export-record", "--meeting", MEETING[0]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("meeting_id,kind,started_at,ended_at,minutes,attendance_from")
    assert len(lines) == 2


async def test_a_meeting_whose_join_and_leave_events_never_arrived_gets_its_attendance(world: World) -> None:
    world.graph.attendance_reports[GRAPH_MEETING] = [REPORT]
    await _live_conference(world, joins=False)
    await world.at(END + timedelta(minutes=2))
    [live] = world.summaries()
    assert "Teams sent no join or leave events" in live.text
    await world.at(END + timedelta(minutes=6))
    [_, updated] = world.summaries()
    assert "from Teams' attendance report: 4 people" in updated.text
    assert "Sam Patel" in _everything(updated)
    assert "Teams sent no join or leave events" not in updated.text


async def test_a_refusal_leaves_the_live_summary_standing_and_says_why(world: World) -> None:
    world.graph.attendance_status = [403]
    await _live_conference(world)
    await world.at(END + timedelta(minutes=2))
    await world.at(END + timedelta(minutes=6))
    await world.at(END + timedelta(minutes=30))
    assert len(world.summaries()) == 1
    assert await world.outcome() == ("refused", "Graph answered 403 to reading the attendance report", 1)
