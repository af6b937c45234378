"""What counts as an e-mail address or user principal name (name@domain.tld): one rule for settings and chairs."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_address(text: str) -> bool:
    return _ADDRESS.fullmatch(text) is not None
