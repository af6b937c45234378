"""The expectations on the meeting stage: the page Teams shows there, and what became of showing it to someone.

When a conference starts, everyone in it sees the expectations on the stage (the start card's in-meeting alert);
each person who joins later is shown them privately (Teams' targeted meeting notification), once per session.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import quote, urlencode

TARGETED_RECIPIENTS_LIMIT: Final = 10
"""Teams takes at most this many recipients in one targeted meeting notification."""


@dataclass(frozen=True, slots=True)
class StagePage:
    url: str
    """A page on one of the app's valid domains (the bot's own `/tab/stage`)."""
    title: str
    width: int
    height: int


class StageOutcome(StrEnum):
    """What happened when the bot showed someone the expectations on the stage; settled, never tried again."""

    SENT = "sent"
    """Teams accepted it (202, or 207 without this person among the failures)."""
    REFUSED = "refused"
    """403: the meeting's organiser did not grant the app `OnlineMeetingNotification.Send.Chat`, or it is not there."""
    FAILED = "failed"
    """Teams named this person among the failures of a 207, or answered with another error."""
    NO_ADDRESS = "no-address"
    """The join event gave no Teams user id (`29:…`) to send to."""


@dataclass(frozen=True, slots=True)
class StageRecipient:
    aad_object_id: str
    """Lower case."""
    teams_user_id: str | None


STAGE_WIDTH: Final = 400
STAGE_HEIGHT: Final = 460
"""The page's size on the stage, in pixels (inside the sizes Teams' design guidance gives in-meeting dialogs)."""


def bubble_link(teams_app_id: str, bot_id: str, page: StagePage) -> str:
    """The in-meeting alert's `externalResourceUrl`: Teams' link that opens `page` on the stage of everyone in the
    meeting as a message is posted."""
    query = urlencode(
        {
            "url": page.url,
            "height": page.height,
            "width": page.width,
            "title": page.title,
            "completionBotId": bot_id,
        },
        quote_via=quote,
    )
    return f"https://teams.microsoft.com/l/bubble/{quote(teams_app_id, safe='')}?{query}"
