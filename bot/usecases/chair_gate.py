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
from cards.notices import build_notice_card

logger = logging.getLogger(__name__)

WHO_CHAIRS = "the meeting's organiser, or someone your Teams administrator has named as a CP Chair"


def notice(message: str, detail: str | None = None) -> CardReply:
    return CardReply(build_notice_card(message, detail=detail), message)


def in_meeting_chat(chat: ConversationAddress | None) -> bool:
    return chat is not None and chat.kind is ConversationKind.MEETING_CHAT and bool(chat.meeting_id)


def where_it_works(command: str, what_it_does: str) -> CardReply:
    return notice(
        f"/{command} works in a conference's meeting chat.",
        f"During or after the meeting, type @CP Conference Bot /{command} in its chat; {what_it_does}",
    )


class ChairGate:
    def __init__(self, check: ChairCheck, messenger: PrivateMessenger) -> None:
        self._check = check
        self._messenger = messenger

    async def refusal(
        self, chat: ConversationAddress, asker: Asker, command: str, action: str, now: datetime
    ) -> CardReply | None:
        """None when the asker chairs this meeting; otherwise the polite answer saying why not. Always audited."""
        verdict = await self._check.verdict(chat, asker, command, now)
        if verdict.allowed:
            return None
        if verdict.problem:
            return notice(verdict.problem, f"Nothing was done. Only CP Chairs can {action}.")
        return notice(f"Only a CP Chair can {action}.", f"CP Chairs are {WHO_CHAIRS}.")

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
                    f"I cannot message you privately yet, so I have not sent {what}.",
                    "In Teams, open Apps, find CP Conference Bot and select Add (or ask your Teams administrator to "
                    "install it for CP Chairs), then ask again.",
                )
            return notice(f"Teams did not let me send {what} just now. Please try again in a minute.")
        return None
