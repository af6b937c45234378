"""The JSON of a request body, read once and made safe as it enters: nesting bounded, every string (and key) normalised
(`bot.domain.text.normalise`: encodable, no control or invisible formatting characters), so nothing downstream meets a
lone surrogate, a NUL, a bidi override or a zero-width character, whichever field Teams put it in."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.text import normalise

MAX_DEPTH = 64
"""Levels of nesting a body may have. Teams' activities have fewer than ten; an Adaptive Card a few more."""


class UnreadableJsonError(Exception):
    """The body is not JSON the bot will read; the message says why (safe to show the caller)."""


def read_json(body: bytes) -> Any:
    """The body's JSON with its strings normalised, or UnreadableJsonError."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise UnreadableJsonError("the body is not JSON") from None
    except RecursionError:
        raise UnreadableJsonError(f"the body is nested more than {MAX_DEPTH} levels deep") from None
    return _cleaned(payload)


def _cleaned(payload: Any) -> Any:
    """A copy with every string normalised; iterative, so no depth of nesting can exhaust the stack."""
    if not isinstance(payload, (dict, list, str)):
        return payload
    if isinstance(payload, str):
        return normalise(payload)
    root: Any = {} if isinstance(payload, dict) else []
    pending: list[tuple[Any, Any, int]] = [(payload, root, 1)]
    while pending:
        source, target, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise UnreadableJsonError(f"the body is nested more than {MAX_DEPTH} levels deep")
        items: Any = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            if isinstance(value, str):
                copy: Any = normalise(value)
            elif isinstance(value, dict):
                copy = {}
                pending.append((value, copy, depth + 1))
            elif isinstance(value, list):
                copy = []
                pending.append((value, copy, depth + 1))
            else:
                copy = value
            if isinstance(target, dict):
                target[normalise(key)] = copy
            else:
                target.append(copy)
    return root
