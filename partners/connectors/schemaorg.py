"""Reading schema.org JSON-LD values, which may be a string, an object or a list of either."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from civicgraph.partner_graph import vocabulary
from partners.connectors.contract import OrgRef, RecordError, SkillRef

_DURATION = re.compile(
    r"^P(?:(?P<days>\d+(?:\.\d+)?)D)?(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:\.\d+)?)M)?)?$"
)
_TAGS = re.compile(r"<[^>]+>")


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    # Called for every field of every record: no list is built for a single value.
    if isinstance(value, list):
        return value[0] if value else None
    return value


def is_object(value: Any) -> bool:
    """A JSON object: parsed feeds give ``dict``, checked by its type first, since an
    ``isinstance`` against the ``Mapping`` ABC costs several times more and runs for nearly
    every field of every record."""
    return type(value) is dict or isinstance(value, Mapping)


def text(value: Any) -> str:
    """A plain string from a literal, a `{"@value"}` or a `{"name"}` object; HTML tags dropped.

    Never clipped here: how long a property may be is the model's rule, which the sync applies
    (refusing the record, or truncating prose with a recorded warning), so nothing is cut
    silently."""
    if type(value) is not str:  # the common case first: a plain string
        value = first(value)
        if is_object(value):
            value = value.get("@value", value.get("name"))
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            raise RecordError(f"expected text, got {type(value).__name__}")
        value = str(value)
    # Most feed text has no markup: the tag pattern runs only where a tag may be.
    return " ".join((_TAGS.sub(" ", value) if "<" in value else value).split())


def identifier(value: Any) -> str | None:
    """schema.org `identifier`: Text, URL or PropertyValue (its `value`).

    Only text or a whole number is an identifier: an object or a list inside a PropertyValue is
    refused rather than stored as its Python repr."""
    value = first(value)
    if is_object(value):
        value = value.get("value", value.get("@value"))
    if value is None or value == "":
        return None
    return scalar_key(value, "identifier")


def scalar_key(value: Any, field: str) -> str:
    """A record key from text or a whole number; anything else is a ``RecordError``."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError(f"{field} must be text or a whole number, got {type(value).__name__}")
    return str(value).strip()


def date(value: Any, field: str) -> str | None:
    """ISO date from a Date or DateTime literal (schema.org allows both for these fields)."""
    raw = text(value)
    if not raw:
        return None
    try:
        if "T" in raw:
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat()
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError as exc:
        raise RecordError(f"{field} is not an ISO 8601 date: {raw!r}") from exc


def duration_hours(value: Any) -> float | None:
    """ISO 8601 duration such as `PT30H` or `P5D` (a day counted as 8 study hours)."""
    raw = text(value)
    if not raw:
        return None
    match = _DURATION.match(raw)
    if not match:
        raise RecordError(f"not an ISO 8601 duration: {raw!r}")
    days, hours, minutes = (float(match.group(g) or 0) for g in ("days", "hours", "minutes"))
    return round(days * 8 + hours + minutes / 60, 2)


def number(value: Any, field: str) -> float | None:
    value = first(value)
    if is_object(value):
        value = value.get("value", value.get("@value"))
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise RecordError(f"{field} is not a number: {value!r}") from exc


def locality(place: Any) -> str:
    """A Place's or Organization's town: address.addressLocality, else addressRegion."""
    place = first(place)
    if not is_object(place):
        return text(place)
    address = first(place.get("address"))
    if is_object(address):
        return text(address.get("addressLocality")) or text(address.get("addressRegion"))
    return text(address)


def _address(place: Any) -> tuple[str, str]:
    """(addressRegion, addressLocality) of a Place or Organization, either possibly empty."""
    place = first(place)
    address = first(place.get("address")) if is_object(place) else place
    if is_object(address):
        return text(address.get("addressRegion")), text(address.get("addressLocality"))
    return "", text(address)


def where(*places: Any) -> dict[str, str | None]:
    """The first of ``places`` with an address, as stored: ``region`` is the English region's
    name and ``regionCode`` its GSS code (``vocabulary``) when the address names a region or a
    town the vocabulary places, else the address's own words; ``town`` is its locality."""
    for place in places:
        area, town = _address(place)
        if area or town:
            town = town.title() if town.isupper() else town
            code = vocabulary.region_code(area, town)
            return {"region": vocabulary.REGION_NAMES[code] if code else town or area,
                    "regionCode": code, "town": town or None}
    return {"region": "", "regionCode": None, "town": None}


def organisation(value: Any, kind: str, fallback_region: str, field: str) -> OrgRef:
    """An Organization (hiringOrganization, provider); its `identifier` is the business id."""
    value = first(value)
    if isinstance(value, str):
        value = {"name": value}
    if not is_object(value) or not text(value.get("name")):
        raise RecordError(f"{field} has no name")
    place = where(value)
    return OrgRef(
        name=text(value.get("name")),
        region=place["region"] or fallback_region,
        kind=kind,
        business_id=identifier(value.get("identifier")),
        region_code=place["regionCode"] if place["region"] else vocabulary.region_code(
            fallback_region),
    )


def skill_terms(value: Any, field: str) -> list[SkillRef]:
    """DefinedTerms naming ESCO skills (their `@id` or `url`); free-text skills are skipped.

    schema.org has no essential/optional flag on a skill, so a term may carry ESCO's own
    `relationType` ("essential" or "optional", default essential) under the `esco:` prefix.
    """
    skills: list[SkillRef] = []
    for term in as_list(value):
        if not is_object(term):
            continue  # a free-text skill names no ESCO concept: nothing to link
        uri = term.get("@id") or term.get("url") or term.get("termCode")
        if not isinstance(uri, str) or ":" not in uri:
            raise RecordError(f"{field} has a term without a URI: {text(term.get('name'))!r}")
        relation = str(term.get("esco:relationType", "essential")).lower()
        if relation not in {"essential", "optional"}:
            raise RecordError(f"{field} relationType must be essential or optional")
        skills.append(SkillRef(uri=uri, name=text(term.get("name")),
                               essential=relation == "essential"))
    return skills


def type_of(raw: Mapping[str, Any]) -> set[str]:
    return {str(t).removeprefix("schema:").rsplit("/", 1)[-1] for t in as_list(raw.get("@type"))}
