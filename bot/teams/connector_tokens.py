"""Bearer tokens for the bot's own calls to the Bot Connector (meeting look-ups, private messages).

botbuilder's app credentials fetch tokens with MSAL, synchronously; MSAL keeps them until shortly before they expire,
so the call is cheap after the first, but it still runs in a worker thread to keep the event loop free.
"""

from __future__ import annotations

import asyncio

from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory
from botframework.connector.auth import AppCredentials, AuthenticationConstants

from bot.config.settings import Settings
from bot.teams.authentication import bot_framework_configuration


class ConnectorTokens:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._credentials: AppCredentials | None = None
        self._lock = asyncio.Lock()

    async def authorization(self) -> str | None:
        """The Authorization header value, or None in local mode (the Agents Playground and tests need none)."""
        if self._settings.local_mode:
            return None
        credentials = await self._app_credentials()
        token = await asyncio.to_thread(credentials.get_access_token)
        return f"Bearer {token}"

    async def _app_credentials(self) -> AppCredentials:
        async with self._lock:
            if self._credentials is None:
                factory = ConfigurationServiceClientCredentialFactory(bot_framework_configuration(self._settings))
                login_endpoint = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + (
                    self._settings.app_tenant_id or "botframework.com"
                )
                self._credentials = await factory.create_credentials(
                    self._settings.app_id,
                    AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
                    login_endpoint,
                    True,
                )
            return self._credentials
