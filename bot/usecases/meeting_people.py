"""Who is who in a meeting, asked of Teams: chat members with their e-mail, the organiser, a person's role."""

from __future__ import annotations

import logging

from bot.domain.attendance import AttendanceEvent, joined_as_organiser
from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import MeetingRole
from bot.domain.roster import ChatMember
from bot.usecases.port_errors import TeamsCallError
from bot.usecases.ports import MeetingDirectory

logger = logging.getLogger(__name__)


class MeetingPeople:
    def __init__(self, directory: MeetingDirectory) -> None:
        self._directory = directory

    async def role(self, chat: ConversationAddress, aad_object_id: str) -> MeetingRole:
        """Their role in the meeting now. Asked fresh every time: the organiser can change roles.
        Raises TeamsCallError when Teams cannot say."""
        return (await self._directory.participation(chat, aad_object_id)).role

    async def members(self, chat: ConversationAddress) -> dict[str, ChatMember]:
        """The meeting chat's members by Entra id; empty (and logged) if Teams cannot list them just now."""
        try:
            listed = await self._directory.chat_members(chat)
        except TeamsCallError as problem:
            logger.warning("chat members unavailable conversation=%s reason=%s", chat.conversation_id, problem)
            return {}
        return {member.aad_object_id.lower(): member for member in listed if member.aad_object_id}

    async def organiser(
        self, chat: ConversationAddress, members: dict[str, ChatMember], events: list[AttendanceEvent]
    ) -> tuple[str, ChatMember | None] | None:
        """The organiser's Entra id and chat membership: from Teams' meeting details, else from the role they
        joined with. None when neither says."""
        organiser_id: str | None = None
        try:
            organiser_id = (await self._directory.meeting_info(chat)).organizer_aad_object_id
        except TeamsCallError as problem:
            logger.info("meeting details unavailable meeting=%s reason=%s", chat.meeting_id, problem)
        if organiser_id is None:
            organiser_id = next(iter(joined_as_organiser(events)), None)
        if organiser_id is None:
            return None
        return organiser_id.lower(), members.get(organiser_id.lower())
