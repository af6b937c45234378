"""The e-mail address of whoever pressed or typed something, as Teams lists them among a chat's members: how the
bot finds a person's invitations (which name them by address)."""

from __future__ import annotations

import logging

from bot.domain.conversations import ConversationAddress
from bot.usecases.chair_check import Asker
from bot.usecases.port_errors import TeamsCallError
from bot.usecases.ports import MeetingDirectory

logger = logging.getLogger(__name__)


async def address_of(directory: MeetingDirectory, asker: Asker, chat: ConversationAddress | None) -> str | None:
    """Their address in lower case; None when Teams does not say (or cannot be asked now)."""
    if chat is None:
        return None
    try:
        members = await directory.chat_members(chat)
    except TeamsCallError as problem:
        logger.info("chat members unavailable reason=%s", problem)
        return None
    for member in members:
        same = member.teams_user_id == asker.teams_user_id or (
            asker.aad_object_id is not None and (member.aad_object_id or "").lower() == asker.aad_object_id
        )
        if same and member.address:
            return member.address
    return None
