from __future__ import annotations

import pytest

from bot.teams.endpoint import is_loopback


@pytest.mark.parametrize("remote", ["127.0.0.1", "127.10.0.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_addresses(remote: str) -> None:
    assert is_loopback(remote)


@pytest.mark.parametrize(
    "remote", [None, "", "10.0.0.1", "192.168.1.5", "203.0.113.9", "::ffff:10.0.0.1", "fe80::1", "x"]
)
def test_other_addresses(remote: str | None) -> None:
    assert not is_loopback(remote)
