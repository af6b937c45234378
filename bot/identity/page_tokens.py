"""Who is looking at a meeting page: the single sign-on token TeamsJS gets for it (`authentication.getAuthToken`),
checked as carefully as the bot checks Teams' own tokens.

A token is accepted only when it is signed (RS256) by a key its tenant publishes (through the same non-blocking key
cache), issued by that tenant (Entra ID v2 or v1 issuer), for this app's `api://<host>/<app id>` resource (or the app
id itself), not expired, and, where the bot serves named tenants only, from one of them. Anything else is refused
with `PageTokenError` and nothing is read from the token.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import jwt

from bot.domain.text import AAD_OBJECT_ID_LIMIT, identifier
from bot.identity.signing_keys import SigningKeys, UnknownSigningKeyError

ENTRA_AUTHORITY: Final = "https://login.microsoftonline.com"
LEEWAY_SECONDS: Final = 60
"""Clock skew allowed between Entra ID and this machine."""
TENANTS_HELD: Final = 64
"""Tenants whose keys are held at once when any tenant is served: a forged token names a tenant of its own choosing,
and must not make the bot hold (or fetch) keys without end."""


class PageTokenError(PermissionError):
    """No token, or one that is not valid for this app: the request is answered 401, with no data."""


@dataclass(frozen=True, slots=True)
class PageViewer:
    aad_object_id: str
    """Lower case."""
    tenant_id: str


class PageTokens:
    def __init__(
        self,
        *,
        app_id: str,
        resource: str,
        tenants: frozenset[str],
        authority: str = ENTRA_AUTHORITY,
        keys_for: Callable[[str], SigningKeys] | None = None,
    ) -> None:
        self._audiences = [audience for audience in (resource, app_id) if audience]
        self._tenants = tenants
        """The tenants served (lower case); empty: any."""
        self._authority = authority.rstrip("/")
        self._keys_for = keys_for or self._tenant_keys
        self._held: OrderedDict[str, SigningKeys] = OrderedDict()

    async def viewer(self, token: str) -> PageViewer:
        """Who the token says is looking, once it is shown to be valid; PageTokenError otherwise
        (SigningKeysUnavailableError when the tenant's keys cannot be fetched now: 503)."""
        header, unverified = _unverified(token)
        if header.get("alg") != "RS256":
            raise PageTokenError("the token is not signed with RS256")
        tenant = (identifier(unverified.get("tid"), AAD_OBJECT_ID_LIMIT) or "").lower()
        if not tenant:
            raise PageTokenError("the token names no tenant")
        if self._tenants and tenant not in self._tenants:
            raise PageTokenError("the token is from a tenant the bot does not serve")
        key_id = header.get("kid")
        try:
            key = await self._keys_for(tenant).get(key_id if isinstance(key_id, str) else None)
        except UnknownSigningKeyError:
            raise PageTokenError("the token is not signed by a key its tenant publishes") from None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public_key,
                algorithms=["RS256"],
                audience=self._audiences,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss", "tid", "oid"]},
            )
        except jwt.PyJWTError as problem:
            raise PageTokenError(f"the token is not valid ({type(problem).__name__})") from None
        issuers = (f"{self._authority}/{tenant}/v2.0", f"https://sts.windows.net/{tenant}/")
        if claims.get("iss") not in issuers or str(claims.get("tid", "")).lower() != tenant:
            raise PageTokenError("the token was not issued by its tenant")
        object_id = identifier(claims.get("oid"), AAD_OBJECT_ID_LIMIT)
        if object_id is None:
            raise PageTokenError("the token names no user")
        return PageViewer(object_id.lower(), tenant)

    def _tenant_keys(self, tenant: str) -> SigningKeys:
        keys = self._held.get(tenant)
        if keys is None:
            metadata = f"{self._authority}/{tenant}/v2.0/.well-known/openid-configuration"
            keys = SigningKeys(metadata, issuer_name="Microsoft Entra ID")
            self._held[tenant] = keys
            while len(self._held) > TENANTS_HELD:
                self._held.popitem(last=False)
        self._held.move_to_end(tenant)
        return keys


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise PageTokenError("not a token") from None
    if not isinstance(claims, dict):
        raise PageTokenError("not a token")
    return header, claims
