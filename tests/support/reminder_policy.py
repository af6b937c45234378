"""The reminder rules the tests use: London time, England's bank holidays, professionals known by e-mail domain; and
the report side of the reminders, made as the wiring makes it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.agencies import load_agencies
from bot.config.settings import DEFAULT_AGENCIES_FILE
from bot.domain.chairs import NamedChairs, OrganiserIsChair
from bot.domain.clock import utc_now
from bot.domain.reminders import PlannedReminder, ReminderKind, ReminderPolicy
from bot.domain.working_days import WorkingDays
from bot.store.conferences import SqlConferences
from bot.store.reminders import SqlReminderOutbox
from bot.store.reports import SqlReports
from bot.usecases.calendar_chairs import CalendarChairs
from bot.usecases.conference_reports import CalendarParts, ConferenceReports
from bot.usecases.ports import MeetingDirectory, PersonDirectory
from bot.usecases.reminder_sender import ReportReminding
from bot.usecases.report_confirmations import ReportConfirmations
from cards.content import load_card_content


def policy_for(*professional_domains: str) -> ReminderPolicy:
    """Invitees whose address ends with one of `professional_domains` are professionals; nobody else is."""
    return ReminderPolicy(
        timezone=ZoneInfo("Europe/London"),
        working_days=WorkingDays("ENG"),
        is_professional=lambda email: email.endswith(professional_domains),
    )


def report_reminding(
    sessions: async_sessionmaker[AsyncSession],
    teams: MeetingDirectory,
    policy: ReminderPolicy,
    *,
    people: PersonDirectory | None = None,
    chairs: NamedChairs | None = None,
    public_base_url: str = "",
) -> ReportReminding:
    """The report side of the reminders as the wiring makes it, on the given database (the agencies file bundled)."""
    content = load_card_content()
    calendar = CalendarParts(
        conferences=SqlConferences(sessions),
        reports=SqlReports(sessions),
        outbox=SqlReminderOutbox(sessions),
        chairs=CalendarChairs(
            named=chairs or NamedChairs(),
            group=None,
            people=people,
            organiser_is_chair=OrganiserIsChair.WHEN_NO_NAMED_CHAIR,
        ),
    )
    status = ConferenceReports(
        calendar=calendar,
        directory=teams,
        policy=policy,
        agencies=load_agencies(DEFAULT_AGENCIES_FILE),
        horizon=timedelta(days=28),
        wording=content.reports,
        kinds=content.reminders.conference_kinds,
        no_calendars=content.notices.report_deadlines,
    )
    confirmations = ReportConfirmations(
        calendar=calendar,
        reports_status=status,
        directory=teams,
        policy=policy,
        wording=content.reports,
        kinds=content.reminders.conference_kinds,
    )
    return ReportReminding(
        confirmations=confirmations,
        status=status,
        chairs=calendar.chairs,
        public_base_url=public_base_url,
        wording=content.reports,
        clock=utc_now,
    )


def without_report_status(planned: list[PlannedReminder]) -> list[PlannedReminder]:
    """The reminders these tests follow: the chairs' report status has tests of its own (test_report_confirmations),
    and would go to the organiser here at every moment these tests look."""
    return [reminder for reminder in planned if reminder.kind is not ReminderKind.REPORT_STATUS]
