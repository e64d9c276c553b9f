"""Small input rules shared by the lab's services (trimmed text with limits, enums)."""

from __future__ import annotations

from collections.abc import Iterable

from civicgraph.core.access import PARTNER, STAFF
from civicgraph.core.actor import Actor
from civicgraph.core.errors import BadInput, Forbidden, Unauthenticated

TITLE_MAX = 200
TEXT_MAX = 8000


def text(value: str | None, field: str, limit: int = TEXT_MAX, *, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise BadInput(f"{field} is required", field=field)
    if len(cleaned) > limit:
        raise BadInput(f"{field} is {len(cleaned)} characters long; the limit is {limit}",
                       field=field)
    return cleaned


def choice(value: str | None, field: str, allowed: Iterable[str]) -> str:
    options = list(allowed)
    if value not in options:
        raise BadInput(f"{field} {value!r} is not one of {', '.join(options)}", field=field)
    return value


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
