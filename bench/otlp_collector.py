"""The OpenTelemetry collector a traced contender exports to: it accepts every OTLP/HTTP export, as a collector
does, and counts them (so the figures show the exports happened), keeping nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web


@dataclass
class OtlpCollector:
    exports: int = 0
    bytes_received: int = 0

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/{signal}", self._export)
        return app

    async def _export(self, request: web.Request) -> web.Response:
        self.exports += 1
        self.bytes_received += len(await request.read())
        return web.Response(status=200, content_type="application/x-protobuf")
