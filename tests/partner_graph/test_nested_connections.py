"""Every nested list of the partner graph is a connection: edges carry the relationship's own
properties (a partnership's ``since``), ``totalCount`` and ``pageInfo`` come from the same
match, pages go both ways, and a record the caller may not see changes none of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import ok, register
from tests.partner_graph.feeds import hidden_organisation

LINK = """mutation L($a: ID!, $b: ID!, $since: Date) {
  linkPartners(input: {a: $a, b: $b, since: $since}) { created } }"""

PARTNERS = """query P($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  organisation(id: $id) { partners(first: $first, after: $after, last: $last,
      before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor since agreement node { name } } } } }"""


def _agency_with_partners(client: FlaskClient) -> str:
    a = register(client, "Agency A", "AGENCY", "North")
    for name, since in (("Partner B", "2021-05-01"), ("Partner C", None),
                        ("Partner D", "2024-01-31")):
        ok(client, LINK, {"a": a, "b": register(client, name, "EMPLOYER", "North"),
                          "since": since})
    return a


def _page(client: FlaskClient, **variables: object) -> dict[str, Any]:
    data = ok(client, PARTNERS, variables)["organisation"]["partners"]
    assert isinstance(data, dict)
    return data


def test_edges_carry_the_partnership_and_pages_go_both_ways(
        admin_client: FlaskClient) -> None:
    a = _agency_with_partners(admin_client)
    first = _page(admin_client, id=a, first=2)
    assert first["totalCount"] == 3
    assert [(e["node"]["name"], e["since"], e["agreement"]) for e in first["edges"]] == [
        ("Partner B", "2021-05-01", None), ("Partner C", None, None)]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    rest = _page(admin_client, id=a, first=2, after=first["pageInfo"]["endCursor"])
    assert [(e["node"]["name"], e["since"]) for e in rest["edges"]] == [
        ("Partner D", "2024-01-31")]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["pageInfo"]["hasPreviousPage"] is True
    back = _page(admin_client, id=a, last=1, before=rest["pageInfo"]["startCursor"])
    assert [e["node"]["name"] for e in back["edges"]] == ["Partner C"]
    tail = _page(admin_client, id=a, last=2)
    assert [e["node"]["name"] for e in tail["edges"]] == ["Partner C", "Partner D"]


def test_a_bad_nested_page_is_bad_input(admin_client: FlaskClient) -> None:
    a = _agency_with_partners(admin_client)
    for variables in ({"after": "not-a-cursor"}, {"first": 1, "last": 1}):
        body = gql(admin_client, PARTNERS, {"id": a, **variables})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    # Page sizes are checked with the other limits before execution (api/limits.py).
    too_big = gql(admin_client, PARTNERS, {"id": a, "first": 101}, status=400)
    assert too_big["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", too_big


def test_a_hidden_partner_changes_no_count_page_or_edge(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    a = _agency_with_partners(admin_client)
    hidden = hidden_organisation(graph, tmp_path, "AAA HIDDEN LTD", "09999992")
    ok(admin_client, LINK, {"a": a, "b": hidden, "since": "2020-01-01"})
    assert _page(admin_client, id=a, first=5)["totalCount"] == 4
    public = _page(app.test_client(), id=a, first=5)
    assert public["totalCount"] == 3
    assert [e["node"]["name"] for e in public["edges"]] == [
        "Partner B", "Partner C", "Partner D"]
    assert public["pageInfo"]["hasNextPage"] is False
    last = _page(app.test_client(), id=a, last=3)
    assert last["pageInfo"]["hasPreviousPage"] is False


def test_nodes_alone_read_like_a_list_in_one_statement(admin_client: FlaskClient) -> None:
    a = _agency_with_partners(admin_client)
    body = gql(admin_client, """query P($id: ID!) { organisation(id: $id) {
      partners(first: 2) { nodes { name vacancies { nodes { title } } } } } }""", {"id": a})
    assert "errors" not in body, body
    assert body["data"]["organisation"]["partners"]["nodes"] == [
        {"name": "Partner B", "vacancies": {"nodes": []}},
        {"name": "Partner C", "vacancies": {"nodes": []}}]
    assert len(body["extensions"]["cypher"]) == 1


def test_a_chain_of_partnerships_is_a_connection(admin_client: FlaskClient) -> None:
    a = register(admin_client, "Agency A", "AGENCY", "North")
    b = register(admin_client, "Partner B", "EMPLOYER", "North")
    c = register(admin_client, "Partner C", "EMPLOYER", "North")
    ok(admin_client, LINK, {"a": a, "b": b})
    ok(admin_client, LINK, {"a": b, "b": c})
    chain = ok(admin_client, """query C($a: ID!, $z: ID!) { partnershipChain(from: $a, to: $z) {
      length all: organisations { totalCount nodes { name } }
      tail: organisations(last: 2) { pageInfo { hasPreviousPage hasNextPage }
        edges { cursor node { name } } } } }""", {"a": a, "z": c})["partnershipChain"]
    assert chain["length"] == 2
    assert chain["all"] == {"totalCount": 3, "nodes": [
        {"name": "Agency A"}, {"name": "Partner B"}, {"name": "Partner C"}]}
    assert [e["node"]["name"] for e in chain["tail"]["edges"]] == ["Partner B", "Partner C"]
    assert chain["tail"]["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False}


def test_partners_filter_on_the_partnership_and_never_through_a_hidden_one(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    a = _agency_with_partners(admin_client)
    hidden = hidden_organisation(graph, tmp_path, "ZZZ HIDDEN LTD", "09999993")
    ok(admin_client, LINK, {"a": a, "b": hidden, "since": "2019-06-01"})
    query = """query W($since: Date!) { organisations(first: 10, orderBy: [{field: NAME}],
      where: {partners: {some: {edge: {since: {lte: $since}}}}}) { nodes { name } } }"""

    def names(client: FlaskClient, since: str) -> list[str]:
        return [n["name"] for n in ok(client, query, {"since": since})["organisations"]["nodes"]]

    assert names(admin_client, "2021-12-31") == ["Agency A", "Partner B", "ZZZ HIDDEN LTD"]
    # The hidden organisation's partnership makes no match for a caller who may not see it.
    assert names(app.test_client(), "2021-12-31") == ["Agency A", "Partner B"]
    assert names(app.test_client(), "2020-01-01") == []
    assert names(admin_client, "2020-01-01") == ["Agency A", "ZZZ HIDDEN LTD"]
