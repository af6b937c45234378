"""The chair's quorum card: whether the conference is quorate now, and who counts for which agency."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.quorum import QuorumAssessment, QuorumSnapshot
from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, container, fact_set, heading, text

PRIVATE_FOOTER = "Only you can see this. Nothing about attendance or quoracy is posted in the meeting chat."


def quorum_verdict(assessment: QuorumAssessment) -> str:
    if assessment.quorate:
        return "Quorate"
    reasons = []
    if assessment.missing_required:
        reasons.append("no one from " + ", ".join(agency.name for agency in assessment.missing_required))
    if assessment.others_needed:
        plural = "agency" if assessment.others_needed == 1 else "agencies"
        reasons.append(f"{assessment.others_needed} more {plural} needed")
    return "Not quorate: " + "; ".join(reasons)


def quorum_elements(assessment: QuorumAssessment) -> list[Element]:
    represented = ", ".join(agency.name for agency in assessment.represented) or "none recognised"
    elements = [
        text(quorum_verdict(assessment), weight="Bolder", color="Good" if assessment.quorate else "Attention"),
        fact_set([("Agencies present", represented)]),
    ]
    if assessment.unrecognised_people:
        elements.append(
            text(
                f"{assessment.unrecognised_people} present from an organisation I do not recognise: "
                "you may know which agency they represent.",
                isSubtle=True,
                spacing="Small",
            )
        )
    return elements


def build_quorum_card(snapshot: QuorumSnapshot, timezone: ZoneInfo) -> AdaptiveCard:
    people = [(agency.name, ", ".join(names)) for agency, names in snapshot.by_agency]
    if snapshot.unrecognised:
        people.append(("Agency not recognised", ", ".join(snapshot.unrecognised)))
    body: list[Element] = [
        heading(f"Quorum at {clock(snapshot.at, timezone)}"),
        *quorum_elements(snapshot.assessment),
    ]
    if people:
        body.append(container([text("Who is here", weight="Bolder"), fact_set(people)], spacing="Medium"))
    else:
        body.append(text("I cannot see anyone in the meeting yet.", spacing="Medium"))
    body.append(text(PRIVATE_FOOTER, isSubtle=True, size="Small", spacing="Medium"))
    return card(body, speak=quorum_verdict(snapshot.assessment))
