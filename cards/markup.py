"""What a card shows as markup, and what it shows as text.

Teams renders a TextBlock's and a fact's text as markdown (emphasis, links, lists) and expands `{{DATE(…)}}`
functions in it. The bot's own wording means its markup; a name or a note that arrived from Teams must show exactly
as typed. So card elements treat every plain `str` as data and escape it here, in one place; only `Markdown` (the
bot's wording, and templates filled by `md()`, which escapes what it fills in) passes through as markup. A builder
that forgets to mark its wording shows a stray asterisk; it can never let a participant's name become a link.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = frozenset("\\`*_[]<>~{}|&#")
"""Characters that start markup anywhere in a line (emphasis, code, links and images, autolinks and HTML, strike,
date functions, tables, entities, headings): each is backslash-escaped, which CommonMark and Teams render as itself."""
_LINE_START = re.compile(r"^(\s*)([-+=]|\d{1,9}(?=[.)]))")
"""A list bullet, a setext underline or an ordered-list number at the start: only there are they markup."""
_BREAKS = re.compile(r"\s*[\n\r\u0085\u2028\u2029]+\s*")


class Markdown(str):
    """Text whose markdown is meant: the bot's own wording."""

    __slots__ = ()


def visible_text(value: str) -> str:
    """The text with nothing invisible or bidi-steering left in it: controls and format characters (bidi overrides,
    embeddings and isolates, zero-width characters) removed, line breaks as spaces. For card fields that are shown
    as plain text (choice titles, speech), and the first step of escaping."""
    if value.isprintable():
        return value
    without_breaks = _BREAKS.sub(" ", value)
    return "".join(c for c in without_breaks if unicodedata.category(c) not in ("Cc", "Cf", "Cs") or c == " ")


def escape_markdown(value: str) -> str:
    """The text as a TextBlock shows it literally: every markup character escaped, on one line, white space folded
    (space at its edges would stop the bot's own bold around it from closing)."""
    visible = " ".join(visible_text(value).split())
    escaped = "".join(f"\\{c}" if c in _SPECIAL else c for c in visible)
    line_start = _LINE_START.match(escaped)
    if line_start is None:
        return escaped
    marker = line_start.group(2)
    # An ordered-list number is defused by escaping the `.` or `)` after it; a bullet or underline by escaping it.
    if marker[0].isdigit():
        after = line_start.end()
        return escaped[:after] + "\\" + escaped[after:]
    return escaped[: line_start.start(2)] + "\\" + escaped[line_start.start(2) :]


def card_text(value: str) -> str:
    """What a card element's text becomes: `Markdown` as it is, anything else escaped."""
    return value if isinstance(value, Markdown) else escape_markdown(value)


def unescaped(markdown: str) -> str:
    """Markdown's backslash escapes undone: the words as a reader sees them, for a notification or a screen reader
    (where markup means nothing and escapes would be read out)."""
    return _ESCAPED.sub(r"\1", markdown)


_ESCAPED = re.compile(r"\\(.)")


def md(template: str, /, **values: object) -> Markdown:
    """The bot's wording (`template`, whose markup is meant) with `values` filled in as text: each is escaped,
    whatever it is, unless it is `Markdown` itself."""
    return Markdown(
        template.format(
            **{
                name: value if isinstance(value, Markdown) else escape_markdown(str(value))
                for name, value in values.items()
            }
        )
    )


def mention_label(name: str) -> str:
    """A name as it stands inside a mention (`<at>…</at>`) and in the mention's entity, which must match it exactly:
    visible, on one line, with no markup character in it at all (Teams parses the tag, so nothing can be escaped)."""
    plain = "".join(" " if c in _SPECIAL else c for c in visible_text(name))
    return " ".join(plain.split()) or "participant"
