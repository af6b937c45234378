"""Inbound authentication, proven with botbuilder's own validation against signing keys served on 127.0.0.1.

The bot runs with an app id (Azure mode). Its OpenID metadata URL is pointed at a local issuer through botbuilder's
own hook (`ChannelValidation.open_id_metadata_endpoint`); everything else is the production path: botbuilder's
ChannelValidation and JwtTokenExtractor checks, our non-blocking key cache, the endpoint's answers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from cryptography.hazmat.primitives import serialization

from bot.identity import signing_keys as identity_signing_keys
from bot.web.app_factory import create_app
from harness.waiting import wait_until
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.fake_connector import FakeConnector
from tests.support.token_issuer import LocalTokenIssuer, SigningKeyPair

Client = TestClient[web.Request, web.Application]
APP_ID = "6f1c2a3e-0000-4000-8000-000000000001"


@pytest.fixture
async def bot(aiohttp_client: ClientFactory, make_settings: SettingsFactory, issuer: LocalTokenIssuer) -> Client:
    settings = make_settings(
        app_id=APP_ID, app_password="not-a-real-secret", app_type="SingleTenant", app_tenant_id=activities.TENANT_ID
    )
    return await aiohttp_client(create_app(settings))


async def _post(bot: Client, service_url: str, token: str) -> int:
    response = await bot.post(
        "/api/messages",
        json=activities.message("/expectations", service_url=service_url),
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status


async def test_a_teams_token_is_accepted_and_answered(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    assert await _post(bot, service_url, issuer.token(audience=APP_ID, service_url=service_url)) == 200
    [reply] = await connector.wait_for(1)
    assert reply.cards


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def _handmade(claims: dict[str, Any], header: dict[str, Any], sign: Callable[[bytes], bytes]) -> str:
    """A token PyJWT would refuse to make: unsigned, or HMAC-signed with the RSA public key as the secret."""
    signed = f"{_b64(json.dumps({**header, 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signed}.{_b64(sign(signed.encode()))}"


def _refused_tokens(issuer: LocalTokenIssuer, service_url: str) -> dict[str, str]:
    published = issuer.keys[0]
    impostor = SigningKeyPair.make(["msteams"])
    impostor.kid = published.kid  # same key id, different private key: a forged signature
    webchat_only = SigningKeyPair.make(["webchat"])
    issuer.keys.append(webchat_only)
    public_pem = published.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    claims = {"serviceurl": service_url, "iss": "https://api.botframework.com", "aud": APP_ID, "exp": now + 600}
    return {
        "wrong audience": issuer.token(audience="11111111-2222-4333-8444-555555555555", service_url=service_url),
        "wrong issuer": issuer.token(
            audience=APP_ID, service_url=service_url, issuer="https://sts.windows.net/not-the-bot-framework/"
        ),
        "expired beyond the 5-minute skew": issuer.token(audience=APP_ID, service_url=service_url, expires_in=-600),
        "bad signature": issuer.token(audience=APP_ID, service_url=service_url, key=impostor),
        "alg none": _handmade(claims, {"alg": "none", "kid": published.kid}, lambda _signed: b""),
        "HS256 keyed with the public key": _handmade(
            claims,
            {"alg": "HS256", "kid": published.kid},
            lambda signed: hmac.new(public_pem, signed, hashlib.sha256).digest(),
        ),
        "key not endorsed for msteams": issuer.token(audience=APP_ID, service_url=service_url, key=webchat_only),
        "key the Bot Framework does not publish": issuer.token(
            audience=APP_ID, service_url=service_url, key=SigningKeyPair.make(["msteams"])
        ),
        "serviceurl claim differs from the activity's": issuer.token(
            audience=APP_ID, service_url="https://smba.trafficmanager.net/emea/"
        ),
    }


REFUSALS = [
    "wrong audience",
    "wrong issuer",
    "expired beyond the 5-minute skew",
    "bad signature",
    "alg none",
    "HS256 keyed with the public key",
    "key not endorsed for msteams",
    "key the Bot Framework does not publish",
    "serviceurl claim differs from the activity's",
]


@pytest.mark.parametrize("flaw", REFUSALS)
async def test_a_flawed_token_gets_401_and_no_reply(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str], flaw: str
) -> None:
    connector, service_url = fake_connector
    token = _refused_tokens(issuer, service_url)[flaw]
    assert await _post(bot, service_url, token) == 401
    # The same request with a good token is answered, so the refusal was the token's flaw and nothing else.
    assert await _post(bot, service_url, issuer.token(audience=APP_ID, service_url=service_url)) == 200
    [reply] = await connector.wait_for(1)
    assert reply.cards


async def test_fetching_the_keys_does_not_stall_other_requests(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str]
) -> None:
    """botbuilder fetches keys with blocking `requests`: while login.botframework.com was slow, the whole bot stopped.
    Here the keys are held back until the test lets them go; the bot must answer /healthz in the meantime."""
    _, service_url = fake_connector
    issuer.hold_keys = threading.Event()
    turn = asyncio.create_task(_post(bot, service_url, issuer.token(audience=APP_ID, service_url=service_url)))

    async def keys_asked_for() -> bool:
        return issuer.key_requests == 1

    await wait_until(keys_asked_for, within=10, what="the bot to ask for the signing keys")
    health = await bot.get("/healthz")
    answered_at = time.monotonic()
    issuer.hold_keys.set()
    assert health.status == 200
    assert await asyncio.wait_for(turn, 15) == 200
    assert issuer.keys_released_at is not None
    assert answered_at < issuer.keys_released_at, "/healthz waited for the signing keys: the event loop was blocked"


async def test_turns_arriving_together_share_one_key_fetch(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    token = issuer.token(audience=APP_ID, service_url=service_url)
    statuses = await asyncio.gather(*(_post(bot, service_url, token) for _ in range(20)))
    assert statuses == [200] * 20
    await connector.wait_for(20)
    assert (issuer.metadata_requests, issuer.key_requests) == (1, 1)


async def test_a_rotated_in_key_is_fetched_when_a_token_names_it(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """botbuilder refused a key it had not seen until its next daily refresh; here an unknown key id refreshes."""
    _, service_url = fake_connector
    assert await _post(bot, service_url, issuer.token(audience=APP_ID, service_url=service_url)) == 200
    rotated = SigningKeyPair.make(["msteams"])
    issuer.keys.append(rotated)
    monkeypatch.setattr(identity_signing_keys, "UNKNOWN_KEY_REFRESH_GAP", 0.0)
    assert await _post(bot, service_url, issuer.token(audience=APP_ID, service_url=service_url, key=rotated)) == 200
    assert issuer.key_requests == 2


async def test_unknown_key_ids_cannot_make_the_bot_refetch_keys_at_will(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str]
) -> None:
    _, service_url = fake_connector
    assert await _post(bot, service_url, issuer.token(audience=APP_ID, service_url=service_url)) == 200
    for _ in range(10):
        forged = issuer.token(audience=APP_ID, service_url=service_url, key=SigningKeyPair.make(["msteams"]))
        assert await _post(bot, service_url, forged) == 401
    assert issuer.key_requests == 1


async def test_unreachable_signing_keys_are_a_503_so_teams_retries(
    bot: Client, issuer: LocalTokenIssuer, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    token = issuer.token(audience=APP_ID, service_url=service_url)
    issuer.stop()
    assert await _post(bot, service_url, token) == 503
    assert connector.sent == []
