"""Meeting events through /api/messages: the conference card exactly once, the fallbacks, nothing crashes."""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector, SentActivity
from tests.support.payloads import recorded

Client = TestClient[web.Request, web.Application]
CONFERENCE_LINE = "This conference started at 10:00. Please stay until the end."
EXPECTATIONS_TITLE = "Joining a child protection conference online"
MEETING_CHAT = "19:meeting_NjE1NWIzNDU@thread.v2"


def _conference_cards(sent: list[SentActivity]) -> list[dict[str, Any]]:
    return [
        card
        for activity in sent
        for card in activity.cards
        if card["body"][0].get("type") == "Container" and card["body"][0]["items"][0]["text"] == CONFERENCE_LINE
    ]


@pytest.mark.parametrize("name", ["meeting-start-pascal.json", "meeting-start-camel.json"])
async def test_start_posts_the_conference_card_into_the_meeting_chat(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], name: str
) -> None:
    connector, service_url = fake_connector
    await post_activity(bot_client, recorded(name, service_url))
    [sent] = await connector.wait_for(1)
    assert sent.conversation_id == MEETING_CHAT
    [card] = _conference_cards([sent])
    assert card["body"][1]["text"] == EXPECTATIONS_TITLE
    assert "Smith" not in str(sent.body), "the meeting title never reaches the chat"


async def test_repeated_deliveries_post_one_card(bot_client: Client, fake_connector: tuple[FakeConnector, str]) -> None:
    connector, service_url = fake_connector
    start = recorded("meeting-start-pascal.json", service_url)
    for _ in range(3):
        await post_activity(bot_client, copy.deepcopy(start))
    await post_activity(
        bot_client, recorded("meeting-start-camel.json", service_url)
    )  # same start, other casing and id
    assert len(_conference_cards(connector.sent)) == 1


async def test_concurrent_deliveries_post_one_card(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = recorded("meeting-start-pascal.json", service_url)
    joined = recorded("participant-join.json", service_url)
    await asyncio.gather(
        *(post_activity(bot_client, copy.deepcopy(start)) for _ in range(15)),
        *(post_activity(bot_client, copy.deepcopy(joined)) for _ in range(5)),
    )
    assert len(_conference_cards(connector.sent)) == 1
    assert len(connector.sent) == 1


async def test_without_a_start_event_the_first_join_posts_the_card(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await post_activity(bot_client, recorded("participant-join.json", service_url))
    [sent] = await connector.wait_for(1)
    [card] = sent.cards
    assert card["body"][0]["items"][0]["text"] == "This conference started at 10:03. Please stay until the end."
    await post_activity(bot_client, recorded("meeting-start-pascal.json", service_url))  # the start event arrives late
    assert len(connector.sent) == 1


async def test_a_new_session_of_the_meeting_gets_its_own_card(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await post_activity(bot_client, recorded("meeting-start-pascal.json", service_url))
    await post_activity(bot_client, recorded("meeting-end-pascal.json", service_url))
    next_week = recorded("meeting-start-pascal.json", service_url, id="f:next-week")
    next_week["value"]["StartTime"] = "2026-12-01T10:00:00Z"
    await post_activity(bot_client, next_week)
    assert len(connector.sent) == 2


async def test_a_failed_post_is_tried_again_by_the_next_delivery(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.failures_to_send = 1
    start = recorded("meeting-start-pascal.json", service_url)
    await post_activity(bot_client, copy.deepcopy(start))  # the card fails to send; the turn ends cleanly
    await post_activity(bot_client, copy.deepcopy(start))  # Teams' retry
    assert len(_conference_cards(connector.sent)) == 1


@pytest.mark.parametrize("name", ["participant-leave.json", "meeting-end-pascal.json"])
async def test_a_leave_or_end_for_an_unknown_meeting_posts_nothing(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], name: str
) -> None:
    connector, service_url = fake_connector
    await post_activity(bot_client, recorded(name, service_url))
    assert connector.sent == []


@pytest.mark.parametrize(
    "name",
    ["meeting-start-pascal.json", "participant-join.json", "participant-leave.json", "meeting-end-camel.json"],
)
async def test_an_event_outside_a_meeting_is_ignored_and_logged_by_id_only(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], caplog: pytest.LogCaptureFixture, name: str
) -> None:
    connector, service_url = fake_connector
    event = recorded(name, service_url)
    del event["channelData"]["meeting"]
    event["conversation"]["id"] = activities.CONVERSATION_IDS["groupChat"]
    with caplog.at_level(logging.DEBUG):
        await post_activity(bot_client, event)
    assert connector.sent == []
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any("meeting event ignored" in message and event["id"] in message for message in warnings)
    assert not any("Smith" in record.getMessage() or "Jane" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "value",
    [None, "text", [], {"members": None}, {"members": [None, 3, {"user": "x"}]}, {"StartTime": {"nested": True}}],
)
async def test_malformed_values_never_fail_the_request(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], value: object
) -> None:
    _connector, service_url = fake_connector
    for name in ("meeting-start-pascal.json", "participant-join.json", "participant-leave.json"):
        await post_activity(bot_client, recorded(name, service_url, value=value))


async def test_installing_the_bot_in_a_meeting_chat_posts_the_expectations(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    install = activities.activity("installationUpdate", service_url=service_url, scope="meetingChat", action="add")
    await post_activity(bot_client, install)
    [sent] = await connector.wait_for(1)
    assert sent.cards[0]["body"][0]["text"] == EXPECTATIONS_TITLE


async def test_two_instances_sharing_one_database_post_one_card(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    database_url: str,
) -> None:
    """Two app instances behind a load balancer, one database (SQLite file or PostgreSQL), the same start event
    delivered to both many times at once."""
    connector, service_url = fake_connector
    first = await aiohttp_client(create_app(make_settings(database_url=database_url)))
    second = await aiohttp_client(create_app(make_settings(database_url=database_url)))
    start = recorded("meeting-start-pascal.json", service_url)
    await asyncio.gather(*(post_activity(client, copy.deepcopy(start)) for _ in range(8) for client in (first, second)))
    assert len(_conference_cards(connector.sent)) == 1
