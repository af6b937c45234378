"""Two of the chair's commands in a meeting chat: `/quorum` and `/summary`.

Quoracy and attendance are for the chair alone (the family may read the meeting chat), so the answer goes to the
chair's private chat with the bot and the meeting chat only hears a neutral line.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.commands import CommandName
from bot.domain.conversations import ConversationAddress
from bot.domain.roster import TeamsCallError
from bot.domain.sessions import SummaryStatus
from bot.usecases.chair_check import Asker
from bot.usecases.chair_gate import ChairGate, in_meeting_chat, notice, where_it_works
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import MeetingRecords
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.replies import CardReply
from bot.usecases.summaries import SummaryMaker
from cards.quorum import build_quorum_card
from cards.summary import build_summary_card

_WHAT = {CommandName.QUORUM: "the quorum", CommandName.SUMMARY: "the conference summary"}
_ASK_FOR = {CommandName.QUORUM: "ask for the quorum", CommandName.SUMMARY: "ask for the conference summary"}


class ChairRequests:
    def __init__(
        self,
        *,
        gate: ChairGate,
        records: MeetingRecords,
        people: MeetingPeople,
        quorum: QuorumCheck,
        summaries: SummaryMaker,
        timezone: ZoneInfo,
    ) -> None:
        self._gate = gate
        self._records = records
        self._people = people
        self._quorum = quorum
        self._summaries = summaries
        self._timezone = timezone

    async def answer(
        self, command: CommandName, asker: Asker, chat: ConversationAddress | None, now: datetime
    ) -> CardReply:
        """What to say in the chat the command came from; the chair-only answer itself goes privately."""
        what = _WHAT[command]
        if chat is None or not in_meeting_chat(chat):
            return where_it_works(command.value, f"I will send {what} to the CP Chair privately.")
        refusal = await self._gate.refusal(chat, asker, command.value, _ASK_FOR[command], now)
        if refusal is not None:
            return refusal
        private = await self._private_answer(command, chat, now)
        if isinstance(private, str):
            return notice(private)
        undelivered = await self._gate.send_privately(chat, asker, private, what)
        if undelivered is not None:
            return undelivered
        if command is CommandName.SUMMARY:
            await self._mark_summary_sent(chat)
        return notice(f"I have sent {what} to you privately.")

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
