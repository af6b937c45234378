"""/quorum and /summary over HTTP: only the chair gets an answer, privately; the meeting chat hears a neutral line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.disconnections import Notice
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.meetings import SqlMeetingRecords
from bot.web import keys
from bot.web.app_factory import create_app
from harness.waiting import wait_until
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]

CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk", has_app=False)
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
EVERYONE = [CHAIR, SOCIAL_WORKER, POLICE, NURSE]


@pytest.fixture
async def meeting(fake_connector: tuple[FakeConnector, str]) -> FakeMeeting:
    connector, _ = fake_connector
    return connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(EVERYONE), organizer=CHAIR))


@pytest.fixture
async def app(make_settings: SettingsFactory) -> web.Application:
    return create_app(make_settings())


@pytest.fixture
async def client(aiohttp_client: ClientFactory, app: web.Application, meeting: FakeMeeting) -> Client:
    return await aiohttp_client(app)


async def _wait_for_settled_notices(client: Client, *, count: int) -> None:
    """The follow-up sends each reminder and then records how it went; the summary reads what was recorded."""
    records = SqlMeetingRecords(session_factory(client.app[keys.DATABASE]))
    log = SqlDisconnectionLog(session_factory(client.app[keys.DATABASE]))

    async def settled() -> bool:
        session = await records.latest_session(MEETING_ID)
        entries = await log.for_session(session.id) if session else []
        return len(entries) >= count and all(entry.notice is not Notice.PENDING for entry in entries)

    await wait_until(settled, within=10, what=f"{count} drop-out notices recorded")


async def _ask(client: Client, service_url: str, command: str, sender: FakePerson, scope: Any = "meetingChat") -> None:
    await post_activity(client, activities.message(command, service_url=service_url, scope=scope, sender=sender))


async def test_the_chair_gets_the_quorum_privately(client: Client, fake_connector: tuple[FakeConnector, str]) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/quorum", CHAIR)
    [private] = connector.sent_privately_to(CHAIR)
    card = str(private.cards[0])
    assert "Quorate" in card
    assert "Children's social care" in card
    assert "Jo Evans" in card, "the chair sees who counts for which agency"
    in_chat = connector.sent_to(MEETING_CHAT)[-1]
    assert in_chat.text == "I have sent the quorum to you privately."


async def test_someone_else_is_refused_and_gets_nothing(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/summary", NURSE)
    assert connector.sent_privately_to(NURSE) == []
    assert "Only a CP Chair can ask for the conference summary." in connector.sent_to(MEETING_CHAT)[-1].text


async def test_a_chair_without_the_app_is_told_how_to_get_it(
    client: Client, fake_connector: tuple[FakeConnector, str], meeting: FakeMeeting
) -> None:
    connector, service_url = fake_connector
    chair_without_app = FakePerson("aad-chair", "Alex Morgan", CHAIR.email, role="Organizer", has_app=False)
    meeting.people[0] = chair_without_app
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/quorum", chair_without_app)
    reply = connector.sent_to(MEETING_CHAT)[-1].text
    assert "I cannot message you privately yet" in reply
    assert "Quorate" not in reply, "the answer itself never falls back to the meeting chat"


async def test_when_teams_cannot_say_who_chairs_the_asker_is_asked_to_try_again(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    connector.meeting_api_status = 500
    await _ask(client, service_url, "/quorum", CHAIR)
    assert "Please try again" in connector.sent_to(MEETING_CHAT)[-1].text
    assert connector.sent_privately_to(CHAIR) == []


async def test_after_the_meeting_expires_the_organiser_is_known_from_how_they_joined(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE, minutes_ago=90)
    await post_activity(client, activities.meeting_ended(start + timedelta(minutes=80), service_url=service_url))
    connector.meeting_api_status = 404
    await _ask(client, service_url, "/summary", CHAIR)
    [private] = connector.sent_privately_to(CHAIR)
    assert "Conference summary" in str(private.cards[0])
    await _ask(client, service_url, "/summary", NURSE)
    assert connector.sent_privately_to(NURSE) == []


async def test_without_join_events_presence_is_asked_of_teams(
    client: Client, fake_connector: tuple[FakeConnector, str], meeting: FakeMeeting
) -> None:
    connector, service_url = fake_connector
    meeting.people[3] = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net", in_meeting=False)
    await _ask(client, service_url, "/quorum", CHAIR)
    [private] = connector.sent_privately_to(CHAIR)
    card = str(private.cards[0])
    assert "Not quorate" in card, "health is invited but not in the meeting"
    assert "Chris Lee" not in card
    assert sum(call.endswith(("/participants/aad-sw", "/participants/aad-nurse")) for call in connector.calls) == 2


@pytest.mark.parametrize("scope", ["personal", "groupChat", "channel"])
async def test_outside_a_meeting_the_chair_commands_say_where_they_work(
    client: Client, fake_connector: tuple[FakeConnector, str], scope: Any
) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "/quorum", CHAIR, scope=scope)
    [reply] = connector.sent
    assert reply.text.startswith("/quorum works in a conference's meeting chat.")
    assert connector.calls == []


async def test_a_drop_out_is_followed_up_by_the_background_task(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    meeting: FakeMeeting,
) -> None:
    connector, service_url = fake_connector
    client = await aiohttp_client(create_app(make_settings(follow_up_interval_seconds=0.2)))
    start = await conference_running(client, service_url, EVERYONE)
    left_at = start + timedelta(minutes=5)
    await post_activity(client, activities.participants_event(False, [NURSE, POLICE], left_at, service_url=service_url))
    [reminder] = await connector.wait_for_private(NURSE)
    assert "You left the conference at" in str(reminder.cards[0])
    await _wait_for_settled_notices(client, count=2)
    assert connector.refused_private_chats == [POLICE.teams_user_id], "the police officer has no app"
    await _ask(client, service_url, "/summary", CHAIR)
    [summary] = connector.sent_privately_to(CHAIR)
    card = str(summary.cards[0])
    assert "Conference so far" in card
    assert "could not be messaged privately (no app)" in card
    assert "reminded privately to e-mail you" in card
