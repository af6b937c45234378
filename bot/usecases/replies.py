"""What a use case hands back for the Teams layer to send."""

from __future__ import annotations

from dataclasses import dataclass

from cards import AdaptiveCard


@dataclass(frozen=True, slots=True)
class CardReply:
    card: AdaptiveCard
    summary: str
    """Shown in notifications and to clients that cannot render the card."""
    stage_alert: str | None = None
    """For the start card: the in-meeting notification's page (a Teams `l/bubble` link), shown on the stage of
    everyone in the meeting as the card is posted."""
