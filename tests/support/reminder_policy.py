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
from bot.store.conversations import SqlConversationDirectory
from bot.store.meetings import SqlMeetingRecords
from bot.store.quorum_decisions import SqlQuorumDecisions
from bot.store.reminders import SqlReminderOutbox
from bot.store.reports import SqlReports
from bot.usecases.calendar_chairs import CalendarChairs
from bot.usecases.conference_chairs import ConferenceChairs
from bot.usecases.conference_reports import CalendarParts, ConferenceReports
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import PersonDirectory
from bot.usecases.quorum_at_door import QuorumAtTheDoor
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.reminder_sender import ChairReminding, TeamsReach
from bot.usecases.report_confirmations import ReportConfirmations
from cards.content import load_card_content


def policy_for(*professional_domains: str) -> ReminderPolicy:
    """Invitees whose address ends with one of `professional_domains` are professionals; nobody else is."""
    return ReminderPolicy(
        timezone=ZoneInfo("Europe/London"),
        working_days=WorkingDays("ENG"),
        is_professional=lambda email: email.endswith(professional_domains),
    )


def chair_reminding(
    sessions: async_sessionmaker[AsyncSession],
    teams: TeamsReach,
    policy: ReminderPolicy,
    *,
    people: PersonDirectory | None = None,
    chairs: NamedChairs | None = None,
    public_base_url: str = "",
) -> ChairReminding:
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
    agencies = load_agencies(DEFAULT_AGENCIES_FILE)
    status = ConferenceReports(
        calendar=calendar,
        directory=teams,
        policy=policy,
        agencies=agencies,
        horizon=timedelta(days=28),
        wording=content.reports,
        kinds=content.reminders.conference_kinds,
        no_calendars=content.notices.report_deadlines,
    )
    records = SqlMeetingRecords(sessions)
    people_in_meetings = MeetingPeople(teams)
    conference_chairs = ConferenceChairs(
        people=people_in_meetings,
        records=records,
        named=chairs or NamedChairs(),
        group=None,
        organiser_is_chair=OrganiserIsChair.WHEN_NO_NAMED_CHAIR,
    )
    door = QuorumAtTheDoor(
        calendar=calendar,
        decisions=SqlQuorumDecisions(sessions),
        conversations=SqlConversationDirectory(sessions),
        directory=teams,
        quorum=QuorumCheck(
            records, teams, people_in_meetings, agencies, chairs=conference_chairs, unnamed=content.chair.unnamed
        ),
        agencies=agencies,
        policy=policy,
        wording=content.chair,
        refusals=content.reports.not_confirmed,
    )
    confirmations = ReportConfirmations(
        calendar=calendar,
        reports_status=status,
        directory=teams,
        policy=policy,
        wording=content.reports,
        kinds=content.reminders.conference_kinds,
    )
    return ChairReminding(
        confirmations=confirmations,
        status=status,
        chairs=calendar.chairs,
        door=door,
        public_base_url=public_base_url,
        wording=content.reports,
        clock=utc_now,
    )


def without_chairs_reminders(planned: list[PlannedReminder]) -> list[PlannedReminder]:
    """The reminders these tests follow: the chairs' own (the report status, quoracy at the door) have tests of their
    own (test_report_confirmations, test_quorum_at_door), and would go to the organiser at the moments these look."""
    chairs_own = (ReminderKind.REPORT_STATUS, ReminderKind.QUORUM_AT_START, ReminderKind.QUORUM_RECHECK)
    return [reminder for reminder in planned if reminder.kind not in chairs_own]
