"""Who chairs a conference: the named chairs who are in it, and the organiser only as `ORGANISER_IS_CHAIR` allows.

A named chair is in `CHAIR_USERS` (by Entra object id or user principal name) or in the `CHAIR_GROUP_ID` group
(asked of Graph, never cached: membership changes). Being "in" a conference is being in its meeting chat (invited)
or having joined it. By default the organiser chairs only when no named chair is in the conference: when business
support books the meeting, the chair's information goes to the chair, not to them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.domain.attendance import AttendanceEvent
from bot.domain.chairs import ChairBasis, NamedChairs, OrganiserIsChair
from bot.domain.conversations import ConversationAddress
from bot.domain.roster import ChatMember
from bot.domain.sessions import MeetingSession
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import ChairGroup, MeetingRecords

_GROUP_CHECKS_AT_ONCE = 5


@dataclass(frozen=True, slots=True)
class InConference:
    """Someone in a conference, as its chat's member list or their joining knows them."""

    aad_object_id: str
    """Lower case."""
    teams_user_id: str | None
    display_name: str | None
    email: str | None
    principal_name: str | None = None


@dataclass(frozen=True, slots=True)
class Chair:
    person: InConference
    basis: ChairBasis


class ConferenceChairs:
    def __init__(
        self,
        *,
        people: MeetingPeople,
        records: MeetingRecords,
        named: NamedChairs,
        group: ChairGroup | None,
        organiser_is_chair: OrganiserIsChair,
    ) -> None:
        self._people = people
        self._records = records
        self._named = named
        self._group = group
        self.organiser_is_chair = organiser_is_chair

    async def people_in(
        self, chat: ConversationAddress, session: MeetingSession | None = None
    ) -> dict[str, InConference]:
        """Everyone in the conference of `chat`, by Entra id: its chat's members, and whoever joined its session (the
        latest, unless given)."""
        session = session or await self._records.latest_session(chat.meeting_id or "")
        events = await self._records.attendance(session.id) if session is not None else []
        return _people(await self._people.members(chat), events)

    async def named_basis(self, person: InConference) -> ChairBasis | None:
        """NAMED or GROUP when `person` is a named chair, else None. Raises DirectoryUnavailableError when the group
        has to be asked and Graph does not answer."""
        if self._named.has_object_id(person.aad_object_id):
            return ChairBasis.NAMED
        if self._named.has_principal_name(person.principal_name, person.email):
            return ChairBasis.NAMED
        if self._group is not None and await self._group.includes(person.aad_object_id):
            return ChairBasis.GROUP
        return None

    async def named_chairs_in(self, people: dict[str, InConference]) -> list[Chair]:
        """The named chairs among `people` (DirectoryUnavailableError as `named_basis`)."""
        limit = asyncio.Semaphore(_GROUP_CHECKS_AT_ONCE)

        async def checked(person: InConference) -> Chair | None:
            async with limit:
                basis = await self.named_basis(person)
            return Chair(person, basis) if basis is not None else None

        found = await asyncio.gather(*(checked(person) for person in people.values()))
        return [chair for chair in found if chair is not None]

    async def of(
        self, chat: ConversationAddress, session: MeetingSession, members: dict[str, ChatMember] | None = None
    ) -> list[Chair]:
        """The conference's chairs, for what goes to them unasked (the summary, the drop-out reminder's "e-mail the
        CP Chair"): the named chairs in it; the organiser too, or instead, as `ORGANISER_IS_CHAIR` says.
        DirectoryUnavailableError as `named_basis`."""
        events = await self._records.attendance(session.id)
        if members is None:  # asked of Teams once, for the people and the organiser both
            members = await self._people.members(chat)
        people = _people(members, events)
        chairs = await self.named_chairs_in(people)
        rule = self.organiser_is_chair
        if rule is OrganiserIsChair.NEVER or (rule is OrganiserIsChair.WHEN_NO_NAMED_CHAIR and chairs):
            return chairs
        organiser = await self._people.organiser(chat, members, events)
        if organiser is None or any(chair.person.aad_object_id == organiser[0] for chair in chairs):
            return chairs
        organiser_id, member = organiser
        person = people.get(organiser_id) or InConference(organiser_id, None, None, None)
        if member is not None:
            person = _from_member(member)
        return [*chairs, Chair(person, ChairBasis.ORGANISER)]


def _people(members: dict[str, ChatMember], events: list[AttendanceEvent]) -> dict[str, InConference]:
    found = {key: _from_member(member) for key, member in members.items()}
    for event in events:
        found.setdefault(event.aad_object_id.lower(), _from_event(event))
    return found


def _from_member(member: ChatMember) -> InConference:
    return InConference(
        (member.aad_object_id or "").lower(),
        member.teams_user_id,
        member.display_name,
        member.email,
        member.principal_name,
    )


def _from_event(event: AttendanceEvent) -> InConference:
    return InConference(event.aad_object_id.lower(), event.teams_user_id, event.display_name, None)
