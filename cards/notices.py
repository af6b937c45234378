"""Short answers in a meeting chat, and the private reminder to someone who dropped out of a conference.

Anything posted in a meeting chat may be read by the family: these say nothing about anyone's attendance.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cards.clock import clock
from cards.elements import AdaptiveCard, card, container, heading, text
from cards.markup import Markdown, md


def build_notice_card(message: str, *, detail: str | None = None) -> AdaptiveCard:
    body = [text(message)]
    if detail:
        body.append(text(detail, isSubtle=True, spacing="Small"))
    return card(body, speak=message)


def build_drop_out_card(
    *, left_at: datetime, timezone: ZoneInfo, chair_name: str | None, chair_email: str | None
) -> AdaptiveCard:
    """What the guidance asks of someone who lost the conference and cannot rejoin, sent to them privately."""
    chair = md("the CP Chair")
    if chair_name and chair_email:
        chair = md("the CP Chair, {name} ({email}),", name=chair_name, email=chair_email)
    elif chair_name or chair_email:
        chair = md("the CP Chair ({name})", name=chair_name or chair_email)
    return card(
        [
            heading("You left the child protection conference"),
            text(f"You left the conference at {clock(left_at, timezone)} and have not rejoined."),
            container(
                [
                    text(Markdown("**If you can, please rejoin now** from the meeting in your Teams calendar.")),
                    text(
                        md(
                            "**If you lost your connection and cannot rejoin**, please e-mail {chair} to explain. "
                            "The partnership's guidance asks for this, and your disconnection will be logged.",
                            chair=chair,
                        )
                    ),
                ],
                spacing="Medium",
            ),
            text("Please do not reply in the meeting chat: the family may see it.", isSubtle=True, spacing="Medium"),
        ],
        speak="You left the child protection conference. Please rejoin, or e-mail the CP Chair to explain.",
    )
