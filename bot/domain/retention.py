"""How long the bot keeps what it records, and what a purge removed.

The bot's records are working data for the conference, not the conference record: the chair's minutes and business
support's export live in the case management system. So they are kept only long enough to export and to answer
questions about a recent conference (UK GDPR's storage limitation), then deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True, slots=True)
class Purged:
    sessions: int
    attendance: int
    disconnections: int
    audit: int
    conferences: int = 0
    """Conferences read from the calendars (with their invitees and reminders) that ended before the limit."""
    reminders: int = 0
    refused_tenant_days: int = 0

    @property
    def total(self) -> int:
        return (
            self.sessions
            + self.attendance
            + self.disconnections
            + self.audit
            + self.conferences
            + self.reminders
            + self.refused_tenant_days
        )


def purge_before(now: datetime, retention_days: int) -> datetime:
    """Records from before this moment have been kept long enough."""
    return now - timedelta(days=retention_days)
