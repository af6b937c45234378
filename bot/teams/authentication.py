"""Bot Framework authentication built from our settings."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import BotFrameworkAuthentication

from bot.config.settings import Settings
from bot.teams import signing_keys


@dataclass(frozen=True)
class _BotFrameworkConfiguration:
    """The attribute names botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def bot_framework_configuration(settings: Settings) -> _BotFrameworkConfiguration:
    return _BotFrameworkConfiguration(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type.value,
        APP_TENANTID=settings.app_tenant_id,
    )


def build_authentication(settings: Settings) -> BotFrameworkAuthentication:
    signing_keys.install()
    return ConfigurationBotFrameworkAuthentication(bot_framework_configuration(settings))
