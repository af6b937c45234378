"""With an app id every request needs a valid Bot Framework token; in local mode only this machine may call."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request

from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.fake_connector import FakeConnector

Client = TestClient[web.Request, web.Application]
APP_ID = "6f1c2a3e-0000-4000-8000-000000000001"


@pytest.fixture
async def authenticated_client(aiohttp_client: ClientFactory, make_settings: SettingsFactory) -> Client:
    settings = make_settings(
        app_id=APP_ID,
        app_password="not-a-real-secret",
        app_type="SingleTenant",
        app_tenant_id=activities.TENANT_ID,
    )
    return await aiohttp_client(create_app(settings))


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Basic dXNlcjpwYXNz",
        "Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.",
    ],
)
async def test_missing_or_malformed_tokens_get_401_and_no_reply(
    authenticated_client: Client, fake_connector: tuple[FakeConnector, str], authorization: str | None
) -> None:
    connector, service_url = fake_connector
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await authenticated_client.post(
        "/api/messages", json=activities.message("/expectations", service_url=service_url), headers=headers
    )
    assert response.status == 401
    assert connector.sent == []


async def test_health_reports_azure_mode(authenticated_client: Client) -> None:
    response = await authenticated_client.get("/healthz")
    assert (await response.json())["mode"] == "azure"


async def test_local_mode_refuses_requests_from_other_machines(bot_client: Client) -> None:
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        ("203.0.113.9", 50000) if name == "peername" else default
    )
    request = make_mocked_request("POST", "/api/messages", app=bot_client.app, transport=transport)
    assert request.remote == "203.0.113.9"
    response = await bot_client.app[keys.SERVICES].messages.handle(request)
    assert response.status == 403
    assert isinstance(response, web.Response)
    assert response.text is not None
    assert "local mode" in json.loads(response.text)["error"]


async def test_local_mode_accepts_this_machine_whatever_proxy_headers_say(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    response = await bot_client.post(
        "/api/messages",
        json=activities.message("/expectations", service_url=service_url),
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status == 200
    assert len(connector.sent) == 1
