"""One call to the Bot Connector's REST API over the app's shared aiohttp session (kept-alive connections), with a
time limit and a few retries when Teams asks the bot to slow down (waiting as long as its `Retry-After` says, when
that is short). Every failure becomes a `TeamsCallError` saying what it means for the person waiting on it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

import aiohttp
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential

from bot.telemetry.recording import RecordingSpan, count, span
from bot.telemetry.vocabulary import Attribute, MetricName, SpanName
from bot.usecases.port_errors import TeamsCallError, TeamsFailure

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 10.0
_ATTEMPTS = 3
_LONGEST_WAIT_IN_CALL = 4.0
"""A longer Retry-After ends the call; the reminder outbox tries again that much later."""

Authorization = Callable[[], Awaitable[str | None]]
"""The Authorization header value for the next request, or None where the connector needs none (local mode)."""


class _RetryableStatusError(Exception):
    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


def _retry_after(header: str | None) -> float | None:
    try:
        return max(0.0, float(header)) if header is not None else None
    except ValueError:
        return None  # an HTTP date: rare from Teams; the exponential wait applies


_exponential = wait_exponential(multiplier=0.5, max=_LONGEST_WAIT_IN_CALL)


def _wait(state: RetryCallState) -> float:
    problem = state.outcome.exception() if state.outcome else None
    asked = problem.retry_after if isinstance(problem, _RetryableStatusError) else None
    return max(_exponential(state), asked or 0.0)


def _retry_while_short(problem: BaseException) -> bool:
    if not isinstance(problem, _RetryableStatusError):
        return False
    return problem.retry_after is None or problem.retry_after <= _LONGEST_WAIT_IN_CALL


_ID_AFTER: Final = {
    "conversations": "{conversationId}",
    "activities": "{activityId}",
    "members": "{memberId}",
    "meetings": "{meetingId}",
    "participants": "{participantId}",
    "teams": "{teamId}",
}
"""In a Bot Connector path, the segment after each of these is an id."""


def route_template(path: str) -> str:
    """`/amer/v3/conversations/19:abc/activities/1` → `/amer/v3/conversations/{conversationId}/activities/{activityId}`:
    a route to name a call by, without the ids (which vary without end, and are not the telemetry's business)."""
    template: list[str] = []
    placeholder: str | None = None
    for segment in path.strip("/").split("/"):
        template.append(placeholder or segment)
        placeholder = None if placeholder else _ID_AFTER.get(segment)
    return "/" + "/".join(template)


class ConnectorHttp:
    def __init__(self, session: aiohttp.ClientSession, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def call(
        self,
        method: str,
        url: str,
        authorization: Authorization,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        forbidden: TeamsFailure = TeamsFailure.NOT_IN_MEETING,
    ) -> Any:
        """The answer's JSON body (`{}` when it has none). 401/403 raise `forbidden`, 404 MEETING_EXPIRED."""
        parts = urlsplit(url)
        route = route_template(parts.path)
        called = {
            Attribute.HTTP_METHOD: method,
            Attribute.URL_TEMPLATE: route,
            Attribute.URL_FULL: f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{route}",
            Attribute.SERVER_ADDRESS: parts.hostname or "",
            Attribute.SERVICE: "teams",
        }
        with span(SpanName.CONNECTOR_CALL, called, title=f"{method} {route}") as call:
            try:
                async for attempt in AsyncRetrying(
                    stop=stop_after_attempt(_ATTEMPTS),
                    wait=_wait,
                    retry=retry_if_exception(_retry_while_short),
                    reraise=True,
                ):
                    with attempt:
                        return await self._once(method, url, authorization, params, json, forbidden, call)
            except _RetryableStatusError as busy:
                raise TeamsCallError(TeamsFailure.UNAVAILABLE, busy.status, retry_after=busy.retry_after) from None
            except (aiohttp.ClientError, TimeoutError) as problem:
                logger.warning("Teams call failed method=%s reason=%s", method, type(problem).__name__)
                raise TeamsCallError(TeamsFailure.UNAVAILABLE) from None
        raise AssertionError("unreachable: tenacity either returns or re-raises")  # pragma: no cover

    async def _once(
        self,
        method: str,
        url: str,
        authorization: Authorization,
        params: Mapping[str, str] | None,
        json: Mapping[str, Any] | None,
        forbidden: TeamsFailure,
        call: RecordingSpan,
    ) -> Any:
        headers = {}
        if (header := await authorization()) is not None:
            headers["Authorization"] = header
        async with self._session.request(
            method, url, params=params, json=json, headers=headers, timeout=self._timeout
        ) as response:
            call.set({Attribute.HTTP_STATUS: response.status})
            if response.status == 429:
                count(MetricName.THROTTLED, {Attribute.SERVICE: "teams"})
            if response.status == 429 or response.status >= 500:
                raise _RetryableStatusError(response.status, _retry_after(response.headers.get("Retry-After")))
            if response.status in (401, 403):
                raise TeamsCallError(forbidden, response.status)
            if response.status == 404:
                raise TeamsCallError(TeamsFailure.MEETING_EXPIRED, response.status)
            if response.status >= 400:
                raise TeamsCallError(TeamsFailure.UNAVAILABLE, response.status)
            if response.status == 204 or response.content_length == 0:
                return {}
            return await response.json(content_type=None)
