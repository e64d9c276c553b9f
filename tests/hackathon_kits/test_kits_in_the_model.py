"""Kit builds and releases are records of the one model: fetched by ``node(id:)`` under their
guards (a build by who asked for it, lab staff and admins; another organisation gets null; a
release by anyone), and a kit's releases are read in one statement as a connection."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from hackathon_kits import cypher as repo
from tests.builders import gql
from tests.lab.builders import organisation

KIT = "test-vacancies"
NODE = "query N($id: ID!) { node(id: $id) { __typename id } }"


def seen(client: FlaskClient, node_id: str) -> bool:
    body = gql(client, NODE, {"id": node_id})
    assert "errors" not in body, body
    return body["data"]["node"] is not None


def _build_for(graph: Graph, organisation_id: str | None) -> str:
    """A queued build recorded as asked for by a client of the organisation (no task is sent:
    no worker builds it while other tests count this kit's releases)."""
    build_id = str(uuid.uuid4())
    repo.upsert_kit(graph, {"name": KIT, "id": str(uuid.uuid4()), "title": "Test vacancies",
                            "licence": "CC-BY-4.0", "specHash": "spec"})
    repo.create_build(graph, build_id, KIT, 60, {"organisation": organisation_id})
    return build_id


def _release(graph: Graph, number_of: int) -> list[dict[str, Any]]:
    """``number_of`` releases published through the build's own statements (lock, record)."""
    releases = []
    for i in range(number_of):
        build_id = _build_for(graph, None)
        assert repo.claim(graph, KIT, build_id, 60) is None
        release, created = repo.record_release(graph, build_id, {
            "id": str(uuid.uuid4()), "kit": KIT, "sha256": f"{i:064d}", "bytes": 100.0 + i,
            "path": f"{KIT}/{i}.zip", "specHash": "spec", "rows": {"vacancies": 10 + i},
            "disclosureReport": {"vacancies": {"primarySuppressed": i}},
            "validation": {"valid": True}, "snapshotAt": "2026-01-01T00:00:00+00:00",
            "buildSeconds": 1.5})
        repo.unlock(graph, KIT, build_id)
        assert created
        releases.append(release)
    return releases


def test_a_build_is_seen_by_who_asked_lab_staff_and_admins_only(
    graph: Graph, authorised: Callable[..., FlaskClient], admin_client: FlaskClient
) -> None:
    mine, other = organisation(graph, "Kit Makers"), organisation(graph, "Bystanders")
    build_id = _build_for(graph, mine)
    assert seen(authorised(["kits:read", "graph:read"], mine), build_id)
    assert seen(admin_client, build_id)
    assert not seen(authorised(["kits:read", "graph:read"], other), build_id)
    assert not seen(authorised(["kits:read", "graph:read"]), build_id)

    status = gql(authorised(["kits:read"], other),
                 "query($id: ID!) { kitBuild(id: $id) { id } }", {"id": build_id}, status=None)
    assert status["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = gql(authorised(["kits:read"], mine),
               "query($id: ID!) { kitBuild(id: $id) { kit state stage percent requestedAt } }",
               {"id": build_id})
    build = body["data"]["kitBuild"]
    assert (build["kit"], build["state"], build["stage"], build["percent"]) == (
        KIT, "QUEUED", "WAITING", 0.0)
    assert build["requestedAt"].endswith("Z")


def test_a_lapsed_lease_reads_as_lost(graph: Graph, admin_client: FlaskClient) -> None:
    build_id = _build_for(graph, None)
    graph.run("MATCH (b:KitBuild {id: $id}) SET b.state = 'RUNNING', b.stage = 'STREAMING', "
              "b.leaseSeconds = 1, b.heartbeatAt = datetime() - duration({minutes: 5})",
              {"id": build_id}, write=True)
    body = gql(admin_client, "query($id: ID!) { node(id: $id) { ... on KitBuild { state stage "
                             "} } }", {"id": build_id})
    assert body["data"]["node"] == {"state": "LOST", "stage": "LOST"}


def test_a_release_is_anyones_by_node(
    graph: Graph, authorised: Callable[..., FlaskClient]
) -> None:
    (release,) = _release(graph, 1)
    stranger = authorised(["graph:read"], organisation(graph, "Bystanders"))
    body = gql(stranger, "query($id: ID!) { node(id: $id) { ... on KitRelease { kit number "
                         "version rows downloadUrl builtAt } } }", {"id": release["id"]})
    node = body["data"]["node"]
    assert (node["kit"], node["number"], node["version"]) == (KIT, 1, 1)
    assert json.loads(node["rows"]) == {"vacancies": 10}
    assert node["downloadUrl"] == f"/kits/{KIT}/releases/1/download"
    assert node["builtAt"].endswith("Z")


def test_a_kits_releases_are_one_statement_newest_first(app: Flask, graph: Graph) -> None:
    _release(graph, 3)
    anonymous = app.test_client()
    body = gql(anonymous, "query($n: String!) { kit(name: $n) { name releases(first: 2) { "
                          "totalCount pageInfo { hasNextPage } nodes { number bytes "
                          "disclosureReport } } } }", {"n": KIT})
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    releases = body["data"]["kit"]["releases"]
    assert releases["totalCount"] == 3 and releases["pageInfo"]["hasNextPage"]
    assert [r["number"] for r in releases["nodes"]] == [3, 2]
    assert json.loads(releases["nodes"][1]["disclosureReport"]) == {
        "vacancies": {"primarySuppressed": 1}}

    one = gql(anonymous, "query($n: String!) { kitRelease(name: $n, number: 2) { bytes } "
                         "kit(name: $n) { latestRelease { number } } }", {"n": KIT})
    assert one["data"] == {"kitRelease": {"bytes": 101.0}, "kit": {"latestRelease": {"number": 3}}}
    missing = gql(anonymous, "query($n: String!) { kitRelease(name: $n, number: 9) { id } }",
                  {"n": KIT}, status=None)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_kits_builds_are_only_those_the_reader_may_see(
    graph: Graph, authorised: Callable[..., FlaskClient], admin_client: FlaskClient
) -> None:
    mine, other = organisation(graph, "Kit Makers"), organisation(graph, "Bystanders")
    own = _build_for(graph, mine)
    _build_for(graph, other)
    query = "query($n: String!) { kit(name: $n) { builds { totalCount nodes { id } } } }"
    body = gql(authorised(["kits:read", "graph:read"], mine), query, {"n": KIT})
    assert body["data"]["kit"]["builds"] == {"totalCount": 1, "nodes": [{"id": own}]}
    assert gql(admin_client, query, {"n": KIT})["data"]["kit"]["builds"]["totalCount"] == 2


def _numbers_in_graph(graph: Graph) -> dict[str, list[int]]:
    """Each built kit's release numbers, newest first, as the graph holds them."""
    rows = graph.run("MATCH (k:DataKit) RETURN k.name AS kit, COLLECT { "
                     "MATCH (k)-[:HAS_RELEASE]->(r:KitRelease) RETURN r.number "
                     "ORDER BY r.number DESC } AS numbers")
    return {r["kit"]: list(r["numbers"]) for r in rows}


def test_the_catalogues_releases_are_one_statement_however_many_kits(
        app: Flask, graph: Graph) -> None:
    """``kits { releases latestRelease }`` reads every kit's releases in one statement: the
    catalogue of several kits costs what one kit does, each kit gets its own page (and aliases
    their own), and a page's cursor pages on only under the kit it came from."""
    _release(graph, 3)
    anonymous = app.test_client()
    one = gql(anonymous, "query($n: String!) { kit(name: $n) { releases(first: 2) { "
                         "nodes { number } } } }", {"n": KIT})
    assert "errors" not in one, one
    assert len(one["extensions"]["cypher"]) == 1, one["extensions"]["cypher"]
    body = gql(anonymous, """{ kits { name
      releases(first: 2) { totalCount nodes { number } pageInfo { hasNextPage endCursor } }
      oldest: releases(first: 1, orderBy: [{field: NUMBER}]) { nodes { number } }
      latestRelease { number downloadUrl } } }""")
    assert "errors" not in body, body
    kits = body["data"]["kits"]
    assert len(kits) >= 3
    assert len(body["extensions"]["cypher"]) == len(one["extensions"]["cypher"]), body[
        "extensions"]["cypher"]
    stored = _numbers_in_graph(graph)
    for kit in kits:
        numbers = stored.get(kit["name"], [])
        assert kit["releases"]["totalCount"] == len(numbers), kit
        assert [r["number"] for r in kit["releases"]["nodes"]] == numbers[:2], kit
        assert kit["releases"]["pageInfo"]["hasNextPage"] == (len(numbers) > 2), kit
        assert [r["number"] for r in kit["oldest"]["nodes"]] == sorted(numbers)[:1], kit
        assert kit["latestRelease"] == (None if not numbers else {
            "number": numbers[0],
            "downloadUrl": f"/kits/{kit['name']}/releases/{numbers[0]}/download"}), kit
    ours = next(k for k in kits if k["name"] == KIT)
    assert [r["number"] for r in ours["releases"]["nodes"]] == [3, 2]
    assert [r["number"] for r in ours["oldest"]["nodes"]] == [1]

    cursor = ours["releases"]["pageInfo"]["endCursor"]
    page = "query($n: String!, $c: String) { kit(name: $n) { releases(after: $c) { " \
           "nodes { number } } } }"
    rest = gql(anonymous, page, {"n": KIT, "c": cursor})
    assert rest["data"]["kit"]["releases"]["nodes"] == [{"number": 1}]
    other = next(k["name"] for k in kits if k["name"] != KIT)
    refused = gql(anonymous, page, {"n": other, "c": cursor}, status=None)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", refused


def test_the_catalogues_builds_are_in_its_one_statement(
    graph: Graph, admin_client: FlaskClient
) -> None:
    """``kits { builds releases }`` costs one statement however many kits (it was one more
    per kit for the builds), newest first, each kit's builds its own; a kit never asked for
    has none."""
    first, second = _build_for(graph, None), _build_for(graph, None)
    graph.run("MATCH (b:KitBuild {id: $id}) SET b.requestedAt = datetime() + duration('PT1S')",
              {"id": second}, write=True)
    body = gql(admin_client, """{ kits { name builds(first: 5) { totalCount nodes { id kit } }
      releases { totalCount } } }""")
    assert "errors" not in body, body
    assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
    kits = {k["name"]: k for k in body["data"]["kits"]}
    assert len(kits) >= 2
    assert [b["id"] for b in kits[KIT]["builds"]["nodes"]] == [second, first]
    assert kits[KIT]["builds"]["totalCount"] == 2
    for name, kit in kits.items():
        if name != KIT:
            assert kit["builds"] == {"totalCount": 0, "nodes": []}, kit
