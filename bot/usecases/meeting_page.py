"""What a meeting page may show the person looking at it: a chair of that conference sees the chair's view, anyone
else the expectations. Decided by the same rule as the chair commands (`ChairCheck`), afresh for every request."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.conversations import holds_meeting
from bot.usecases.chair_check import Asker, ChairCheck
from bot.usecases.ports import ConversationDirectory


@dataclass(frozen=True, slots=True)
class PageRole:
    chair: bool


class MeetingPage:
    def __init__(self, *, conversations: ConversationDirectory, check: ChairCheck) -> None:
        self._conversations = conversations
        self._check = check

    async def role(self, conversation_id: str, aad_object_id: str) -> PageRole | None:
        """The viewer's role in the conference of `conversation_id` (the meeting's chat, as TeamsJS's context gives
        it); None when the bot knows no conference there."""
        chat = await self._conversations.find(conversation_id)
        if chat is None or not holds_meeting(chat):
            return None
        return PageRole(chair=await self._check.chairs(chat, Asker("", aad_object_id)))
