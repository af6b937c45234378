"""The calendar's report status as the bot, the command line (`export-record`) and the tests all make it: the
calendar's stores on a database, the chair rule by the invitation, and the use case that reads them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.reminder_rules import reminder_policy
from bot.config.settings import Settings
from bot.domain.quorum import AgencyDirectory
from bot.store.conferences import SqlConferences
from bot.store.reminders import SqlReminderOutbox
from bot.store.reports import SqlReports
from bot.usecases.calendar_chairs import CalendarChairs
from bot.usecases.conference_reports import CalendarParts, ConferenceReports
from bot.usecases.ports import ChairGroup, MeetingDirectory, PersonDirectory
from cards import CardContent


def calendar_parts(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    people: PersonDirectory | None = None,
    group: ChairGroup | None = None,
) -> CalendarParts:
    return CalendarParts(
        conferences=SqlConferences(sessions),
        reports=SqlReports(sessions),
        outbox=SqlReminderOutbox(sessions),
        chairs=CalendarChairs(
            named=settings.chair_users, group=group, people=people, organiser_is_chair=settings.organiser_is_chair
        ),
    )


def conference_reports(
    settings: Settings,
    calendar: CalendarParts | None,
    directory: MeetingDirectory,
    agencies: AgencyDirectory,
    content: CardContent,
) -> ConferenceReports:
    return ConferenceReports(
        calendar=calendar,
        directory=directory,
        policy=reminder_policy(settings, agencies),
        agencies=agencies,
        horizon=timedelta(days=settings.calendar_sync_days),
        wording=content.reports,
        kinds=content.reminders.conference_kinds,
        no_calendars=content.notices.report_deadlines,
    )
