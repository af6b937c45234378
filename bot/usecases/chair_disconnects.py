"""The CP Chair's disconnection log: `/log-disconnect` (fast form or the form card), `/disconnects`, and undo.

The guidance: a professional who loses connectivity and cannot rejoin e-mails the CP Chair, "and this will be
logged". Only chairs can write the log; the meeting chat sees who and when, never the chair's note; a message or a
form logs at most one entry however often Teams delivers it or the chair presses the button.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.card_actions import FormSubmission, UndoRequest
from bot.domain.commands import ARGUMENTS_LIMIT
from bot.domain.conversations import ConversationAddress, ConversationKind, holds_meeting
from bot.domain.disconnect_request import (
    FUTURE_SLACK,
    DisconnectRequest,
    NeedsForm,
    RosterPerson,
    TimeOfDay,
    TimeReason,
    TimeRefusal,
    read_request,
    when,
)
from bot.domain.disconnections import ChairEntry, LogOutcome, UndoOutcome
from bot.domain.meetings import MeetingPlace
from bot.domain.sessions import STALE_AFTER, MeetingSession, StartSource
from bot.usecases.chair_check import Asker
from bot.usecases.chair_gate import ChairGate, notice
from bot.usecases.command_request import CommandRequest
from bot.usecases.conference_changes import ConferenceChanges
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import ConversationDirectory, DisconnectionLog, MeetingRecords
from bot.usecases.replies import CardReply
from cards.disconnect_form import (
    build_disconnect_form,
    build_logged_card,
    fast_form_problem,
    logged_line,
    too_long_to_read,
)
from cards.disconnect_log import build_disconnect_log
from cards.markup import Markdown, md
from cards.wording.chair import ChairContent
from cards.wording.notices import DisconnectionLogWording

logger = logging.getLogger(__name__)

LOG_COMMAND = "log-disconnect"
"""The command the form logs for, as the chair audit names it (the command table's name for it)."""
UNDO_COMMAND = "undo-disconnect"


@dataclass(frozen=True, slots=True)
class ChairAnswer:
    reply: CardReply
    replaces_card: bool = False
    """Put this in place of the card whose button was pressed (so a form cannot be submitted twice by accident)."""


class ChairDisconnects:
    def __init__(
        self,
        *,
        gate: ChairGate,
        records: MeetingRecords,
        log: DisconnectionLog,
        people: MeetingPeople,
        conversations: ConversationDirectory,
        timezone: ZoneInfo,
        wording: ChairContent,
        notices: DisconnectionLogWording,
        log_action: str,
        new_form_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        changes: ConferenceChanges | None = None,
    ) -> None:
        self._changes = changes or ConferenceChanges()
        """Told of every entry logged or undone, so the chairs' open side panels show it at once."""
        self._log_action = log_action
        """What only chairs can do, as the command's help says it (`help.yaml`, `chair_only.action`)."""
        self._wording = wording
        self._notices = notices
        self._gate = gate
        self._records = records
        self._log = log
        self._people = people
        self._conversations = conversations
        self._timezone = timezone
        self._new_form_id = new_form_id

    async def log_from_command(self, request: CommandRequest) -> CardReply:
        """`/log-disconnect …` from a chair (the router has found the conference and checked they chair it): log it,
        or answer with the form when it cannot be read (too long, or not clear whom or when)."""
        chat = request.conference_chat
        session, roster = await self._log_target(chat, request.now)
        if request.command.overlong:
            return self._form(chat, roster, request.now, too_long_to_read(self._wording.fast_form, ARGUMENTS_LIMIT))
        wanted = read_request(request.command.arguments, request.mentions, roster)
        if isinstance(wanted, NeedsForm):
            problem = fast_form_problem(wanted, self._wording.fast_form, self._timezone) if wanted.reason else None
            return self._form(chat, roster, request.now, problem)
        # Teams' message id makes a redelivery of a message log nothing more; without one, nothing can be told apart.
        # (A choice card's button carries the message's text, not its id: each press is a request of its own.)
        message_id = request.message_id
        asked_in = request.chat.conversation_id if request.chat else chat.conversation_id
        key = _request_key("m", asked_in, message_id) if message_id else _request_key("m", str(uuid.uuid4()))
        reply, _ = await self._log_request(wanted, request.asker, session, request.now, key)
        return reply

    async def submit_form(
        self, submission: FormSubmission, asker: Asker, chat: ConversationAddress | None, now: datetime
    ) -> ChairAnswer:
        """The form submitted, from the chair's 1:1 chat (where it is sent) or, for a form from before, from its
        conference's own conversation; never from another conference's."""
        conference = await self._conversations.find(submission.conversation_id)
        asked_elsewhere = chat is None or (
            chat.kind is not ConversationKind.PERSONAL and chat.conversation_id != submission.conversation_id
        )
        if conference is None or not holds_meeting(conference) or asked_elsewhere:
            logger.info("disconnect form from another conversation refused user=%s", asker.aad_object_id)
            return ChairAnswer(notice(self._notices.form_from_elsewhere))
        chat = conference
        admitted = await self._admit_to_log(chat, asker, now)
        if isinstance(admitted, CardReply):
            return ChairAnswer(admitted)
        session, roster = admitted
        person = next((p for p in roster if p.aad_object_id == submission.person_aad_object_id), None)
        if person is None:
            return ChairAnswer(notice(self._notices.person_not_in_meeting))
        request = DisconnectRequest(person=person, time=submission.time, note=submission.note)
        reply, logged = await self._log_request(
            request,
            asker,
            session,
            now,
            _request_key("f", submission.form_id),
            emailed_chair=submission.emailed_chair,
        )
        return ChairAnswer(reply, replaces_card=logged)

    async def list_entries(self, request: CommandRequest) -> CardReply:
        """`/disconnects` from a chair: the conference's log, with undo for the entries they logged."""
        chat = request.conference_chat
        session = await self._records.latest_session(chat.meeting_id or "")
        if session is None:
            return notice(self._notices.nothing_logged_yet)
        return await self._log_card(session, chat, request.asker)

    async def undo(self, request: UndoRequest, asker: Asker, now: datetime) -> ChairAnswer:
        """Undo pressed on an entry in the log card (in the chair's private chat)."""
        nothing_changed = ChairAnswer(notice(self._notices.entry_not_found))
        chat = await self._conversations.find(request.conversation_id)
        if chat is None or not holds_meeting(chat):
            return nothing_changed
        # Whether the asker chairs comes first: nothing about an entry is looked up for someone who does not.
        refusal = await self._gate.refusal(chat, asker, UNDO_COMMAND, self._notices.undo_action, now)
        if refusal is not None:
            return ChairAnswer(refusal)
        entry = await self._log.entry(request.entry_id)
        if entry is None:
            return nothing_changed
        session = await self._records.session(entry.session_id)
        if session is None or session.meeting_id != chat.meeting_id:
            return nothing_changed
        outcome = await self._log.undo(entry.id, asker.aad_object_id or "", now)
        if outcome is UndoOutcome.NOT_YOURS:
            return ChairAnswer(notice(self._notices.not_your_entry))
        if outcome is UndoOutcome.NOT_FOUND:
            return nothing_changed
        logger.info("disconnection entry undone entry=%d user=%s outcome=%s", entry.id, asker.aad_object_id, outcome)
        self._changes.changed(chat.conversation_id)
        return ChairAnswer(await self._log_card(session, chat, asker), replaces_card=True)

    async def _admit_to_log(
        self, chat: ConversationAddress, asker: Asker, now: datetime
    ) -> tuple[MeetingSession, list[RosterPerson]] | CardReply:
        """The conference to log in and the people who can be logged, once the asker is known to chair; otherwise
        the refusal to give them."""
        refusal = await self._gate.refusal(chat, asker, LOG_COMMAND, self._log_action, now)
        if refusal is not None:
            return refusal
        return await self._log_target(chat, now)

    async def _log_target(self, chat: ConversationAddress, now: datetime) -> tuple[MeetingSession, list[RosterPerson]]:
        """The conference to log in and the people who can be logged."""
        session = await self._session(chat, now)
        return session, await roster_of(self._people, self._records, chat, session)

    async def _log_request(
        self,
        request: DisconnectRequest,
        asker: Asker,
        session: MeetingSession,
        now: datetime,
        request_key: str,
        *,
        emailed_chair: bool | None = None,
    ) -> tuple[CardReply, bool]:
        """The reply, and whether the request's entry is in the log (now, or from an earlier delivery of it)."""
        moment = self._moment(request.time, session, now)
        if isinstance(moment, str):
            return notice(moment, self._notices.nothing_was_logged), False
        entry = ChairEntry(
            session_id=session.id,
            aad_object_id=request.person.aad_object_id,
            display_name=request.person.display_name,
            disconnected_at=moment,
            logged_by=(asker.aad_object_id or "").lower(),
            emailed_chair=emailed_chair,
            note=request.note,
            request_key=request_key,
        )
        outcome, stored = await self._log.log_by_chair(entry, now)
        self._changes.changed(session.conversation_id)
        logger.info(
            "chair disconnection %s session=%d entry=%d user=%s", outcome.value, session.id, stored.id, entry.logged_by
        )
        if outcome is LogOutcome.ALREADY_LOGGED:
            line = logged_line(stored.display_name, stored.disconnected_at, self._timezone, self._wording.form)
            return notice(md(self._notices.already_logged, line=line)), False  # the line holds a name: text
        form = self._wording.form
        line = logged_line(stored.display_name, stored.disconnected_at, self._timezone, form)
        return CardReply(
            build_logged_card(stored.display_name, stored.disconnected_at, self._timezone, form), line
        ), True

    def _moment(self, requested: TimeOfDay | None, session: MeetingSession, now: datetime) -> datetime | Markdown:
        """The moment the chair means, or why it cannot be the moment someone dropped out."""
        provisional = session.start_source is StartSource.CHAIR
        moment = when(
            requested,
            now=now,
            timezone=self._timezone,
            earliest=now - STALE_AFTER if provisional else session.started_at,
            before_earliest=TimeReason.BEFORE_TWELVE_HOURS if provisional else TimeReason.BEFORE_START,
        )
        if isinstance(moment, datetime) and session.ended_at and moment > session.ended_at + FUTURE_SLACK:
            moment = TimeRefusal(TimeReason.AFTER_END, requested, session.ended_at)
        return (
            fast_form_problem(moment, self._wording.fast_form, self._timezone)
            if isinstance(moment, TimeRefusal)
            else moment
        )

    async def _session(self, chat: ConversationAddress, now: datetime) -> MeetingSession:
        """The conference this chat is holding or has just held; if Teams told the bot of neither, one opened now."""
        latest = await self._records.latest_session(chat.meeting_id or "")
        if latest is not None and (latest.ended_at is None or now - latest.ended_at <= STALE_AFTER):
            return latest
        place = MeetingPlace(chat.meeting_id or "", chat.conversation_id, chat.tenant_id)
        return await self._records.start_session(place, now, StartSource.CHAIR)

    def _form(
        self, chat: ConversationAddress, roster: list[RosterPerson], now: datetime, problem: Markdown | None
    ) -> CardReply:
        card = build_disconnect_form(
            people=roster,
            now=now,
            timezone=self._timezone,
            form_id=self._new_form_id(),
            conversation_id=chat.conversation_id,
            wording=self._wording,
            problem=problem,
        )
        return CardReply(card, self._wording.form.title)

    async def _log_card(self, session: MeetingSession, chat: ConversationAddress, asker: Asker) -> CardReply:
        entries = await self._log.for_session(session.id)
        card = build_disconnect_log(
            entries,
            started_at=session.started_at,
            timezone=self._timezone,
            conversation_id=chat.conversation_id,
            viewer_aad_object_id=asker.aad_object_id or "",
            wording=self._wording,
            meeting_id=chat.meeting_id,
        )
        return CardReply(card, self._wording.log.title)


async def roster_of(
    people: MeetingPeople, records: MeetingRecords, chat: ConversationAddress, session: MeetingSession | None
) -> list[RosterPerson]:
    """Who a chair can log: everyone in the meeting's chat, and anyone who joined `session` without being in it
    (Teams lists can lag)."""
    found: dict[str, RosterPerson] = {}
    for aad_object_id, member in (await people.members(chat)).items():
        if not member.teams_user_id.startswith("28:"):  # bots
            found[aad_object_id] = RosterPerson(aad_object_id, member.teams_user_id, member.display_name)
    for event in await records.attendance(session.id) if session is not None else []:
        key = event.aad_object_id.lower()
        if key not in found:
            found[key] = RosterPerson(key, event.teams_user_id, event.display_name)
    return list(found.values())


def _request_key(kind: str, *parts: str) -> str:
    """A short, fixed-length key for the request that logged an entry (message ids are only unique per chat)."""
    return f"{kind}-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:48]
