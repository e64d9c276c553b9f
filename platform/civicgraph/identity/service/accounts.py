"""People's accounts: staff, experts, citizens and participants sign in with a password.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended
profile), and checked in constant time whether or not the email exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from civicgraph.core.access import ROLE_LABELS
from civicgraph.core.errors import BadInput
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import accounts as repo

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")
PASSWORD_MIN = 10


def _roles(person: dict[str, Any]) -> list[str]:
    by_label = {label: role for role, label in ROLE_LABELS.items()}
    return sorted(by_label[label] for label in person.get("roleLabels") or [])


MEMBERSHIP_ROLES = {
    "ADMIN": "Manages the organisation's members and speaks for it",
    "MEMBER": "Takes part for the organisation",
}


def _public(person: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in person.items() if k not in {"passwordHash", "roleLabels"}}
    view["roles"] = _roles(person)
    view["memberships"] = [dict(m) for m in person.get("memberships") or []]
    return view


def acting_for(person: dict[str, Any]) -> str | None:
    """The organisation a person's token acts for: the one they belong to. A person in several
    organisations acts for none of them (they act as themselves) until they can choose one."""
    memberships = person.get("memberships") or []
    return str(memberships[0]["organisationId"]) if len(memberships) == 1 else None


def add_membership(graph: Graph, *, email: str, organisation_key: str, role: str) -> bool:
    if role not in MEMBERSHIP_ROLES:
        raise BadInput(f"a member's role is one of {', '.join(MEMBERSHIP_ROLES)}", field="role")
    return repo.add_membership(graph, email.strip().lower(), organisation_key, role)


def _fields(email: str, name: str, password: str, region: str | None,
            roles: list[str]) -> tuple[dict[str, Any], list[str]]:
    clean_email = email.strip().lower()
    if "@" not in clean_email or len(clean_email) > 254:
        raise BadInput("email is not an email address", field="email")
    if not name.strip():
        raise BadInput("name is required", field="name")
    if len(password) < PASSWORD_MIN:
        raise BadInput(f"password must be at least {PASSWORD_MIN} characters", field="password")
    unknown = [r for r in roles if r not in ROLE_LABELS]
    if unknown or not roles:
        raise BadInput(f"roles must be some of {', '.join(ROLE_LABELS)}", field="roles")
    fields = {
        "id": str(uuid.uuid4()), "name": name.strip(), "email": clean_email,
        "region": region, "passwordHash": _hasher.hash(password),
    }
    return fields, ["Person", *(ROLE_LABELS[r] for r in roles)]


def create(graph: Graph, *, email: str, name: str, password: str, roles: list[str],
           region: str | None = None) -> dict[str, Any]:
    fields, labels = _fields(email, name, password, region, roles)
    return _public(repo.create(graph, fields, labels))


def ensure(graph: Graph, *, email: str, name: str, password: str, roles: list[str],
           region: str | None = None) -> bool:
    """Create the account unless the email exists (demo seeding); True when created."""
    fields, labels = _fields(email, name, password, region, roles)
    return repo.upsert(graph, fields, labels)


def authenticate(graph: Graph, email: str, password: str) -> dict[str, Any] | None:
    person = repo.by_email(graph, email.strip().lower())
    stored = (person or {}).get("passwordHash")
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    # A person without a password (added by a feed, say) cannot sign in.
    return _public(person) if person and stored else None


def get(graph: Graph, person_id: str) -> dict[str, Any] | None:
    person = repo.by_id(graph, person_id)
    return _public(person) if person else None


def by_email(graph: Graph, email: str) -> dict[str, Any] | None:
    person = repo.by_email(graph, email)
    return _public(person) if person else None
