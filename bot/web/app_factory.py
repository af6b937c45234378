"""Builds the aiohttp application from settings. Nothing happens at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.settings import Settings
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import create_engine, migrate_to_latest, session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.teams.authentication import build_authentication
from bot.teams.endpoint import MessagesEndpoint
from bot.teams.handler import ConferenceBot
from bot.usecases.answer_command import CommandResponder
from bot.usecases.remember_conversation import ConversationRecorder
from bot.usecases.track_meeting import MeetingTracker
from bot.web import keys
from bot.web.health import healthz
from cards import CardContent, load_card_content

# Teams activities are small; a card submit with inputs stays far below this.
MAX_REQUEST_BYTES = 256 * 1024


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[keys.SETTINGS].database_url)
    try:
        await migrate_to_latest(engine)
        app[keys.DATABASE] = engine
        yield
    finally:
        await engine.dispose()


async def _teams(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    sessions = session_factory(app[keys.DATABASE])
    content = app[keys.CARD_CONTENT]
    bot = ConferenceBot(
        CommandResponder(content),
        ConversationRecorder(SqlConversationDirectory(sessions)),
        MeetingTracker(SqlMeetingRecords(sessions), content, ZoneInfo(settings.timezone)),
    )
    app[keys.MESSAGES] = MessagesEndpoint(build_authentication(settings), bot, local_mode=settings.local_mode)
    yield


async def _messages(request: web.Request) -> web.StreamResponse:
    return await request.app[keys.MESSAGES].handle(request)


def create_app(settings: Settings, *, card_content: CardContent | None = None) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[keys.SETTINGS] = settings
    app[keys.CARD_CONTENT] = card_content or load_card_content()
    app.cleanup_ctx.extend([_database, _teams])
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", healthz)
    return app
