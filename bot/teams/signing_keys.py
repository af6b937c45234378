"""The Bot Framework's token signing keys, fetched without blocking the event loop.

botbuilder 4.17 fetches the OpenID metadata and its keys with blocking `requests` calls (no timeout) from inside a
coroutine, so every turn in flight stalls while they load, and for as long as login.botframework.com takes to answer.
It also raises on a key id it has not seen instead of refreshing, so a key Microsoft rotates in is refused until the
next daily refresh. `install()` puts `SigningKeys` in botbuilder's own metadata cache (`JwtTokenExtractor
.metadataCache`, which every validation path reads) so the rest of botbuilder's checks (issuer, audience, expiry,
endorsements, service URL) run unchanged.
"""

from __future__ import annotations

from typing import Any

from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

from bot.identity.signing_keys import SigningKeys


class SigningKeyCache(dict[str, SigningKeys]):
    """botbuilder's metadata cache, holding our SigningKeys for every metadata URL it asks for."""

    def get(self, url: str, default: Any = None) -> SigningKeys:
        if url not in self:
            self[url] = SigningKeys(url)
        return self[url]


def install() -> None:
    """Make botbuilder's token validation use SigningKeys (once per process; later calls change nothing)."""
    if not isinstance(JwtTokenExtractor.metadataCache, SigningKeyCache):
        JwtTokenExtractor.metadataCache = SigningKeyCache()
