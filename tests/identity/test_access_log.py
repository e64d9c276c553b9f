"""The citizen's access log no one can quietly rewrite: every request (read or refused) is an event
of the citizen's hash chain, the download carries a signed head, checkpoints publish signed heads
without person ids, and changing, removing, inserting or reordering an event is caught by the
verifier, the CLI and the served JWKS. Real Neo4j, real endpoints, a real Celery worker."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jws
from joserfc.jwk import KeySet

from civicgraph.cli import main
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import access_log, accounts
from civicgraph.partner_graph.service import organisations
from tests.builders import bearer, fetch_token, gql, sign_in

PROFILE = """query($id: ID!) { citizenProfile(citizenId: $id, purpose: "job-matching") {
  categories name } }"""


@pytest.fixture
def world(app: Flask, graph: Graph) -> dict[str, Any]:
    """The demo: a citizen who allowed SkillBridge (job-matching), SkillBridge's client, and a
    second organisation's client with no consent; the citizen signed in to the console."""
    name, region = demo_identity.PARTNER_ORGANISATION
    organisations.register(graph, name=name, kind="START_UP", region=region, description=None)
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    citizen = accounts.authenticate(graph, demo_identity.CITIZEN_EMAIL,
                                    demo_identity.CITIZEN_PASSWORD)
    assert citizen is not None
    token = fetch_token(app.test_client(), demo_identity.PARTNER_CLIENT_ID,
                        demo_identity.PARTNER_SECRET)
    other = organisations.register(graph, name="Nosy Ltd", kind="EMPLOYER", region="North",
                                   description=None)
    return {"citizen_id": citizen["id"], "partner": bearer(app, token["access_token"]),
            "token": token["access_token"], "other": other,
            "console": _console(app, demo_identity.CITIZEN_EMAIL,
                                demo_identity.CITIZEN_PASSWORD)}


def _console(app: Flask, email: str, password: str) -> FlaskClient:
    browser = app.test_client()
    start = browser.get("/console/login?next=/console/me")
    back = sign_in(browser, start.headers["Location"], email, password)
    callback = urlsplit(back.headers["Location"])
    done = browser.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 302, done.get_data(as_text=True)
    return browser


def _download(console: FlaskClient) -> dict[str, Any]:
    response = console.get("/console/me/access-log.json")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="civicgraph-access-log.json"')
    document: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return document


def _jwks(app: Flask) -> dict[str, Any]:
    served: dict[str, Any] = app.test_client().get("/.well-known/jwks.json").get_json()
    return served


def _read(partner: FlaskClient, citizen_id: str) -> dict[str, Any]:
    return gql(partner, PROFILE, {"id": citizen_id})


def test_reads_and_refusals_form_a_chain_the_citizen_downloads_and_verifies(
    app: Flask, world: dict[str, Any], authorised: Any
) -> None:
    citizen_id = world["citizen_id"]
    assert "errors" not in _read(world["partner"], citizen_id)
    nosy = authorised(["citizen:read"], world["other"]["id"])
    refused = _read(nosy, citizen_id)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "errors" not in _read(world["partner"], citizen_id)

    document = _download(world["console"])
    events = document["events"]
    assert [(e["seq"], e["outcome"], e["organisationName"]) for e in events] == [
        (1, "READ", "SkillBridge"), (2, "REFUSED", "Nosy Ltd"), (3, "READ", "SkillBridge")]
    assert events[0]["prevHash"] == "0" * 64
    assert [e["prevHash"] for e in events[1:]] == [e["hash"] for e in events[:-1]]
    assert events[1]["consentId"] is None and events[1]["fields"] == ["contact"]
    assert document["head"] == {"seq": 3, "hash": events[2]["hash"]}
    # The chain's public name is opaque: not the person's id.
    assert document["chainId"] and document["chainId"] != citizen_id
    assert document["jwks_uri"].endswith("/.well-known/jwks.json")
    assert "SHA-256" in document["how_to_verify"]
    verdict = access_log.verify(document, _jwks(app))
    assert verdict.ok and verdict.events == 3, str(verdict)
    assert str(verdict).startswith("verified: 3 events")


def test_the_download_needs_the_signed_in_citizen(app: Flask, world: dict[str, Any]) -> None:
    anonymous = app.test_client().get("/console/me/access-log.json")
    assert anonymous.status_code == 302 and "/console/login" in anonymous.headers["Location"]
    # A bearer token is not a console session.
    assert world["partner"].get("/console/me/access-log.json").status_code == 302


def test_concurrent_reads_get_seq_one_to_n_and_a_chain_that_verifies(
    app: Flask, world: dict[str, Any]
) -> None:
    threads_n = 8
    citizen_id = world["citizen_id"]
    clients = [bearer(app, world["token"]) for _ in range(threads_n)]
    barrier = threading.Barrier(threads_n)
    failures: list[str] = []

    def run(client: FlaskClient) -> None:
        barrier.wait()
        body = _read(client, citizen_id)
        if "errors" in body:
            failures.append(json.dumps(body["errors"]))

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    document = _download(world["console"])
    assert [e["seq"] for e in document["events"]] == list(range(1, threads_n + 1))
    assert len({e["id"] for e in document["events"]}) == threads_n
    assert access_log.verify(document, _jwks(app)).ok


def _tampered(app: Flask, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    for _ in range(3):
        assert "errors" not in _read(world["partner"], world["citizen_id"])
    return _download(world["console"]), _jwks(app)


def test_a_changed_removed_inserted_or_reordered_event_fails(
    app: Flask, world: dict[str, Any]
) -> None:
    document, jwks = _tampered(app, world)
    assert access_log.verify(document, jwks).ok

    changed = copy.deepcopy(document)
    changed["events"][1]["purpose"] = "marketing"
    verdict = access_log.verify(changed, jwks)
    assert (verdict.ok, verdict.seq) == (False, 2) and "changed" in verdict.problem

    removed = copy.deepcopy(document)
    del removed["events"][1]
    verdict = access_log.verify(removed, jwks)
    assert (verdict.ok, verdict.seq) == (False, 2) and "seq" in verdict.problem

    last_removed = copy.deepcopy(document)
    last_removed["events"].pop()
    assert not access_log.verify(last_removed, jwks).ok  # the head (and signed head) disagree

    reordered = copy.deepcopy(document)
    reordered["events"][0], reordered["events"][1] = reordered["events"][1], \
        reordered["events"][0]
    verdict = access_log.verify(reordered, jwks)
    assert (verdict.ok, verdict.seq) == (False, 1)

    inserted = copy.deepcopy(document)
    inserted["events"].insert(1, dict(document["events"][1]))
    verdict = access_log.verify(inserted, jwks)
    # The copy takes the place of event 2; the real event 2 is then where 3 was due.
    assert (verdict.ok, verdict.seq) == (False, 3) and "seq" in verdict.problem

    # A forger who rehashes the whole chain after changing an event cannot re-sign the head.
    forged = copy.deepcopy(document)
    forged["events"][0]["purpose"] = "marketing"
    previous = "0" * 64
    for event in forged["events"]:
        event["prevHash"] = previous
        event["hash"] = previous = access_log.event_hash(event)
    forged["head"]["hash"] = previous
    verdict = access_log.verify(forged, jwks)
    assert not verdict.ok and "signed head" in verdict.problem

    bad_signature = copy.deepcopy(document)
    token = bad_signature["checkpoint"]
    bad_signature["checkpoint"] = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    verdict = access_log.verify(bad_signature, jwks)
    assert not verdict.ok and "signature" in verdict.problem


def test_checkpoints_are_signed_public_and_catch_a_rewritten_chain(
    app: Flask, graph: Graph, world: dict[str, Any]
) -> None:
    citizen_id = world["citizen_id"]
    for _ in range(2):
        assert "errors" not in _read(world["partner"], citizen_id)
    key = app.extensions["civicgraph_auth"].keyring.signing_key()
    made = access_log.make_checkpoint(graph, key)
    assert made["chains"] == 1

    public = app.test_client().get("/access-log/checkpoints")
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert citizen_id not in text and demo_identity.CITIZEN_EMAIL not in text
    [checkpoint] = public.get_json()["checkpoints"]
    assert checkpoint["id"] == made["id"]
    jwks = KeySet.import_key_set(_jwks(app))  # type: ignore[arg-type]
    signed = jws.deserialize_compact(checkpoint["jws"], jwks)
    assert signed.headers()["kid"] == key.kid
    heads = json.loads(signed.payload)["heads"]

    document = _download(world["console"])
    assert heads == [{"chain": document["chainId"], "seq": 2,
                      "hash": document["events"][1]["hash"]}]
    assert document["publishedCheckpoint"] == checkpoint["jws"]
    assert access_log.verify(document, _jwks(app)).ok

    # Someone with the database (not the key) rewrites the chain from the first event on and
    # rehashes it: the fresh download's signed head matches, the published checkpoint does not.
    graph.run("MATCH (:Person {id: $id})<-[:ABOUT]-(e:AccessEvent {seq: 1}) "
              "SET e.purpose = 'marketing'", {"id": citizen_id}, write=True)
    graph.write_transaction(lambda: access_log._rehash(graph, citizen_id))
    rewritten = _download(world["console"])
    verdict = access_log.verify(rewritten, _jwks(app))
    assert not verdict.ok and "rewritten" in verdict.problem, str(verdict)


def test_the_beat_task_signs_a_checkpoint_on_the_worker(
    graph: Graph, world: dict[str, Any], worker: Any
) -> None:
    from civicgraph.config import load_settings
    from civicgraph.core.queue import create_celery
    from civicgraph.identity.oauth.keys import KeyRing
    from civicgraph.identity.tasks import SIGN_ACCESS_LOG_CHECKPOINT
    from civicgraph.workers.celery_app import beat_schedule

    assert beat_schedule()["identity-access-log-checkpoint"]["task"] == \
        SIGN_ACCESS_LOG_CHECKPOINT
    assert "errors" not in _read(world["partner"], world["citizen_id"])
    result = create_celery(load_settings()).send_task(SIGN_ACCESS_LOG_CHECKPOINT).get(timeout=60)
    assert result["chains"] == 1
    [stored] = access_log.published(graph)
    # The worker signs with the key folder it shares with the web app.
    keys = KeySet.import_key_set(
        KeyRing(load_settings().keys_dir).jwks())  # type: ignore[arg-type]
    assert json.loads(jws.deserialize_compact(stored["jws"], keys).payload)["id"] == result["id"]


def test_a_chain_numbered_by_the_migration_is_hashed_before_it_grows(
    app: Flask, graph: Graph, world: dict[str, Any]
) -> None:
    """Events logged before V141 are numbered but not hashed; the next read hashes them first,
    and ``civicgraph access-log rehash`` does it for every such chain."""
    citizen_id = world["citizen_id"]
    for _ in range(2):
        assert "errors" not in _read(world["partner"], citizen_id)
    # As V141 leaves a chain: seq kept, hashes and head unset.
    graph.run("MATCH (p:Person {id: $id})<-[:ABOUT]-(e:AccessEvent) "
              "SET e.hash = null, e.prevHash = null, p.logHead = null", {"id": citizen_id},
              write=True)
    assert "errors" not in _read(world["partner"], citizen_id)
    document = _download(world["console"])
    assert [e["seq"] for e in document["events"]] == [1, 2, 3]
    assert access_log.verify(document, _jwks(app)).ok

    graph.run("MATCH (p:Person {id: $id})<-[:ABOUT]-(e:AccessEvent) "
              "SET e.hash = null, e.prevHash = null, p.logHead = null", {"id": citizen_id},
              write=True)
    done = CliRunner().invoke(main, ["access-log", "rehash"], catch_exceptions=False)
    assert done.exit_code == 0 and json.loads(done.output) == {"chainsHashed": 1}
    assert access_log.verify(_download(world["console"]), _jwks(app)).ok


def test_cli_verifies_a_download_and_names_the_first_bad_event(
    app: Flask, world: dict[str, Any], tmp_path: Path
) -> None:
    document, jwks = _tampered(app, world)
    good, keys = tmp_path / "log.json", tmp_path / "jwks.json"
    good.write_text(json.dumps(document), encoding="utf-8")
    keys.write_text(json.dumps(jwks), encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["access-log", "verify", str(good), "--jwks", str(keys)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("verified: 3 events")

    document["events"][2]["fields"] = ["contact", "skills", "occupation"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    failed = runner.invoke(main, ["access-log", "verify", str(bad), "--jwks", str(keys)])
    assert failed.exit_code == 1
    assert "event 3" in failed.output and "changed" in failed.output

    not_json = tmp_path / "x.json"
    not_json.write_text("{", encoding="utf-8")
    refused = runner.invoke(main, ["access-log", "verify", str(not_json), "--jwks", str(keys)])
    assert refused.exit_code == 1 and "not JSON" in refused.output


def test_migration_v141_numbers_the_events_logged_before_it(
    app: Flask, graph: Graph, world: dict[str, Any]
) -> None:
    """Events as the platform wrote them before V141 (no outcome, seq or hash) are numbered per
    citizen in ``at`` order by the migration's own statements; rehashing makes the chain
    verify, and the next read continues it."""
    from graph_schema.migrator import discover_migrations

    citizen_id = world["citizen_id"]
    graph.run(
        "MATCH (p:Person {id: $id}), (o:Organisation {name: 'SkillBridge'}) "
        "UNWIND range(1, 3) AS i "
        "CREATE (e:AccessEvent {id: 'old-' + i, at: datetime() - duration({days: 10 - i}), "
        "  purpose: 'job-matching', fields: ['contact'], clientId: 'demo-partner', "
        "  organisationId: o.id, subjectId: p.id})-[:BY]->(o) CREATE (e)-[:ABOUT]->(p)",
        {"id": citizen_id}, write=True)
    [v141] = [m for m in discover_migrations() if m.version == 141]
    for statement in v141.statements:
        graph.run(statement, write=True)
    rows = graph.run("MATCH (e:AccessEvent) RETURN e.id AS id, e.seq AS seq, "
                     "e.outcome AS outcome ORDER BY e.seq")
    assert [(r["id"], r["seq"], r["outcome"]) for r in rows] == [
        ("old-1", 1, "READ"), ("old-2", 2, "READ"), ("old-3", 3, "READ")]
    assert access_log.rehash_pending(graph) == 1
    assert "errors" not in _read(world["partner"], citizen_id)
    document = _download(world["console"])
    assert [e["seq"] for e in document["events"]] == [1, 2, 3, 4]
    assert access_log.verify(document, _jwks(app)).ok
