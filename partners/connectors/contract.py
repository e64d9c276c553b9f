"""The one small contract every connector follows.

A connector is a feed *format* (schema.org JobPosting, schema.org Course, Companies House basic
company data). A partner platform is an *instance*: it names a connector, a transport and a
location. Keeping the two apart lets two platforms publish the same format (two company registers)
and lets one format arrive by HTTP, by file drop or by webhook without a new connector.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Protocol

import orjson

RECORD_TYPES = ("Vacancy", "TrainingCourse", "Organisation")


class Transport(StrEnum):
    """Where a feed's records come from."""

    HTTP = "HTTP"  # a JSON API we page through (Link rel="next" or a body `next`), with ETags
    FILE = "FILE"  # a CSV or JSON file dropped where we can read it
    WEBHOOK = "WEBHOOK"  # the partner pushes records to our endpoint


TRANSPORTS: dict[str, str] = {
    Transport.HTTP: "A JSON API the sync pages through (a Link rel=\"next\" or a body `next`), "
                    "with ETags.",
    Transport.FILE: "A CSV or JSON file dropped where the sync can read it.",
    Transport.WEBHOOK: "The partner pushes records to the platform's webhook endpoint.",
}
"""Each transport's meaning: the table the API's FeedTransport enum is built from."""


class RecordError(ValueError):
    """A record that cannot be mapped; its message becomes the quarantine reason."""


@dataclass(frozen=True)
class OrgRef:
    """An organisation as a feed names it; ``business_id`` is the register number when known."""

    name: str
    region: str
    kind: str = "EMPLOYER"
    business_id: str | None = None
    region_code: str | None = None
    """The region's GSS code, when the feed's place is one the vocabulary knows."""


@dataclass(frozen=True)
class SkillRef:
    uri: str
    name: str
    essential: bool = True


@dataclass(frozen=True)
class OccupationRef:
    uri: str
    name: str = ""
    code: str | None = None


@dataclass(frozen=True)
class MappedRecord:
    """One feed record mapped onto the graph: a node's properties plus the links it implies.

    Properties are JSON values (dates as ISO strings) so the content hash is stable; the sync
    converts date fields when it writes.
    """

    record_type: str
    key: str
    properties: dict[str, Any]
    organisation: OrgRef | None = None
    skills: tuple[SkillRef, ...] = ()
    occupation: OccupationRef | None = None

    def canonical(self) -> dict[str, Any]:
        return {
            "type": self.record_type,
            "key": self.key,
            "properties": self.properties,
            "organisation": None if self.organisation is None else vars(self.organisation),
            "skills": sorted([s.uri, s.name, s.essential] for s in self.skills),
            "occupation": None if self.occupation is None else vars(self.occupation),
        }

    def content_hash(self) -> str:
        """sha256 of canonical JSON: sorted keys, no spaces, UTF-8; equal content, equal hash.

        The bytes are the standard library's ``json.dumps(sort_keys=True, separators=(",",
        ":"), ensure_ascii=False, default=str)``, so stored hashes keep their meaning; orjson
        writes the same bytes about five times faster for what records hold (text, whole
        numbers, flags, floats from 0.0001 up), and the standard library writes the rest:
        tiny or non-finite floats (orjson spells them differently), numbers beyond 64 bits and
        text orjson refuses (lone surrogates)."""
        canonical = self.canonical()
        body: bytes | None = None
        if all(type(v) is not float or _orjson_spells_alike(v)
               for v in self.properties.values()):
            try:
                body = orjson.dumps(canonical, default=str, option=_CANONICAL)
            except TypeError:
                body = None
        if body is None:
            body = json.dumps(canonical, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False, default=str).encode("utf-8")
        return hashlib.sha256(body).hexdigest()


# Dates, datetimes and dataclasses go through ``default=str`` as the standard library's do.
_CANONICAL = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
              | orjson.OPT_PASSTHROUGH_DATACLASS)


def _orjson_spells_alike(value: float) -> bool:
    """Whether orjson spells this float as ``repr`` (and so ``json``) does."""
    return value == 0 or (math.isfinite(value) and abs(value) >= 1e-4)


@dataclass(frozen=True)
class Schedule:
    """How often a feed is synced when nothing asks: beat checks due platforms every minute."""

    every_seconds: int


class Connector(Protocol):
    """What the sync needs from a feed format."""

    name: ClassVar[str]
    record_type: ClassVar[str]
    format: ClassVar[str]  # "json" or "csv": how a file drop or HTTP body is parsed
    transports: ClassVar[frozenset[Transport]]
    schedule: ClassVar[Schedule]
    # Prose properties that may be cut to the model's limit (with a recorded warning) rather
    # than refusing the record; any other value over its limit is refused.
    truncatable: ClassVar[frozenset[str]]

    def key(self, raw: Mapping[str, Any]) -> str:
        """The feed's own stable key for the record; raises RecordError when it has none."""
        ...

    def map(self, raw: Mapping[str, Any]) -> MappedRecord:
        """Map one raw record; raises RecordError with a reason the partner can act on."""
        ...
