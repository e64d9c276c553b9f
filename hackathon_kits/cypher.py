"""Cypher for hackathon kits: builds, releases, download counts, and running specs' queries.

A kit spec's query is text from a reviewed YAML file in the repository, not a request value: it
is checked read-only with EXPLAIN before it runs, its values always travel as parameters, and it
runs in a read transaction. That is why it is cast to ``LiteralString`` here and nowhere else.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from civicgraph.compiler import cypher as compiled
from civicgraph.compiler import nested
from civicgraph.compiler.domains.kits import FINISHED, LOST_WHEN
from civicgraph.compiler.model import NodeType, Rel
from civicgraph.compiler.selection import Selection
from civicgraph.compiler.visibility import Scope, Visibility
from civicgraph.core.envelope import created, created_map
from civicgraph.core.errors import BadInput, Conflict
from civicgraph.core.graph import Graph

_RELEASE = (
    "r {.id, .kit, .number, .sha256, .bytes, .specHash, .downloads, .path, .buildSeconds, "
    "rows: r.rowsJson, disclosureReport: r.disclosureJson, validation: r.validationJson, "
    "snapshotAt: toString(r.snapshotAt), builtAt: toString(r.builtAt)}"
)
_BUILD = (
    "b {.id, .kit, .state, .percent, .stage, .error, .releaseNumber, .unchanged, .leaseSeconds, "
    "requestedAt: toString(b.requestedAt), startedAt: toString(b.startedAt), "
    "finishedAt: toString(b.finishedAt), heartbeatAt: toString(b.heartbeatAt), "
    "lost: " + LOST_WHEN.replace("{v}", "b") + "}"
)


def _spec_query(text: str) -> LiteralString:
    # mypy treats LiteralString as str; the cast documents the one place spec text is trusted.
    trusted: LiteralString = text  # type: ignore[assignment,unused-ignore]
    return trusted


def query_type(graph: Graph, cypher: str, params: Mapping[str, Any]) -> str:
    return graph.query_type(_spec_query(cypher), params)


def count_rows(graph: Graph, cypher: str, params: Mapping[str, Any]) -> int:
    records = graph.run(
        "CALL () { " + _spec_query(cypher) + " } RETURN count(*) AS n", params)
    return int(records[0]["n"])


@contextlib.contextmanager
def stream_rows(graph: Graph, cypher: str, params: Mapping[str, Any],
                fetch_size: int) -> Iterator[Iterator[dict[str, Any]]]:
    with graph.stream(_spec_query(cypher), params, fetch_size=fetch_size) as records:
        yield (dict(record) for record in records)


def upsert_kit(graph: Graph, kit: dict[str, Any]) -> None:
    graph.run(
        "MERGE (k:DataKit {name: $name}) "
        "ON CREATE SET " + created("k", id="$id") + " "
        "SET k.title = $title, k.licence = $licence, k.specHash = $specHash, "
        "k.updatedAt = datetime()",
        kit, write=True,
    )


def create_build(graph: Graph, build_id: str, kit: str, lease: int,
                 requester: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """A QUEUED build, with who asked for it (``requestedByClient``, ``requestedByPerson``,
    ``requestedFor``: the model's guard of ``KitBuild`` reads them); none for the CLI's."""
    requester = requester or {}
    # The kit's node (``upsert_kit`` fills in its spec when the build starts) holds its builds
    # as it holds its releases, so ``kits { builds }`` is a nested connection of it.
    records = graph.run(
        "MERGE (k:DataKit {name: $kit}) ON CREATE SET " + created("k", id="randomUUID()") + " "
        "CREATE (k)-[:HAS_BUILD]->(b:KitBuild {id: $id, kit: $kit, state: 'QUEUED', percent: 0.0, "
        "stage: 'WAITING', requestedAt: datetime(), leaseSeconds: $lease, "
        "requestedByClient: $client, requestedByPerson: $person, requestedFor: $organisation, "
        + created_map() + "}) RETURN " + _BUILD + " AS b",
        {"id": build_id, "kit": kit, "lease": lease, "client": requester.get("client"),
         "person": requester.get("person"), "organisation": requester.get("organisation")},
        write=True,
    )
    return dict(records[0]["b"])


def get_build(graph: Graph, build_id: str) -> dict[str, Any] | None:
    records = graph.run("MATCH (b:KitBuild {id: $id}) RETURN " + _BUILD + " AS b", {"id": build_id})
    return dict(records[0]["b"]) if records else None


def claim(graph: Graph, kit: str, build_id: str, lease: int) -> str | None:
    """Take the kit's build lock; return None when taken, else the build that holds it (which
    may be this build: a redelivered task whose first delivery still holds a live lease).

    Setting a property first takes the node's write lock, so two claims are serialised and the
    second reads what the first committed.
    """
    records = graph.run(
        "MATCH (k:DataKit {name: $kit}) SET k._claim = true REMOVE k._claim "
        "WITH k, (k.lockBuild IS NULL OR k.lockUntil < datetime()) AS free "
        "SET k.lockBuild = CASE WHEN free THEN $build ELSE k.lockBuild END, "
        "    k.lockUntil = CASE WHEN free THEN datetime() + duration({seconds: $lease}) "
        "                  ELSE k.lockUntil END "
        "RETURN free, k.lockBuild AS holder",
        {"kit": kit, "build": build_id, "lease": lease}, write=True,
    )
    row = records[0]
    return None if row["free"] else str(row["holder"])


def heartbeat(graph: Graph, kit: str, build_id: str, lease: int) -> None:
    graph.run(
        "MATCH (b:KitBuild {id: $build}) SET b.heartbeatAt = datetime() "
        "WITH b MATCH (k:DataKit {name: $kit}) WHERE k.lockBuild = $build "
        "SET k.lockUntil = datetime() + duration({seconds: $lease})",
        {"kit": kit, "build": build_id, "lease": lease}, write=True,
    )


def unlock(graph: Graph, kit: str, build_id: str) -> None:
    graph.run(
        "MATCH (k:DataKit {name: $kit}) WHERE k.lockBuild = $build "
        "REMOVE k.lockBuild, k.lockUntil",
        {"kit": kit, "build": build_id}, write=True,
    )


def update_build(graph: Graph, build_id: str, fields: dict[str, Any]) -> None:
    """Set progress or outcome fields (state, percent, stage, error, releaseNumber, unchanged)."""
    graph.run(
        "MATCH (b:KitBuild {id: $id}) SET b += $fields, b.updatedAt = datetime(), "
        "b.heartbeatAt = datetime(), "
        "b.startedAt = CASE WHEN $fields.state = 'RUNNING' THEN coalesce(b.startedAt, datetime()) "
        "  ELSE b.startedAt END, "
        "b.finishedAt = CASE WHEN $fields.state IN $finished "
        "  THEN datetime() ELSE b.finishedAt END",
        {"id": build_id, "fields": fields, "finished": list(FINISHED)}, write=True,
    )


def record_release(
    graph: Graph, build_id: str, release: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Create the next release unless one with these bytes exists; (release, created)."""
    params = {**release, "build": build_id,
              "rowsJson": json.dumps(release.pop("rows"), sort_keys=True),
              "disclosureJson": json.dumps(release.pop("disclosureReport"), sort_keys=True),
              "validationJson": json.dumps(release.pop("validation"), sort_keys=True)}
    try:
        records = graph.run(
            "MATCH (k:DataKit {name: $kit}) WHERE k.lockBuild = $build "
            "SET k._claim = true REMOVE k._claim "
            "WITH k OPTIONAL MATCH (k)-[:HAS_RELEASE]->(same:KitRelease {sha256: $sha256}) "
            "OPTIONAL MATCH (k)-[:HAS_RELEASE]->(earlier:KitRelease) "
            "WITH k, same, max(earlier.number) AS last "
            "FOREACH (_ IN CASE WHEN same IS NULL THEN [1] ELSE [] END | "
            "  CREATE (k)-[:HAS_RELEASE]->(:KitRelease {id: $id, kit: $kit, "
            "    number: coalesce(last, 0) + 1, sha256: $sha256, bytes: $bytes, path: $path, "
            "    specHash: $specHash, rowsJson: $rowsJson, disclosureJson: $disclosureJson, "
            "    validationJson: $validationJson, snapshotAt: datetime($snapshotAt), "
            "    builtAt: datetime(), buildSeconds: $buildSeconds, downloads: 0, "
            "    " + created_map() + "})) "
            "WITH k MATCH (k)-[:HAS_RELEASE]->(r:KitRelease {sha256: $sha256}) "
            "MATCH (b:KitBuild {id: $build}) MERGE (b)-[:PRODUCED]->(r) "
            "RETURN " + _RELEASE + " AS r, r.id = $id AS created",
            params, write=True,
        )
    except ConstraintError as exc:
        raise Conflict("another build published this kit at the same moment") from exc
    if not records:
        raise Conflict("this build no longer holds the kit's lock; nothing was published")
    return _release(records[0]["r"]), bool(records[0]["created"])


def _release(raw: Any) -> dict[str, Any]:
    release = dict(raw)
    for key in ("rows", "disclosureReport", "validation"):
        release[key] = json.loads(release[key]) if release.get(key) else None
    return release


def kits_overview(graph: Graph, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per kit name: its releases, newest first (one statement for the whole catalogue)."""
    records = graph.run(
        "UNWIND $names AS name OPTIONAL MATCH (k:DataKit {name: name}) "
        "RETURN name, COLLECT { MATCH (k)-[:HAS_RELEASE]->(r:KitRelease) "
        "  RETURN " + _RELEASE + " ORDER BY r.number DESC } AS releases",
        {"names": names},
    )
    return {
        r["name"]: {"releases": [_release(x) for x in r["releases"]]} for r in records
    }


def get_release(graph: Graph, kit: str, number: int) -> dict[str, Any] | None:
    records = graph.run(
        "MATCH (:DataKit {name: $kit})-[:HAS_RELEASE]->(r:KitRelease {number: $number}) "
        "RETURN " + _RELEASE + " AS r", {"kit": kit, "number": number})
    return _release(records[0]["r"]) if records else None


def count_download(graph: Graph, kit: str, number: int) -> None:
    graph.run(
        "MATCH (:DataKit {name: $kit})-[:HAS_RELEASE]->(r:KitRelease {number: $number}) "
        "SET r.downloads = coalesce(r.downloads, 0) + 1",
        {"kit": kit, "number": number}, write=True,
    )


# A kit is its spec file, not a model type; in the graph it is the ``DataKit`` node its builds
# lock and its releases hang from. These two name that node and relationship to the compiler, so
# a kit's ``releases`` compile as the nested connection they are (the cursors bound to the kit).
KIT_RELEASES = Rel("releases", "HAS_RELEASE", "out", "KitRelease", connection=True)
KIT_BUILDS = Rel("builds", "HAS_BUILD", "out", "KitBuild", connection=True)
_KIT = NodeType("DataKit", "DataKit", (), (KIT_RELEASES, KIT_BUILDS))


def kit_pages_plan(top: Selection, scope: Scope) -> compiled.Plan:
    """One statement for every listed kit's ``releases`` and ``builds``: each child of ``top``
    (one per response key) is a nested connection of the kit's ``DataKit`` node, compiled from
    the client's selection (a build's guard inside it); a kit never built has no node and
    empty lists."""
    b = compiled.Builder(scope=scope)
    rels = {rel.name: rel for rel in _KIT.rels}
    pages = [f"`{sel.key}`: {nested.connection(b, 'k', _KIT, rels[sel.field], sel, (i,))}"
             for i, sel in enumerate(top.children)]
    return b.plan("UNWIND $kits AS kit OPTIONAL MATCH (k:DataKit {name: kit}) "
                  "RETURN kit, {" + ", ".join(pages) + "} AS pages")


def kit_pages_of(graph: Graph, plan: compiled.Plan, top: Selection, names: list[str],
                viewer: Visibility) -> dict[str, dict[str, Any]]:
    """Per kit name, its pages of releases and builds by response key (``kit_pages_plan``)."""
    records = graph.run(plan.cypher,
                        {**plan.with_caller(top, viewer.params()), "kits": names})
    if nested.any_refused(plan.cypher, records):
        raise BadInput("the cursor belongs to another kit's list; page each kit's list "
                       "with its own cursors", field="after")
    return {str(r["kit"]): dict(r["pages"]) for r in records}
