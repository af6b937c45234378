"""The pre-meeting card, posted into the conference's meeting chat, installing the bot there first when it is not in
the chat and the administrator allowed that."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.conferences import Conference
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.outbox import Channel, Delivery
from bot.domain.roster import ChatMember
from bot.usecases.port_errors import InstallationError, TeamsCallError, TeamsFailure
from bot.usecases.ports import AppInstaller, ChatMessenger, ConversationDirectory, MeetingDirectory
from bot.usecases.replies import CardReply
from cards.content import ReminderWording
from cards.reminders import build_pre_meeting_card, mention_of

logger = logging.getLogger(__name__)

JUST_INSTALLED_RETRY = timedelta(seconds=30)
"""Teams takes a moment to let a newly installed bot post into the chat."""


class MeetingChatPoster:
    def __init__(
        self,
        *,
        conversations: ConversationDirectory,
        directory: MeetingDirectory,
        chats: ChatMessenger,
        installer: AppInstaller | None,
        timezone: ZoneInfo,
        wording: ReminderWording,
    ) -> None:
        self._wording = wording
        self._conversations = conversations
        self._directory = directory
        self._chats = chats
        self._installer = installer
        self._timezone = timezone
        self._members: dict[str, tuple[ChatMember, ...]] = {}
        self._reading: dict[str, asyncio.Lock] = {}

    def new_round(self) -> None:
        """Forget the member lists read so far: within one round of sending they are read once per chat (a
        conference's card and each invitee's reminder fall due together), never carried over to the next."""
        self._members.clear()
        self._reading.clear()

    async def members(self, chat_id: str) -> tuple[ChatMember, ...]:
        """Who is in the meeting chat, as Teams lists them; nothing when the bot is not in it or Teams cannot say
        (a failed read is not kept: the next reminder asks again). Reminders sent at once share one read."""
        async with self._reading.setdefault(chat_id, asyncio.Lock()):
            return await self._read_members(chat_id)

    async def _read_members(self, chat_id: str) -> tuple[ChatMember, ...]:
        if chat_id in self._members:
            return self._members[chat_id]
        chat = await self._conversations.find(chat_id)
        if chat is None:
            return ()
        try:
            members = await self._directory.chat_members(chat)
        except TeamsCallError as problem:
            logger.info("meeting chat members unavailable reason=%s", problem)
            return ()
        self._members[chat_id] = members
        return members

    async def post(self, conference: Conference) -> Delivery:
        if conference.chat_id is None:
            return Delivery.failed("no Teams meeting chat is known for this conference's join link")
        chat, installed = await self._conversations.find(conference.chat_id), False
        if chat is None:
            if self._installer is None:
                return Delivery.failed(
                    "the bot is not in this meeting's chat: add the app to the meeting when booking it "
                    "(or allow INSTALL_APP_IN_MEETING_CHATS)"
                )
            found = await self._install(self._installer, conference.chat_id)
            if isinstance(found, Delivery):
                return found
            chat, installed = found, True
        invitees = {person.email for person in conference.invitees}
        invited = [
            mention_of(member.teams_user_id, member.display_name)
            for member in await self.members(chat.conversation_id)
            if member.address in invitees and member.display_name
        ]
        reply = CardReply(
            build_pre_meeting_card(
                start=conference.start, timezone=self._timezone, invited=invited, wording=self._wording
            ),
            self._wording.sentences.pre_meeting.summary,
        )
        try:
            await self._chats.post(chat, reply)
        except TeamsCallError as problem:
            if installed and problem.failure is not TeamsFailure.UNAVAILABLE:
                return Delivery.retry(
                    "installed in the meeting chat; Teams is not letting the bot post yet",
                    after=JUST_INSTALLED_RETRY,
                    channel=Channel.MEETING_CHAT,
                )
            return teams_problem(problem, Channel.MEETING_CHAT)
        return Delivery.sent(Channel.MEETING_CHAT)

    async def _install(self, installer: AppInstaller, chat_id: str) -> ConversationAddress | Delivery:
        """Install the bot in the chat and say where to post; the bot learns the chat's address for good from the
        installation event Teams then sends it."""
        known = await self._conversations.latest()
        if known is None:
            return Delivery.failed(
                "the bot has not been in any Teams conversation yet, so does not know Teams' address"
            )
        try:
            await installer.install_in_chat(chat_id)
        except InstallationError as problem:
            reason = f"could not install the app in the meeting chat: {problem}"
            return Delivery.retry(reason) if problem.retry else Delivery.failed(reason)
        logger.info("app installed in a meeting chat")
        return ConversationAddress(
            conversation_id=chat_id,
            channel_id=known.channel_id,
            service_url=known.service_url,
            kind=ConversationKind.MEETING_CHAT,
            bot_id=known.bot_id,
            tenant_id=known.tenant_id,
        )


def teams_problem(problem: TeamsCallError, channel: Channel) -> Delivery:
    if problem.failure is TeamsFailure.UNAVAILABLE:
        wait = timedelta(seconds=problem.retry_after) if problem.retry_after else None
        return Delivery.retry(f"Teams did not take it ({problem})", after=wait, channel=channel)
    if problem.failure is TeamsFailure.NOT_REACHABLE:
        return Delivery.failed("not reachable in Teams: they do not have the app (403)", channel=channel)
    return Delivery.failed(f"Teams refused: {problem}", channel=channel)
