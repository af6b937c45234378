"""The Bot Connector the contenders reply to: records when each reply arrives, and can answer 429 like Teams.

It runs inside the load generator's process, so the moment a request is sent and the moment its card arrives are read
from one clock. Teams' documented limits are modelled as moving one-second windows: above `overall_per_second`
messages in the last second, or `per_conversation_per_second` to one conversation, the answer is 429 with
`Retry-After: 1`, and the message does not count as delivered.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class _Window:
    limit: int
    arrivals: deque[float] = field(default_factory=deque)

    def has_room(self, now: float) -> bool:
        while self.arrivals and now - self.arrivals[0] >= 1.0:
            self.arrivals.popleft()
        return len(self.arrivals) < self.limit


@dataclass(frozen=True, slots=True)
class Arrival:
    at: float
    conversation_id: str
    marker: str | None
    """What the body says it is about, where the bench asked (`marker_pattern`): tells one reminder from another."""


class BenchConnector:
    def __init__(
        self,
        *,
        overall_per_second: int | None = None,
        per_conversation_per_second: int | None = None,
        marker_pattern: bytes | None = None,
    ) -> None:
        self._marker = re.compile(marker_pattern) if marker_pattern else None
        self.arrivals: list[Arrival] = []
        self.throttled = 0
        self.members: dict[str, list[dict[str, Any]]] = {}
        self.organisers: dict[str, str] = {}
        """Meeting id → its organiser's Entra id, for the meeting details and roles the side panels ask for."""
        self._overall = _Window(overall_per_second) if overall_per_second else None
        self._per_conversation_limit = per_conversation_per_second
        self._per_conversation: dict[str, _Window] = {}
        self.reply_arrived: dict[str, float] = {}

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._activity)
        app.router.add_put("/v3/conversations/{conversation}/activities/{reply_to}", self._activity)
        app.router.add_get("/v3/conversations/{conversation}/members", self._members)
        app.router.add_get("/v1/meetings/{meeting}", self._meeting)
        app.router.add_get("/v1/meetings/{meeting}/participants/{person}", self._participant)
        app.router.add_post("/v3/conversations", self._create_conversation)
        return app

    def _admits(self, conversation_id: str, now: float) -> bool:
        """Whether the message fits both windows; only a message let through counts in them."""
        windows = [] if self._overall is None else [self._overall]
        if self._per_conversation_limit is not None:
            windows.append(self._per_conversation.setdefault(conversation_id, _Window(self._per_conversation_limit)))
        if not all(window.has_room(now) for window in windows):
            return False
        for window in windows:
            window.arrivals.append(now)
        return True

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.read()
        now = time.perf_counter()
        conversation_id = request.match_info["conversation"]
        if not self._admits(conversation_id, now):
            self.throttled += 1
            return web.json_response(
                {"error": {"code": "ThrottledRequest", "message": "Too many requests"}},
                status=429,
                headers={"Retry-After": "1"},
            )
        reply_to = request.match_info.get("reply_to")
        found = self._marker.search(body) if self._marker else None
        marker = found.group(0).decode() if found else None
        self.arrivals.append(Arrival(now, conversation_id, marker))
        if reply_to is not None:
            self.reply_arrived[reply_to] = now
        return web.json_response({"id": f"reply-{len(self.arrivals)}"})

    async def _members(self, request: web.Request) -> web.Response:
        return web.json_response(self.members.get(request.match_info["conversation"], []))

    async def _meeting(self, request: web.Request) -> web.Response:
        organiser = self.organisers.get(request.match_info["meeting"])
        if organiser is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(
            {"details": {"id": request.match_info["meeting"]}, "organizer": {"aadObjectId": organiser}}
        )

    async def _participant(self, request: web.Request) -> web.Response:
        organiser = self.organisers.get(request.match_info["meeting"])
        role = "Organizer" if organiser == request.match_info["person"] else "Attendee"
        return web.json_response({"meeting": {"role": role, "inMeeting": True}})

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        member = body["members"][0]["id"]
        return web.json_response({"id": f"a:1on1-{member}"}, status=201)
