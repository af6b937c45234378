"""Who chairs a conference the calendar shows, before anyone has joined it: the same rule as `ConferenceChairs`,
applied to the invitation instead of the meeting chat.

A named chair is an invitee (or the organiser) whose address is in `CHAIR_USERS`, or whose directory account is
(`CHAIR_USERS` by object id, or the `CHAIR_GROUP_ID` group). The organiser chairs as `ORGANISER_IS_CHAIR` says.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.domain.chairs import ChairBasis, NamedChairs, OrganiserIsChair
from bot.domain.conferences import Conference, Invitee
from bot.usecases.ports import ChairGroup, PersonDirectory

_LOOK_UPS_AT_ONCE = 5


@dataclass(frozen=True, slots=True)
class CalendarChair:
    invitee: Invitee
    basis: ChairBasis


class CalendarChairs:
    def __init__(
        self,
        *,
        named: NamedChairs,
        group: ChairGroup | None,
        people: PersonDirectory | None,
        organiser_is_chair: OrganiserIsChair,
    ) -> None:
        self._named = named
        self._group = group
        self._people = people
        self._organiser_is_chair = organiser_is_chair

    async def of(self, conference: Conference) -> list[CalendarChair]:
        """The conference's chairs, by the invitation. DirectoryUnavailableError when the directory must be asked
        and cannot say."""
        limit = asyncio.Semaphore(_LOOK_UPS_AT_ONCE)

        async def named(person: Invitee) -> CalendarChair | None:
            async with limit:
                basis = await self._named_basis(person)
            return CalendarChair(person, basis) if basis is not None else None

        chairs = [chair for chair in await asyncio.gather(*map(named, conference.people)) if chair is not None]
        organiser, rule = conference.organiser, self._organiser_is_chair
        if organiser is None or rule is OrganiserIsChair.NEVER:
            return chairs
        if rule is OrganiserIsChair.WHEN_NO_NAMED_CHAIR and chairs:
            return chairs
        if any(chair.invitee.email == organiser.email for chair in chairs):
            return chairs
        return [*chairs, CalendarChair(organiser, ChairBasis.ORGANISER)]

    async def chairs(self, conference: Conference, email: str) -> bool:
        """Whether the person with this address chairs `conference` by its invitation (DirectoryUnavailableError as
        `of`)."""
        return any(chair.invitee.email == email.lower() for chair in await self.of(conference))

    async def _named_basis(self, person: Invitee) -> ChairBasis | None:
        if self._named.has_principal_name(person.email):
            return ChairBasis.NAMED
        if self._people is None or not (self._named.object_ids or self._group is not None):
            return None
        object_id = await self._people.object_id(person.email)
        if object_id is None:
            return None
        if self._named.has_object_id(object_id):
            return ChairBasis.NAMED
        if self._group is not None and await self._group.includes(object_id):
            return ChairBasis.GROUP
        return None
