"""The one policy table: scopes per root field, default-deny, the public directory, roles and
ownership; every token comes from the real token endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from graphql import OperationType, parse

from civicgraph.core.graph import Graph
from civicgraph.gateway import policy
from civicgraph.gateway.schema import schema
from civicgraph.partner_graph.service import organisations
from tests.builders import gql

LINK = "mutation L($a: ID!, $b: ID!) { linkPartners(input: {a: $a, b: $b}) { created } }"
# A sample admin mutation.
REGISTER = ("mutation { registerOrganisation(input: {name: \"Probe\", kind: AGENCY, "
            "region: \"North\"}) { organisation { id } } }")


def code(body: dict[str, Any]) -> str:
    result: str = body["errors"][0]["extensions"]["code"]
    return result


def orgs(graph: Graph, *names: str) -> list[str]:
    return [organisations.register(graph, name=n, kind="AGENCY", region="North",
                                   description=None)["id"] for n in names]


def test_the_public_directory_needs_no_token(client: FlaskClient, graph: Graph) -> None:
    orgs(graph, "Open Agency")
    body = gql(client, "{ __typename organisations { edges { node { name } } } }")
    assert body["data"]["organisations"]["edges"] == [{"node": {"name": "Open Agency"}}]


def test_protected_fields_without_a_token_are_unauthenticated(client: FlaskClient) -> None:
    response = client.post("/graphql", json={"query": REGISTER})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="civicgraph"')
    body = response.get_json()
    assert code(body) == "UNAUTHENTICATED" and body["data"] is None
    assert body["errors"][0]["extensions"]["requiredScope"] == "admin"
    # A query mixing public and protected fields runs nothing.
    body = gql(client, '{ organisations { totalCount } partnerFeeds { totalCount } }', status=401)
    assert body["data"] is None


def test_insufficient_scope_is_forbidden_and_names_the_scope(
    authorised: Callable[..., FlaskClient], graph: Graph
) -> None:
    a, b = orgs(graph, "A", "B")
    reader = authorised(["graph:read"], a)
    response = reader.post("/graphql", json={"query": LINK, "variables": {"a": a, "b": b}})
    assert response.status_code == 403
    assert 'error="insufficient_scope", scope="graph:write"' in \
        response.headers["WWW-Authenticate"]
    body = response.get_json()
    assert code(body) == "FORBIDDEN" and "graph:write" in body["errors"][0]["message"]
    assert graph.run("MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r) AS n")[0]["n"] == 0


def test_a_client_changes_only_its_own_organisation(
    authorised: Callable[..., FlaskClient], graph: Graph
) -> None:
    a, b, c = orgs(graph, "A", "B", "C")
    writer = authorised(["graph:write"], a)
    assert gql(writer, LINK, {"a": b, "b": a})["data"]["linkPartners"]["created"] is True
    body = gql(writer, LINK, {"a": b, "b": c})
    assert code(body) == "FORBIDDEN"
    assert "own organisation" in body["errors"][0]["message"]
    orphan = authorised(["graph:write"])
    assert code(gql(orphan, LINK, {"a": a, "b": c})) == "FORBIDDEN"


def test_fragments_and_aliases_do_not_smuggle_a_field(
    authorised: Callable[..., FlaskClient], graph: Graph
) -> None:
    reader = authorised(["graph:read"])
    query = """
      mutation { ... on Mutation { ...M } }
      fragment M on Mutation { harmless: registerOrganisation(
        input: {name: "Probe", kind: AGENCY, region: "North"}) { organisation { id } } }
    """
    body = gql(reader, query, status=403)
    assert body["errors"][0]["extensions"]["field"] == "Mutation.registerOrganisation"
    assert graph.run("MATCH (o:Organisation {name: 'Probe'}) RETURN count(o) AS n")[0]["n"] == 0


def test_admin_may_do_everything_scoped(
    admin_client: FlaskClient, graph: Graph
) -> None:
    a, b = orgs(graph, "A", "B")
    assert gql(admin_client, LINK, {"a": a, "b": b})["data"]["linkPartners"]["created"]
    created = gql(admin_client, """mutation($org: ID) {
      createOAuthClient(input: {name: "Feed", organisationId: $org, scopes: ["graph:read"],
                                grantTypes: [CLIENT_CREDENTIALS]}) {
        client { clientId organisation { name } public scopes } clientSecret } }""", {"org": a})
    made = created["data"]["createOAuthClient"]
    assert made["client"]["organisation"] == {"name": "A"} and made["clientSecret"]
    listed = gql(admin_client, "{ oauthClients { nodes { clientId } } }")["data"]["oauthClients"]
    listed = listed["nodes"]
    assert made["client"]["clientId"] in [c["clientId"] for c in listed]


def test_only_admin_creates_clients(authorised: Callable[..., FlaskClient]) -> None:
    writer = authorised(["graph:write", "graph:read"])
    body = gql(writer, """mutation { createOAuthClient(input: {name: "x", scopes: ["admin"],
        grantTypes: [CLIENT_CREDENTIALS]}) { clientSecret } }""", status=403)
    assert body["errors"][0]["extensions"]["requiredScope"] == "admin"


def test_fields_missing_from_the_table_are_denied_by_default() -> None:
    assert policy.rule_for("Query", OperationType.QUERY, "someFutureField").scope == "graph:read"
    assert policy.rule_for("Mutation", OperationType.MUTATION, "deleteEverything").scope == \
        "admin"


def test_the_table_names_only_fields_that_exist() -> None:
    graphql_schema = schema.graphql_schema
    existing = {f"Query.{name}" for name in graphql_schema.query_type.fields}
    assert graphql_schema.mutation_type is not None
    existing |= {f"Mutation.{name}" for name in graphql_schema.mutation_type.fields}
    assert set(policy.POLICY) <= existing, set(policy.POLICY) - existing


def test_root_fields_are_found_through_fragments() -> None:
    document = parse("""query { a: organisations { totalCount } ...F ... on Query { partnerFeeds
      { id } } } fragment F on Query { myConsents { id } ...F }""")
    operation = document.definitions[0]
    names = policy.root_fields(document, operation)  # type: ignore[arg-type]
    assert sorted(names) == ["myConsents", "organisations", "partnerFeeds"]
