"""A professional says they have shared their report (or takes it back), from the Teams reminder's button or the
e-mailed link; a chair marks someone's report as shared.

Who confirms is never taken from the card: in Teams it is whoever Teams says pressed the button (found by their
address among the conference's professionals), by e-mail whoever holds the single-use link the bot sent them.
A confirmation follows its conference: one that moved keeps it (its lateness judged against the new deadline), one
that was cancelled takes none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import assert_never

from bot.domain.card_actions import ReportAction, ReportStep
from bot.domain.conferences import StoredConference
from bot.domain.conversations import ConversationAddress
from bot.domain.reminders import ReminderPolicy, report_due_date, report_writers
from bot.domain.report_links import LINK_LASTS, WITHDRAW_LINK_LASTS, LinkProblem, LinkPurpose, ReportLink
from bot.domain.reports import (
    ConfirmOutcome,
    ReportConfirmation,
    ReportSource,
    WithdrawOutcome,
    is_late,
)
from bot.usecases.asker_address import address_of
from bot.usecases.chair_check import Asker, ChairCheck
from bot.usecases.chair_disconnects import ChairAnswer
from bot.usecases.chair_gate import notice
from bot.usecases.conference_reports import CalendarParts, ConferenceReports
from bot.usecases.port_errors import DirectoryUnavailableError
from bot.usecases.ports import ConversationDirectory, MeetingDirectory
from bot.usecases.replies import CardReply
from cards.reports import build_confirmed_card, build_withdrawn_card
from cards.wording.reminders import ConferenceKinds
from cards.wording.reports import ReportsContent

logger = logging.getLogger(__name__)

CONFIRM_PATH = "/reports/confirm/"
"""Where an e-mailed link points, followed by its token."""


class PageState(StrEnum):
    """What the link's page shows."""

    ASK_CONFIRM = "ask-confirm"
    CONFIRMED = "confirmed"
    CONFIRMED_LATE = "confirmed-late"
    ALREADY = "already"
    ASK_WITHDRAW = "ask-withdraw"
    WITHDRAWN = "withdrawn"
    NOT_CONFIRMED = "not-confirmed"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"


_PROBLEM_PAGES = {
    LinkProblem.UNKNOWN: PageState.UNKNOWN,
    LinkProblem.EXPIRED: PageState.EXPIRED,
    LinkProblem.USED: PageState.USED,
    LinkProblem.CANCELLED: PageState.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class LinkPage:
    state: PageState
    conference: StoredConference | None = None
    """For the pages that name the conference (kind, day and time only)."""
    withdraw_token: str | None = None
    """After a confirmation: a fresh link to take it back."""


class ReportConfirmations:
    def __init__(
        self,
        *,
        calendar: CalendarParts,
        reports_status: ConferenceReports,
        directory: MeetingDirectory,
        policy: ReminderPolicy,
        wording: ReportsContent,
        kinds: ConferenceKinds,
        chair_check: ChairOfMeeting | None = None,
    ) -> None:
        self._calendar = calendar
        self._status = reports_status
        self._directory = directory
        self._policy = policy
        self._wording = wording
        self._kinds = kinds
        self._chair_check = chair_check

    # --- Teams: the buttons -------------------------------------------------------------------------------------

    async def press(
        self, action: ReportAction, asker: Asker, chat: ConversationAddress | None, now: datetime
    ) -> ChairAnswer:
        says = self._wording.not_confirmed
        stored = await self._calendar.conferences.conference(action.conference_id)
        if stored is None:
            return ChairAnswer(notice(says.unknown_conference))
        if stored.conference.cancelled:
            return ChairAnswer(notice(says.cancelled))
        email = await address_of(self._directory, asker, chat)
        if email is None:
            return ChairAnswer(notice(says.who_are_you))
        match action.step:
            case ReportStep.SHARED:
                return await self._shared(stored, email, now)
            case ReportStep.WITHDRAW:
                return await self._withdraw(stored, email, now)
            case ReportStep.MARK:
                return await self._mark(stored, action.invitee or "", email, asker, now)
            case _:
                assert_never(action.step)

    def _writes_report(self, stored: StoredConference, email: str) -> bool:
        return any(person.email == email for person in report_writers(stored.conference, self._policy))

    async def _shared(self, stored: StoredConference, email: str, now: datetime) -> ChairAnswer:
        if not self._writes_report(stored, email):
            logger.info("report confirmation refused: not a professional invited conference=%d", stored.id)
            return ChairAnswer(notice(self._wording.not_confirmed.not_invited))
        confirmed = ReportConfirmation(stored.id, email, now, ReportSource.TEAMS)
        outcome, confirmation = await self._calendar.reports.confirm(confirmed)
        logger.info("report confirmation conference=%d source=teams outcome=%s", stored.id, outcome.value)
        conference = stored.conference
        card = build_confirmed_card(
            outcome,
            confirmation,
            kind=conference.kind,
            start=conference.start,
            due=report_due_date(conference, self._policy),
            timezone=self._policy.timezone,
            wording=self._wording,
            kinds=self._kinds,
        )
        return ChairAnswer(CardReply(card, self._wording.confirming.summary), replaces_card=True)

    async def _withdraw(self, stored: StoredConference, email: str, now: datetime) -> ChairAnswer:
        outcome = await self._calendar.reports.withdraw(stored.id, email, now)
        withdrawn = outcome is WithdrawOutcome.WITHDRAWN
        logger.info("report confirmation withdrawn conference=%d withdrawn=%s", stored.id, withdrawn)
        conference = stored.conference
        card = build_withdrawn_card(
            withdrawn,
            stored.id,
            kind=conference.kind,
            start=conference.start,
            timezone=self._policy.timezone,
            wording=self._wording,
            kinds=self._kinds,
        )
        return ChairAnswer(CardReply(card, self._wording.confirming.summary), replaces_card=True)

    async def _mark(
        self, stored: StoredConference, invitee: str, email: str, asker: Asker, now: datetime
    ) -> ChairAnswer:
        says = self._wording.not_confirmed
        try:
            chairs = await self._chairs(stored, email, asker)
        except DirectoryUnavailableError:
            return ChairAnswer(notice(says.directory_unavailable))
        if not chairs:
            logger.info("report mark refused: not a chair of conference=%d user=%s", stored.id, asker.aad_object_id)
            return ChairAnswer(notice(says.not_your_conference))
        if not self._writes_report(stored, invitee):
            return ChairAnswer(notice(says.nobody_to_mark))
        marked = ReportConfirmation(stored.id, invitee, now, ReportSource.CHAIR, marked_by=asker.aad_object_id)
        outcome, _ = await self._calendar.reports.confirm(marked)
        logger.info(
            "report marked by chair conference=%d chair=%s outcome=%s", stored.id, asker.aad_object_id, outcome.value
        )
        status = await self._status.status(stored)
        return ChairAnswer(self._status.card([(stored, status)]), replaces_card=True)

    async def _chairs(self, stored: StoredConference, email: str, asker: Asker) -> bool:
        if await self._calendar.chairs.chairs(stored.conference, email):
            return True
        chat_id = stored.conference.chat_id
        return bool(chat_id and self._chair_check is not None and await self._chair_check(chat_id, asker))

    # --- E-mail: the link and its page --------------------------------------------------------------------------

    async def new_link(self, stored: StoredConference, email: str, now: datetime) -> str:
        """A token for the e-mailed reminder's link: valid until the conference ends (at most `LINK_LASTS`)."""
        expires_at = min(stored.conference.end, now + LINK_LASTS)
        link = ReportLink(stored.id, email, LinkPurpose.CONFIRM, expires_at)
        return await self._calendar.reports.issue_link(link, now)

    async def open_link(self, token: str, now: datetime) -> LinkPage:
        """What the page says before anything is pressed (opening it records nothing: mail scanners open links)."""
        found = await self._usable(token, now)
        if isinstance(found, LinkPage):
            return found
        link, stored = found
        if link.purpose is LinkPurpose.WITHDRAW:
            return LinkPage(PageState.ASK_WITHDRAW, stored)
        return LinkPage(PageState.ASK_CONFIRM, stored)

    async def act_on_link(self, token: str, now: datetime) -> LinkPage:
        """The page's button was pressed: confirm (or, for a withdraw link, withdraw), spending the link."""
        found = await self._usable(token, now)
        if isinstance(found, LinkPage):
            return found
        link, stored = found
        match link.purpose:
            case LinkPurpose.CONFIRM:
                return await self._confirm_by_link(link, stored, token, now)
            case LinkPurpose.WITHDRAW:
                return await self._withdraw_by_link(link, stored, token, now)
            case _:
                assert_never(link.purpose)

    async def _confirm_by_link(self, link: ReportLink, stored: StoredConference, token: str, now: datetime) -> LinkPage:
        confirmation = ReportConfirmation(stored.id, link.email, now, ReportSource.EMAIL)
        recorded = await self._calendar.reports.confirm_by_link(confirmation, token)
        if isinstance(recorded, LinkProblem):
            return LinkPage(_PROBLEM_PAGES[recorded])
        outcome, standing = recorded
        logger.info("report confirmation conference=%d source=email outcome=%s", stored.id, outcome.value)
        withdraw = ReportLink(stored.id, link.email, LinkPurpose.WITHDRAW, now + WITHDRAW_LINK_LASTS)
        withdraw_token = await self._calendar.reports.issue_link(withdraw, now)
        if outcome is ConfirmOutcome.ALREADY:
            return LinkPage(PageState.ALREADY, stored, withdraw_token)
        late = is_late(standing.confirmed_at, report_due_date(stored.conference, self._policy), self._policy.timezone)
        return LinkPage(PageState.CONFIRMED_LATE if late else PageState.CONFIRMED, stored, withdraw_token)

    async def _withdraw_by_link(
        self, link: ReportLink, stored: StoredConference, token: str, now: datetime
    ) -> LinkPage:
        outcome = await self._calendar.reports.withdraw_by_link(stored.id, link.email, now, token)
        if isinstance(outcome, LinkProblem):
            return LinkPage(_PROBLEM_PAGES[outcome])
        logger.info("report confirmation withdrawn conference=%d source=email outcome=%s", stored.id, outcome.value)
        state = PageState.WITHDRAWN if outcome is WithdrawOutcome.WITHDRAWN else PageState.NOT_CONFIRMED
        return LinkPage(state, stored)

    async def _usable(self, token: str, now: datetime) -> tuple[ReportLink, StoredConference] | LinkPage:
        link = await self._calendar.reports.link(token, now)
        if isinstance(link, LinkProblem):
            return LinkPage(_PROBLEM_PAGES[link])
        stored = await self._calendar.conferences.conference(link.conference_id)
        if stored is None:
            return LinkPage(PageState.UNKNOWN)
        if stored.conference.cancelled:
            return LinkPage(PageState.CANCELLED)
        if now >= stored.conference.end:
            return LinkPage(PageState.EXPIRED)
        return link, stored


class ChairOfMeeting:
    """Whether someone chairs the conference held in a meeting chat, by the chat's own rule (`ChairCheck`): for a
    chair the invitation does not name (the chairs' group seen in the chat, the organiser who joined)."""

    def __init__(self, conversations: ConversationDirectory, check: ChairCheck) -> None:
        self._conversations = conversations
        self._check = check

    async def __call__(self, chat_id: str, asker: Asker) -> bool:
        chat = await self._conversations.find(chat_id)
        return chat is not None and await self._check.chairs(chat, asker)
