"""The signing key cache's refresh rules (the HTTP side is in tests/integration/test_token_validation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.identity.signing_keys import KEYS_LAST, SigningKeys, SigningKeysUnavailableError, UnknownSigningKeyError
from tests.support.token_issuer import SigningKeyPair

METADATA = "https://login.example/metadata"
JWKS = "https://login.example/keys"


class Source:
    def __init__(self, *keys: SigningKeyPair) -> None:
        self.keys = list(keys)
        self.down = False
        self.fetches: list[str] = []

    async def fetch(self, url: str) -> Any:
        self.fetches.append(url)
        if self.down:
            raise OSError("unreachable")
        if url == METADATA:
            return {"jwks_uri": JWKS}
        return {"keys": [key.jwk() for key in self.keys] + [{"kid": "broken", "kty": "RSA", "n": "!"}]}


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_keys_held_are_kept_when_the_daily_refresh_fails() -> None:
    key = SigningKeyPair.make(["msteams"])
    source, clock = Source(key), Clock()
    cache = SigningKeys(METADATA, fetch=source.fetch, clock=clock)
    assert (await cache.get(key.kid)).endorsements == ["msteams"]
    source.down = True
    clock.now += KEYS_LAST + 1
    assert (await cache.get(key.kid)).endorsements == ["msteams"]
    assert len(source.fetches) == 3  # the failed refresh was tried, once
    await cache.get(key.kid)
    assert len(source.fetches) == 3  # and is not retried on every turn


async def test_no_keys_at_all_is_unavailable_not_unknown() -> None:
    source = Source(SigningKeyPair.make(["msteams"]))
    source.down = True
    with pytest.raises(SigningKeysUnavailableError):
        await SigningKeys(METADATA, fetch=source.fetch, clock=Clock()).get("any")


async def test_a_token_without_a_key_id_is_refused() -> None:
    source = Source(SigningKeyPair.make(["msteams"]))
    with pytest.raises(UnknownSigningKeyError):
        await SigningKeys(METADATA, fetch=source.fetch, clock=Clock()).get(None)


async def test_an_unreadable_key_is_skipped_and_the_others_kept() -> None:
    first, second = SigningKeyPair.make(["msteams"]), SigningKeyPair.make(["webchat"])
    cache = SigningKeys(METADATA, fetch=Source(first, second).fetch, clock=Clock())
    assert (await cache.get(second.kid)).endorsements == ["webchat"]
    with pytest.raises(UnknownSigningKeyError):
        await cache.get("broken")
