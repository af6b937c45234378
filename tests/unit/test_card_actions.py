"""What comes back from the chair's cards is untrusted: every field is checked, and nothing makes the reader raise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.card_actions import (
    LOG_ACTION,
    UNDO_ACTION,
    ActionProblem,
    FormSubmission,
    UndoRequest,
    read_card_action,
)
from bot.domain.disconnect_request import TimeOfDay
from cards import load_card_content
from cards.disconnect_form import action_problem

FORM_ID = "7d1f0a3c-6a57-4c1e-9c3e-1f2b3c4d5e6f"
CHAT = "19:meeting_abc@thread.v2"


def submitted(**changes: Any) -> dict[str, Any]:
    """A form submit as Teams sends it: the button's data merged with the inputs (all strings)."""
    value: dict[str, Any] = {
        "action": LOG_ACTION,
        "form": FORM_ID,
        "conversation": CHAT,
        "person": "AAD-Jo",
        "time": "10:42",
        "emailed": "true",
        "note": "  lost connection  ",
    }
    value.update(changes)
    return {key: item for key, item in value.items() if item is not None}


def test_a_filled_in_form() -> None:
    assert read_card_action(submitted()) == FormSubmission(
        form_id=FORM_ID,
        conversation_id=CHAT,
        person_aad_object_id="aad-jo",
        time=TimeOfDay(10, 42),
        emailed_chair=True,
        note="lost connection",
    )


def test_an_untouched_toggle_and_empty_note() -> None:
    result = read_card_action(submitted(emailed="false", note=""))
    assert isinstance(result, FormSubmission)
    assert result.emailed_chair is False
    assert result.note is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"person": None}, "Please choose who lost their connection."),
        ({"person": "   "}, "Please choose who lost their connection."),
        ({"time": "25:00"}, "Please give the time they dropped out, like 10:42."),
        ({"time": None}, "Please give the time they dropped out, like 10:42."),
        ({"time": 1042}, "Please give the time they dropped out, like 10:42."),
        ({"form": "not-a-uuid"}, "This form is not one I sent, so nothing was logged."),
        ({"conversation": None}, "This form is not one I sent, so nothing was logged."),
        ({"note": "x" * 1001}, "The note is longer than 1,000 characters. Please shorten it."),
    ],
)
def test_what_cannot_be_accepted_is_explained(changes: dict[str, Any], problem: str) -> None:
    result = read_card_action(submitted(**changes))
    assert isinstance(result, ActionProblem)
    assert result.action == LOG_ACTION
    assert action_problem(result, load_card_content().chair.card_actions) == problem


def test_undo() -> None:
    assert read_card_action({"action": UNDO_ACTION, "entry": 12, "conversation": CHAT}) == UndoRequest(12, CHAT)
    for entry in ("12", True, -1, 0, None, 1.5):
        result = read_card_action({"action": UNDO_ACTION, "entry": entry, "conversation": CHAT})
        assert isinstance(result, ActionProblem), entry


@pytest.mark.parametrize("value", [None, "text", [], {}, {"command": "expectations"}, {"action": "other"}])
def test_anything_else_is_not_a_chair_card_action(value: object) -> None:
    assert read_card_action(value) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@given(JSON)
def test_no_value_makes_the_reader_raise(value: object) -> None:
    read_card_action(value)


@given(
    st.sampled_from([LOG_ACTION, UNDO_ACTION]),
    st.dictionaries(
        st.sampled_from(["form", "conversation", "person", "time", "emailed", "note", "entry"]), JSON, max_size=7
    ),
)
def test_no_mangled_form_or_undo_makes_the_reader_raise(action: str, fields: dict[str, object]) -> None:
    result = read_card_action({"action": action, **fields})
    assert isinstance(result, FormSubmission | UndoRequest | ActionProblem)
