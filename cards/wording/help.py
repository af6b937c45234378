"""`help.yaml`: the help card, and each command's title, description and chair-only wording (which the command
table checks covers every command)."""

from __future__ import annotations

from pydantic import Field

from cards.wording.base import Strict, Wording


class HowToAsk(Strict):
    personal: Wording = Field(min_length=1)
    shared: Wording = Field(min_length=1)


class ChairOnlyWording(Strict):
    """What a chair-only command says to someone it cannot serve."""

    action: str = Field(min_length=1)
    """What only chairs can do, after "Only a CP Chair can …": `ask for the quorum`."""
    elsewhere: str = Field(min_length=1)
    """Said when it is asked outside a meeting chat, after how to ask for it there."""


class CommandHelp(Strict):
    name: str = Field(min_length=1)
    title: Wording = Field(min_length=1, max_length=32)
    description: Wording = Field(min_length=1, max_length=128)
    chair_only: ChairOnlyWording | None = None


class HelpContent(Strict):
    title: Wording = Field(min_length=1)
    intro: Wording = Field(min_length=1)
    how_to_ask: HowToAsk
    not_recognised: Wording = Field(min_length=1)
    welcome: Wording = Field(min_length=1)
    commands: tuple[CommandHelp, ...] = Field(min_length=1)
    show_expectations_button: Wording = Field(min_length=1)
    summary: Wording = Field(min_length=1)
