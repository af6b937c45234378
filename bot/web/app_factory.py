"""Builds the aiohttp application from settings. Nothing happens at import time.

Every long-lived resource (the database engine, the HTTP session for calls to Teams, the Graph client, the background
follow-up, calendar sync, reminder sender and retention purge) is opened and closed here, in order, through
`cleanup_ctx`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.agencies import load_agencies
from bot.domain.clock import Clock, utc_now
from bot.domain.quorum import AgencyDirectory
from bot.logging_setup import install_safe_records
from bot.reminder_setup import conference_recogniser, reminder_policy
from bot.settings import Settings
from bot.store.audit import SqlChairAudit
from bot.store.conferences import SqlConferences
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import create_engine, describe_database, migrate_to_latest, session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.leases import SqlLeases
from bot.store.meetings import SqlMeetingRecords
from bot.store.refused_tenants import SqlRefusedTenants
from bot.store.reminders import SqlReminderOutbox
from bot.store.retention import SqlRetention
from bot.teams.authentication import build_authentication
from bot.teams.connector_api import TeamsConnectorApi
from bot.teams.connector_http import ConnectorHttp
from bot.teams.connector_tokens import ConnectorTokens
from bot.teams.endpoint import MessagesEndpoint
from bot.teams.handler import ConferenceBot
from bot.usecases.answer_command import CommandResponder
from bot.usecases.calendar_sync import CalendarSync, OneInstance
from bot.usecases.chair_check import ChairCheck
from bot.usecases.chair_disconnects import ChairDisconnects
from bot.usecases.chair_gate import ChairGate
from bot.usecases.chair_requests import ChairRequests
from bot.usecases.command_table import CommandRouter, CommandServices
from bot.usecases.follow_up import FollowUp
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.remember_conversation import ConversationRecorder
from bot.usecases.reminder_sender import ReminderSender
from bot.usecases.report_deadlines import ReportDeadlines
from bot.usecases.retention import RetentionPurge
from bot.usecases.summaries import SummaryMaker
from bot.usecases.track_meeting import CARD_CLAIM_LAPSES, MeetingTracker
from bot.web import keys
from bot.web.background import Work, repeating
from bot.web.database_readiness import DatabaseReadiness
from bot.web.health import healthz
from cards import CardContent, load_card_content

logger = logging.getLogger(__name__)

SENDS_FINISH_WITHIN_SECONDS = 5.0
"""When the bot stops, reminders being sent get this long to finish; the rest are put back for another instance."""

# Teams activities are small; a card submit with inputs stays far below this.
MAX_REQUEST_BYTES = 256 * 1024


async def _database(app: web.Application) -> AsyncIterator[None]:
    """Migrates before serving when the database answers; otherwise serves 503s while retrying in the background."""
    database_url = app[keys.SETTINGS].database_url
    engine = create_engine(database_url)
    readiness = DatabaseReadiness(engine, describe_database(database_url), migrate=_prepare_database)
    app[keys.DATABASE] = engine
    app[keys.DATABASE_READINESS] = readiness
    try:
        await readiness.try_once()
        yield
    finally:
        await readiness.stop()
        await engine.dispose()


async def _prepare_database(engine: AsyncEngine) -> None:
    """Migrate; on SQLite (one instance only) also release start-card claims the previous run left unsettled when it
    was stopped mid-post, so the next delivery of the start event posts the card at once."""
    await migrate_to_latest(engine)
    if engine.dialect.name == "sqlite":
        released = await SqlMeetingRecords(session_factory(engine)).release_abandoned_cards()
        if released:
            logger.warning("start card claims left unsettled by an earlier run released sessions=%d", released)


async def _teams_http(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession() as session:
        app[keys.TEAMS_HTTP] = session
        yield


def reminders_off_because(settings: Settings) -> str | None:
    """Why calendar reminders cannot run with these settings, or None when they can."""
    if not settings.calendar_mailboxes:
        return "CALENDAR_MAILBOXES is not set"
    if settings.local_mode and urlsplit(settings.graph_base_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        return "local mode has no Graph credentials (GRAPH_BASE_URL may point at a Graph test double on this machine)"
    return None


async def _graph(app: web.Application) -> AsyncIterator[None]:
    """Microsoft Graph, when the chairs' group or the calendars need it."""
    settings = app[keys.SETTINGS]
    reminders_off = reminders_off_because(settings)
    if reminders_off:
        logger.warning("Calendar reminders are off: %s", reminders_off)
    if not settings.chair_group_id and reminders_off:
        yield
        return
    from bot.graph.services import graph_services

    async with graph_services(settings) as graph:
        if graph.chair_group is not None:
            app[keys.CHAIR_GROUP] = graph.chair_group
        if not reminders_off:
            app[keys.CALENDAR] = graph.calendar
            app[keys.MEETING_CHATS] = graph.calendar
            app[keys.PEOPLE] = graph.people
            if graph.teams_apps is not None and settings.install_app_in_meeting_chats:
                app[keys.CHAT_INSTALLER] = graph.teams_apps
            if graph.teams_apps is not None and settings.install_app_for_invitees:
                app[keys.USER_INSTALLER] = graph.teams_apps
            if graph.mail is not None:
                app[keys.MAILER] = graph.mail
            logger.info(
                "Calendar reminders are on: %d mailbox(es), synced every %s s",
                len(settings.calendar_mailboxes),
                settings.calendar_sync_interval_seconds,
            )
        yield


async def _teams(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    timezone = ZoneInfo(settings.timezone)
    sessions = session_factory(app[keys.DATABASE])
    content = app[keys.CARD_CONTENT]
    agencies = app[keys.AGENCIES]
    clock = app[keys.CLOCK]
    records = SqlMeetingRecords(sessions, clock)
    log = SqlDisconnectionLog(sessions, clock)
    conversations = SqlConversationDirectory(sessions, clock)
    http = ConnectorHttp(app[keys.TEAMS_HTTP], timeout=settings.teams_timeout_seconds)
    teams = TeamsConnectorApi(http, ConnectorTokens(settings))
    people = MeetingPeople(teams)
    summaries = SummaryMaker(log, agencies)
    check = ChairCheck(
        people=people,
        records=records,
        audit=SqlChairAudit(sessions),
        named=settings.chair_users,
        group=app.get(keys.CHAIR_GROUP),
    )
    gate = ChairGate(check, teams)
    chair = ChairRequests(
        gate=gate,
        records=records,
        people=people,
        quorum=QuorumCheck(records, teams, people, agencies),
        summaries=summaries,
        timezone=timezone,
    )
    disconnects = ChairDisconnects(
        gate=gate, records=records, log=log, people=people, conversations=conversations, timezone=timezone
    )
    deadlines = ReportDeadlines(
        conferences=SqlConferences(sessions) if keys.CALENDAR in app else None,
        directory=teams,
        messenger=teams,
        policy=reminder_policy(settings, agencies),
        horizon=timedelta(days=settings.calendar_sync_days),
    )
    responder = CommandResponder(content)
    commands = CommandRouter(
        CommandServices(responder=responder, chair=chair, disconnects=disconnects, deadlines=deadlines, gate=gate),
        content.help,
    )
    bot = ConferenceBot(
        commands,
        responder,
        ConversationRecorder(conversations),
        MeetingTracker(
            records,
            content,
            timezone,
            claim_lapses=max(CARD_CLAIM_LAPSES, timedelta(seconds=3 * settings.teams_timeout_seconds + 10)),
            now=clock,
        ),
        now=clock,
    )
    app[keys.MESSAGES] = MessagesEndpoint(
        build_authentication(settings),
        bot,
        http,
        local_mode=settings.local_mode,
        allowed_tenants=settings.allowed_tenants,
        refused_tenants=SqlRefusedTenants(sessions),
        clock=clock,
    )
    app[keys.FOLLOW_UP] = FollowUp(
        records=records,
        log=log,
        conversations=conversations,
        people=people,
        messenger=teams,
        summaries=summaries,
        timezone=timezone,
        drop_grace=timedelta(minutes=settings.dropout_grace_minutes),
    )
    app[keys.RETENTION] = RetentionPurge(SqlRetention(sessions), settings.retention_days)
    if keys.CALENDAR in app:
        _reminder_work(app, conversations, teams)
    yield


def _reminder_work(app: web.Application, conversations: SqlConversationDirectory, teams: TeamsConnectorApi) -> None:
    settings = app[keys.SETTINGS]
    sessions = session_factory(app[keys.DATABASE])
    conferences, outbox = SqlConferences(sessions), SqlReminderOutbox(sessions)
    policy = reminder_policy(settings, app[keys.AGENCIES])
    app[keys.CALENDAR_SYNC] = CalendarSync(
        mailboxes=settings.calendar_mailboxes,
        source=app[keys.CALENDAR],
        chats=app[keys.MEETING_CHATS],
        store=conferences,
        outbox=outbox,
        recogniser=conference_recogniser(settings),
        policy=policy,
        horizon=timedelta(days=settings.calendar_sync_days),
        one_instance=OneInstance(
            SqlLeases(sessions), app[keys.INSTANCE], timedelta(seconds=settings.calendar_sync_interval_seconds)
        ),
    )
    app[keys.REMINDER_SENDER] = ReminderSender.assemble(
        outbox=outbox,
        conferences=conferences,
        conversations=conversations,
        teams=teams,
        policy=policy,
        people=app[keys.PEOPLE],
        chat_installer=app.get(keys.CHAT_INSTALLER),
        user_installer=app.get(keys.USER_INSTALLER),
        mailer=app.get(keys.MAILER),
    )


def _background(app: web.Application, work: Work, *, interval: float, name: str) -> AbstractAsyncContextManager[None]:
    """`work` repeated every `interval` seconds once the database has been reached (until then the readiness loop
    says why nothing happens), until the bot begins to stop."""
    readiness = app[keys.DATABASE_READINESS]

    async def once_database_ready(now: datetime) -> object:
        return await work(now) if readiness.ready else False

    return repeating(
        once_database_ready, interval=interval, name=name, clock=app[keys.CLOCK], stopping=app[keys.STOPPING]
    )


async def _follow_up(app: web.Application) -> AsyncIterator[None]:
    interval = app[keys.SETTINGS].follow_up_interval_seconds
    async with _background(app, app[keys.FOLLOW_UP].run_once, interval=interval, name="follow-up"):
        yield


async def _reminders(app: web.Application) -> AsyncIterator[None]:
    if keys.CALENDAR_SYNC not in app:
        yield
        return
    settings = app[keys.SETTINGS]
    async with (
        _background(
            app,
            app[keys.CALENDAR_SYNC].run_once,
            interval=settings.calendar_sync_interval_seconds,
            name="calendar sync",
        ),
        _background(
            app, app[keys.REMINDER_SENDER].run_once, interval=settings.reminder_send_interval_seconds, name="reminders"
        ),
    ):
        yield
        # Before the round in progress is waited for, so that a send Teams does not answer cannot hold it up.
        await app[keys.REMINDER_SENDER].stop(within=SENDS_FINISH_WITHIN_SECONDS)
    try:
        await app[keys.CALENDAR_SYNC].stop()
    except Exception:  # the database may already be gone; the lease then lapses by itself
        logger.warning("calendar sync lease not released; it lapses by itself", exc_info=True)


async def _retention(app: web.Application) -> AsyncIterator[None]:
    interval = app[keys.SETTINGS].purge_interval_seconds
    async with _background(app, app[keys.RETENTION].run_once, interval=interval, name="retention purge"):
        yield


async def _stop_taking_work(app: web.Application) -> None:
    """The first thing a stop does (SIGTERM; aiohttp has already stopped listening): background work starts no new
    run, and a turn arriving on a kept-alive connection is told to go elsewhere."""
    logger.info("stopping: finishing the turns and reminders in flight")
    app[keys.STOPPING].set()


async def _messages(request: web.Request) -> web.StreamResponse:
    if request.app[keys.STOPPING].is_set():
        return web.json_response({"error": "the bot is restarting"}, status=503, headers={"Retry-After": "5"})
    if not request.app[keys.DATABASE_READINESS].ready:
        return web.json_response(
            {"error": "the bot is starting: its database is not reachable yet"},
            status=503,
            headers={"Retry-After": "10"},
        )
    return await request.app[keys.MESSAGES].handle(request)


def create_app(
    settings: Settings,
    *,
    card_content: CardContent | None = None,
    agencies: AgencyDirectory | None = None,
    clock: Clock = utc_now,
) -> web.Application:
    install_safe_records()  # whoever runs the app (app.py, a test, another host), its logs stay free of data
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[keys.SETTINGS] = settings
    app[keys.CLOCK] = clock
    app[keys.INSTANCE] = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    app[keys.CARD_CONTENT] = card_content or load_card_content()
    app[keys.AGENCIES] = agencies or load_agencies(settings.agencies_file)
    app[keys.STOPPING] = asyncio.Event()
    app.on_shutdown.append(_stop_taking_work)
    app.cleanup_ctx.extend([_database, _teams_http, _graph, _teams, _follow_up, _reminders, _retention])
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", healthz)
    return app
