"""Two of the chair's commands in a meeting chat: `/quorum` and `/summary`.

Quoracy and attendance are for the chair alone (the family may read the meeting chat), so the answer goes to the
chair's private chat with the bot and the meeting chat only hears a neutral line.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.conversations import ConversationAddress
from bot.domain.sessions import SummaryStatus
from bot.usecases.chair_gate import ChairGate, notice
from bot.usecases.command_request import CommandRequest
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import TeamsCallError
from bot.usecases.ports import MeetingRecords
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.replies import CardReply
from bot.usecases.summaries import SummaryMaker
from cards.quorum import build_quorum_card
from cards.summary import build_summary_card
from cards.wording.chair import ChairContent
from cards.wording.notices import ChairRequestsWording


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
        wording: ChairRequestsWording,
        cards: ChairContent,
    ) -> None:
        self._wording = wording
        self._cards = cards
        self._gate = gate
        self._records = records
        self._people = people
        self._quorum = quorum
        self._summaries = summaries
        self._timezone = timezone

    async def quorum(self, request: CommandRequest) -> CardReply:
        """`/quorum`, from a chair in a meeting chat (the command table has checked both)."""
        chat = request.meeting_chat
        try:
            snapshot = await self._quorum.now(chat, request.now)
        except TeamsCallError:
            return notice(self._wording.teams_did_not_say_who_is_here)
        private = CardReply(build_quorum_card(snapshot, self._timezone, self._cards.quorum), self._cards.quorum.summary)
        answer, _ = await self._send_to_chair(request, private, self._wording.the_quorum)
        return answer

    async def summary(self, request: CommandRequest) -> CardReply:
        """`/summary`, from a chair in a meeting chat (the command table has checked both)."""
        chat = request.meeting_chat
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is None:
            return notice(self._wording.no_record_yet)
        events = await self._records.attendance(session.id)
        members = await self._people.members(chat)
        summary = await self._summaries.summarise(session, events, members, request.now)
        private = CardReply(build_summary_card(summary, self._timezone, self._cards), self._cards.summary.reply)
        answer, delivered = await self._send_to_chair(request, private, self._wording.the_summary)
        if delivered:
            await self._mark_summary_sent(chat)
        return answer

    async def _send_to_chair(self, request: CommandRequest, private: CardReply, what: str) -> tuple[CardReply, bool]:
        """What to tell the chair in the meeting chat, and whether the private card reached them."""
        undelivered = await self._gate.send_privately(request.meeting_chat, request.asker, private, what)
        if undelivered is not None:
            return undelivered, False
        return self._gate.sent_privately(what), True

    async def _mark_summary_sent(self, chat: ConversationAddress) -> None:
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is not None and session.ended_at is not None:
            await self._records.settle_summary(session.id, SummaryStatus.SENT)
