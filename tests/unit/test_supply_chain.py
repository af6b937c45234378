"""The supply chain: every requirement is pinned with its hashes, and every install (the Makefile's, the
Dockerfile's) refuses a file whose hash was not locked."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _requirements(path: Path) -> list[tuple[str, list[str]]]:
    """(name==version, its hashes) for each requirement, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pin, *rest = line.split()
        found.append((pin, [part for part in rest if part.startswith("--hash=sha256:")]))
    return found


def test_every_requirement_is_pinned_with_its_hashes() -> None:
    for name in ("runtime.txt", "dev.txt"):
        requirements = _requirements(ROOT / "requirements" / name)
        assert requirements, name
        for pin, hashes in requirements:
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[A-Za-z0-9_,\-]+\])?==[A-Za-z0-9_.+\-]+", pin), (
                f"{name}: {pin} is not pinned"
            )
            assert hashes, f"{name}: {pin} has no hash"


def test_every_install_requires_the_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*-r requirements/\S+", makefile)
    assert len(installs) == 2
    assert all("--require-hashes" in install for install in installs), installs
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    [docker_install] = re.findall(r"pip install[^\n]*-r requirements/\S+", dockerfile)
    assert "--require-hashes" in docker_install
