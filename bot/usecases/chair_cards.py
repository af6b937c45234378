"""When a conference starts, each of its chairs who has the app gets privately their chair's card: quorum now, log a
disconnection, the disconnection log, the summary so far, as buttons for that conference.

Run by the background follow-up on every instance: a session's cards are claimed before they are sent and settled
after, so two instances never both send them, and an instance stopped halfway leaves a claim that lapses.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.sessions import STALE_AFTER, MeetingSession
from bot.usecases.command_table import COMMANDS, Audience
from bot.usecases.conference_chairs import ConferenceChairs
from bot.usecases.port_errors import DirectoryUnavailableError, TeamsCallError
from bot.usecases.ports import ConversationDirectory, MeetingRecords, PrivateMessenger
from bot.usecases.replies import CardReply
from cards.chair_card import build_chair_card
from cards.wording.chair import ChairCardWording

logger = logging.getLogger(__name__)

CHAIR_CARD_COMMANDS: Final = tuple(entry.name for entry in COMMANDS if entry.audience is Audience.CHAIR)
"""The chair commands the card offers: every one, in the command table's order (each titled in `chair.yaml`)."""
ABANDONED_CLAIM = timedelta(minutes=5)


class ChairCards:
    def __init__(
        self,
        *,
        records: MeetingRecords,
        conversations: ConversationDirectory,
        chairs: ConferenceChairs,
        messenger: PrivateMessenger,
        timezone: ZoneInfo,
        wording: ChairCardWording,
    ) -> None:
        for command in CHAIR_CARD_COMMANDS:
            wording.title_of(command)  # a chair command with no button title stops start-up, not a conference
        self._records = records
        self._conversations = conversations
        self._chairs = chairs
        self._messenger = messenger
        self._timezone = timezone
        self._wording = wording

    async def deliver(self, now: datetime) -> None:
        waiting = await self._records.sessions_awaiting_chair_card(
            started_since=now - STALE_AFTER, claimed_before=now - ABANDONED_CLAIM
        )
        for session_id in waiting:
            if not await self._records.claim_chair_card(session_id, now=now, claimed_before=now - ABANDONED_CLAIM):
                continue  # another instance has them
            session = await self._records.session(session_id)
            if session is None:
                continue
            if await self._send(session):
                await self._records.settle_chair_card(session_id, now)

    async def _send(self, session: MeetingSession) -> bool:
        """Send each chair their card; False (to try again once the claim lapses) when the directory could not say
        who chairs."""
        chat = await self._conversations.find(session.conversation_id)
        if chat is None:
            logger.info("chair cards not sent: conversation unknown session=%d", session.id)
            return True
        try:
            chairs = await self._chairs.of(chat, session)
        except DirectoryUnavailableError:
            logger.warning("chair cards held back: the directory did not say who chairs session=%d", session.id)
            return False
        card = build_chair_card(
            started_at=session.started_at,
            timezone=self._timezone,
            conversation_id=chat.conversation_id,
            buttons=[(command, self._wording.title_of(command)) for command in CHAIR_CARD_COMMANDS],
            wording=self._wording,
        )
        for chair in chairs:
            person = chair.person
            try:
                await self._messenger.send_privately(
                    chat, person.teams_user_id or person.aad_object_id, CardReply(card, self._wording.reply)
                )
            except TeamsCallError as problem:
                logger.info(
                    "chair card not delivered session=%d user=%s reason=%s", session.id, person.aad_object_id, problem
                )
                continue
            logger.info("chair card sent session=%d user=%s", session.id, person.aad_object_id)
        return True
