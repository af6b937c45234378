"""What Teams can tell the bot about a meeting and the people in its chat, and how asking can fail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

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


@dataclass(frozen=True, slots=True)
class MeetingParticipation:
    """A person's role in a meeting right now (the organiser can change roles, so this is never cached)."""

    role: MeetingRole
    in_meeting: bool


class TeamsFailure(StrEnum):
    NOT_IN_MEETING = "not-in-meeting"
    """403 from the meeting APIs: the app is not installed in this meeting."""
    MEETING_EXPIRED = "meeting-expired"
    """404 from the meeting APIs: the meeting (or the person in it) is not known, or no longer."""
    NOT_REACHABLE = "not-reachable"
    """Teams will not let the bot start a private chat with this person (they do not have the app)."""
    UNAVAILABLE = "unavailable"
    """Teams did not answer in time, or answered with an error: worth trying again later."""


class TeamsCallError(Exception):
    def __init__(self, failure: TeamsFailure, status: int | None = None, *, retry_after: float | None = None) -> None:
        super().__init__(f"{failure.value}" + (f" (HTTP {status})" if status is not None else ""))
        self.failure = failure
        self.status = status
        self.retry_after = retry_after
        """Seconds Teams asked the bot to wait before trying again, when it said."""
