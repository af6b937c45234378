"""Installing the bot, through Graph, where the administrator allowed it: into a meeting's chat (so the pre-meeting
card can be posted there) and for a colleague personally (so Teams lets the bot message them).

`POST /chats/{chat-id}/installedApps` (TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All: the app asks for
resource-specific permissions in the chat, and this is the permission that may consent to them) with the app's
meeting-chat RSC permissions consented, and `POST /users/{id}/teamwork/installedApps`
(TeamsAppInstallation.ReadWriteSelfForUser.All). Both name the app by its id in the organisation's app catalogue.
Graph answers 409 when the app is already there, which is success here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from kiota_abstractions.api_error import APIError
from msgraph.generated.models.teams_app_installation import TeamsAppInstallation
from msgraph.generated.models.teams_app_permission_set import TeamsAppPermissionSet
from msgraph.generated.models.teams_app_resource_specific_permission import TeamsAppResourceSpecificPermission
from msgraph.generated.models.teams_app_resource_specific_permission_type import (
    TeamsAppResourceSpecificPermissionType,
)
from msgraph.generated.models.user_scope_teams_app_installation import UserScopeTeamsAppInstallation
from msgraph.graph_service_client import GraphServiceClient

from bot.graph.errors import RETRYABLE
from bot.usecases.port_errors import InstallationError

logger = logging.getLogger(__name__)

CHAT_PERMISSIONS = (
    "OnlineMeeting.ReadBasic.Chat",
    "OnlineMeetingParticipant.Read.Chat",
    "OnlineMeetingNotification.Send.Chat",
)
"""The manifest's resource-specific permissions that apply in a meeting chat."""


class GraphTeamsApps:
    """Implements the use cases' `AppInstaller` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient, *, base_url: str, catalog_app_id: str) -> None:
        self._client = client
        self._binding = {"teamsApp@odata.bind": f"{base_url.rstrip('/')}/appCatalogs/teamsApps/{catalog_app_id}"}

    async def install_in_chat(self, chat_id: str) -> None:
        permissions = TeamsAppPermissionSet(
            resource_specific_permissions=[
                TeamsAppResourceSpecificPermission(
                    permission_value=name, permission_type=TeamsAppResourceSpecificPermissionType.Application
                )
                for name in CHAT_PERMISSIONS
            ]
        )
        body = TeamsAppInstallation(consented_permission_set=permissions, additional_data=dict(self._binding))
        await _installing("chat", self._client.chats.by_chat_id(chat_id).installed_apps.post(body))

    async def install_for_user(self, object_id: str) -> None:
        body = UserScopeTeamsAppInstallation(additional_data=dict(self._binding))
        await _installing("user", self._client.users.by_user_id(object_id).teamwork.installed_apps.post(body))


async def _installing(where: str, request: Awaitable[object]) -> None:
    try:
        await request
    except APIError as problem:
        if problem.response_status_code == 409:
            return  # already installed
        logger.warning("app installation failed where=%s status=%s", where, problem.response_status_code)
        raise InstallationError(
            f"Graph answered {problem.response_status_code} to installing the app",
            retry=problem.response_status_code in RETRYABLE,
        ) from None
    except Exception as problem:
        logger.warning("app installation failed where=%s reason=%s", where, type(problem).__name__)
        raise InstallationError(type(problem).__name__, retry=True) from None
