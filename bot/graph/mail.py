"""E-mail reminders through Graph, from the mailbox an administrator chose, for invitees Teams cannot reach.

`POST /users/{mailbox}/sendMail` with the application permission Mail.Send (limit it to that one mailbox with an
Exchange application access policy or RBAC for Applications). Not kept in Sent Items: the reminder is in the outbox.
"""

from __future__ import annotations

import logging

from kiota_abstractions.api_error import APIError
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.message import Message
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.users.item.send_mail.send_mail_post_request_body import SendMailPostRequestBody
from msgraph.graph_service_client import GraphServiceClient

from bot.graph.errors import RETRYABLE
from bot.usecases.port_errors import MailError

logger = logging.getLogger(__name__)


class GraphMail:
    """Implements the use cases' `ReminderMailer` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient, sender: str) -> None:
        self._client = client
        self._sender = sender

    async def send(self, to: str, subject: str, html: str) -> None:
        message = Message(
            subject=subject,
            body=ItemBody(content_type=BodyType.Html, content=html),
            to_recipients=[Recipient(email_address=EmailAddress(address=to))],
        )
        body = SendMailPostRequestBody(message=message, save_to_sent_items=False)
        try:
            await self._client.users.by_user_id(self._sender).send_mail.post(body)
        except APIError as problem:
            logger.warning("reminder e-mail failed status=%s", problem.response_status_code)
            raise MailError(
                f"Graph answered {problem.response_status_code} to sending the e-mail",
                retry=problem.response_status_code in RETRYABLE,
            ) from None
        except Exception as problem:
            logger.warning("reminder e-mail failed reason=%s", type(problem).__name__)
            raise MailError(type(problem).__name__, retry=True) from None
