"""`POST /api/messages`: checks the request, authenticates it and runs the turn through botbuilder's CloudAdapter
(`adapter.py`, which keeps the per-turn clients instead of rebuilding them).

botbuilder's own `CloudAdapter.process` answers 500 to a missing Content-Type, a body that is not JSON, JSON that is
not an activity and a malformed token; here those are 400 and 401, and a turn's own failure never reaches the HTTP
response (the turn error handler deals with it).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.schema import Activity
from botbuilder.schema.teams import TeamsChannelData
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot.domain.clock import Clock, utc_now
from bot.domain.text import (
    AAD_OBJECT_ID_LIMIT,
    CONVERSATION_ID_LIMIT,
    SERVICE_URL_LIMIT,
    TEAMS_USER_ID_LIMIT,
    TENANT_ID_LIMIT,
)
from bot.teams.activities import conversation_kind, meeting_id, tenant_id
from bot.teams.adapter import TeamsCloudAdapter
from bot.teams.connector_http import ConnectorHttp
from bot.teams.handler import ConferenceBot
from bot.teams.inbound_json import UnreadableJsonError, read_json
from bot.teams.turn_errors import new_correlation_id, turn_error_handler
from bot.telemetry.recording import Attributes, AttributeValue, count, span
from bot.telemetry.vocabulary import ACTIVITY_TYPES, HANDLED_ACTIVITY_NAMES, Attribute, MetricName, SpanName
from bot.usecases.ports import RefusedTenantAudit

logger = logging.getLogger(__name__)

BODY_TIMEOUT_SECONDS = 10.0
"""Teams sends an activity's body at once; a body still incomplete after this is answered 408 and the connection
closed, so a slow client cannot hold a connection (and a request's memory) open."""


class InvalidActivityError(Exception):
    """The request body is not a Bot Framework activity; the message says why (safe to show the caller)."""


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def parse_activity(body: bytes) -> Activity:
    """The activity in a request body, or InvalidActivityError. Checks the parts every turn relies on."""
    try:
        payload: Any = read_json(body)
    except UnreadableJsonError as problem:
        raise InvalidActivityError(str(problem)) from None
    if not isinstance(payload, dict):
        raise InvalidActivityError("the body is not an activity object")
    if not isinstance(payload.get("type"), str) or not payload["type"]:
        raise InvalidActivityError("the activity has no type")
    service_url = payload.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
        raise InvalidActivityError("the activity has no valid serviceUrl")
    conversation = payload.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
        raise InvalidActivityError("the activity has no conversation id")
    try:
        activity = Activity().deserialize(payload)
    except Exception:
        raise InvalidActivityError("the activity could not be read") from None
    _check_channel_data(activity.channel_data)
    _check_lengths(activity)
    return activity


def _check_lengths(activity: Activity) -> None:
    """The ids the bot keeps fit the columns that keep them (Teams' own are far shorter): an activity with a longer
    one is refused whole, rather than failing when it is stored or being confused with another once cut short."""
    bounded = {
        "serviceUrl": (activity.service_url, SERVICE_URL_LIMIT),
        "conversation.id": (getattr(activity.conversation, "id", None), CONVERSATION_ID_LIMIT),
        "channelData.meeting.id": (meeting_id(activity), CONVERSATION_ID_LIMIT),
        "tenant id": (tenant_id(activity), TENANT_ID_LIMIT),
        "from.id": (getattr(activity.from_property, "id", None), TEAMS_USER_ID_LIMIT),
        "from.aadObjectId": (getattr(activity.from_property, "aad_object_id", None), AAD_OBJECT_ID_LIMIT),
        "recipient.id": (getattr(activity.recipient, "id", None), TEAMS_USER_ID_LIMIT),
    }
    for field, (value, limit) in bounded.items():
        if isinstance(value, str) and len(value) > limit:
            raise InvalidActivityError(f"the activity's {field} is longer than {limit} characters")


def _check_channel_data(channel_data: object) -> None:
    """botbuilder's Teams handler reads channelData as TeamsChannelData mid-turn and raises if it cannot; an activity
    whose channelData is not one is refused here instead."""
    if channel_data is None:
        return
    if not isinstance(channel_data, dict):
        raise InvalidActivityError("the activity's channelData is not an object")
    try:
        TeamsChannelData().deserialize(channel_data)
    except Exception:
        raise InvalidActivityError("the activity's channelData could not be read") from None


def is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _activity_type(activity: Activity) -> str:
    return activity.type if activity.type in ACTIVITY_TYPES else "other"


def _turn_attributes(activity: Activity) -> Attributes:
    """What a turn's span says of its activity: kinds, never contents (names only of the events the bot handles)."""
    attributes: dict[Attribute, AttributeValue] = {
        Attribute.ACTIVITY_TYPE: _activity_type(activity),
        Attribute.CONVERSATION_KIND: conversation_kind(activity).value,
    }
    if activity.name:
        attributes[Attribute.ACTIVITY_NAME] = activity.name if activity.name in HANDLED_ACTIVITY_NAMES else "other"
    return attributes


def _outcome(status: int) -> str:
    """A turn's outcome by its answer: refused (not signed, or not for this bot), error, or ok (an invoke answered
    4xx included: the bot answered it)."""
    if status in (401, 403):
        return "refused"
    return "error" if status >= 500 else "ok"


class MessagesEndpoint:
    def __init__(
        self,
        authentication: BotFrameworkAuthentication,
        bot: ConferenceBot,
        http: ConnectorHttp,
        *,
        local_mode: bool,
        apology: str,
        allowed_tenants: frozenset[str] = frozenset(),
        refused_tenants: RefusedTenantAudit | None = None,
        body_timeout: float | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._clock = clock
        self._chosen_body_timeout = body_timeout
        self._allowed_tenants = allowed_tenants
        self._refused_tenants = refused_tenants
        self._authentication = authentication
        self._adapter = TeamsCloudAdapter(authentication, http)
        self._adapter.on_turn_error = turn_error_handler(apology)
        self._bot = bot
        self._local_mode = local_mode

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self._local_mode and not is_loopback(request.remote):
            return _error(403, "this bot runs in local mode and accepts requests from this machine only")
        body = await self._read_body(request)
        if isinstance(body, web.Response):
            return body
        try:
            activity = parse_activity(body)
        except InvalidActivityError as problem:
            return _error(400, str(problem))

        with span(SpanName.TURN, _turn_attributes(activity)) as turn:
            response, ignored = await self._turn(activity, request)
            outcome = "ignored" if ignored else _outcome(response.status)
            turn.set({Attribute.HTTP_STATUS: response.status, Attribute.OUTCOME: outcome})
            if outcome == "error":
                turn.failed(f"HTTP {response.status}")
        count(MetricName.TURNS, {Attribute.ACTIVITY_TYPE: _activity_type(activity), Attribute.OUTCOME: outcome})
        return response

    async def _turn(self, activity: Activity, request: web.Request) -> tuple[web.Response, bool]:
        """The answer, and whether the activity was ignored (from a tenant the bot does not serve)."""
        authenticated = await self._authenticate(activity, request.headers.get("Authorization", ""))
        if isinstance(authenticated, web.Response):
            return authenticated, False

        if self._allowed_tenants and (tenant_id(activity) or "").lower() not in self._allowed_tenants:
            # Answered 200, so Teams does not retry it; nothing is run, sent or stored.
            logger.warning(
                "activity from a tenant the bot does not serve ignored tenant=%s activity=%s conversation=%s",
                tenant_id(activity),
                activity.id,
                activity.conversation.id,
            )
            await self._audit_refused_tenant(tenant_id(activity))
            return web.Response(status=200), True
        logger.debug(
            "activity received id=%s type=%s conversation=%s",
            activity.id,
            activity.type,
            activity.conversation.id,
        )
        try:
            invoke_response = await self._adapter.process_activity(authenticated, activity, self._bot.on_turn)
        except Exception:
            correlation_id = new_correlation_id()
            logger.exception("activity could not be processed correlation=%s activity=%s", correlation_id, activity.id)
            return _error(500, f"the activity could not be processed (reference {correlation_id})"), False
        if invoke_response is not None:
            return web.json_response(serializer_helper(invoke_response.body), status=invoke_response.status), False
        return web.Response(status=200), False

    @property
    def _body_timeout(self) -> float:
        return self._chosen_body_timeout or BODY_TIMEOUT_SECONDS

    async def _read_body(self, request: web.Request) -> bytes | web.Response:
        """The whole body; 408 (closing the connection) when it is not complete in time. A client gone mid-body is
        noted, not treated as the bot's failure."""
        try:
            async with asyncio.timeout(self._body_timeout):
                return await request.read()
        except TimeoutError:
            logger.info("request body incomplete after %.0f s; connection closed", self._body_timeout)
            response = _error(408, f"the request body did not arrive within {self._body_timeout:.0f} seconds")
            response.force_close()
            # Sent and closed here: aiohttp would otherwise keep the connection open for its lingering time, reading
            # the rest of a body that is not coming.
            await response.prepare(request)
            await response.write_eof()
            if request.transport is not None:
                request.transport.close()
            return response
        except ConnectionError:
            logger.info("client disconnected before sending the whole request body")
            response = web.Response(status=400)
            response.force_close()
            return response

    async def _audit_refused_tenant(self, tenant: str | None) -> None:
        if self._refused_tenants is None:
            return
        try:
            await self._refused_tenants.record(tenant, self._clock())
        except Exception:  # the refusal stands; only its count is lost
            logger.warning("refused tenant not counted tenant=%s", tenant, exc_info=True)

    async def _authenticate(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult | web.Response:
        try:
            result: AuthenticateRequestResult = await self._authentication.authenticate_request(activity, auth_header)
        except PermissionError:
            return _error(401, "a valid Bot Framework token is required")
        except OSError as error:
            logger.warning(
                "could not reach the token signing keys (%s); refusing activity=%s", type(error).__name__, activity.id
            )
            return _error(503, "authentication is unavailable, try again later")
        except Exception as error:
            # A malformed, expired or wrongly signed token surfaces as a jwt error or a bare Exception.
            logger.info("token refused activity=%s reason=%s", activity.id, type(error).__name__)
            return _error(401, "a valid Bot Framework token is required")
        return result
