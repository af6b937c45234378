"""The README's pictures of the meeting pages: the chair's side panel (light and dark) and the expectations as the
stage notification shows them, drawn from the real bot in headless Chromium inside the Teams host stand-in.

A sample conference is played to the bot in local mode on a clock stopped at 10:40 (started at 10:00, one
disconnection logged by the chair), so the pictures, and the digest that says they are today's, do not change from
one run to the next.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from playwright.async_api import Browser, BrowserContext

from bot.config.settings import load_settings
from bot.web.app_factory import create_app
from bot.web.meeting_pages import STATIC_DIRECTORY
from harness.processes import PROJECT_ROOT
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.simulated_clock import SimulatedClock
from tests.support.teams_host import TeamsHost

PUBLIC = "https://cp-bot.example-council.gov.uk"
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NOW = START + timedelta(minutes=40)
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
PEOPLE = [
    CHAIR,
    FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter"),
    FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk"),
    FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net"),
    FakePerson("aad-school", "Robin Shaw", "r.shaw@oakfield.sch.uk"),
]
DROPPED = PEOPLE[3]

PANEL_PICTURES = {
    "chair light": ("side-panel-chair.png", "default"),
    "chair dark": ("side-panel-chair-dark.png", "dark"),
}
STAGE_PICTURE = "stage-notification.png"
PAGES_RECORD_KEY = "meeting pages"


@dataclass
class SampleConference:
    client: TestClient[web.Request, web.Application]

    @property
    def origin(self) -> str:
        return str(self.client.make_url("")).rstrip("/")


@asynccontextmanager
async def sample_conference() -> AsyncIterator[SampleConference]:
    """The bot in local mode, on a database of its own, holding the sample conference."""
    connector = FakeConnector()
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(PEOPLE), organizer=CHAIR))
    with tempfile.TemporaryDirectory() as scratch:
        connector_server = TestServer(connector.app(), host="127.0.0.1")
        await connector_server.start_server()
        settings = load_settings(
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{Path(scratch) / 'bot.sqlite3'}",
            public_base_url=PUBLIC,
            follow_up_interval_seconds=600,  # nothing in the background changes the picture while it is drawn
        )
        client = TestClient(TestServer(create_app(settings, clock=SimulatedClock(NOW)), host="127.0.0.1"))
        await client.start_server()
        try:
            service_url = str(connector_server.make_url("/"))
            await post_activity(client, activities.meeting_started(START, service_url=service_url))
            await post_activity(client, activities.participants_event(True, PEOPLE, START, service_url=service_url))
            dropped_at = START + timedelta(minutes=32)
            left = activities.participants_event(False, [DROPPED], dropped_at, service_url=service_url)
            await post_activity(client, left)
            await client.post(
                "/api/tab/panel/action",
                params={"conversation": MEETING_CHAT},
                headers={"X-CP-Local-User": CHAIR.aad_object_id},
                json={
                    "action": "log-disconnect",
                    "form": str(uuid.UUID(int=1)),
                    "person": DROPPED.aad_object_id,
                    "time": "10:32",
                    "emailed": True,
                    "note": "Lost connection, could not rejoin; e-mailed at 10:36",
                },
            )
            yield SampleConference(client)
        finally:
            await client.close()
            await connector_server.close()


async def pages_digest(conference: SampleConference) -> str:
    """What the pictures show, as the bot serves it: the chair's panel, the tab and stage pages and the stylesheet."""
    headers = {"X-CP-Local-User": CHAIR.aad_object_id}
    panel = await conference.client.get("/api/tab/panel", params={"conversation": MEETING_CHAT}, headers=headers)
    drawn = await panel.json()
    parts = [
        drawn["live"],
        drawn["form"],
        await (await conference.client.get("/tab/meeting")).text(),
        await (await conference.client.get("/tab/stage")).text(),
        (STATIC_DIRECTORY / "meeting-tab.css").read_text(encoding="utf-8"),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


async def draw_page_pictures(browser: Browser, directory: Path) -> str:
    """Draw the side panel and stage pictures into `directory`; returns the digest of what they show."""
    async with sample_conference() as conference:
        for file_name, theme in PANEL_PICTURES.values():
            context = await _context(browser, width=360, height=2000)
            host = TeamsHost(context, conference.origin, PUBLIC)
            await host.start()
            page, frame = await host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT, theme=theme)
            await frame.locator("#panel-live .panel-heading").wait_for(timeout=10_000)
            panel = await frame.locator("#panel").bounding_box()
            assert panel is not None
            clip = {"x": 0, "y": 0, "width": 360, "height": panel["y"] + panel["height"] + 8}
            await page.screenshot(path=str(directory / file_name), clip=clip)  # type: ignore[arg-type]
            await context.close()
        context = await _context(browser, width=400, height=460)
        host = TeamsHost(context, conference.origin, PUBLIC)
        await host.start()
        page, frame = await host.open(
            user=CHAIR.aad_object_id, chat=MEETING_CHAT, theme="dark", frame_context="meetingStage", path="/tab/stage"
        )
        await frame.locator("h1").wait_for(timeout=10_000)
        await page.screenshot(path=str(directory / STAGE_PICTURE))
        await context.close()
        return await pages_digest(conference)


async def _context(browser: Browser, *, width: int, height: int) -> BrowserContext:
    """A UK council's browser: English (UK) times, and the clock at the sample conference's 10:40."""
    context = await browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=2, locale="en-GB", timezone_id="Europe/London"
    )
    await context.clock.set_fixed_time(NOW)
    return context


def recorded_pages_digest() -> str | None:
    record = json.loads((PROJECT_ROOT / "docs" / "pictures.json").read_text(encoding="utf-8"))
    value = record.get(PAGES_RECORD_KEY)
    return value if isinstance(value, str) else None
