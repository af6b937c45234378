"""Finding a colleague's Entra object id from their e-mail address: for a private chat with them in Teams, the chairs'
group, and the Graph calls that name a user by id (their online meetings).

`GET /users?$filter=mail eq '…' or userPrincipalName eq '…'&$select=id` (List users, application permission
User.ReadBasic.All): Graph documents `/users/{id | userPrincipalName}`, and an e-mail address is not always the user
principal name, so the address is looked up rather than put in the path. Only users of this organisation are found
(nobody else: partners in other organisations, the family). Each address found is remembered for the process's
life (an object id never changes); one not found is asked again next time (people join).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Final

from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.users.users_request_builder import UsersRequestBuilder
from msgraph.graph_service_client import GraphServiceClient

from bot.usecases.port_errors import DirectoryUnavailableError

logger = logging.getLogger(__name__)

REMEMBERED: Final = 4096
"""Addresses whose object id is held at once (a council's professionals, many times over)."""


class GraphPeople:
    """Implements the use cases' `PersonDirectory` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient) -> None:
        self._client = client
        self._found: OrderedDict[str, str] = OrderedDict()

    async def object_id(self, email: str) -> str | None:
        address = email.strip().lower()
        if address in self._found:
            self._found.move_to_end(address)
            return self._found[address]
        quoted = address.replace("'", "''")
        parameters = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
            filter=f"mail eq '{quoted}' or userPrincipalName eq '{quoted}'", select=["id"], top=2
        )
        try:
            users = await self._client.users.get(RequestConfiguration(query_parameters=parameters))
        except APIError as problem:
            if problem.response_status_code == 400:
                return None  # not an address Graph can look up
            logger.warning("user look-up failed status=%s", problem.response_status_code)
            raise DirectoryUnavailableError(f"Graph answered {problem.response_status_code}") from None
        except Exception as problem:
            logger.warning("user look-up failed reason=%s", type(problem).__name__)
            raise DirectoryUnavailableError(type(problem).__name__) from None
        ids = {str(user.id) for user in (users.value if users else None) or [] if user.id}
        if len(ids) != 1:
            if ids:
                logger.warning("user look-up found %d users for one address; none is used", len(ids))
            return None
        [object_id] = ids
        self._found[address] = object_id
        while len(self._found) > REMEMBERED:
            self._found.popitem(last=False)
        return object_id
