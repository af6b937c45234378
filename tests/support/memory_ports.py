"""In-memory twins of the use cases' ports (`bot.usecases.ports`), for fast use-case tests with no HTTP and no
database. Each keeps the promises its SQL or Teams counterpart makes (a repeated start is the same session, a claim is
taken once, a request logs one entry, undo only by the chair who logged); `tests/integration/test_memory_twins.py`
runs the same behaviour against both. They are not safe across processes, nor meant to be."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from bot.domain.attendance import AttendanceEvent
from bot.domain.chairs import AuditEntry
from bot.domain.conferences import Conference, StoredConference, SyncPosition
from bot.domain.conversations import ConversationAddress
from bot.domain.disconnections import (
    ChairEntry,
    Disconnection,
    DisconnectionSource,
    Drop,
    LogOutcome,
    Notice,
    UndoOutcome,
)
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation
from bot.domain.sessions import MeetingSession, OpenSessionVerdict, StartSource, SummaryStatus, judge_start
from bot.usecases.port_errors import TeamsCallError, TeamsFailure
from bot.usecases.replies import CardReply

Work = Literal["card", "summary", "chair card"]
"""The pieces of a session's work an instance claims before doing them."""


@dataclass
class _SessionRow:
    session: MeetingSession
    tenant_id: str | None
    claimed_at: dict[Work, datetime] = field(default_factory=dict)
    """When the start card, the summary or the chairs' cards were claimed, while the claim stands."""
    chair_card_settled: bool = False

    def claim(self, work: Work, now: datetime, claimed_before: datetime) -> bool:
        """Take the claim on this session's `work` unless another, made since `claimed_before`, still holds."""
        if self.claimed_free(work, claimed_before):
            self.claimed_at[work] = now
            return True
        return False

    def claimed_free(self, work: Work, claimed_before: datetime) -> bool:
        held = self.claimed_at.get(work)
        return held is None or held < claimed_before


@dataclass
class MemoryMeetingRecords:
    """MeetingRecords."""

    rows: list[_SessionRow] = field(default_factory=list)
    attendance_rows: list[tuple[int, str, AttendanceEvent]] = field(default_factory=list)
    """(session id, delivery id, event), in the order recorded."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _row(self, session_id: int) -> _SessionRow | None:
        return next((row for row in self.rows if row.session.id == session_id), None)

    def _set(self, row: _SessionRow, **changes: object) -> MeetingSession:
        row.session = replace(row.session, **changes)  # type: ignore[arg-type]
        return row.session

    async def start_session(self, place: MeetingPlace, started_at: datetime, source: StartSource) -> MeetingSession:
        if source is StartSource.EVENT:
            for row in self.rows:
                seen = row.session
                if (seen.meeting_id, seen.started_at, seen.start_source) == (place.meeting_id, started_at, source):
                    return seen
        current = next(
            (r for r in self.rows if r.session.meeting_id == place.meeting_id and not r.session.ended_at), None
        )
        if current is not None:
            verdict = judge_start(current.session, started_at, source)
            if verdict is OpenSessionVerdict.SAME:
                return current.session
            if verdict is OpenSessionVerdict.ADOPT:
                return self._set(current, started_at=started_at, start_source=source)
            self._set(current, ended_at=started_at)
        session = MeetingSession(
            id=next(self._ids),
            meeting_id=place.meeting_id,
            conversation_id=place.conversation_id,
            started_at=started_at,
            start_source=source,
            ended_at=None,
            card_posted=False,
        )
        self.rows.append(_SessionRow(session, place.tenant_id))
        return session

    async def end_session(self, place: MeetingPlace, ended_at: datetime) -> MeetingSession | None:
        current = next(
            (r for r in self.rows if r.session.meeting_id == place.meeting_id and not r.session.ended_at), None
        )
        if current is None:
            return None
        return self._set(current, ended_at=max(ended_at, current.session.started_at))

    async def latest_session(self, meeting_id: str) -> MeetingSession | None:
        sessions = [row.session for row in self.rows if row.session.meeting_id == meeting_id]
        return max(sessions, key=lambda session: (session.started_at, session.id), default=None)

    async def recent_sessions(self, *, started_after: datetime, limit: int) -> list[MeetingSession]:
        newest_first = sorted(
            (row.session for row in self.rows if row.session.started_at > started_after),
            key=lambda session: (session.started_at, session.id),
            reverse=True,
        )
        found: dict[str, MeetingSession] = {}
        for session in newest_first:
            found.setdefault(session.meeting_id, session)
        return list(found.values())[:limit]

    async def claim_card(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        row = self._row(session_id)
        return row is not None and not row.session.card_posted and row.claim("card", now, claimed_before)

    async def settle_card(self, session_id: int, now: datetime) -> None:
        if (row := self._row(session_id)) is not None and not row.session.card_posted:
            self._set(row, card_posted=True, card_posted_at=now)

    async def release_card(self, session_id: int) -> None:
        if (row := self._row(session_id)) is not None and not row.session.card_posted:
            row.claimed_at.pop("card", None)

    async def record_attendance(
        self,
        session_id: int,
        kind: AttendanceKind,
        participants: tuple[Participant, ...],
        at: datetime,
        delivery_id: str,
    ) -> None:
        for participant in participants:
            key = (session_id, delivery_id, participant.aad_object_id, kind)
            if any((sid, did, event.aad_object_id, event.kind) == key for sid, did, event in self.attendance_rows):
                continue  # Teams delivered the same event again
            event = AttendanceEvent(
                aad_object_id=participant.aad_object_id,
                display_name=participant.display_name,
                role=participant.role,
                kind=kind,
                at=at,
                teams_user_id=participant.teams_user_id,
            )
            self.attendance_rows.append((session_id, delivery_id, event))

    async def attendance(self, session_id: int) -> list[AttendanceEvent]:
        events = [event for sid, _, event in self.attendance_rows if sid == session_id]
        return sorted(events, key=lambda event: event.at)  # stable: recording order within a moment

    async def session(self, session_id: int) -> MeetingSession | None:
        row = self._row(session_id)
        return row.session if row is not None else None

    async def sessions_to_follow_up(self, *, ended_since: datetime, started_since: datetime) -> list[MeetingSession]:
        return [
            row.session
            for row in self.rows
            if (row.session.ended_at is None and row.session.started_at >= started_since)
            or (row.session.ended_at is not None and row.session.ended_at >= ended_since)
        ]

    async def sessions_awaiting_summary(self, *, ended_before: datetime, claimed_before: datetime) -> list[int]:
        return [
            row.session.id
            for row in self.rows
            if row.session.ended_at is not None
            and row.session.ended_at <= ended_before
            and row.session.summary_status is None
            and row.claimed_free("summary", claimed_before)
        ]

    async def sessions_awaiting_chair_card(self, *, started_since: datetime, claimed_before: datetime) -> list[int]:
        return [
            row.session.id
            for row in self.rows
            if row.session.ended_at is None
            and row.session.started_at >= started_since
            and not row.chair_card_settled
            and row.claimed_free("chair card", claimed_before)
        ]

    async def claim_chair_card(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        row = self._row(session_id)
        return row is not None and not row.chair_card_settled and row.claim("chair card", now, claimed_before)

    async def settle_chair_card(self, session_id: int, now: datetime) -> None:
        if (row := self._row(session_id)) is not None:
            row.chair_card_settled = True

    async def claim_summary(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        row = self._row(session_id)
        return row is not None and row.session.summary_status is None and row.claim("summary", now, claimed_before)

    async def settle_summary(self, session_id: int, status: SummaryStatus | None) -> None:
        if (row := self._row(session_id)) is None:
            return
        self._set(row, summary_status=status)
        if status is None:
            row.claimed_at.pop("summary", None)


@dataclass
class _LogRow:
    entry: Disconnection
    request_key: str | None = None


@dataclass
class MemoryDisconnectionLog:
    """DisconnectionLog."""

    rows: list[_LogRow] = field(default_factory=list)
    now: datetime | None = None
    """What `recorded_at` says for automatic entries (the SQL log reads its clock)."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def record_drop(self, session_id: int, drop: Drop, notice: Notice) -> int | None:
        key = (session_id, drop.aad_object_id, drop.left_at)
        for row in self.rows:
            entry = row.entry
            if (
                entry.source is DisconnectionSource.AUTOMATIC
                and (
                    entry.session_id,
                    entry.aad_object_id,
                    entry.disconnected_at,
                )
                == key
            ):
                return None
        entry = Disconnection(
            id=next(self._ids),
            session_id=session_id,
            aad_object_id=drop.aad_object_id,
            display_name=drop.display_name,
            disconnected_at=drop.left_at,
            source=DisconnectionSource.AUTOMATIC,
            notice=notice,
            recorded_at=self.now,
        )
        self.rows.append(_LogRow(entry))
        return entry.id

    async def set_notice(self, disconnection_id: int, notice: Notice) -> None:
        for row in self.rows:
            if row.entry.id == disconnection_id:
                row.entry = replace(row.entry, notice=notice)

    async def for_session(self, session_id: int) -> list[Disconnection]:
        entries = [row.entry for row in self.rows if row.entry.session_id == session_id]
        return sorted(entries, key=lambda entry: (entry.disconnected_at, entry.id))

    async def log_by_chair(self, entry: ChairEntry, now: datetime) -> tuple[LogOutcome, Disconnection]:
        for row in self.rows:
            if row.request_key == entry.request_key:
                return LogOutcome.REPEATED_REQUEST, row.entry
        for row in self.rows:
            seen = row.entry
            if (
                seen.source is DisconnectionSource.CHAIR
                and not seen.undone
                and (seen.session_id, seen.aad_object_id, seen.disconnected_at)
                == (entry.session_id, entry.aad_object_id, entry.disconnected_at)
            ):
                return LogOutcome.ALREADY_LOGGED, seen
        logged = Disconnection(
            id=next(self._ids),
            session_id=entry.session_id,
            aad_object_id=entry.aad_object_id,
            display_name=entry.display_name,
            disconnected_at=entry.disconnected_at,
            source=DisconnectionSource.CHAIR,
            notice=Notice.NOT_SENT,
            recorded_at=now,
            logged_by=entry.logged_by,
            emailed_chair=entry.emailed_chair,
            note=entry.note,
        )
        self.rows.append(_LogRow(logged, entry.request_key))
        return LogOutcome.LOGGED, logged

    async def undo(self, disconnection_id: int, chair_aad_object_id: str, now: datetime) -> UndoOutcome:
        row = next((row for row in self.rows if row.entry.id == disconnection_id), None)
        if row is None:
            return UndoOutcome.NOT_FOUND
        entry = row.entry
        if entry.source is not DisconnectionSource.CHAIR or (entry.logged_by or "") != chair_aad_object_id.lower():
            return UndoOutcome.NOT_YOURS
        if entry.undone:
            return UndoOutcome.ALREADY_UNDONE
        row.entry = replace(entry, undone_at=now, undone_by=chair_aad_object_id.lower())
        return UndoOutcome.UNDONE

    async def entry(self, disconnection_id: int) -> Disconnection | None:
        return next((row.entry for row in self.rows if row.entry.id == disconnection_id), None)


@dataclass
class MemoryConversations:
    """ConversationDirectory."""

    seen: dict[str, ConversationAddress] = field(default_factory=dict)

    async def remember(self, address: ConversationAddress) -> None:
        self.seen.pop(address.conversation_id, None)
        self.seen[address.conversation_id] = address  # the latest seen last

    async def find(self, conversation_id: str) -> ConversationAddress | None:
        return self.seen.get(conversation_id)

    async def latest(self) -> ConversationAddress | None:
        return next(reversed(self.seen.values()), None)


@dataclass
class MemoryChairAudit:
    """ChairAudit."""

    entries: list[AuditEntry] = field(default_factory=list)

    async def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


@dataclass
class MemoryChairGroup:
    """ChairGroup."""

    members: set[str] = field(default_factory=set)

    async def includes(self, aad_object_id: str) -> bool:
        return aad_object_id.lower() in self.members


@dataclass(frozen=True)
class MemoryPerson:
    aad_object_id: str
    name: str
    email: str
    role: MeetingRole = MeetingRole.ATTENDEE
    in_meeting: bool = True
    reachable: bool = True
    """Whether the bot may open a 1:1 chat with them (Teams refuses people without the app)."""

    @property
    def teams_user_id(self) -> str:
        return f"29:{self.aad_object_id}"


@dataclass
class MemoryTeams:
    """MeetingDirectory, PrivateMessenger and ChatMessenger: one meeting's people, and everything sent."""

    people: list[MemoryPerson] = field(default_factory=list)
    organizer_aad_object_id: str | None = None
    failure: TeamsFailure | None = None
    """Answer every call with this failure instead (Teams refusing, or not answering)."""
    private: list[tuple[str, CardReply]] = field(default_factory=list)
    """(Teams user id, card) of every private message."""
    posted: list[tuple[str, CardReply]] = field(default_factory=list)
    """(conversation id, card) of every post into a chat."""

    def _answer(self) -> None:
        if self.failure is not None:
            raise TeamsCallError(self.failure)

    async def participation(self, chat: ConversationAddress, aad_object_id: str) -> MeetingParticipation:
        self._answer()
        person = next((p for p in self.people if p.aad_object_id == aad_object_id.lower()), None)
        if person is None:
            raise TeamsCallError(TeamsFailure.MEETING_EXPIRED, 404)
        return MeetingParticipation(person.role, person.in_meeting)

    async def meeting_info(self, chat: ConversationAddress) -> MeetingInfo:
        self._answer()
        return MeetingInfo(self.organizer_aad_object_id, None, None)

    async def chat_members(self, chat: ConversationAddress) -> tuple[ChatMember, ...]:
        self._answer()
        return tuple(
            ChatMember(person.teams_user_id, person.aad_object_id, person.name, person.email, None)
            for person in self.people
        )

    async def send_privately(self, chat: ConversationAddress, person_id: str, reply: CardReply) -> None:
        self._answer()
        person = next((p for p in self.people if person_id in (p.teams_user_id, p.aad_object_id)), None)
        if person is not None and not person.reachable:
            raise TeamsCallError(TeamsFailure.NOT_REACHABLE, 403)
        self.private.append((person_id, reply))

    async def post(self, chat: ConversationAddress, reply: CardReply) -> None:
        self._answer()
        self.posted.append((chat.conversation_id, reply))

    def private_to(self, person: MemoryPerson) -> list[CardReply]:
        return [reply for person_id, reply in self.private if person_id in (person.teams_user_id, person.aad_object_id)]


@dataclass
class MemoryConferences:
    """ConferenceStore."""

    conferences: dict[int, Conference] = field(default_factory=dict)
    events: dict[tuple[str, str], int] = field(default_factory=dict)
    """(mailbox, event id) → conference id."""
    positions: dict[str, SyncPosition] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, conference: Conference) -> StoredConference:
        conference_id = next(self._ids)
        self.conferences[conference_id] = conference
        return StoredConference(conference_id, conference)

    async def position(self, mailbox: str) -> SyncPosition | None:
        return self.positions.get(mailbox)

    async def save_position(self, mailbox: str, position: SyncPosition, now: datetime) -> None:
        self.positions[mailbox] = position

    async def event_ids(self, mailbox: str, *, starting_from: datetime) -> set[str]:
        return {
            event_id
            for (box, event_id), conference_id in self.events.items()
            if box == mailbox and self.conferences[conference_id].start >= starting_from
        }

    async def save(self, mailbox: str, event_id: str, conference: Conference, now: datetime) -> int:
        same = next((cid for cid, known in self.conferences.items() if known.key == conference.key), None)
        conference_id = same if same is not None else next(self._ids)
        self.conferences[conference_id] = conference
        self.events[(mailbox, event_id)] = conference_id
        return conference_id

    async def forget(self, mailbox: str, event_id: str, now: datetime) -> int | None:
        conference_id = self.events.pop((mailbox, event_id), None)
        if conference_id is not None and conference_id not in self.events.values():
            self.conferences[conference_id] = replace(self.conferences[conference_id], cancelled=True)
        return conference_id

    async def set_chat(self, conference_id: int, chat_id: str) -> None:
        self.conferences[conference_id] = replace(self.conferences[conference_id], chat_id=chat_id)

    async def conference(self, conference_id: int) -> StoredConference | None:
        known = self.conferences.get(conference_id)
        return StoredConference(conference_id, known) if known is not None else None

    async def upcoming(
        self, *, after: datetime, before: datetime, chat_id: str | None = None
    ) -> list[StoredConference]:
        return sorted(
            (
                StoredConference(conference_id, conference)
                for conference_id, conference in self.conferences.items()
                if after <= conference.start < before
                and not conference.cancelled
                and (chat_id is None or conference.chat_id == chat_id)
            ),
            key=lambda stored: (stored.conference.start, stored.id),
        )
