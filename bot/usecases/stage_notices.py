"""The expectations on the meeting stage of each person who joins a conference after it started.

Everyone in the meeting when it starts sees them with the start card (its in-meeting alert). Someone who joins later
has missed that, so the bot shows them the same page privately, through Teams' targeted meeting notification:
once per person per session, whichever instance receives the join and however often Teams delivers it. What Teams
says is recorded and never tried again (a refusal stays a refusal; a storm of retries would only repeat it). A claim
whose holder stopped before sending is taken over after `CLAIM_LAPSES` by the next join or the follow-up.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import Participant
from bot.domain.stage import TARGETED_RECIPIENTS_LIMIT, StageOutcome, StagePage, StageRecipient
from bot.usecases.port_errors import TeamsCallError, TeamsFailure
from bot.usecases.ports import ConversationDirectory, MeetingRecords, StageNotices, StageNotifier

logger = logging.getLogger(__name__)

CLAIM_LAPSES: Final = timedelta(minutes=2)
"""Longer than a notification can take (three tries of at most the Teams time limit each)."""

_BOT_PREFIX = "28:"


class StageNotifications:
    def __init__(
        self,
        *,
        notices: StageNotices,
        notifier: StageNotifier,
        conversations: ConversationDirectory,
        records: MeetingRecords,
        page: StagePage,
        claim_lapses: timedelta = CLAIM_LAPSES,
    ) -> None:
        self._notices = notices
        self._notifier = notifier
        self._conversations = conversations
        self._records = records
        self._page = page
        self._claim_lapses = claim_lapses

    async def joined_late(
        self, conversation_id: str, session_id: int, participants: Sequence[Participant], now: datetime
    ) -> None:
        """`participants` joined session `session_id` after its start card was posted."""
        people = [
            StageRecipient(person.aad_object_id.lower(), person.teams_user_id)
            for person in participants
            if person.aad_object_id and not (person.teams_user_id or "").startswith(_BOT_PREFIX)
        ]
        claimed = await self._notices.claim(session_id, people, now=now, claimed_before=now - self._claim_lapses)
        await self._deliver(conversation_id, session_id, claimed, now)

    async def resume_abandoned(self, now: datetime) -> None:
        """Claims whose holder stopped before sending (a restart mid-send), in conferences still running: sent now by
        whichever instance takes them over."""
        claimed_before = now - self._claim_lapses
        for session_id, people in (await self._notices.abandoned(claimed_before=claimed_before)).items():
            session = await self._records.session(session_id)
            if session is not None:
                taken = await self._notices.claim(session_id, people, now=now, claimed_before=claimed_before)
                await self._deliver(session.conversation_id, session_id, taken, now)

    async def _deliver(
        self, conversation_id: str, session_id: int, claimed: list[StageRecipient], now: datetime
    ) -> None:
        if not claimed:
            return
        chat = await self._conversations.find(conversation_id)
        if chat is None:
            logger.info("stage notification without a known conversation session=%d", session_id)
            unknown = (StageOutcome.FAILED, "no-conversation")
            await self._notices.settle(session_id, dict.fromkeys((p.aad_object_id for p in claimed), unknown), now)
            return
        await self._send(chat, session_id, claimed, now)

    async def _send(
        self, chat: ConversationAddress, session_id: int, claimed: list[StageRecipient], now: datetime
    ) -> None:
        outcomes: dict[str, tuple[StageOutcome, str | None]] = {
            person.aad_object_id: (StageOutcome.NO_ADDRESS, None) for person in claimed if not person.teams_user_id
        }
        addressed = [person for person in claimed if person.teams_user_id]
        for start in range(0, len(addressed), TARGETED_RECIPIENTS_LIMIT):
            batch = addressed[start : start + TARGETED_RECIPIENTS_LIMIT]
            try:
                failures = await self._notifier.show_on_stage(
                    chat, [person.teams_user_id or "" for person in batch], self._page
                )
            except TeamsCallError as problem:
                outcome = (
                    StageOutcome.REFUSED if problem.failure is TeamsFailure.NOT_IN_MEETING else StageOutcome.FAILED
                )
                reason = f"http-{problem.status}" if problem.status else problem.failure.value
                logger.info("stage notification refused session=%d people=%d reason=%s", session_id, len(batch), reason)
                outcomes.update(dict.fromkeys((person.aad_object_id for person in batch), (outcome, reason)))
                continue
            for person in batch:
                failure = failures.get(person.teams_user_id or "")
                outcomes[person.aad_object_id] = (
                    (StageOutcome.FAILED, failure) if failure is not None else (StageOutcome.SENT, None)
                )
            logger.info("stage notification sent session=%d people=%d failed=%d", session_id, len(batch), len(failures))
        await self._notices.settle(session_id, outcomes, now)
