"""The partnership's numbers (join 2–3 minutes early; reports 2 working days before an Initial conference, 5 before a
Review) are set once, in `bot/domain/policy.py`: no other sentence in the code or the content files types them."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from cards.content import CONTENT_DIRECTORY, read_card_content
from cards.wording.base import ContentError

ROOT = Path(__file__).resolve().parents[2]
POLICY_MODULE = ROOT / "bot" / "domain" / "policy.py"
TYPED_NUMBERS = re.compile(r"\b\d\s*(?:–|-|to)\s*\d\s*minutes\b|\b\d+\s+working\s+days?\b|\b\d\s+before\s+a\s+Review\b")


def _sentences(path: Path) -> list[str]:
    """The string literals of a module that people may read (docstrings, which explain the code, left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_sentence_in_the_code_types_the_numbers() -> None:
    typed = [
        f"{path.relative_to(ROOT)}: {sentence!r}"
        for folder in ("bot", "cards")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != POLICY_MODULE
        for sentence in _sentences(path)
        if TYPED_NUMBERS.search(sentence)
    ]
    assert typed == []


def test_no_wording_in_the_content_files_types_the_numbers() -> None:
    typed = [
        f"{path.name}: {line.strip()}"
        for path in sorted(CONTENT_DIRECTORY.glob("*.yaml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#") and TYPED_NUMBERS.search(line)
    ]
    assert typed == []


def test_the_content_quotes_the_numbers_as_the_policy_sets_them() -> None:
    content = read_card_content()
    points = " ".join(point for section in content.expectations.sections for point in section.points)
    assert "**2–3 minutes early**" in points
    assert "**2 working days** before an Initial conference and **5 working days** before a Review" in points


def test_a_placeholder_the_policy_does_not_have_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIRECTORY, content)
    path = content / "expectations.yaml"
    wording = path.read_text(encoding="utf-8").replace("Join **{join_early} early**", "Join **{join_erly} early**")
    path.write_text(wording, encoding="utf-8")
    with pytest.raises(ContentError, match=r"\{join_erly\} is not a placeholder"):
        read_card_content(content)
