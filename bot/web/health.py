"""The probes an orchestrator asks.

- `GET /livez`: the process is serving. Never asks the database, so a database outage never makes a liveness probe
  restart healthy replicas (they wait for it, answering 503 where it matters).
- `GET /readyz`: the bot can do its work: the database answers and its schema is the one this code expects (migrated
  to the latest revision), and it is not stopping. 503 otherwise, saying which: take the replica out of the load
  balancer, do not restart it.
- `GET /healthz`: the same as `/readyz` (kept for the load balancers already pointed at it).
"""

from __future__ import annotations

import logging
from functools import cache

from aiohttp import web

from bot import __version__
from bot.store.database import latest_revision, schema_revision
from bot.web import keys

logger = logging.getLogger(__name__)


@cache
def _expected_revision() -> str:
    return latest_revision()


async def livez(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "version": __version__})


async def _schema(request: web.Request) -> str:
    """ok, unreachable, or mismatch (the database answers but is not at this code's revision: an older one, or a
    newer release's)."""
    if not request.app[keys.DATABASE_READINESS].ready:
        return "unreachable"
    try:
        revision = await schema_revision(request.app[keys.DATABASE])
    except Exception as problem:
        logger.info("readiness: the database did not answer reason=%s", type(problem).__name__)
        return "unreachable"
    return "ok" if revision == _expected_revision() else "mismatch"


async def readyz(request: web.Request) -> web.Response:
    database = await _schema(request)
    stopping = request.app[keys.STOPPING].is_set()
    settings = request.app[keys.SETTINGS]
    body = {
        "status": "ok" if database == "ok" and not stopping else "stopping" if stopping else "unavailable",
        "database": "ok" if database != "unreachable" else "unreachable",
        "schema": "ok" if database == "ok" else "mismatch" if database == "mismatch" else "unknown",
        "mode": "local" if settings.local_mode else "azure",
        "version": __version__,
    }
    ready = database == "ok" and not stopping
    return web.json_response(body, status=200 if ready else 503, headers={"Cache-Control": "no-store"})


healthz = readyz
"""`/healthz` is readiness."""
