"""The citizen's access log that no one can quietly rewrite: the one place its hashing rule lives.

Every request a partner makes for a citizen's data, read or refused, is an AccessEvent in the
citizen's own chain. Each event's ``hash`` covers its fields and the hash before it
(``prevHash``), so changing, removing, inserting or reordering an event breaks every hash after
it; the platform signs the chains' heads (checkpoints, published without person ids at
``/access-log/checkpoints``), so a rewrite of the whole chain no longer matches what was
published. The citizen downloads their chain with a signed head and anyone can check it, here
(``verify``), with ``civicgraph access-log verify FILE``, or in the browser
(``identity/static/access_log_proof.js``, which must keep ``canonical`` below exactly).

The canonical form of an event (HOW_TO_VERIFY says it for the downloaded document): the UTF-8
bytes of the compact JSON array (no spaces; non-ASCII characters as themselves, as
``JSON.stringify`` writes them)::

    [seq, id, at, organisationId, clientId, purpose, outcome, fields, consentId, prevHash]

``at`` is the stored datetime's Cypher ``toString``, ``fields`` the lower-case category codes
as stored, ``consentId`` null for a refusal, ``prevHash`` 64 zeros for the first event; the
event's ``hash`` is the lower-case hex SHA-256 of those bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import access_log as repo

GENESIS = "0" * 64
CANONICAL_FIELDS = ("seq", "id", "at", "organisationId", "clientId", "purpose", "outcome",
                    "fields", "consentId", "prevHash")
CHECKPOINT_TYPE = "civicgraph-log-checkpoint+jwt"
HEAD_TYPE = "civicgraph-log-head+jwt"
PUBLISHED_MAX = 50
REHASH_BATCH = 500
HOW_TO_VERIFY = (
    "Each event's hash is the lower-case hex SHA-256 of the UTF-8 bytes of the compact JSON "
    "array [seq, id, at, organisationId, clientId, purpose, outcome, fields, consentId, "
    "prevHash] (no spaces, non-ASCII characters as themselves). Events are numbered 1, 2, ... "
    "without gaps; the first prevHash is 64 zeros and every other is the hash of the event "
    "before it. 'checkpoint' is a compact JWS (RS256) made when this file was downloaded, of "
    "{chainId, seq, hash} = head; 'publishedCheckpoint', when present, is the newest signed "
    "checkpoint published at /access-log/checkpoints naming this chain: its head for chainId "
    "must be the hash of the event with its seq. Check both signatures with the keys at "
    "jwks_uri (the key named by the JWS 'kid' header). `civicgraph access-log verify FILE` "
    "and the 'Check my log' button of the console do all of this."
)


def canonical(event: Mapping[str, Any]) -> bytes:
    """The bytes an event's hash covers (see the module's docstring)."""
    return json.dumps([event.get(name) for name in CANONICAL_FIELDS], separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def event_hash(event: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def seal(graph: Graph, person_id: str, row: Mapping[str, Any]) -> str:
    """Hash the event the reading statement wrote (``row``: its ``event`` and the chain's
    ``head`` before it) and make it the chain's head. Runs in the reader's transaction, which
    holds the person's lock; a chain numbered by the migration but never hashed is hashed first,
    so the new event links to a real hash."""
    event = dict(row["event"])
    head = row.get("head")
    if head is None and int(event["seq"]) > 1:
        head = _rehash(graph, person_id, before=int(event["seq"]))
    event["prevHash"] = head or GENESIS
    digest = event_hash(event)
    repo.seal(graph, person_id, str(event["id"]), event["prevHash"], digest)
    return digest


def _rehash(graph: Graph, person_id: str, before: int | None = None) -> str:
    """Hash a chain's events in seq order (those before ``before``); the last hash."""
    events = [e for e in repo.chain_of(graph, person_id)
              if before is None or int(e["seq"]) < before]
    previous = GENESIS
    rows = []
    for event in events:
        event["prevHash"] = previous
        previous = event_hash(event)
        rows.append({"id": event["id"], "prevHash": event["prevHash"], "hash": previous})
    repo.seal_many(graph, person_id, rows, previous)
    return previous


def rehash_pending(graph: Graph) -> int:
    """Hash the chains migration V141 numbered (the events logged before the chain existed);
    each under its person's lock, in its own transaction. The number of chains hashed."""
    done = 0
    while True:
        people = repo.unsealed_chains(graph, REHASH_BATCH)
        if not people:
            return done
        for person_id in people:
            rehash_pending_for(graph, person_id)
            done += 1


# Signatures -------------------------------------------------------------------------------


def _sign(key: RSAKey, typ: str, payload: Mapping[str, Any]) -> str:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return jws.serialize_compact({"alg": "RS256", "kid": str(key.kid), "typ": typ}, body, key)


def make_checkpoint(graph: Graph, key: RSAKey) -> dict[str, Any]:
    """Sign every chain's head now and keep the signature as a published LogCheckpoint.

    Chains are named by their opaque ``logChainId``: the checkpoint tells nobody who has a log,
    only that each chain had this head at this time. The beat task calls it; so may tests and
    operators (``civicgraph access-log checkpoint``)."""
    rehash_pending(graph)
    now = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    heads = repo.heads(graph)
    checkpoint_id = str(uuid.uuid4())
    token = _sign(key, CHECKPOINT_TYPE, {"id": checkpoint_id, "at": now, "heads": heads})
    repo.create_checkpoint(graph, {
        "id": checkpoint_id, "at": now, "jws": token, "chainIds": [h["chain"] for h in heads],
        "heads": json.dumps(heads, separators=(",", ":")),
    })
    return {"id": checkpoint_id, "at": now, "chains": len(heads), "jws": token}


def published(graph: Graph, limit: int = PUBLISHED_MAX) -> list[dict[str, Any]]:
    return repo.checkpoints(graph, max(0, min(limit, PUBLISHED_MAX)))


def export(graph: Graph, person_id: str, key: RSAKey, jwks_uri: str) -> dict[str, Any]:
    """The citizen's whole chain with a head signed now (so a fresh download always carries a
    proof, even of the read a minute ago) and the newest published checkpoint naming it (which
    a later rewrite of the whole chain could not match)."""
    found = repo.export_of(graph, person_id)
    if found is not None and found["head"] is None and found["seq"] > 0:
        rehash_pending_for(graph, person_id)
        found = repo.export_of(graph, person_id)
    found = found or {"chainId": None, "seq": 0, "head": None, "events": []}
    events = [{name: e.get(name) for name in (*CANONICAL_FIELDS, "hash", "organisationName")}
              for e in found["events"]]
    head = {"seq": int(found["seq"] or 0), "hash": found["head"] or GENESIS}
    chain_id = found["chainId"]
    statement = {"chainId": chain_id, **head,
                 "at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")}
    latest = repo.latest_checkpoint_with(graph, chain_id) if chain_id else None
    return {
        "chainId": chain_id, "events": events, "head": head,
        "checkpoint": _sign(key, HEAD_TYPE, statement),
        "publishedCheckpoint": latest["jws"] if latest else None,
        "jwks_uri": jwks_uri, "how_to_verify": HOW_TO_VERIFY,
    }


def rehash_pending_for(graph: Graph, person_id: str) -> None:
    """Hash this person's chain if the migration left it numbered but unhashed."""
    def work() -> None:
        head = repo.lock_chain(graph, person_id)
        if head is not None and head["head"] is None and head["seq"] > 0:
            _rehash(graph, person_id)
    graph.write_transaction(work)


# Verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: ``ok`` with the number of events, or the first problem."""

    ok: bool
    events: int
    problem: str = ""
    seq: int | None = None
    """The seq (position when the seq itself is wrong) of the first bad event, if any."""

    def __str__(self) -> str:
        if self.ok:
            events = "1 event" if self.events == 1 else f"{self.events} events"
            return f"verified: {events}, chain and signed head match"
        where = f"event {self.seq}: " if self.seq is not None else ""
        return f"NOT verified: {where}{self.problem}"


def _signed(token: Any, keys: KeySet, typ: str) -> dict[str, Any] | str:
    """The payload of a JWS the keys verify, or why not."""
    if not isinstance(token, str) or not token:
        return "no signature"
    try:
        obj = jws.deserialize_compact(token, keys, algorithms=["RS256"])
    except (JoseError, ValueError) as exc:
        return f"the signature does not verify ({type(exc).__name__})"
    if obj.headers().get("typ") != typ:
        return f"the signature is not a {typ}"
    try:
        payload = json.loads(obj.payload)
    except ValueError:
        return "the signed payload is not JSON"
    return payload if isinstance(payload, dict) else "the signed payload is not an object"


def verify(document: Mapping[str, Any], jwks: Mapping[str, Any]) -> Verdict:
    """Check a downloaded log: numbering, links, hashes, the signed head and the published
    checkpoint. A changed event fails its hash, a removed or inserted one the numbering (or,
    at the end, the signed head), a reordered one the numbering or the links."""
    try:
        keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        return Verdict(False, 0, "the JWKS cannot be read")
    events = document.get("events")
    if not isinstance(events, Sequence) or isinstance(events, str):
        return Verdict(False, 0, "the document has no list of events")
    previous = GENESIS
    hashes: dict[int, str] = {}
    for position, event in enumerate(events, start=1):
        if not isinstance(event, Mapping):
            return Verdict(False, position - 1, "not an event", position)
        seq = event.get("seq")
        if seq != position:
            return Verdict(False, position - 1, f"seq is {seq!r} where {position} was due "
                           "(an event was removed, inserted or moved)", position)
        if event.get("prevHash") != previous:
            return Verdict(False, position - 1, "prevHash is not the hash of the event before "
                           "it", position)
        if event.get("hash") != event_hash(event):
            return Verdict(False, position - 1, "its hash does not match its content (the "
                           "event was changed)", position)
        previous = str(event["hash"])
        hashes[position] = previous
    count = len(events)
    head = document.get("head")
    if not isinstance(head, Mapping) or head.get("seq") != count or head.get("hash") != previous:
        return Verdict(False, count, "the head does not match the last event")
    signed = _signed(document.get("checkpoint"), keys, HEAD_TYPE)
    if isinstance(signed, str):
        return Verdict(False, count, f"signed head: {signed}")
    if (signed.get("chainId"), signed.get("seq"), signed.get("hash")) != (
            document.get("chainId"), count, previous):
        return Verdict(False, count, "the signed head is not this chain's last event (an "
                       "event was removed or added after signing)")
    if document.get("publishedCheckpoint"):
        published_ = _signed(document["publishedCheckpoint"], keys, CHECKPOINT_TYPE)
        if isinstance(published_, str):
            return Verdict(False, count, f"published checkpoint: {published_}")
        mine = [h for h in published_.get("heads") or []
                if isinstance(h, Mapping) and h.get("chain") == document.get("chainId")]
        if not mine:
            return Verdict(False, count, "the published checkpoint does not name this chain")
        at = mine[0].get("seq")
        if not isinstance(at, int) or hashes.get(at) != mine[0].get("hash"):
            return Verdict(False, count, "the published checkpoint's head differs from the "
                           "event it names (the chain was rewritten)", at if isinstance(at, int)
                           else None)
    return Verdict(True, count)
