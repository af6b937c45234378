"""The connector client a turn replies through, kept for the life of the app instead of built for every turn.

botbuilder 4.17's `CloudAdapter` builds a new msrest `ConnectorClient` and a new `TokenApiClient` on every turn (each
constructing a `ClientRetryPolicy`, about 4.6 ms of CPU), sends through `requests` in a worker thread on a new TCP
(in production TLS) connection, and walks and copies every string of the card to serialise it. Here each turn gets a
client kept per service URL, audience and app id, whose `conversations` send, reply, update and delete over the app's
shared aiohttp session. The outbound token is botbuilder's own: the credentials the turn's `ConnectorFactory` made
sign each request, exactly as msrest would have. Anything else a turn asks of the client (member look-ups,
attachments) is handed to a botbuilder `ConnectorClient` built once per key. A turn's replies are not paced (someone
is waiting for them); a 429 is retried after its Retry-After, as msrest's retry policy would.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any
from urllib.parse import quote

from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants, ClaimsIdentity

from bot.teams.connector_http import ConnectorHttp
from bot.teams.replies import wire_activity
from bot.usecases.port_errors import TeamsFailure

KEPT_CLIENTS = 64
"""Teams uses a handful of service URLs; the oldest client is let go beyond this many."""


def app_id_of(claims_identity: ClaimsIdentity) -> str | None:
    """The bot's app id as botbuilder reads it from a turn's claims (audience, else appid; None when anonymous)."""
    claims: dict[str, Any] = claims_identity.claims or {}
    app_id = claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(AuthenticationConstants.APP_ID_CLAIM)
    return str(app_id) if app_id else None


class _Headers:
    """What botbuilder's `AppCredentials.signed_session` writes the Authorization header into."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class _SignedBy:
    """The Authorization header botbuilder's credentials give, the way msrest asks for it (none when anonymous)."""

    def __init__(self, credentials: Any) -> None:
        self._credentials = credentials

    async def __call__(self) -> str | None:
        if not getattr(self._credentials, "microsoft_app_id", None):
            return None
        # MSAL is synchronous and may fetch a new token; it keeps one until shortly before it expires.
        signed = await asyncio.to_thread(self._credentials.signed_session, _Headers())
        header: str | None = signed.headers.get("Authorization")
        return header


def _resource(answer: object) -> ResourceResponse:
    identifier = answer.get("id") if isinstance(answer, dict) else None
    return ResourceResponse(id=identifier if isinstance(identifier, str) else None)


class _Conversations:
    def __init__(self, http: ConnectorHttp, service_url: str, botbuilder_client: Any) -> None:
        self._http = http
        self._base = service_url.rstrip("/") + "/v3/conversations/"
        self._authorization = _SignedBy(botbuilder_client.config.credentials)
        self._fallback = botbuilder_client.conversations

    def _activities(self, conversation_id: str, activity_id: str | None = None) -> str:
        url = f"{self._base}{quote(conversation_id, safe='')}/activities"
        return f"{url}/{quote(activity_id, safe='')}" if activity_id else url

    async def _send(self, method: str, url: str, activity: Activity | None) -> ResourceResponse:
        answer = await self._http.call(
            method,
            url,
            self._authorization,
            json=wire_activity(activity) if activity is not None else None,
            forbidden=TeamsFailure.NOT_REACHABLE,
        )
        return _resource(answer)

    async def send_to_conversation(self, conversation_id: str, activity: Activity, **_: Any) -> ResourceResponse:
        return await self._send("POST", self._activities(conversation_id), activity)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse:
        return await self._send("POST", self._activities(conversation_id, activity_id), activity)

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> ResourceResponse:
        return await self._send("PUT", self._activities(conversation_id, activity_id), activity)

    async def delete_activity(self, conversation_id: str, activity_id: str, **_: Any) -> None:
        await self._send("DELETE", self._activities(conversation_id, activity_id), None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fallback, name)


class TurnConnector:
    """Stands where botbuilder expects a `ConnectorClient` in a turn's state."""

    def __init__(self, http: ConnectorHttp, service_url: str, botbuilder_client: Any) -> None:
        self.conversations = _Conversations(http, service_url, botbuilder_client)
        self._botbuilder_client = botbuilder_client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._botbuilder_client, name)


class TurnClients:
    """The connector and user-token clients turns use, made once per service URL, audience and app id."""

    def __init__(self, http: ConnectorHttp) -> None:
        self._http = http
        self._connectors: OrderedDict[tuple[str, str | None, str | None], TurnConnector] = OrderedDict()
        self._user_tokens: dict[str | None, Any] = {}

    async def connector(self, authenticated: AuthenticateRequestResult, service_url: str) -> TurnConnector:
        key = (service_url, authenticated.audience, app_id_of(authenticated.claims_identity))
        if (kept := self._connectors.get(key)) is not None:
            return kept
        botbuilder_client = await authenticated.connector_factory.create(service_url, authenticated.audience)
        connector = self._connectors[key] = TurnConnector(self._http, service_url, botbuilder_client)
        while len(self._connectors) > KEPT_CLIENTS:
            self._connectors.popitem(last=False)
        return connector

    async def user_tokens(self, authentication: Any, claims_identity: ClaimsIdentity) -> Any:
        """botbuilder's `UserTokenClient` (for sign-in cards), one per app id."""
        key = app_id_of(claims_identity)
        if key not in self._user_tokens:
            self._user_tokens[key] = await authentication.create_user_token_client(claims_identity)
        return self._user_tokens[key]
