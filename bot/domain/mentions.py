"""An @mention: Teams' `mention` entity, in a message someone sent the bot or in a card the bot sends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mention:
    teams_user_id: str
    name: str | None
    """The person's name, as the mention entity carries it."""
    text: str
    """The mention as it appears in the text: `<at>Jo Evans</at>`."""
