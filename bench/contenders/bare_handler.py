"""The bare limit: an aiohttp handler that parses the activity and POSTs the same card to the connector with one
shared session. No framework, no checks: the least a reply can cost in Python on this machine.

Run: `python -m bench.contenders.bare_handler PORT`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from bench.contenders.card import expectations_card

SESSION = web.AppKey("session", aiohttp.ClientSession)
REPLY = web.AppKey("reply", dict[str, Any])


async def messages(request: web.Request) -> web.Response:
    activity: dict[str, Any] = json.loads(await request.read())
    reply = {
        **request.app[REPLY],
        "conversation": activity["conversation"],
        "recipient": activity["from"],
        "from": activity["recipient"],
        "replyToId": activity["id"],
    }
    base = activity["serviceUrl"].rstrip("/")
    url = f"{base}/v3/conversations/{activity['conversation']['id']}/activities/{activity['id']}"
    async with request.app[SESSION].post(url, json=reply) as response:
        await response.read()
    return web.Response(status=200)


async def healthz(_request: web.Request) -> web.Response:
    return web.Response(status=200)


async def _session(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession() as session:
        app[SESSION] = session
        yield


def main() -> None:
    app = web.Application()
    app[REPLY] = {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": expectations_card()}],
    }
    app.cleanup_ctx.append(_session)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)


if __name__ == "__main__":
    main()
