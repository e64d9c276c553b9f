"""The Cypher the compiler writes for a GraphQL query, compared with the text stored beside it.

In the manner of @neo4j/graphql's TCK tests: a query goes through the gateway's own selection
building, the compiler turns it into one statement, and the statement with its parameters is
compared with ``snapshots/<case>.cypher``, where a reviewer reads what a client's query costs the
database. No database is needed. A change to the compiler shows up as a diff of these files:
look at it, then rewrite them with ``UPDATE_SNAPSHOTS=1 pytest tests/compiler``.

The stored statement is laid out one clause a line, indented by brace depth, for reading only:
the comparison is of the exact text (the layout only turns single spaces into line breaks, and
``test_the_layout_changes_nothing_but_spaces`` keeps it so).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from bench.graph_bench import CROSS_QUERY, OUR_QUERY
from civicgraph.compiler import cursors
from civicgraph.core.access import ANONYMOUS, Principal
from civicgraph.core.errors import BadInput
from tests.compiler.builders import Compiled, compiled

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"

# A partner organisation's own client (client credentials), as a token would describe it.
PARTNER_CLIENT = Principal(subject="partner-client", client_id="partner-client",
                           organisation_id="org-partner", scopes=frozenset({"graph:read"}))

NESTED = """
{
  organisations(first: 2) {
    totalCount
    edges { cursor node { id name
      partners(first: 3) { nodes { name
        vacancies(first: 5) { nodes { title postedAt
          skills { nodes { uri name } } } } } } } }
  }
}
"""

# The filter language has no AND/OR/NOT keys: every condition given must hold (AND), capableIn
# is "any of these fields or skills" (OR), and hasVacancies: false is "offers none" (NOT).
FILTER = """
query Filtered($region: String!, $skills: [String!]) {
  organisations(first: 10, where: {
      region: {eq: $region}, kind: {in: [EMPLOYER, TRAINING_PROVIDER]},
      name: {startsWith: "North"},
      capableIn: {fields: ["employment-services"], skills: $skills},
      hasVacancies: false}) {
    nodes { name
      vacancies(where: {status: {eq: OPEN}, salaryMin: {gte: 25000}}) { nodes { title } } }
  }
}
"""

PAGE = """
query Page($after: String) {
  organisations(first: 2, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { name } }
  }
}
"""

LAST = "{ organisations(last: 2) { totalCount nodes { name } } }"

ORDERED = """
{
  vacancies(first: 5, orderBy: [{field: SALARY_MAX, direction: DESC}, {field: POSTED_AT}]) {
    nodes { title salaryMax postedAt
      organisation { name
        partners(orderBy: [{field: PARTNER_COUNT, direction: DESC}]) { nodes { name } } } }
  }
}
"""

VISIBLE = "{ vacancies(first: 5) { nodes { title organisation { name } } } }"

BEFORE = """
query Back($before: String) {
  organisations(last: 3, before: $before, orderBy: [{field: REGION, direction: DESC}]) {
    pageInfo { hasPreviousPage hasNextPage }
    nodes { name region }
  }
}
"""

REACH = """query R($id: ID!) { partnersOfPartners(id: $id, hops: 2) { distance
  organisation { name } } }"""
CHAIN = """query C($a: ID!, $z: ID!) { partnershipChain(from: $a, to: $z) { length
  organisations { nodes { name } } } }"""

# A nested connection with everything a client can ask of one: the partnership on each edge,
# the count and both directions of paging (positions in the ordered match).
# A keyset cursor of organisation a's partners ordered by name (compiler.nested): after
# "Partner B" (id ...b), bound to Organisation.partners with that order.
NESTED_CURSOR = ('~[1,"3aeaa01038ebb375",["00000000-0000-0000-0000-00000000000a","Partner B",'
                 '"00000000-0000-0000-0000-00000000000b"]]')
NESTED_CONNECTION = """
query Partners($id: ID!, $after: String) {
  organisation(id: $id) { name
    partners(first: 2, after: $after, orderBy: [{field: NAME}]) { totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor since agreement node { name } } } }
}
"""

# A platform client's token and an admin's: the visibility predicate is written per scope.
ADMIN = Principal(subject="admin", client_id="console", scopes=frozenset({"admin"}))


def cursor(field: str, values: list[Any], **args: Any) -> str:
    """A cursor as the API gives one out for an item with these sort-key values."""
    return cursors.encode(cursors.fingerprint(field, args), values)


AFTER_B = cursor("organisations", ["Org B", "00000000-0000-0000-0000-00000000000b"])
BEFORE_M = cursor("organisations", ["North", "00000000-0000-0000-0000-00000000000m"],
                  orderBy=[{"field": "region", "direction": "DESC"}])

CASES: dict[str, tuple[str, dict[str, Any], Principal]] = {
    "nested_read": (NESTED, {}, ANONYMOUS),
    "filter_and_or_not": (FILTER, {"region": "North' OR true //",
                                   "skills": ["http://data.europa.eu/esco/skill/python"]},
                          ANONYMOUS),
    "connection_first_after": (PAGE, {"after": AFTER_B}, ANONYMOUS),
    "connection_last_before": (BEFORE, {"before": BEFORE_M}, ANONYMOUS),
    "benchmark_nested_read": (OUR_QUERY, {}, ANONYMOUS),
    # The cross-domain read of `make bench-graph`, as the admin the benchmark reads it as: the
    # lab's guards inside, so work added to either statement shows here before it is measured.
    "benchmark_cross_read": (CROSS_QUERY, {}, ADMIN),
    "connection_last": (LAST, {}, ANONYMOUS),
    "nested_connection": (NESTED_CONNECTION, {"id": "00000000-0000-0000-0000-00000000000a",
                                              "after": NESTED_CURSOR}, ANONYMOUS),
    "ordering": (ORDERED, {}, ANONYMOUS),
    "visibility_anonymous": (VISIBLE, {}, ANONYMOUS),
    "visibility_partner_client": (VISIBLE, {}, PARTNER_CLIENT),
    "visibility_admin": (VISIBLE, {}, ADMIN),
    "discovery_reach": (REACH, {"id": "00000000-0000-0000-0000-00000000000a"}, ANONYMOUS),
    "discovery_chain": (CHAIN, {"a": "00000000-0000-0000-0000-00000000000a",
                                "z": "00000000-0000-0000-0000-00000000000z"}, PARTNER_CLIENT),
}

# Compiled as the HTTP endpoint sends them, items as the database's JSON text (json_text.py):
# what `make bench-graph` measures.
AS_TEXT = {"benchmark_nested_read", "benchmark_cross_read"}

_CLAUSES = ("MATCH", "WHERE", "WITH", "RETURN", "CALL", "UNION")
# Words that make a clause word part of something else: STARTS WITH, OPTIONAL MATCH, UNION ALL.
_JOINED = ("STARTS", "ENDS", "OPTIONAL")


def layout(cypher: str) -> str:
    """One clause a line, indented by brace depth; an ``EXISTS { }`` predicate and quoted text
    stay on their line."""
    out: list[str] = []
    inline: list[bool] = []  # per open brace: inside an EXISTS predicate
    quote: str | None = None
    for i, char in enumerate(cypher):
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "'`\"":
            quote = char
        elif char == "{":
            inline.append(bool(inline and inline[-1]) or cypher.endswith("EXISTS ", 0, i))
        elif char == "}":
            inline.pop()
        elif char == " " and not (inline and inline[-1]) and _clause_starts(cypher, i + 1) \
                and not any(cypher.endswith(word, 0, i) for word in _JOINED):
            out.append("\n" + "  " * len(inline))
            continue
        out.append(char)
    return "".join(out)


def _clause_starts(text: str, at: int) -> bool:
    for word in _CLAUSES:
        end = at + len(word)
        if text.startswith(word, at) and (end == len(text) or not text[end].isalnum()):
            return True
    return False


def unlayout(text: str) -> str:
    return re.sub(r"\n *", " ", text)


def _value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"a parameter of type {type(value).__name__}")


def render(case: str) -> str:
    query, variables, principal = CASES[case]
    read = compiled(query, variables, principal, json_text=case in AS_TEXT)
    caller = "anonymous" if principal is ANONYMOUS else f"client {principal.client_id}"
    lines = ["// GraphQL:", *[f"//   {line}" for line in query.strip().splitlines()]]
    if variables:
        lines.append("// Variables: " + json.dumps(variables, sort_keys=True))
    lines += [f"// Caller: {caller}",
              "// Parameters: " + json.dumps(read.params, sort_keys=True, default=_value),
              layout(read.cypher)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_cypher_matches_its_snapshot(case: str) -> None:
    path = SNAPSHOTS / f"{case}.cypher"
    text = render(case)
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: write it with UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


def test_every_snapshot_belongs_to_a_case() -> None:
    """A renamed or dropped case leaves no stale text for a reviewer to trust."""
    assert {p.stem for p in SNAPSHOTS.glob("*.cypher")} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_query_compiles_to_the_same_text(case: str) -> None:
    query, variables, principal = CASES[case]
    assert compiled(query, variables, principal) == compiled(query, variables, principal)
    assert render(case) == render(case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_layout_changes_nothing_but_spaces(case: str) -> None:
    query, variables, principal = CASES[case]
    cypher = compiled(query, variables, principal).cypher
    assert "\n" not in cypher
    assert unlayout(layout(cypher)) == cypher


def test_a_whole_nested_read_is_one_statement_with_values_as_parameters() -> None:
    read = compiled(NESTED)
    assert read.cypher.count("COLLECT {") == 3  # partners, their vacancies, their skills
    assert read.params["p0"] == 3  # first: 2 is the page's LIMIT (one more tells hasNextPage)
    assert "LIMIT 2" not in read.cypher and "LIMIT 3" not in read.cypher


def test_the_total_is_counted_only_when_selected() -> None:
    without = compiled("{ organisations(first: 2) { nodes { name } } }")
    assert "count(" not in without.cypher
    counted = compiled("{ organisations(first: 2) { totalCount nodes { name } } }")
    # Nothing but visibility narrows the list: the count store, less the unpublished ones.
    assert "MATCH (u:Organisation:Unpublished)" in counted.cypher
    filtered = compiled('{ organisations(where: {region: {eq: "North"}}) { totalCount } }')
    assert "Unpublished)" not in filtered.cypher
    assert "NOT n:Unpublished" in filtered.cypher


def test_values_that_look_like_cypher_stay_parameters() -> None:
    query, variables, _ = CASES["filter_and_or_not"]
    read = compiled(query, variables)
    assert variables["region"] in read.params.values()
    for value in ("North", "OR true", "employment-services", "25000", "OPEN"):
        assert value not in read.cypher, value


def test_a_cursor_moves_the_page_by_parameters_only() -> None:
    after_b = compiled(PAGE, {"after": AFTER_B})
    other = cursor("organisations", ["Org Q", "00000000-0000-0000-0000-00000000000q"])
    after_q = compiled(PAGE, {"after": other})
    assert after_b.cypher == after_q.cypher
    assert "Org Q" in after_q.params.values() and "Org Q" not in after_q.cypher
    # Keyset, not offset: the page starts from the cursor's name by a bound the index seeks.
    assert "n.name >= $p0 AND (n.name > $p0 OR (n.name = $p0 AND n.id > $p1))" in after_b.cypher
    assert "SKIP" not in after_b.cypher


@pytest.mark.parametrize("variables", [
    {"after": cursor("vacancies", ["Org B", "x"])},  # another field's cursor
    {"after": cursor("organisations", ["Org B", "x"], where={"region": {"eq": "North"}})},
    {"after": cursor("organisations", ["Org B", "x"],
                     orderBy=[{"field": "region", "direction": "ASC"}])},
    {"after": cursor("organisations", ["Org B", 10**20, "x"])},  # wrong number of keys
    {"after": cursor("organisations", [10**20, "x"])},  # beyond int64
    {"after": cursors.encode("0" * 16, ["Org B", "x"])},
    {"after": "b2Zmc2V0OjEwMDAwMDAwMDAwMDAwMDAwMDAwMA=="},  # an old offset cursor, 10^20
    {"after": "not a cursor"}, {"after": "x" * 5000}, {"after": ""},
])
def test_a_cursor_from_another_list_or_forged_is_bad_user_input(variables: Any) -> None:
    with pytest.raises(BadInput):
        compiled(PAGE, variables)


def test_each_scope_gets_its_own_visibility_predicate() -> None:
    anonymous: Compiled = compiled(VISIBLE)
    partner: Compiled = compiled(VISIBLE, principal=PARTNER_CLIENT)
    admin: Compiled = compiled(VISIBLE, principal=ADMIN)
    # Vacancies and the organisations offering them are both records partner feeds write: the
    # rule holds in the page and on each vacancy's organisation, as a label test.
    assert anonymous.cypher.count(":Unpublished") == 2
    assert "EXISTS" not in anonymous.cypher and "SOURCED_FROM" not in anonymous.cypher
    assert partner.cypher.count("vp.clientId = $callerClient") == 2
    assert partner.params["callerClient"] == "partner-client"
    assert "Unpublished" not in admin.cypher
    assert "$admin" not in partner.cypher and "admin" not in partner.params
