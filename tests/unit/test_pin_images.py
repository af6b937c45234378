"""`make pin-images`: the Dockerfile's base images pinned to a digest each, stages and other lines untouched."""

from __future__ import annotations

import pytest

from tools.pin_images import DOCKERFILE, pinned

DIGESTS = {"node:20-slim": "sha256:" + "a" * 64, "python:3.11-slim": "sha256:" + "b" * 64}


def test_each_base_image_is_pinned_and_stages_are_left_alone() -> None:
    dockerfile = (
        "# build\nFROM node:20-slim AS pages\nRUN npm ci\n"
        f"FROM python:3.11-slim@sha256:{'0' * 64} AS runtime\nCOPY --from=pages /a /b\n"
        "FROM pages AS again\n"
    )
    assert pinned(dockerfile, DIGESTS.__getitem__) == (
        f"# build\nFROM node:20-slim@{DIGESTS['node:20-slim']} AS pages\nRUN npm ci\n"
        f"FROM python:3.11-slim@{DIGESTS['python:3.11-slim']} AS runtime\nCOPY --from=pages /a /b\n"
        "FROM pages AS again\n"
    )


def test_what_is_not_a_digest_is_refused() -> None:
    with pytest.raises(ValueError, match="is not an image digest"):
        pinned("FROM python:3.11-slim\n", lambda image: "latest")


def test_the_project_dockerfile_has_base_images_the_tool_can_pin() -> None:
    seen: list[str] = []

    def resolve(image: str) -> str:
        seen.append(image)
        return DIGESTS[image]

    pinned(DOCKERFILE.read_text(encoding="utf-8"), resolve)
    assert seen == ["node:20-slim", "python:3.11-slim"]
