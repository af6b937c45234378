"""What every chair command shares: only chairs get past (every attempt audited), and every answer goes to the
asker privately: a conversation others read (a meeting chat, which the family may read) hears nothing, or where the
asker cannot be reached privately, one neutral line."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain.conversations import ConversationAddress
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


class ChairGate:
    def __init__(self, check: ChairCheck, messenger: PrivateMessenger, wording: ChairGateWording) -> None:
        self._check = check
        self._messenger = messenger
        self._wording = wording

    def where_it_works(self, command: str, elsewhere: str) -> CardReply:
        """A chair command asked in a conversation that is no conference's: where to ask, and (`elsewhere`) what
        it does there."""
        return notice(
            md(self._wording.where_it_works, command=Markdown(command)),
            md(self._wording.where_it_works_detail, command=Markdown(command), elsewhere=Markdown(elsewhere)),
        )

    async def no_conference(self, asker: Asker, command: str, action: str, now: datetime) -> CardReply:
        """Asked in the 1:1 chat, with no running or recent conference the asker chairs. Audited: to someone who
        chairs nothing, this is the refusal."""
        await self._check.refused_without_conference(asker, command, now)
        return notice(
            Markdown(self._wording.no_conference),
            md(self._wording.no_conference_detail, command=Markdown(command), action=Markdown(action)),
        )

    async def refusal(
        self,
        chat: ConversationAddress,
        asker: Asker,
        command: str,
        action: str,
        now: datetime,
        *,
        asked_there: bool = False,
    ) -> CardReply | None:
        """None when the asker chairs the conference of `chat` (`asked_there`: they asked in that conversation);
        otherwise the polite answer saying why not. Always audited."""
        verdict = await self._check.verdict(chat, asker, command, now, asked_there=asked_there)
        if verdict.allowed:
            return None
        wording = self._wording
        if verdict.problem:
            return notice(verdict.problem, md(wording.not_checked_detail, action=Markdown(action)))
        return notice(
            md(wording.only_chairs, action=Markdown(action)),
            md(wording.only_chairs_detail, who_chairs=Markdown(wording.who_chairs)),
        )

    async def answer_privately(self, chat: ConversationAddress, asker: Asker, answer: CardReply) -> CardReply | None:
        """Send the answer to a chair command typed in `chat` (a conversation others read) to the asker's 1:1 chat.
        None when it is sent: `chat` hears nothing. Otherwise the one neutral line `chat` gets instead, saying how to
        open their chat with the bot (the answer itself never falls back to it)."""
        try:
            await self._messenger.send_privately(chat, asker.teams_user_id, answer)
        except TeamsCallError as problem:
            logger.info("chair answer not delivered privately reason=%s", problem)
            if problem.failure is TeamsFailure.NOT_REACHABLE:
                return notice(Markdown(self._wording.open_your_chat))
            return notice(Markdown(self._wording.try_your_chat))
        return None
