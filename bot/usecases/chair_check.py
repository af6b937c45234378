"""Is this person a CP Chair of this conference? Asked fresh for every chair command, and every attempt audited.

A chair is a named chair (CHAIR_USERS, or the CHAIR_GROUP_ID group, asked of Graph) who is in the conference, or its
organiser (asked of Teams, never cached: the organiser can change roles) as ORGANISER_IS_CHAIR allows: by default
only when no named chair is in it (`ConferenceChairs`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.domain.attendance import joined_as_organiser
from bot.domain.chairs import AuditEntry, AuditOutcome, ChairBasis, OrganiserIsChair
from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import MeetingRole
from bot.usecases.conference_chairs import ConferenceChairs, InConference
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import DirectoryUnavailableError, TeamsCallError, TeamsFailure
from bot.usecases.ports import ChairAudit, MeetingRecords
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
        chairs: ConferenceChairs,
        wording: ChairCheckWording,
    ) -> None:
        self._wording = wording
        self._people = people
        self._records = records
        self._audit = audit
        self._chairs = chairs

    async def verdict(
        self, chat: ConversationAddress, asker: Asker, command: str, now: datetime, *, asked_there: bool = False
    ) -> ChairVerdict:
        """Whether `asker` chairs the conference of `chat` (`asked_there`: they asked in that conversation, so are in
        it); the attempt at `command` is audited either way."""
        verdict = await self._judge(chat, asker, asked_there)
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
        """Whether `asker` chairs the conference of `chat`, not audited: for finding the conference a chair means,
        before the command itself is checked (and audited) against it."""
        return (await self._judge(chat, asker, asked_there=False)).allowed

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

    async def _judge(self, chat: ConversationAddress, asker: Asker, asked_there: bool) -> ChairVerdict:
        aad_object_id = (asker.aad_object_id or "").lower()
        if not aad_object_id:
            return ChairVerdict(None)
        people = await self._chairs.people_in(chat)
        me = people.get(aad_object_id)
        if me is None and asked_there:
            me = InConference(aad_object_id, asker.teams_user_id, None, None)
        group_problem: str | None = None
        if me is not None:
            try:
                basis = await self._chairs.named_basis(me)
            except DirectoryUnavailableError:
                basis, group_problem = None, self._wording.directory_unavailable
            if basis is not None:
                return ChairVerdict(basis)
        role, teams_failure = await self._role(chat, aad_object_id)
        if role is MeetingRole.ORGANIZER:
            return await self._organiser_verdict(people)
        if teams_failure is not None:
            return ChairVerdict(None, getattr(self._wording, _CANNOT_SAY[teams_failure]))
        return ChairVerdict(None, group_problem)

    async def _organiser_verdict(self, people: dict[str, InConference]) -> ChairVerdict:
        rule = self._chairs.organiser_is_chair
        if rule is OrganiserIsChair.ALWAYS:
            return ChairVerdict(ChairBasis.ORGANISER)
        if rule is OrganiserIsChair.NEVER:
            return ChairVerdict(None)
        try:
            named_here = await self._chairs.named_chairs_in(people)
        except DirectoryUnavailableError:
            return ChairVerdict(None, self._wording.directory_unavailable)
        return ChairVerdict(None) if named_here else ChairVerdict(ChairBasis.ORGANISER)

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
