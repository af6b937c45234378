"""Fixtures shared by every test: isolated settings, the fake Bot Connector and the bot's HTTP app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import ChannelValidation, MicrosoftAppCredentials
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from hypothesis import settings as hypothesis_settings

from bot.config.settings import Settings, load_settings
from bot.teams import signing_keys
from bot.web.app_factory import create_app
from tests.support.entra_stand_in import EntraStandIn
from tests.support.fake_connector import FakeConnector
from tests.support.fake_graph import FakeGraph
from tests.support.telemetry import Recorded, recording
from tests.support.token_issuer import LocalTokenIssuer

# Property tests check behaviour, not speed: a busy CI machine must not fail them on Hypothesis' per-example deadline.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")

SETTING_NAMES = (
    "HOST",
    "PORT",
    "DATABASE_URL",
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "TIMEZONE",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "AGENCIES_FILE",
    "DROPOUT_GRACE_MINUTES",
    "FOLLOW_UP_INTERVAL_SECONDS",
    "TEAMS_TIMEOUT_SECONDS",
    "CHAIR_USERS",
    "CHAIR_GROUP_ID",
    "ORGANISER_IS_CHAIR",
    "ALLOWED_TENANT_IDS",
    "GRAPH_BASE_URL",
    "PUBLIC_BASE_URL",
    "RETENTION_DAYS",
    "PURGE_INTERVAL_SECONDS",
    "GRAPH_CERTIFICATE_PATH",
    "CALENDAR_MAILBOXES",
    "CALENDAR_SYNC_INTERVAL_SECONDS",
    "CALENDAR_SYNC_DAYS",
    "CONFERENCE_CATEGORIES",
    "CONFERENCE_SUBJECT_PATTERN",
    "REMINDER_LEAD_MINUTES",
    "REPORT_REMINDER_WORKING_DAYS",
    "HOLIDAY_REGION",
    "QUORUM_RECHECK_MINUTES",
    "ATTENDANCE_REPORTS",
    "REMINDER_SEND_INTERVAL_SECONDS",
    "TEAMS_APP_CATALOG_ID",
    "INSTALL_APP_IN_MEETING_CHATS",
    "INSTALL_APP_FOR_INVITEES",
    "REMINDER_EMAIL_FROM",
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
)

SettingsFactory = Callable[..., Settings]
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
ClientFactory = Callable[[web.Application], Awaitable[TestClient[web.Request, web.Application]]]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's .env or environment settings."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def recorded() -> Iterator[Recorded]:
    """Spans and metrics the bot records during the test, kept in memory."""
    yield from recording()


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    def make(**overrides: Any) -> Settings:
        overrides.setdefault("database_url", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
        return load_settings(_env_file=None, **overrides)

    return make


@pytest.fixture
async def fake_connector(aiohttp_server: ServerFactory) -> tuple[FakeConnector, str]:
    """The fake connector and the serviceUrl that points at it."""
    connector = FakeConnector()
    server = await aiohttp_server(connector.app())
    return connector, str(server.make_url("/"))


@pytest.fixture
async def fake_graph(aiohttp_server: ServerFactory) -> tuple[FakeGraph, str]:
    """The fake Microsoft Graph and the base URL (`…/v1.0`) that points at it."""
    graph = FakeGraph()
    server = await aiohttp_server(graph.app())
    return graph, str(server.make_url("/v1.0"))


@pytest.fixture
async def bot_client(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory
) -> TestClient[web.Request, web.Application]:
    """The bot's aiohttp app in local mode, on a fresh SQLite database."""
    return await aiohttp_client(create_app(make_settings()))


@pytest.fixture
async def entra(aiohttp_server: ServerFactory) -> EntraStandIn:
    """A tenant's sign-on keys on 127.0.0.1, and the tokens Teams would give the meeting tab."""
    stand_in = EntraStandIn()
    server = await aiohttp_server(stand_in.app())
    stand_in.base = str(server.make_url("")).rstrip("/")
    return stand_in


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalTokenIssuer]:
    """The Bot Framework's token service on 127.0.0.1, for the bot in Azure mode: inbound tokens it signs pass
    botbuilder's own validation; outbound calls get a token without asking Microsoft."""
    local = LocalTokenIssuer()
    local.start()
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", local.metadata_url)
    # Each test starts with no keys held, as a freshly started bot does.
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", signing_keys.SigningKeyCache())
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "outbound")
    try:
        yield local
    finally:
        if local.hold_keys is not None:
            local.hold_keys.set()
        local.stop()
