"""ALLOWED_TENANT_IDS: the bot serves the council's tenant(s) only. Anything else is answered 200 (so Teams does not
retry), and nothing is run, sent or stored but a count of refusals per tenant per day; the log names the tenant by
id."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.cli.main import main
from bot.config.settings import SettingsError
from bot.store.database import session_factory
from bot.store.models import ConversationRecord
from bot.store.refused_tenants import NO_TENANT, SqlRefusedTenants
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.fake_connector import FakeConnector

Client = TestClient[web.Request, web.Application]
COUNCIL = activities.TENANT_ID
ELSEWHERE = "0b0b0b0b-1111-4222-8333-444444444444"


@pytest.fixture
async def council_only(aiohttp_client: ClientFactory, make_settings: SettingsFactory) -> Client:
    return await aiohttp_client(create_app(make_settings(allowed_tenants=f"{COUNCIL.upper()}, {ELSEWHERE[:-1]}5")))


def from_tenant(tenant: str, service_url: str, scope: activities.Scope = "personal") -> dict[str, Any]:
    payload = activities.message("/expectations", service_url=service_url, scope=scope)
    payload["channelData"]["tenant"]["id"] = tenant
    payload["conversation"]["tenantId"] = tenant
    return payload


async def stored_conversations(client: Client) -> int:
    async with session_factory(client.app[keys.DATABASE])() as session:
        return int(await session.scalar(select(func.count()).select_from(ConversationRecord)) or 0)


@pytest.mark.parametrize("scope", ["personal", "meetingChat"])
async def test_an_activity_from_another_tenant_is_answered_and_ignored(
    council_only: Client,
    fake_connector: tuple[FakeConnector, str],
    caplog: pytest.LogCaptureFixture,
    scope: activities.Scope,
) -> None:
    connector, service_url = fake_connector
    with caplog.at_level(logging.WARNING):
        response = await council_only.post("/api/messages", json=from_tenant(ELSEWHERE, service_url, scope))
    assert response.status == 200
    assert connector.sent == [], "no reply"
    assert await stored_conversations(council_only) == 0, "nothing stored"
    [logged] = [r.getMessage() for r in caplog.records if "does not serve" in r.getMessage()]
    assert f"tenant={ELSEWHERE}" in logged
    assert "Alex Wilber" not in logged, "ids only"


async def test_the_councils_own_tenant_is_served_whatever_its_case(
    council_only: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    response = await council_only.post("/api/messages", json=from_tenant(COUNCIL, service_url, "meetingChat"))
    assert response.status == 200
    assert len(await connector.wait_for(1)) == 1
    assert await stored_conversations(council_only) == 1


async def test_an_activity_that_names_no_tenant_is_not_served(
    council_only: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    payload = from_tenant(COUNCIL, service_url)
    del payload["channelData"]["tenant"]
    del payload["conversation"]["tenantId"]
    assert (await council_only.post("/api/messages", json=payload)).status == 200
    assert connector.sent == []


async def test_without_the_setting_every_tenant_is_served(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    assert (await bot_client.post("/api/messages", json=from_tenant(ELSEWHERE, service_url))).status == 200
    assert len(await connector.wait_for(1)) == 1


def test_a_tenant_id_that_is_not_a_guid_is_refused_at_start_up(make_settings: SettingsFactory) -> None:
    with pytest.raises(SettingsError, match=r"ALLOWED_TENANT_IDS: 'contoso\.onmicrosoft\.com' is not a tenant id"):
        make_settings(allowed_tenants="contoso.onmicrosoft.com")


async def test_refusals_are_counted_per_tenant_per_day_and_listed(
    council_only: Client,
    fake_connector: tuple[FakeConnector, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, service_url = fake_connector
    for _ in range(3):
        assert (await council_only.post("/api/messages", json=from_tenant(ELSEWHERE, service_url))).status == 200
    nameless = from_tenant(COUNCIL, service_url)
    del nameless["channelData"]["tenant"]
    del nameless["conversation"]["tenantId"]
    assert (await council_only.post("/api/messages", json=nameless)).status == 200
    assert (await council_only.post("/api/messages", json=from_tenant(COUNCIL, service_url))).status == 200

    days = await SqlRefusedTenants(session_factory(council_only.app[keys.DATABASE])).days()
    assert {(day.tenant_id, day.activities) for day in days} == {(ELSEWHERE, 3), (NO_TENANT, 1)}, "own tenant: none"
    monkeypatch.setenv("DATABASE_URL", council_only.app[keys.SETTINGS].database_url)
    assert await asyncio.to_thread(main, ["refused-tenants"]) == 0
    listing = capsys.readouterr().out
    assert ELSEWHERE in listing
    assert "4 activities from 2 tenants" in listing
