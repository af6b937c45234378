"""The chair's form for logging a disconnection, and the neutral line that replaces it once it is submitted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.card_actions import LOG_ACTION, ActionProblem, ActionReason, Field
from bot.domain.disconnect_request import FormReason, NeedsForm, RosterPerson, TimeRefusal
from bot.domain.text import NOTE_LIMIT
from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, heading, submit, text
from cards.markup import Markdown, md, visible_text
from cards.wording.chair import CardActionWording, ChairContent, FastFormWording, FormWording

MAX_CHOICES = 100
"""A conference has a few dozen people at most; a huge meeting still gets a card Teams will render."""


def fast_form_problem(problem: NeedsForm | TimeRefusal, wording: FastFormWording, timezone: ZoneInfo) -> Markdown:
    """What the chair is told, in the content's words, when the fast form could not be used or its time accepted
    (what was typed is filled in as text)."""
    if isinstance(problem, TimeRefusal):
        template = getattr(wording, problem.reason.value)
        against = clock(problem.against, timezone)
        requested = str(problem.requested) if problem.requested is not None else "now"
        return md(template, time=requested, now=against, earliest=against, end=against)
    match problem.reason:
        case FormReason.NOTE_TOO_LONG:
            return md(wording.note_too_long, limit=f"{NOTE_LIMIT:,}")
        case FormReason.NOT_IN_MEETING:
            return md(wording.not_in_meeting, name=problem.detail or wording.someone_mentioned)
        case FormReason.SAME_NAME:
            return md(wording.same_name, name=problem.detail or "")
        case FormReason.NAME_STARTS:
            return md(wording.name_starts, word=problem.detail or "")
        case FormReason.NOT_A_12_HOUR_TIME | FormReason.NOT_A_24_HOUR_TIME:
            return md(getattr(wording, problem.reason.value), time=problem.detail or "")
        case FormReason.WHO_UNCLEAR | FormReason.NOT_A_TIME | None:
            return md(wording.who_unclear)


def action_problem(problem: ActionProblem, wording: CardActionWording) -> Markdown:
    """What someone who pressed a button on the chair's form or log is told when it cannot be accepted."""
    if problem.reason is ActionReason.NOTE_TOO_LONG:
        return md(wording.note_too_long, limit=f"{NOTE_LIMIT:,}")
    if problem.reason is ActionReason.REASON_TOO_LONG:
        return md(wording.reason_too_long, limit=f"{NOTE_LIMIT:,}")
    return Markdown(getattr(wording, problem.reason.value))


def too_long_to_read(wording: FastFormWording, limit: int) -> Markdown:
    return md(wording.too_long_to_read, limit=f"{limit:,}")


def _input(kind: str, input_id: str, label: str, **properties: Any) -> Element:
    return {"type": f"Input.{kind}", "id": input_id, "label": label, **properties}


def build_disconnect_form(
    *,
    people: Sequence[RosterPerson],
    now: datetime,
    timezone: ZoneInfo,
    form_id: str,
    conversation_id: str,
    wording: ChairContent,
    problem: Markdown | None = None,
) -> AdaptiveCard:
    """The form: who, when (default now), whether they e-mailed the chair, a note. One submit logs one entry."""
    says = wording.form
    body: list[Element] = [heading(Markdown(says.title))]
    if problem:
        body.append(text(problem, color="Attention", spacing="Small"))
    choices = [
        {"title": visible_text(person.display_name or "") or wording.unnamed, "value": person.aad_object_id}
        for person in sorted(people, key=lambda p: (p.display_name or "~").casefold())[:MAX_CHOICES]
    ]
    zone = now.astimezone(timezone).tzname() or str(timezone)
    body += [
        _input(
            "ChoiceSet",
            Field.PERSON,
            says.who,
            choices=choices,
            style="filtered" if len(choices) > 12 else "compact",
            placeholder=says.choose,
            isRequired=True,
            errorMessage=says.choose_error,
        ),
        _input(
            "Time",
            Field.TIME,
            says.when.format(zone=zone),
            value=clock(now, timezone),
            isRequired=True,
            errorMessage=says.when_error,
        ),
        {
            "type": "Input.Toggle",
            "id": Field.EMAILED,
            "title": says.emailed,
            "value": "false",
            "valueOn": "true",
            "valueOff": "false",
        },
        _input("Text", Field.NOTE, says.note, isMultiline=True, maxLength=NOTE_LIMIT, placeholder=says.note_example),
        text(Markdown(says.footer), isSubtle=True, size="Small", spacing="Medium"),
    ]
    data = {Field.ACTION: LOG_ACTION, Field.FORM: form_id, Field.CONVERSATION: conversation_id}
    return card(body, [submit(says.submit, data)], speak=says.title)


def logged_line(display_name: str | None, disconnected_at: datetime, timezone: ZoneInfo, wording: FormWording) -> str:
    """What the chair is told of an entry they logged: who and when (plain text: the name is shown as it is)."""
    return wording.logged.format(name=display_name or wording.a_participant, time=clock(disconnected_at, timezone))


def build_logged_card(
    display_name: str | None, disconnected_at: datetime, timezone: ZoneInfo, wording: FormWording
) -> AdaptiveCard:
    line = md(wording.logged, name=display_name or wording.a_participant, time=clock(disconnected_at, timezone))
    return card([text(line), text(Markdown(wording.undo_hint), isSubtle=True, spacing="Small")], speak=line)
