"""A synced record's provenance is part of the one graph: vacancy -> sources (with the
relationship's key, hash and fetch time on each edge) -> platform -> its sync runs, in one
statement; quarantined records stay with admins even when reached through a run."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from tests.builders import gql

SEED = """
CREATE (o:Organisation:Employer {id: 'org-1', name: 'Rail Works', kind: 'EMPLOYER',
  region: 'North', version: 1})
CREATE (p:PartnerPlatform {id: 'pf-1', name: 'north-jobs', kind: 'JOB_BOARD',
  mode: 'PRODUCTION', connector: 'schema-org-jobposting', transport: 'HTTP', version: 1})
CREATE (v:Vacancy {id: 'vac-1', title: 'Welder', status: 'OPEN', version: 1})-[:OFFERED_BY]->(o)
CREATE (v)-[:SOURCED_FROM {key: 'job-7', hash: 'abc',
  fetchedAt: datetime('2026-01-02T03:04:05Z')}]->(p)
CREATE (r:SyncRun {id: 'run-1', status: 'SUCCEEDED', seen: 3, quarantined: 1,
  requestedAt: datetime('2026-01-02T03:00:00Z'), version: 1})-[:SYNCS]->(p)
CREATE (r)-[:QUARANTINED]->(:QuarantinedRecord {id: 'q-1', key: 'job-9', reason: 'no title',
  raw: '{}', version: 1})
"""

QUERY = """
query V($id: ID!) { node(id: $id) { ... on Vacancy { title organisation { name }
  sources(first: 5) { totalCount edges { key hash fetchedAt node { name mode
    syncRuns(first: 5) { nodes { status seen platform { name }
      quarantinedRecords(first: 5) { totalCount nodes { reason } } } } } } } } } }
"""


def test_vacancy_to_sources_to_platform_to_runs_in_one_statement(
        graph: Graph, authorised: Callable[..., FlaskClient]) -> None:
    graph.run(SEED, write=True)
    for scopes, quarantined in ((["admin"], 1), (["graph:read"], 0)):
        body = gql(authorised(scopes), QUERY, {"id": "vac-1"})
        assert "errors" not in body, body
        assert len(body["extensions"]["cypher"]) == 1, body["extensions"]["cypher"]
        vacancy = body["data"]["node"]
        assert vacancy["organisation"] == {"name": "Rail Works"}
        sources = vacancy["sources"]
        assert sources["totalCount"] == 1
        edge = sources["edges"][0]
        assert (edge["key"], edge["hash"]) == ("job-7", "abc")
        assert edge["fetchedAt"].startswith("2026-01-02T03:04:05")
        assert edge["node"]["name"] == "north-jobs"
        run = edge["node"]["syncRuns"]["nodes"][0]
        assert (run["status"], run["seen"], run["platform"]) == (
            "SUCCEEDED", 3, {"name": "north-jobs"})
        assert run["quarantinedRecords"]["totalCount"] == quarantined
