"""Cypher for consent records and the access events of citizen data.

The rule "a partner reads citizen data only under a live consent for its organisation and
purpose" is part of the MATCH/WHERE of the one statement that reads the data, and the same
statement writes the access event: no consent, no row, nothing read; a row read, an event
written, in one transaction. Consents are never edited: withdrawal sets ``withdrawnAt`` once,
and a new grant for the same organisation and purpose is a new node that SUPERSEDES the old one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.core.envelope import created_map
from civicgraph.core.graph import Graph

_STATUS = (
    "CASE WHEN c.withdrawnAt IS NOT NULL THEN 'WITHDRAWN' "
    "WHEN c.expiresAt <= datetime() THEN 'EXPIRED' ELSE 'LIVE' END"
)
_CONSENT = (
    "c {.id, .purpose, .categories, grantedAt: toString(c.grantedAt), "
    "expiresAt: toString(c.expiresAt), withdrawnAt: toString(c.withdrawnAt), "
    "status: " + _STATUS + ", organisationId: o.id, organisationName: o.name, "
    "supersededBy: head(COLLECT { MATCH (n:Consent)-[:SUPERSEDES]->(c) RETURN n.id })}"
)


def grant(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """A new consent; a live one for the same organisation and purpose is withdrawn by it.

    None when the citizen or the organisation does not exist.
    """
    records = graph.run(
        "MATCH (p:Person:Citizen {id: $personId}) "
        "MATCH (o:Organisation {id: $organisationId}) "
        # The person's write lock first: two grants at once are serialised, and the second
        # sees (and supersedes) the consent the first made instead of leaving two live ones.
        "SET p._lock = true REMOVE p._lock WITH p, o "
        "CALL (p, o) { "
        "  OPTIONAL MATCH (p)-[:GAVE]->(old:Consent {purpose: $purpose})-[:TO]->(o) "
        "  WHERE old.withdrawnAt IS NULL AND old.expiresAt > datetime() "
        "  RETURN collect(old) AS olds } "
        "CREATE (p)-[:GAVE]->(c:Consent {id: $id, purpose: $purpose, categories: $categories, "
        "  grantedAt: datetime(), expiresAt: $expiresAt, withdrawnAt: null, "
        "  " + created_map() + "})-[:TO]->(o) "
        "FOREACH (old IN olds | SET old.withdrawnAt = c.grantedAt CREATE (c)-[:SUPERSEDES]->(old)) "
        "RETURN " + _CONSENT + " AS consent",
        fields,
        write=True,
    )
    return dict(records[0]["consent"]) if records else None


def withdraw(graph: Graph, person_id: str, consent_id: str) -> dict[str, Any] | None:
    """Withdraw one of the person's consents (again: no change); None if it is not theirs."""
    records = graph.run(
        "MATCH (:Person {id: $personId})-[:GAVE]->(c:Consent {id: $consentId})-[:TO]->"
        "(o:Organisation) "
        "SET c.withdrawnAt = coalesce(c.withdrawnAt, datetime()) "
        "RETURN " + _CONSENT + " AS consent",
        {"personId": person_id, "consentId": consent_id},
        write=True,
    )
    return dict(records[0]["consent"]) if records else None


def consents_of(graph: Graph, person_id: str) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (:Person {id: $personId})-[:GAVE]->(c:Consent)-[:TO]->(o:Organisation) "
        "RETURN " + _CONSENT + " AS consent ORDER BY c.grantedAt DESC, c.id",
        {"personId": person_id},
    )
    return [dict(r["consent"]) for r in records]


def access_log_of(graph: Graph, person_id: str, limit: int) -> list[dict[str, Any]]:
    records = graph.run(
        "MATCH (:Person {id: $personId})<-[:ABOUT]-(e:AccessEvent)-[:BY]->(o:Organisation) "
        "RETURN e {.id, .purpose, .fields, .clientId, .consentId, at: toString(e.at), "
        "  organisationId: o.id, organisationName: o.name} AS event "
        "ORDER BY e.at DESC, e.id LIMIT $limit",
        {"personId": person_id, "limit": limit},
    )
    return [dict(r["event"]) for r in records]


def read_profile(graph: Graph, params: dict[str, Any]) -> dict[str, Any] | None:
    """Read the requested categories a live consent covers, and log the read; one statement.

    Parameters: citizenId, organisationId, purpose, requested (categories asked for),
    clientId, eventId. No live consent: no row, nothing read, nothing logged.
    """
    records = graph.run(
        "MATCH (p:Person:Citizen {id: $citizenId})-[:GAVE]->(c:Consent {purpose: $purpose})"
        "-[:TO]->(o:Organisation {id: $organisationId}) "
        "WHERE c.withdrawnAt IS NULL AND c.grantedAt <= datetime() "
        "  AND c.expiresAt > datetime() "
        "WITH p, c, o ORDER BY c.grantedAt DESC LIMIT 1 "
        "WITH p, c, o, [x IN $requested WHERE x IN c.categories] AS fields "
        "CREATE (e:AccessEvent {id: $eventId, at: datetime(), purpose: $purpose, "
        "  fields: fields, clientId: $clientId, organisationId: o.id, subjectId: p.id, "
        "  consentId: c.id}) "
        "CREATE (e)-[:BY]->(o), (e)-[:ABOUT]->(p), (e)-[:UNDER]->(c) "
        "RETURN {id: p.id, categories: c.categories, consentId: c.id, fields: fields, "
        "  expiresAt: toString(c.expiresAt), "
        "  name: CASE WHEN 'contact' IN fields THEN p.name END, "
        "  email: CASE WHEN 'contact' IN fields THEN p.email END, "
        "  region: CASE WHEN 'contact' IN fields THEN p.region END, "
        "  skills: CASE WHEN 'skills' IN fields THEN "
        "    COLLECT { MATCH (p)-[:HAS_SKILL]->(s:Skill) RETURN s {.uri, .name} ORDER BY s.name }"
        "    END, "
        "  occupation: CASE WHEN 'occupation' IN fields THEN head(COLLECT { "
        "    MATCH (p)-[:HAS_OCCUPATION]->(x:Occupation) RETURN x {.uri, .code, .name} }) END "
        "} AS profile",
        params,
        write=True,
    )
    return dict(records[0]["profile"]) if records else None


def record_of_processing(graph: Graph) -> list[dict[str, Any]]:
    """Who processed which categories of citizen data for which purpose (GDPR art. 30)."""
    records = graph.run(
        "MATCH (e:AccessEvent)-[:BY]->(o:Organisation) "
        "WITH o, e.purpose AS purpose, count(e) AS reads, count(DISTINCT e.subjectId) AS citizens, "
        "  min(e.at) AS firstAt, max(e.at) AS lastAt, collect(e.fields) AS fieldLists, "
        "  collect(DISTINCT e.clientId) AS clients "
        "RETURN {organisationId: o.id, organisationName: o.name, purpose: purpose, "
        "  reads: reads, citizens: citizens, clientIds: clients, "
        "  firstAccessAt: toString(firstAt), lastAccessAt: toString(lastAt), "
        "  categories: reduce(acc = [], fs IN fieldLists | acc + [f IN fs WHERE NOT f IN acc]), "
        "  liveConsents: COUNT { "
        "    MATCH (:Person)-[:GAVE]->(c:Consent {purpose: purpose})-[:TO]->(o) "
        "    WHERE c.withdrawnAt IS NULL AND c.expiresAt > datetime() } "
        "} AS row ORDER BY o.name, purpose",
    )
    return [dict(r["row"]) for r in records]


def in_days(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def ensure_demo_consent(graph: Graph, fields: dict[str, Any]) -> int:
    """A consent from the demo citizen unless they ever gave one for this purpose; 1 if made."""
    records = graph.run(
        "MATCH (p:Person:Citizen {email: $email}) "
        "MATCH (o:Organisation {nameKey: $organisationKey}) "
        "WHERE NOT EXISTS { (p)-[:GAVE]->(:Consent {purpose: $purpose})-[:TO]->(o) } "
        "CREATE (p)-[:GAVE]->(c:Consent {id: $id, purpose: $purpose, categories: $categories, "
        "  grantedAt: datetime(), expiresAt: $expiresAt, withdrawnAt: null, "
        "  " + created_map() + "})-[:TO]->(o) "
        "RETURN count(c) AS created",
        fields,
        write=True,
    )
    return int(records[0]["created"]) if records else 0
