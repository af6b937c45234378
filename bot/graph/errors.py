"""What Graph's answers mean for trying again."""

from __future__ import annotations

RETRYABLE = frozenset({429, 500, 502, 503, 504})
"""Statuses worth trying again later (throttling, a passing fault); anything else is a refusal that stays."""
