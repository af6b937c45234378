"""The bot's wording as HTML, for e-mails and the meeting pages: everything escaped, only the wording's **bold**
becomes <strong>."""

from __future__ import annotations

from html import escape

from cards.markup import visible_text

_BOLD = "**"


def html_text(wording: str) -> str:
    parts = escape(wording).split(_BOLD)
    return "".join(part if i % 2 == 0 else f"<strong>{part}</strong>" for i, part in enumerate(parts))


class Html(str):
    """HTML made here, from the wording and escaped values: safe to put in a page as it is."""

    __slots__ = ()


def html_filled(wording: str, /, **values: object) -> Html:
    """The wording as HTML with `values` (names, notes, times: text from anywhere) filled in: each shown exactly as
    it is, so a name can never become markup, nor the wording's bold reach into it. `Html` values go in as they are."""
    marks = {name: f"\ue000{index}\ue001" for index, name in enumerate(values)}
    html = html_text(wording.format(**marks))
    for name, value in values.items():
        html = html.replace(marks[name], value if isinstance(value, Html) else escape(visible_text(str(value))))
    return Html(html)


def html_plain(value: str) -> Html:
    """Text from anywhere (a name, an agency) as HTML that shows it exactly as it is."""
    return Html(escape(visible_text(value)))
