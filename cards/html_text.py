"""The bot's wording as HTML, for e-mails and the meeting pages: everything escaped, only the wording's **bold**
becomes <strong>."""

from __future__ import annotations

from html import escape

_BOLD = "**"


def html_text(wording: str) -> str:
    parts = escape(wording).split(_BOLD)
    return "".join(part if i % 2 == 0 else f"<strong>{part}</strong>" for i, part in enumerate(parts))
