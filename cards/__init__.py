"""The Adaptive Cards the bot sends, built as plain data from content files a non-developer can edit."""

from cards.content import CardContent, load_card_content
from cards.elements import AdaptiveCard
from cards.expectations import build_expectations_card
from cards.help import build_help_card
from cards.wording.base import ContentError

__all__ = [
    "AdaptiveCard",
    "CardContent",
    "ContentError",
    "build_expectations_card",
    "build_help_card",
    "load_card_content",
]
