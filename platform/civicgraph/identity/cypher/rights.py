"""Cypher for the citizen's rights: the export of everything held about them (GDPR art. 15/20)
and erasure requests (art. 17).

The export is one read, so the document is one consistent moment of the graph: an access event
written between two reads could otherwise be listed without the consent it was read under.

Carrying out an erasure is one statement under the request's and the person's write locks, so
two staff pressing the button at once decide it once, and a consent granted in the same instant
either is withdrawn by it or is refused (the grant locks the person too). What is kept, and why,
is the service's docstring (``identity.service.rights``).
"""

from __future__ import annotations

from typing import Any

from civicgraph.core.access import ROLE_LABELS
from civicgraph.core.envelope import created_map, touched
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher.consent import _CONSENT

# Role label in the graph -> role name, as the tokens and the rest of the platform call them.
_ROLE_OF = {label: role for role, label in ROLE_LABELS.items()}

_REQUEST = (
    "r {.id, .status, .reason, .note, requestedAt: toString(r.requestedAt), "
    "decidedAt: toString(r.decidedAt)}"
)
# What staff see: the request with its citizen (erased: no name any more) and who decided it.
_STAFF_REQUEST = (
    "r {.id, .status, .reason, .note, requestedAt: toString(r.requestedAt), "
    "decidedAt: toString(r.decidedAt), citizenId: p.id, citizenName: p.name, "
    "erasedAt: toString(p.erasedAt), "
    "decidedBy: head(COLLECT { MATCH (r)-[:DECIDED_BY]->(s:Person) RETURN s.name })}"
)

_EXPORT = (
    "MATCH (p:Person {id: $personId}) "
    "RETURN {"
    " account: p {.id, .name, .email, .region, createdAt: toString(p.createdAt), "
    "   roles: [l IN labels(p) WHERE l IN keys($roleOf) | $roleOf[l]]}, "
    " skills: COLLECT { MATCH (p)-[:HAS_SKILL]->(k:Skill) "
    "   RETURN k {.uri, .name} ORDER BY k.name, k.uri }, "
    " occupations: COLLECT { MATCH (p)-[:HAS_OCCUPATION]->(k:Occupation) "
    "   RETURN k {.uri, .name, .code} ORDER BY k.name, k.uri }, "
    " consents: COLLECT { MATCH (p)-[:GAVE]->(c:Consent)-[:TO]->(o:Organisation) "
    "   RETURN " + _CONSENT + " ORDER BY c.grantedAt DESC, c.id }, "
    # Every stored property, whatever later code adds to these records: the export must not
    # lag behind what is kept.
    " accessLog: COLLECT { MATCH (p)<-[:ABOUT]-(e:AccessEvent) "
    "   RETURN {properties: properties(e), "
    "     organisationName: head(COLLECT { MATCH (e)-[:BY]->(o:Organisation) RETURN o.name })} "
    "   ORDER BY e.at DESC, e.id }, "
    " dataUses: COLLECT { MATCH (p)<-[:ABOUT]-(u:DataUse) "
    "   RETURN {properties: properties(u), "
    "     organisationName: head(COLLECT { MATCH (u)-[:BY]->(o:Organisation) RETURN o.name })} "
    "   ORDER BY coalesce(u.at, u.createdAt) DESC, u.id }, "
    " erasureRequests: COLLECT { MATCH (r:ErasureRequest)-[:FOR]->(p) "
    "   RETURN " + _REQUEST + " ORDER BY r.requestedAt DESC, r.id }"
    "} AS export"
)


def export_of(graph: Graph, person_id: str) -> dict[str, Any] | None:
    """Everything held about the person, in one read; None when there is no such person."""
    records = graph.run(_EXPORT, {"personId": person_id, "roleOf": _ROLE_OF})
    return dict(records[0]["export"]) if records else None


def request_erasure(graph: Graph, fields: dict[str, Any]) -> tuple[bool, dict[str, Any]] | None:
    """A new erasure request unless one is open: (one was open already, the open request).

    Parameters: personId, id, reason. None when the person is not a citizen (any more). The
    person's write lock is taken before the check, so two requests at once make one.
    """
    records = graph.run(
        "MATCH (p:Person:Citizen {id: $personId}) WHERE p.erasedAt IS NULL "
        "SET p._lock = true REMOVE p._lock "
        "WITH p, head(COLLECT { MATCH (o:ErasureRequest {status: 'REQUESTED'})-[:FOR]->(p) "
        "  RETURN o.id }) AS openId "
        "FOREACH (_ IN CASE WHEN openId IS NULL THEN [1] ELSE [] END | "
        "  CREATE (:ErasureRequest {id: $id, requestedAt: datetime(), status: 'REQUESTED', "
        "    reason: $reason, decidedAt: null, note: null, " + created_map() + "})-[:FOR]->(p)) "
        "WITH openId "
        "MATCH (r:ErasureRequest {id: coalesce(openId, $id)}) "
        "RETURN openId IS NOT NULL AS alreadyOpen, " + _REQUEST + " AS request",
        fields,
        write=True,
    )
    if not records:
        return None
    return bool(records[0]["alreadyOpen"]), dict(records[0]["request"])


def latest_request_of(graph: Graph, person_id: str) -> dict[str, Any] | None:
    """The citizen's newest request: the open one when there is one (a new one cannot be made
    while one is open, so the open one is always the newest)."""
    records = graph.run(
        "MATCH (r:ErasureRequest)-[:FOR]->(:Person {id: $personId}) "
        "RETURN " + _REQUEST + " AS request ORDER BY r.requestedAt DESC, r.id LIMIT 1",
        {"personId": person_id},
    )
    return dict(records[0]["request"]) if records else None


def requests(graph: Graph, limit: int) -> list[dict[str, Any]]:
    """Open requests first, oldest first (a queue); then the decided ones, newest first."""
    records = graph.run(
        "MATCH (r:ErasureRequest)-[:FOR]->(p:Person) "
        "WITH r, p ORDER BY CASE r.status WHEN 'REQUESTED' THEN 0 ELSE 1 END, "
        "  CASE WHEN r.status = 'REQUESTED' THEN r.requestedAt.epochMillis "
        "  ELSE -r.decidedAt.epochMillis END, r.id LIMIT $limit "
        "RETURN " + _STAFF_REQUEST + " AS request",
        {"limit": limit},
    )
    return [dict(r["request"]) for r in records]


def carry_out(graph: Graph, fields: dict[str, Any]
              ) -> tuple[str, dict[str, Any], dict[str, int]] | None:
    """Erase the person of an open request and mark it DONE: (status before, the request,
    counts of what was done). Nothing changes when the request was not open.

    Parameters: requestId, staffId, note, roleLabels. None when the request or the staff
    person does not exist.
    """
    records = graph.run(
        "MATCH (r:ErasureRequest {id: $requestId})-[:FOR]->(p:Person) "
        "MATCH (staff:Person {id: $staffId}) "
        "SET r._lock = true, p._lock = true REMOVE r._lock, p._lock "
        "WITH r, p, staff, r.status AS before "
        "WITH r, p, staff, before, before = 'REQUESTED' AS open "
        "CALL (p, open) { WITH p WHERE open "
        "  OPTIONAL MATCH (p)-[s:HAS_SKILL|HAS_OCCUPATION]->() DELETE s "
        "  RETURN count(s) AS unlinked } "
        "CALL (p, open) { WITH p WHERE open "
        "  OPTIONAL MATCH (p)-[:GAVE]->(c:Consent) "
        "  WHERE c.withdrawnAt IS NULL AND c.expiresAt > datetime() "
        "  SET c.withdrawnAt = datetime() "
        "  RETURN count(c) AS withdrawn } "
        # A partner's words to the citizen may name them: the use stays (its kind and count),
        # its text and links go.
        "CALL (p, open) { WITH p WHERE open "
        "  OPTIONAL MATCH (u:DataUse)-[:ABOUT]->(p) SET u.note = null, u.links = [] "
        "  RETURN count(u) AS cleared } "
        "CALL (p, open) { WITH p WHERE open "
        "  OPTIONAL MATCH (t:RefreshToken {personId: p.id}) WHERE t.revokedAt IS NULL "
        "  SET t.revokedAt = datetime() "
        "  RETURN count(t) AS revoked } "
        "FOREACH (_ IN CASE WHEN open THEN [1] ELSE [] END | "
        # Only the pseudonymous id and the envelope stay: name, email, region, the password
        # hash and anything else later code stores on a person go with one assignment.
        "  SET p = {id: p.id, createdAt: p.createdAt, updatedAt: datetime(), "
        "    version: coalesce(p.version, 0) + 1, erasedAt: datetime(), "
        # The access log's chain stays verifiable: its opaque name and head are not personal.
        "    logChainId: p.logChainId, logSeq: p.logSeq, logHead: p.logHead} "
        "  REMOVE p:$($roleLabels) SET p:Erased "
        "  SET r.status = 'DONE', r.decidedAt = datetime(), r.note = $note, r.reason = null, "
        "    " + touched("r") + " "
        "  CREATE (r)-[:DECIDED_BY]->(staff)) "
        "RETURN before, " + _STAFF_REQUEST + " AS request, "
        "  {skillsAndOccupations: unlinked, consentsWithdrawn: withdrawn, "
        "   dataUsesCleared: cleared, refreshTokensRevoked: revoked} AS done",
        fields,
        write=True,
    )
    if not records:
        return None
    row = records[0]
    return str(row["before"]), dict(row["request"]), {k: int(v) for k, v in row["done"].items()}


def refuse(graph: Graph, fields: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """Refuse an open request with a note: (status before, the request). Parameters:
    requestId, staffId, note. None when the request or the staff person does not exist."""
    records = graph.run(
        "MATCH (r:ErasureRequest {id: $requestId})-[:FOR]->(p:Person) "
        "MATCH (staff:Person {id: $staffId}) "
        "SET r._lock = true REMOVE r._lock "
        "WITH r, p, staff, r.status AS before "
        "FOREACH (_ IN CASE WHEN before = 'REQUESTED' THEN [1] ELSE [] END | "
        "  SET r.status = 'REFUSED', r.decidedAt = datetime(), r.note = $note, "
        "    " + touched("r") + " "
        "  CREATE (r)-[:DECIDED_BY]->(staff)) "
        "RETURN before, " + _STAFF_REQUEST + " AS request",
        fields,
        write=True,
    )
    if not records:
        return None
    return str(records[0]["before"]), dict(records[0]["request"])
