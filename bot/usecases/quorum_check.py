"""Quoracy now: who is in the meeting, which agency each person is from, and whether that is enough."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot.domain.attendance import present_at
from bot.domain.conversations import ConversationAddress
from bot.domain.quorum import AgencyDirectory, PresentPerson, QuorumSnapshot
from bot.domain.roster import ChatMember
from bot.domain.sessions import MeetingSession
from bot.usecases.conference_chairs import ConferenceChairs
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import DirectoryUnavailableError, TeamsCallError
from bot.usecases.ports import MeetingDirectory, MeetingRecords

logger = logging.getLogger(__name__)

_CONCURRENT_LOOKUPS = 4


class QuorumCheck:
    def __init__(
        self,
        records: MeetingRecords,
        directory: MeetingDirectory,
        people: MeetingPeople,
        agencies: AgencyDirectory,
        *,
        chairs: ConferenceChairs,
        unnamed: str,
    ) -> None:
        self._chairs = chairs
        self._unnamed = unnamed
        """What the quorum card calls someone Teams gave no name (content's wording)."""
        self._records = records
        self._directory = directory
        self._people = people
        self._agencies = agencies

    async def now(self, chat: ConversationAddress, at: datetime, asker_aad_object_id: str | None) -> QuorumSnapshot:
        """Quoracy of who is present (`present`)."""
        return self._agencies.snapshot(await self.present(chat, at, asker_aad_object_id), at)

    async def present(
        self, chat: ConversationAddress, at: datetime, asker_aad_object_id: str | None
    ) -> list[PresentPerson]:
        """Who is present comes from the join and leave events of the running session; if Teams sent none (join
        and leave events need switching on), each chat member's presence is asked of Teams instead. The chairs
        (the asker among them) are marked: shown but never counted."""
        members = await self._people.members(chat)
        present: list[PresentPerson] = []
        session = await self._records.latest_session(chat.meeting_id or "")
        chairs = await self.chair_ids(chat, session, asker_aad_object_id, members)
        events = await self._records.attendance(session.id) if session and session.ended_at is None else []
        if events:
            names = {event.aad_object_id: event.display_name for event in events}
            for person in sorted(present_at(events, at)):
                member = members.get(person)
                present.append(
                    PresentPerson(
                        name=names.get(person) or (member.display_name if member else None) or self._unnamed,
                        email=member.email if member else None,
                        tenant_id=member.tenant_id if member else None,
                        aad_object_id=person,
                        chair=person.lower() in chairs,
                    )
                )
        else:
            present = [
                PresentPerson(
                    member.display_name or self._unnamed,
                    member.email,
                    member.tenant_id,
                    member.aad_object_id,
                    chair=(member.aad_object_id or "").lower() in chairs,
                )
                for member in await self._in_meeting(chat, list(members.values()))
            ]
        return present

    async def chair_ids(
        self,
        chat: ConversationAddress,
        session: MeetingSession | None,
        also: str | None = None,
        members: dict[str, ChatMember] | None = None,
    ) -> frozenset[str]:
        """The Entra ids of the conference's chairs, lower case, with `also` (a chair known already); `members`, the
        chat's, when the caller has them. When the directory cannot say who is in the chairs' group, only the chairs
        known without it."""
        known = {also.lower()} if also else set()
        if session is None:
            return frozenset(known)
        try:
            chairs = await self._chairs.of(chat, session, members)
        except DirectoryUnavailableError:
            logger.info("quorum counts the chairs known without the directory session=%d", session.id)
            return frozenset(known)
        return frozenset(known | {chair.person.aad_object_id for chair in chairs})

    async def _in_meeting(self, chat: ConversationAddress, members: list[ChatMember]) -> list[ChatMember]:
        """Raises TeamsCallError when Teams could not say for anyone: "nobody is here" would be wrong."""
        limit = asyncio.Semaphore(_CONCURRENT_LOOKUPS)
        failures: list[TeamsCallError] = []

        async def present(member: ChatMember) -> bool:
            if not member.aad_object_id:
                return False
            async with limit:
                try:
                    return (await self._directory.participation(chat, member.aad_object_id)).in_meeting
                except TeamsCallError as problem:
                    failures.append(problem)
                    return False

        verdicts = await asyncio.gather(*(present(member) for member in members))
        if members and len(failures) == len(members):
            raise failures[0]
        return [member for member, here in zip(members, verdicts, strict=True) if here]
