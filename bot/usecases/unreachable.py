"""Teams as the command line sees it: out of reach. For use cases run outside the bot (the conference record), which
read only what the bot stored; any question for Teams is answered "unavailable"."""

from __future__ import annotations

from bot.domain.conversations import ConversationAddress
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation
from bot.usecases.port_errors import TeamsCallError, TeamsFailure


class NoTeams:
    """A `MeetingDirectory` that never reaches Teams."""

    async def participation(self, chat: ConversationAddress, aad_object_id: str) -> MeetingParticipation:
        raise TeamsCallError(TeamsFailure.UNAVAILABLE)

    async def meeting_info(self, chat: ConversationAddress) -> MeetingInfo:
        raise TeamsCallError(TeamsFailure.UNAVAILABLE)

    async def chat_members(self, chat: ConversationAddress) -> tuple[ChatMember, ...]:
        raise TeamsCallError(TeamsFailure.UNAVAILABLE)
