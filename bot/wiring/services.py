"""Every service of the bot, built once from the settings and the resources the app has opened (the database, the HTTP
session for Teams, the Graph client when a feature needs it). The app factory opens and closes the resources and
registers routes; what the bot is made of is decided here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config.reminder_rules import conference_recogniser, reminder_policy
from bot.config.settings import Settings
from bot.domain.clock import Clock
from bot.domain.quorum import AgencyDirectory
from bot.domain.stage import STAGE_HEIGHT, STAGE_WIDTH, StagePage, bubble_link
from bot.identity.page_tokens import ENTRA_AUTHORITY, PageTokens
from bot.store.attendance_reports import SqlAttendanceReports
from bot.store.audit import SqlChairAudit
from bot.store.conferences import SqlConferences
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.leases import SqlLeases
from bot.store.meetings import SqlMeetingRecords
from bot.store.quorum_decisions import SqlQuorumDecisions
from bot.store.refused_tenants import SqlRefusedTenants
from bot.store.reminders import SqlReminderOutbox
from bot.store.retention import SqlRetention
from bot.store.stage_notices import SqlStageNotices
from bot.teams.authentication import build_authentication
from bot.teams.connector_api import TeamsConnectorApi
from bot.teams.connector_http import ConnectorHttp
from bot.teams.connector_tokens import ConnectorTokens
from bot.teams.endpoint import MessagesEndpoint
from bot.teams.handler import ConferenceBot
from bot.usecases.answer_command import CommandResponder
from bot.usecases.attendance_reconciliation import AttendanceReconciler
from bot.usecases.caching_directory import CachingDirectory
from bot.usecases.calendar_sync import CalendarSync, OneInstance
from bot.usecases.chair_cards import ChairCards
from bot.usecases.chair_check import ChairCheck
from bot.usecases.chair_conferences import ChairConferences
from bot.usecases.chair_disconnects import LOG_COMMAND, ChairDisconnects
from bot.usecases.chair_gate import ChairGate
from bot.usecases.chair_panel import ChairPanel
from bot.usecases.chair_requests import ChairRequests
from bot.usecases.command_table import CommandRouter, CommandServices, chair_only_wording
from bot.usecases.conference_chairs import ConferenceChairs
from bot.usecases.conference_changes import ConferenceChanges
from bot.usecases.conference_reports import CalendarParts, ConferenceReports
from bot.usecases.follow_up import FollowUp
from bot.usecases.meeting_page import MeetingPage
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import ConversationDirectory
from bot.usecases.quorum_at_door import QuorumAtTheDoor
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.remember_conversation import ConversationRecorder
from bot.usecases.reminder_sender import ChairReminding, ReminderSender
from bot.usecases.report_confirmations import ChairOfMeeting, ReportConfirmations
from bot.usecases.report_deadlines import ReportDeadlines
from bot.usecases.retention import RetentionPurge
from bot.usecases.stage_notices import CLAIM_LAPSES as STAGE_CLAIM_LAPSES
from bot.usecases.stage_notices import StageNotifications
from bot.usecases.summaries import SummaryMaker
from bot.usecases.track_meeting import CARD_CLAIM_LAPSES, MeetingTracker
from bot.wiring.features import Features
from bot.wiring.report_status import calendar_parts, conference_reports
from cards import CardContent

if TYPE_CHECKING:  # msgraph is imported only when a feature needs Graph
    from bot.graph.services import GraphServices


@dataclass(frozen=True, slots=True)
class Resources:
    """What the app has opened for the services to use, and closes after them."""

    engine: AsyncEngine
    teams_http: aiohttp.ClientSession
    graph: GraphServices | None
    """Open when a feature needs Graph (`Features.needs_graph`)."""


@dataclass(frozen=True, slots=True)
class Reminders:
    """The calendar work, when reminders are on."""

    calendar_sync: CalendarSync
    sender: ReminderSender


@dataclass(frozen=True, slots=True)
class Services:
    messages: MessagesEndpoint
    follow_up: FollowUp
    retention: RetentionPurge
    reminders: Reminders | None
    """None when the settings leave calendar reminders off."""
    meeting_page: MeetingPage
    chair_panel: ChairPanel
    changes: ConferenceChanges
    """Word of joins, leaves and log entries, for the side panels open on this instance."""
    page_tokens: PageTokens | None
    """None in local mode, which has no app to sign in to (the pages take a local identity from this machine)."""
    report_confirmations: ReportConfirmations | None
    """The e-mailed links' page; None when calendar reminders are off."""


@dataclass(frozen=True, slots=True)
class Makings:
    """What the services are made from, besides the settings: read once at start-up."""

    content: CardContent
    agencies: AgencyDirectory
    clock: Clock
    instance: str
    """This instance's name among several sharing one database: for leases."""
    entra_authority: str = ENTRA_AUTHORITY
    """Where tenants publish their sign-on keys (a test's local issuer stands in for it)."""


def build_services(settings: Settings, features: Features, resources: Resources, makings: Makings) -> Services:
    timezone = ZoneInfo(settings.timezone)
    sessions = session_factory(resources.engine)
    clock = makings.clock
    records = SqlMeetingRecords(sessions, clock)
    log = SqlDisconnectionLog(sessions, clock)
    conversations = SqlConversationDirectory(sessions, clock)
    http = ConnectorHttp(resources.teams_http, timeout=settings.teams_timeout_seconds)
    teams = TeamsConnectorApi(http, ConnectorTokens(settings))
    people = MeetingPeople(teams)
    notices = makings.content.notices
    audit = SqlChairAudit(sessions)

    def chair_rule(people: MeetingPeople) -> tuple[ConferenceChairs, ChairCheck]:
        return _chair_rule(settings, features, resources, makings, records, audit, people)

    chairs, check = chair_rule(people)
    gate = ChairGate(check, teams, notices.chair_gate)
    panel = _panel_lookups(teams, chair_rule, records, makings)
    quorum = QuorumCheck(records, teams, people, makings.agencies, chairs=chairs, unnamed=makings.content.chair.unnamed)
    on_calendar = _calendar_services(settings, features, resources, makings, teams, conversations, check, quorum)
    reports, confirmations, door = on_calendar.reports, on_calendar.confirmations, on_calendar.door
    reported = SqlAttendanceReports(sessions) if features.attendance_reports else None
    summaries = SummaryMaker(
        log, makings.agencies, decisions=on_calendar.decisions, reports=on_calendar.in_summaries, reported=reported
    )
    chair = ChairRequests(
        records=records,
        people=people,
        quorum=quorum,
        summaries=summaries,
        timezone=timezone,
        wording=notices.chair_requests,
        cards=makings.content.chair,
    )
    changes = ConferenceChanges()
    disconnects = ChairDisconnects(
        gate=gate,
        records=records,
        log=log,
        people=people,
        conversations=conversations,
        timezone=timezone,
        wording=makings.content.chair,
        notices=notices.disconnection_log,
        log_action=chair_only_wording(makings.content.help)[LOG_COMMAND].action,
        changes=changes,
    )
    deadlines = ReportDeadlines(
        conferences=SqlConferences(sessions) if features.reminders else None,
        directory=teams,
        messenger=teams,
        policy=reminder_policy(settings, makings.agencies),
        horizon=timedelta(days=settings.calendar_sync_days),
        wording=notices.report_deadlines,
        cards=makings.content.reminders,
    )
    responder = CommandResponder(makings.content)
    conferences = ChairConferences(
        records=records,
        conversations=conversations,
        people=people,
        check=check,
        agencies=makings.agencies,
        kept_for=timedelta(days=settings.retention_days),
    )
    commands = CommandRouter(
        CommandServices(
            responder=responder,
            chair=chair,
            disconnects=disconnects,
            deadlines=deadlines,
            gate=gate,
            conferences=conferences,
            reports=reports,
            confirmations=confirmations,
            door=door,
        ),
        makings.content.help,
        makings.content.chair,
        timezone,
    )
    stage_page = _stage_page(settings, makings)
    stage = (
        StageNotifications(
            notices=SqlStageNotices(sessions),
            notifier=teams,
            conversations=conversations,
            records=records,
            page=stage_page,
            claim_lapses=max(STAGE_CLAIM_LAPSES, timedelta(seconds=3 * settings.teams_timeout_seconds + 10)),
        )
        if stage_page is not None
        else None
    )
    tracker = MeetingTracker(
        records,
        makings.content,
        timezone,
        claim_lapses=max(CARD_CLAIM_LAPSES, timedelta(seconds=3 * settings.teams_timeout_seconds + 10)),
        now=clock,
        changes=changes,
        stage=stage,
        start_alert=bubble_link(settings.app_id, settings.app_id, stage_page)
        if stage_page and settings.app_id
        else None,
    )
    bot = ConferenceBot(commands, responder, ConversationRecorder(conversations), tracker, now=clock)
    messages = MessagesEndpoint(
        build_authentication(settings),
        bot,
        http,
        local_mode=settings.local_mode,
        apology=notices.turn_failed,
        allowed_tenants=settings.allowed_tenants,
        refused_tenants=SqlRefusedTenants(sessions),
        clock=clock,
    )
    follow_up = FollowUp(
        records=records,
        log=log,
        conversations=conversations,
        people=people,
        messenger=teams,
        summaries=summaries,
        timezone=timezone,
        drop_grace=timedelta(minutes=settings.dropout_grace_minutes),
        wording=makings.content.reminders.drop_out,
        cards=makings.content.chair,
        chairs=chairs,
        chair_cards=ChairCards(
            records=records,
            conversations=conversations,
            chairs=chairs,
            messenger=teams,
            timezone=timezone,
            wording=makings.content.chair.chair_card,
        ),
        stage=stage,
        changes=changes,
        attendance=AttendanceReconciler(
            records=records,
            store=reported,
            source=resources.graph.attendance,
            conversations=conversations,
            directory=teams,
        )
        if reported is not None and resources.graph is not None
        else None,
    )
    return Services(
        messages=messages,
        follow_up=follow_up,
        retention=RetentionPurge(SqlRetention(sessions), settings.retention_days),
        reminders=_reminders(
            settings,
            features,
            resources,
            makings,
            conversations,
            teams,
            on_calendar.reminding,
        ),
        meeting_page=MeetingPage(conversations=conversations, check=panel.check),
        chair_panel=ChairPanel(
            conversations=conversations,
            check=panel.check,
            records=records,
            log=log,
            quorum=panel.quorum,
            people=panel.people,
            disconnects=disconnects,
            deadlines=deadlines,
            card_actions=makings.content.chair.card_actions,
            reports=on_calendar.in_summaries,
        ),
        changes=changes,
        page_tokens=_page_tokens(settings, makings),
        report_confirmations=confirmations,
    )


@dataclass(frozen=True, slots=True)
class _CalendarServices:
    """What the calendar adds for chairs and professionals: reports, confirmations, quoracy at the door."""

    parts: CalendarParts | None
    reports: ConferenceReports
    """Answers "calendars are off" when they are."""
    confirmations: ReportConfirmations | None
    door: QuorumAtTheDoor | None
    decisions: SqlQuorumDecisions | None
    reminding: ChairReminding | None
    """What the reminder sender needs for reports and the chairs."""

    @property
    def in_summaries(self) -> ConferenceReports | None:
        return self.reports if self.parts is not None else None


def _calendar_services(
    settings: Settings,
    features: Features,
    resources: Resources,
    makings: Makings,
    teams: TeamsConnectorApi,
    conversations: ConversationDirectory,
    check: ChairCheck,
    quorum: QuorumCheck,
) -> _CalendarServices:
    sessions, graph = session_factory(resources.engine), resources.graph
    calendar = (
        calendar_parts(
            settings,
            sessions,
            people=graph.people,
            group=graph.chair_group if features.chair_group else None,
        )
        if features.reminders and graph is not None
        else None
    )
    policy, content = reminder_policy(settings, makings.agencies), makings.content
    kinds = content.reminders.conference_kinds
    reports = conference_reports(settings, calendar, teams, makings.agencies, content)
    if calendar is None:
        return _CalendarServices(None, reports, None, None, None, None)
    chair_of_meeting = ChairOfMeeting(conversations, check)
    confirmations = ReportConfirmations(
        calendar=calendar,
        reports_status=reports,
        directory=teams,
        policy=policy,
        wording=content.reports,
        kinds=kinds,
        chair_check=chair_of_meeting,
    )
    decisions = SqlQuorumDecisions(sessions)
    door = QuorumAtTheDoor(
        calendar=calendar,
        decisions=decisions,
        conversations=conversations,
        directory=teams,
        quorum=quorum,
        agencies=makings.agencies,
        policy=policy,
        wording=content.chair,
        refusals=content.reports.not_confirmed,
        chair_of_meeting=chair_of_meeting,
    )
    reminding = ChairReminding(
        confirmations=confirmations,
        status=reports,
        chairs=calendar.chairs,
        door=door,
        public_base_url=settings.public_base_url,
        wording=content.reports,
        clock=makings.clock,
    )
    return _CalendarServices(calendar, reports, confirmations, door, decisions, reminding)


def _chair_rule(
    settings: Settings,
    features: Features,
    resources: Resources,
    makings: Makings,
    records: SqlMeetingRecords,
    audit: SqlChairAudit,
    people: MeetingPeople,
) -> tuple[ConferenceChairs, ChairCheck]:
    """Who chairs a conference (named chairs, the chairs' group, the organiser rule) and the check that applies it."""
    graph = resources.graph
    chairs = ConferenceChairs(
        people=people,
        records=records,
        named=settings.chair_users,
        group=graph.chair_group if graph is not None and features.chair_group else None,
        organiser_is_chair=settings.organiser_is_chair,
    )
    check = ChairCheck(
        people=people, records=records, audit=audit, chairs=chairs, wording=makings.content.notices.chair_check
    )
    return chairs, check


@dataclass(frozen=True, slots=True)
class _PanelLookups:
    people: MeetingPeople
    check: ChairCheck
    quorum: QuorumCheck


def _panel_lookups(
    teams: TeamsConnectorApi,
    chair_rule: Callable[[MeetingPeople], tuple[ConferenceChairs, ChairCheck]],
    records: SqlMeetingRecords,
    makings: Makings,
) -> _PanelLookups:
    """The chair rule and quoracy as the side panels use them: the same rules, on a directory that remembers each
    meeting's members for a minute (the panels look often; the commands always ask afresh)."""
    people = MeetingPeople(CachingDirectory(teams))
    chairs, check = chair_rule(people)
    quorum = QuorumCheck(records, teams, people, makings.agencies, chairs=chairs, unnamed=makings.content.chair.unnamed)
    return _PanelLookups(people, check, quorum)


def _stage_page(settings: Settings, makings: Makings) -> StagePage | None:
    """The expectations page as the meeting stage shows it; None without a public address Teams can load it from."""
    if not settings.public_base_url:
        return None
    title = makings.content.expectations.title
    return StagePage(f"{settings.public_base_url}/tab/stage", title, STAGE_WIDTH, STAGE_HEIGHT)


def _page_tokens(settings: Settings, makings: Makings) -> PageTokens | None:
    if settings.local_mode:
        return None
    host = urlsplit(settings.public_base_url).netloc
    tenants = settings.allowed_tenants or frozenset({settings.app_tenant_id} - {""})
    return PageTokens(
        app_id=settings.app_id,
        resource=f"api://{host}/{settings.app_id}" if host else "",
        tenants=tenants,
        authority=makings.entra_authority,
    )


def _reminders(
    settings: Settings,
    features: Features,
    resources: Resources,
    makings: Makings,
    conversations: ConversationDirectory,
    teams: TeamsConnectorApi,
    reports: ChairReminding | None,
) -> Reminders | None:
    graph = resources.graph
    if not features.reminders or graph is None or reports is None:
        return None
    sessions = session_factory(resources.engine)
    conferences, outbox = SqlConferences(sessions), SqlReminderOutbox(sessions)
    policy = reminder_policy(settings, makings.agencies)
    calendar_sync = CalendarSync(
        mailboxes=settings.calendar_mailboxes,
        source=graph.calendar,
        chats=graph.calendar,
        store=conferences,
        outbox=outbox,
        recogniser=conference_recogniser(settings),
        policy=policy,
        horizon=timedelta(days=settings.calendar_sync_days),
        one_instance=OneInstance(
            SqlLeases(sessions), makings.instance, timedelta(seconds=settings.calendar_sync_interval_seconds)
        ),
    )
    sender = ReminderSender.assemble(
        outbox=outbox,
        conferences=conferences,
        conversations=conversations,
        teams=teams,
        policy=policy,
        people=graph.people,
        chat_installer=graph.teams_apps if features.install_in_meeting_chats else None,
        user_installer=graph.teams_apps if features.install_for_invitees else None,
        mailer=graph.mail if features.email_reminders else None,
        wording=makings.content.reminder_wording,
        reports=reports,
    )
    return Reminders(calendar_sync, sender)
