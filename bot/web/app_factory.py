"""Builds the aiohttp application from settings. Nothing happens at import time.

The app registers its routes and opens and closes, in order through `cleanup_ctx`, every long-lived resource: the
database engine, the HTTP session for calls to Teams, the Graph client (when a feature needs it) and the background
work (follow-up, calendar sync, reminder sender, retention purge). What the bot's services are, and which features
are on, is `bot.wiring`'s business.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config.agencies import load_agencies
from bot.config.settings import Settings
from bot.domain.clock import Clock, utc_now
from bot.domain.quorum import AgencyDirectory
from bot.identity.page_tokens import ENTRA_AUTHORITY
from bot.logs.setup import install_safe_records
from bot.store.database import create_engine, describe_database, migrate_to_latest, session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.telemetry.exporting import Destinations, exporting
from bot.web import keys, meeting_pages, report_pages
from bot.web.background import Work, repeating
from bot.web.database_readiness import DatabaseReadiness
from bot.web.health import healthz, livez, readyz
from bot.wiring.features import Features
from bot.wiring.services import Makings, Resources, build_services
from cards import CardContent, load_card_content

logger = logging.getLogger(__name__)

SENDS_FINISH_WITHIN_SECONDS = 5.0
"""When the bot stops, reminders being sent get this long to finish; the rest are put back for another instance."""

# Teams activities are small; a card submit with inputs stays far below this.
MAX_REQUEST_BYTES = 256 * 1024


async def _telemetry(app: web.Application) -> AsyncIterator[None]:
    """Traces and metrics to the destinations the settings name: opened first, so it sees everything, and closed
    last, so the background work's final spans are sent."""
    settings = app[keys.SETTINGS]
    destinations = Destinations(settings.applicationinsights_connection_string, settings.otel_exporter_otlp_endpoint)
    async with exporting(destinations, service_name=settings.otel_service_name, instance=app[keys.MAKINGS].instance):
        yield


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


async def _graph(app: web.Application) -> AsyncIterator[None]:
    """Microsoft Graph, opened only when a feature the settings switch on needs it."""
    settings, features = app[keys.SETTINGS], app[keys.FEATURES]
    if features.reminders_off_because:
        logger.warning("Calendar reminders are off: %s", features.reminders_off_because)
    if not features.needs_graph:
        app[keys.GRAPH] = None
        yield
        return
    from bot.graph.services import graph_services

    async with graph_services(settings) as graph:
        app[keys.GRAPH] = graph
        if features.reminders:
            logger.info(
                "Calendar reminders are on: %d mailbox(es), synced every %s s",
                len(settings.calendar_mailboxes),
                settings.calendar_sync_interval_seconds,
            )
        yield


async def _services(app: web.Application) -> AsyncIterator[None]:
    resources = Resources(engine=app[keys.DATABASE], teams_http=app[keys.TEAMS_HTTP], graph=app[keys.GRAPH])
    app[keys.SERVICES] = build_services(app[keys.SETTINGS], app[keys.FEATURES], resources, app[keys.MAKINGS])
    yield


def _background(app: web.Application, work: Work, *, interval: float, name: str) -> AbstractAsyncContextManager[None]:
    """`work` repeated every `interval` seconds once the database has been reached (until then the readiness loop
    says why nothing happens), until the bot begins to stop."""
    readiness = app[keys.DATABASE_READINESS]

    async def once_database_ready(now: datetime) -> object:
        return await work(now) if readiness.ready else False

    return repeating(
        once_database_ready, interval=interval, name=name, clock=app[keys.MAKINGS].clock, stopping=app[keys.STOPPING]
    )


async def _follow_up(app: web.Application) -> AsyncIterator[None]:
    interval = app[keys.SETTINGS].follow_up_interval_seconds
    async with _background(app, app[keys.SERVICES].follow_up.run_once, interval=interval, name="follow-up"):
        yield


async def _reminders(app: web.Application) -> AsyncIterator[None]:
    reminders = app[keys.SERVICES].reminders
    if reminders is None:
        yield
        return
    settings = app[keys.SETTINGS]
    async with (
        _background(
            app,
            reminders.calendar_sync.run_once,
            interval=settings.calendar_sync_interval_seconds,
            name="calendar sync",
        ),
        _background(app, reminders.sender.run_once, interval=settings.reminder_send_interval_seconds, name="reminders"),
    ):
        yield
        # Before the round in progress is waited for, so that a send Teams does not answer cannot hold it up.
        await reminders.sender.stop(within=SENDS_FINISH_WITHIN_SECONDS)
    try:
        await reminders.calendar_sync.stop()
    except Exception:  # the database may already be gone; the lease then lapses by itself
        logger.warning("calendar sync lease not released; it lapses by itself", exc_info=True)


async def _retention(app: web.Application) -> AsyncIterator[None]:
    interval = app[keys.SETTINGS].purge_interval_seconds
    async with _background(app, app[keys.SERVICES].retention.run_once, interval=interval, name="retention purge"):
        yield


async def _stop_taking_work(app: web.Application) -> None:
    """The first thing a stop does (SIGTERM; aiohttp has already stopped listening): background work starts no new
    run, and a turn arriving on a kept-alive connection is told to go elsewhere."""
    logger.info("stopping: finishing the turns and reminders in flight")
    app[keys.STOPPING].set()
    if keys.SERVICES in app:
        app[keys.SERVICES].changes.close()  # the side panels' held polls answer now, not after their wait


async def _messages(request: web.Request) -> web.StreamResponse:
    if request.app[keys.STOPPING].is_set():
        return web.json_response({"error": "the bot is restarting"}, status=503, headers={"Retry-After": "5"})
    if not request.app[keys.DATABASE_READINESS].ready:
        return web.json_response(
            {"error": "the bot is starting: its database is not reachable yet"},
            status=503,
            headers={"Retry-After": "10"},
        )
    return await request.app[keys.SERVICES].messages.handle(request)


def create_app(
    settings: Settings,
    *,
    card_content: CardContent | None = None,
    agencies: AgencyDirectory | None = None,
    clock: Clock = utc_now,
    entra_authority: str = ENTRA_AUTHORITY,
) -> web.Application:
    install_safe_records()  # whoever runs the app (app.py, a test, another host), its logs stay free of data
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[keys.SETTINGS] = settings
    app[keys.FEATURES] = Features.from_settings(settings)
    app[keys.MAKINGS] = Makings(
        content=card_content or load_card_content(),
        agencies=agencies or load_agencies(settings.agencies_file),
        clock=clock,
        instance=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}",
        entra_authority=entra_authority,
    )
    app[keys.STOPPING] = asyncio.Event()
    app.on_shutdown.append(_stop_taking_work)
    app.cleanup_ctx.extend([_telemetry, _database, _teams_http, _graph, _services, _follow_up, _reminders, _retention])
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/livez", livez)
    meeting_pages.add_routes(app)
    report_pages.add_routes(app)
    return app
