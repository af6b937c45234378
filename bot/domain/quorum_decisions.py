"""A chair's decision to go ahead with a conference that is not quorate, and why.

Local procedures say an inquorate conference should not ordinarily proceed, and that when it does the chair's
reasons are recorded. The chair records it from the quorum card they get privately at the start; the summary and the
conference record show it. One decision per conference: the first stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

DOOR_CHECK_LASTS: Final = 15
"""Minutes after its moment a quorum-at-the-start card is still worth sending."""


@dataclass(frozen=True, slots=True)
class ProceedDecision:
    conference_id: int
    conversation_id: str
    """The meeting chat: how the session's summary finds it."""
    decided_at: datetime
    chair_aad_object_id: str
    reason: str
    """The chair's own words: shown to chairs only, like a disconnection's note."""
    missing: tuple[str, ...]
    """What the quorum card said was missing then (agency names)."""
