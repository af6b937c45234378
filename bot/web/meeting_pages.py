"""The meeting tab's pages, served by the bot: the configuration page Teams shows when the app is added to a meeting
(through + in the meeting), and the tab itself, which everyone in the meeting can open in its side panel.

Every page is whole HTML from the bot's content (escaped: only the wording's bold is markup), with its own script
and stylesheet from `pages/static/` and a Content-Security-Policy that lets only Teams and Microsoft 365 frame it.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import Final

from aiohttp import web

from bot.domain.card_actions import LOG_ACTION, UNDO_ACTION
from bot.domain.text import CONVERSATION_ID_LIMIT, identifier
from bot.web import keys, meeting_panel
from bot.web.page_viewer import API_HEADERS, no_data, signed_in
from cards.html_text import html_text
from cards.wording.expectations import ExpectationsContent

logger = logging.getLogger(__name__)

STATIC_DIRECTORY: Final = Path(__file__).parent / "pages" / "static"
BUNDLE: Final = STATIC_DIRECTORY / "meeting-tab.js"
ENTITY_ID: Final = "cp-conference"
"""The tab's id within a meeting (the same for every meeting: a conference has one tab)."""

TEAMS_HOSTS: Final = (
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://teams.cloud.microsoft",
    "https://*.cloud.microsoft",
    "https://*.office.com",
    "https://*.microsoft365.com",
    "https://outlook.office.com",
    "https://outlook.office365.com",
    "https://*.teams.microsoft.us",
    "https://dod.teams.microsoft.us",
)
"""Where Teams and Microsoft 365 run a tab in a frame: the only pages that may frame these."""


def content_security_policy(*, local_mode: bool) -> str:
    """Scripts, styles and calls from the bot itself only; framed only by Teams and Microsoft 365 (and, in local mode,
    by pages on this machine, such as the tests' stand-in for the Teams host)."""
    ancestors = " ".join((*TEAMS_HOSTS, *(("http://127.0.0.1:*", "http://localhost:*") if local_mode else ())))
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        f"base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )


def _page(
    request: web.Request, *, page: str, title: str, body: str, data: dict[str, str] | None = None
) -> web.Response:
    attributes = "".join(f' data-{name}="{escape(value, quote=True)}"' for name, value in (data or {}).items())
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB" data-theme="default">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" href="/tab/static/meeting-tab.css">\n'
        '<script src="/tab/static/meeting-tab.js" defer></script>\n'
        f'</head>\n<body data-page="{page}"{attributes}>\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )
    settings = request.app[keys.SETTINGS]
    headers = {
        "Content-Security-Policy": content_security_policy(local_mode=settings.local_mode),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
    return web.Response(text=html, content_type="text/html", charset="utf-8", headers=headers)


def public_origin(request: web.Request) -> str:
    """The bot's address as Teams knows it: PUBLIC_BASE_URL, or where this request came (local mode, tests)."""
    configured = request.app[keys.SETTINGS].public_base_url
    return configured or f"{request.scheme}://{request.host}"


async def tab_config(request: web.Request) -> web.Response:
    """`GET /tab/config`: what an organiser sees when adding the app to a meeting; Save adds the tab."""
    content = request.app[keys.MAKINGS].content
    wording = content.pages.config
    body = (
        f"<h1>{html_text(wording.title)}</h1>\n<p>{html_text(wording.intro)}</p>\n"
        f'<p class="outside-teams" role="status">{html_text(wording.not_in_teams)}</p>'
    )
    data = {
        "entity-id": ENTITY_ID,
        "content-url": f"{public_origin(request)}/tab/meeting",
        "tab-name": content.pages.tab_name,
    }
    return _page(request, page="config", title=wording.title, body=body, data=data)


async def tab_meeting(request: web.Request) -> web.Response:
    """`GET /tab/meeting`: the tab in the meeting and its side panel. Everyone reads the expectations; above them the
    page's script puts what the bot draws for the viewer once they are signed in (`meeting_panel`): the chair's
    view for a chair of the conference, their own report deadlines for anyone else."""
    makings, settings = request.app[keys.MAKINGS], request.app[keys.SETTINGS]
    expectations, panel = makings.content.expectations, makings.content.pages.panel
    statuses = "\n".join(
        f'<p data-status="{name}" role="status" hidden>{html_text(words)}</p>'
        for name, words in (
            ("loading", panel.loading),
            ("offline", panel.offline),
            ("sign-in-failed", panel.sign_in_failed),
            ("not-a-conference", panel.not_a_conference),
        )
    )
    body = (
        f'<div id="panel" class="panel">\n{statuses}\n<div id="panel-live"></div>\n<div id="panel-form"></div>\n'
        '<p id="panel-message" role="status" aria-live="polite"></p>\n</div>\n'
        f'<div class="expectations">\n{expectations_html(expectations)}\n</div>'
    )
    data = {
        "sign-in": "local" if settings.local_mode else "teams",
        "zone": settings.timezone,
        "log-action": LOG_ACTION,
        "undo-action": UNDO_ACTION,
    }
    return _page(request, page="meeting", title=expectations.title, body=body, data=data)


async def tab_stage(request: web.Request) -> web.Response:
    """`GET /tab/stage`: the expectations alone, for the meeting stage (the in-meeting notification everyone sees
    when the conference starts, and the one each late joiner gets): nothing to sign in to, nothing personal."""
    expectations = request.app[keys.MAKINGS].content.expectations
    return _page(request, page="stage", title=expectations.title, body=expectations_html(expectations))


def expectations_html(expectations: ExpectationsContent) -> str:
    sections = "\n".join(
        f"<section>\n<h2>{html_text(section.heading)}</h2>\n<ul>\n"
        + "\n".join(f"<li>{html_text(point)}</li>" for point in section.points)
        + "\n</ul>\n</section>"
        for section in expectations.sections
    )
    return (
        f"<h1>{html_text(expectations.title)}</h1>\n<p>{html_text(expectations.intro)}</p>\n{sections}\n"
        f'<p class="subtle">{html_text(expectations.closing)}</p>'
    )


async def tab_static(request: web.Request) -> web.StreamResponse:
    """`GET /tab/static/{name}`: the tab's stylesheet and its bundled script, and nothing else."""
    name = request.match_info["name"]
    if name not in ("meeting-tab.css", "meeting-tab.js"):
        raise web.HTTPNotFound()
    path = STATIC_DIRECTORY / name
    if not path.is_file():
        logger.warning("meeting tab file missing name=%s (run `make pages`)", name)
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


async def tab_viewer(request: web.Request) -> web.Response:
    """`GET /api/tab/viewer?conversation=<meeting chat id>`: whether the person looking at the tab chairs that
    conference. 401 with no data for a missing or bad token; in local mode a local identity, labelled so."""
    services = request.app[keys.SERVICES]
    signed = await signed_in(request)
    if isinstance(signed, web.Response):
        return signed
    viewer, identity = signed
    conversation = identifier(request.query.get("conversation"), CONVERSATION_ID_LIMIT)
    role = await services.meeting_page.role(conversation, viewer) if conversation else None
    if role is None:
        return no_data(404, "no conference the bot knows is held there")
    return web.json_response({"identity": identity, "chair": role.chair}, headers=API_HEADERS)


def add_routes(app: web.Application) -> None:
    if not BUNDLE.is_file():
        logger.warning("the meeting tab's script is not built: run `make pages` (the tab shows its text without it)")
    app.router.add_get("/tab/config", tab_config)
    app.router.add_get("/tab/meeting", tab_meeting)
    app.router.add_get("/tab/stage", tab_stage)
    app.router.add_get("/tab/static/{name}", tab_static)
    app.router.add_get("/api/tab/viewer", tab_viewer)
    meeting_panel.add_routes(app)
