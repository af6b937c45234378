"""botbuilder's `CloudAdapter`, with the per-turn clients kept instead of rebuilt (see `turn_connector.py`).

`process_activity` is botbuilder 4.17.1's own, step for step, except where the two clients come from: the inbound
request is authenticated by the same `BotFrameworkAuthentication`, the caller id is set the same way, and the turn
context carries the same state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot.teams.connector_http import ConnectorHttp
from bot.teams.replies import plain_cards
from bot.teams.turn_connector import TurnClients


class TeamsCloudAdapter(CloudAdapter):  # type: ignore[misc]
    def __init__(self, authentication: BotFrameworkAuthentication, http: ConnectorHttp) -> None:
        super().__init__(authentication)
        self._clients = TurnClients(http)

    async def process_activity(
        self,
        auth_header_or_authenticate_request_result: str | AuthenticateRequestResult,
        activity: Activity,
        logic: Callable[[TurnContext], Awaitable[Any]],
    ) -> InvokeResponse | None:
        authenticated: AuthenticateRequestResult = (
            await self.bot_framework_authentication.authenticate_request(
                activity, auth_header_or_authenticate_request_result
            )
            if isinstance(auth_header_or_authenticate_request_result, str)
            else auth_header_or_authenticate_request_result
        )
        activity.caller_id = authenticated.caller_id
        if authenticated.connector_factory is None:
            raise RuntimeError("Unable to extract ConnectorClient from turn context.")
        connector = await self._clients.connector(authenticated, activity.service_url)
        user_tokens = await self._clients.user_tokens(self.bot_framework_authentication, authenticated.claims_identity)
        context = self._create_turn_context(
            activity,
            authenticated.claims_identity,
            authenticated.audience,
            connector,
            user_tokens,
            logic,
            authenticated.connector_factory,
        )
        await self.run_pipeline(context, logic)
        for buffered in context.buffered_reply_activities:  # "expectReplies": botbuilder serialises these itself
            plain_cards(buffered)
        result: InvokeResponse | None = self._process_turn_results(context)
        return result
