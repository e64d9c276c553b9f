"""Nested connections page by keyset cursors, as root ones do: an insert or a delete while
paging a nested list repeats and skips nothing, and a cursor is bound to its list (owner type,
field, filters, order) and to the record whose list it is: any other is BAD_USER_INPUT."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import link, ok, register

PAGE = """query P($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
    $order: [OrganisationSort!]) {
  organisation(id: $id) { partners(first: $first, after: $after, last: $last,
      before: $before, orderBy: $order) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } } } } }"""


def _agency(client: FlaskClient, partners: tuple[str, ...]) -> str:
    agency = register(client, "Agency A", "AGENCY", "North")
    for name in partners:
        link(client, agency, register(client, name, "EMPLOYER", "North"))
    return agency


def _page(client: FlaskClient, **variables: Any) -> Any:
    return ok(client, PAGE, variables)["organisation"]["partners"]


def _names(page: Any) -> list[str]:
    return [e["node"]["name"] for e in page["edges"]]


def _refused(client: FlaskClient, query: str, variables: dict[str, Any]) -> None:
    body = gql(client, query, variables, status=None)
    assert body.get("errors"), body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


def test_an_insert_or_delete_while_paging_repeats_and_skips_nothing(
        admin_client: FlaskClient, graph: Graph) -> None:
    agency = _agency(admin_client, ("Partner B", "Partner D", "Partner F"))
    first = _page(admin_client, id=agency, first=2)
    assert _names(first) == ["Partner B", "Partner D"]
    # Before the cursor: one inserted, one deleted; after it: one inserted.
    link(admin_client, agency, register(admin_client, "Partner A", "EMPLOYER", "North"))
    link(admin_client, agency, register(admin_client, "Partner E", "EMPLOYER", "North"))
    graph.run("MATCH (o:Organisation {name: 'Partner B'}) DETACH DELETE o", write=True)
    rest = _page(admin_client, id=agency, first=5, after=first["pageInfo"]["endCursor"])
    assert _names(rest) == ["Partner E", "Partner F"]  # an offset would have repeated D
    assert rest["pageInfo"]["hasPreviousPage"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    # Backwards from the end of the second page, across the changes too.
    back = _page(admin_client, id=agency, last=2, before=rest["pageInfo"]["startCursor"])
    assert _names(back) == ["Partner A", "Partner D"]
    assert back["pageInfo"]["hasPreviousPage"] is False
    # A cursor of an edge names that edge's place: the page after Partner E is Partner F.
    after_e = _page(admin_client, id=agency, first=5, after=rest["edges"][0]["cursor"])
    assert _names(after_e) == ["Partner F"]


def test_a_cursor_from_another_list_or_another_record_is_refused(
        admin_client: FlaskClient) -> None:
    agency = _agency(admin_client, ("Partner B", "Partner C", "Partner D"))
    other = register(admin_client, "Agency Z", "AGENCY", "North")
    link(admin_client, other, register(admin_client, "Partner Y", "EMPLOYER", "North"))
    cursor = _page(admin_client, id=agency, first=1)["pageInfo"]["endCursor"]
    # The same field of another organisation.
    _refused(admin_client, PAGE, {"id": other, "first": 2, "after": cursor})
    # The same list in another order.
    _refused(admin_client, PAGE, {"id": agency, "first": 2, "after": cursor,
                                  "order": [{"field": "REGION"}]})
    # Another field of the same organisation.
    _refused(admin_client, """query V($id: ID!, $after: String) { organisation(id: $id) {
      vacancies(first: 2, after: $after) { totalCount } } }""", {"id": agency, "after": cursor})
    # A root list's cursor, an old position cursor, a forged one, an out-of-range number.
    root = ok(admin_client, "{ organisations(first: 1) { pageInfo { endCursor } } }")
    for forged in (root["organisations"]["pageInfo"]["endCursor"], "n:1", "~[1,\"x\",[]]",
                   "~" + "[" * 5000, '~[1,"a",["x",' + "1" * 30 + ',"y"]]', "~not json"):
        _refused(admin_client, PAGE, {"id": agency, "first": 2, "after": forged})
    # The cursor still pages its own list.
    assert _names(_page(admin_client, id=agency, first=5, after=cursor)) == [
        "Partner C", "Partner D"]
