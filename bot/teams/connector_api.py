"""The bot's own calls to the Bot Connector's REST API: meeting roles and details, chat members, private chats,
proactive posts.

botbuilder 4.17's `TeamsInfo` meeting helpers call the wrong URL and block the event loop, so these are plain aiohttp
requests with the connector token (`connector_http.py`). Messages outside a turn are paced to Teams' limits for a bot
(`pacing.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import MeetingRole
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation
from bot.domain.stage import StagePage
from bot.domain.text import (
    AAD_OBJECT_ID_LIMIT,
    EMAIL_LIMIT,
    TEAMS_USER_ID_LIMIT,
    TENANT_ID_LIMIT,
    identifier,
    single_line,
)
from bot.teams.connector_http import ConnectorHttp
from bot.teams.connector_tokens import ConnectorTokens
from bot.teams.json_values import parse_time as _time
from bot.teams.json_values import text_or_none as _string
from bot.teams.pacing import TeamsPacing
from bot.teams.replies import card_activity, wire_activity
from bot.usecases.port_errors import TeamsCallError, TeamsFailure
from bot.usecases.replies import CardReply

_ERROR_CODE_LIMIT = 64


def _segment(value: str) -> str:
    return quote(value, safe="")


def _base(service_url: str) -> str:
    return service_url if service_url.endswith("/") else service_url + "/"


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class TeamsConnectorApi:
    """Implements the use cases' `MeetingDirectory`, `PrivateMessenger` and `StageNotifier` over the Bot Connector's
    REST API."""

    def __init__(self, http: ConnectorHttp, tokens: ConnectorTokens) -> None:
        self._http = http
        self._tokens = tokens
        self._pacing = TeamsPacing()

    async def post(self, chat: ConversationAddress, reply: CardReply) -> None:
        """Post a card into a conversation the bot is in, outside any turn (the pre-meeting card)."""
        await self._pacing.wait_turn(chat.conversation_id)
        await self._call(
            "POST",
            f"{_base(chat.service_url)}v3/conversations/{_segment(chat.conversation_id)}/activities",
            json=wire_activity(card_activity(reply)),
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
            graph_meeting_id=_string(details.get("msGraphResourceId")),
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
        activity = wire_activity(card_activity(reply))
        await self._pacing.wait_turn(conversation_id)
        await self._call(
            "POST",
            f"{base}v3/conversations/{_segment(conversation_id)}/activities",
            json=activity,
            forbidden=TeamsFailure.NOT_REACHABLE,
        )

    async def show_on_stage(
        self, chat: ConversationAddress, recipients: Sequence[str], page: StagePage
    ) -> dict[str, str]:
        """`POST v1/meetings/{id}/notification`, a targeted meeting notification: `page` on these people's meeting
        stage. 202 reaches them all; a 207 lists those it did not (`recipientsFailureInfo`)."""
        url = f"{_base(chat.service_url)}v1/meetings/{_segment(_meeting_id(chat))}/notification"
        surface = {"height": str(page.height), "width": str(page.width), "title": page.title, "url": page.url}
        body = {
            "type": "targetedMeetingNotification",
            "value": {
                "recipients": list(recipients),
                "surfaces": [{"surface": "meetingStage", "contentType": "task", "content": {"value": surface}}],
            },
        }
        answer = _mapping(await self._call("POST", url, json=body))
        failures: dict[str, str] = {}
        listed = answer.get("recipientsFailureInfo")
        for item in listed if isinstance(listed, list) else []:
            failure = _mapping(item)
            recipient = identifier(_string(failure.get("recipientMri")), TEAMS_USER_ID_LIMIT)
            if recipient is not None:
                failures[recipient] = identifier(_string(failure.get("errorCode")), _ERROR_CODE_LIMIT) or "unknown"
        return failures

    async def _call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        forbidden: TeamsFailure = TeamsFailure.NOT_IN_MEETING,
    ) -> Any:
        return await self._http.call(
            method, url, self._tokens.authorization, params=params, json=json, forbidden=forbidden
        )


def _meeting_id(chat: ConversationAddress) -> str:
    if not chat.meeting_id:
        raise TeamsCallError(TeamsFailure.NOT_IN_MEETING)
    return chat.meeting_id


def _chat_member(item: object) -> ChatMember | None:
    member = _mapping(item)
    teams_user_id = _string(member.get("id"))
    if teams_user_id is None:
        return None
    teams_user_id = identifier(teams_user_id, TEAMS_USER_ID_LIMIT)
    if teams_user_id is None:
        return None  # not an id the bot could keep or message: this member alone is left out
    principal_name = single_line(member.get("userPrincipalName"), EMAIL_LIMIT)
    return ChatMember(
        teams_user_id=teams_user_id,
        aad_object_id=identifier(member.get("aadObjectId"), AAD_OBJECT_ID_LIMIT),
        display_name=single_line(member.get("name")),
        email=single_line(member.get("email"), EMAIL_LIMIT) or principal_name,
        tenant_id=identifier(member.get("tenantId"), TENANT_ID_LIMIT),
        principal_name=principal_name,
    )
