"""The credential the bot uses for Microsoft Graph: the bot's own app registration, as for the Bot Connector."""

from __future__ import annotations

from azure.core.credentials_async import AsyncTokenCredential
from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential

from bot.config.settings import AppType, Settings


def graph_credential(settings: Settings) -> AsyncTokenCredential | None:
    """The app's user-assigned managed identity, its certificate (GRAPH_CERTIFICATE_PATH) or its client secret; None
    in local mode, where Graph calls go unauthenticated (only a Graph test double on this machine answers those)."""
    if settings.local_mode:
        return None
    if settings.app_type is AppType.USER_ASSIGNED_MSI:
        return ManagedIdentityCredential(client_id=settings.app_id)
    if settings.graph_certificate_path is not None:
        return CertificateCredential(
            settings.app_tenant_id, settings.app_id, certificate_path=str(settings.graph_certificate_path)
        )
    return ClientSecretCredential(settings.app_tenant_id, settings.app_id, settings.app_password)
