"""`GET /healthz`: 200 when the bot can serve (the database was reached at start-up and answers now), 503 otherwise."""

from __future__ import annotations

from aiohttp import web

from bot import __version__
from bot.store.database import database_answers
from bot.web import keys


async def healthz(request: web.Request) -> web.Response:
    database_ok = request.app[keys.DATABASE_READINESS].ready and await database_answers(request.app[keys.DATABASE])
    settings = request.app[keys.SETTINGS]
    body = {
        "status": "ok" if database_ok else "unavailable",
        "database": "ok" if database_ok else "unreachable",
        "mode": "local" if settings.local_mode else "azure",
        "version": __version__,
    }
    return web.json_response(body, status=200 if database_ok else 503)
