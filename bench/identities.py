"""Who the benchmarks' activities come from and go to: one made-up tenant and the bot's id in it (the bot runs in
local mode, so no token carries them)."""

from __future__ import annotations

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:6f1c2a3e-0000-4000-8000-000000000001"
