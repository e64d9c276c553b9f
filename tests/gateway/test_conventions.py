"""The served schema keeps the API conventions of docs/api-conventions.md.

The schema is the gateway's own, read back through the standard introspection query, so these
tests see what a client sees. Each convention is one test that fails with the list of every type,
field or argument breaking it. There is no list of exceptions: the violations the schema had when
the conventions were written down were all removed, so any violation fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import get_introspection_query, graphql_sync

from civicgraph.gateway.schema import schema

Json = dict[str, Any]


@pytest.fixture(scope="module")
def types() -> dict[str, Json]:
    result = graphql_sync(schema.graphql_schema, get_introspection_query(descriptions=True))
    assert result.errors is None
    assert result.data is not None
    return {t["name"]: t for t in result.data["__schema"]["types"]
            if not t["name"].startswith("__")}


def none(violations: list[str]) -> None:
    """Fail with every violation, one a line (pytest's diff would cut the list short)."""
    if violations:
        pytest.fail(f"{len(violations)} violations:\n" + "\n".join(violations), pytrace=False)


def named(ref: Json) -> str:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return str(ref["name"])


def is_list(ref: Json) -> bool:
    while ref:
        if ref["kind"] == "LIST":
            return True
        ref = ref.get("ofType") or {}
    return False


def is_required(ref: Json) -> bool:
    return bool(ref["kind"] == "NON_NULL")


def objects(types: dict[str, Json]) -> Iterator[Json]:
    return (t for t in types.values()
            if t["kind"] == "OBJECT" and t["name"] not in ("Query", "Mutation"))


def node_types(types: dict[str, Json]) -> set[str]:
    return {t["name"] for t in objects(types)
            if any(i["name"] == "Node" for i in t["interfaces"] or [])}


def value_type(types: dict[str, Json], ref: Json) -> str:
    """The type a field holds; for a filter input (``DateFilter``) the type its ``eq`` takes,
    for a property's aggregate (``DateAggregate``) the type its ``min`` holds."""
    name = named(ref)
    eq = [f for f in types[name].get("inputFields") or [] if f["name"] == "eq"]
    if eq:
        return named(eq[0]["type"])
    low = [f for f in types[name].get("fields") or [] if f["name"] == "min"]
    return named(low[0]["type"]) if low and name.endswith("Aggregate") else name


def every_field(types: dict[str, Json]) -> Iterator[tuple[str, Json]]:
    """Each output field, input field and argument with where it is, as `Type.field(arg)`."""
    for t in types.values():
        for f in t.get("fields") or []:
            yield f"{t['name']}.{f['name']}", f
            for a in f["args"]:
                yield f"{t['name']}.{f['name']}({a['name']})", a
        for f in t.get("inputFields") or []:
            yield f"{t['name']}.{f['name']}", f


def test_every_record_with_an_identity_implements_node(types: dict[str, Json]) -> None:
    nodes = node_types(types)
    violations = sorted(t["name"] for t in objects(types)
                        if any(f["name"] == "id" for f in t["fields"]) and t["name"] not in nodes)
    none(violations)


def test_node_types_are_fetchable_by_node(types: dict[str, Json]) -> None:
    node_field = next(f for f in types["Query"]["fields"] if f["name"] == "node")
    assert [a["name"] for a in node_field["args"]] == ["id"]
    possible = {p["name"] for p in types["Node"]["possibleTypes"]}
    assert possible == node_types(types)


# A name that says "a point in time" or "a day".
TEMPORAL = re.compile(r"(At|Date|Since|Until|Deadline)$|^(since|until|deadline|date|day|at)$")


def test_temporal_values_are_datetime_or_date(types: dict[str, Json]) -> None:
    violations = sorted(
        f"{where}: {named(f['type'])}" for where, f in every_field(types)
        if TEMPORAL.search(f["name"])
        and value_type(types, f["type"]) not in ("DateTime", "Date"))
    none(violations)


COUNT = re.compile(r"(Count|Total|Seconds|Days|Hours|Ms|Percent)$|^(count|total|rank|seen)$")


def test_counts_and_amounts_are_numbers(types: dict[str, Json]) -> None:
    violations = sorted(
        f"{where}: {named(f['type'])}" for where, f in every_field(types)
        if COUNT.search(f["name"]) and value_type(types, f["type"]) not in ("Int", "Float"))
    none(violations)


# Names that hold one of a fixed set of codes wherever they appear in the schema.
CLOSED = re.compile(r"^(status|state|kind|mode|transport|trigger|role|stage|into|direction|"
                    r"relationship|ownership|fundingMethod|powerSits|publicRole|involved|"
                    r"categories|grantTypes|events|table)$")
# A description that lists the allowed values: "LIVE, WITHDRAWN or EXPIRED".
LISTED = re.compile(r"\b[A-Z][A-Z_]+(, [A-Z][A-Z_]+)*,? or [A-Z][A-Z_]+\b|"
                    r"\b[A-Z][A-Z_]+(, [A-Z][A-Z_]+){2,}\b")


def test_closed_sets_are_enums(types: dict[str, Json]) -> None:
    violations = sorted(
        f"{where}: {named(f['type'])}" for where, f in every_field(types)
        if types[value_type(types, f["type"])]["kind"] == "SCALAR"
        and (CLOSED.match(f["name"]) or LISTED.search(f.get("description") or "")))
    none(violations)


def test_every_enum_and_value_is_described(types: dict[str, Json]) -> None:
    violations: list[str] = []
    for t in types.values():
        if t["kind"] != "ENUM":
            continue
        if not t["description"] or t["description"] == "An enumeration.":
            violations.append(t["name"])
        violations += [f"{t['name']}.{v['name']}" for v in t["enumValues"]
                       if not v["description"]]
    none(sorted(violations))


# A record's key other than `id`: a type carrying one without being a Node is a stub of a record.
KEYS = ("id", "uri")
# The stubs the issue found; each must now be the record's own type.
KNOWN_STUBS = ("Ref", "FieldRef", "Proposer", "PilotPartner", "OrganisationRef", "SkillRef",
               "OccupationRef", "CareerVacancy", "CourseSuggestion", "PartnerFeed",
               "ConsentedSkill", "ConsentedOccupation")


def test_a_reference_is_the_records_own_type(types: dict[str, Json]) -> None:
    nodes = node_types(types)
    violations = sorted(
        t["name"] for t in objects(types)
        if t["name"] not in nodes and (t["name"] in KNOWN_STUBS or t["name"].endswith("Ref")
                                       or any(f["name"] in KEYS for f in t["fields"])))
    none(violations)


RAW_ID = re.compile(r"^[a-z]\w*(Id|Ids)$")


def test_no_raw_id_fields(types: dict[str, Json]) -> None:
    """An output field holding another record's id stops traversal; the record is its field.

    A delete payload's ``deletedId`` is the one id there is no record for any more.
    """
    violations = sorted(
        f"{t['name']}.{f['name']}" for t in objects(types) for f in t["fields"]
        if RAW_ID.match(f["name"]) and named(f["type"]) == "ID" and f["name"] != "deletedId")
    none(violations)


def test_lists_of_records_are_connections(types: dict[str, Json]) -> None:
    nodes = node_types(types)
    violations = sorted(
        f"{t['name']}.{f['name']}: [{named(f['type'])}]"
        for t in types.values() if t["kind"] == "OBJECT" and t["name"] != "Mutation"
        and not t["name"].endswith(("Connection", "Edge"))
        for f in t["fields"] or []
        if is_list(f["type"]) and named(f["type"]) in nodes)
    none(violations)


def test_connections_page_both_ways_and_count(types: dict[str, Json]) -> None:
    violations: list[str] = []
    for t in types.values():
        if t["kind"] != "OBJECT" or t["name"] == "Mutation":
            continue
        for f in t["fields"] or []:
            connection = named(f["type"])
            if not connection.endswith("Connection"):
                continue
            args = {a["name"] for a in f["args"]}
            missing = {"first", "after", "last", "before"} - args
            if missing:
                violations.append(f"{t['name']}.{f['name']} lacks {sorted(missing)}")
            fields = {g["name"]: g for g in types[connection]["fields"]}
            for need in ("totalCount", "pageInfo", "edges", "nodes"):
                if need not in fields:
                    violations.append(f"{connection} lacks {need}")
            if "edges" in fields:
                edge = {g["name"] for g in types[named(fields["edges"]["type"])]["fields"]}
                violations += [f"{connection}.edges lacks {n}" for n in ("cursor", "node")
                               if n not in edge]
    none(sorted(set(violations)))


VERB_NOUN = re.compile(r"^[a-z]+([A-Z][a-z0-9]*)+$")


def test_mutations_take_one_input_and_return_their_payload(types: dict[str, Json]) -> None:
    """``verbNoun(input: VerbNounInput!): VerbNounPayload!``; one needing nothing takes nothing."""
    violations: list[str] = []
    for f in types["Mutation"]["fields"]:
        name = f["name"]
        title = name[0].upper() + name[1:]
        if not VERB_NOUN.match(name):
            violations.append(f"{name}: not verbNoun")
        args = f["args"]
        if args and ([a["name"] for a in args] != ["input"] or not is_required(args[0]["type"])
                     or named(args[0]["type"]) != f"{title}Input"):
            violations.append(f"{name}: arguments are not (input: {title}Input!)")
        if not is_required(f["type"]) or named(f["type"]) != f"{title}Payload":
            violations.append(f"{name}: returns {named(f['type'])}, not {title}Payload!")
    none(violations)


def test_payloads_answer_with_records(types: dict[str, Json]) -> None:
    """A payload carries the record it changed as that record's own type, never ``ok: true``."""
    nodes = node_types(types)
    violations: list[str] = []
    for f in types["Mutation"]["fields"]:
        payload = types[named(f["type"])]
        fields = payload.get("fields") or []
        if any(g["name"] == "ok" for g in fields):
            violations.append(f"{payload['name']}.ok")
        if not any(named(g["type"]) in nodes or g["name"] == "deletedId" for g in fields):
            violations.append(f"{payload['name']} has no record")
    none(violations)


def test_the_old_mutation_styles_are_gone(types: dict[str, Json]) -> None:
    """createPartnerPlatform duplicated registerPartnerPlatform without its TEST mode."""
    mutations = {f["name"] for f in types["Mutation"]["fields"]}
    assert "createPartnerPlatform" not in mutations
    assert "registerPartnerPlatform" in mutations
