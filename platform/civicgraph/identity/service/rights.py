"""The citizen's rights over their data: a copy of all of it (GDPR art. 15, portable as JSON
under art. 20) and erasure on request (art. 17), carried out by staff.

What erasure removes: the account's personal data (name, email, region: every property of the
person but its random id and the record envelope), its password (so it can no longer sign in),
its role labels, its links to skills and occupation, its live consents (withdrawn), its refresh
tokens (revoked, so no new access token is issued) and the free-text reason of the request.

What the platform keeps, and why: the consent records, as proof that each past read was
consented to (art. 7(1): the controller must be able to show consent was given), and the access
log, for accountability (art. 5(2)) and the record of processing (art. 30). Both are kept
pseudonymised: they stay linked to the person's random id, which no longer leads to a name, an
email or a region. The request itself stays, DONE, as the record that erasure was asked for and
carried out, by whom and when. An access token issued before the erasure is a self-contained
JWT the platform does not store; it expires within the access-token lifetime (15 minutes by
default), and the erased account has no consent left to use in that time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from civicgraph.core.access import ROLE_LABELS, STAFF, Principal, require_person
from civicgraph.core.errors import BadInput, Conflict, Forbidden, NotFound
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import rights as repo

REASON_MAX = 2000
STAFF_LIST_MAX = 200
# The export's plain words for each section, in English; the console translates them.
ABOUT: dict[str, str] = {
    "document": "Everything CivicGraph holds about you, as of generatedAt (GDPR articles 15 "
                "and 20).",
    "account": "Your account: who you are to the platform. Passwords are stored only as a "
               "one-way hash, which is not exported.",
    "skills": "The skills recorded on your profile.",
    "occupations": "The occupation recorded on your profile.",
    "consents": "Every consent you gave, live or not, with what it allowed.",
    "accessLog": "Every time an organisation read your data, with everything recorded about "
                 "the read.",
    "dataUses": "What organisations did with your data, with the value they declared.",
    "erasureRequests": "Your requests to erase your data and what was decided.",
}


def _plain(value: Any) -> Any:
    """The driver's values as JSON's: temporal values become ISO 8601 text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    iso = getattr(value, "iso_format", None)
    if callable(iso):
        return iso()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record's own properties with its organisation's name beside them."""
    return [{**_plain(row["properties"]), "organisationName": row["organisationName"]}
            for row in rows]


def export(graph: Graph, principal: Principal) -> dict[str, Any]:
    """The one document of everything the platform holds about the signed-in citizen.

    Nothing secret is in it: the password hash and token material are never read by the
    statement, and no record of another person is reached from this citizen's node.
    """
    person_id = require_person(principal, "CITIZEN")
    found = repo.export_of(graph, person_id)
    if found is None:
        raise NotFound("there is no account for you any more")
    return {
        "generatedAt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "about": ABOUT["document"],
        "account": {"about": ABOUT["account"], **_plain(found["account"])},
        **{section: {"about": ABOUT[section], "items": _plain(found[section])}
           for section in ("skills", "occupations", "consents", "erasureRequests")},
        **{section: {"about": ABOUT[section], "items": _flat(found[section])}
           for section in ("accessLog", "dataUses")},
    }


def _text(value: str | None, field: str, *, required: bool) -> str | None:
    clean = (value or "").strip()
    if len(clean) > REASON_MAX:
        raise BadInput(f"{field} is at most {REASON_MAX} characters", field=field)
    if required and not clean:
        raise BadInput("a reason is required: the citizen will read it", field=field)
    return clean or None


def request_erasure(graph: Graph, principal: Principal, reason: str | None) -> dict[str, Any]:
    """Ask for erasure; at most one request is open per citizen."""
    person_id = require_person(principal, "CITIZEN")
    made = repo.request_erasure(graph, {"personId": person_id, "id": str(uuid.uuid4()),
                                        "reason": _text(reason, "reason", required=False)})
    if made is None:
        raise NotFound("there is no citizen account for you any more")
    already_open, request = made
    if already_open:
        raise Conflict(f"you already asked for erasure on {request['requestedAt'][:10]}; "
                       "staff will decide that request before you can make another")
    return request


def my_erasure_request(graph: Graph, principal: Principal) -> dict[str, Any] | None:
    return repo.latest_request_of(graph, require_person(principal, "CITIZEN"))


def _staff(principal: Principal) -> str:
    person_id = require_person(principal)
    if not STAFF & principal.roles:
        raise Forbidden("erasure requests are decided by lab staff or admins",
                        requiredRoles=sorted(STAFF))
    return person_id


def erasure_requests(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    _staff(principal)
    return repo.requests(graph, STAFF_LIST_MAX)


def _decided(before: str, request_id: str) -> None:
    if before != "REQUESTED":
        raise Conflict(f"request {request_id} was already decided ({before})")


def carry_out(graph: Graph, principal: Principal, request_id: str,
              note: str | None = None) -> tuple[dict[str, Any], dict[str, int]]:
    """Erase the citizen of an open request (one statement, one transaction): the request and
    counts of what was removed."""
    staff_id = _staff(principal)
    done = repo.carry_out(graph, {"requestId": request_id, "staffId": staff_id,
                                  "note": _text(note, "note", required=False),
                                  "roleLabels": list(ROLE_LABELS.values())})
    if done is None:
        raise NotFound(f"no erasure request with id {request_id}", field="id")
    before, request, counts = done
    _decided(before, request_id)
    return request, counts


def refuse(graph: Graph, principal: Principal, request_id: str, note: str | None) -> dict[str, Any]:
    """Refuse an open request; the reason is required, since the citizen is owed it (art. 12(4))."""
    staff_id = _staff(principal)
    clean = _text(note, "note", required=True)
    done = repo.refuse(graph, {"requestId": request_id, "staffId": staff_id, "note": clean})
    if done is None:
        raise NotFound(f"no erasure request with id {request_id}", field="id")
    before, request = done
    _decided(before, request_id)
    return request
