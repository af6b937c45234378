"""Who may use the CP Chair's commands, and the audit of every attempt.

A conference's chairs are the named chairs (Entra object ids or user principal names an administrator listed, or an
Entra group of chairs) who are in it. Conferences are often booked by business support from a shared calendar, so
the organiser chairs only when no named chair is in the conference (or as `OrganiserIsChair` says).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.addresses import is_address


class ChairBasis(StrEnum):
    """Why someone counts as a chair."""

    ORGANISER = "organiser"
    NAMED = "named"
    """In the configured list of chairs (CHAIR_USERS)."""
    GROUP = "group"
    """A member of the configured Entra group of chairs (CHAIR_GROUP_ID)."""


class OrganiserIsChair(StrEnum):
    """When the meeting's organiser chairs it (ORGANISER_IS_CHAIR). Business support often books conferences: the
    organiser is then not the chair, and should not see chair-only information."""

    WHEN_NO_NAMED_CHAIR = "when-no-named-chair"
    """Only when no named chair (CHAIR_USERS, CHAIR_GROUP_ID) is in the conference."""
    ALWAYS = "always"
    NEVER = "never"


class AuditOutcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    UNVERIFIED = "unverified"
    """Teams (or Graph) could not say whether they chair this meeting: nothing was done."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One attempt at a chair command: ids, time, command and outcome. Never what was typed."""

    at: datetime
    command: str
    outcome: AuditOutcome
    aad_object_id: str | None
    meeting_id: str | None
    conversation_id: str | None
    basis: ChairBasis | None = None


class NamedChairsError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class NamedChairs:
    """The chairs an administrator named: Entra object ids and user principal names, compared without case."""

    object_ids: frozenset[str] = frozenset()
    principal_names: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> NamedChairs:
        """From entries such as `0b1c…-…` or `alex.morgan@council.gov.uk`; raises NamedChairsError naming a bad one."""
        object_ids: set[str] = set()
        principal_names: set[str] = set()
        for entry in (raw.strip() for raw in entries):
            if not entry:
                continue
            if is_address(entry):
                principal_names.add(entry.casefold())
                continue
            try:
                object_ids.add(str(uuid.UUID(entry)))
            except ValueError:
                raise NamedChairsError(
                    f"{entry!r} is neither an Entra object id (a GUID) nor a user principal name (name@domain)"
                ) from None
        return cls(frozenset(object_ids), frozenset(principal_names))

    def has_object_id(self, aad_object_id: str) -> bool:
        return aad_object_id.lower() in self.object_ids

    def has_principal_name(self, *names: str | None) -> bool:
        return any(name is not None and name.casefold() in self.principal_names for name in names)

    def __len__(self) -> int:
        return len(self.object_ids) + len(self.principal_names)
