"""The conference issue 18's report tests play: the whole app (real botbuilder endpoint, real store) with a fake
Graph calendar and mailbox and a fake Bot Connector, on a simulated clock.

An Initial conference on Thursday 10 December 2026 at 10:00: reports are due on Tuesday 8th, the reminders go on
Monday 7th at 09:00, the chair hears who has shared on Wednesday 9th at 09:00. Four professionals are invited: a
social worker with the app (reminded in Teams), a police officer and a teacher without it (reminded by e-mail, with
a link), and a health visitor whose address Exchange refuses (not reached: the chair marks them).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.store.database import session_factory
from bot.store.reports import SqlReports
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, ServerFactory, SettingsFactory
from tests.support import activities
from tests.support.bot_http import post_activity
from tests.support.card_reading import card_objects
from tests.support.fake_calendars import GraphEvent
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson, SentActivity
from tests.support.fake_graph import FakeGraph
from tests.support.simulated_clock import SimulatedClock

Client = TestClient[web.Request, web.Application]

MAILBOX = "cp-conferences@example-council.gov.uk"
PUBLIC = "https://cp-bot.example-council.gov.uk"
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk", has_app=False)
TEACHER = FakePerson("aad-teacher", "Kim Lee", "kim.lee@example-school.sch.uk", has_app=False)
HEALTH = FakePerson("aad-health", "Ria Shah", "ria.shah@nhs.net", has_app=False)
CHAT_ID = "19:meeting_reports000000000000000@thread.v2"
START = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)  # GMT in winter: local time is UTC


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def conference_event(**changes: Any) -> GraphEvent:
    event = GraphEvent.in_meeting_chat(
        CHAT_ID,
        START,
        (CHAIR.email, CHAIR.name),
        (
            *tuple((person.email, person.name, "required") for person in (SOCIAL_WORKER, POLICE, TEACHER, HEALTH)),
            ("parent@example.com", "A Parent", "optional"),
        ),
        event_id="event-r",
    )
    return replace(event, subject="ICPC Family", **changes)


class Scene:
    def __init__(
        self, client: Client, connector: FakeConnector, service_url: str, graph: FakeGraph, clock: SimulatedClock
    ) -> None:
        self.client, self.connector, self.service_url, self.graph, self.clock = (
            client,
            connector,
            service_url,
            graph,
            clock,
        )

    async def at(self, moment: datetime) -> None:
        self.clock.now = moment
        await self.clock.completed_run("calendar sync")
        await self.clock.completed_run("reminders")

    async def meeting(self, event: dict[str, Any]) -> None:
        """A meeting event from Teams, in the conference's meeting."""
        event["conversation"]["id"] = CHAT_ID
        event["channelData"]["meeting"] = {"id": "meeting-r"}
        await post_activity(self.client, event)

    def reports(self) -> SqlReports:
        return SqlReports(session_factory(self.client.app[keys.DATABASE]))

    def private(self, person: FakePerson) -> list[SentActivity]:
        return self.connector.sent_privately_to(person)

    async def press(self, person: FakePerson, card: SentActivity, data: dict[str, Any]) -> None:
        """A button on `card` pressed by `person`, where the card was sent (their 1:1 chat)."""
        payload = activities.message("", service_url=self.service_url, sender=person, value=data)
        payload["conversation"]["id"] = card.conversation_id
        payload["replyToId"] = card.activity_id
        await post_activity(self.client, payload)

    async def say(self, person: FakePerson, text: str) -> None:
        payload = activities.message(text, service_url=self.service_url, sender=person)
        payload["conversation"]["id"] = f"a:personal-{person.aad_object_id}"
        self.connector.private_chats.setdefault(payload["conversation"]["id"], person.teams_user_id)
        await post_activity(self.client, payload)

    def last_update(self) -> dict[str, Any]:
        """The card the bot put in place of the one whose button was pressed."""
        content: dict[str, Any] = self.connector.updated[-1].body["attachments"][0]["content"]
        return content

    def link_in_mail_to(self, person: FakePerson) -> str:
        [mail] = [
            m for m in self.graph.mail if m["message"]["toRecipients"][0]["emailAddress"]["address"] == person.email
        ]
        html = mail["message"]["body"]["content"]
        [link] = re.findall(r'href="(https://cp-bot[^"]+)"', html)
        assert link.startswith(f"{PUBLIC}/reports/confirm/")
        return str(urlsplit(link).path)


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for element in card_objects(card) if element.get("type") == "Action.Submit"]


@pytest.fixture
async def scene(
    aiohttp_client: ClientFactory,
    aiohttp_server: ServerFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    database_url: str,
) -> Scene:
    """The reports' conference on the database under test (the test's `database_url`)."""
    return await report_scene(
        aiohttp_client=aiohttp_client,
        aiohttp_server=aiohttp_server,
        make_settings=make_settings,
        fake_connector=fake_connector,
        database_url=database_url,
    )


async def report_scene(
    *,
    aiohttp_client: ClientFactory,
    aiohttp_server: ServerFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    database_url: str,
) -> Scene:
    """The app, the calendar with the conference in it, and the clock at Monday 7th, 08:30 (nothing sent yet)."""
    connector, service_url = fake_connector
    fake_graph = FakeGraph(
        directory={SOCIAL_WORKER.email: SOCIAL_WORKER.aad_object_id, CHAIR.email: CHAIR.aad_object_id}
    )
    fake_graph.mail_refused = {HEALTH.email}
    graph_url = str((await aiohttp_server(fake_graph.app())).make_url("/v1.0"))
    everyone = [CHAIR, SOCIAL_WORKER, POLICE, TEACHER, HEALTH]
    connector.add_meeting(FakeMeeting("meeting-r", CHAT_ID, everyone, organizer=CHAIR))
    settings = make_settings(
        database_url=database_url,
        calendar_mailboxes=MAILBOX,
        graph_base_url=graph_url,
        calendar_sync_interval_seconds=0.05,
        reminder_send_interval_seconds=0.05,
        follow_up_interval_seconds=0.05,
        chair_users=CHAIR.email,
        reminder_email_from=MAILBOX,
        public_base_url=PUBLIC,
    )
    clock = SimulatedClock(at(7, 8))
    client = await aiohttp_client(create_app(settings, clock=clock))
    # Someone asks for help in the meeting chat, so the bot is in it.
    payload = copy.deepcopy(activities.message("help", service_url=service_url, scope="meetingChat", sender=CHAIR))
    payload["conversation"]["id"] = CHAT_ID
    payload["channelData"]["meeting"]["id"] = "meeting-r"
    await post_activity(client, payload)
    connector.sent.clear()
    fake_graph.calendars.put(MAILBOX, conference_event())
    scene = Scene(client, connector, service_url, fake_graph, clock)
    await scene.at(at(7, 8, 30))
    return scene


@dataclass(frozen=True)
class Played:
    link: str
    """The path of the link e-mailed to the police officer, used once."""
    reason: str
    """The chair's reason for proceeding while inquorate."""

    @property
    def link_token(self) -> str:
        return self.link.rsplit("/", 1)[-1]


async def play_every_part(scene: Scene) -> Played:
    """Every part of the reports' conference, from the reminders to the start: a reminder in Teams confirmed by its
    button, an e-mailed link opened and used, `/reports`, the status to the chair, the meeting starting with too few
    agencies, and the chair proceeding with a reason."""
    await scene.at(at(7, 9))  # the reminders: Teams, e-mail with links, one address refused
    [reminder] = scene.private(SOCIAL_WORKER)
    [button] = buttons(reminder.cards[0])
    await scene.press(SOCIAL_WORKER, reminder, button["data"])
    link = scene.link_in_mail_to(POLICE)
    await scene.client.get(link)
    await scene.client.post(link)
    await scene.say(CHAIR, "/reports")
    await scene.at(at(9, 9))  # the status to the chair
    await scene.at(START - timedelta(minutes=5))
    started = START - timedelta(minutes=2)
    await scene.meeting(activities.meeting_started(started, service_url=scene.service_url))
    await scene.meeting(
        activities.participants_event(True, [CHAIR, SOCIAL_WORKER], started, service_url=scene.service_url)
    )
    await scene.at(START)
    [door] = [s for s in scene.private(CHAIR) if "Quorum at the start" in s.text]
    [proceed] = buttons(door.cards[0])
    reason = "Hollyhock: the police report was read out"
    await scene.press(CHAIR, door, {**proceed["data"], "reason": reason})
    return Played(link, reason)


async def conference_id(scene: Scene) -> int:
    """The conference's number, as the social worker's reminder button carries it."""
    [reminder] = [s for s in scene.private(SOCIAL_WORKER) if "report is due" in s.text]
    [button] = buttons(reminder.cards[0])
    return int(button["data"]["conference"])
