"""A record only a TEST-mode platform synced changes no answer a public caller can see: not a
relationship filter, not a count, not a discovery read (the lists and `node` are in
tests/partners/test_visibility.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from partners.service import platforms as partner_platforms
from partners.service.platforms import OPERATOR
from tests.partner_graph.builders import link, ok, register
from tests.partner_graph.feeds import hidden_organisation, hidden_vacancy


def test_relationship_filters_and_totals_ignore_hidden_records(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path) -> None:
    vacancy = hidden_vacancy(graph, tmp_path, "Trial Job", "Trial Co")
    # The feed named its employer, which joins the graph as a public organisation.
    employer = graph.run("MATCH (:Vacancy {id: $id})-[:OFFERED_BY]->(o) RETURN o.id AS id",
                         {"id": vacancy})[0]["id"]
    public = app.test_client()
    query = """{ organisations(where: {hasVacancies: true}) { totalCount nodes { id } }
      all: organisations { totalCount } vacancies { totalCount } }"""
    assert ok(public, query) == {"organisations": {"totalCount": 0, "nodes": []},
                                 "all": {"totalCount": 1}, "vacancies": {"totalCount": 0}}
    assert ok(admin_client, query) == {"organisations": {"totalCount": 1,
                                                         "nodes": [{"id": employer}]},
                                       "all": {"totalCount": 1},
                                       "vacancies": {"totalCount": 1}}
    # Promotion publishes the platform's records at once, for every kind of read.
    platform = graph.run("MATCH (p:PartnerPlatform {name: 'trial-board'}) RETURN p.id AS id")
    partner_platforms.promote(graph, platform[0]["id"], OPERATOR)
    assert ok(public, query) == ok(admin_client, query)


def test_discovery_reads_neither_start_from_nor_pass_through_hidden_organisations(
        app: Flask, admin_client: FlaskClient, graph: Graph, tmp_path: Path,
        authorised: Callable[..., FlaskClient]) -> None:
    a = register(admin_client, "Agency A", "AGENCY", "North")
    b = register(admin_client, "Partner B", "EMPLOYER", "North")
    hidden = hidden_organisation(graph, tmp_path, "TRIAL SOFTWARE LTD", "09999991")
    far = register(admin_client, "Far Org", "EMPLOYER", "North")
    link(admin_client, a, b)
    link(admin_client, a, hidden)
    link(admin_client, hidden, far)
    reader = authorised(["graph:read"])
    reach = """query R($id: ID!) { partnersOfPartners(id: $id, hops: 2) { distance
      organisation { name } } }"""
    assert ok(reader, reach, {"id": a})["partnersOfPartners"] == [
        {"distance": 1, "organisation": {"name": "Partner B"}}]
    assert {r["organisation"]["name"] for r in
            ok(admin_client, reach, {"id": a})["partnersOfPartners"]} == {
        "Partner B", "TRIAL SOFTWARE LTD", "Far Org"}
    chain = """query C($a: ID!, $z: ID!) { partnershipChain(from: $a, to: $z) { length
      organisations { nodes { name } } } }"""
    assert ok(reader, chain, {"a": a, "z": far})["partnershipChain"] is None
    assert ok(admin_client, chain, {"a": a, "z": far})["partnershipChain"]["length"] == 2
    similar = """query S($id: ID!) { similarOrganisations(id: $id) { organisation { name } } }"""
    names = {s["organisation"]["name"]
             for s in ok(reader, similar, {"id": far})["similarOrganisations"]}
    assert "TRIAL SOFTWARE LTD" not in names and "Agency A" not in names
