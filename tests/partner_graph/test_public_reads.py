"""The public directory is open without a token; partner features and writes are not."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.builders import gql
from tests.partner_graph.builders import build


def test_anonymous_reads_the_catalogue_but_not_node_discovery_or_writes(
    client: FlaskClient, app: Flask
) -> None:
    ids = build(client)  # as admin
    public = app.test_client()
    body = gql(public, "{ vacancies(first: 5) { totalCount nodes { title } } "
                       "skills(first: 5) { totalCount } }")
    assert body["data"]["vacancies"]["totalCount"] > 0
    assert body["data"]["skills"]["totalCount"] > 0
    refused = gql(public, "query N($id: ID!) { node(id: $id) { id } }", {"id": ids["A"]},
                  status=401)
    assert refused["errors"][0]["extensions"] == {
        "code": "UNAUTHENTICATED", "field": "Query.node", "requiredScope": "graph:read"}
    write = gql(public, 'mutation { deleteVacancy(input: {id: "x", version: 1}) { deletedId } }',
                status=401)
    assert write["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
