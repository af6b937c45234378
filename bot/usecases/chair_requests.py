"""The chair's commands in a meeting chat: `/quorum` and `/summary`.

Quoracy and attendance are for the chair alone (the family may read the meeting chat), so the answer goes to the
chair's private chat with the bot and the meeting chat only hears a neutral line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.attendance import joined_as_organiser
from bot.domain.commands import CommandName
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.roster import TeamsCallError, TeamsFailure
from bot.domain.sessions import SummaryStatus
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import MeetingRecords, PrivateMessenger
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.replies import CardReply
from bot.usecases.summaries import SummaryMaker
from cards.notices import build_notice_card
from cards.quorum import build_quorum_card
from cards.summary import build_summary_card

logger = logging.getLogger(__name__)

CHAIR_COMMANDS = frozenset({CommandName.QUORUM, CommandName.SUMMARY})

_WHAT = {CommandName.QUORUM: "the quorum", CommandName.SUMMARY: "the conference summary"}


@dataclass(frozen=True, slots=True)
class Asker:
    teams_user_id: str
    aad_object_id: str | None


def _notice(message: str, detail: str | None = None) -> CardReply:
    return CardReply(build_notice_card(message, detail=detail), message)


class ChairRequests:
    def __init__(
        self,
        *,
        records: MeetingRecords,
        people: MeetingPeople,
        quorum: QuorumCheck,
        summaries: SummaryMaker,
        messenger: PrivateMessenger,
        timezone: ZoneInfo,
    ) -> None:
        self._records = records
        self._people = people
        self._quorum = quorum
        self._summaries = summaries
        self._messenger = messenger
        self._timezone = timezone

    async def answer(
        self, command: CommandName, asker: Asker, chat: ConversationAddress | None, now: datetime
    ) -> CardReply:
        """What to say in the chat the command came from; the chair-only answer itself goes privately."""
        what = _WHAT[command]
        if chat is None or chat.kind is not ConversationKind.MEETING_CHAT or not chat.meeting_id:
            return _notice(
                f"/{command.value} works in a conference's meeting chat.",
                f"During or after the meeting, type @CP Conference Bot /{command.value} in its chat; "
                f"I will send {what} to the CP Chair privately.",
            )
        refusal = await self._refusal(chat, asker, what)
        if refusal is not None:
            return refusal
        private = await self._private_answer(command, chat, now)
        if isinstance(private, str):
            return _notice(private)
        try:
            await self._messenger.send_privately(chat, asker.teams_user_id, private)
        except TeamsCallError as problem:
            logger.info("chair answer not delivered command=%s reason=%s", command.value, problem)
            if problem.failure is TeamsFailure.NOT_REACHABLE:
                return _notice(
                    f"I cannot message you privately yet, so I have not sent {what}.",
                    "In Teams, open Apps, find CP Conference Bot and select Add (or ask your Teams administrator to "
                    "install it for CP Chairs), then ask again.",
                )
            return _notice(f"Teams did not let me send {what} just now. Please try again in a minute.")
        if command is CommandName.SUMMARY:
            await self._mark_summary_sent(chat)
        return _notice(f"I have sent {what} to you privately.")

    async def _refusal(self, chat: ConversationAddress, asker: Asker, what: str) -> CardReply | None:
        only_chair = f"Only the CP Chair (the meeting's organiser) can ask for {what}."
        if not asker.aad_object_id:
            return _notice(only_chair)
        try:
            is_chair = await self._people.is_chair(chat, asker.aad_object_id)
        except TeamsCallError as problem:
            if problem.failure is TeamsFailure.UNAVAILABLE:
                return _notice("Teams did not tell me who is chairing this meeting just now. Please try again.")
            # The meeting has ended (or the app is not in it): fall back to the role they joined with.
            is_chair = await self._joined_as_organiser(chat, asker.aad_object_id)
        if is_chair:
            return None
        logger.info("chair command refused meeting=%s user=%s", chat.meeting_id, asker.aad_object_id)
        return _notice(only_chair)

    async def _joined_as_organiser(self, chat: ConversationAddress, aad_object_id: str) -> bool:
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is None:
            return False
        return aad_object_id.lower() in joined_as_organiser(await self._records.attendance(session.id))

    async def _private_answer(self, command: CommandName, chat: ConversationAddress, now: datetime) -> CardReply | str:
        if command is CommandName.QUORUM:
            try:
                snapshot = await self._quorum.now(chat, now)
            except TeamsCallError:
                return "Teams did not tell me who is in the meeting just now. Please try again in a minute."
            return CardReply(build_quorum_card(snapshot, self._timezone), "Quorum now")
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is None:
            return "I have no record of this conference yet: it starts when the meeting starts."
        events = await self._records.attendance(session.id)
        members = await self._people.members(chat)
        summary = await self._summaries.summarise(session, events, members, now)
        return CardReply(build_summary_card(summary, self._timezone), "Your conference summary")

    async def _mark_summary_sent(self, chat: ConversationAddress) -> None:
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is not None and session.ended_at is not None:
            await self._records.settle_summary(session.id, SummaryStatus.SENT)
