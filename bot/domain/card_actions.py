"""What a chair's card sends back when a button is pressed: the disconnection form, and undo on the log.

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
from bot.domain.text import AAD_OBJECT_ID_LIMIT, CONVERSATION_ID_LIMIT, NOTE_LIMIT, multi_line

LOG_ACTION = "log-disconnect"
UNDO_ACTION = "undo-disconnect"


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


@dataclass(frozen=True, slots=True)
class ActionProblem:
    """A card action the bot recognises but cannot accept, and why."""

    action: str
    reason: ActionReason


CardAction = FormSubmission | UndoRequest | ActionProblem

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


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_READERS: dict[str, Callable[[dict[str, object]], CardAction]] = {LOG_ACTION: _form, UNDO_ACTION: _undo}
"""Each card action the bot sends, by the `action` its data carries. The command table routes what they are read as."""
