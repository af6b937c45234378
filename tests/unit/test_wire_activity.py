"""An outgoing activity reaches Teams exactly as msrest (botbuilder's ConnectorClient) would have written it."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import Activity, Attachment, HeroCard, _models_py3
from msrest import Serializer

from bot.domain.conferences import ConferenceKind
from bot.teams.replies import SharedCard, card_activity, plain_cards, wire_activity
from bot.usecases.replies import CardReply
from cards import build_expectations_card, build_help_card, load_card_content
from cards.reminders import build_join_early_card, build_pre_meeting_card, build_report_due_card, mention_of
from tests.support.sample_cards import REMINDERS

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
CONTENT = load_card_content()
CARDS: dict[str, dict[str, Any]] = {
    "expectations": dict(build_expectations_card(CONTENT.expectations)),
    "help": dict(build_help_card(CONTENT.help, personal_chat=False)),
    "pre-meeting": dict(
        build_pre_meeting_card(
            start=START, timezone=LONDON, invited=[mention_of("29:a", "Sam Patel")], wording=REMINDERS
        )
    ),
    "join-early": dict(
        build_join_early_card(
            start=START, timezone=LONDON, join_url="https://teams.microsoft.com/meet/1?p=x", wording=REMINDERS
        )
    ),
    "report-due": dict(
        build_report_due_card(
            kind=ConferenceKind.INITIAL,
            start=START,
            due=date(2026, 12, 2),
            timezone=LONDON,
            wording=REMINDERS.sentences,
        )
    ),
}


def as_msrest_sends_it(activity: Activity) -> Any:
    """The body botbuilder's ConversationsOperations builds (`self._serialize.body(activity, "Activity")`) for the
    same activity with its cards as plain dicts, as botbuilder's users build them."""
    models = {name: value for name, value in vars(_models_py3).items() if isinstance(value, type)}
    return Serializer(models).body(plain_cards(copy.deepcopy(activity)), "Activity")  # type: ignore[no-untyped-call]


def addressed(activity: Activity) -> Activity:
    activity.reply_to_id = "1700000000001"
    activity.conversation = _models_py3.ConversationAccount(id="19:meeting@thread.v2", is_group=True)
    activity.recipient = _models_py3.ChannelAccount(id="29:user", name="A Person")
    activity.from_property = _models_py3.ChannelAccount(id="28:bot", name="CP Conference Bot")
    activity.service_url = "https://smba.trafficmanager.net/uk/"
    activity.channel_id = "msteams"
    return activity


@pytest.mark.parametrize("name", sorted(CARDS))
def test_every_card_is_sent_as_msrest_would(name: str) -> None:
    activity = addressed(card_activity(CardReply(CARDS[name], f"{name} summary")))
    assert wire_activity(activity) == as_msrest_sends_it(activity)


def test_the_activity_is_left_as_it_was() -> None:
    activity = card_activity(CardReply(CARDS["expectations"], "summary"))
    wire_activity(activity)
    assert activity.attachments[0].content == CARDS["expectations"]


def test_content_that_is_not_plain_json_is_left_to_msrest() -> None:
    hero = HeroCard(title="A hero card", subtitle="built from botbuilder's models")
    activity = addressed(
        Activity(
            type="message",
            attachments=[
                Attachment(content_type="application/vnd.microsoft.card.hero", content=hero),
                Attachment(content_type="application/vnd.microsoft.card.adaptive", content=CARDS["help"]),
            ],
        )
    )
    wire = wire_activity(activity)
    assert wire == as_msrest_sends_it(activity)
    assert wire["attachments"][0]["content"] == {"title": "A hero card", "subtitle": "built from botbuilder's models"}


def test_a_card_is_not_copied_for_each_send_but_goes_out_whole() -> None:
    activity = card_activity(CardReply(CARDS["expectations"], "summary"))
    copied = copy.deepcopy(activity)
    assert copied.attachments[0].content is activity.attachments[0].content
    assert isinstance(activity.attachments[0].content, SharedCard)
    assert wire_activity(copied)["attachments"][0]["content"] == CARDS["expectations"]
    assert type(plain_cards(copied).attachments[0].content) is dict
