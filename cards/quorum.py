"""The chair's quorum card: whether the conference is quorate now, and who counts for which agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.domain.quorum import QuorumAssessment, QuorumSnapshot
from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, container, fact_set, heading, text
from cards.markup import Markdown, md
from cards.wording.chair import QuorumWording

_Filled = TypeVar("_Filled", bound=str)


def quorum_verdict(assessment: QuorumAssessment, wording: QuorumWording, fill: Callable[..., _Filled]) -> _Filled:
    """Quorate, or why not; `fill` fills the wording in for where it is shown (`md` for a card, `html_filled` for
    the side panel), and passes what it made itself through unchanged."""
    if assessment.quorate:
        return fill(wording.quorate)
    reasons = []
    if assessment.missing_required:
        reasons.append(fill(wording.missing, agencies=", ".join(agency.name for agency in assessment.missing_required)))
    if assessment.others_needed == 1:
        reasons.append(fill(wording.one_more_agency))
    elif assessment.others_needed:
        reasons.append(fill(wording.more_agencies, count=assessment.others_needed))
    joined = fill("; ".join(f"{{r{i}}}" for i in range(len(reasons))), **{f"r{i}": r for i, r in enumerate(reasons)})
    return fill(wording.not_quorate, reasons=joined)


def quorum_elements(assessment: QuorumAssessment, wording: QuorumWording) -> list[Element]:
    represented = ", ".join(agency.name for agency in assessment.represented) or wording.none_recognised
    elements = [
        text(
            quorum_verdict(assessment, wording, md),
            weight="Bolder",
            color="Good" if assessment.quorate else "Attention",
        ),
        fact_set([(wording.agencies_present, represented)]),
    ]
    if assessment.unrecognised_people:
        elements.append(
            text(md(wording.unrecognised_people, count=assessment.unrecognised_people), isSubtle=True, spacing="Small")
        )
    return elements


def who_is_here(
    snapshot: QuorumSnapshot, wording: QuorumWording
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Who counts for which agency (and who from an organisation not recognised), and who is here but not counted
    (the chairs first): as (label, names) rows, for the quorum card and the chair's side panel alike."""
    people = [(agency.name, ", ".join(names)) for agency, names in snapshot.by_agency]
    if snapshot.unrecognised:
        people.append((wording.agency_not_recognised, ", ".join(snapshot.unrecognised)))
    not_counted = [(group.name, ", ".join(names)) for group, names in snapshot.not_agencies]
    if snapshot.chairs:
        not_counted.insert(0, (wording.chair, ", ".join(snapshot.chairs)))
    return people, not_counted


def private_footer(wording: QuorumWording) -> Element:
    """Under every card that shows attendance or quoracy: it is the chair's alone."""
    return text(Markdown(wording.private), isSubtle=True, size="Small", spacing="Medium")


def presence_elements(snapshot: QuorumSnapshot, wording: QuorumWording) -> list[Element]:
    """Who is here, by agency, and who is here but not counted; or that nobody is."""
    people, not_counted = who_is_here(snapshot, wording)
    body: list[Element] = []
    if people:
        body.append(
            container([text(Markdown(wording.who_is_here), weight="Bolder"), fact_set(people)], spacing="Medium")
        )
    if not_counted:
        body.append(
            container([text(Markdown(wording.not_counted), weight="Bolder"), fact_set(not_counted)], spacing="Medium")
        )
    if not people and not not_counted:
        body.append(text(Markdown(wording.nobody_yet), spacing="Medium"))
    return body


def build_quorum_card(snapshot: QuorumSnapshot, timezone: ZoneInfo, wording: QuorumWording) -> AdaptiveCard:
    body: list[Element] = [
        heading(md(wording.heading, time=clock(snapshot.at, timezone))),
        *quorum_elements(snapshot.assessment, wording),
        *presence_elements(snapshot, wording),
        private_footer(wording),
    ]
    return card(body, speak=quorum_verdict(snapshot.assessment, wording, md))
