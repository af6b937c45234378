from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.agencies import load_agencies
from bot.config.settings import DEFAULT_AGENCIES_FILE
from bot.domain.quorum import AgencyDirectory
from cards.wording.base import ContentError

EXAMPLE = """
agencies:
  - {key: social-care, name: Children's social care, email_domains: [council.gov.uk]}
  - {key: police, name: Police, email_domains: [police.uk]}
  - {key: health, name: Health, email_domains: [nhs.net], tenant_ids: [AAAA-1111]}
  - {key: education, name: Education, email_domains: [school.sch.uk]}
quorum: {required: [social-care], minimum_other_agencies: 2}
"""


@pytest.fixture
def directory(tmp_path: Path) -> AgencyDirectory:
    path = tmp_path / "agencies.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    return load_agencies(path)


def test_the_bundled_file_is_valid_and_has_the_usual_rule() -> None:
    directory = load_agencies(DEFAULT_AGENCIES_FILE)
    assert directory.rule.required == frozenset({"social-care"})
    assert directory.rule.minimum_others == 2


@pytest.mark.parametrize(
    ("email", "tenant", "key"),
    [
        ("jane@council.gov.uk", None, "social-care"),
        ("Jane@COUNCIL.GOV.UK", None, "social-care"),
        ("pc.smith@thames.police.uk", None, "police"),  # a subdomain counts
        ("nurse@trust.nhs.net", None, "health"),
        (None, "aaaa-1111", "health"),  # by home tenant, any case
        ("someone@gmail.com", None, None),
        ("not-an-email", None, None),
        (None, None, None),
    ],
)
def test_agency_of(directory: AgencyDirectory, email: str | None, tenant: str | None, key: str | None) -> None:
    agency = directory.agency_of(email, tenant)
    assert (agency.key if agency else None) == key


def test_social_care_and_two_others_is_quorate(directory: AgencyDirectory) -> None:
    assessment = directory.assess(
        [("sw@council.gov.uk", None), ("pc@police.uk", None), ("hv@nhs.net", None), ("x@gmail.com", None)]
    )
    assert assessment.quorate
    assert [agency.key for agency in assessment.represented] == ["social-care", "police", "health"]
    assert assessment.unrecognised_people == 1


def test_without_social_care_it_is_not_quorate(directory: AgencyDirectory) -> None:
    assessment = directory.assess([("pc@police.uk", None), ("hv@nhs.net", None), ("t@school.sch.uk", None)])
    assert not assessment.quorate
    assert [agency.key for agency in assessment.missing_required] == ["social-care"]


def test_several_people_from_one_agency_count_once(directory: AgencyDirectory) -> None:
    assessment = directory.assess([("a@council.gov.uk", None), ("b@police.uk", None), ("c@police.uk", None)])
    assert not assessment.quorate
    assert assessment.others_present == 1
    assert assessment.others_needed == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agencies: []\nquorum: {minimum_other_agencies: 2}\n", "agencies"),
        (EXAMPLE.replace("minimum_other_agencies: 2", "minimum_other_agencies: -1"), "minimum_other_agencies"),
        (EXAMPLE.replace("required: [social-care]", "required: [socialcare]"), "unknown agencies: socialcare"),
        (EXAMPLE.replace("key: police", "key: social-care"), "used twice"),
        (EXAMPLE.replace("key: police", "key: Police Force"), "key"),
        ("agencies: [\n", "not valid YAML"),
    ],
)
def test_a_broken_file_is_named_with_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "agencies.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        load_agencies(path)
