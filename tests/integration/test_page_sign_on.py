"""The meeting pages' API knows who is looking only from a valid single sign-on token (TeamsJS's
`authentication.getAuthToken`), checked like Teams' own: its tenant's key, issuer, this app's `api://` audience,
expiry, the tenants served. Anything else is 401 with no data. Local mode takes a labelled local identity from this
machine only. A stand-in for Entra ID publishes a tenant's OpenID metadata and keys on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running
from tests.support.entra_stand_in import APP_ID, HOST, RESOURCE, EntraStandIn
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.token_issuer import SigningKeyPair

Client = TestClient[web.Request, web.Application]
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
TENANT = activities.TENANT_ID
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")


@pytest.fixture
async def azure(aiohttp_client: ClientFactory, make_settings: SettingsFactory, entra: EntraStandIn) -> Client:
    settings = make_settings(
        app_id=APP_ID,
        app_password="secret",
        app_type="SingleTenant",
        app_tenant_id=TENANT,
        public_base_url=f"https://{HOST}",
    )
    return await aiohttp_client(create_app(settings, entra_authority=entra.base))


async def _viewer(client: Client, *, token: str | None = None, conversation: str = "19:meeting_none@thread.v2") -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return await client.get("/api/tab/viewer", params={"conversation": conversation}, headers=headers)


async def test_a_valid_token_is_accepted(azure: Client, entra: EntraStandIn) -> None:
    response = await _viewer(azure, token=entra.token())
    assert response.status == 404, "past sign-on: the bot knows no conference in that chat"
    assert (await response.json()) == {"error": "no conference the bot knows is held there"}


@pytest.mark.parametrize(
    "forged",
    [
        "no token",
        "not a token",
        "expired",
        "another app's audience",
        "another tenant's issuer",
        "a tenant not served",
        "an unknown key",
        "HS256",
        "no user",
    ],
)
async def test_anything_but_a_valid_token_is_401_with_no_data(azure: Client, entra: EntraStandIn, forged: str) -> None:
    now = int(time.time())
    other = "0d9e8f7a-0000-4000-8000-000000000002"
    tokens: dict[str, str | None] = {
        "no token": None,
        "not a token": "abc.def.ghi",
        "expired": entra.token(exp=now - 3600, iat=now - 7200),
        "another app's audience": entra.token(aud=f"api://{HOST}/{other}"),
        "another tenant's issuer": entra.token(iss=f"{entra.base}/{other}/v2.0"),
        "a tenant not served": entra.token(tid=other, iss=f"{entra.base}/{other}/v2.0"),
        "an unknown key": entra.token(key=SigningKeyPair.make([])),
        "HS256": jwt.encode({"tid": TENANT, "oid": "x", "aud": RESOURCE}, "secret-of-32-bytes-at-the-least!!", "HS256"),
        "no user": entra.token(oid=None),
    }
    response = await _viewer(azure, token=tokens[forged], conversation=MEETING_CHAT)
    assert response.status == 401
    assert (await response.json()) == {"error": "sign-in required"}
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_local_mode_takes_a_labelled_local_identity_and_the_chair_rule(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, [CHAIR, NURSE], organizer=CHAIR))
    client = await aiohttp_client(create_app(make_settings()))
    await conference_running(client, service_url, [CHAIR, NURSE])
    unnamed = await client.get("/api/tab/viewer", params={"conversation": MEETING_CHAT})
    assert unnamed.status == 401, "no local identity given"

    async def as_person(person: FakePerson) -> Any:
        response = await client.get(
            "/api/tab/viewer",
            params={"conversation": MEETING_CHAT},
            headers={"X-CP-Local-User": person.aad_object_id},
        )
        assert response.status == 200
        return await response.json()

    assert await as_person(CHAIR) == {"identity": "local", "chair": True}
    assert await as_person(NURSE) == {"identity": "local", "chair": False}
