"""Short answers in a meeting chat, and the private reminder to someone who dropped out of a conference.

Anything posted in a meeting chat may be read by the family: these say nothing about anyone's attendance.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cards.clock import clock
from cards.elements import AdaptiveCard, card, container, heading, text
from cards.markup import Markdown, md
from cards.wording.reminders import DropOutWording


def build_notice_card(message: str, *, detail: str | None = None) -> AdaptiveCard:
    body = [text(message)]
    if detail:
        body.append(text(detail, isSubtle=True, spacing="Small"))
    return card(body, speak=message)


def build_drop_out_card(
    *,
    left_at: datetime,
    timezone: ZoneInfo,
    chair_name: str | None,
    chair_email: str | None,
    wording: DropOutWording,
) -> AdaptiveCard:
    """What the guidance asks of someone who lost the conference and cannot rejoin, sent to them privately."""
    chair = md(wording.the_chair)
    if chair_name and chair_email:
        chair = md(wording.the_chair_named, name=chair_name, email=chair_email)
    elif chair_name or chair_email:
        chair = md(wording.the_chair_partly_named, name=chair_name or chair_email)
    return card(
        [
            heading(wording.heading),
            text(md(wording.left_at, time=Markdown(clock(left_at, timezone)))),
            container(
                [text(Markdown(wording.rejoin)), text(md(wording.email_the_chair, chair=chair))],
                spacing="Medium",
            ),
            text(Markdown(wording.not_in_the_chat), isSubtle=True, spacing="Medium"),
        ],
        speak=wording.spoken,
    )
