"""The link in an e-mailed report reminder: it lets one professional confirm (or withdraw) their own report for one
conference, once, for a limited time, with no sign-in.

The link carries a random token of 256 bits; the bot keeps only its SHA-256, with what it is for. A guessed, altered
or made-up token names nothing; an expired or used one is refused. Nothing about the case is in the link or on its
page.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

TOKEN_BYTES: Final = 32
LINK_LASTS: Final = timedelta(days=30)
"""The longest a link is valid; it also lapses when its conference ends."""
WITHDRAW_LINK_LASTS: Final = timedelta(days=2)
"""The withdraw link the confirmation page offers (in case the button was pressed by mistake)."""
TOKEN_LIMIT: Final = 64
"""Longer than any token the bot makes (43 characters): anything longer is refused unread."""


class LinkPurpose(StrEnum):
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"


class LinkProblem(StrEnum):
    """Why a link does nothing; its page says so plainly."""

    UNKNOWN = "unknown"
    """Not a link the bot made (forged, altered, cut short), or one whose conference is gone."""
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"
    """Its conference was cancelled."""


@dataclass(frozen=True, slots=True)
class ReportLink:
    conference_id: int
    email: str
    purpose: LinkPurpose
    expires_at: datetime


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored for a token: the token itself could be used by anyone who read the database."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= TOKEN_LIMIT
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    )
