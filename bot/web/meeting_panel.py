"""The side panel's live part: `GET /api/tab/panel` (the chair's view or the attendee's, as HTML fragments, held
open until it changes) and `POST /api/tab/panel/action` (the log form and undo, for chairs).

The GET is a long poll: the page sends the version it shows, and the answer comes as soon as what it would show is
different, or after `PANEL_WAIT` seconds with the same version. A join, a leave or a log entry on this instance wakes
the conference's panels at once; the view is looked at again every `PANEL_RECHECK` seconds anyway, for changes that
reached another instance or that nothing announces (the bot noticing someone dropped out, the clock moving on).
Whether the viewer chairs is decided again for every poll: someone removed as a chair stops getting the chair's view
at their next poll, and nothing of it ever goes to someone who does not chair.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import Counter
from typing import Final
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.domain.conversations import ConversationAddress
from bot.domain.text import CONVERSATION_ID_LIMIT, identifier
from bot.usecases.chair_panel import AttendeeView, ChairView, PanelView
from bot.web import keys
from bot.web.page_viewer import API_HEADERS, no_data, signed_in
from cards.html_text import html_plain
from cards.panel import chair_live_html, deadlines_html, form_html, reports_html

logger = logging.getLogger(__name__)

PANEL_WAIT: Final = 25.0
"""Seconds a poll is held open when nothing changes: under the 30 s or more proxies allow an idle request."""
PANEL_RECHECK: Final = 5.0
"""Seconds between looks while a poll is held open."""
VERSION_LIMIT: Final = 64
HELD_PER_VIEWER: Final = 6
"""Polls one person may have held open at once on an instance: the side panel, the meeting tab and its details tab,
in a couple of windows. More are answered 429 (the page then waits and tries again)."""


def _drawn(request: web.Request, view: PanelView) -> dict[str, str]:
    makings, settings = request.app[keys.MAKINGS], request.app[keys.SETTINGS]
    content, timezone = makings.content, ZoneInfo(settings.timezone)
    panel = content.pages.panel
    match view:
        case ChairView():
            now = makings.clock()
            zone = now.astimezone(timezone).tzname() or settings.timezone
            live = chair_live_html(
                snapshot=view.quorum,
                entries=view.entries,
                started_at=view.session.started_at if view.session else None,
                viewer=view.viewer,
                timezone=timezone,
                wording=content.chair,
                panel=panel,
                reports=reports_html(view.reports, timezone, content.reports.status),
            )
            drawn = {"role": "chair", "live": live, "form": form_html(view.roster, zone, content.chair, panel)}
        case AttendeeView():
            drawn = {"role": "attendee", "live": deadlines_html(view.deadlines, timezone, content.reminders, panel)}
    version = hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest()[:32]
    return {**drawn, "version": version}


def _unavailable(request: web.Request, problem: Exception) -> web.Response:
    """The database or Teams failed: the page says it lost touch and tries again; the log has the why (ids only)."""
    logger.error("side panel not answered path=%s reason=%s", request.path, type(problem).__name__, exc_info=problem)
    return no_data(503, "the bot cannot answer just now", {"Retry-After": "10"})


async def _conference(request: web.Request) -> tuple[str, ConversationAddress] | web.Response:
    if not request.app[keys.DATABASE_READINESS].ready:
        return no_data(503, "the bot is starting", {"Retry-After": "10"})
    signed = await signed_in(request)
    if isinstance(signed, web.Response):
        return signed
    viewer, _ = signed
    conversation = identifier(request.query.get("conversation"), CONVERSATION_ID_LIMIT)
    meeting = identifier(request.query.get("meeting"), CONVERSATION_ID_LIMIT)
    try:
        chat = await request.app[keys.SERVICES].chair_panel.conference(conversation, meeting)
    except Exception as problem:
        return _unavailable(request, problem)
    if chat is None:
        return no_data(404, "no conference the bot knows is held there")
    return viewer, chat


async def panel(request: web.Request) -> web.Response:
    """`GET /api/tab/panel?conversation=<meeting chat id>&meeting=<meeting id>&seen=<version>` (either id will do:
    a channel meeting's tab knows the meeting, not the thread)."""
    found = await _conference(request)
    if isinstance(found, web.Response):
        return found
    viewer, chat = found
    held = request.app[keys.HELD_POLLS]
    if held[viewer] >= HELD_PER_VIEWER:
        return no_data(429, "too many panels open at once", {"Retry-After": "10"})
    held[viewer] += 1
    try:
        return await _held(request, viewer, chat)
    except Exception as problem:
        return _unavailable(request, problem)
    finally:
        held[viewer] -= 1
        if held[viewer] <= 0:
            del held[viewer]


async def _held(request: web.Request, viewer: str, chat: ConversationAddress) -> web.Response:
    services, stopping = request.app[keys.SERVICES], request.app[keys.STOPPING]
    seen = request.query.get("seen", "")[:VERSION_LIMIT]
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + PANEL_WAIT
    while True:
        mark = services.changes.mark()
        drawn = _drawn(request, await services.chair_panel.view(chat, viewer, request.app[keys.MAKINGS].clock()))
        left = give_up_at - loop.time()
        if drawn["version"] != seen or left <= 0 or stopping.is_set():
            return web.json_response(drawn, headers=API_HEADERS)
        await services.changes.wait(chat.conversation_id, min(PANEL_RECHECK, left), since=mark)


async def panel_action(request: web.Request) -> web.Response:
    """`POST /api/tab/panel/action?conversation=<meeting chat id>` with the log form's or an undo's fields, as the
    chair's cards send them: what the chair is told (the cards' own sentences, with names in them), as HTML."""
    found = await _conference(request)
    if isinstance(found, web.Response):
        return found
    viewer, chat = found
    try:
        value = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        value = None
    services = request.app[keys.SERVICES]
    try:
        said = await services.chair_panel.act(chat, viewer, value, request.app[keys.MAKINGS].clock())
    except Exception as problem:
        return _unavailable(request, problem)
    if said is None:
        return no_data(400, "not a log form or an undo")
    return web.json_response({"message": html_plain(said)}, headers=API_HEADERS)


def add_routes(app: web.Application) -> None:
    app[keys.HELD_POLLS] = Counter()
    app.router.add_get("/api/tab/panel", panel)
    app.router.add_post("/api/tab/panel/action", panel_action)
