"""The pilot mutations issue 13 found in two transactions each (``involvePartner``,
``recordMeasurement``, ``signOffStage``, ``moveLabRecord`` moving a pilot through a gate) run
every statement of the request in one transaction: counted on the debug log. (That the gate is
checked inside the write: tests/lab/test_pilots_scenario.py.)"""

from __future__ import annotations

from typing import Any

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import pilots
from tests.builders import gql
from tests.lab.builders import organisation
from tests.lab.test_graphql_lab import signed_in
from tests.lab.test_lab_conventions import transactions
from tests.lab.test_pilots_scenario import selected_proposal


def _one_transaction(body: dict[str, Any]) -> None:
    assert "errors" not in body, body
    numbers = transactions(body)
    assert numbers and None not in numbers, body["extensions"]["cypher"]
    assert len(set(numbers)) == 1, body["extensions"]["cypher"]


def test_pilot_mutations_are_each_one_transaction(app: Flask, graph: Graph, staff: Actor) -> None:
    proposal_id, _org = selected_proposal(graph, staff)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Job starts", unit="people",
                                 target=50, direction="INCREASE")
    pilots.set_baseline(graph, staff, measure["id"], 10)
    funder = organisation(graph, "Rail Works", "EMPLOYER")
    client = signed_in(app, graph, staff, "graph:read lab:write")

    involved = gql(client, """mutation I($p: ID!, $o: ID!) { involvePartner(input: {pilotId: $p,
      organisationId: $o, role: FUNDER}) {
        pilot { partners { edges { role node { name } } } } } }""",
                   {"p": pilot["id"], "o": funder})
    _one_transaction(involved)
    edges = involved["data"]["involvePartner"]["pilot"]["partners"]["edges"]
    assert {"role": "FUNDER", "node": {"name": "Rail Works"}} in edges

    signed = gql(client, """mutation S($p: ID!) { signOffStage(input: {pilotId: $p,
      stage: PILOT}) { pilot { id } } }""", {"p": pilot["id"]})
    _one_transaction(signed)

    moved = gql(client, """mutation M($id: ID!) { moveLabRecord(input: {kind: PILOT, id: $id,
      to: PILOT, version: 1}) { status version } }""", {"id": pilot["id"]})
    _one_transaction(moved)
    assert moved["data"]["moveLabRecord"] == {"status": "PILOT", "version": 2}

    recorded = gql(client, """mutation R($m: ID!) { recordMeasurement(input: {measureId: $m,
      value: 30, measuredAt: "2027-01-01T00:00:00Z"}) { __typename } }""", {"m": measure["id"]})
    _one_transaction(recorded)
    stored = graph.run("MATCH (:OutcomeMeasure {id: $m})-[]-(x:Measurement) RETURN x.value AS v",
                       {"m": measure["id"]})
    assert [r["v"] for r in stored] == [30.0]
