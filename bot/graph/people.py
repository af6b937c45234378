"""Finding a colleague's Entra object id from their e-mail address, so Teams can open a private chat with them.

`GET /users/{address}?$select=id` with the application permission User.ReadBasic.All. Only users of this organisation
are found (404 for everyone else: partners in other organisations, the family).
"""

from __future__ import annotations

import logging

from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.graph_service_client import GraphServiceClient

from bot.usecases.port_errors import DirectoryUnavailableError

logger = logging.getLogger(__name__)


class GraphPeople:
    """Implements the use cases' `PersonDirectory` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient) -> None:
        self._client = client

    async def object_id(self, email: str) -> str | None:
        parameters = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=["id"])
        try:
            user = await self._client.users.by_user_id(email).get(RequestConfiguration(query_parameters=parameters))
        except APIError as problem:
            if problem.response_status_code in (400, 404):
                return None  # not a user here (or not an address Graph accepts as one)
            logger.warning("user look-up failed status=%s", problem.response_status_code)
            raise DirectoryUnavailableError(f"Graph answered {problem.response_status_code}") from None
        except Exception as problem:
            logger.warning("user look-up failed reason=%s", type(problem).__name__)
            raise DirectoryUnavailableError(type(problem).__name__) from None
        return str(user.id) if user and user.id else None
