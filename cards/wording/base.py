"""What every content file's wording obeys: no unknown key, and no placeholder but the ones the bot fills in.

A sentence may quote the partnership's numbers (`{join_early}`, `{initial_report_days}`…: `bot.domain.policy`),
which are filled in as the file is read, and the placeholders its model gives it (`{time}`, `{name}`…), which the
bot fills in when it builds a card. Any other `{…}` is refused before the bot starts, naming the ones it may use.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator

from bot.domain.policy import POLICY_PLACEHOLDERS
from cards.markup import Markdown

_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_FILLED_LATER = frozenset({"time"})
"""Placeholders a card fills in when it is built (the conference heading's start time)."""


class ContentError(Exception):
    """A content or configuration file is missing, is not valid YAML, or lacks something it needs."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def filled(value: str, allowed: frozenset[str], where: str) -> str:
    """`value` with the policy's numbers filled in and the `allowed` placeholders left for the bot; any other
    placeholder is refused, saying which ones `where` may use."""

    def fill(match: re.Match[str]) -> str:
        placeholder = match.group(1)
        if placeholder in POLICY_PLACEHOLDERS:
            return POLICY_PLACEHOLDERS[placeholder]
        if placeholder in allowed:
            return match.group(0)
        may = ", ".join("{" + known + "}" for known in [*sorted(allowed), *POLICY_PLACEHOLDERS])
        raise ValueError(f"{match.group(0)} is not a placeholder {where} can use (it may use {may})")

    return _PLACEHOLDER.sub(fill, value)


def _quoting_policy(value: str) -> str:
    return filled(value, _FILLED_LATER, "this wording")


Wording = Annotated[str, AfterValidator(_quoting_policy), AfterValidator(Markdown)]
"""Text from a content file: the partnership's own wording, whose markdown (bold key phrases) is meant, quoting the
partnership's numbers through placeholders."""


def uses(**placeholders: str) -> dict[str, frozenset[str]]:
    """`PLACEHOLDERS` from `field="a b"`: the names each field may use."""
    return {name: frozenset(names.split()) for name, names in placeholders.items()}


class Sentences(Strict):
    """Sentences the bot fills in: each may quote the partnership's numbers (`{join_early}`…) and use the
    placeholders `PLACEHOLDERS` gives it, and no other."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}

    @model_validator(mode="before")
    @classmethod
    def _only_their_placeholders(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        empty = [name for name, value in data.items() if isinstance(value, str) and not value.strip()]
        if empty:
            raise ValueError(f"{empty[0]} is empty: every sentence needs words")
        return {
            name: filled(value, cls.PLACEHOLDERS.get(name, frozenset()), name) if isinstance(value, str) else value
            for name, value in data.items()
        }
