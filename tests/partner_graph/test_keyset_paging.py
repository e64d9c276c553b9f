"""Keyset cursors on real Neo4j: paging while others write neither repeats nor skips a record,
backward pages are exact, and a cursor only pages the list it came from."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.partner_graph.builders import ok, register

PAGE = """query P($first: Int, $after: String, $last: Int, $before: String) {
  organisations(first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { name } } }"""


def page(client: FlaskClient, **args: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(client, PAGE, args)["organisations"]
    return result


def names(result: dict[str, Any]) -> list[str]:
    return [n["name"] for n in result["nodes"]]


def test_inserts_and_deletes_while_paging_repeat_and_skip_nothing(
        admin_client: FlaskClient, graph: Graph) -> None:
    for i in range(1, 9):
        register(admin_client, f"Org {i:02d}", "AGENCY", "North")
    first = page(admin_client, first=3)
    assert names(first) == ["Org 01", "Org 02", "Org 03"]
    # Meanwhile: a record sorting before the cursor arrives, the cursor's own record and the
    # next one are deleted. With offsets the next page would repeat Org 03 and skip Org 05.
    register(admin_client, "Org 00", "AGENCY", "North")
    graph.run("MATCH (o:Organisation) WHERE o.name IN ['Org 03', 'Org 04'] DETACH DELETE o",
              write=True)
    second = page(admin_client, first=3, after=first["pageInfo"]["endCursor"])
    assert names(second) == ["Org 05", "Org 06", "Org 07"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["hasNextPage"] is True
    register(admin_client, "Org 065", "AGENCY", "North")  # lands between pages already read
    third = page(admin_client, first=3, after=second["pageInfo"]["endCursor"])
    assert names(third) == ["Org 08"]
    assert third["pageInfo"]["hasNextPage"] is False


def test_backward_pages_are_exact(admin_client: FlaskClient) -> None:
    for i in range(1, 8):
        register(admin_client, f"Org {i:02d}", "AGENCY", "North")
    last = page(admin_client, last=3)
    assert names(last) == ["Org 05", "Org 06", "Org 07"]
    assert (last["pageInfo"]["hasPreviousPage"], last["pageInfo"]["hasNextPage"]) == (True, False)
    before = page(admin_client, last=3, before=last["pageInfo"]["startCursor"])
    assert names(before) == ["Org 02", "Org 03", "Org 04"]
    assert (before["pageInfo"]["hasPreviousPage"], before["pageInfo"]["hasNextPage"]) == \
        (True, True)
    start = page(admin_client, last=3, before=before["pageInfo"]["startCursor"])
    assert names(start) == ["Org 01"]
    assert start["pageInfo"]["hasPreviousPage"] is False
    # Forward again from the backward page's end: the items after it.
    forward = page(admin_client, first=2, after=start["pageInfo"]["endCursor"])
    assert names(forward) == ["Org 02", "Org 03"]


def test_a_cursor_pages_only_its_own_list(admin_client: FlaskClient) -> None:
    for i in range(1, 4):
        register(admin_client, f"Org {i:02d}", "AGENCY", "North")
    cursor = page(admin_client, first=1)["pageInfo"]["endCursor"]
    other = gql(admin_client, """query Q($after: String) { organisations(first: 1,
      after: $after, where: {region: {eq: "North"}}) { nodes { name } } }""", {"after": cursor})
    assert other["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    vacancies = gql(admin_client, """query Q($after: String) { vacancies(first: 1,
      after: $after) { nodes { title } } }""", {"after": cursor})
    assert vacancies["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # An offset cursor of the old kind with 10^20 in it.
    forged = gql(admin_client, PAGE, {"first": 1,
                                      "after": "b2Zmc2V0OjEwMDAwMDAwMDAwMDAwMDAwMDAwMA=="})
    assert forged["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_ordered_pages_walk_every_record_once_in_both_directions(
        admin_client: FlaskClient, graph: Graph) -> None:
    """Ties and nulls in the sort key (region, then a null region) are ordered by id."""
    made = [register(admin_client, f"Org {i:02d}", "AGENCY", ["North", "South"][i % 2])
            for i in range(1, 10)]
    graph.run("MATCH (o:Organisation {id: $id}) SET o.description = null", {"id": made[0]},
              write=True)
    query = """query P($after: String, $before: String, $last: Int, $first: Int) {
      organisations(first: $first, after: $after, last: $last, before: $before,
        orderBy: [{field: REGION, direction: DESC}]) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } }"""
    expected = [r["id"] for r in graph.run(
        "MATCH (o:Organisation) RETURN o.id AS id ORDER BY o.region DESC, o.id")]
    seen: list[str] = []
    after = None
    while True:
        result = ok(admin_client, query, {"first": 2, "after": after})["organisations"]
        seen += [n["id"] for n in result["nodes"]]
        if not result["pageInfo"]["hasNextPage"]:
            break
        after = result["pageInfo"]["endCursor"]
    assert seen == expected
    back: list[str] = []
    before = None
    while True:
        result = ok(admin_client, query, {"last": 4, "before": before})["organisations"]
        back = [n["id"] for n in result["nodes"]] + back
        if not result["pageInfo"]["hasPreviousPage"]:
            break
        before = result["pageInfo"]["startCursor"]
    assert back == expected
