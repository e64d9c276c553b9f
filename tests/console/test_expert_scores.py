"""An expert sees the scores they saved, in the form, and changes them until the challenge is
decided."""

from __future__ import annotations

import re

from flask import Flask

from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.lab.service import challenges, evaluation
from civicgraph.lab.service import demo as lab_demo
from tests.console.test_console_auth import _csrf, _signed_in


def _section(page: str, proposal_id: str) -> str:
    """The queue's section for one proposal (its score form and its conflict form)."""
    start = page.index(f'id="score-{proposal_id}-h"')
    end = page.find("</section>", start)
    return page[start:end]


def _values(section: str) -> dict[str, str]:
    return dict(re.findall(r'name="(score-[^"]+)" type="number"[^>]*value="([^"]*)"', section))


def test_an_expert_sees_and_changes_the_scores_they_saved(app: Flask, graph: Graph) -> None:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    staff = accounts.authenticate(graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    assert staff is not None
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    evaluation.assign_experts(graph, Actor(staff["id"], frozenset({"LAB_STAFF"})),
                              challenge["id"])
    expert = _signed_in(app, graph, lab_demo.EXPERT_EMAIL, lab_demo.EXPERT_PASSWORD)
    page = expert.get("/console/expert").get_data(as_text=True)
    proposal_id = page.split("/console/expert/proposals/")[1].split("/")[0]
    blank = _section(page, proposal_id)
    criteria = list(_values(blank))
    assert criteria and set(_values(blank).values()) == {""} and "not scored yet" in blank

    given = {name: str(4 + i) for i, name in enumerate(criteria)}
    saved = expert.post(f"/console/expert/proposals/{proposal_id}/score",
                        data={"csrf_token": _csrf(page), "comment": "Clear plan", **given})
    assert saved.status_code == 302
    again = expert.get("/console/expert").get_data(as_text=True)
    mine = _section(again, proposal_id)
    assert _values(mine) == given
    assert "Clear plan</textarea>" in mine and "Change my scores" in mine
    assert "you can change your scores until the challenge is decided" in mine

    changed = {**given, criteria[0]: "9.5"}
    assert expert.post(f"/console/expert/proposals/{proposal_id}/score",
                       data={"csrf_token": _csrf(again), "comment": "", **changed}
                       ).status_code == 302
    rows = graph.run(
        "MATCH (:Person {email: $email})<-[:BY]-(ev:Evaluation)-[:EVALUATES]->(:Proposal {id: $p}) "
        "MATCH (ev)-[s:SCORED]->(k:Criterion) RETURN k.id AS k, s.score AS score, "
        "ev.comment AS comment",
        {"email": lab_demo.EXPERT_EMAIL, "p": proposal_id})
    assert {f"score-{r['k']}": r["score"] for r in rows} == {k: float(v)
                                                            for k, v in changed.items()}
    assert {r["comment"] for r in rows} == {"Clear plan"}  # an empty comment keeps the last
    french = expert.get("/console/expert?lang=fr").get_data(as_text=True)
    assert "Modifier mes notes" in _section(french, proposal_id)
