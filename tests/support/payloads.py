"""The recorded Teams payloads in tests/contract/payloads, pointed at a given serviceUrl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).resolve().parents[1] / "contract" / "payloads"


def recorded(name: str, service_url: str, **changes: Any) -> dict[str, Any]:
    text = (PAYLOADS / name).read_text(encoding="utf-8").replace("SERVICE_URL", service_url)
    loaded: dict[str, Any] = json.loads(text)
    loaded.update(changes)
    return loaded
