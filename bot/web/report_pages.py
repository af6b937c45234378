"""The page an e-mailed report reminder's link opens: `GET /reports/confirm/<token>` asks, `POST` confirms.

Opening the link records nothing (mail scanners such as Safe Links open every link in a message); only the page's
button does, with the same token. The page needs no sign-in, names nobody and says nothing about the case but the
conference's kind, day and time. A forged, expired or used link gets a plain page saying so.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Final
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.domain.report_links import looks_like_token
from bot.usecases.report_confirmations import CONFIRM_PATH, LinkPage, PageState
from bot.web import keys
from cards.clock import clock, long_day
from cards.html_text import html_filled, html_text
from cards.wording.reminders import ConferenceKinds
from cards.wording.reports import PageWording

logger = logging.getLogger(__name__)

PAGE_POLICY: Final = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_STATUS: Final = {
    PageState.UNKNOWN: 404,
    PageState.EXPIRED: 410,
    PageState.USED: 410,
    PageState.CANCELLED: 410,
}


def _message(page: LinkPage, says: PageWording) -> str:
    return {
        PageState.CONFIRMED: says.confirmed,
        PageState.CONFIRMED_LATE: says.confirmed_late,
        PageState.ALREADY: says.already,
        PageState.WITHDRAWN: says.withdrawn,
        PageState.NOT_CONFIRMED: says.not_confirmed,
        PageState.UNKNOWN: says.unknown,
        PageState.EXPIRED: says.expired,
        PageState.USED: says.used,
        PageState.CANCELLED: says.cancelled,
    }[page.state]


def _button(token: str, title: str) -> str:
    action = escape(f"{CONFIRM_PATH}{token}", quote=True)
    return f'<form method="post" action="{action}">\n<button type="submit">{escape(title)}</button>\n</form>'


def page_body(page: LinkPage, token: str, says: PageWording, kinds: ConferenceKinds, timezone: ZoneInfo) -> str:
    parts = [f"<h1>{html_text(says.title)}</h1>"]
    stored = page.conference
    if page.state in (PageState.ASK_CONFIRM, PageState.ASK_WITHDRAW) and stored is not None:
        conference = stored.conference
        when = {
            "kind": kinds.of(conference.kind).name,
            "day": long_day(conference.start, timezone),
            "time": clock(conference.start, timezone),
        }
        if page.state is PageState.ASK_CONFIRM:
            parts += [f"<p>{html_filled(says.confirm_intro, **when)}</p>", _button(token, says.confirm_button)]
        else:
            parts += [f"<p>{html_filled(says.withdraw_intro, **when)}</p>", _button(token, says.withdraw_button)]
        return "\n".join(parts)
    parts.append(f'<p role="status">{html_text(_message(page, says))}</p>')
    if page.withdraw_token is not None:
        parts += [f"<p>{html_text(says.withdraw_offer)}</p>", _button(page.withdraw_token, says.withdraw_button)]
    parts.append(f'<p class="subtle">{html_text(says.closing)}</p>')
    return "\n".join(parts)


def _response(request: web.Request, page: LinkPage, token: str) -> web.Response:
    content = request.app[keys.MAKINGS].content
    says, kinds = content.reports.page, content.reminders.conference_kinds
    timezone = ZoneInfo(request.app[keys.SETTINGS].timezone)
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{escape(says.title)}</title>\n"
        '<link rel="stylesheet" href="/tab/static/meeting-tab.css">\n'
        f'</head>\n<body data-page="report">\n<main>\n{page_body(page, token, says, kinds, timezone)}\n</main>\n'
        "</body>\n</html>\n"
    )
    headers = {
        "Content-Security-Policy": PAGE_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Robots-Tag": "noindex, nofollow",
    }
    status = _STATUS.get(page.state, 200)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8", headers=headers)


async def _page(request: web.Request, *, act: bool) -> web.Response:
    token = request.match_info.get("token", "")
    confirmations = request.app[keys.SERVICES].report_confirmations
    if confirmations is None or not looks_like_token(token):
        return _response(request, LinkPage(PageState.UNKNOWN), "")
    now = request.app[keys.MAKINGS].clock()
    try:
        page = await (confirmations.act_on_link(token, now) if act else confirmations.open_link(token, now))
    except Exception:  # the database failing: a polite page, and nothing said about the link
        logger.exception("report link page failed")
        raise web.HTTPServiceUnavailable(text="Please try again in a few minutes.") from None
    return _response(request, page, token)


async def open_link(request: web.Request) -> web.Response:
    """`GET /reports/confirm/<token>`: asks; records nothing."""
    return await _page(request, act=False)


async def press(request: web.Request) -> web.Response:
    """`POST /reports/confirm/<token>`: the page's button."""
    return await _page(request, act=True)


def add_routes(app: web.Application) -> None:
    app.router.add_get(CONFIRM_PATH + "{token}", open_link)
    app.router.add_post(CONFIRM_PATH + "{token}", press)
