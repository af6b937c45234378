"""A reminder to one invitee: privately in Teams when Teams lets the bot reach them (installing the app for them first
when the administrator allowed that), else by e-mail when e-mail reminders are on, else recorded as not reachable."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.conferences import Conference
from bot.domain.outbox import Channel, Delivery
from bot.usecases.port_errors import (
    DirectoryUnavailableError,
    InstallationError,
    MailError,
    TeamsCallError,
    TeamsFailure,
)
from bot.usecases.ports import AppInstaller, ConversationDirectory, PersonDirectory, PrivateMessenger, ReminderMailer
from bot.usecases.pre_meeting import MeetingChatPoster, teams_problem
from bot.usecases.replies import CardReply

logger = logging.getLogger(__name__)

JUST_INSTALLED_RETRY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class PersonalMessage:
    card: CardReply
    subject: str
    html: str | Callable[[], Awaitable[str]]
    """The e-mail's body, or how to make it when it is needed (a report reminder's link is made only for e-mail)."""


@dataclass(frozen=True, slots=True)
class _Identity:
    teams_id: str | None
    object_id: str | None
    problem: str | None = None
    """Why Teams cannot be used, when it cannot."""


class PersonalReminders:
    def __init__(
        self,
        *,
        conversations: ConversationDirectory,
        meeting_chats: MeetingChatPoster,
        messenger: PrivateMessenger,
        people: PersonDirectory | None,
        installer: AppInstaller | None,
        mailer: ReminderMailer | None,
    ) -> None:
        self._conversations = conversations
        self._meeting_chats = meeting_chats
        self._messenger = messenger
        self._people = people
        self._installer = installer
        self._mailer = mailer

    async def send(self, conference: Conference, email: str, message: PersonalMessage) -> Delivery:
        identity = await self._identity(email, conference)
        if isinstance(identity, Delivery):
            return identity
        not_in_teams = identity.problem
        if identity.teams_id is not None:
            outcome = await self._by_teams(conference, identity.teams_id, identity.object_id, message.card)
            if isinstance(outcome, Delivery):
                return outcome
            not_in_teams = outcome
        return await self._by_email(email, message, not_in_teams or "not reachable in Teams")

    async def _identity(self, email: str, conference: Conference) -> _Identity | Delivery:
        """Their Teams id from the meeting chat's members, else their Entra object id from the directory."""
        if conference.chat_id:
            for member in await self._meeting_chats.members(conference.chat_id):
                if member.address == email:
                    return _Identity(member.teams_user_id, member.aad_object_id)
        if self._people is None:
            return _Identity(None, None, "not in the meeting chat, and the directory is not available")
        try:
            object_id = await self._people.object_id(email)
        except DirectoryUnavailableError as problem:
            return Delivery.retry(f"directory look-up failed: {problem}")
        if object_id is None:
            return _Identity(None, None, "not reachable in Teams: not a user of this organisation")
        return _Identity(object_id, object_id)

    async def _by_teams(
        self, conference: Conference, teams_id: str, object_id: str | None, card: CardReply
    ) -> Delivery | str:
        """Delivered (or worth retrying), or why Teams cannot reach them."""
        chat = await self._conversations.find(conference.chat_id) if conference.chat_id else None
        base = chat or await self._conversations.latest()
        if base is None:
            return "the bot has not been in any Teams conversation yet"
        try:
            await self._messenger.send_privately(base, teams_id, card)
            return Delivery.sent(Channel.TEAMS)
        except TeamsCallError as problem:
            if problem.failure is not TeamsFailure.NOT_REACHABLE:
                return teams_problem(problem, Channel.TEAMS)
        if self._installer is None or object_id is None:
            return "not reachable in Teams: they do not have the app (403)"
        try:
            await self._installer.install_for_user(object_id)
        except InstallationError as problem:
            if problem.retry:
                return Delivery.retry(f"installing the app for them failed: {problem}", channel=Channel.TEAMS)
            return f"not reachable in Teams: no app, and installing it failed ({problem})"
        logger.info("app installed for an invitee")
        try:
            await self._messenger.send_privately(base, teams_id, card)
        except TeamsCallError:
            return Delivery.retry(
                "installed the app for them; Teams is not letting the bot message them yet",
                after=JUST_INSTALLED_RETRY,
                channel=Channel.TEAMS,
            )
        return Delivery.sent(Channel.TEAMS)

    async def _by_email(self, email: str, message: PersonalMessage, not_in_teams: str) -> Delivery:
        if self._mailer is None:
            return Delivery.failed(f"{not_in_teams}; e-mail reminders are off")
        try:
            html = message.html if isinstance(message.html, str) else await message.html()
            await self._mailer.send(email, message.subject, html)
        except MailError as problem:
            if problem.retry:
                return Delivery.retry(f"e-mail not sent: {problem}", channel=Channel.EMAIL)
            return Delivery.failed(f"{not_in_teams}; e-mail not sent: {problem}", channel=Channel.EMAIL)
        return Delivery.sent(Channel.EMAIL)
