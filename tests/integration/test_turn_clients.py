"""The adapter keeps each turn's connector client instead of building one per turn, and what Teams receives does not
change: the same request, the same body, the same token, as botbuilder's own CloudAdapter sends."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    MicrosoftAppCredentials,
)

from bot.teams.adapter import TeamsCloudAdapter
from bot.teams.authentication import bot_framework_configuration
from bot.teams.connector_http import ConnectorHttp
from bot.teams.replies import card_activity, plain_cards
from bot.usecases.port_errors import TeamsCallError
from bot.usecases.replies import CardReply
from cards import build_expectations_card, load_card_content
from tests.conftest import SettingsFactory
from tests.support import activities
from tests.support.fake_connector import FakeConnector

APP_ID = "6f1c2a3e-0000-4000-8000-000000000001"
EXPECTATIONS = CardReply(build_expectations_card(load_card_content().expectations), "Expectations")

pytestmark = pytest.mark.usefixtures("token_threads")


@pytest.fixture
def token_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """MSAL stands in for Entra ID: each token names the app it is for, and the thread that asked."""
    threads: list[str] = []

    def fake_token(self: MicrosoftAppCredentials, force_refresh: bool = False) -> str:
        threads.append(threading.current_thread().name)
        return f"token-for-{self.microsoft_app_id}"

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", fake_token)
    return threads


@pytest.fixture
def authentication(make_settings: SettingsFactory) -> ConfigurationBotFrameworkAuthentication:
    settings = make_settings(
        app_id=APP_ID, app_password="not-a-real-secret", app_type="SingleTenant", app_tenant_id=activities.TENANT_ID
    )
    return ConfigurationBotFrameworkAuthentication(bot_framework_configuration(settings))


@pytest.fixture
async def http() -> AsyncIterator[ConnectorHttp]:
    async with aiohttp.ClientSession() as session:
        yield ConnectorHttp(session, timeout=2.0)


@pytest.fixture
def adapter(authentication: ConfigurationBotFrameworkAuthentication, http: ConnectorHttp) -> TeamsCloudAdapter:
    return TeamsCloudAdapter(authentication, http)


def channel_request(authentication: ConfigurationBotFrameworkAuthentication) -> AuthenticateRequestResult:
    """What botbuilder's authenticate_request returns for a Teams channel token issued to our app (the token's
    signature is checked by botbuilder itself, against keys only Microsoft's cloud serves)."""
    claims = ClaimsIdentity(
        {
            AuthenticationConstants.AUDIENCE_CLAIM: APP_ID,
            "iss": AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
        },
        True,
    )
    result = AuthenticateRequestResult()
    result.claims_identity = claims
    result.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    result.caller_id = None
    result.connector_factory = authentication.create_connector_factory(claims)
    return result


async def _reply_with_card(turn_context: TurnContext) -> None:
    await turn_context.send_activity(card_activity(EXPECTATIONS))


async def _reply_as_botbuilder_users_do(turn_context: TurnContext) -> None:
    await turn_context.send_activity(plain_cards(card_activity(EXPECTATIONS)))


def _inbound(service_url: str, activity_id: str) -> Activity:
    payload: dict[str, Any] = activities.message("/expectations", service_url=service_url, scope="meetingChat")
    payload["id"] = activity_id
    return Activity().deserialize(payload)


async def test_a_reply_is_what_botbuilders_own_adapter_sends(
    fake_connector: tuple[FakeConnector, str],
    authentication: ConfigurationBotFrameworkAuthentication,
    adapter: TeamsCloudAdapter,
    token_threads: list[str],
) -> None:
    connector, service_url = fake_connector
    await CloudAdapter(authentication).process_activity(
        channel_request(authentication), _inbound(service_url, "turn-1"), _reply_as_botbuilder_users_do
    )
    await adapter.process_activity(channel_request(authentication), _inbound(service_url, "turn-1"), _reply_with_card)
    stock, ours = await connector.wait_for(2)
    assert (
        (ours.conversation_id, ours.reply_to_id)
        == (stock.conversation_id, stock.reply_to_id)
        == (
            activities.CONVERSATION_IDS["meetingChat"],
            "turn-1",
        )
    )
    assert ours.body == stock.body
    assert ours.authorization == stock.authorization == f"Bearer token-for-{APP_ID}"
    assert threading.main_thread().name not in token_threads[-1:], "the token is fetched off the event loop"


async def test_turns_share_one_client_per_service_url(
    fake_connector: tuple[FakeConnector, str],
    authentication: ConfigurationBotFrameworkAuthentication,
    adapter: TeamsCloudAdapter,
) -> None:
    connector, service_url = fake_connector
    seen: list[object] = []

    async def remember_client(turn_context: TurnContext) -> None:
        seen.append(turn_context.turn_state[adapter.BOT_CONNECTOR_CLIENT_KEY])
        await _reply_with_card(turn_context)

    for number, url in enumerate([service_url, service_url, service_url.replace("127.0.0.1", "localhost")]):
        await adapter.process_activity(channel_request(authentication), _inbound(url, f"t{number}"), remember_client)
    assert seen[0] is seen[1], "the second turn reuses the first one's client"
    assert seen[2] is not seen[0], "another service URL has its own"
    assert len(await connector.wait_for(3)) == 3
    assert all(sent.authorization == f"Bearer token-for-{APP_ID}" for sent in connector.sent)


async def test_anything_else_asked_of_the_client_is_botbuilders(
    fake_connector: tuple[FakeConnector, str],
    authentication: ConfigurationBotFrameworkAuthentication,
    adapter: TeamsCloudAdapter,
) -> None:
    _, service_url = fake_connector
    found: list[Any] = []

    async def look_around(turn_context: TurnContext) -> None:
        client = turn_context.turn_state[adapter.BOT_CONNECTOR_CLIENT_KEY]
        found.append(client.config.base_url)
        found.append(client.conversations.get_conversation_members)

    await adapter.process_activity(channel_request(authentication), _inbound(service_url, "t"), look_around)
    assert found[0] == service_url
    assert callable(found[1])


async def test_a_throttled_reply_is_sent_again_after_retry_after(
    fake_connector: tuple[FakeConnector, str],
    authentication: ConfigurationBotFrameworkAuthentication,
    adapter: TeamsCloudAdapter,
) -> None:
    connector, service_url = fake_connector
    connector.throttle_sends = [0.2]
    await adapter.process_activity(channel_request(authentication), _inbound(service_url, "busy"), _reply_with_card)
    [sent] = await connector.wait_for(1)
    assert sent.reply_to_id == "busy"


async def test_a_refused_reply_fails_the_turn_for_the_error_handler(
    fake_connector: tuple[FakeConnector, str],
    authentication: ConfigurationBotFrameworkAuthentication,
    adapter: TeamsCloudAdapter,
) -> None:
    connector, service_url = fake_connector
    connector.failures_to_send = 5
    failures: list[Exception] = []

    async def note(_turn_context: TurnContext, error: Exception) -> None:
        failures.append(error)

    adapter.on_turn_error = note
    await adapter.process_activity(channel_request(authentication), _inbound(service_url, "x"), _reply_with_card)
    assert len(failures) == 1
    assert isinstance(failures[0], TeamsCallError)
    assert connector.sent == []
