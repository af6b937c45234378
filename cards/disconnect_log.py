"""The conference's disconnection log, for chairs only: every entry, automatic and logged, with undo for one's own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.card_actions import UNDO_ACTION, Field
from bot.domain.disconnections import Disconnection, DisconnectionSource
from cards.clock import clock, day_and_clock
from cards.elements import AdaptiveCard, Element, card, container, heading, submit, text
from cards.markup import Markdown, md
from cards.wording.chair import ChairContent, LogWording


def entry_source(entry: Disconnection, wording: LogWording) -> str:
    if entry.source is DisconnectionSource.AUTOMATIC:
        return wording.noticed
    match entry.emailed_chair:
        case True:
            return wording.logged_emailed
        case False:
            return wording.logged_not_emailed
        case None:
            return wording.logged


def _entry_elements(
    entry: Disconnection, timezone: ZoneInfo, conversation_id: str, viewer: str, wording: ChairContent
) -> list[Element]:
    says = wording.log
    title = md(says.entry, time=clock(entry.disconnected_at, timezone), name=entry.display_name or wording.unnamed)
    items: list[Element] = [text(md(says.undone_entry, entry=title) if entry.undone else title)]
    items.append(text(Markdown(entry_source(entry, says)), isSubtle=True, spacing="None"))
    if entry.note:
        items.append(text(md(says.note, note=entry.note), spacing="Small"))
    if entry.undone_at is not None:
        items.append(text(md(says.undone_at, time=clock(entry.undone_at, timezone)), isSubtle=True))
    elif entry.source is DisconnectionSource.CHAIR and entry.logged_by == viewer:
        data = {Field.ACTION: UNDO_ACTION, Field.ENTRY: entry.id, Field.CONVERSATION: conversation_id}
        items.append({"type": "ActionSet", "actions": [submit(says.undo, data)]})
    return [container(items, separator=True, spacing="Medium")]


def build_disconnect_log(
    entries: Sequence[Disconnection],
    *,
    started_at: datetime,
    timezone: ZoneInfo,
    conversation_id: str,
    viewer_aad_object_id: str,
    wording: ChairContent,
    meeting_id: str | None = None,
) -> AdaptiveCard:
    """The log of one conference session. Only entries the viewer logged (and has not undone) offer an undo."""
    says = wording.log
    started = md(says.started, when=day_and_clock(started_at, timezone))
    body: list[Element] = [heading(Markdown(says.title)), text(started, isSubtle=True, spacing="Small")]
    if not entries:
        body.append(text(Markdown(says.nothing_yet)))
    for entry in entries:
        body += _entry_elements(entry, timezone, conversation_id, viewer_aad_object_id.lower(), wording)
    body.append(text(Markdown(says.private), isSubtle=True, size="Small", spacing="Medium"))
    if meeting_id:
        body.append(text(md(says.meeting_reference, meeting=meeting_id), isSubtle=True, size="Small"))
    return card(body, speak=md(says.spoken, title=says.title, count=len(entries)))
