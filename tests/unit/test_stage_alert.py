"""The start card's in-meeting alert: Teams' documented `channelData.notification` with an `l/bubble` link that
opens the expectations page on everyone's stage as the card is posted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bot.domain.stage import StagePage, bubble_link
from bot.teams.replies import card_activity, wire_activity
from bot.usecases.replies import CardReply

APP_ID = "00000000-0000-4000-8000-0000000000a1"
PAGE = StagePage("https://cp-bot.example-council.gov.uk/tab/stage", "Joining a conference & more", 400, 460)


def test_the_bubble_link_carries_the_page_and_the_bot() -> None:
    link = urlsplit(bubble_link(APP_ID, APP_ID, PAGE))
    assert (link.scheme, link.netloc, link.path) == ("https", "teams.microsoft.com", f"/l/bubble/{APP_ID}")
    query = parse_qs(link.query)
    assert query == {
        "url": [PAGE.url],
        "height": ["460"],
        "width": ["400"],
        "title": [PAGE.title],
        "completionBotId": [APP_ID],
    }


def test_a_reply_with_an_alert_asks_teams_to_show_it_in_the_meeting() -> None:
    alert = bubble_link(APP_ID, APP_ID, PAGE)
    wire = wire_activity(card_activity(CardReply({"type": "AdaptiveCard"}, "Expectations", stage_alert=alert)))
    assert wire["channelData"] == {"notification": {"alertInMeeting": True, "externalResourceUrl": alert}}


def test_a_reply_without_one_carries_no_notification() -> None:
    wire = wire_activity(card_activity(CardReply({"type": "AdaptiveCard"}, "Expectations")))
    assert "channelData" not in wire
