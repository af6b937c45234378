"""The chair's form for logging a disconnection, and the neutral line that replaces it once it is submitted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.card_actions import LOG_ACTION, Field
from bot.domain.disconnect_request import RosterPerson
from bot.domain.text import NOTE_LIMIT
from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, heading, submit, text
from cards.markup import visible_text

FORM_TITLE = "Log a disconnection"
MAX_CHOICES = 100
"""A conference has a few dozen people at most; a huge meeting still gets a card Teams will render."""


def _input(kind: str, input_id: str, label: str, **properties: Any) -> Element:
    return {"type": f"Input.{kind}", "id": input_id, "label": label, **properties}


def build_disconnect_form(
    *,
    people: Sequence[RosterPerson],
    now: datetime,
    timezone: ZoneInfo,
    form_id: str,
    conversation_id: str,
    problem: str | None = None,
) -> AdaptiveCard:
    """The form: who, when (default now), whether they e-mailed the chair, a note. One submit logs one entry."""
    body: list[Element] = [heading(FORM_TITLE)]
    if problem:
        body.append(text(problem, color="Attention", spacing="Small"))
    choices = [
        {"title": visible_text(person.display_name or "") or "Unnamed participant", "value": person.aad_object_id}
        for person in sorted(people, key=lambda p: (p.display_name or "~").casefold())[:MAX_CHOICES]
    ]
    zone = now.astimezone(timezone).tzname() or str(timezone)
    body += [
        _input(
            "ChoiceSet",
            Field.PERSON,
            "Who lost their connection",
            choices=choices,
            style="filtered" if len(choices) > 12 else "compact",
            placeholder="Choose a person",
            isRequired=True,
            errorMessage="Choose who lost their connection.",
        ),
        _input(
            "Time",
            Field.TIME,
            f"When they dropped out ({zone})",
            value=clock(now, timezone),
            isRequired=True,
            errorMessage="Give the time they dropped out.",
        ),
        {
            "type": "Input.Toggle",
            "id": Field.EMAILED,
            "title": "They have e-mailed me about it",
            "value": "false",
            "valueOn": "true",
            "valueOff": "false",
        },
        _input(
            "Text",
            Field.NOTE,
            "Note (optional, seen only by chairs)",
            isMultiline=True,
            maxLength=NOTE_LIMIT,
            placeholder="For example: lost connection, could not rejoin, e-mailed at 10:50",
        ),
        text(
            "Only CP Chairs can log. The meeting chat will see who and when; the note stays with the chair.",
            isSubtle=True,
            size="Small",
            spacing="Medium",
        ),
    ]
    data = {Field.ACTION: LOG_ACTION, Field.FORM: form_id, Field.CONVERSATION: conversation_id}
    return card(body, [submit("Log it", data)], speak=FORM_TITLE)


def logged_line(display_name: str | None, disconnected_at: datetime, timezone: ZoneInfo) -> str:
    """What the meeting chat sees of an entry: who and when, logged by the chair. Nothing more."""
    return (
        f"Logged by the chair: {display_name or 'a participant'} lost connection at {clock(disconnected_at, timezone)}."
    )


def build_logged_card(display_name: str | None, disconnected_at: datetime, timezone: ZoneInfo) -> AdaptiveCard:
    line = logged_line(display_name, disconnected_at, timezone)
    return card([text(line)], speak=line)
