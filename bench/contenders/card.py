"""The card every contender sends: the bot's own expectations card, so each reply carries the same bytes."""

from __future__ import annotations

from typing import Any

from cards import build_expectations_card, load_card_content


def expectations_card() -> dict[str, Any]:
    return dict(build_expectations_card(load_card_content().expectations))
