"""`make pictures`: redraw the pictures in docs/ that the README shows, from today's cards and meeting pages."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tests.support.card_pictures import PICTURES_DIRECTORY, redraw_readme_pictures
from tests.support.chromium import headless_chromium


async def _redraw() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        async with headless_chromium(Path(scratch)) as browser:
            await redraw_readme_pictures(browser)
    print(f"redrew the README's pictures in {PICTURES_DIRECTORY}")


if __name__ == "__main__":
    asyncio.run(_redraw())
