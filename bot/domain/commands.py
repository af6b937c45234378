"""Reading a command out of what a person typed to the bot.

Teams hands the bot the text as it was composed: `<at>CP Conference Bot</at> /expectations` in group and meeting
chats, sometimes wrapped in `<p>` or carrying `&nbsp;`, in any case. The bot's own mention is removed by the Teams
layer (it knows the bot's id); everything else is tidied here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.text import CONVERSATION_ID_LIMIT, identifier, multi_line, normalise

Vocabulary = Mapping[str, str]
"""Every word that names a command (its name and its aliases, lower case) → the command's name. The command table
(`bot.usecases.command_table`) is the one place that says which commands there are."""


MESSAGE_LIMIT = 30_000
"""Characters of a message read at all: Teams' own limit for a message is about 28 KB. Anything past it is not looked
at, so no message, however long, costs more than this to read."""
ARGUMENTS_LIMIT = 2_000
"""Characters after the command word that a command reads: room for a name, a time and the longest note."""


@dataclass(frozen=True, slots=True)
class Command:
    """A recognised command and whatever followed it (mentions kept as `<at>…</at>` for later commands)."""

    name: str
    """The command's name in the command table, whichever alias was typed."""
    arguments: str = ""
    overlong: bool = False
    """More followed the command than `ARGUMENTS_LIMIT`: `arguments` is empty rather than cut short (a cut note would
    be logged wrong)."""
    conference: str | None = None
    """The conference a button on a chair's card asks about (its conversation's id); None for a typed command."""


@dataclass(frozen=True, slots=True)
class UnrecognisedText:
    """Text that is not a command. Its content is deliberately not kept: it may carry case details."""

    was_empty: bool


ParsedText = Command | UnrecognisedText

_TAG = re.compile(r"<(?!/?at\b)[^<>]*>", re.IGNORECASE)
_BLOCK_BREAK = re.compile(r"<\s*(br|/p|/div)\b[^<>]*>", re.IGNORECASE)
_LEADING_MENTION = re.compile(r"^\s*<at\b[^<>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")
_COMMAND_WORD = re.compile(r"^[/\\!]?\s*([A-Za-z?][\w?-]*)(?:\s+(.*))?$", re.DOTALL)


def clean_text(text: str) -> str:
    """Strip markup Teams adds (paragraphs, line breaks, entities) but keep `<at>` mentions; fold whitespace."""
    without_breaks = _BLOCK_BREAK.sub(" ", text)
    without_tags = _TAG.sub("", without_breaks)
    unescaped = normalise(html.unescape(without_tags))
    return _WHITESPACE.sub(" ", unescaped).strip()


def parse_command(text: str | None, vocabulary: Vocabulary) -> ParsedText:
    """Recognise a command of `vocabulary` in a message's text. Never raises, whatever the input, and reads at most
    `MESSAGE_LIMIT` characters of it."""
    raw = text or ""
    cut = len(raw) > MESSAGE_LIMIT
    cleaned = clean_text(raw[:MESSAGE_LIMIT])
    # A leading mention that survived (a client that mentions the bot by another name) is not part of the command.
    while (match := _LEADING_MENTION.match(cleaned)) is not None:
        cleaned = cleaned[match.end() :].strip()
    if not cleaned:
        return UnrecognisedText(was_empty=True)
    match = _COMMAND_WORD.match(cleaned)
    if match is None:
        return UnrecognisedText(was_empty=False)
    name = vocabulary.get(match.group(1).lower())
    if name is None:
        return UnrecognisedText(was_empty=False)
    arguments = (match.group(2) or "").strip()
    if cut or len(arguments) > ARGUMENTS_LIMIT:
        return Command(name=name, overlong=True)
    return Command(name=name, arguments=arguments)


def command_from_card_data(data: object, vocabulary: Vocabulary) -> Command | None:
    """The command a card button asks for (`{"command": "quorum"}`), with the conference it is about and what the
    chair had typed after the command, where the card carries them (`"conference"`, `"arguments"`); None for
    anything else. The data is untrusted: an odd conference id names none, odd arguments are none."""
    if not isinstance(data, dict):
        return None
    requested = data.get("command")
    if not isinstance(requested, str):
        return None
    name = vocabulary.get(requested.strip().lstrip("/").lower())
    if name is None:
        return None
    conference = identifier(data.get("conference"), CONVERSATION_ID_LIMIT) if "conference" in data else None
    if "conference" in data and conference is None:
        conference = ""  # a button naming a conference the bot cannot read names no conference, never "this one"
    arguments = multi_line(data.get("arguments"), ARGUMENTS_LIMIT) or ""
    if len(arguments) > ARGUMENTS_LIMIT:
        return Command(name=name, overlong=True, conference=conference)
    # The arguments were read once already, when the chair typed them: only folded here, not unescaped again.
    return Command(name=name, arguments=" ".join(arguments.split()), conference=conference)
