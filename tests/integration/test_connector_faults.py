"""Teams answering a reply with 429, 500 or nothing at all: the turn ends cleanly (Teams gets its 200, so it does not
redeliver a message the bot has already acted on), the failure is logged with a correlation id, and the next turn is
served as if nothing had happened."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.fake_connector import FakeConnector

Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client(aiohttp_client: ClientFactory, make_settings: SettingsFactory) -> Client:
    return await aiohttp_client(create_app(make_settings(teams_timeout_seconds=0.5)))


def _break(connector: FakeConnector, fault: str) -> None:
    if fault == "500":
        connector.failures_to_send = 100
    elif fault == "429":
        connector.throttle_sends = [0.01] * 100
    else:
        connector.hold_sends = asyncio.Event()


def _mend(connector: FakeConnector) -> None:
    connector.failures_to_send, connector.throttle_sends = 0, []
    if connector.hold_sends is not None:
        connector.hold_sends.set()
        connector.hold_sends = None


@pytest.mark.parametrize("fault", ["500", "429", "timeout"])
async def test_a_reply_teams_will_not_take_ends_the_turn_cleanly_with_a_correlation_id(
    client: Client, fake_connector: tuple[FakeConnector, str], caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    connector, service_url = fake_connector
    _break(connector, fault)
    with caplog.at_level(logging.INFO):
        response = await client.post("/api/messages", json=activities.message("/expectations", service_url=service_url))
    assert response.status == 200
    failures = [r.getMessage() for r in caplog.records if r.name == "bot.teams.turn_errors"]
    assert failures, "the failure is logged"
    assert re.search(r"turn failed correlation=[0-9a-f]{12} ", failures[0])
    assert connector.sent == [], "nothing half-sent"

    _mend(connector)  # (the replies Teams sat on are let through too, as a timed-out request may be)
    again = activities.message("/expectations", service_url=service_url)
    response = await client.post("/api/messages", json=again)
    assert response.status == 200
    [reply] = [sent for sent in connector.sent if sent.reply_to_id == again["id"]]
    assert reply.cards, "the next turn is answered normally"
