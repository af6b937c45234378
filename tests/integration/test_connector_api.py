"""The bot's own Bot Connector calls against the fake connector: what each answer and failure becomes."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from botframework.connector.auth import MicrosoftAppCredentials

from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.meetings import MeetingRole
from bot.teams.connector_api import TeamsConnectorApi
from bot.teams.connector_http import ConnectorHttp
from bot.teams.connector_tokens import ConnectorTokens
from bot.usecases.port_errors import TeamsCallError, TeamsFailure
from bot.usecases.replies import CardReply
from tests.conftest import SettingsFactory
from tests.support.activities import TENANT_ID
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

CHAIR = FakePerson("aad-chair", "Chair Person", "chair@example-council.gov.uk", role="Organizer")
POLICE = FakePerson("aad-police", "Police Officer", "officer@example.police.uk", has_app=False)
MEETING = FakeMeeting("meeting/1+=", "19:meeting_abc@thread.v2", [CHAIR, POLICE], organizer=CHAIR)


def _chat(service_url: str) -> ConversationAddress:
    return ConversationAddress(
        conversation_id=MEETING.conversation_id,
        channel_id="msteams",
        service_url=service_url,
        kind=ConversationKind.MEETING_CHAT,
        bot_id="28:bot",
        tenant_id=TENANT_ID,
        meeting_id=MEETING.meeting_id,
    )


@pytest.fixture
async def api(make_settings: SettingsFactory) -> AsyncIterator[TeamsConnectorApi]:
    async with aiohttp.ClientSession() as session:
        yield TeamsConnectorApi(ConnectorHttp(session, timeout=1.0), ConnectorTokens(make_settings()))


async def test_participation_reads_role_and_presence(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    chair = await api.participation(_chat(service_url), CHAIR.aad_object_id)
    assert (chair.role, chair.in_meeting) == (MeetingRole.ORGANIZER, True)
    police = await api.participation(_chat(service_url), POLICE.aad_object_id)
    assert police.role is MeetingRole.ATTENDEE
    assert connector.calls[0] == "GET /v1/meetings/meeting/1+=/participants/aad-chair", "ids are URL-encoded"


async def test_meeting_info_reads_organiser_and_schedule(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    info = await api.meeting_info(_chat(service_url))
    assert info.organizer_aad_object_id == CHAIR.aad_object_id
    assert info.scheduled_start == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def test_chat_members_carry_email_and_tenant(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    members = await api.chat_members(_chat(service_url))
    assert [(m.aad_object_id, m.email, m.tenant_id) for m in members] == [
        ("aad-chair", "chair@example-council.gov.uk", TENANT_ID),
        ("aad-police", "officer@example.police.uk", TENANT_ID),
    ]


@pytest.mark.parametrize(
    ("status", "failure"),
    [
        (403, TeamsFailure.NOT_IN_MEETING),
        (404, TeamsFailure.MEETING_EXPIRED),
        (500, TeamsFailure.UNAVAILABLE),
        (429, TeamsFailure.UNAVAILABLE),
        (400, TeamsFailure.UNAVAILABLE),
    ],
)
async def test_meeting_api_failures_say_what_they_mean(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str], status: int, failure: TeamsFailure
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    connector.meeting_api_status = status
    with pytest.raises(TeamsCallError) as raised:
        await api.participation(_chat(service_url), CHAIR.aad_object_id)
    assert raised.value.failure is failure
    retried = status in (429, 500)
    assert len(connector.calls) == (3 if retried else 1), "only throttling and server errors are retried"


async def test_a_slow_connector_is_given_up_on(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    connector.meeting_api_delay = 3.0
    with pytest.raises(TeamsCallError) as raised:
        await api.meeting_info(_chat(service_url))
    assert raised.value.failure is TeamsFailure.UNAVAILABLE


async def test_an_unreachable_connector_is_unavailable(api: TeamsConnectorApi) -> None:
    with pytest.raises(TeamsCallError) as raised:
        await api.meeting_info(_chat("http://127.0.0.1:9/"))
    assert raised.value.failure is TeamsFailure.UNAVAILABLE


async def test_private_message_opens_a_personal_chat(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    await api.send_privately(_chat(service_url), CHAIR.teams_user_id, CardReply(card, "For the chair"))
    [sent] = connector.sent_privately_to(CHAIR)
    assert sent.cards == [card]
    assert sent.body["summary"] == "For the chair"


async def test_private_message_to_someone_without_the_app_is_not_reachable(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(MEETING)
    with pytest.raises(TeamsCallError) as raised:
        await api.send_privately(_chat(service_url), POLICE.teams_user_id, CardReply({}, "x"))
    assert raised.value.failure is TeamsFailure.NOT_REACHABLE
    assert connector.sent == []


async def test_meeting_calls_outside_a_meeting_are_refused_without_a_request(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    group_chat = ConversationAddress("19:group@thread.v2", "msteams", service_url, ConversationKind.GROUP_CHAT, "28:b")
    with pytest.raises(TeamsCallError):
        await api.participation(group_chat, CHAIR.aad_object_id)
    assert connector.calls == []


async def test_tokens_come_from_the_app_credentials_off_the_event_loop(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []

    def fake_token(self: MicrosoftAppCredentials, force_refresh: bool = False) -> str:
        threads.append(threading.current_thread().name)
        return f"token-for-{self.microsoft_app_id}"

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", fake_token)
    app_id = "00000000-0000-0000-0000-000000000001"
    tokens = ConnectorTokens(
        make_settings(
            app_id=app_id,
            app_password="secret",
            app_type="SingleTenant",
            app_tenant_id="00000000-0000-0000-0000-000000000002",
        )
    )
    assert await tokens.authorization() == f"Bearer token-for-{app_id}"
    assert len(threads) == 1
    assert threads[0] != threading.main_thread().name


async def test_local_mode_sends_no_token(make_settings: SettingsFactory) -> None:
    assert await ConnectorTokens(make_settings()).authorization() is None


async def test_posts_into_one_conversation_keep_within_teams_limits(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    chat = _chat(service_url)
    await asyncio.gather(*(api.post(chat, CardReply({"type": "AdaptiveCard"}, "x")) for _ in range(10)))
    times = sorted(moment for conversation, moment in connector.send_times if conversation == chat.conversation_id)
    assert len(times) == 10

    def most_within(seconds: float) -> int:
        return max(sum(1 for t in times if first <= t < first + seconds) for first in times)

    # Windows a quarter of a second shorter than Teams' own: on a busy machine the arrivals here bunch up against
    # the moments the bot sent them. Unpaced, all ten arrive within milliseconds.
    assert most_within(0.75) <= 7, "Teams allows 7 a second into one conversation"
    assert most_within(1.75) <= 8, "and 8 in 2 seconds"


async def test_a_long_retry_after_ends_the_call_and_says_how_long(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.throttle_sends = [1, 90]
    with pytest.raises(TeamsCallError) as raised:
        await api.post(_chat(service_url), CardReply({"type": "AdaptiveCard"}, "x"))
    assert (raised.value.failure, raised.value.status, raised.value.retry_after) == (TeamsFailure.UNAVAILABLE, 429, 90)
    assert connector.sent == [], "the short wait was honoured and retried; the long one is left to the caller"


async def test_posts_across_conversations_are_spaced_within_the_bots_limit(
    api: TeamsConnectorApi, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    chats = [
        ConversationAddress(f"19:chat-{n}@thread.v2", "msteams", service_url, ConversationKind.GROUP_CHAT, "28:bot")
        for n in range(60)
    ]
    await asyncio.gather(*(api.post(chat, CardReply({"type": "AdaptiveCard"}, "x")) for chat in chats))
    times = sorted(moment for _conversation, moment in connector.send_times)
    assert len(times) == 60
    in_a_second = max(sum(1 for t in times if first <= t < first + 0.9) for first in times)
    # Unpaced, all sixty arrive within milliseconds; Teams allows 50 a second for a bot.
    assert in_a_second <= 50, f"{in_a_second} arrived within 0.9 s"
    assert times[-1] - times[0] >= 59 / 50, "spread out, not sent in a burst"
