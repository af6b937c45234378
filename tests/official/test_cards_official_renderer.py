"""Every card the bot can send passes Microsoft's Adaptive Cards renderer with no parse or validation events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.domain.commands import UnrecognisedText
from bot.domain.conversations import ConversationKind
from bot.usecases.answer_command import CommandResponder
from bot.usecases.replies import CardReply
from cards import build_expectations_card, load_card_content
from tests.support.node_tools import require_package, run_node_script
from tests.support.sample_cards import chair_only_cards, door_cards, reminder_cards, report_cards

SCRIPT = Path(__file__).with_name("validate-cards.cjs")


def every_card_the_bot_can_send() -> dict[str, CardReply]:
    """Each reply the bot can give, in each kind of conversation. Add new cards here as features add them."""
    content = load_card_content()
    responder = CommandResponder(content)
    replies: dict[str, CardReply] = {
        # What MeetingTracker.conference_card posts when a conference starts.
        "conference start": CardReply(
            build_expectations_card(content.expectations, conference_start="10:02"), content.expectations.summary
        ),
        # What /expectations answers, everywhere.
        "expectations": CardReply(build_expectations_card(content.expectations), content.expectations.summary),
    }
    for kind in ConversationKind:
        replies[f"help in {kind.value}"] = responder.not_a_command(UnrecognisedText(was_empty=True), kind)
        replies[f"not recognised in {kind.value}"] = responder.not_a_command(UnrecognisedText(was_empty=False), kind)
        replies[f"welcome in {kind.value}"] = responder.welcome(kind)
    replies.update(chair_only_cards())
    replies.update(reminder_cards())
    replies.update(report_cards())
    replies.update(door_cards())
    return replies


@pytest.fixture(scope="module")
def renderer_results() -> dict[str, Any]:
    require_package("adaptivecards")
    replies = every_card_the_bot_can_send()
    results = run_node_script(SCRIPT, stdin=json.dumps([reply.card for reply in replies.values()]))
    return dict(zip(replies, results, strict=True))


@pytest.mark.parametrize("name", sorted(every_card_the_bot_can_send()))
def test_card_passes_the_official_renderer(renderer_results: dict[str, Any], name: str) -> None:
    result = renderer_results[name]
    assert result["parseEvents"] == [], result["parseEvents"]
    assert result["validationEvents"] == [], result["validationEvents"]
    assert result["version"] == "1.5"


def test_the_renderer_check_can_fail() -> None:
    require_package("adaptivecards")
    broken = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "Bogus"}, {"type": "Input.Text", "id": "a", "isRequired": True}],
    }
    [result] = run_node_script(SCRIPT, stdin=json.dumps([broken]))
    assert result["parseEvents"] or result["validationEvents"]
