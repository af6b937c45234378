"""Cards about reports being shared: the reminder's button, the answer to pressing it, and the chairs' status card.

The status card goes to chairs only (privately): it names the professionals invited and their agencies, never the
family or the conference's subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.card_actions import REPORT_MARK_ACTION, REPORT_SHARED_ACTION, REPORT_WITHDRAW_ACTION, Field
from bot.domain.conferences import ConferenceKind
from bot.domain.reports import (
    ConfirmOutcome,
    InviteeReport,
    Reminded,
    ReportConfirmation,
    ReportSource,
    ReportsStatus,
    is_late,
)
from cards.clock import clock, day_and_clock, long_day
from cards.elements import AdaptiveCard, Element, bullet, card, container, heading, submit, text
from cards.markup import Markdown, md
from cards.wording.reminders import ConferenceKinds
from cards.wording.reports import ConfirmingWording, ReportsContent, StatusWording

MARKABLE_AT_MOST = 20
"""Outstanding professionals offered a "mark as shared" button on one card (a card stays readable)."""


def report_shared_button(conference_id: int, wording: ConfirmingWording) -> Element:
    """The report reminder's button: the presser says they have shared their report (who they are comes from Teams)."""
    return submit(wording.button, {Field.ACTION: REPORT_SHARED_ACTION, Field.CONFERENCE: conference_id})


def _conference_line(
    kind: ConferenceKind, start: datetime, timezone: ZoneInfo, template: str, kinds: ConferenceKinds
) -> Markdown:
    return md(template, kind=kinds.of(kind).name, day=long_day(start, timezone), time=clock(start, timezone))


def build_confirmed_card(
    outcome: ConfirmOutcome,
    confirmation: ReportConfirmation,
    *,
    kind: ConferenceKind,
    start: datetime,
    due: date,
    timezone: ZoneInfo,
    wording: ReportsContent,
    kinds: ConferenceKinds,
) -> AdaptiveCard:
    """What the professional sees once their confirmation is recorded (or was already), with a way to take it back."""
    says = wording.confirming
    at = day_and_clock(confirmation.confirmed_at, timezone)
    recorded = outcome is ConfirmOutcome.RECORDED
    body = [
        heading(Markdown(says.recorded_heading if recorded else says.already_heading)),
        text(_conference_line(kind, start, timezone, says.conference, kinds), spacing="Small"),
        text(md(says.recorded if recorded else says.already, at=at)),
    ]
    if is_late(confirmation.confirmed_at, due, timezone):
        body.append(text(md(says.late, due=long_day(due, timezone)), isSubtle=True))
    withdraw = submit(
        says.withdraw_button, {Field.ACTION: REPORT_WITHDRAW_ACTION, Field.CONFERENCE: confirmation.conference_id}
    )
    return card(body, [withdraw], speak=Markdown(says.recorded_heading if recorded else says.already_heading))


def build_withdrawn_card(
    withdrawn: bool,
    conference_id: int,
    *,
    kind: ConferenceKind,
    start: datetime,
    timezone: ZoneInfo,
    wording: ReportsContent,
    kinds: ConferenceKinds,
) -> AdaptiveCard:
    says = wording.confirming
    body = [
        heading(Markdown(says.withdrawn_heading if withdrawn else says.not_confirmed)),
        text(_conference_line(kind, start, timezone, says.conference, kinds), spacing="Small"),
    ]
    if withdrawn:
        body.append(text(Markdown(says.withdrawn)))
    return card(body, [report_shared_button(conference_id, says)])


def status_line(invitee: InviteeReport, timezone: ZoneInfo, says: StatusWording) -> tuple[str, dict[str, str]]:
    """The wording of one professional's line, and its values (for a card or an e-mail to fill in)."""
    values = {"name": invitee.name, "agency": invitee.agency or says.no_agency}
    confirmation = invitee.confirmation
    if confirmation is not None:
        values["at"] = day_and_clock(confirmation.confirmed_at, timezone)
        if confirmation.source is ReportSource.CHAIR:
            return says.marked_line, values
        return (says.late_line if invitee.late else says.shared_line), values
    template = {
        Reminded.PENDING: says.pending_line,
        Reminded.NOT_REACHED: says.not_reached_line,
        Reminded.NOT_REMINDED: says.not_reminded_line,
    }.get(invitee.reminded, says.outstanding_line)
    return template, values


def status_elements(
    status: ReportsStatus,
    *,
    kind: ConferenceKind,
    start: datetime,
    timezone: ZoneInfo,
    wording: ReportsContent,
    kinds: ConferenceKinds,
    at_deadline: bool = False,
    markable: bool = True,
) -> list[Element]:
    """One conference's status: counts, what is outstanding, a line per professional, and (for a chair who may) a
    button to mark someone's report as shared."""
    says = wording.status
    title = _conference_line(kind, start, timezone, says.deadline_heading if at_deadline else says.heading, kinds)
    items: list[Element] = [heading(title)]
    if not status.invitees:
        items.append(text(Markdown(says.nobody_expected)))
        return [container(items)]
    items.append(text(md(says.counts, shared=status.shared, expected=status.expected), spacing="Small"))
    outstanding = status.outstanding_agencies
    if outstanding:
        items.append(text(md(says.outstanding, agencies=", ".join(outstanding))))
    else:
        items.append(text(Markdown(says.all_shared)))
    items.append(text(md(says.due, due=long_day(status.due, timezone)), isSubtle=True, spacing="None"))
    for invitee in status.invitees:
        template, values = status_line(invitee, timezone, says)
        items.append(bullet(md(template, **values)))
    if markable and status.outstanding:
        buttons = [
            submit(
                says.mark_button.format(name=invitee.name),
                {
                    Field.ACTION: REPORT_MARK_ACTION,
                    Field.CONFERENCE: status.conference_id,
                    Field.INVITEE: invitee.email,
                },
            )
            for invitee in status.outstanding[:MARKABLE_AT_MOST]
        ]
        items.append(text(Markdown(says.mark_hint), isSubtle=True, spacing="Medium"))
        # One set each, so the buttons stack (a row of several runs off a narrow card).
        items.extend({"type": "ActionSet", "actions": [button], "spacing": "Small"} for button in buttons)
    return [container(items)]


def build_status_card(
    statuses: Sequence[tuple[ReportsStatus, ConferenceKind, datetime]],
    *,
    timezone: ZoneInfo,
    wording: ReportsContent,
    kinds: ConferenceKinds,
    at_deadline: bool = False,
) -> AdaptiveCard:
    """The chairs' card for one conference or (asked in their own chat) each upcoming one they chair."""
    says = wording.status
    body: list[Element] = []
    if len(statuses) > 1:
        body.append(text(md(says.several, count=len(statuses))))
    for index, (status, kind, start) in enumerate(statuses):
        elements = status_elements(
            status, kind=kind, start=start, timezone=timezone, wording=wording, kinds=kinds, at_deadline=at_deadline
        )
        if index:
            elements[0]["separator"] = True
            elements[0]["spacing"] = "Large"
        body.extend(elements)
    first = statuses[0][0] if statuses else None
    spoken = md(says.spoken, shared=first.shared, expected=first.expected) if first is not None else None
    return card(body, speak=spoken)
