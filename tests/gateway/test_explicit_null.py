"""An explicit null on an argument with a default means the default, for every caller.

``matchVacancies(first: null)``, ``careerPaths(maxHops: null)`` and ``syncRuns(first: null)``
answered INTERNAL_SERVER_ERROR, anonymous callers included: graphql-core hands the null to the
resolver instead of the default. Each case is sent as a literal null, as a variable whose value
is null, and as an omitted variable declared ``= null``, and must answer what the same query
without the argument answers.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.builders import gql
from tests.partner_graph.builders import build, create

CASES = [
    ("matchVacancies", 'matchVacancies(skills: ["{skill}"]{arg}) {{ vacancy {{ title }} }}',
     "first", "Int"),
    ("matchVacancies", 'matchVacancies(skills: ["{skill}"]{arg}) {{ vacancy {{ title }} }}',
     "coursesPerVacancy", "Int"),
    ("careerPaths", 'careerPaths(from: "{occupation}", to: "{target}"{arg}) {{ weakestShare }}',
     "maxHops", "Int"),
]
# The partner graph's discovery needs graph:read: the same rule, for a signed-in caller.
SIGNED_IN = [
    ("partnersOfPartners", 'partnersOfPartners(id: "{org}"{arg}) {{ distance }}', "hops", "Int"),
    ("similarOrganisations", 'similarOrganisations(id: "{org}"{arg}) {{ score }}', "first",
     "Int"),
]

SKILL = "http://data.europa.eu/esco/skill/python"
OCCUPATION = "http://data.europa.eu/esco/occupation/welder"
TARGET = "http://data.europa.eu/esco/occupation/rail-technician"


def documents(template: str, argument: str, kind: str, **values: str) -> dict[str, tuple[str, Any]]:
    def field(arg: str) -> str:
        return template.format(arg=arg, **values)
    return {
        "absent": ("{ " + field("") + " }", {}),
        "literal": ("{ " + field(f", {argument}: null") + " }", {}),
        "variable": (f"query Q($v: {kind}) {{ " + field(f", {argument}: $v") + " }",
                     {"v": None}),
        "declared": (f"query Q($v: {kind} = null) {{ " + field(f", {argument}: $v") + " }", {}),
    }


@pytest.mark.parametrize(("root", "template", "argument", "kind"), CASES,
                         ids=[f"{c[0]}.{c[2]}" for c in CASES])
def test_a_null_on_a_defaulted_argument_is_the_default_for_anonymous_callers(
        admin_client: FlaskClient, client: FlaskClient, root: str, template: str,
        argument: str, kind: str) -> None:
    ids = build(admin_client)
    create(admin_client, "Occupation", {"uri": TARGET, "code": "3113", "name": "Rail technician",
                                        "skillUris": [SKILL]})
    answers = {}
    for name, (query, variables) in documents(template, argument, kind, skill=SKILL,
                                              occupation=OCCUPATION, target=TARGET,
                                              org=ids["A"]).items():
        body = gql(client, query, variables)
        assert "errors" not in body, (name, body)
        answers[name] = body["data"][root]
    assert answers["literal"] == answers["variable"] == answers["declared"] == answers["absent"]


@pytest.mark.parametrize(("root", "template", "argument", "kind"), SIGNED_IN,
                         ids=[f"{c[0]}.{c[2]}" for c in SIGNED_IN])
def test_a_null_on_a_defaulted_argument_is_the_default_for_signed_in_callers(
        admin_client: FlaskClient, root: str, template: str, argument: str, kind: str) -> None:
    ids = build(admin_client)
    answers = {}
    for name, (query, variables) in documents(template, argument, kind, org=ids["A"]).items():
        body = gql(admin_client, query, variables)
        assert "errors" not in body, (name, body)
        answers[name] = body["data"][root]
    assert answers["absent"]
    assert answers["literal"] == answers["variable"] == answers["declared"] == answers["absent"]


def test_sync_runs_with_a_null_page_size_is_the_default_page(admin_client: FlaskClient) -> None:
    absent = gql(admin_client, "{ syncRuns { nodes { id } } }")
    for query, variables in (("{ syncRuns(first: null) { nodes { id } } }", {}),
                             ("query Q($f: Int) { syncRuns(first: $f) { nodes { id } } }",
                              {"f": None})):
        body = gql(admin_client, query, variables)
        assert "errors" not in body, body
        assert body["data"] == absent["data"]


def test_a_null_where_no_default_exists_is_still_the_callers_choice(client: FlaskClient) -> None:
    """Only defaulted arguments are touched: a null elsewhere reaches graphql-core's own checks."""
    body = gql(client, "{ matchVacancies(skills: null) { vacancy { title } } }", status=400)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
