"""The value a citizen's data created: partners record it, the citizen sees it beside each read.

Citizens share data when they see what it does for them. A partner that read a citizen's data
under a consent records what came of that read (vacancies shown, courses suggested, an
application or an interview, a service delivered); the citizen's page puts each use beside the
read and sums the year up in plain words.
"""

from __future__ import annotations

import uuid
from typing import Any

from civicgraph.compiler.domains.identity import CATEGORIES, DATA_USE_KINDS
from civicgraph.core.access import Principal, require_organisation, require_person
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.identity.cypher import data_use as repo

COUNT_MAX = 10_000
NOTE_MAX = 500
LINKS_MAX = 10
LINK_MAX = 500
READS_SHOWN = 200


def record(graph: Graph, principal: Principal, *, read_id: str, kind: str, count: int = 1,
           note: str | None = None, links: list[str] | None = None) -> str:
    """Record what the caller's organisation did with one of its reads; the use's id."""
    organisation_id = require_organisation(principal)
    code = kind.strip().lower()
    if code not in DATA_USE_KINDS:
        raise BadInput(f"kind must be one of {', '.join(k.upper() for k in DATA_USE_KINDS)}",
                       field="kind")
    if not 1 <= count <= COUNT_MAX:
        raise BadInput(f"count must be between 1 and {COUNT_MAX}", field="count")
    text = (note or "").strip() or None
    if text is not None and len(text) > NOTE_MAX:
        raise BadInput(f"note is {len(text)} characters long; the limit is {NOTE_MAX}",
                       field="note")
    urls = [u.strip() for u in links or [] if u.strip()]
    if len(urls) > LINKS_MAX:
        raise BadInput(f"at most {LINKS_MAX} links", field="links")
    for url in urls:
        if not url.startswith(("https://", "http://")) or len(url) > LINK_MAX:
            raise BadInput(f"a link must be an http(s) address of at most {LINK_MAX} "
                           "characters", field="links")
    made = repo.record(graph, {"id": str(uuid.uuid4()), "readId": read_id,
                               "organisationId": organisation_id, "kind": code,
                               "count": count, "note": text, "links": urls})
    if made is None:
        raise NotFound(f"your organisation made no read with id {read_id} (the readId that "
                       "citizenProfile answered)", field="readId")
    return made


def summary(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    """Per organisation, this year: how often each category was read, how many reads were
    refused, and the sum of each kind of use; the page words it."""
    person_id = require_person(principal, "CITIZEN")
    rows = []
    for row in repo.year_by_organisation(graph, person_id):
        reads = [r for r in row["reads"] if r["outcome"] == "READ"]
        times = {c: sum(1 for r in reads if c in (r["fields"] or [])) for c in CATEGORIES}
        gave = {k: 0 for k in DATA_USE_KINDS}
        for use in row["uses"]:
            gave[use["kind"]] = gave.get(use["kind"], 0) + int(use["count"])
        rows.append({"organisationId": row["organisationId"],
                     "organisationName": row["organisationName"], "reads": len(reads),
                     "refused": len(row["reads"]) - len(reads),
                     "times": {c: n for c, n in times.items() if n},
                     "gave": {k: n for k, n in gave.items() if n}})
    return rows


def reads(graph: Graph, principal: Principal) -> list[dict[str, Any]]:
    """The latest reads of the caller's data (refused ones too), each with what came of it."""
    return repo.reads_with_uses(graph, require_person(principal, "CITIZEN"), READS_SHOWN)
