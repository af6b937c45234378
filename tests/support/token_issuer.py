"""A stand-in for login.botframework.com: an OpenID metadata document and its JWKS on 127.0.0.1, with RSA keys made
for the test, and tokens shaped like the ones the Bot Connector sends with each Teams activity.

It runs on its own thread and event loop, as the real service is elsewhere: a bot that fetched its keys with a
blocking call would stall its own loop but not this server.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

TEAMS_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"


@dataclass
class SigningKeyPair:
    kid: str
    private_key: rsa.RSAPrivateKey
    endorsements: list[str]

    @classmethod
    def make(cls, endorsements: list[str]) -> SigningKeyPair:
        return cls(uuid.uuid4().hex, rsa.generate_private_key(public_exponent=65537, key_size=2048), endorsements)

    def jwk(self) -> dict[str, Any]:
        public: dict[str, Any] = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        thumbprint = base64.urlsafe_b64encode(hashlib.sha1(der).digest()).rstrip(b"=").decode()  # noqa: S324
        return {**public, "kid": self.kid, "use": "sig", "x5t": thumbprint, "endorsements": self.endorsements}


@dataclass
class LocalTokenIssuer:
    keys: list[SigningKeyPair] = field(default_factory=lambda: [SigningKeyPair.make(["msteams", "webchat"])])
    metadata_requests: int = 0
    key_requests: int = 0
    hold_keys: threading.Event | None = None
    """While set to an unset Event, the keys response waits for it (at most `hold_limit` seconds)."""
    hold_limit: float = 10.0
    keys_released_at: float | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None
    port: int = 0

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{METADATA_PATH}"

    def start(self) -> None:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        async def serve() -> None:
            app = web.Application()
            app.router.add_get(METADATA_PATH, self._metadata)
            app.router.add_get(KEYS_PATH, self._keys)
            self._runner = web.AppRunner(app)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = self._runner.addresses[0][1]
            ready.set()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(serve())
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="token-issuer", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise TimeoutError("the local token issuer did not start")

    def stop(self) -> None:
        if self._loop is None or self._runner is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = self._runner = self._thread = None

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        base = f"http://127.0.0.1:{self.port}"
        return web.json_response(
            {
                "issuer": TEAMS_ISSUER,
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": base + KEYS_PATH,
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_requests += 1
        hold = self.hold_keys
        if hold is not None:
            await asyncio.get_running_loop().run_in_executor(None, hold.wait, self.hold_limit)
            self.keys_released_at = time.monotonic()
        return web.json_response({"keys": [key.jwk() for key in self.keys]})

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        issuer: str = TEAMS_ISSUER,
        key: SigningKeyPair | None = None,
        expires_in: float = 3600,
        algorithm: str = "RS256",
        headers: dict[str, Any] | None = None,
    ) -> str:
        signer = key or self.keys[0]
        now = int(time.time())
        claims = {
            "serviceurl": service_url,
            "nbf": now - 60,
            "exp": now + int(expires_in),
            "iss": issuer,
            "aud": audience,
        }
        return jwt.encode(
            claims, signer.private_key, algorithm=algorithm, headers={"kid": signer.kid, **(headers or {})}
        )
