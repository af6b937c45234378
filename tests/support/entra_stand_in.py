"""A stand-in for Entra ID on 127.0.0.1: a tenant's OpenID metadata and signing keys, and the single sign-on
tokens it signs (what TeamsJS's `authentication.getAuthToken` hands a tab), for the meeting pages' tests."""

from __future__ import annotations

import time
from typing import Any

import jwt
from aiohttp import web

from tests.support.activities import TENANT_ID as TENANT
from tests.support.token_issuer import SigningKeyPair

APP_ID = "6f1c2a3e-0000-4000-8000-000000000001"
HOST = "cp-bot.example-council.gov.uk"
RESOURCE = f"api://{HOST}/{APP_ID}"


class EntraStandIn:
    """A tenant's `/{tenant}/v2.0/.well-known/openid-configuration` and its keys, and tokens it signs."""

    def __init__(self) -> None:
        self.key = SigningKeyPair.make([])
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._metadata)
        app.router.add_get("/{tenant}/discovery/v2.0/keys", self._keys)
        return app

    async def _metadata(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        return web.json_response(
            {"issuer": f"{self.base}/{tenant}/v2.0", "jwks_uri": f"{self.base}/{tenant}/discovery/v2.0/keys"}
        )

    async def _keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.key.jwk()]})

    def token(self, *, key: SigningKeyPair | None = None, algorithm: str = "RS256", **claims: Any) -> str:
        now = int(time.time())
        body = {
            "aud": RESOURCE,
            "iss": f"{self.base}/{TENANT}/v2.0",
            "tid": TENANT,
            "oid": "aad-chair",
            "iat": now - 10,
            "nbf": now - 10,
            "exp": now + 3600,
            "name": "Alex Morgan",
            **claims,
        }
        body = {name: value for name, value in body.items() if value is not None}
        signer = key or self.key
        return jwt.encode(body, signer.private_key, algorithm=algorithm, headers={"kid": signer.kid})
