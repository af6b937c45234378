"""The bot's own calls to the Bot Connector's REST API: meeting roles and details, chat members, private chats,
proactive posts.

botbuilder 4.17's `TeamsInfo` meeting helpers call the wrong URL and block the event loop, so these are plain aiohttp
requests, with the connector token, a time limit on each, and a few retries when Teams asks the bot to slow down
(waiting as long as its `Retry-After` says, when that is short). Messages are paced to Teams' limits for a bot
(`pacing.py`). Every failure becomes a `TeamsCallError` saying what it means
for the person waiting on it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import MeetingRole
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation, TeamsCallError, TeamsFailure
from bot.teams.connector_tokens import ConnectorTokens
from bot.teams.json_values import parse_time as _time
from bot.teams.json_values import text_or_none as _string
from bot.teams.pacing import TeamsPacing
from bot.teams.replies import card_activity
from bot.usecases.replies import CardReply

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 10.0
_ATTEMPTS = 3
_LONGEST_WAIT_IN_CALL = 4.0
"""A longer Retry-After ends the call; the reminder outbox tries again that much later."""


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


def _segment(value: str) -> str:
    return quote(value, safe="")


def _base(service_url: str) -> str:
    return service_url if service_url.endswith("/") else service_url + "/"


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class TeamsConnectorApi:
    """Implements the use cases' `MeetingDirectory` and `PrivateMessenger` over the Bot Connector's REST API."""

    def __init__(
        self, session: aiohttp.ClientSession, tokens: ConnectorTokens, *, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> None:
        self._session = session
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._pacing = TeamsPacing()

    async def post(self, chat: ConversationAddress, reply: CardReply) -> None:
        """Post a card into a conversation the bot is in, outside any turn (the pre-meeting card)."""
        await self._pacing.wait_turn(chat.conversation_id)
        await self._call(
            "POST",
            f"{_base(chat.service_url)}v3/conversations/{_segment(chat.conversation_id)}/activities",
            json=card_activity(reply).serialize(),
        )

    async def participation(self, chat: ConversationAddress, aad_object_id: str) -> MeetingParticipation:
        meeting_id = _meeting_id(chat)
        url = f"{_base(chat.service_url)}v1/meetings/{_segment(meeting_id)}/participants/{_segment(aad_object_id)}"
        body = _mapping(await self._call("GET", url, params={"tenantId": chat.tenant_id} if chat.tenant_id else None))
        meeting = _mapping(body.get("meeting"))
        return MeetingParticipation(
            role=MeetingRole.parse(meeting.get("role")), in_meeting=meeting.get("inMeeting") is True
        )

    async def meeting_info(self, chat: ConversationAddress) -> MeetingInfo:
        url = f"{_base(chat.service_url)}v1/meetings/{_segment(_meeting_id(chat))}"
        body = _mapping(await self._call("GET", url))
        details = _mapping(body.get("details"))
        organizer = _mapping(body.get("organizer"))
        return MeetingInfo(
            organizer_aad_object_id=_string(organizer.get("aadObjectId")),
            scheduled_start=_time(details.get("scheduledStartTime")),
            scheduled_end=_time(details.get("scheduledEndTime")),
        )

    async def chat_members(self, chat: ConversationAddress) -> tuple[ChatMember, ...]:
        url = f"{_base(chat.service_url)}v3/conversations/{_segment(chat.conversation_id)}/members"
        members = await self._call("GET", url)
        if not isinstance(members, list):
            raise TeamsCallError(TeamsFailure.UNAVAILABLE)
        return tuple(member for item in members if (member := _chat_member(item)) is not None)

    async def send_privately(self, chat: ConversationAddress, person_id: str, reply: CardReply) -> None:
        """Post a card to a person in their 1:1 chat with the bot (which Teams creates, or finds, on request).

        `person_id` is their Teams user id (`29:…`) or Entra object id. Raises NOT_REACHABLE when Teams refuses
        because the person does not have the app."""
        base = _base(chat.service_url)
        conversation = _mapping(
            await self._call(
                "POST",
                f"{base}v3/conversations",
                json={
                    "isGroup": False,
                    "bot": {"id": chat.bot_id},
                    "members": [{"id": person_id}],
                    "tenantId": chat.tenant_id,
                    "channelData": {"tenant": {"id": chat.tenant_id}},
                },
                forbidden=TeamsFailure.NOT_REACHABLE,
            )
        )
        conversation_id = _string(conversation.get("id"))
        if conversation_id is None:
            raise TeamsCallError(TeamsFailure.UNAVAILABLE)
        activity = card_activity(reply).serialize()
        await self._pacing.wait_turn(conversation_id)
        await self._call(
            "POST",
            f"{base}v3/conversations/{_segment(conversation_id)}/activities",
            json=activity,
            forbidden=TeamsFailure.NOT_REACHABLE,
        )

    async def _call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        forbidden: TeamsFailure = TeamsFailure.NOT_IN_MEETING,
    ) -> Any:
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(_ATTEMPTS),
                wait=_wait,
                retry=retry_if_exception(_retry_while_short),
                reraise=True,
            ):
                with attempt:
                    return await self._once(method, url, params, json, forbidden)
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
        params: Mapping[str, str] | None,
        json: Mapping[str, Any] | None,
        forbidden: TeamsFailure,
    ) -> Any:
        headers = {}
        if (authorization := await self._tokens.authorization()) is not None:
            headers["Authorization"] = authorization
        async with self._session.request(
            method, url, params=params, json=json, headers=headers, timeout=self._timeout
        ) as response:
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


def _meeting_id(chat: ConversationAddress) -> str:
    if not chat.meeting_id:
        raise TeamsCallError(TeamsFailure.NOT_IN_MEETING)
    return chat.meeting_id


def _chat_member(item: object) -> ChatMember | None:
    member = _mapping(item)
    teams_user_id = _string(member.get("id"))
    if teams_user_id is None:
        return None
    return ChatMember(
        teams_user_id=teams_user_id,
        aad_object_id=_string(member.get("aadObjectId")),
        display_name=_string(member.get("name")),
        email=_string(member.get("email")) or _string(member.get("userPrincipalName")),
        tenant_id=_string(member.get("tenantId")),
        principal_name=_string(member.get("userPrincipalName")),
    )
