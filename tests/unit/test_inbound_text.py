"""Text entering the bot (`bot.domain.text`) and join links (`bot.domain.conferences`): what is kept, what is not."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.conferences import is_teams_meeting_link
from bot.domain.text import DISPLAY_NAME_LIMIT, folded, identifier, normalise, single_line

anything = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)


@given(anything)
def test_normalised_text_is_encodable_visible_and_stable(value: str) -> None:
    cleaned = normalise(value)
    cleaned.encode("utf-8")  # no lone surrogate left
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") or c in "\n\t" for c in cleaned)
    assert normalise(cleaned) == cleaned


@given(anything)
def test_a_name_is_one_bounded_line(value: str) -> None:
    name = single_line(value)
    assert name is None or ("\n" not in name and 0 < len(name) <= DISPLAY_NAME_LIMIT and name == name.strip())


def test_an_id_is_never_altered_only_refused() -> None:
    assert identifier("29:1abc", 256) == "29:1abc"
    assert identifier("29:1a\u200bbc", 256) is None
    assert identifier("x" * 65, 64) is None
    assert identifier(42, 64) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("jo\u200b evans", "Jo Evans"), ("ÉLODIE", "élodie"), ("STRASSE", "Straße"), ("ΣΟΦΊΑ", "Σοφία")],
)
def test_names_compare_the_same_however_they_arrived(typed: str, stored: str) -> None:
    assert folded(typed) == folded(stored)


@pytest.mark.parametrize(
    "link",
    [
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d",
        "https://teams.microsoft.com/meet/3141592653?p=abcdef",
        "https://gov.teams.microsoft.us/l/meetup-join/19%3ameeting_x%40thread.v2/0",
        "https://dod.teams.microsoft.us/meet/1?p=x",
        "https://teams.microsoftonline.cn/l/meetup-join/19%3ameeting_x%40thread.v2/0",
        "https://teams.cloud.microsoft/meet/1?p=x",
    ],
)
def test_teams_meeting_links_of_every_cloud_are_accepted(link: str) -> None:
    assert is_teams_meeting_link(link)


@pytest.mark.parametrize(
    "link",
    [
        "http://teams.microsoft.com/meet/1?p=x",
        "https://teams.microsoft.com.evil.example/meet/1",
        "https://evil.example/l/meetup-join/19%3ameeting_x%40thread.v2/0",
        "https://teams.microsoft.com@evil.example/meet/1",
        "https://user@teams.microsoft.com/meet/1",
        "https://teams.microsoft.com:8443/meet/1",
        "https://teams.microsoft.com/l/app/abc",
        "https://teams.live.com/meet/1?p=x",
        "javascript:alert(1)",
        "https://teams.microsoft.com/meet/1\n?p=x",
        "",
    ],
)
def test_anything_else_is_not_a_teams_meeting_link(link: str) -> None:
    assert not is_teams_meeting_link(link)
