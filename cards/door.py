"""The chairs' card at the conference's scheduled start: quorate or not, what is missing, who is expected but not yet
here, and (when it is not quorate) the decision to proceed with its reason. Privately, to chairs only."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.domain.card_actions import PROCEED_ACTION, Field
from bot.domain.quorum import QuorumSnapshot
from bot.domain.quorum_decisions import ProceedDecision
from bot.domain.text import NOTE_LIMIT
from cards.clock import clock
from cards.elements import AdaptiveCard, Element, card, container, heading, submit, text
from cards.markup import Markdown, md
from cards.quorum import presence_elements, private_footer, quorum_elements
from cards.wording.chair import ChairContent, DoorWording


def _expected_line(expected: Sequence[tuple[str, str]], says: DoorWording) -> Element:
    if not expected:
        return text(Markdown(says.everyone_here))
    people = Markdown(", ".join(md(says.expected_person, name=name, agency=agency) for name, agency in expected))
    return text(md(says.expected, people=people))


def build_door_card(
    snapshot: QuorumSnapshot,
    expected: Sequence[tuple[str, str]],
    *,
    conference_id: int,
    recheck: bool,
    timezone: ZoneInfo,
    wording: ChairContent,
) -> AdaptiveCard:
    """`expected`: the professionals invited who are not here yet, as (name, agency)."""
    says, at = wording.door, clock(snapshot.at, timezone)
    body: list[Element] = [
        heading(md(says.recheck_heading if recheck else says.heading, time=at)),
        *quorum_elements(snapshot.assessment, wording.quorum),
        _expected_line(expected, says),
        *presence_elements(snapshot, wording.quorum),
    ]
    actions: list[Element] = []
    if not snapshot.assessment.quorate:
        body.append(
            container(
                [
                    text(Markdown(says.proceed_intro), isSubtle=True),
                    {
                        "type": "Input.Text",
                        "id": Field.REASON,
                        "label": says.reason_label,
                        "placeholder": says.reason_placeholder,
                        "isMultiline": True,
                        "maxLength": NOTE_LIMIT,
                        "isRequired": True,
                        "errorMessage": wording.card_actions.reason_needed,
                    },
                ],
                spacing="Medium",
                separator=True,
            )
        )
        actions.append(submit(says.proceed_button, {Field.ACTION: PROCEED_ACTION, Field.CONFERENCE: conference_id}))
    body.append(private_footer(wording.quorum))
    return card(body, actions, speak=md(says.spoken, time=at))


def build_proceed_recorded_card(
    decision: ProceedDecision, *, recorded: bool, timezone: ZoneInfo, wording: ChairContent
) -> AdaptiveCard:
    says = wording.door
    template = says.recorded if recorded else says.already
    return card(
        [
            heading(Markdown(says.recorded_heading)),
            text(md(template, time=clock(decision.decided_at, timezone), reason=decision.reason)),
            private_footer(wording.quorum),
        ]
    )


def proceed_line(decision: ProceedDecision, timezone: ZoneInfo, says: DoorWording) -> Markdown:
    """The summary's line about it."""
    return md(says.in_summary, time=clock(decision.decided_at, timezone), reason=decision.reason)
