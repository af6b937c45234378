"""Which conference a chair means, when they chair several running ones and asked in their own chat: one button per
conference, named by its start time and how many agencies are in it (never by its subject, which names the family).
Each button asks again for the command, about that conference, with whatever the chair had typed after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, heading, submit, text
from cards.markup import Markdown, md
from cards.wording.chair import ChoiceWording


@dataclass(frozen=True, slots=True)
class ConferenceOption:
    conversation_id: str
    started_at: datetime
    agencies: int


def build_conference_choice(
    options: Sequence[ConferenceOption],
    *,
    command: str,
    arguments: str,
    timezone: ZoneInfo,
    wording: ChoiceWording,
) -> AdaptiveCard:
    def button(option: ConferenceOption) -> Element:
        agencies = Markdown(wording.one_agency) if option.agencies == 1 else md(wording.agencies, count=option.agencies)
        title = wording.button.format(time=clock(option.started_at, timezone), agencies=agencies)
        data = {"command": command, "conference": option.conversation_id}
        if arguments:
            data["arguments"] = arguments
        return submit(title, data)

    return card(
        [heading(Markdown(wording.heading)), text(Markdown(wording.intro))],
        [button(option) for option in options],
        speak=Markdown(wording.summary),
    )
