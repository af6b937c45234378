"""Text that people typed or Teams and Graph sent (display names, notes, mention texts), made safe to keep, compare and
show: every code point encodable, no control or invisible formatting characters, one Unicode form, a bounded length.

The functions here are pure. They are applied once, where text enters the bot (`bot/teams/`, `bot/graph/`), so the
store, the use cases and the cards only ever see clean text, and the same name always compares equal to itself
however it reached the bot (in a join event, a mention entity, or the text of a message).
"""

from __future__ import annotations

import re
import unicodedata

DISPLAY_NAME_LIMIT = 256
"""Characters of a display name kept: Entra ID allows 256, and the columns that hold names are this wide."""
NOTE_LIMIT = 1000
"""Characters of note a chair may add to an entry."""
EMAIL_LIMIT = 320
"""An e-mail address's longest legal length (RFC 3696 errata); the columns that hold addresses are this wide."""
AAD_OBJECT_ID_LIMIT = 64
"""An Entra object id is a GUID (36 characters); the columns allow for braces and other spellings."""
TEAMS_USER_ID_LIMIT = 256
"""A Teams user id (`29:…`, `28:…` for bots, `8:orgid:…`) is about 100 characters; its columns are this wide."""
CONVERSATION_ID_LIMIT = 512
"""Meeting chat, group chat, channel and personal conversation ids, and meeting ids, are well under this."""
TENANT_ID_LIMIT = 64
"""An Entra tenant id is a GUID."""
DELIVERY_ID_LIMIT = 128
"""Activity ids kept to recognise a repeated delivery; a longer one is kept as a digest."""
SERVICE_URL_LIMIT = 512
"""Teams' service URLs are short (`https://smba.trafficmanager.net/emea/`)."""

REPLACEMENT = "\ufffd"

_LINE_BREAKS = "\n\r\u0085\u2028\u2029\u000b\u000c"
_WHITESPACE_RUN = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_RUN = re.compile(r" ?\n[ \n]*")


def _is_dropped(character: str) -> bool:
    """Control characters (C0, C1, DEL), format characters (bidi embeddings, overrides and isolates, zero-width
    spaces and joiners, word joiners, the BOM, tag characters that can hide text) and unassigned code points."""
    category = unicodedata.category(character)
    return category in ("Cc", "Cf") and character not in "\n\t"


def _is_unencodable(character: str) -> bool:
    """Lone surrogates (JSON can carry them, UTF-8 cannot) and noncharacters (U+FDD0–FDEF, U+xFFFE, U+xFFFF)."""
    code = ord(character)
    return 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def encodable(value: str) -> str:
    """The text with every code point UTF-8 (and so every database) can hold; the others become U+FFFD."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(REPLACEMENT if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    return value


def normalise(value: str) -> str:
    """Encodable, NFC, with control and invisible formatting characters removed (line breaks become `\\n`, tabs
    stay). Idempotent. Lengths are not bounded here: see `single_line` and `multi_line`."""
    if value.isascii() and value.isprintable():
        return value  # the common case, at no cost
    characters = []
    for character in encodable(value):
        if character in _LINE_BREAKS:
            characters.append("\n")
        elif _is_unencodable(character):
            characters.append(REPLACEMENT)
        elif not _is_dropped(character):
            characters.append(character)
    return unicodedata.normalize("NFC", "".join(characters))


def _bounded(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit].rstrip()


def single_line(value: object, limit: int = DISPLAY_NAME_LIMIT) -> str | None:
    """A name or other one-line text: normalised, every run of white space (line breaks too) one space, stripped,
    at most `limit` characters. None for anything that is not text or leaves nothing."""
    if not isinstance(value, str):
        return None
    cleaned = _WHITESPACE_RUN.sub(" ", normalise(value).replace("\n", " ").replace("\t", " ")).strip()
    return _bounded(cleaned, limit) or None


def multi_line(value: object, limit: int) -> str | None:
    """A note: normalised, spaces folded within lines, blank lines folded, stripped. Not cut to `limit`: a note that
    is too long is the person's to shorten (None for anything that is not text or leaves nothing)."""
    if not isinstance(value, str):
        return None
    folded = _WHITESPACE_RUN.sub(" ", normalise(value).replace("\t", " "))
    cleaned = _LINE_RUN.sub("\n", folded).strip()
    return cleaned or None


def identifier(value: object, limit: int) -> str | None:
    """An id as Teams or Entra sent it, when it is one: text, at most `limit` characters, nothing invisible or
    unencodable in it. An id is never altered (two different ids must not become one), so anything odd is None."""
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    if not stripped or len(stripped) > limit or normalise(stripped) != stripped or "\n" in stripped:
        return None
    return stripped


def folded(value: str) -> str:
    """How two names are compared: normalised, case-folded (all of Unicode, not only ASCII), one space between
    words. The same for a display name, a mention's text and what a chair typed."""
    return " ".join(unicodedata.normalize("NFC", normalise(value).casefold()).split())
