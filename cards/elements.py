"""Small constructors for Adaptive Card 1.5 elements, so card builders read as the card they make.

Every text they put on a card goes through `cards.markup.card_text`: a plain `str` is data and shows literally, only
`Markdown` (the bot's own wording) is rendered as markup."""

from __future__ import annotations

from typing import Any

from cards.markup import Markdown, card_text, unescaped, visible_text

AdaptiveCard = dict[str, Any]
Element = dict[str, Any]

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"


def card(body: list[Element], actions: list[Element] | None = None, *, speak: str | None = None) -> AdaptiveCard:
    """An Adaptive Card 1.5 (the newest version Teams renders), full width in Teams."""
    result: AdaptiveCard = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        result["actions"] = actions
    if speak:
        # Speech is read out: wording's escapes (a filled-in name's `\*`) would be read as well.
        result["speak"] = visible_text(unescaped(speak) if isinstance(speak, Markdown) else speak)
    return result


def text(value: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": card_text(value), "wrap": True, **style}


def heading(value: str, *, size: str = "Medium") -> Element:
    return text(value, weight="Bolder", size=size, style="heading")


def bullet(value: str) -> Element:
    """A bullet point with a hanging indent (Teams' markdown lists do not wrap neatly on narrow screens)."""
    return {
        "type": "ColumnSet",
        "spacing": "Small",
        "columns": [
            {"type": "Column", "width": "auto", "items": [text("•")]},
            {"type": "Column", "width": "stretch", "items": [text(value)]},
        ],
    }


def container(items: list[Element], **style: Any) -> Element:
    return {"type": "Container", "items": items, **style}


def fact_set(facts: list[tuple[str, str]]) -> Element:
    return {
        "type": "FactSet",
        "facts": [{"title": card_text(title), "value": card_text(value)} for title, value in facts],
    }


def submit(title: str, data: dict[str, Any]) -> Element:
    return {"type": "Action.Submit", "title": visible_text(title), "data": data}
