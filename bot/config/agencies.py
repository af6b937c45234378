"""The agencies file (AGENCIES_FILE, by default config/agencies.yaml): agencies and the quorum rule."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.quorum import Agency, AgencyDirectory, QuorumRule
from cards.content import ContentError, read_yaml_model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _AgencyEntry(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    email_domains: tuple[str, ...] = ()
    tenant_ids: tuple[str, ...] = ()


class _QuorumEntry(_Strict):
    required: tuple[str, ...] = ()
    minimum_other_agencies: int = Field(ge=0)


class _AgenciesFile(_Strict):
    agencies: tuple[_AgencyEntry, ...] = Field(min_length=1)
    quorum: _QuorumEntry


def load_agencies(path: Path) -> AgencyDirectory:
    """Read and check the agencies file; ContentError names the file and what is wrong."""
    parsed = read_yaml_model(path, _AgenciesFile)
    keys = [entry.key for entry in parsed.agencies]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ContentError(f"{path}: agencies: the key {duplicates[0]!r} is used twice")
    agencies = [
        Agency(
            key=entry.key,
            name=entry.name,
            email_domains=frozenset(domain.lower().lstrip("@") for domain in entry.email_domains),
            tenant_ids=frozenset(tenant.lower() for tenant in entry.tenant_ids),
        )
        for entry in parsed.agencies
    ]
    try:
        return AgencyDirectory(
            agencies, QuorumRule(frozenset(parsed.quorum.required), parsed.quorum.minimum_other_agencies)
        )
    except ValueError as problem:
        raise ContentError(f"{path}: quorum: {problem}") from None
