"""The credential the bot uses for Microsoft Graph: the bot's own app registration, as for the Bot Connector."""

from __future__ import annotations

from azure.core.credentials_async import AsyncTokenCredential
from azure.identity.aio import ClientSecretCredential, ManagedIdentityCredential

from bot.settings import AppType, Settings


def graph_credential(settings: Settings) -> AsyncTokenCredential | None:
    """The app's client secret (or its user-assigned managed identity); None in local mode, where Graph calls go
    unauthenticated (only a Graph test double on this machine answers those)."""
    if settings.local_mode:
        return None
    if settings.app_type is AppType.USER_ASSIGNED_MSI:
        return ManagedIdentityCredential(client_id=settings.app_id)
    return ClientSecretCredential(settings.app_tenant_id, settings.app_id, settings.app_password)
