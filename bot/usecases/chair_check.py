"""Is this person a CP Chair of this meeting? Asked fresh for every chair command, and every attempt audited.

A chair is the meeting's organiser (asked of Teams, never cached: the organiser can change roles), someone the
administrator named (CHAIR_USERS), or a member of the chairs' Entra group (CHAIR_GROUP_ID, asked of Graph).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.domain.attendance import joined_as_organiser
from bot.domain.chairs import AuditEntry, AuditOutcome, ChairBasis, NamedChairs
from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import MeetingRole
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import DirectoryUnavailableError, TeamsCallError, TeamsFailure
from bot.usecases.ports import ChairAudit, ChairGroup, MeetingRecords
from cards.wording.notices import ChairCheckWording

logger = logging.getLogger(__name__)

_CANNOT_SAY = {
    TeamsFailure.UNAVAILABLE: "teams_unavailable",
    TeamsFailure.MEETING_EXPIRED: "meeting_expired",
    TeamsFailure.NOT_IN_MEETING: "bot_not_in_meeting",
}
"""Which sentence of `notices.yaml`'s `chair_check` says why Teams could not tell who chairs."""


@dataclass(frozen=True, slots=True)
class Asker:
    teams_user_id: str
    aad_object_id: str | None


@dataclass(frozen=True, slots=True)
class ChairVerdict:
    basis: ChairBasis | None
    """Why they count as a chair; None when they do not (or it could not be checked)."""
    problem: str | None = None
    """Why it could not be checked, in words for the person asking."""

    @property
    def allowed(self) -> bool:
        return self.basis is not None


class ChairCheck:
    def __init__(
        self,
        *,
        people: MeetingPeople,
        records: MeetingRecords,
        audit: ChairAudit,
        named: NamedChairs,
        group: ChairGroup | None,
        wording: ChairCheckWording,
    ) -> None:
        self._wording = wording
        self._people = people
        self._records = records
        self._audit = audit
        self._named = named
        self._group = group

    async def verdict(self, chat: ConversationAddress, asker: Asker, command: str, now: datetime) -> ChairVerdict:
        """Whether `asker` chairs the meeting of `chat`; the attempt at `command` is audited either way."""
        verdict = await self._judge(chat, asker)
        outcome = (
            AuditOutcome.ALLOWED
            if verdict.allowed
            else (AuditOutcome.UNVERIFIED if verdict.problem else AuditOutcome.REFUSED)
        )
        await self._audit.record(
            AuditEntry(
                at=now,
                command=command,
                outcome=outcome,
                aad_object_id=asker.aad_object_id,
                meeting_id=chat.meeting_id,
                conversation_id=chat.conversation_id,
                basis=verdict.basis,
            )
        )
        if not verdict.allowed:
            logger.info(
                "chair command %s meeting=%s user=%s command=%s",
                outcome.value,
                chat.meeting_id,
                asker.aad_object_id,
                command,
            )
        return verdict

    async def chairs(self, chat: ConversationAddress, asker: Asker) -> bool:
        """Whether `asker` chairs the meeting of `chat`, not audited: for finding the conference a chair means,
        before the command itself is checked (and audited) against it."""
        return (await self._judge(chat, asker)).allowed

    async def refused_without_conference(self, asker: Asker, command: str, now: datetime) -> None:
        """Audit a chair command asked where the bot found no conference the asker chairs."""
        await self._audit.record(
            AuditEntry(
                at=now,
                command=command,
                outcome=AuditOutcome.REFUSED,
                aad_object_id=asker.aad_object_id,
                meeting_id=None,
                conversation_id=None,
            )
        )
        logger.info("chair command refused: no conference user=%s command=%s", asker.aad_object_id, command)

    async def _judge(self, chat: ConversationAddress, asker: Asker) -> ChairVerdict:
        aad_object_id = asker.aad_object_id
        if not aad_object_id:
            return ChairVerdict(None)
        if self._named.has_object_id(aad_object_id):
            return ChairVerdict(ChairBasis.NAMED)
        role, teams_failure = await self._role(chat, aad_object_id)
        if role is MeetingRole.ORGANIZER:
            return ChairVerdict(ChairBasis.ORGANISER)
        if self._named.principal_names and await self._has_named_principal_name(chat, aad_object_id):
            return ChairVerdict(ChairBasis.NAMED)
        group_problem: str | None = None
        if self._group is not None:
            try:
                if await self._group.includes(aad_object_id):
                    return ChairVerdict(ChairBasis.GROUP)
            except DirectoryUnavailableError:
                group_problem = self._wording.directory_unavailable
        if teams_failure is not None:
            return ChairVerdict(None, getattr(self._wording, _CANNOT_SAY[teams_failure]))
        return ChairVerdict(None, group_problem)

    async def _role(
        self, chat: ConversationAddress, aad_object_id: str
    ) -> tuple[MeetingRole | None, TeamsFailure | None]:
        """Their role now, from Teams; once Teams cannot say (the meeting expired, or the app is not in it), the role
        they joined with. The failure is returned when neither is known."""
        try:
            return await self._people.role(chat, aad_object_id), None
        except TeamsCallError as problem:
            if problem.failure not in (TeamsFailure.MEETING_EXPIRED, TeamsFailure.NOT_IN_MEETING):
                return None, problem.failure if problem.failure in _CANNOT_SAY else TeamsFailure.UNAVAILABLE
            joined = await self._joined_role(chat, aad_object_id)
            return joined, None if joined is not None else problem.failure

    async def _has_named_principal_name(self, chat: ConversationAddress, aad_object_id: str) -> bool:
        member = (await self._people.members(chat)).get(aad_object_id.lower())
        return member is not None and self._named.has_principal_name(member.principal_name, member.email)

    async def _joined_role(self, chat: ConversationAddress, aad_object_id: str) -> MeetingRole | None:
        """ORGANIZER if they joined this meeting's latest session as its organiser, ATTENDEE if they joined it
        otherwise, None if the bot has no record of them joining."""
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is None:
            return None
        events = await self._records.attendance(session.id)
        me = aad_object_id.lower()
        if me in (organiser.lower() for organiser in joined_as_organiser(events)):
            return MeetingRole.ORGANIZER
        return MeetingRole.ATTENDEE if any(event.aad_object_id.lower() == me for event in events) else None
