"""How times and durations read on cards: local clock times, "1 h 25 min"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def clock(moment: datetime, timezone: ZoneInfo) -> str:
    return moment.astimezone(timezone).strftime("%H:%M")


def day_and_clock(moment: datetime, timezone: ZoneInfo) -> str:
    local = moment.astimezone(timezone)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def duration(length: timedelta) -> str:
    minutes = max(0, round(length.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def long_day(moment: datetime | date, timezone: ZoneInfo) -> str:
    """ "Thursday 3 December": a day as people say it, in the local time zone for a moment."""
    local = moment.astimezone(timezone) if isinstance(moment, datetime) else moment
    return f"{local:%A} {local.day} {local:%B}"
