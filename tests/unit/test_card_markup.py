"""What people typed is shown as text on every card: a display name or a note holding markdown (links, emphasis,
lists, headings, line breaks), HTML, date functions, bidi controls or zero-width characters renders literally.

Every card that shows a name or a note is built twice, with ordinary values and with hostile ones, and each text it
shows is rendered by a CommonMark renderer (markdown-it, as Teams' web client renders TextBlocks): the hostile build
must have exactly the markup of the ordinary one (the bot's own bold, nothing more), show the hostile text literally,
and carry no bidi or invisible formatting character anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.domain.disconnect_request import FormReason, NeedsForm, RosterPerson
from bot.domain.quorum import QuorumSnapshot
from cards import load_card_content
from cards.disconnect_form import build_disconnect_form, build_logged_card, fast_form_problem
from cards.disconnect_log import build_disconnect_log
from cards.elements import AdaptiveCard
from cards.markup import Markdown, card_text, escape_markdown, md, visible_text
from cards.notices import build_drop_out_card
from cards.quorum import build_quorum_card
from cards.reminders import build_pre_meeting_card, mention_of
from cards.summary import build_summary_card
from tests.support.card_reading import card_objects
from tests.support.sample_cards import CHAIR, LONDON, REMINDERS, START, chair_entries, sample_summary

FAST_FORM = load_card_content().chair.fast_form
FAST_FORM_DROP_OUT = load_card_content().reminders.drop_out

RENDERER = MarkdownIt("commonmark").enable(["strikethrough", "table"])
BIDI_AND_INVISIBLE = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060]]
HOSTILE_PIECES = [
    "[click](https://evil.example)",
    "![x](https://evil.example/p.png)",
    "<https://evil.example>",
    "**bold**",
    "__bold__",
    "*em*",
    "_em_",
    "~~gone~~",
    "`code`",
    "# Heading",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "> quote",
    "\n\n- after a break",
    "line\nbreak",
    "===",
    "<b>html</b>",
    "<at>Bot</at>",
    "&amp; &lt;",
    "{{DATE(2026-01-05T10:00:00Z, SHORT)}}",
    "| a | b |\n|---|---|",
    "\\*",
    "Jo Evans",
    *BIDI_AND_INVISIBLE,
]
hostile_text = (
    st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(min_size=1, max_size=5), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda value: visible_text(value).strip() != "")
)

ORDINARY_NAME = "Sam Patel"
ORDINARY_NOTE = "lost connection"


def _cards_naming(name: str, note: str) -> dict[str, AdaptiveCard]:
    """Every card that shows a person's name or a chair's note, with `name` for everyone and `note` on every entry."""
    summary = sample_summary()
    people = tuple(replace(person, display_name=name) for person in summary.people)
    entries = tuple(replace(entry, display_name=name, note=note) for entry in summary.disconnections)
    named_summary = replace(summary, people=people, disconnections=entries)
    snapshot = sample_quorum_snapshot(name)
    return {
        "summary": build_summary_card(named_summary, LONDON, CHAIR),
        "log": build_disconnect_log(
            [replace(entry, display_name=name, note=note) for entry in chair_entries()],
            started_at=START,
            timezone=LONDON,
            conversation_id="19:meeting_x",
            viewer_aad_object_id="aad-chair",
            wording=CHAIR,
        ),
        "logged": build_logged_card(name, START, LONDON, CHAIR.form),
        "form": build_disconnect_form(
            people=[RosterPerson("aad-1", "29:1", name), RosterPerson("aad-2", "29:2", name)],
            now=START + timedelta(minutes=5),
            timezone=LONDON,
            form_id="7d1f0a3c-6a57-4c1e-9c3e-1f2b3c4d5e6f",
            conversation_id="19:meeting_x",
            wording=CHAIR,
            problem=fast_form_problem(NeedsForm(FormReason.NOT_IN_MEETING, name), FAST_FORM, LONDON),
        ),
        "drop-out": build_drop_out_card(
            left_at=START, timezone=LONDON, chair_name=name, chair_email=note, wording=FAST_FORM_DROP_OUT
        ),
        "quorum": build_quorum_card(snapshot, LONDON, CHAIR.quorum),
        "pre-meeting": build_pre_meeting_card(
            start=START, timezone=LONDON, invited=[mention_of("29:1", name)], wording=REMINDERS
        ),
    }


def sample_quorum_snapshot(name: str) -> QuorumSnapshot:
    from bot.config.agencies import load_agencies
    from bot.config.settings import DEFAULT_AGENCIES_FILE
    from bot.domain.quorum import PresentPerson

    agencies = load_agencies(DEFAULT_AGENCIES_FILE)
    present = [
        PresentPerson(name, "someone@example-council.gov.uk", None),
        PresentPerson(name, "visitor@elsewhere.org", None),
    ]
    return agencies.snapshot(present, START)


def _shown_texts(card: AdaptiveCard) -> Iterator[str]:
    """Every string a card renders as markdown: TextBlock texts, fact titles and values."""
    for element in card_objects(card):
        if element.get("type") == "TextBlock":
            yield element["text"]
        for fact in element.get("facts", []) if element.get("type") == "FactSet" else []:
            yield fact["title"]
            yield fact["value"]


def _every_string(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _every_string(value)
    elif isinstance(node, list):
        for item in node:
            yield from _every_string(item)


def _markup(text: str) -> list[str]:
    """The markup a renderer makes of a text: its token types, text content left out."""
    structure = []
    for token in RENDERER.parse(text):
        structure.append(token.type)
        structure.extend(child.type for child in token.children or [] if child.type != "text")
    return structure


def _rendered_text(text: str) -> str:
    def words(tokens: list[Token]) -> Iterator[str]:
        for token in tokens:
            if token.children:
                yield from words(token.children)
            elif token.type in ("text", "code_inline", "html_inline"):
                yield token.content
            elif token.type in ("softbreak", "hardbreak"):
                yield " "

    return "".join(words(RENDERER.parse(text)))


SHOWN_LITERALLY: dict[str, Callable[[str, str], tuple[str, ...]]] = {
    "summary": lambda name, note: (name, note),
    "log": lambda name, note: (name, note),
    "logged": lambda name, note: (name,),
    "form": lambda name, note: (),  # names are choice titles, which Teams shows as plain text
    "drop-out": lambda name, note: (name, note),
    "quorum": lambda name, note: (name,),
    "pre-meeting": lambda name, note: (),  # a mention shows the name without markup characters (below)
}


@settings(max_examples=60, deadline=None)
@given(name=hostile_text, note=hostile_text)
def test_names_and_notes_render_literally_on_every_card(name: str, note: str) -> None:
    ordinary = _cards_naming(ORDINARY_NAME, ORDINARY_NOTE)
    hostile = _cards_naming(name, note)
    for card_name, card in hostile.items():
        texts, plain_texts = list(_shown_texts(card)), list(_shown_texts(ordinary[card_name]))
        assert len(texts) == len(plain_texts), card_name
        for shown, plain in zip(texts, plain_texts, strict=True):
            assert _markup(shown) == _markup(plain), f"{card_name}: {shown!r} is marked up differently"
            assert "{{" not in shown, f"{card_name}: a date function could be expanded in {shown!r}"
        rendered = " ".join(" ".join(_rendered_text(shown).split()) for shown in texts)
        for value in SHOWN_LITERALLY[card_name](name, note):
            literal = " ".join(visible_text(value).split())
            assert literal in rendered, f"{card_name}: {literal!r} not shown literally in {rendered!r}"
        for string in _every_string(card):
            assert not any(unicodedata.category(c) == "Cf" for c in string), f"{card_name}: {string!r}"


@given(value=hostile_text)
def test_escaping_shows_exactly_the_visible_text(value: str) -> None:
    escaped = escape_markdown(value)
    assert _markup(escaped) in (["paragraph_open", "inline", "paragraph_close"], [])
    assert " ".join(_rendered_text(escaped).split()) == " ".join(visible_text(value).split())


def test_the_bots_own_wording_keeps_its_markup_and_what_it_fills_in_does_not() -> None:
    filled = md("**{time}** {name}", time="10:42", name="*Jo*")
    assert filled == "**10:42** \\*Jo\\*"
    assert card_text(filled) is filled
    assert card_text("*Jo*") == "\\*Jo\\*"
    assert card_text(Markdown("*Jo*")) == "*Jo*"


def test_a_mention_label_carries_no_markup_and_matches_its_entity() -> None:
    card = build_pre_meeting_card(
        start=START, timezone=LONDON, invited=[mention_of("29:1", "<at>x</at> *Jo*\u202e")], wording=REMINDERS
    )
    entity = card["msteams"]["entities"][0]
    assert entity["text"] == "<at>at x /at Jo</at>"
    assert entity["text"] in " ".join(_shown_texts(card)), "the tag in the text is the entity's, to the letter"
    assert entity["mentioned"]["name"] == "at x /at Jo"


def test_choice_titles_are_plain_visible_text() -> None:
    card = _cards_naming("Jo\u202eEvans\u200b", ORDINARY_NOTE)["form"]
    titles = [choice["title"] for element in card_objects(card) for choice in element.get("choices", [])]
    assert titles == ["JoEvans", "JoEvans"]
