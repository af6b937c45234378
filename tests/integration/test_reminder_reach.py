"""Reaching people Teams would not let the bot reach: installing the app through Graph where the administrator allowed
it (into the meeting chat, for an invitee), and e-mail through Graph for the rest. The real msgraph-sdk client talks to
a fake Graph on 127.0.0.1; Teams is the fake Bot Connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.outbox import Channel, OutboxEntry, ReminderStatus
from bot.domain.reminders import ReminderKind, plan_reminders
from bot.graph.client import graph_client
from bot.graph.mail import GraphMail
from bot.graph.people import GraphPeople
from bot.graph.teams_apps import GraphTeamsApps
from bot.store.conferences import SqlConferences
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import session_factory
from bot.store.reminders import SqlReminderOutbox
from bot.teams.connector_api import TeamsConnectorApi
from bot.teams.connector_http import ConnectorHttp
from bot.teams.connector_tokens import ConnectorTokens
from bot.usecases.reminder_sender import ChairReminding, ReminderSender
from tests.conftest import ServerFactory, SettingsFactory
from tests.support.activities import BOT_ID, TENANT_ID
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.fake_graph import FakeGraph
from tests.support.reminder_policy import chair_reminding, policy_for, without_chairs_reminders
from tests.support.sample_cards import REMINDERS

CATALOG_ID = "7c0e5a1b-0000-4000-8000-0000000000ca"
CHAT = "19:meeting_reach00000000000@thread.v2"
OTHER_CHAT = "19:5b1e0e7e6b8d4b0c9f1e2d3c4b5a6978@thread.v2"
START = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
JOIN_EARLY_AT = START - timedelta(minutes=15)
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", has_app=False)
HEALTH = "chris.lee@nhs.net"
MAILBOX = "cp-reminders@example-council.gov.uk"
POLICY = policy_for("@example-council.gov.uk", "@nhs.net")
CONFERENCE = Conference(
    key="uid-reach",
    kind=ConferenceKind.REVIEW,
    start=START,
    end=START + timedelta(hours=2),
    join_url="https://teams.microsoft.com/meet/1?p=x",
    organiser=Invitee(CHAIR.email, CHAIR.name, AttendeeType.REQUIRED),
    invitees=(
        Invitee(SOCIAL_WORKER.email, SOCIAL_WORKER.name, AttendeeType.REQUIRED),
        Invitee(HEALTH, "Chris Lee", AttendeeType.REQUIRED),
    ),
    chat_id=CHAT,
)


@dataclass
class Reach:
    graph: FakeGraph
    connector: FakeConnector
    conferences: SqlConferences
    outbox: SqlReminderOutbox
    conversations: SqlConversationDirectory
    teams: TeamsConnectorApi
    people: GraphPeople
    apps: GraphTeamsApps
    mail: GraphMail
    reports: ChairReminding

    def sender(self, *, chats: bool = False, users: bool = False, mail: bool = False) -> ReminderSender:
        """The sender as the settings make it: installers only where allowed, e-mail only when configured."""
        return ReminderSender.assemble(
            outbox=self.outbox,
            conferences=self.conferences,
            conversations=self.conversations,
            teams=self.teams,
            policy=POLICY,
            people=self.people,
            wording=REMINDERS,
            chat_installer=self.apps if chats else None,
            user_installer=self.apps if users else None,
            mailer=self.mail if mail else None,
            reports=self.reports,
        )

    async def plan(self, conference: Conference = CONFERENCE) -> None:
        booked = START - timedelta(days=9)
        conference_id = await self.conferences.save("m@example-council.gov.uk", "e", conference, booked)
        await self.outbox.reconcile(conference_id, without_chairs_reminders(plan_reminders(conference, POLICY)), booked)

    async def entry(self, kind: ReminderKind, recipient: str) -> OutboxEntry:
        [found] = [e for e in await self.outbox.entries() if e.kind is kind and e.recipient == recipient]
        return found


@pytest.fixture
async def reach(
    engine: AsyncEngine,
    aiohttp_server: ServerFactory,
    fake_connector: tuple[FakeConnector, str],
    make_settings: SettingsFactory,
) -> AsyncIterator[Reach]:
    connector, service_url = fake_connector
    meeting = connector.add_meeting(FakeMeeting("meeting-reach", CHAT, [CHAIR, SOCIAL_WORKER], organizer=CHAIR))
    graph = FakeGraph(directory={SOCIAL_WORKER.email: SOCIAL_WORKER.aad_object_id})

    def installed_for(object_id: str) -> None:  # Teams now lets the bot reach them
        meeting.people[:] = [replace(p, has_app=True) if p.aad_object_id == object_id else p for p in meeting.people]

    graph.on_user_installation = installed_for
    server = await aiohttp_server(graph.app())
    sessions = session_factory(engine)
    conversations = SqlConversationDirectory(sessions)
    # The bot has only ever been in another chat: it knows Teams' address, not the meeting chat.
    await conversations.remember(
        ConversationAddress(OTHER_CHAT, "msteams", service_url, ConversationKind.GROUP_CHAT, BOT_ID, TENANT_ID)
    )
    async with (
        aiohttp.ClientSession() as session,
        graph_client(str(server.make_url("/v1.0")), None, request_timeout_seconds=5) as client,
    ):
        teams = TeamsConnectorApi(ConnectorHttp(session, timeout=2.0), ConnectorTokens(make_settings()))
        people = GraphPeople(client)
        yield Reach(
            graph=graph,
            connector=connector,
            conferences=SqlConferences(sessions),
            outbox=SqlReminderOutbox(sessions),
            conversations=conversations,
            teams=teams,
            people=people,
            apps=GraphTeamsApps(client, base_url="https://graph.microsoft.com/v1.0", catalog_app_id=CATALOG_ID),
            mail=GraphMail(client, MAILBOX),
            reports=chair_reminding(sessions, teams, POLICY, people=people),
        )


async def test_without_permission_to_install_the_reasons_are_recorded(reach: Reach) -> None:
    await reach.plan()
    await reach.sender().run_once(JOIN_EARLY_AT)
    assert reach.connector.sent == []
    chat_card = await reach.entry(ReminderKind.MEETING_CHAT, "")
    assert chat_card.status is ReminderStatus.FAILED
    assert chat_card.reason == (
        "the bot is not in this meeting's chat: add the app to the meeting when booking it "
        "(or allow INSTALL_APP_IN_MEETING_CHATS)"
    )
    social_worker = await reach.entry(ReminderKind.JOIN_EARLY, SOCIAL_WORKER.email)
    assert social_worker.reason == "not reachable in Teams: they do not have the app (403); e-mail reminders are off"
    health = await reach.entry(ReminderKind.JOIN_EARLY, HEALTH)
    assert health.reason == "not reachable in Teams: not a user of this organisation; e-mail reminders are off"
    assert reach.graph.chat_installations == reach.graph.user_installations == reach.graph.mail == []


async def test_the_app_is_installed_into_the_meeting_chat_and_the_card_posted(reach: Reach) -> None:
    await reach.plan(replace(CONFERENCE, invitees=()))
    await reach.sender(chats=True).run_once(JOIN_EARLY_AT)
    [installation] = reach.graph.chat_installations
    assert installation["chat"] == CHAT
    assert installation["teamsApp@odata.bind"] == f"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{CATALOG_ID}"
    consented = installation["consentedPermissionSet"]["resourceSpecificPermissions"]
    assert {p["permissionValue"] for p in consented} == {
        "OnlineMeeting.ReadBasic.Chat",
        "OnlineMeetingParticipant.Read.Chat",
        "OnlineMeetingNotification.Send.Chat",
    }
    [card] = reach.connector.sent_to(CHAT)
    assert "starts at" in str(card.cards)
    assert (await reach.entry(ReminderKind.MEETING_CHAT, "")).status is ReminderStatus.SENT


async def test_a_refused_installation_is_recorded_and_a_failing_one_tried_again(reach: Reach) -> None:
    await reach.plan(replace(CONFERENCE, invitees=()))
    reach.graph.installation_status = 500
    await reach.sender(chats=True).run_once(JOIN_EARLY_AT)
    assert (await reach.entry(ReminderKind.MEETING_CHAT, "")).status is ReminderStatus.PENDING
    reach.graph.installation_status = 403  # the permission was not granted: trying again will not help
    await reach.sender(chats=True).run_once(JOIN_EARLY_AT + timedelta(minutes=1))
    entry = await reach.entry(ReminderKind.MEETING_CHAT, "")
    assert entry.status is ReminderStatus.FAILED
    assert entry.reason == "could not install the app in the meeting chat: Graph answered 403 to installing the app"


async def test_the_app_is_installed_for_a_colleague_without_it_then_they_are_messaged(reach: Reach) -> None:
    await reach.plan()
    await reach.sender(users=True).run_once(JOIN_EARLY_AT)
    assert [i["user"] for i in reach.graph.user_installations] == [SOCIAL_WORKER.aad_object_id]
    assert len(reach.connector.sent_privately_to(SOCIAL_WORKER)) == 1
    entry = await reach.entry(ReminderKind.JOIN_EARLY, SOCIAL_WORKER.email)
    assert (entry.status, entry.channel) == (ReminderStatus.SENT, Channel.TEAMS)


async def test_partners_teams_cannot_reach_get_an_email_when_that_is_on(reach: Reach) -> None:
    await reach.plan()
    await reach.sender(mail=True).run_once(JOIN_EARLY_AT)
    sent = {m["message"]["toRecipients"][0]["emailAddress"]["address"]: m for m in reach.graph.mail}
    assert set(sent) == {HEALTH, SOCIAL_WORKER.email}, "one outside the organisation, one without the app"
    message = sent[HEALTH]
    assert message["from"] == MAILBOX
    assert message["saveToSentItems"] is False
    assert (
        message["message"]["subject"]
        == "Child protection conference Thursday 3 December at 10:00: please join 2–3 minutes early"
    )
    assert "between 09:57 and 09:58" in message["message"]["body"]["content"]
    entry = await reach.entry(ReminderKind.JOIN_EARLY, HEALTH)
    assert (entry.status, entry.channel) == (ReminderStatus.SENT, Channel.EMAIL)


async def test_an_email_graph_refuses_is_retried_when_worth_it_and_recorded_when_not(reach: Reach) -> None:
    await reach.plan(replace(CONFERENCE, invitees=(Invitee(HEALTH, "Chris Lee", AttendeeType.REQUIRED),)))
    reach.graph.mail_status = [500]
    await reach.sender(mail=True).run_once(JOIN_EARLY_AT)
    entry = await reach.entry(ReminderKind.JOIN_EARLY, HEALTH)
    assert (entry.status, entry.reason) == (
        ReminderStatus.PENDING,
        "e-mail not sent: Graph answered 500 to sending the e-mail",
    )
    reach.graph.mail_status = [403]
    await reach.sender(mail=True).run_once(JOIN_EARLY_AT + timedelta(minutes=1))
    entry = await reach.entry(ReminderKind.JOIN_EARLY, HEALTH)
    assert entry.status is ReminderStatus.FAILED
    assert entry.reason == (
        "not reachable in Teams: not a user of this organisation; "
        "e-mail not sent: Graph answered 403 to sending the e-mail"
    )
