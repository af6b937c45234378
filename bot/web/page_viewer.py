"""Who is looking at a meeting page: from a valid Teams sign-on token, or in local mode a labelled local identity
from this machine; and the answer with no data that anyone else gets."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from bot.domain.text import AAD_OBJECT_ID_LIMIT, identifier
from bot.identity.page_tokens import PageTokenError
from bot.identity.signing_keys import SigningKeysUnavailableError
from bot.teams.endpoint import is_loopback
from bot.web import keys

LOCAL_USER_HEADER: Final = "X-CP-Local-User"
"""In local mode only, and from this machine only: the Entra object id a page is looked at as (no Teams, no token)."""


async def page_viewer(request: web.Request) -> tuple[str, str]:
    """The viewer's Entra object id, and where it came from (`teams`, or `local`)."""
    tokens = request.app[keys.SERVICES].page_tokens
    if tokens is None:  # local mode: the endpoint refuses anyone not on this machine before this
        local = identifier(request.headers.get(LOCAL_USER_HEADER), AAD_OBJECT_ID_LIMIT)
        if local is None or not is_loopback(request.remote):
            raise PageTokenError("local mode: a local identity from this machine only")
        return local.lower(), "local"
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PageTokenError("no token")
    return (await tokens.viewer(token.strip())).aad_object_id, "teams"


API_HEADERS: Final = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def no_data(status: int, error: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": error}, status=status, headers={**API_HEADERS, **(headers or {})})


async def signed_in(request: web.Request) -> tuple[str, str] | web.Response:
    """The viewer (`page_viewer`), or the answer with no data for a missing or bad token (401) or keys that cannot
    be fetched just now (503)."""
    try:
        return await page_viewer(request)
    except PageTokenError:
        return no_data(401, "sign-in required", {"WWW-Authenticate": "Bearer"})
    except SigningKeysUnavailableError:
        return no_data(503, "sign-in cannot be checked just now", {"Retry-After": "10"})
