"""A stand-in for where telemetry goes, on 127.0.0.1: an OpenTelemetry collector's OTLP/HTTP endpoints, or Azure
Monitor's ingestion endpoint (`/v2.1/track`, answered as Azure Monitor answers). It keeps what it is sent."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Receiver:
    """Keeps each request's path, content type and body."""

    received: list[tuple[str, str, bytes]] = field(default_factory=list)
    status: int = 200
    """What an OTLP export is answered (a collector in trouble answers 503)."""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._keep)
        return app

    async def _keep(self, request: web.Request) -> web.Response:
        self.received.append((request.path, request.headers.get("Content-Type", ""), await request.read()))
        if request.path.endswith("/track"):  # Azure Monitor's answer: every item accepted
            items = len(envelopes_in(self.received[-1][2]))
            return web.json_response({"itemsReceived": items, "itemsAccepted": items, "errors": []})
        return web.Response(status=self.status)

    def bodies(self, path: str) -> list[bytes]:
        """What was sent to `path` (Azure Monitor's exporter doubles the slash after a connection string's
        endpoint)."""
        return [body for at, _, body in self.received if at.lstrip("/") == path.lstrip("/")]


def envelopes_in(body: bytes) -> list[dict[str, Any]]:
    text = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    parsed = json.loads(text)
    return parsed if isinstance(parsed, list) else [parsed]
