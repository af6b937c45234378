"""The expectations card against the partnership's guidance (a copy of it lives in tests/guidance/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cards import build_expectations_card, load_card_content
from tests.support.card_reading import card_objects

GUIDANCE = (Path(__file__).parents[1] / "guidance" / "online-cp-conference-expectations.txt").read_text(
    encoding="utf-8"
)


def _card_text() -> str:
    card = build_expectations_card(load_card_content().expectations)
    texts = [str(node["text"]) for node in card_objects(card) if node.get("type") == "TextBlock"]
    plain = " ".join(texts).replace("**", "")
    return re.sub(r"\s+", " ", plain).lower()


# Each expectation of the guidance: the words in the guidance that state it, and what the card must say.
EXPECTATIONS = {
    "whole meeting": ("attend the\nentire meeting", [r"whole meeting"]),
    "why: quoracy and decision making": ("ensure there is quoracy", [r"quoracy", r"decision"]),
    "join 2-3 minutes early": ("2 -3 minutes early", [r"2[–-]3 minutes early"]),
    "private quiet place": (
        "quiet area where you cannot be overheard",
        [r"private, quiet place", r"overheard"],
    ),
    "camera on throughout": ("camera on for the whole meeting", [r"camera on"]),
    "no e-mail or phone": ("check your e-mails or phone", [r"e-mails", r"phone"]),
    "no other work": ("completing other work", [r"other work"]),
    "no interruptions": ("not interrupted", [r"not be interrupted"]),
    "no eating": ("openly eating", [r"no eating"]),
    "no chat, raise things openly": ("chat function should not be used", [r"meeting chat", r"openly"]),
    "lost connection: e-mail the chair, it is logged": (
        "e-\nmail the CP Chair",
        [r"e-mail the cp chair", r"logged"],
    ),
    "report 2 working days before an Initial": (
        "2 working days before an Initial",
        [r"2 working days[^.]*initial"],
    ),
    "report 5 working days before a Review": (
        "5 working days\nbefore a Review",
        [r"5 working days[^.]*review"],
    ),
    "report shared with the chair and the family": (
        "shared with the CP Chair and the family",
        [r"cp chair and the family"],
    ),
    "serious for the family": ("serious meetings for the family", [r"serious", r"family", r"consequences"]),
}


@pytest.mark.parametrize("expectation", sorted(EXPECTATIONS))
def test_every_expectation_of_the_guidance_is_on_the_card(expectation: str) -> None:
    guidance_words, card_patterns = EXPECTATIONS[expectation]
    assert guidance_words in GUIDANCE, f"the guidance copy no longer says {guidance_words!r}"
    card_text = _card_text()
    for pattern in card_patterns:
        assert re.search(pattern, card_text), f"the card no longer covers '{expectation}' ({pattern!r})"


def _points() -> list[str]:
    return [point for section in load_card_content().expectations.sections for point in section.points]


def test_every_point_has_a_bold_key_phrase_to_skim() -> None:
    for point in _points():
        assert re.search(r"\*\*[^*]+\*\*", point), f"no bold key phrase in {point!r}"


def test_the_key_phrases_read_in_twenty_seconds() -> None:
    # A reader in a hurry reads the title, the headings and the bold phrases. At 200 words a minute, 20 seconds
    # is about 66 words.
    content = load_card_content().expectations
    bold = [phrase for point in _points() for phrase in re.findall(r"\*\*([^*]+)\*\*", point)]
    skimmed = [content.title, *(section.heading for section in content.sections), *bold]
    words = sum(len(phrase.split()) for phrase in skimmed)
    assert words <= 66, f"{words} words to skim is more than 20 seconds' reading"


def test_the_whole_card_stays_short() -> None:
    words = len(_card_text().split())
    assert words <= 190, f"{words} words is too long for a card read at the start of a meeting"


def test_card_is_adaptive_card_1_5_in_full_width_without_html() -> None:
    card = build_expectations_card(load_card_content().expectations)
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["msteams"] == {"width": "Full"}
    assert not re.search(r"<[a-z/][^>]*>", json.dumps(card)), "Teams does not render HTML in cards"
