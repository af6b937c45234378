"""Times as stored: every time the bot stores is UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utc(moment: datetime) -> datetime:
    """SQLite hands times back without a zone; PostgreSQL in the session's zone. Both become aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
