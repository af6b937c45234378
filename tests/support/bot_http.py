"""Driving the bot's aiohttp app in integration tests: posting activities as Teams does, a conference under way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.support import activities
from tests.support.activities import Person

Client = TestClient[web.Request, web.Application]


async def post_activity(client: Client, payload: dict[str, Any]) -> None:
    """POST an activity to /api/messages and insist on 200, as Teams would see it."""
    response = await client.post("/api/messages", json=payload)
    assert response.status == 200, await response.text()


async def conference_running(
    client: Client,
    service_url: str,
    people: Sequence[Person],
    minutes_ago: float = 20,
    *,
    meeting: tuple[str, str] | None = None,
    scope: activities.Scope = "meetingChat",
) -> datetime:
    """A conference that started `minutes_ago` with `people` joining at the start; returns the start. By default
    the test meeting's; `meeting` (its id and its conversation's) names another."""
    start = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    where: dict[str, Any] = {"service_url": service_url, "meeting": meeting, "scope": scope}
    await post_activity(client, activities.meeting_started(start, **where))
    await post_activity(client, activities.participants_event(True, people, start, **where))
    return start
