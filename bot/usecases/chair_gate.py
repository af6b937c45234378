"""What every chair command shares: it works in a meeting chat, only chairs get past, chair-only answers go to the
chair privately, and the meeting chat hears only a neutral line."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.usecases.chair_check import Asker, ChairCheck
from bot.usecases.port_errors import TeamsCallError, TeamsFailure
from bot.usecases.ports import PrivateMessenger
from bot.usecases.replies import CardReply
from cards.markup import Markdown, md, unescaped
from cards.notices import build_notice_card
from cards.wording.notices import ChairGateWording

logger = logging.getLogger(__name__)


def notice(message: str, detail: str | None = None) -> CardReply:
    return CardReply(build_notice_card(message, detail=detail), unescaped(message))


def in_meeting_chat(chat: ConversationAddress | None) -> bool:
    return chat is not None and chat.kind is ConversationKind.MEETING_CHAT and bool(chat.meeting_id)


class ChairGate:
    def __init__(self, check: ChairCheck, messenger: PrivateMessenger, wording: ChairGateWording) -> None:
        self._check = check
        self._messenger = messenger
        self._wording = wording

    def where_it_works(self, command: str, elsewhere: str) -> CardReply:
        """A chair command asked outside a meeting chat: where to ask, and (`elsewhere`) what it does there."""
        return notice(
            md(self._wording.where_it_works, command=Markdown(command)),
            md(self._wording.where_it_works_detail, command=Markdown(command), elsewhere=Markdown(elsewhere)),
        )

    async def refusal(
        self, chat: ConversationAddress, asker: Asker, command: str, action: str, now: datetime
    ) -> CardReply | None:
        """None when the asker chairs this meeting; otherwise the polite answer saying why not. Always audited."""
        verdict = await self._check.verdict(chat, asker, command, now)
        if verdict.allowed:
            return None
        wording = self._wording
        if verdict.problem:
            return notice(verdict.problem, md(wording.not_checked_detail, action=Markdown(action)))
        return notice(
            md(wording.only_chairs, action=Markdown(action)),
            md(wording.only_chairs_detail, who_chairs=Markdown(wording.who_chairs)),
        )

    async def send_privately(
        self, chat: ConversationAddress, asker: Asker, private: CardReply, what: str
    ) -> CardReply | None:
        """Send a chair-only card to the asker's 1:1 chat. None when sent; otherwise what to tell them instead (the
        card itself never falls back to the meeting chat)."""
        try:
            await self._messenger.send_privately(chat, asker.teams_user_id, private)
        except TeamsCallError as problem:
            logger.info("chair answer not delivered what=%s reason=%s", what, problem)
            if problem.failure is TeamsFailure.NOT_REACHABLE:
                return notice(
                    md(self._wording.cannot_message_yet, what=Markdown(what)), self._wording.cannot_message_yet_detail
                )
            return notice(md(self._wording.teams_would_not_send, what=Markdown(what)))
        return None

    def sent_privately(self, what: str) -> CardReply:
        return notice(md(self._wording.sent_privately, what=Markdown(what)))
