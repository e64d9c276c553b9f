"""Training as schema.org `Course` or `EducationalOccupationalProgram` JSON-LD.

References: https://schema.org/Course (courseCode, provider, teaches, educationalCredentialAwarded,
hasCourseInstance: CourseInstance with courseMode, courseWorkload, startDate, location; offers)
and https://schema.org/EducationalOccupationalProgram (provider, hasCourse, timeToComplete,
educationalProgramMode, educationalCredentialAwarded, startDate, offers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from partners.connectors import schemaorg as so
from partners.connectors.contract import MappedRecord, RecordError, Schedule, SkillRef, Transport

_MODES = {"online": "ONLINE", "distance": "ONLINE", "onsite": "IN_PERSON",
          "in-person": "IN_PERSON", "in person": "IN_PERSON", "blended": "BLENDED",
          "hybrid": "BLENDED", "mixed": "BLENDED"}


def _mode(value: Any) -> str | None:
    raw = so.text(value).lower().rsplit("/", 1)[-1]
    if not raw:
        return None
    return _MODES.get(raw, "IN_PERSON" if raw in {"full-time", "part-time"} else None)


def _credential(value: Any) -> str | None:
    return so.text(value) or None


class CourseConnector:
    name: ClassVar[str] = "schemaorg-course"
    record_type: ClassVar[str] = "TrainingCourse"
    format: ClassVar[str] = "json"
    transports: ClassVar[frozenset[Transport]] = frozenset(Transport)
    truncatable: ClassVar[frozenset[str]] = frozenset({"description"})
    schedule: ClassVar[Schedule] = Schedule(every_seconds=24 * 3600)

    def key(self, raw: Mapping[str, Any]) -> str:
        key = so.identifier(raw.get("courseCode")) or so.identifier(raw.get("identifier"))
        for name in ("@id", "url"):
            if not key and raw.get(name):
                key = so.scalar_key(raw[name], name)
        if not key:
            raise RecordError("course has no courseCode, identifier, @id or url to key it by")
        return key

    def map(self, raw: Mapping[str, Any]) -> MappedRecord:
        types = so.type_of(raw)
        if not types & {"Course", "EducationalOccupationalProgram"}:
            raise RecordError(
                f"expected @type Course or EducationalOccupationalProgram, got {raw.get('@type')!r}"
            )
        key = self.key(raw)
        title = so.text(raw.get("name"))
        if not title:
            raise RecordError("course has no name")
        instances = [i for i in so.as_list(raw.get("hasCourseInstance")) if isinstance(i, Mapping)]
        courses = [c for c in so.as_list(raw.get("hasCourse")) if isinstance(c, Mapping)]
        starts = sorted(d for i in instances if (d := so.date(i.get("startDate"), "startDate")))
        start = so.date(raw.get("startDate"), "startDate") or (starts[0] if starts else None)
        first_instance = instances[0] if instances else {}
        mode = _mode(raw.get("educationalProgramMode")) or _mode(first_instance.get("courseMode"))
        hours = so.duration_hours(raw.get("timeToComplete")) or so.duration_hours(
            first_instance.get("courseWorkload"))
        place = so.where(first_instance.get("location"), raw.get("provider"))
        region = place["region"] or ""
        offer = so.first(raw.get("offers"))
        cost = so.number(offer.get("price"), "offers.price") if isinstance(offer, Mapping) else None
        skills: list[SkillRef] = so.skill_terms(raw.get("teaches"), "teaches")
        for course in courses:
            skills.extend(so.skill_terms(course.get("teaches"), "hasCourse.teaches"))
        unique = {s.uri: s for s in skills}
        properties = {
            "title": title,
            "description": so.text(raw.get("description")),
            **place,
            "mode": mode,
            "durationHours": hours,
            "startDate": start,
            "cost": cost,
            "credential": _credential(raw.get("educationalCredentialAwarded")),
            "programme": "EducationalOccupationalProgram" in types,
            "url": so.text(raw.get("url")) or None,
            "status": "OPEN",
        }
        return MappedRecord(
            record_type=self.record_type,
            key=key,
            properties=properties,
            organisation=so.organisation(raw.get("provider"), "TRAINING_PROVIDER", region,
                                         "provider"),
            skills=tuple(unique[u] for u in sorted(unique)),
        )
