"""The meeting tab's pages over HTTP: what Teams loads when the app is added to a meeting and opened in its side
panel. Whole pages from the bot's content, escaped; their own script and stylesheet; framed only by Teams."""

from __future__ import annotations

import re

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.web.app_factory import create_app
from cards import load_card_content
from tests.conftest import ClientFactory, SettingsFactory

Client = TestClient[web.Request, web.Application]
PUBLIC = "https://cp-bot.example-council.gov.uk"


async def _client(aiohttp_client: ClientFactory, make_settings: SettingsFactory, **settings: str) -> Client:
    return await aiohttp_client(create_app(make_settings(**settings)))


def _frame_ancestors(policy: str) -> list[str]:
    [directive] = [part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")]
    return directive.split()[1:]


async def test_the_configuration_page_saves_the_tab_pointing_at_the_public_address(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = await _client(aiohttp_client, make_settings, public_base_url=PUBLIC)
    response = await client.get("/tab/config")
    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    assert f'data-content-url="{PUBLIC}/tab/meeting"' in page
    assert 'data-tab-name="Conference"' in page
    assert "<strong>Save</strong>" in page, "the wording's bold, as HTML"
    assert '<script src="/tab/static/meeting-tab.js" defer></script>' in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    ancestors = _frame_ancestors(policy)
    assert "https://teams.microsoft.com" in ancestors
    assert "*" not in ancestors
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_tab_shows_the_expectations_to_anyone_in_the_meeting(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = await _client(aiohttp_client, make_settings)
    response = await client.get("/tab/meeting")
    assert response.status == 200
    page = await response.text()
    expectations = load_card_content().expectations
    assert f"<h1>{expectations.title}</h1>" in page
    assert len(re.findall(r"<section>", page)) == len(expectations.sections)
    assert "<strong>2–3 minutes early</strong>" in page
    assert "**" not in page, "no markdown left unrendered"


async def test_in_local_mode_the_pages_may_be_framed_on_this_machine_and_take_its_address(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = await _client(aiohttp_client, make_settings)
    response = await client.get("/tab/config")
    assert "http://127.0.0.1:*" in _frame_ancestors(response.headers["Content-Security-Policy"])
    assert f'data-content-url="http://{client.host}:{client.port}/tab/meeting"' in await response.text()
    azure = await _client(
        aiohttp_client,
        make_settings,
        app_id="6f1c2a3e-0000-4000-8000-000000000001",
        app_password="x",
        public_base_url=PUBLIC,
    )
    framed_by = _frame_ancestors((await azure.get("/tab/config")).headers["Content-Security-Policy"])
    assert not any(host.startswith("http://") for host in framed_by), "with an app id, only Teams frames the pages"


async def test_only_the_tabs_own_files_are_served(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = await _client(aiohttp_client, make_settings)
    script = await client.get("/tab/static/meeting-tab.js")
    assert script.status == 200, "built by `make pages`, which `make test` runs first"
    assert "javascript" in script.content_type
    assert "registerOnSaveHandler" in await script.text(), "TeamsJS and the page code, bundled"
    style = await client.get("/tab/static/meeting-tab.css")
    assert style.status == 200
    assert style.content_type == "text/css"
    for elsewhere in ("/tab/static/app_factory.py", "/tab/static/..%2F..%2Fapp_factory.py", "/tab/static/src"):
        assert (await client.get(elsewhere)).status == 404, elsewhere
