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
