"""`expectations.yaml`: the conduct expectations card, the start card's heading, and the points the pre-meeting
warning repeats."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from cards.markup import Markdown
from cards.wording.base import Strict, Wording


class ExpectationSection(Strict):
    heading: Wording = Field(min_length=1)
    points: tuple[Wording, ...] = Field(min_length=1)


class ConferenceHeading(Strict):
    started: Wording = Field(min_length=1, pattern=r"\{time\}")
    next_time: Wording = Field(min_length=1)

    @field_validator("started")
    @classmethod
    def _formats_with_time_only(cls, value: str) -> str:
        # Checked here, not when a conference starts: a stray brace would otherwise fail the start card.
        try:
            value.format(time="10:00")
        except (KeyError, IndexError, ValueError):
            raise ValueError("may use {time} and no other {…} placeholder") from None
        return value


class ExpectationsContent(Strict):
    title: Wording = Field(min_length=1)
    intro: Wording = Field(min_length=1)
    sections: tuple[ExpectationSection, ...] = Field(min_length=1)
    closing: Wording = Field(min_length=1)
    conference: ConferenceHeading
    summary: Wording = Field(min_length=1)
    at_the_door: tuple[str, ...] = Field(min_length=1)
    """Key phrases of the points the pre-meeting warning repeats; each is in exactly one point."""

    @model_validator(mode="after")
    def _each_phrase_names_one_point(self) -> ExpectationsContent:
        for phrase in self.at_the_door:
            if len(self._points_saying(phrase)) != 1:
                raise ValueError(f"at_the_door: {phrase!r} must be found in exactly one point of the sections")
        return self

    @property
    def at_the_door_points(self) -> tuple[Markdown, ...]:
        """The points the pre-meeting warning repeats, as the sections word them, in the order of `at_the_door`."""
        return tuple(Markdown(self._points_saying(phrase)[0]) for phrase in self.at_the_door)

    def _points_saying(self, phrase: str) -> list[str]:
        return [point for section in self.sections for point in section.points if phrase.casefold() in point.casefold()]
