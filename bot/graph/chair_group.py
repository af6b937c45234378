"""Whether someone is in the Entra group of CP Chairs, asked of Microsoft Graph each time (membership changes).

`POST /users/{id}/checkMemberGroups` is transitive (nested groups count) and needs the application permission
GroupMember.Read.All.
"""

from __future__ import annotations

import logging

from kiota_abstractions.api_error import APIError
from msgraph.generated.users.item.check_member_groups.check_member_groups_post_request_body import (
    CheckMemberGroupsPostRequestBody,
)
from msgraph.graph_service_client import GraphServiceClient

from bot.usecases.port_errors import DirectoryUnavailableError

logger = logging.getLogger(__name__)


class GraphChairGroup:
    """Implements the use cases' `ChairGroup` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient, group_id: str) -> None:
        self._client = client
        self._group_id = group_id.lower()

    async def includes(self, aad_object_id: str) -> bool:
        body = CheckMemberGroupsPostRequestBody(group_ids=[self._group_id])
        try:
            answer = await self._client.users.by_user_id(aad_object_id).check_member_groups.post(body)
        except APIError as problem:
            if problem.response_status_code == 404:
                return False  # not a user of this organisation (a guest's home account, say): not in the group
            logger.warning("chair group check failed status=%s", problem.response_status_code)
            raise DirectoryUnavailableError(f"Graph answered {problem.response_status_code}") from None
        except Exception as problem:
            logger.warning("chair group check failed reason=%s", type(problem).__name__)
            raise DirectoryUnavailableError(type(problem).__name__) from None
        return any(group.lower() == self._group_id for group in (answer.value if answer and answer.value else []))

    async def readable(self) -> None:
        """Raises DirectoryUnavailableError unless Graph shows the group (`GET /groups/{id}`): for `bot doctor`."""
        try:
            await self._client.groups.by_group_id(self._group_id).get()
        except APIError as problem:
            raise DirectoryUnavailableError(f"Graph answered {problem.response_status_code}") from None
        except Exception as problem:
            raise DirectoryUnavailableError(type(problem).__name__) from None
