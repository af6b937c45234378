"""The reminder rules the tests use: London time, England's bank holidays, professionals known by e-mail domain."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.reminders import ReminderPolicy
from bot.domain.working_days import WorkingDays


def policy_for(*professional_domains: str) -> ReminderPolicy:
    """Invitees whose address ends with one of `professional_domains` are professionals; nobody else is."""
    return ReminderPolicy(
        timezone=ZoneInfo("Europe/London"),
        working_days=WorkingDays("ENG"),
        is_professional=lambda email: email.endswith(professional_domains),
    )
