"""Two of the chair's commands: `/quorum` and `/summary`.

Quoracy and attendance are for the chair alone (the family may read the meeting chat): the router delivers these
answers to the chair privately, whichever chat the command was typed in.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.sessions import SummaryStatus
from bot.usecases.chair_gate import notice
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
        self._records = records
        self._people = people
        self._quorum = quorum
        self._summaries = summaries
        self._timezone = timezone

    async def quorum(self, request: CommandRequest) -> CardReply:
        """`/quorum` from a chair (the router has found the conference and checked they chair it)."""
        chat = request.conference_chat
        try:
            snapshot = await self._quorum.now(chat, request.now, request.asker.aad_object_id)
        except TeamsCallError:
            return notice(self._wording.teams_did_not_say_who_is_here)
        return CardReply(build_quorum_card(snapshot, self._timezone, self._cards.quorum), self._cards.quorum.summary)

    async def summary(self, request: CommandRequest) -> CardReply:
        """`/summary` from a chair: the summary so far, or once the conference has ended, its summary (which then
        counts as delivered: the end-of-meeting summary is not sent again)."""
        chat = request.conference_chat
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is None:
            return notice(self._wording.no_record_yet)
        events = await self._records.attendance(session.id)
        members = await self._people.members(chat)
        chairs = await self._quorum.chair_ids(chat, session, request.asker.aad_object_id, members)
        summary = await self._summaries.summarise(session, events, members, request.now, chairs)
        if session.ended_at is not None:
            await self._records.settle_summary(session.id, SummaryStatus.SENT)
        return CardReply(build_summary_card(summary, self._timezone, self._cards), self._cards.summary.reply)
