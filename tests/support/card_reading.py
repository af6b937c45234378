"""Reading what a card says, for tests: every element and property object in it, depth first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def card_objects(node: object) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card (elements, columns, facts…), in reading order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from card_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from card_objects(item)


def card_text(cards: list[dict[str, Any]]) -> str:
    """The text of every text element in the cards, joined by spaces (facts and action titles left out)."""
    return " ".join(str(element["text"]) for card in cards for element in card_objects(card) if "text" in element)
