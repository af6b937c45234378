"""The conference's disconnection log, for chairs only: every entry, automatic and logged, with undo for one's own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.card_actions import UNDO_ACTION, Field
from bot.domain.disconnections import Disconnection, DisconnectionSource
from cards.clock import clock, day_and_clock
from cards.elements import AdaptiveCard, Element, card, container, heading, submit, text
from cards.markup import md

LOG_TITLE = "Disconnections in this conference"
PRIVATE_LOG_FOOTER = (
    "Only you can see this. Of these entries, the meeting chat saw only who the chair logged, and when."
)


def _source(entry: Disconnection) -> str:
    if entry.source is DisconnectionSource.AUTOMATIC:
        return "noticed by the bot: left and did not rejoin within a few minutes"
    emailed = {True: "; e-mailed the chair", False: "; had not e-mailed the chair", None: ""}[entry.emailed_chair]
    return "logged by the chair" + emailed


def _entry_elements(entry: Disconnection, timezone: ZoneInfo, conversation_id: str, viewer: str) -> list[Element]:
    name = entry.display_name or "Unnamed participant"
    title = md("**{time}  {name}**", time=clock(entry.disconnected_at, timezone), name=name)
    items: list[Element] = [text(md("{title} (undone)", title=title) if entry.undone else title)]
    items.append(text(_source(entry), isSubtle=True, spacing="None"))
    if entry.note:
        items.append(text(f"Note: {entry.note}", spacing="Small"))
    if entry.undone_at is not None:
        items.append(text(f"Undone at {clock(entry.undone_at, timezone)}; kept in the record.", isSubtle=True))
    elif entry.source is DisconnectionSource.CHAIR and entry.logged_by == viewer:
        items.append(
            {
                "type": "ActionSet",
                "actions": [
                    submit(
                        "Undo this entry",
                        {Field.ACTION: UNDO_ACTION, Field.ENTRY: entry.id, Field.CONVERSATION: conversation_id},
                    )
                ],
            }
        )
    return [container(items, separator=True, spacing="Medium")]


def build_disconnect_log(
    entries: Sequence[Disconnection],
    *,
    started_at: datetime,
    timezone: ZoneInfo,
    conversation_id: str,
    viewer_aad_object_id: str,
    meeting_id: str | None = None,
) -> AdaptiveCard:
    """The log of one conference session. Only entries the viewer logged (and has not undone) offer an undo."""
    started = f"The conference that started {day_and_clock(started_at, timezone)}"
    body: list[Element] = [heading(LOG_TITLE), text(started, isSubtle=True, spacing="Small")]
    if not entries:
        body.append(text("Nothing logged yet, and the bot has noticed no one dropping out."))
    for entry in entries:
        body += _entry_elements(entry, timezone, conversation_id, viewer_aad_object_id.lower())
    body.append(text(PRIVATE_LOG_FOOTER, isSubtle=True, size="Small", spacing="Medium"))
    if meeting_id:
        body.append(text(f"Meeting reference for business support's export: {meeting_id}", isSubtle=True, size="Small"))
    return card(body, speak=f"{LOG_TITLE}: {len(entries)}")
