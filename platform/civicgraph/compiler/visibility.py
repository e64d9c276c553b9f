"""Who may see records that partner platforms synced: one Cypher predicate for every read.

A record synced only from platforms still in TEST mode is visible to those platforms' own
clients and to lab admins alone, until an admin promotes the platform (KEHA-style onboarding).
Records nobody synced (registered through the API, the demo, the generator) are public. The
predicate reads ``$admin``, ``$callerPlatform`` and ``$callerClient`` (the caller's OAuth client,
matched against the platform's ``clientId`` inside the statement, so finding the caller's
platform costs no extra round trip), which every statement using it receives from
``Visibility.params``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

# The labels partner feeds write; other types (skills, fields, platforms) are never hidden.
SOURCED_LABELS = frozenset({"Organisation", "Vacancy", "TrainingCourse", "Service"})


@dataclass(frozen=True)
class Visibility:
    admin: bool = False
    platform_id: str | None = None
    client_id: str | None = None
    staff: bool = False
    """Lab staff (or an admin): the lab's drafts, ideas and evaluations."""
    expert: bool = False
    organisation_id: str | None = None
    """The organisation the caller acts for (its own proposals)."""
    person_id: str | None = None

    def params(self) -> dict[str, Any]:
        """Every caller parameter a guard may read (``model.NodeType.guard``), always all of
        them, so one cached plan serves every caller."""
        return {"admin": self.admin, "callerPlatform": self.platform_id,
                "callerClient": self.client_id, "staff": self.staff or self.admin,
                "expert": self.expert, "callerOrganisation": self.organisation_id,
                "callerPerson": self.person_id}


PUBLIC = Visibility()


def visible(var: LiteralString) -> LiteralString:
    return (
        "($admin OR NOT EXISTS { (" + var + ")-[:SOURCED_FROM]->(:PartnerPlatform) } "
        "OR EXISTS { (" + var + ")-[:SOURCED_FROM]->(vp:PartnerPlatform) "
        "WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform "
        "OR vp.clientId = $callerClient })"
    )
