"""Pin the Dockerfile's base images to the digests their tags point at now, so that every build gets the same bytes
until someone moves them on: `make pin-images` (Docker with access to the registry). Run it again to take newer
images (a new Python patch release, security fixes); the tag stays beside the digest for the reader.

`FROM python:3.11-slim AS runtime` becomes `FROM python:3.11-slim@sha256:… AS runtime`; a line already pinned is
re-pinned to its tag's current digest.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"
_FROM = re.compile(r"^(?P<from>FROM\s+(?:--platform=\S+\s+)?)(?P<image>[^\s@]+)(?:@sha256:[0-9a-f]{64})?(?P<rest>.*)$")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")

Resolve = Callable[[str], str]
"""An image reference (`python:3.11-slim`) → the digest its tag points at now (`sha256:…`)."""


def pinned(dockerfile: str, resolve: Resolve) -> str:
    """The Dockerfile with each base image pinned to `resolve`'s digest (build stages named by `AS` are left alone)."""
    stages: set[str] = set()
    lines = []
    for line in dockerfile.splitlines(keepends=True):
        match = _FROM.match(line.rstrip("\n"))
        if match is None:
            lines.append(line)
            continue
        image, rest = match["image"], match["rest"]
        if stage := re.search(r"\bAS\s+(\S+)", rest, re.IGNORECASE):
            stages.add(stage.group(1).lower())
        if image.lower() in stages or image == "scratch":
            lines.append(line)
            continue
        digest = resolve(image)
        if not _DIGEST.fullmatch(digest):
            raise ValueError(f"{image}: {digest!r} is not an image digest")
        lines.append(f"{match['from']}{image}@{digest}{rest}" + ("\n" if line.endswith("\n") else ""))
    return "".join(lines)


def digest_from_docker(image: str) -> str:
    """Pull the tag and read the digest it was pulled by (for a multi-platform image, its index's)."""
    docker = shutil.which("docker")
    if docker is None:
        raise LookupError("docker is not installed here")
    subprocess.run([docker, "pull", "--quiet", image], check=True, stdout=subprocess.DEVNULL)
    found = subprocess.run(
        [docker, "image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", image],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    repository = image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
    for reference in found.split():
        name, _, digest = reference.partition("@")
        if name.removeprefix("docker.io/library/").removeprefix("docker.io/") == repository:
            return digest
    raise LookupError(f"{image}: docker reports no digest for it")


def main() -> int:
    before = DOCKERFILE.read_text(encoding="utf-8")
    after = pinned(before, digest_from_docker)
    DOCKERFILE.write_text(after, encoding="utf-8")
    for line in after.splitlines():
        if line.startswith("FROM "):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
