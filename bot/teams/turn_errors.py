"""What happens when a turn fails: a correlation id in the log, a neutral one-line apology in the chat."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext

logger = logging.getLogger(__name__)


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:12]


def turn_error_handler(apology: str) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """The adapter's `on_turn_error`: logs the failure under a new reference and tells the person `apology` (content's
    wording, with `{reference}` filled in)."""

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        await _report(turn_context, error, apology)

    return on_turn_error


async def _report(turn_context: TurnContext, error: Exception, apology: str) -> None:
    correlation_id = new_correlation_id()
    activity = turn_context.activity
    logger.error(
        "turn failed correlation=%s activity=%s type=%s conversation=%s",
        correlation_id,
        activity.id,
        activity.type,
        getattr(activity.conversation, "id", None),
        exc_info=error,
    )
    if activity.type not in ("message", "invoke"):
        return
    try:
        await turn_context.send_activity(apology.format(reference=correlation_id))
    except Exception:
        logger.exception("could not send the apology correlation=%s", correlation_id)
