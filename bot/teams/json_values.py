"""Reading values out of the JSON Teams sends, which does not always agree with its own documentation on key case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def get_key(mapping: Any, key: str) -> Any:
    """A key from a JSON object, whatever its case (`StartTime`, `startTime`, `starttime`); None if absent."""
    if not isinstance(mapping, dict):
        return None
    if key in mapping:
        return mapping[key]
    wanted = key.lower()
    for candidate, value in mapping.items():
        if isinstance(candidate, str) and candidate.lower() == wanted:
            return value
    return None


def text_or_none(value: Any) -> str | None:
    """A non-blank string, stripped; None for anything else."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime (a time without a zone is taken as UTC, as Teams sends UTC)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
