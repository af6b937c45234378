"""What a card sends back when a button is pressed: the chair's disconnection form and undo on the log; a
professional's "I have shared my report" (and its withdrawal) on the report reminder; a chair marking someone's report.

The data arrives in `activity.value`, merged with the inputs the person filled in. It is untrusted: any client can
send any value, so every field is checked here and anything odd becomes a polite problem, never an exception.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.disconnect_request import TimeOfDay
from bot.domain.text import AAD_OBJECT_ID_LIMIT, CONVERSATION_ID_LIMIT, EMAIL_LIMIT, NOTE_LIMIT, multi_line

LOG_ACTION = "log-disconnect"
UNDO_ACTION = "undo-disconnect"
REPORT_SHARED_ACTION = "report-shared"
REPORT_WITHDRAW_ACTION = "report-withdraw"
REPORT_MARK_ACTION = "report-mark"
PROCEED_ACTION = "proceed-inquorate"


class Field:
    """The ids of the form's inputs and of the data its buttons carry."""

    ACTION = "action"
    FORM = "form"
    CONVERSATION = "conversation"
    PERSON = "person"
    TIME = "time"
    EMAILED = "emailed"
    NOTE = "note"
    ENTRY = "entry"
    CONFERENCE = "conference"
    """The calendar conference a report button is about (the bot's own number for it)."""
    INVITEE = "invitee"
    """Whose report a chair marks (their invitation's address)."""
    REASON = "reason"
    """The chair's reason for proceeding while inquorate."""


@dataclass(frozen=True, slots=True)
class FormSubmission:
    form_id: str
    conversation_id: str
    person_aad_object_id: str
    time: TimeOfDay
    emailed_chair: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class UndoRequest:
    entry_id: int
    conversation_id: str
    """The meeting chat whose log the entry is in."""


class ActionReason(StrEnum):
    """Why a card action the bot recognises cannot be accepted; the person who pressed it is told in the content's
    words (`chair.yaml`)."""

    NOTE_TOO_LONG = "note_too_long"
    NOT_MY_FORM = "not_my_form"
    CHOOSE_PERSON = "choose_person"
    GIVE_TIME = "give_time"
    WHICH_ENTRY = "which_entry"
    WHICH_CONFERENCE = "which_conference"
    WHOSE_REPORT = "whose_report"
    REASON_NEEDED = "reason_needed"
    REASON_TOO_LONG = "reason_too_long"


@dataclass(frozen=True, slots=True)
class ActionProblem:
    """A card action the bot recognises but cannot accept, and why."""

    action: str
    reason: ActionReason


class ReportStep(StrEnum):
    SHARED = "shared"
    WITHDRAW = "withdraw"
    MARK = "mark"


@dataclass(frozen=True, slots=True)
class ReportAction:
    """A report button: the presser says they shared (or withdraws), or a chair marks `invitee`. Who the presser is
    comes from Teams, never from the card."""

    step: ReportStep
    conference_id: int
    invitee: str | None = None
    """For MARK: the address the chair marks (lower case)."""


@dataclass(frozen=True, slots=True)
class ProceedRequest:
    """A chair proceeds with a conference that is not quorate, giving their reason."""

    conference_id: int
    reason: str


CardAction = FormSubmission | UndoRequest | ReportAction | ProceedRequest | ActionProblem

_TIME_INPUT = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
_MAX_ID = CONVERSATION_ID_LIMIT
MAX_ENTRY_ID = 2**31 - 1
"""Entries are numbered by the database's INTEGER column: an id past it names no entry (and would make PostgreSQL
refuse the query), so it is refused before any is made."""


def read_card_action(value: object) -> CardAction | None:
    """The chair's card action in an activity's value, or None when the value is not one of them."""
    if not isinstance(value, dict):
        return None
    action = value.get(Field.ACTION)
    reader = _READERS.get(action) if isinstance(action, str) else None  # (a list or dict cannot be looked up)
    return reader(value) if reader is not None else None


def _text(value: object, limit: int = _MAX_ID) -> str | None:
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    return stripped if stripped and len(stripped) <= limit else None


def _form(value: dict[str, object]) -> CardAction:
    problem = _problem_with_form(value)
    if isinstance(problem, ActionProblem):
        return problem
    form_id, conversation_id, person, time = problem
    note_text = multi_line(value.get(Field.NOTE), NOTE_LIMIT) or ""
    if len(note_text) > NOTE_LIMIT:
        return ActionProblem(LOG_ACTION, ActionReason.NOTE_TOO_LONG)
    return FormSubmission(
        form_id=form_id,
        conversation_id=conversation_id,
        person_aad_object_id=person.lower(),
        time=time,
        emailed_chair=value.get(Field.EMAILED) in (True, "true"),
        note=note_text or None,
    )


def _problem_with_form(value: dict[str, object]) -> tuple[str, str, str, TimeOfDay] | ActionProblem:
    form_id = _text(value.get(Field.FORM), 64)
    conversation_id = _text(value.get(Field.CONVERSATION))
    if form_id is None or conversation_id is None or not _is_uuid(form_id):
        return ActionProblem(LOG_ACTION, ActionReason.NOT_MY_FORM)
    person = _text(value.get(Field.PERSON), AAD_OBJECT_ID_LIMIT)
    if person is None:
        return ActionProblem(LOG_ACTION, ActionReason.CHOOSE_PERSON)
    time = _time(value.get(Field.TIME))
    if time is None:
        return ActionProblem(LOG_ACTION, ActionReason.GIVE_TIME)
    return form_id, conversation_id, person, time


def _time(value: object) -> TimeOfDay | None:
    match = _TIME_INPUT.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return TimeOfDay(hour, minute) if hour <= 23 and minute <= 59 else None


def _undo(value: dict[str, object]) -> CardAction:
    entry = value.get(Field.ENTRY)
    conversation_id = _text(value.get(Field.CONVERSATION))
    if (
        isinstance(entry, bool)
        or not isinstance(entry, int)
        or not 0 < entry <= MAX_ENTRY_ID
        or conversation_id is None
    ):
        return ActionProblem(UNDO_ACTION, ActionReason.WHICH_ENTRY)
    return UndoRequest(entry_id=entry, conversation_id=conversation_id)


def _number(value: object) -> int | None:
    """A positive database id, as a card's data carries it (a JSON number, or its digits)."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 10:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ENTRY_ID:
        return None
    return value


def _report(step: ReportStep, action: str) -> Callable[[dict[str, object]], CardAction]:
    def read(value: dict[str, object]) -> CardAction:
        conference_id = _number(value.get(Field.CONFERENCE))
        if conference_id is None:
            return ActionProblem(action, ActionReason.WHICH_CONFERENCE)
        if step is not ReportStep.MARK:
            return ReportAction(step, conference_id)
        invitee = _text(value.get(Field.INVITEE), EMAIL_LIMIT)
        if invitee is None:
            return ActionProblem(action, ActionReason.WHOSE_REPORT)
        return ReportAction(step, conference_id, invitee.lower())

    return read


def _proceed(value: dict[str, object]) -> CardAction:
    conference_id = _number(value.get(Field.CONFERENCE))
    if conference_id is None:
        return ActionProblem(PROCEED_ACTION, ActionReason.WHICH_CONFERENCE)
    reason = multi_line(value.get(Field.REASON), NOTE_LIMIT) or ""
    if len(reason) > NOTE_LIMIT:
        return ActionProblem(PROCEED_ACTION, ActionReason.REASON_TOO_LONG)
    if not reason:
        return ActionProblem(PROCEED_ACTION, ActionReason.REASON_NEEDED)
    return ProceedRequest(conference_id, reason)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_READERS: dict[str, Callable[[dict[str, object]], CardAction]] = {
    LOG_ACTION: _form,
    UNDO_ACTION: _undo,
    REPORT_SHARED_ACTION: _report(ReportStep.SHARED, REPORT_SHARED_ACTION),
    REPORT_WITHDRAW_ACTION: _report(ReportStep.WITHDRAW, REPORT_WITHDRAW_ACTION),
    REPORT_MARK_ACTION: _report(ReportStep.MARK, REPORT_MARK_ACTION),
    PROCEED_ACTION: _proceed,
}
"""Each card action the bot sends, by the `action` its data carries. The command table routes what they are read as."""
