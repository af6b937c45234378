"""What Teams can tell the bot about a meeting and the people in its chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.meetings import MeetingRole


@dataclass(frozen=True, slots=True)
class ChatMember:
    """A person in a meeting's chat (invited or added), as the Bot Connector lists them."""

    teams_user_id: str
    aad_object_id: str | None
    display_name: str | None
    email: str | None
    """Their e-mail address or, failing that, user principal name: used to recognise their agency."""
    tenant_id: str | None
    principal_name: str | None = None
    """Their user principal name, to recognise chairs an administrator named by it."""

    @property
    def address(self) -> str | None:
        """Their e-mail address (or, failing that, user principal name) in lower case: how invitations name them."""
        found = self.email or self.principal_name
        return found.lower() if found else None


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    organizer_aad_object_id: str | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    graph_meeting_id: str | None = None
    """The meeting's `onlineMeeting` id in Graph (`details.msGraphResourceId`): where its attendance reports are."""


@dataclass(frozen=True, slots=True)
class MeetingParticipation:
    """A person's role in a meeting right now (the organiser can change roles, so this is never cached)."""

    role: MeetingRole
    in_meeting: bool
