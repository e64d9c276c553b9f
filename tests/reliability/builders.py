"""Records for the reliability tests, written in bulk with the partner graph's own writer
fragments (so they are born as the mutations make them) and the lab's services."""

from __future__ import annotations

import uuid
from typing import Any

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.lab.service import challenges, ideas
from civicgraph.partner_graph.cypher import writers
from civicgraph.partner_graph.service.organisations import KIND_LABELS, name_key

# Required properties of one record of each type, from a short unique tag.
_PROPS = {
    "Organisation": lambda tag: {"name": f"Org {tag}", "kind": "EMPLOYER", "region": "North",
                                 "nameKey": name_key(f"Org {tag}", "North")},
    "Skill": lambda tag: {"uri": f"urn:test:skill:{tag}", "name": f"Skill {tag}"},
    "Occupation": lambda tag: {"uri": f"urn:test:occupation:{tag}", "name": f"Occ {tag}"},
    "Field": lambda tag: {"code": f"field-{tag}", "name": f"Field {tag}"},
    "PartnerPlatform": lambda tag: {"name": f"platform-{tag}", "kind": "JOB_BOARD",
                                    "mode": "TEST"},
    "Vacancy": lambda tag: {"title": f"Vacancy {tag}", "status": "OPEN"},
    "TrainingCourse": lambda tag: {"title": f"Course {tag}"},
    "Service": lambda tag: {"name": f"Service {tag}"},
}
_OFFERED = {"Vacancy", "TrainingCourse", "Service"}


def partner_records(graph: Graph, type_name: str, count: int) -> list[str]:
    """``count`` new records of the type at version 1 (offers get an organisation); their ids."""
    rows = [{"id": str(uuid.uuid4()), **_PROPS[type_name](uuid.uuid4().hex[:10])}
            for _ in range(count)]
    labels = ["Organisation", KIND_LABELS["EMPLOYER"]] if type_name == "Organisation" else []
    offer = ""
    if type_name in _OFFERED:
        org = partner_records(graph, "Organisation", 1)[0]
        offer = "WITH n MATCH (o:Organisation {id: $org}) CREATE (n)-[:OFFERED_BY]->(o) "
    else:
        org = ""
    graph.run("UNWIND $rows AS row " + writers.create(type_name, "n", "row",
                                                          labels="$labels" if labels else None)
              + offer, {"rows": rows, "labels": labels, "org": org}, write=True)
    return [row["id"] for row in rows]


def stored(graph: Graph, ids: list[str], prop: str) -> dict[str, tuple[int, Any]]:
    """(version, value of ``prop``) of each record by id."""
    records = graph.run("MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, n.version AS version, "
                        "n[$prop] AS value", {"ids": ids, "prop": prop})
    return {r["id"]: (r["version"], r["value"]) for r in records}


def submitted_ideas(graph: Graph, author: Actor, count: int) -> list[str]:
    return [ideas.submit(graph, author, title=f"Idea {i} {uuid.uuid4().hex[:6]}",
                         description="A bus that brings advisers to villages")["idea"]["id"]
            for i in range(count)]


def draft_challenges(graph: Graph, staff: Actor, count: int) -> list[str]:
    return [challenges.create(graph, staff, title=f"Challenge {i} {uuid.uuid4().hex[:6]}",
                              description="How do we reach rural job seekers?")["id"]
            for i in range(count)]
