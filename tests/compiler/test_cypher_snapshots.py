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

from civicgraph.compiler.cursors import encode_cursor
from civicgraph.core.access import ANONYMOUS, Principal
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
      partners(first: 3) { name
        vacancies(first: 5) { title postedAt
          skills { uri name } } } } }
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
      vacancies(where: {status: {eq: OPEN}, salaryMin: {gte: 25000}}) { title } }
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
        partners(orderBy: [{field: PARTNER_COUNT, direction: DESC}]) { name } } }
  }
}
"""

VISIBLE = "{ vacancies(first: 5) { nodes { title organisation { name } } } }"

CASES: dict[str, tuple[str, dict[str, Any], Principal]] = {
    "nested_read": (NESTED, {}, ANONYMOUS),
    "filter_and_or_not": (FILTER, {"region": "North' OR true //",
                                   "skills": ["http://data.europa.eu/esco/skill/python"]},
                          ANONYMOUS),
    "connection_first_after": (PAGE, {"after": encode_cursor(1)}, ANONYMOUS),
    "connection_last": (LAST, {}, ANONYMOUS),
    "ordering": (ORDERED, {}, ANONYMOUS),
    "visibility_anonymous": (VISIBLE, {}, ANONYMOUS),
    "visibility_partner_client": (VISIBLE, {}, PARTNER_CLIENT),
}

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
    read = compiled(query, variables, principal)
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
    assert read.params["p1"] == 2  # first: 2 is the page's LIMIT, not text
    assert "LIMIT 2" not in read.cypher


def test_values_that_look_like_cypher_stay_parameters() -> None:
    query, variables, _ = CASES["filter_and_or_not"]
    read = compiled(query, variables)
    assert variables["region"] in read.params.values()
    for value in ("North", "OR true", "employment-services", "25000", "OPEN"):
        assert value not in read.cypher, value


def test_a_cursor_moves_the_page_by_parameters_only() -> None:
    first = compiled(PAGE, {"after": None})
    after = compiled(PAGE, {"after": encode_cursor(1)})
    assert first.cypher == after.cypher
    assert (first.params["p0"], after.params["p0"]) == (0, 2)  # SKIP: the item after offset 1


def test_a_partner_client_gets_the_same_statement_with_its_own_client_id() -> None:
    anonymous: Compiled = compiled(VISIBLE)
    partner: Compiled = compiled(VISIBLE, principal=PARTNER_CLIENT)
    assert partner.cypher == anonymous.cypher
    # Vacancies and the organisations offering them are both records partner feeds write: the
    # rule holds in the total, in the page and on each vacancy's organisation.
    assert anonymous.cypher.count("vp.clientId = $callerClient") == 3
    changed = {k for k in anonymous.params if anonymous.params[k] != partner.params[k]}
    assert changed == {"callerClient"}
    assert (anonymous.params["callerClient"], partner.params["callerClient"]) == \
        (None, "partner-client")
    assert partner.params["admin"] is False
