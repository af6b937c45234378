"""Quoracy: which agencies are represented at a conference, and whether that is enough to make decisions.

The partnership's usual rule, the default here: children's social care and at least two other agencies with direct
involvement present. The conference's CP Chairs never count, nor do the people the agencies file lists as no agency
(business support, minute takers), whatever their e-mail domain says.
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
class NonAgency:
    """People who attend conferences without representing an agency: business support, minute takers."""

    name: str
    addresses: frozenset[str]
    """E-mail addresses or user principal names, lower case."""
    object_ids: frozenset[str]
    """Entra object ids, lower case."""


@dataclass(frozen=True, slots=True)
class PresentPerson:
    name: str
    email: str | None
    tenant_id: str | None
    aad_object_id: str | None = None
    chair: bool = False
    """A CP Chair of this conference: present, but never counted towards quorum."""


@dataclass(frozen=True, slots=True)
class QuorumSnapshot:
    """Quoracy at one moment, with who counted for which agency: for the chair only."""

    at: datetime
    assessment: QuorumAssessment
    by_agency: tuple[tuple[Agency, tuple[str, ...]], ...]
    unrecognised: tuple[str, ...]
    """Names of the people present whose agency the map does not know."""
    chairs: tuple[str, ...] = ()
    """Names of the conference's chairs present (not counted)."""
    not_agencies: tuple[tuple[NonAgency, tuple[str, ...]], ...] = ()
    """Present, and listed as no agency (not counted)."""


class AgencyDirectory:
    def __init__(self, agencies: Iterable[Agency], rule: QuorumRule, non_agency: Iterable[NonAgency] = ()) -> None:
        self.agencies = tuple(agencies)
        self.rule = rule
        self.non_agency = tuple(non_agency)
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

    def non_agency_of(self, email: str | None, aad_object_id: str | None) -> NonAgency | None:
        """The no-agency group the agencies file lists this person in, if any (by address or Entra object id)."""
        address, object_id = (email or "").strip().lower(), (aad_object_id or "").strip().lower()
        for group in self.non_agency:
            if (address and address in group.addresses) or (object_id and object_id in group.object_ids):
                return group
        return None

    def counts(self, person: PresentPerson) -> bool:
        """Whether this person counts towards quorum at all: not a chair, not listed as no agency."""
        return not person.chair and self.non_agency_of(person.email, person.aad_object_id) is None

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
        everyone = list(people)
        present = [person for person in everyone if self.counts(person)]
        names: dict[str, list[str]] = {}
        unrecognised: list[str] = []
        chairs = sorted((person.name for person in everyone if person.chair), key=str.lower)
        not_agencies: dict[str, list[str]] = {}
        for person in everyone:
            group = None if person.chair else self.non_agency_of(person.email, person.aad_object_id)
            if group is not None:
                not_agencies.setdefault(group.name, []).append(person.name)
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
            chairs=tuple(chairs),
            not_agencies=tuple(
                (group, tuple(sorted(not_agencies[group.name], key=str.lower)))
                for group in self.non_agency
                if group.name in not_agencies
            ),
        )
