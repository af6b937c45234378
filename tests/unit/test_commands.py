from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commands import Command, ParsedText, UnrecognisedText, clean_text
from bot.domain.commands import command_from_card_data as card_command
from bot.domain.commands import parse_command as parse_with
from bot.usecases.command_table import vocabulary

WORDS = vocabulary()


def parse_command(text: str | None) -> ParsedText:
    return parse_with(text, WORDS)


def command_from_card_data(data: object) -> Command | None:
    return card_command(data, WORDS)


@pytest.mark.parametrize(
    "text",
    [
        "/expectations",
        "expectations",
        "EXPECTATIONS",
        "/Expectations",
        "  /expectations  ",
        "\t/expectations\n",
        "<p>/expectations</p>",
        "/expectations&nbsp;",
        "&nbsp;/expectations",
        "<at>CP Conference Bot</at> /expectations",
        "<at>CP Conference Bot</at>&nbsp;expectations",
        "<p><at>CP Conference Bot</at> /expectations</p>",
        "<at id='0'>Bot</at><at id='1'>Bot</at> expectations",
        "\u200b/expectations",
        "/ expectations",
        "expectations please",
    ],
)
def test_expectations_is_recognised_however_teams_delivers_it(text: str) -> None:
    parsed = parse_command(text)
    assert isinstance(parsed, Command)
    assert parsed.name == "expectations"


@pytest.mark.parametrize("text", ["/help", "help", "HELP", "<at>Bot</at> help", "?", "/commands"])
def test_help_is_recognised(text: str) -> None:
    assert parse_command(text) == Command("help")


@pytest.mark.parametrize("text", ["hello", "/expect", "what are the expectations?", "/log", "12:30", "<b></b>x"])
def test_other_text_is_not_a_command(text: str) -> None:
    assert parse_command(text) == UnrecognisedText(was_empty=False)


@pytest.mark.parametrize("text", [None, "", "   ", "<at>CP Conference Bot</at>", "<p></p>", "&nbsp;"])
def test_empty_text_is_reported_as_empty(text: str | None) -> None:
    assert parse_command(text) == UnrecognisedText(was_empty=True)


def test_arguments_keep_other_peoples_mentions() -> None:
    parsed = parse_command("<at>Bot</at> /expectations <at>Jane Smith</at> 10:42")
    assert parsed == Command("expectations", "<at>Jane Smith</at> 10:42")


def test_clean_text_turns_line_breaks_into_spaces_and_drops_markup() -> None:
    assert clean_text("<div>one<br/>two</div><script>x</script>") == "one two x"
    assert clean_text("a &amp; b") == "a & b"


def test_unrecognised_text_keeps_nothing_of_what_was_typed() -> None:
    parsed = parse_command("Smith family conference moved")
    assert parsed == UnrecognisedText(was_empty=False)
    assert "Smith" not in repr(parsed)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"command": "expectations"}, Command("expectations")),
        ({"command": "/Help"}, Command("help")),
        ({"command": "delete-everything"}, None),
        ({"command": 42}, None),
        ({"other": "expectations"}, None),
        ("expectations", None),
        (None, None),
        ([{"command": "help"}], None),
    ],
)
def test_card_buttons_are_trusted_only_for_known_commands(data: object, expected: Command | None) -> None:
    assert command_from_card_data(data) == expected


@given(st.text())
def test_parse_command_never_raises(text: str) -> None:
    assert isinstance(parse_command(text), Command | UnrecognisedText)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_card_data_never_raises(data: object) -> None:
    result = command_from_card_data(data)
    assert result is None or isinstance(result, Command)
