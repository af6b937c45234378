"""A span for each HTTP request to Microsoft Graph, named by the documented route it takes (`permissions.GRAPH_CALLS`)
rather than by its URL: the URL carries ids and, in `$filter`, e-mail addresses. 429 answers are counted."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote, urlsplit

import httpx

from bot.graph.permissions import GRAPH_CALLS
from bot.telemetry.recording import count, span
from bot.telemetry.vocabulary import Attribute, MetricName, SpanName

UNLISTED_ROUTE = "(unlisted)"
"""A request to a route `GRAPH_CALLS` does not name (a test keeps the code from making one)."""


@cache
def _routes() -> tuple[tuple[re.Pattern[str], str], ...]:
    templates = sorted({call.path.partition("?")[0] for call in GRAPH_CALLS}, key=len, reverse=True)
    return tuple(
        (re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "/?$", re.IGNORECASE), template)
        for template in templates
    )


def graph_route(path: str, base_path: str = "/v1.0") -> str:
    """`/v1.0/users/4f…/calendarView/delta()` → `/users/{mailbox}/calendarView/delta` (msgraph writes a function's
    name with its brackets, Graph's documentation without)."""
    path = re.sub(r"\(\)(?=/|$)", "", unquote(path))
    if base_path and path.lower().startswith(base_path.lower()):
        path = path[len(base_path) :]
    return next((template for pattern, template in _routes() if pattern.match(path)), UNLISTED_ROUTE)


class TracedTransport(httpx.AsyncBaseTransport):
    """The transport msgraph sends through, each request in a span of its own (retries included, each its own)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, base_url: str) -> None:
        self._inner = inner
        self._base_path = urlsplit(base_url).path.rstrip("/")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        route = graph_route(request.url.path, self._base_path)
        attributes = {
            Attribute.HTTP_METHOD: request.method,
            Attribute.URL_TEMPLATE: route,
            Attribute.URL_FULL: f"{request.url.scheme}://{request.url.netloc.decode('ascii')}{self._base_path}{route}",
            Attribute.SERVER_ADDRESS: request.url.host,
            Attribute.SERVICE: "graph",
        }
        with span(SpanName.GRAPH_CALL, attributes, title=f"{request.method} {route}") as call:
            response = await self._inner.handle_async_request(request)
            call.set({Attribute.HTTP_STATUS: response.status_code})
            if response.status_code == 429:
                count(MetricName.THROTTLED, {Attribute.SERVICE: "graph"})
            if response.status_code >= 400:
                call.failed(f"HTTP {response.status_code}")
            return response

    async def aclose(self) -> None:
        await self._inner.aclose()
