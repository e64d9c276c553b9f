"""The lab's property rules, and the small checks its services share (signed in, a role).

The rules are declared once, on the lab's types in the one model (``compiler.domains.lab``,
which the compiler and the GraphQL types read too); every write of a lab record cleans its
text through ``text(label, property, value)``, so a create and an update of the same property
(a challenge's description, a proposal's title) cannot disagree; the mechanism is the
platform's one (``core.validation``).
"""

from __future__ import annotations

from collections.abc import Iterable

from civicgraph.compiler.domains import lab as lab_model
from civicgraph.core.access import PARTNER, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import Forbidden, Unauthenticated
from civicgraph.core.validation import Rules

TITLE_MAX = lab_model.TITLE_MAX
TEXT_MAX = lab_model.TEXT_MAX

PROPERTIES: dict[str, dict[str, Rules]] = {
    t.label: dict(t.rules) for t in lab_model.TYPES if t.writable
}
"""Each lab label's writable properties and their rules, keyed by label (``Session``)."""


def text(label: str, prop: str, value: str | None, *, field: str | None = None) -> str:
    """``label``'s ``prop`` as stored: trimmed, checked by its rules; ``""`` when not given.
    ``field`` names it in the error when the input calls it otherwise (``criteria.name``)."""
    cleaned = PROPERTIES[label][prop].clean(field or prop, value)
    return "" if cleaned is None else str(cleaned)


def choice(value: str | None, field: str, allowed: Iterable[str]) -> str:
    cleaned = Rules(required=True, choices=tuple(allowed)).clean(field, value)
    return str(cleaned)


def require_signed_in(actor: Actor) -> None:
    if not actor.signed_in:
        raise Unauthenticated("sign in to do this")


def require_role(actor: Actor, roles: frozenset[str], what: str) -> None:
    require_signed_in(actor)
    if not actor.has_any(roles):
        raise Forbidden(f"only {', '.join(sorted(roles))} may {what}",
                        requiredRoles=sorted(roles))


def acting_for(actor: Actor, organisation_id: str | None, what: str) -> str | None:
    """The organisation an act is for: staff act for the lab (None) or any organisation they
    name; a partner only for its own, whatever it names."""
    require_signed_in(actor)
    if actor.has_any(STAFF):
        return organisation_id
    if PARTNER not in actor.roles or actor.organisation_id is None:
        raise Forbidden(f"only lab staff or a partner organisation may {what}")
    if organisation_id not in (None, actor.organisation_id):
        raise Forbidden(f"a partner may {what} for its own organisation only")
    return actor.organisation_id


LIST_MAX = 200


def page_size(limit: int) -> int:
    """How many records a list returns: what was asked, from 1 up to ``LIST_MAX``."""
    return max(1, min(limit, LIST_MAX))
