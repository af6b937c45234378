"""`pages.yaml`: the meeting tab's own words (its name, and the page shown when it is added to a meeting)."""

from __future__ import annotations

from pydantic import Field

from cards.wording.base import Sentences, Strict, Wording, uses


class TabConfigWording(Strict):
    title: Wording = Field(min_length=1)
    intro: Wording = Field(min_length=1)
    not_in_teams: Wording = Field(min_length=1)
    """Shown when the page is opened outside Teams (TeamsJS finds no host)."""


class PanelWording(Sentences):
    PLACEHOLDERS = uses(when_hint="zone")

    chair_heading: str
    chair_intro: str
    quorum_unavailable: str
    when_hint: str
    deadlines_heading: str
    deadlines_unknown: str
    loading: str
    offline: str
    sign_in_failed: str
    not_a_conference: str


class PagesContent(Strict):
    tab_name: str = Field(min_length=1, max_length=128)
    config: TabConfigWording
    panel: PanelWording
