"""The chair's summary of a conference session, from what the store recorded and who Teams says people are."""

from __future__ import annotations

from datetime import datetime

from bot.domain.attendance import AttendanceEvent, summarise_attendance
from bot.domain.quorum import AgencyDirectory
from bot.domain.roster import ChatMember
from bot.domain.sessions import MeetingSession
from bot.domain.summary import NOT_COUNTED, ConferenceSummary, Identity, lowest_quorum
from bot.usecases.ports import DisconnectionLog


class SummaryMaker:
    def __init__(self, log: DisconnectionLog, agencies: AgencyDirectory) -> None:
        """Quoracy in the summary counts as the quorum card does: chairs and no-agency people never."""
        self._log = log
        self._agencies = agencies

    async def summarise(
        self,
        session: MeetingSession,
        events: list[AttendanceEvent],
        members: dict[str, ChatMember],
        now: datetime,
        chairs: frozenset[str] = frozenset(),
    ) -> ConferenceSummary:
        """The session's summary from its attendance `events`; a session still running is summarised up to `now`.
        `chairs` (Entra ids, lower case) are in the attendance but never counted towards quorum."""
        ended_at = session.ended_at or max(now, session.started_at)

        def identity(aad_object_id: str) -> Identity | None:
            member = members.get(aad_object_id)
            email = member.email if member else None
            if aad_object_id.lower() in chairs or self._agencies.non_agency_of(email, aad_object_id) is not None:
                return NOT_COUNTED
            return (email, member.tenant_id) if member else (None, None)

        return ConferenceSummary(
            started_at=session.started_at,
            ended_at=ended_at,
            people=tuple(summarise_attendance(events, session.started_at, ended_at)),
            disconnections=tuple(await self._log.for_session(session.id)),
            lowest_quorum=lowest_quorum(events, session.started_at, ended_at, identity, self._agencies),
            running=session.ended_at is None,
        )
