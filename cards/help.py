"""The help card: what the bot can do and how to ask it, for /help and for text it does not recognise."""

from __future__ import annotations

from cards.elements import AdaptiveCard, card, fact_set, heading, submit, text
from cards.wording.help import HelpContent


def build_help_card(content: HelpContent, *, lead: str | None = None, personal_chat: bool = True) -> AdaptiveCard:
    """The help card, optionally opened by a line such as a welcome or "I did not recognise that"."""
    body = []
    if lead:
        body.append(text(lead, weight="Bolder"))
    body.extend(
        [
            heading(content.title),
            text(content.intro, spacing="Small"),
            text(content.how_to_ask.personal if personal_chat else content.how_to_ask.shared, isSubtle=True),
            fact_set([(command.title, command.description) for command in content.commands]),
        ]
    )
    actions = [submit(content.show_expectations_button, {"command": "expectations"})]
    return card(body, actions, speak=content.summary)
