"""Cypher for consent records and the access events of citizen data.

The rule "a partner reads citizen data only under a live consent for its organisation and
purpose" is part of the one statement that reads the data, and the same statement writes the
access event: a read under the consent, or a refusal when none covers the request, each an
event of the citizen's chain (``cypher/access_log.py``), in one transaction. Consents are never
edited: withdrawal sets ``withdrawnAt`` once, and a new grant for the same organisation and
purpose is a new node that SUPERSEDES the old one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from functools import partial
from typing import Any

from civicgraph.compiler import nested
from civicgraph.compiler.cache import PLANS
from civicgraph.compiler.cypher import Builder, Path, Plan, kids, project, prop_expr, relation
from civicgraph.compiler.domains.identity import (
    ACCESS_EVENT,
    CATEGORY_OF,
    CITIZEN_VIEW,
    CONSENT,
    STATUS_EXPR,
)
from civicgraph.compiler.selection import Selection, shape
from civicgraph.compiler.visibility import Scope, Visibility
from civicgraph.core.envelope import created_map
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import access_log

_STATUS = STATUS_EXPR.replace("{v}", "c")
_CONSENT = (
    "c {.id, .purpose, .categories, .purposeVersion, grantedAt: toString(c.grantedAt), "
    "expiresAt: toString(c.expiresAt), withdrawnAt: toString(c.withdrawnAt), "
    "status: " + _STATUS + ", organisationId: o.id, organisationName: o.name, "
    "supersededBy: head(COLLECT { MATCH (n:Consent)-[:SUPERSEDES]->(c) RETURN n.id }), "
    "supersedes: head(COLLECT { MATCH (c)-[:SUPERSEDES]->(n:Consent) RETURN n.id }), "
    "declared: head(COLLECT { MATCH (c)-[:FOR]->(d:Purpose) RETURN d {.id, .code, .version, "
    "  .nameEn, .nameFr, .descriptionEn, .descriptionFr, .benefitEn, .benefitFr, "
    "  .categories, .legalBasis, .retentionDays, .status} })}"
)


def grant(graph: Graph, fields: dict[str, Any]) -> dict[str, Any] | None:
    """A new consent for a declared purpose; a live one for the same organisation and purpose
    is replaced by it (a narrowed or extended consent is such a replacement).

    Parameters: id, personId, purposeId, categories, expiresAt, statuses (the purpose's
    statuses that allow it: approved for a grant or an extension, any to narrow) and
    purposeVersion (null: the purpose's current version). None when the citizen or the
    purpose does not exist, or the purpose is not in one of ``statuses`` any more.
    """
    records = graph.run(
        "MATCH (p:Person:Citizen {id: $personId}) "
        "MATCH (pu:Purpose {id: $purposeId})-[:DECLARED_BY]->(o:Organisation) "
        # The person's write lock first: two grants at once are serialised, and the second
        # sees (and supersedes) the consent the first made instead of leaving two live ones.
        "SET p._lock = true REMOVE p._lock WITH p, pu, o WHERE pu.status IN $statuses "
        "CALL (p, pu, o) { "
        "  OPTIONAL MATCH (p)-[:GAVE]->(old:Consent {purpose: pu.code})-[:TO]->(o) "
        "  WHERE old.withdrawnAt IS NULL AND old.expiresAt > datetime() "
        "  RETURN collect(old) AS olds } "
        "CREATE (p)-[:GAVE]->(c:Consent {id: $id, purpose: pu.code, categories: $categories, "
        "  purposeVersion: coalesce($purposeVersion, pu.version), "
        "  grantedAt: datetime(), expiresAt: $expiresAt, withdrawnAt: null, "
        "  " + created_map() + "})-[:TO]->(o) "
        "CREATE (c)-[:FOR]->(pu) "
        "FOREACH (old IN olds | SET old.withdrawnAt = c.grantedAt CREATE (c)-[:SUPERSEDES]->(old)) "
        "RETURN " + _CONSENT + " AS consent",
        fields,
        write=True,
    )
    return dict(records[0]["consent"]) if records else None


def consent_of(graph: Graph, person_id: str, consent_id: str) -> dict[str, Any] | None:
    """One of the person's consents, with its declared purpose; None if it is not theirs."""
    records = graph.run(
        "MATCH (:Person {id: $personId})-[:GAVE]->(c:Consent {id: $consentId})-[:TO]->"
        "(o:Organisation) RETURN " + _CONSENT + " AS consent",
        {"personId": person_id, "consentId": consent_id},
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


def _view_entry(b: Builder, sel: Selection, path: Path) -> str | None:
    """One selected field of the consented view, as the compiler projects the model's fields:
    the consent (``c``) under the client's selection, the citizen's skills as a connection and
    occupation as the record, and the contact fields; each of the citizen's fields inside its
    category's test, so a category outside the consent is neither read nor logged."""
    if sel.field == "__typename":
        return f"'{CITIZEN_VIEW.name}'"
    if sel.field == "consent":
        return project(b, CONSENT, "c", kids(sel, path))
    if sel.field == "read":  # the access event this statement writes (sealed after it)
        return project(b, ACCESS_EVENT, "e", kids(sel, path))
    category = CATEGORY_OF.get(sel.field)
    if category is None:
        return None
    prop = CITIZEN_VIEW.prop(sel.field)
    rel = CITIZEN_VIEW.rel(sel.field)
    if prop is not None:
        value = prop_expr(CITIZEN_VIEW, prop, "p", b.scope)
    elif rel is not None and rel.connection:
        value = nested.connection(b, "p", CITIZEN_VIEW, rel, sel, path)
    else:
        value = relation(b, "p", CITIZEN_VIEW, sel, path)
    return f"CASE WHEN '{category}' IN fields THEN {value} END"


def _profile_plan(root: Selection, scope: Scope) -> Plan:
    b = Builder(scope=scope)
    entries = ["`__categories`: c.categories", "`__expiresAt`: toString(c.expiresAt)"]
    for sel, path in kids(root, ()):
        entry = _view_entry(b, sel, path)
        if entry is not None:
            entries.append(f"`{sel.key}`: {entry}")
    profile = "{" + ", ".join(entries) + "}"
    return b.plan(
        "MATCH (p:Person:Citizen {id: $citizenId}) "
        # The person's write lock first: reads of one citizen are serialised, so each sees the
        # head the one before it left and the chain gets seq 1, 2, ... without gaps or twins.
        "SET p._lock = true REMOVE p._lock WITH p "
        "MATCH (o:Organisation {id: $organisationId}) "
        "OPTIONAL MATCH (p)-[:GAVE]->(c:Consent {purpose: $purpose})-[:TO]->(o) "
        "WHERE c.withdrawnAt IS NULL AND c.grantedAt <= datetime() "
        "  AND c.expiresAt > datetime() "
        "WITH p, c, o ORDER BY c.grantedAt DESC LIMIT 1 "
        "WITH p, c, o, CASE WHEN c IS NULL THEN [] "
        "  ELSE [x IN $requested WHERE x IN c.categories] END AS fields "
        "WITH p, c, o, fields, coalesce(p.logSeq, 0) + 1 AS seq, p.logHead AS head "
        "CREATE (e:AccessEvent {id: $eventId, at: datetime.realtime(), purpose: $purpose, "
        "  fields: CASE WHEN c IS NULL THEN $requested ELSE fields END, clientId: $clientId, "
        "  organisationId: o.id, subjectId: p.id, consentId: c.id, seq: seq, "
        "  outcome: CASE WHEN c IS NULL THEN 'REFUSED' ELSE 'READ' END}) "
        "CREATE (e)-[:BY]->(o), (e)-[:ABOUT]->(p) "
        "FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | CREATE (e)-[:UNDER]->(x)) "
        "SET p.logSeq = seq, p.logChainId = coalesce(p.logChainId, $chainId) "
        "RETURN CASE WHEN c IS NULL THEN null ELSE " + profile + " END AS profile, head, "
        "  " + access_log.EVENT + " AS event")


def read_profile(graph: Graph, params: dict[str, Any], root: Selection, viewer: Visibility,
                 document: Hashable | None = None) -> dict[str, Any] | None:
    """Read the requested categories a live consent covers, or refuse; log either, numbered in
    the citizen's chain: the first statement of the writer's transaction.

    Parameters: citizenId, organisationId, purpose, requested (categories asked for),
    clientId, eventId, chainId (the chain's opaque id if this event starts it). No such citizen
    (or organisation): no row, nothing logged. Otherwise one row: ``profile`` (None when no
    live consent covers the request: the event is a refusal naming the categories asked for),
    ``event`` (its canonical fields but the hashes) and ``head``, the hash the chain ended with.
    What is read is compiled from ``root``, the client's selection of the profile, under
    ``viewer``'s visibility: the consent, skills and occupation are the model's records (their
    guards and TEST-mode visibility apply inside), keyed by response key as every compiled
    read is.
    """
    key = None if document is None else (document, "citizenProfile", viewer.scope, root.key,
                                         shape(root))
    plan = PLANS.get(key, partial(_profile_plan, root, viewer.scope))
    records = graph.run(plan.cypher, {**plan.with_caller(root, viewer.params()), **params},
                        write=True)
    return dict(records[0]) if records else None


def record_of_processing(graph: Graph) -> list[dict[str, Any]]:
    """Who processed which categories of citizen data for which purpose (GDPR art. 30): the
    reads; a refused request processed nothing and is the citizen's log's business."""
    records = graph.run(
        "MATCH (e:AccessEvent)-[:BY]->(o:Organisation) WHERE e.outcome = 'READ' "
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
    """A consent from the demo citizen to the organisation's declared purpose unless they ever
    gave one for it; 1 if made."""
    records = graph.run(
        "MATCH (p:Person:Citizen {email: $email}) "
        "MATCH (pu:Purpose {code: $purpose})-[:DECLARED_BY]->(o:Organisation "
        "  {nameKey: $organisationKey}) "
        "WHERE NOT EXISTS { (p)-[:GAVE]->(:Consent {purpose: $purpose})-[:TO]->(o) } "
        "CREATE (p)-[:GAVE]->(c:Consent {id: $id, purpose: $purpose, categories: $categories, "
        "  purposeVersion: pu.version, grantedAt: datetime(), expiresAt: $expiresAt, "
        "  withdrawnAt: null, " + created_map() + "})-[:TO]->(o) "
        "CREATE (c)-[:FOR]->(pu) "
        "RETURN count(c) AS created",
        fields,
        write=True,
    )
    return int(records[0]["created"]) if records else 0


def categories_held(graph: Graph, person_id: str) -> dict[str, Any]:
    """What each category of consent holds of this person today, read from their own data."""
    records = graph.run(
        "MATCH (p:Person {id: $personId}) "
        "RETURN {contact: {name: p.name, email: p.email, region: p.region}, "
        "  skills: COLLECT { MATCH (p)-[:HAS_SKILL]->(s:Skill) RETURN s.name ORDER BY s.name }, "
        "  occupation: head(COLLECT { MATCH (p)-[:HAS_OCCUPATION]->(o:Occupation) "
        "    RETURN o {.code, .name} })} AS held",
        {"personId": person_id},
    )
    return dict(records[0]["held"]) if records else {}


_IN_FORCE = ("c.withdrawnAt IS NULL AND c.expiresAt > datetime() "
             "AND NOT EXISTS { (:Consent)-[:SUPERSEDES]->(c) }")


def remind_ending(graph: Graph, within_days: int) -> int:
    """A reminder for each consent in force that ends within ``within_days`` and has none yet;
    how many were made. The consent's lock first, then the check, so two runs at once remind
    once. The consent itself is not edited: the reminder points at it."""
    records = graph.run(
        "MATCH (p:Person:Citizen)-[:GAVE]->(c:Consent)-[:TO]->(o:Organisation) "
        "WHERE " + _IN_FORCE + " AND c.expiresAt <= datetime() + duration({days: $days}) "
        "  AND NOT EXISTS { (:Reminder)-[:ABOUT]->(c) } "
        "SET c._lock = true REMOVE c._lock "
        "WITH p, c, o WHERE NOT EXISTS { (:Reminder)-[:ABOUT]->(c) } "
        "CREATE (p)<-[:FOR]-(:Reminder {id: randomUUID(), at: datetime(), "
        "  kind: 'CONSENT_ENDING'})-[:ABOUT]->(c) "
        "RETURN count(c) AS reminded",
        {"days": within_days},
        write=True,
    )
    return int(records[0]["reminded"]) if records else 0


def reminders_of(graph: Graph, person_id: str) -> list[dict[str, Any]]:
    """The person's reminders of consents still in force (one that was extended or withdrawn
    since needs no reminder any more), newest first."""
    records = graph.run(
        "MATCH (:Person {id: $personId})<-[:FOR]-(r:Reminder)-[:ABOUT]->(c:Consent)-[:TO]->"
        "(o:Organisation) WHERE " + _IN_FORCE + " "
        "RETURN r {.id, .kind, at: toString(r.at), consentId: c.id, organisationName: o.name, "
        "  endsAt: toString(c.expiresAt)} AS reminder ORDER BY r.at DESC",
        {"personId": person_id},
    )
    return [dict(r["reminder"]) for r in records]


def demo_read_state(graph: Graph, email: str, organisation_key: str) -> dict[str, Any] | None:
    """The demo citizen's id, the demo partner's organisation id, and whether it ever read the
    citizen's data (the demo reads once, so the citizen's page shows a read and its value)."""
    records = graph.run(
        "MATCH (p:Person:Citizen {email: $email}), (o:Organisation {nameKey: $organisationKey}) "
        "RETURN p.id AS citizenId, o.id AS organisationId, "
        "  EXISTS { (p)<-[:ABOUT]-(:AccessEvent)-[:BY]->(o) } AS read",
        {"email": email, "organisationKey": organisation_key},
    )
    return dict(records[0]) if records else None
