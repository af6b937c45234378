"""The chair's card: sent privately to each of a conference's chairs when it starts, with their commands as buttons
that work on that conference (so the chair need not type, and never in the meeting chat)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, heading, submit, text
from cards.markup import Markdown, md
from cards.wording.chair import ChairCardWording


def build_chair_card(
    *,
    started_at: datetime,
    timezone: ZoneInfo,
    conversation_id: str,
    buttons: Sequence[tuple[str, str]],
    wording: ChairCardWording,
) -> AdaptiveCard:
    """`buttons`: (command name, title) in order; each asks for its command about the conference of
    `conversation_id`."""
    at = clock(started_at, timezone)
    actions = [submit(title, {"command": command, "conference": conversation_id}) for command, title in buttons]
    # Two buttons a row: four in one row overflow a narrow Teams window (the last would be cut off).
    rows: list[Element] = [
        {"type": "ActionSet", "actions": actions[start : start + 2]} for start in range(0, len(actions), 2)
    ]
    return card(
        [heading(md(wording.heading, time=at)), text(Markdown(wording.intro)), *rows],
        speak=md(wording.spoken, time=at),
    )
