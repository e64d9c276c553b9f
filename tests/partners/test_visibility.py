"""A TEST-mode platform's records stay private in the partner graph's own reads too (the
catalogue lists, `organisation`, `node`), until an admin promotes the platform."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from partners.service import platforms as partner_platforms
from partners.service import sync as partner_sync
from partners.service.platforms import OPERATOR
from tests.builders import bearer, create_client, fetch_token, gql
from tests.partners.test_file_sync import register

LIST = "{ vacancies(first: 50) { totalCount nodes { title } } }"
NODE = "query N($id: ID!) { node(id: $id) { id } }"


def titles(client: FlaskClient) -> list[str]:
    body = gql(client, LIST)
    assert "errors" not in body, body
    return [v["title"] for v in body["data"]["vacancies"]["nodes"]]


def test_test_mode_records_are_hidden_from_catalogue_and_node_until_promotion(
    app: Flask, graph: Graph, tmp_path: Path, authorised: Callable[..., FlaskClient]
) -> None:
    feed = tmp_path / "jobs.json"
    feed.write_text('[{"@type": "JobPosting", "identifier": "T-1", "title": "Trial Job",'
                    ' "hiringOrganization": "Trial Co"}]')
    platform = register(graph, "trial-board", "schemaorg-jobposting", str(feed), promote=False)
    client_id, secret = create_client(graph, ["graph:read"])
    graph.run("MATCH (p:PartnerPlatform {id: $id}) SET p.clientId = $client",
              {"id": platform["id"], "client": client_id}, write=True)
    partner_sync.sync_now(graph, "trial-board")
    vacancy_id = graph.run("MATCH (v:Vacancy {title: 'Trial Job'}) RETURN v.id AS id")[0]["id"]

    public = app.test_client()
    own = bearer(app, fetch_token(app.test_client(), client_id, secret)["access_token"])
    other_partner = authorised(["graph:read"])
    admin = authorised(["admin"])
    assert "Trial Job" not in titles(public)
    assert "Trial Job" not in titles(other_partner)
    assert "Trial Job" in titles(own)
    # Finding the caller's platform happens inside the one read: no extra round trip.
    assert len(gql(own, LIST)["extensions"]["cypher"]) == 1
    assert "Trial Job" in titles(admin)
    assert gql(other_partner, NODE, {"id": vacancy_id})["data"]["node"] is None
    assert gql(own, NODE, {"id": vacancy_id})["data"]["node"] == {"id": vacancy_id}

    partner_platforms.promote(graph, platform["id"], OPERATOR)
    assert "Trial Job" in titles(public)
