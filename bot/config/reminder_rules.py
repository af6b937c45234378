"""The reminder rules as the settings and the agencies file make them: shared by the app and the command line."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.config.settings import Settings
from bot.domain.conferences import ConferenceRecogniser
from bot.domain.quorum import AgencyDirectory
from bot.domain.reminders import ReminderPolicy
from bot.domain.working_days import WorkingDays


def reminder_policy(settings: Settings, agencies: AgencyDirectory) -> ReminderPolicy:
    chairs = frozenset(name.lower() for name in settings.chair_users.principal_names)
    return ReminderPolicy(
        timezone=ZoneInfo(settings.timezone),
        working_days=WorkingDays(settings.holiday_region),
        is_professional=lambda email: agencies.agency_of(email, None) is not None,
        lead_time=timedelta(minutes=settings.reminder_lead_minutes),
        report_reminder_working_days=settings.report_reminder_working_days,
        not_reminded=chairs,
        quorum_recheck=timedelta(minutes=settings.quorum_recheck_minutes),
    )


def conference_recogniser(settings: Settings) -> ConferenceRecogniser:
    pattern = settings.conference_subject_pattern.strip()
    return ConferenceRecogniser(
        categories=settings.conference_categories,
        subject_pattern=re.compile(pattern, re.IGNORECASE) if pattern else None,
    )
