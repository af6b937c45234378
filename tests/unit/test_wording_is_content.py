"""Every sentence a person reads comes from `cards/content/*.yaml`: the card builders type no sentence of their own,
and nothing the bot sends (a card's summary, a notice, a message) is a sentence written in the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,:;'\u2019]+[A-Za-z]{2,}")
"""Two words: enough to be something a person reads (element types, styles and ids are single tokens)."""
_TAG = re.compile(r"<[^>]*>?")
"""HTML markup (the side panel's fragments): not read, except the attributes below; an unfinished tag at a
fragment's end counts as markup too."""
_READ_ATTRIBUTE = re.compile(r'(?:aria-label|title|alt|placeholder)="([^"]*)"')
CARD_BUILDERS = sorted(
    path
    for path in (ROOT / "cards").glob("*.py")
    if path.name not in {"content.py", "__init__.py"}  # the loader: its messages are for whoever edits the files
)
SENDERS = {"CardReply", "notice", "build_notice_card", "send_activity", "PersonalMessage"}
"""What carries words to a person: a card and its notification summary, a notice, a message, an e-mail."""


def _not_for_people(tree: ast.AST) -> set[int]:
    """Docstrings (they explain the code), exceptions (for the developer or the log) and log lines (ids only)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        elif isinstance(node, ast.Raise) or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "logger"
        ):
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def _read(path: Path) -> tuple[str, str]:
    return path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))


def _sentences(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    skipped = _not_for_people(tree)
    return [
        f"{where}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and SENTENCE.search(_as_read(node.value))
    ]


def _as_read(value: str) -> str:
    """What a person reads of a literal: its text outside HTML tags, and the tags' read attributes."""
    return " | ".join([*_READ_ATTRIBUTE.findall(value), _TAG.sub(" | ", value)])


def _called(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _typed_words_sent(source: str, where: str) -> list[str]:
    """Arguments to a sender that are words typed in the code: a string literal or an f-string with words."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _called(node) in SENDERS):
            continue
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            literal = argument.value if isinstance(argument, ast.Constant) else None
            parts = argument.values if isinstance(argument, ast.JoinedStr) else []
            words = [literal] if isinstance(literal, str) else [p.value for p in parts if isinstance(p, ast.Constant)]
            if any(SENTENCE.search(str(word)) for word in words):
                found.append(f"{where}:{node.lineno}: {_called(node)}({ast.unparse(argument)})")
    return found


def test_the_card_builders_type_no_sentence() -> None:
    assert CARD_BUILDERS, "the card builders were found"
    assert [sentence for path in CARD_BUILDERS for sentence in _sentences(*_read(path))] == []


def test_nothing_the_bot_sends_is_typed_in_the_code() -> None:
    modules = sorted((ROOT / "bot").rglob("*.py"))
    assert [found for path in modules for found in _typed_words_sent(*_read(path))] == []


CAPITALISED = re.compile(r"^[A-Z][a-z]*[ ,:;']+[a-z]{2,}")
"""A sentence as people read it starts with a capital; the reasons the bot logs for its operator are fragments."""


def _module_sentences(source: str, where: str) -> list[str]:
    """Sentences kept in a module's constants, to be sent from elsewhere (`APOLOGY = "Sorry, …"`)."""
    return [
        f"{where}:{statement.lineno}: {node.value!r}"
        for statement in ast.parse(source).body
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None
        for node in ast.walk(statement.value)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CAPITALISED.search(node.value)
    ]


def test_no_module_keeps_a_sentence_to_send() -> None:
    modules = sorted((ROOT / "bot").rglob("*.py"))
    assert [found for path in modules for found in _module_sentences(*_read(path))] == []


@pytest.mark.parametrize(
    "source",
    [
        'def f(): return heading("Your conference summary")',
        'def f(): return CardReply(card, "Quorum now")',
        'def f(d): return notice(f"I have sent {d} privately")',
        'async def f(t): await t.send_activity("Sorry, try again.")',
        'APOLOGY = "Sorry, something went wrong on my side."',
        'def f(): return "<p>Nobody is here yet</p>"',
        """def f(): return '<button aria-label="Undo this entry">'""",
    ],
)
def test_the_checks_catch_a_typed_sentence(source: str) -> None:
    found = _sentences(source, "probe") or _typed_words_sent(source, "probe") or _module_sentences(source, "probe")
    assert found


def test_the_checks_let_code_through() -> None:
    source = (
        'def f(card, wording):\n    """Says what it does."""\n    return CardReply(card, wording.summary)\n'
        'def g():\n    logger.info("not logged by name id=%s", 1)\n    raise ValueError("not a Teams meeting link")\n'
        """def h(w): return f'<section class="quorum" aria-labelledby="quorum-heading">\\n<p>{w.nobody}</p>'\n"""
    )
    assert _sentences(source, "probe") == []
    assert _typed_words_sent(source, "probe") == []
    assert _module_sentences(source + 'LIMITS = "7/second;8 per 2 seconds"\n', "probe") == []
