"""Job postings as schema.org `JobPosting` JSON-LD (the format job boards publish for search).

Reference: https://schema.org/JobPosting — title, description, datePosted, validThrough,
hiringOrganization, jobLocation, employmentType, baseSalary (MonetaryAmount with a
QuantitativeValue), occupationalCategory (Text or CategoryCode), skills (Text or DefinedTerm).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from partners.connectors import schemaorg as so
from partners.connectors.contract import (
    MappedRecord,
    OccupationRef,
    RecordError,
    Schedule,
    Transport,
)


def _occupation(value: Any) -> OccupationRef | None:
    """occupationalCategory as a CategoryCode whose codeValue or @id is an ESCO URI."""
    value = so.first(value)
    if so.is_object(value):
        uri = value.get("@id") or value.get("codeValue")
        if isinstance(uri, str) and ":" in uri:
            return OccupationRef(uri=uri, name=so.text(value.get("name")))
    return None


class JobPostingConnector:
    name: ClassVar[str] = "schemaorg-jobposting"
    record_type: ClassVar[str] = "Vacancy"
    format: ClassVar[str] = "json"
    transports: ClassVar[frozenset[Transport]] = frozenset(Transport)
    truncatable: ClassVar[frozenset[str]] = frozenset({"description"})
    schedule: ClassVar[Schedule] = Schedule(every_seconds=3600)

    def key(self, raw: Mapping[str, Any]) -> str:
        key = so.identifier(raw.get("identifier"))
        for name in ("@id", "url"):
            if not key and raw.get(name):
                key = so.scalar_key(raw[name], name)
        if not key:
            raise RecordError("JobPosting has no identifier, @id or url to key it by")
        return key

    def map(self, raw: Mapping[str, Any]) -> MappedRecord:
        if "JobPosting" not in so.type_of(raw):
            raise RecordError(f"expected @type JobPosting, got {raw.get('@type')!r}")
        key = self.key(raw)
        title = so.text(raw.get("title"))
        if not title:
            raise RecordError("JobPosting has no title")
        place = so.where(raw.get("jobLocation"), raw.get("hiringOrganization"))
        region = place["region"] or ""
        salary = so.first(raw.get("baseSalary"))
        salary_min = salary_max = None
        currency = unit = None
        if so.is_object(salary):
            value = so.first(salary.get("value"))
            currency = so.text(salary.get("currency")) or None
            if so.is_object(value):
                single = so.number(value.get("value"), "baseSalary.value")
                salary_min = so.number(value.get("minValue"), "baseSalary.minValue") or single
                salary_max = so.number(value.get("maxValue"), "baseSalary.maxValue") or single
                unit = so.text(value.get("unitText")) or None
            else:
                salary_min = salary_max = so.number(value, "baseSalary.value")
        closes = so.date(raw.get("validThrough"), "validThrough")
        open_now = closes is None or closes >= dt.date.today().isoformat()
        properties = {
            "title": title,
            "description": so.text(raw.get("description")),
            **place,
            "postedAt": so.date(raw.get("datePosted"), "datePosted"),
            "closesAt": closes,
            "contractType": ",".join(so.text(t) for t in so.as_list(raw.get("employmentType")))
            or None,
            "salaryMin": salary_min,
            "salaryMax": salary_max,
            "salaryCurrency": currency,
            "salaryUnit": unit,
            "url": so.text(raw.get("url")) or None,
            "status": "OPEN" if open_now else "CLOSED",
        }
        return MappedRecord(
            record_type=self.record_type,
            key=key,
            properties=properties,
            organisation=so.organisation(raw.get("hiringOrganization"), "EMPLOYER", region,
                                         "hiringOrganization"),
            skills=tuple(so.skill_terms(raw.get("skills"), "skills")),
            occupation=_occupation(raw.get("occupationalCategory")),
        )
