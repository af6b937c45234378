"""Quoracy: which agencies are represented at a conference, and whether that is enough to make decisions.

The partnership's usual rule, the default here: children's social care and at least two other agencies present.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Agency:
    key: str
    name: str
    email_domains: frozenset[str]
    tenant_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class QuorumRule:
    required: frozenset[str]
    """Agency keys that must be present."""
    minimum_others: int
    """How many agencies besides the required ones must be present."""


@dataclass(frozen=True, slots=True)
class QuorumAssessment:
    quorate: bool
    represented: tuple[Agency, ...]
    missing_required: tuple[Agency, ...]
    others_present: int
    others_needed: int
    unrecognised_people: int
    """People present whose agency the map does not know: the chair may know them."""


@dataclass(frozen=True, slots=True)
class PresentPerson:
    name: str
    email: str | None
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class QuorumSnapshot:
    """Quoracy at one moment, with who counted for which agency: for the chair only."""

    at: datetime
    assessment: QuorumAssessment
    by_agency: tuple[tuple[Agency, tuple[str, ...]], ...]
    unrecognised: tuple[str, ...]
    """Names of the people present whose agency the map does not know."""


class AgencyDirectory:
    def __init__(self, agencies: Iterable[Agency], rule: QuorumRule) -> None:
        self.agencies = tuple(agencies)
        self.rule = rule
        self._by_domain = {domain: agency for agency in self.agencies for domain in agency.email_domains}
        self._by_tenant = {tenant: agency for agency in self.agencies for tenant in agency.tenant_ids}
        unknown = rule.required - {agency.key for agency in self.agencies}
        if unknown:
            raise ValueError(f"the quorum rule requires unknown agencies: {', '.join(sorted(unknown))}")

    def agency_of(self, email: str | None, tenant_id: str | None) -> Agency | None:
        """By e-mail domain (a subdomain counts: nhs.net covers x.nhs.net), else by the person's home tenant."""
        if email and "@" in email:
            domain = email.rsplit("@", 1)[1].strip().lower()
            while domain:
                if domain in self._by_domain:
                    return self._by_domain[domain]
                _, _, domain = domain.partition(".")
        if tenant_id:
            return self._by_tenant.get(tenant_id.strip().lower())
        return None

    def assess(self, people: Iterable[tuple[str | None, str | None]]) -> QuorumAssessment:
        """Quoracy for the people present, each given as (e-mail or UPN, home tenant id)."""
        present: dict[str, Agency] = {}
        unrecognised = 0
        for email, tenant_id in people:
            agency = self.agency_of(email, tenant_id)
            if agency is None:
                unrecognised += 1
            else:
                present[agency.key] = agency
        missing = tuple(
            agency for agency in self.agencies if agency.key in self.rule.required and agency.key not in present
        )
        others = sum(1 for key in present if key not in self.rule.required)
        return QuorumAssessment(
            quorate=not missing and others >= self.rule.minimum_others,
            represented=tuple(agency for agency in self.agencies if agency.key in present),
            missing_required=missing,
            others_present=others,
            others_needed=max(0, self.rule.minimum_others - others),
            unrecognised_people=unrecognised,
        )

    def snapshot(self, people: Iterable[PresentPerson], at: datetime) -> QuorumSnapshot:
        present = list(people)
        names: dict[str, list[str]] = {}
        unrecognised: list[str] = []
        for person in present:
            agency = self.agency_of(person.email, person.tenant_id)
            if agency is None:
                unrecognised.append(person.name)
            else:
                names.setdefault(agency.key, []).append(person.name)
        return QuorumSnapshot(
            at=at,
            assessment=self.assess((person.email, person.tenant_id) for person in present),
            by_agency=tuple(
                (agency, tuple(sorted(names[agency.key], key=str.lower)))
                for agency in self.agencies
                if agency.key in names
            ),
            unrecognised=tuple(sorted(unrecognised, key=str.lower)),
        )
