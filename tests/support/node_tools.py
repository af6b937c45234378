"""Running the official Microsoft tools that the project installs from npm (see package.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from harness.processes import PROJECT_ROOT

NODE_MODULES = PROJECT_ROOT / "node_modules"


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is not installed: run `make test`, which installs it")
    return node


def require_package(name: str) -> Path:
    path = NODE_MODULES / name
    if not path.is_dir():
        raise RuntimeError(f"npm package {name} is missing: run `make test` (it runs `npm ci`)")
    return path


def run_node_script(script: Path, *arguments: str, stdin: str = "") -> Any:
    """Run a Node script from the project root and parse the JSON it prints."""
    result = subprocess.run(
        [node_executable(), str(script), *arguments],
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{script.name} failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)
