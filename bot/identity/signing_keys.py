"""Token signing keys from an OpenID metadata document, fetched without blocking the event loop, refreshed daily and
when a token names a key not yet held (at most every few minutes), kept when a refresh fails. Used for the Bot
Framework's tokens on each Teams activity (`bot/teams/signing_keys.py` puts it in botbuilder's cache) and for the
single sign-on tokens of the meeting pages (`page_tokens.py`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from jwt.algorithms import RSAAlgorithm

logger = logging.getLogger(__name__)

KEYS_LAST = 24 * 3600.0
"""Keys are fetched again after a day, as botbuilder and Microsoft's guidance do."""
UNKNOWN_KEY_REFRESH_GAP = 300.0
"""A token signed by a key not in the cache refreshes the keys, at most once in this many seconds."""
FAILED_REFRESH_GAP = 30.0
"""After a failed refresh, turns use the keys already held (or get 503) for this long before the next attempt."""
FETCH_TIMEOUT = aiohttp.ClientTimeout(total=10)

FetchJson = Callable[[str], Awaitable[Any]]


class SigningKeysUnavailableError(OSError):
    """No signing keys could be fetched; a request cannot be authenticated now (it is answered 503)."""


class UnknownSigningKeyError(PermissionError):
    """The token names a key its issuer does not publish (it is answered 401)."""


@dataclass(frozen=True)
class SigningKey:
    """The shape botbuilder's JwtTokenExtractor reads: `public_key` and `endorsements`."""

    public_key: Any
    endorsements: list[str]


async def fetch_json(url: str) -> Any:
    async with (
        aiohttp.ClientSession(timeout=FETCH_TIMEOUT) as session,
        session.get(url, raise_for_status=True) as response,
    ):
        return await response.json(content_type=None)


def _read_keys(document: Any) -> dict[str, SigningKey]:
    keys: dict[str, SigningKey] = {}
    for jwk in document.get("keys", []) if isinstance(document, dict) else []:
        try:
            endorsements = jwk.get("endorsements", [])
            keys[jwk["kid"]] = SigningKey(RSAAlgorithm.from_jwk(json.dumps(jwk)), list(endorsements))
        except Exception:  # one unreadable key does not lose the others
            logger.warning("signing key skipped: it could not be read kid=%s", jwk.get("kid"))
    return keys


class SigningKeys:
    """One OpenID metadata document's keys. Concurrent requests share one refresh."""

    def __init__(
        self,
        metadata_url: str,
        *,
        fetch: FetchJson = fetch_json,
        clock: Callable[[], float] = time.monotonic,
        issuer_name: str = "the Bot Framework",
    ) -> None:
        self._metadata_url = metadata_url
        self._issuer_name = issuer_name
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._refreshing: asyncio.Lock | None = None

    async def get(self, key_id: str | None) -> SigningKey:
        """The key a token names (botbuilder calls this with the token's `kid`)."""
        if self._clock() - self._fetched_at > KEYS_LAST:
            await self._refresh(minimum_gap=FAILED_REFRESH_GAP)
        if key_id is not None and self._keys and key_id not in self._keys:
            await self._refresh(minimum_gap=UNKNOWN_KEY_REFRESH_GAP)
        if not self._keys:
            raise SigningKeysUnavailableError(f"{self._issuer_name}'s signing keys could not be fetched")
        key = self._keys.get(key_id) if key_id is not None else None
        if key is None:
            raise UnknownSigningKeyError(f"the token is not signed by a key of {self._issuer_name}")
        return key

    async def _refresh(self, *, minimum_gap: float) -> None:
        """Fetches the keys again unless another turn just did, or an attempt was made within `minimum_gap`. A failed
        fetch keeps the keys already held (Microsoft publishes new keys well before it retires old ones)."""
        # The lock is made here, inside the running loop, because the cache outlives any one loop (tests run many).
        self._refreshing = self._refreshing or asyncio.Lock()
        attempted_before = self._attempted_at
        async with self._refreshing:
            if self._attempted_at != attempted_before or self._clock() - self._attempted_at < minimum_gap:
                return
            self._attempted_at = self._clock()
            try:
                metadata = await self._fetch(self._metadata_url)
                keys = _read_keys(await self._fetch(metadata["jwks_uri"]))
                if not keys:
                    raise ValueError("no readable key")
            except Exception as error:
                logger.warning(
                    "signing keys not refreshed from %s (%s); %s",
                    self._metadata_url,
                    type(error).__name__,
                    "keeping the keys already held" if self._keys else "turns are refused with 503 until they load",
                )
                return
            self._keys = keys
            self._fetched_at = self._clock()
            logger.info("signing keys loaded from %s: %d key(s)", self._metadata_url, len(keys))
