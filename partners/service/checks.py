"""A feed record checked at the connector boundary, before anything of it reaches the database.

The limits are the model's (``compiler.model``: each property's rules, ``TEXT_MAX`` for text
that declares no limit of its own), so a value a mutation refuses is refused from a feed too,
and the database never sees a value it would reject (a 1 MB key used to fail the whole batch
with "Property value is too large to index"). What breaks a rule is a ``RecordError``: the record
is quarantined with the reason and the rest of its batch lands. Prose a connector declares
``truncatable`` is cut to its limit instead, with a warning recorded on the record's provenance
and on the run: never silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from civicgraph.compiler.model import (
    DATE,
    DATETIME,
    FLOAT,
    INT,
    OCCUPATION,
    ORGANISATION,
    SKILL,
    STRING,
    TEXT_MAX,
    TYPES,
    Prop,
)
from civicgraph.core.errors import BadInput
from civicgraph.core.validation import Rules
from partners.connectors.contract import (
    Connector,
    MappedRecord,
    OccupationRef,
    OrgRef,
    RecordError,
    SkillRef,
)

# The feed's own key is stored on the provenance edge (and in the record's syncKey, which is
# indexed): text of the model's default length, without control characters.
SOURCE_KEY = Rules(required=True, max_length=TEXT_MAX, pattern=r"[^\x00-\x1f\x7f]+",
                   hint="printable text without control characters")
DATE_FIELDS = ("postedAt", "closesAt", "startDate", "incorporatedOn")
_UNDECLARED = Prop("undeclared").rules  # a property the model does not list: default text rule


@dataclass(frozen=True)
class Checked:
    """A record ready for the batch statement: its properties as stored and what was cut."""

    props: dict[str, Any]
    warnings: tuple[str, ...]


def key(value: str) -> str:
    """The record's key as stored, or a ``RecordError`` saying what is wrong with it."""
    try:
        cleaned = SOURCE_KEY.clean("key", value)
    except BadInput as exc:
        raise RecordError(exc.message) from exc
    return str(cleaned)


def raw_hash(feed: Connector, today: str, raw: Mapping[str, Any]) -> str:
    """A digest of the raw record's canonical bytes, the connector and the day.

    A match means the mapped record cannot have changed, so an unchanged re-sync neither maps
    nor writes it. (The day is in it because mapping reads the date: a posting past its
    validThrough maps to CLOSED.) orjson's sorted dump is the canonical form; a whole number too
    big for 64 bits falls back to the standard library's."""
    try:
        body = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        body = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str).encode()
    digest = _hash_prefix(feed.name, today).copy()
    digest.update(body)
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _hash_prefix(feed_name: str, today: str) -> hashlib.blake2b:
    """The digest of the connector and the day, copied for each record (not re-hashed)."""
    return hashlib.blake2b(f"{feed_name}|{today}|".encode(), digest_size=16)


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


@functools.lru_cache(maxsize=8192)
def _refused_ref(ref: OrgRef | SkillRef | OccupationRef) -> str | None:
    """Why an organisation, skill or occupation a record names breaks its rules, if it does.

    Feeds name the same few employers and skills again and again: each is checked once."""
    try:
        if isinstance(ref, OrgRef):
            try:
                ORGANISATION.clean(_given({"name": ref.name, "kind": ref.kind,
                                           "region": ref.region,
                                           "businessId": ref.business_id}), creating=False)
            except BadInput as exc:
                return f"organisation {exc.message}"
        else:
            node = SKILL if isinstance(ref, SkillRef) else OCCUPATION
            node.clean(_given({"uri": ref.uri, "name": ref.name}), creating=False)
    except BadInput as exc:
        return exc.message
    return None


# What a value of each declared kind may be, as ``isinstance`` takes it (bool is refused as a
# number separately: it is an int to Python).
_ACCEPTS: dict[str, tuple[type, ...]] = {
    STRING: (str,), INT: (int, float), FLOAT: (int, float), DATE: (str, dt.date),
    DATETIME: (str, dt.date),
}
_KIND_NAMES = {STRING: "text", INT: "a number", FLOAT: "a number", DATE: "a date",
               DATETIME: "a date"}


def _typed(name: str, kind: str, value: Any) -> None:
    """The type the model declares: text, a number, a date (as ISO text or a date)."""
    accepts = _ACCEPTS.get(kind)
    if accepts is None or value is None:
        return
    if not isinstance(value, accepts) or (kind != STRING and isinstance(value, bool)):
        raise RecordError(f"{name} must be {_KIND_NAMES[kind]}, got {type(value).__name__}")


def _undeclared(name: str, value: Any) -> None:
    """A property the model does not list still obeys the default rules: short text, numbers,
    flags, or lists of short text; never an object (it would be stored as its repr)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            try:
                _UNDECLARED.clean(name, item)
            except BadInput as exc:
                raise RecordError(exc.message) from exc
        elif item is not None and not isinstance(item, int | float | bool):
            raise RecordError(f"{name} must be text or a number, got {type(item).__name__}")


@dataclass(frozen=True)
class _Declared:
    """A declared property as ``record`` checks it, worked out once per type and connector:
    its kind, the model's length limit, and whether the connector may cut it to that limit."""

    kind: str
    limit: int | None
    cut: bool
    writable: bool


@functools.cache
def _declared(record_type: str, truncatable: frozenset[str]) -> dict[str, _Declared]:
    """The type's properties by name (looked up for every property of every record), with
    their limits from the model's rules; a read-only property has none a feed may write."""
    node = TYPES[record_type]
    return {p.name: _Declared(p.kind, node.rules[p.name].max_length if p.name in node.rules
                              else None, p.name in truncatable, p.name in node.rules)
            for p in node.props}


def record(feed: Connector, mapped: MappedRecord) -> Checked:
    """The record's properties as they will be stored, every one within its rule; raises
    ``RecordError`` (the quarantine reason) for the first that is not."""
    node = TYPES[mapped.record_type]
    declared_props = _declared(mapped.record_type, feed.truncatable)
    props = dict(mapped.properties)
    warnings: list[str] = []
    for name, value in props.items():
        declared = declared_props.get(name)
        if declared is None:
            _undeclared(name, value)
            continue
        if not declared.writable:
            raise RecordError(f"{name} is not a property a feed may write")
        if value is None:
            continue
        _typed(name, declared.kind, value)
        limit = declared.limit
        if declared.cut and limit is not None and isinstance(value, str) and len(value) > limit:
            props[name] = value[:limit].rstrip()
            warnings.append(f"{name} cut from {len(value):,} to {limit:,} characters "
                            "(the model's limit)")
    for name in DATE_FIELDS:
        if isinstance(props.get(name), str):
            try:
                props[name] = dt.date.fromisoformat(props[name])
            except ValueError as exc:
                raise RecordError(f"{name} is not an ISO 8601 date: {props[name]!r}") from exc
    try:
        node.clean(_given(props), creating=False)
    except BadInput as exc:
        raise RecordError(exc.message) from exc
    for ref in (*mapped.skills, mapped.occupation, mapped.organisation):
        refused = None if ref is None else _refused_ref(ref)
        if refused is not None:
            raise RecordError(refused)
    return Checked(props, tuple(warnings))
