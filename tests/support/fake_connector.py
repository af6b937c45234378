"""A fake Bot Connector on 127.0.0.1 that follows the documented v3 REST shapes and records what the bot sends.

Only Microsoft's cloud connector is faked; the bot talks to it through botbuilder's real ConnectorClient.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.waiting import wait_until


@dataclass
class SentActivity:
    conversation_id: str
    reply_to_id: str | None
    body: dict[str, Any]
    authorization: str | None

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment["content"]
            for attachment in self.body.get("attachments") or []
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass
class FakeConnector:
    sent: list[SentActivity] = field(default_factory=list)
    failures_to_send: int = 0
    """Answer this many of the next sends with 500, as the real connector does when it has a bad moment."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._send)
        return app

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.failures_to_send > 0:
            self.failures_to_send -= 1
            return web.json_response({"error": {"code": "ServiceError", "message": "Unknown"}}, status=500)
        if not isinstance(body, dict) or not body.get("type"):
            return web.json_response({"error": {"code": "BadArgument", "message": "Activity is missing"}}, status=400)
        self.sent.append(
            SentActivity(
                conversation_id=request.match_info["conversation_id"],
                reply_to_id=request.match_info.get("activity_id"),
                body=body,
                authorization=request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": f"1:{next(self._ids)}"}, status=201)

    async def wait_for(self, count: int, *, within: float = 10.0) -> list[SentActivity]:
        """Wait until at least `count` activities have been sent, then return them all."""

        async def enough() -> bool:
            return len(self.sent) >= count

        await wait_until(enough, within=within, what=f"{count} activities at the fake connector")
        return self.sent
