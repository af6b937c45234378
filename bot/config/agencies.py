"""The agencies file (AGENCIES_FILE, by default config/agencies.yaml): agencies and the quorum rule."""

from __future__ import annotations

import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.addresses import is_address
from bot.domain.quorum import Agency, AgencyDirectory, NonAgency, QuorumRule
from cards.content import read_yaml_model
from cards.wording.base import ContentError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _AgencyEntry(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    email_domains: tuple[str, ...] = ()
    tenant_ids: tuple[str, ...] = ()


class _NonAgencyEntry(_Strict):
    name: str = Field(min_length=1)
    people: tuple[str, ...] = ()
    """E-mail addresses (or user principal names) and Entra object ids."""


class _QuorumEntry(_Strict):
    required: tuple[str, ...] = ()
    minimum_other_agencies: int = Field(ge=0)


class _AgenciesFile(_Strict):
    agencies: tuple[_AgencyEntry, ...] = Field(min_length=1)
    non_agency: tuple[_NonAgencyEntry, ...] = ()
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
    non_agency = [_non_agency(path, entry) for entry in parsed.non_agency]
    try:
        return AgencyDirectory(
            agencies,
            QuorumRule(frozenset(parsed.quorum.required), parsed.quorum.minimum_other_agencies),
            non_agency,
        )
    except ValueError as problem:
        raise ContentError(f"{path}: quorum: {problem}") from None


def _non_agency(path: Path, entry: _NonAgencyEntry) -> NonAgency:
    addresses: set[str] = set()
    object_ids: set[str] = set()
    for raw in entry.people:
        person = raw.strip().lower()
        if is_address(person):
            addresses.add(person)
            continue
        try:
            object_ids.add(str(uuid.UUID(person)))
        except ValueError:
            raise ContentError(
                f"{path}: non_agency: {entry.name}: {raw!r} is neither an e-mail address nor an Entra object id"
            ) from None
    return NonAgency(entry.name, frozenset(addresses), frozenset(object_ids))
