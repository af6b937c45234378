"""The expectations card: every expectation of the partnership's guidance, readable in about 20 seconds."""

from __future__ import annotations

from cards.elements import AdaptiveCard, bullet, card, container, heading, text
from cards.markup import md
from cards.wording.expectations import ExpectationsContent


def build_expectations_card(content: ExpectationsContent, *, conference_start: str | None = None) -> AdaptiveCard:
    """The card; with `conference_start` (a local clock time) it opens with this conference's heading."""
    body = []
    if conference_start is not None:
        body.append(
            container(
                [
                    text(md(content.conference.started, time=conference_start), weight="Bolder"),
                    text(content.conference.next_time, spacing="Small"),
                ],
                style="accent",
            )
        )
    body.extend([heading(content.title, size="Large"), text(content.intro, isSubtle=True, spacing="Small")])
    for section in content.sections:
        body.append(
            container(
                [heading(section.heading, size="Default"), *(bullet(point) for point in section.points)],
                spacing="Medium",
            )
        )
    body.append(container([text(content.closing, weight="Bolder")], style="emphasis", spacing="Medium"))
    return card(body, speak=content.summary)
