"""Who has shared their report, as the chairs see it: `/reports`, and the status sent to them once the deadline passes.

`/reports` in a conference's meeting chat (answered privately, after the chair check) is about that conference; in a
chair's own chat it is about every upcoming conference the calendar shows them chairing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.conferences import StoredConference
from bot.domain.quorum import AgencyDirectory
from bot.domain.reminders import ReminderPolicy, report_due_date, report_writers
from bot.domain.reports import ReportsStatus, reminded_from, reports_status
from bot.usecases.asker_address import address_of
from bot.usecases.calendar_chairs import CalendarChairs
from bot.usecases.chair_gate import notice
from bot.usecases.command_request import CommandRequest
from bot.usecases.port_errors import DirectoryUnavailableError
from bot.usecases.ports import ConferenceStore, MeetingDirectory, ReminderOutbox, ReportRecords
from bot.usecases.replies import CardReply
from bot.usecases.report_deadlines import STILL_THIS_CONFERENCE
from cards.reports import build_status_card
from cards.wording.notices import ReportDeadlinesWording
from cards.wording.reminders import ConferenceKinds
from cards.wording.reports import ReportsContent

SHOWN_AT_MOST = 10
"""Upcoming conferences one `/reports` card shows."""


@dataclass(frozen=True, slots=True)
class CalendarParts:
    """What report status needs from the calendar side, present when calendar reminders are on."""

    conferences: ConferenceStore
    reports: ReportRecords
    outbox: ReminderOutbox
    chairs: CalendarChairs


class ConferenceReports:
    def __init__(
        self,
        *,
        calendar: CalendarParts | None,
        directory: MeetingDirectory,
        policy: ReminderPolicy,
        agencies: AgencyDirectory,
        horizon: timedelta,
        wording: ReportsContent,
        kinds: ConferenceKinds,
        no_calendars: ReportDeadlinesWording,
    ) -> None:
        self._calendar = calendar
        self._directory = directory
        self._policy = policy
        self._agencies = agencies
        self._horizon = horizon
        self._wording = wording
        self._kinds = kinds
        self._no_calendars = no_calendars

    @property
    def timezone(self) -> ZoneInfo:
        return self._policy.timezone

    async def status(self, stored: StoredConference) -> ReportsStatus:
        calendar = self._require()
        conference = stored.conference
        return reports_status(
            stored.id,
            professionals=report_writers(conference, self._policy),
            due=report_due_date(conference, self._policy),
            timezone=self._policy.timezone,
            agencies=self._agencies,
            confirmations=await calendar.reports.confirmations(stored.id),
            reminded=reminded_from(await calendar.outbox.entries(conference_id=stored.id)),
        )

    async def held_in(self, chat_id: str, now: datetime) -> StoredConference | None:
        """The calendar's conference in this meeting chat: the one running now or the next."""
        if self._calendar is None:
            return None
        found = await self._calendar.conferences.upcoming(
            after=now - STILL_THIS_CONFERENCE, before=now + self._horizon, chat_id=chat_id
        )
        return found[0] if found else None

    def card(self, statuses: list[tuple[StoredConference, ReportsStatus]], *, at_deadline: bool = False) -> CardReply:
        card = build_status_card(
            [(status, stored.conference.kind, stored.conference.start) for stored, status in statuses],
            timezone=self._policy.timezone,
            wording=self._wording,
            kinds=self._kinds,
            at_deadline=at_deadline,
        )
        return CardReply(card, self._wording.status.summary)

    async def for_conference(self, request: CommandRequest) -> CardReply:
        """`/reports` for the conference in hand (the chair check has passed)."""
        if self._calendar is None:
            return self.without_calendars()
        chat = request.chat
        stored = await self.held_in(chat.conversation_id, request.now) if chat is not None else None
        if stored is None:
            return notice(self._wording.status.not_linked)
        return self.card([(stored, await self.status(stored))])

    async def upcoming_chaired(self, request: CommandRequest) -> CardReply:
        """`/reports` in a chair's own chat: each upcoming conference the calendar shows them chairing."""
        calendar = self._calendar
        if calendar is None:
            return self.without_calendars()
        email = await address_of(self._directory, request.asker, request.chat)
        if email is None:
            return notice(self._wording.not_confirmed.who_are_you)
        upcoming = await calendar.conferences.upcoming(
            after=request.now - STILL_THIS_CONFERENCE, before=request.now + self._horizon
        )
        chaired: list[tuple[StoredConference, ReportsStatus]] = []
        try:
            # Only a conference they are invited to can be theirs to chair: the rest cost no directory look-up.
            theirs = [stored for stored in upcoming if email in {person.email for person in stored.conference.people}]
            for stored in theirs:
                if len(chaired) < SHOWN_AT_MOST and await calendar.chairs.chairs(stored.conference, email):
                    chaired.append((stored, await self.status(stored)))
        except DirectoryUnavailableError:
            return notice(self._wording.not_confirmed.directory_unavailable)
        if not chaired:
            return notice(self._wording.status.none_upcoming)
        return self.card(chaired)

    def without_calendars(self) -> CardReply:
        return notice(self._no_calendars.no_calendars, self._no_calendars.no_calendars_detail)

    def _require(self) -> CalendarParts:
        if self._calendar is None:
            raise RuntimeError("report status needs the calendar (CALENDAR_MAILBOXES)")
        return self._calendar
