"""Who may see records that partner platforms synced: one rule for every read.

A record synced only from platforms still in TEST mode is visible to those platforms' own
clients and to lab admins alone, until an admin promotes the platform (KEHA-style onboarding).
Records nobody synced (registered through the API, the demo, the generator) are public.

The rule is kept as a label, ``Unpublished``, on every sourced record none of whose sources is a
PRODUCTION platform: the sync writer sets or removes it as it attaches a source
(``mark_published``), promotion removes it from the platform's records (``publish_platform``),
and migration V101 backfilled it. A label test instead of a pattern per row lets Neo4j count
from its count store and walk an ordering index with a cheap filter: the public predicate is
``NOT n:Unpublished``. Only a caller that is a platform's client also needs the pattern, and only
for the unpublished records (``EXISTS`` for its own platform, matched by the platform's
``clientId`` = ``$callerClient`` inside the statement, so finding the caller's platform costs no
round trip); admins need no predicate at all. (``Visibility`` had a ``platform_id`` that nothing
set, so ``$callerPlatform`` was always null in the partner graph's reads: the caller's client is
what a token names, so that is what the compiled reads match. The partners domain, which looks
its caller's platform up once, passes ``$callerPlatform`` to ``visible``.) The compiler writes
the predicate for the caller's ``scope`` (the plan cache keeps one plan per scope);
hand-written statements use ``visible`` with the ``$admin`` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, LiteralString

# The labels partner feeds write; other types (skills, fields, platforms) are never hidden.
SOURCED_LABELS = frozenset({"Organisation", "Vacancy", "TrainingCourse", "Service"})
UNPUBLISHED: LiteralString = "Unpublished"

Scope = Literal["public", "own", "all"]


@dataclass(frozen=True)
class Visibility:
    admin: bool = False
    client_id: str | None = None
    staff: bool = False
    """Lab staff (or an admin): the lab's drafts, ideas and evaluations."""
    expert: bool = False
    organisation_id: str | None = None
    """The organisation the caller acts for (its own proposals)."""
    person_id: str | None = None

    @property
    def scope(self) -> Scope:
        """Which predicate this caller's reads need: none (admin), the label test and the own
        platform's records (a platform's client), or the label test alone."""
        if self.admin:
            return "all"
        if self.client_id is not None:
            return "own"
        return "public"

    def params(self) -> dict[str, Any]:
        """Every caller parameter ``visible`` or a guard may read (``model.NodeType.guard``),
        always all of them; the compiled TEST-mode predicate reads only a subset."""
        return {"admin": self.admin, "callerPlatform": None,
                "callerClient": self.client_id, "staff": self.staff or self.admin,
                "expert": self.expert, "callerOrganisation": self.organisation_id,
                "callerPerson": self.person_id}


PUBLIC = Visibility()


def _own(var: LiteralString, by_id: bool = True) -> LiteralString:
    platform = "vp.id = $callerPlatform OR " if by_id else ""
    return ("EXISTS { (" + var + ")-[:SOURCED_FROM]->(vp:PartnerPlatform) "
            "WHERE " + platform + "vp.clientId = $callerClient }")


def predicate(var: LiteralString, scope: Scope) -> LiteralString:
    """The visibility test for ``scope`` ('' when there is none to make)."""
    if scope == "all":
        return ""
    if scope == "own":
        return "(NOT " + var + ":" + UNPUBLISHED + " OR " + _own(var, by_id=False) + ")"
    return "NOT " + var + ":" + UNPUBLISHED


def visible(var: LiteralString) -> LiteralString:
    """The same rule for any caller, decided by the ``$admin`` parameter at run time."""
    return "($admin OR NOT " + var + ":" + UNPUBLISHED + " OR " + _own(var) + ")"


def mark_published(node: LiteralString, platform: LiteralString) -> LiteralString:
    """Clauses to follow attaching ``platform`` as a source of ``node`` (both bound): a
    PRODUCTION source publishes the record; a TEST one hides it unless another source is
    PRODUCTION. Ends with ``node`` and ``platform`` still in scope."""
    return (
        "FOREACH (_ IN CASE WHEN " + platform + ".mode = 'PRODUCTION' THEN [1] ELSE [] END | "
        "REMOVE " + node + ":" + UNPUBLISHED + ") "
        "FOREACH (_ IN CASE WHEN coalesce(" + platform + ".mode, 'TEST') <> 'PRODUCTION' "
        "AND NOT EXISTS { (" + node + ")-[:SOURCED_FROM]->(:PartnerPlatform "
        "{mode: 'PRODUCTION'}) } THEN [1] ELSE [] END | SET " + node + ":" + UNPUBLISHED + ") "
    )


def publish_platform(platform: LiteralString) -> LiteralString:
    """A subquery that publishes every record ``platform`` (bound, now PRODUCTION) sources."""
    return ("WITH " + platform + " CALL (" + platform + ") { MATCH (u:" + UNPUBLISHED
            + ")-[:SOURCED_FROM]->(" + platform + ") REMOVE u:" + UNPUBLISHED + " } ")
