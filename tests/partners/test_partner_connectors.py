"""The three connectors map real-format records and refuse bad ones with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partners.connectors.companies_house import CompaniesHouseConnector
from partners.connectors.contract import RecordError
from partners.connectors.course import CourseConnector
from partners.connectors.jobposting import JobPostingConnector
from partners.connectors.schemaorg import where
from partners.sources import _retry_after, parse_records, read_file

DEMO = Path(__file__).resolve().parents[2] / "partners" / "data" / "demo"


def test_jobposting_maps_schema_org_fields() -> None:
    items, _ = read_file(DEMO / "jobs.jsonld", "json")
    record = JobPostingConnector().map(items[0])
    assert record.key == "DJB-0001" and record.record_type == "Vacancy"
    props = record.properties
    assert props["title"] == "Junior Python Developer"
    assert props["description"] == "Build and test services for public-sector clients."
    assert (props["postedAt"], props["closesAt"]) == ("2026-11-02", "2027-06-30")
    assert (props["salaryMin"], props["salaryMax"], props["salaryCurrency"]) == (28000, 34000,
                                                                                 "GBP")
    assert props["contractType"] == "FULL_TIME"
    # The place as the partner graph's vocabulary names it: the region, its GSS code, the town.
    assert (props["region"], props["regionCode"], props["town"]) == (
        "Yorkshire and The Humber", "E12000003", "Leeds")
    assert record.organisation is not None and record.organisation.business_id == "09000001"
    assert [s.essential for s in record.skills] == [True, True, True, False]
    assert record.occupation is not None and record.occupation.name == "software developer"


def test_content_hash_is_stable_and_content_sensitive() -> None:
    items, _ = read_file(DEMO / "jobs.jsonld", "json")
    connector = JobPostingConnector()
    first = connector.map(items[0]).content_hash()
    assert first == connector.map(json.loads(json.dumps(items[0]))).content_hash()
    changed = dict(items[0], title="Another title")
    assert connector.map(changed).content_hash() != first


def test_course_and_programme() -> None:
    items, _ = read_file(DEMO / "courses.jsonld", "json")
    connector = CourseConnector()
    course = connector.map(items[0])
    assert course.key == "OSC-PY1" and course.properties["mode"] == "BLENDED"
    assert course.properties["durationHours"] == 60 and course.properties["cost"] == 0
    assert course.properties["credential"] == "Level 3 Certificate in Programming"
    programme = connector.map(items[-1])
    assert programme.properties["programme"] is True
    assert programme.properties["durationHours"] == 240  # P30D at 8 study hours a day
    assert programme.properties["credential"] == "Care Certificate"
    assert len(programme.skills) == 3  # from its hasCourse[].teaches


def test_companies_house_header_quirks_and_kinds() -> None:
    rows, _ = read_file(DEMO / "companies.csv", "csv")
    assert "CompanyNumber" in rows[0]  # the real header's leading space is stripped
    connector = CompaniesHouseConnector()
    kinds = {connector.map(r).properties["name"]: connector.map(r).properties["kind"]
             for r in rows}
    assert kinds["OPEN SKILLS COLLEGE TRUST"] == "TRAINING_PROVIDER"
    assert kinds["BACK TO WORK FOUNDATION CIC"] == "THIRD_SECTOR"
    assert kinds["DALES DATA INSIGHT LTD"] == "RESEARCH"
    first = connector.map(rows[0]).properties
    assert first["incorporatedOn"] == "2016-03-14"
    assert (first["region"], first["regionCode"], first["town"]) == (
        "Yorkshire and The Humber", "E12000003", "Leeds")


@pytest.mark.parametrize(("raw", "reason"), [
    ({"@type": "JobPosting", "title": "x"}, "JobPosting has no identifier, @id or url"),
    ({"@type": "Event", "identifier": "1"}, "expected @type JobPosting"),
    ({"@type": "JobPosting", "identifier": "1", "title": "t", "validThrough": "soon"},
     "validThrough is not an ISO 8601 date"),
    ({"@type": "JobPosting", "identifier": "1", "title": "t", "hiringOrganization": {}},
     "hiringOrganization has no name"),
])
def test_bad_postings_are_refused_with_a_reason(raw: dict[str, object], reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        JobPostingConnector().map(raw)


def test_bad_company_rows() -> None:
    with pytest.raises(RecordError, match="CompanyNumber must be 8"):
        CompaniesHouseConnector().map({"CompanyName": "X", "CompanyNumber": "12"})
    with pytest.raises(RecordError, match="IncorporationDate is not a DD/MM/YYYY"):
        CompaniesHouseConnector().map({"CompanyName": "X", "CompanyNumber": "12345678",
                                       "IncorporationDate": "2020-01-01"})


def test_feed_bodies_and_retry_after() -> None:
    graph_body = b'{"@graph": [{"@type": "Course", "name": "a"}]}'
    assert parse_records(graph_body, "json") == [{"@type": "Course", "name": "a"}]
    assert _retry_after("2", 60) == 2.0
    assert _retry_after("3600", 60) == 60.0  # bounded
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 60) == 0.0  # a date in the past


def test_a_feed_place_is_named_by_the_vocabulary_or_kept_as_the_feed_said() -> None:
    """Towns the vocabulary places and region names (in any case) give the region's name and
    GSS code, so the feeds' records join the demo's and the claimant counts; an unknown place
    keeps the feed's words, with no code."""
    assert where({"address": {"addressLocality": "SHEFFIELD"}}) == {
        "region": "Yorkshire and The Humber", "regionCode": "E12000003", "town": "Sheffield"}
    assert where({"address": {"addressRegion": "north west", "addressLocality": "Wigan"}}) == {
        "region": "North West", "regionCode": "E12000002", "town": "Wigan"}
    assert where(None, {"address": {"addressLocality": "Atlantis"}}) == {
        "region": "Atlantis", "regionCode": None, "town": "Atlantis"}
