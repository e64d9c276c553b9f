"""Hackathon kits: the catalogue, starting a build and running it (serving releases: releases.py).

A build runs in a worker: it takes the kit's lock in the graph (so two builds of one kit never
publish twice), streams each dataset from Neo4j into the ``hackathon_kits`` pipeline in a
temporary directory under the kit store, and publishes with one ``os.replace`` of the finished
zip (named by its sha256) followed by one transaction that records the release. A build that
fails, is refused or is killed leaves no release record and no zip in the store; the next build
clears its leftovers. While it runs, a heartbeat thread renews the lock's lease, so a killed
worker's lock frees itself after ``kit_build_lease`` seconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import threading
import time
import uuid
import zipfile
from collections.abc import Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any

from civicgraph.compiler.cache import PLANS
from civicgraph.compiler.domains import kits as kits_model
from civicgraph.compiler.selection import Selection, shape
from civicgraph.compiler.visibility import Visibility
from civicgraph.config import Settings
from civicgraph.core.errors import BadInput, NotFound
from civicgraph.core.graph import Graph
from civicgraph.core.kept_secret import kept_secret
from civicgraph.core.tasks import QueueUnavailable, TaskQueue
from hackathon_kits import cypher as repo
from hackathon_kits import releases
from hackathon_kits.builder.disclosure import DisclosureRefused
from hackathon_kits.builder.package import PackageInvalid
from hackathon_kits.builder.pipeline import BuildFailed, BuildOutput, build_kit
from hackathon_kits.builder.readme import disclosure_method
from hackathon_kits.builder.spec import Dataset, KitSpec, SpecError, load_spec_file, spec_files

log = logging.getLogger(__name__)

BUILD_KIT = "civicgraph.build_kit"
FINISHED = set(kits_model.FINISHED)


def _specs(settings: Settings) -> dict[str, Path]:
    return spec_files(list(settings.kit_specs))


def load_kit(settings: Settings, name: str) -> KitSpec:
    path = _specs(settings).get(name)
    if path is None:
        raise NotFound(f"no kit named {name!r}", kit=name)
    try:
        return load_spec_file(path)
    except SpecError as exc:
        raise BadInput(f"the spec of kit {name!r} is invalid: {exc}", problems=exc.problems) \
            from exc


def _cell_key_secret(settings: Settings, spec: KitSpec) -> bytes | None:
    """Only a kit perturbed by cell key reads (or makes) the records' secret key."""
    if spec.disclosure.method != "cell_key":
        return None
    return kept_secret(settings.keys_dir, "kit-cell-key.secret",
                       settings.kit_cell_key_secret).encode()


def check_read_only(graph: Graph, spec: KitSpec) -> None:
    """Refuse a spec whose query could write: the planner's query type must be 'r'."""
    for dataset in spec.datasets:
        if dataset.cypher is None:
            continue
        kind = repo.query_type(graph, dataset.cypher, dataset.parameters)
        if kind != "r":
            raise BadInput(
                f"datasets.{dataset.name}.cypher: a kit query must only read, but the planner "
                f"says its type is {kind!r}", field=f"datasets.{dataset.name}.cypher")


def _summary(spec: KitSpec, releases: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": spec.name, "title": spec.title, "description": spec.description.strip(),
        "licence": spec.licence, "licenceTitle": spec.licence_title,
        "licenceUrl": spec.licence_url, "keywords": list(spec.keywords),
        "publisher": spec.publisher, "formats": list(spec.formats), "specHash": spec.spec_hash(),
        "releases": releases, "latestRelease": releases[0] if releases else None,
        "disclosureMethod": disclosure_method(spec), "disclosure": spec.disclosure.model_dump(),
        "datasets": [_dataset(d) for d in spec.datasets],
    }


def check_specs(graph: Graph, settings: Settings, names: list[str] | None = None
                ) -> dict[str, list[str]]:
    """Kit name -> its problems (empty when valid): the schema, then the read-only check."""
    found = _specs(settings)
    problems: dict[str, list[str]] = {}
    for name in names or sorted(found):
        try:
            check_read_only(graph, load_kit(settings, name))
            problems[name] = []
        except BadInput as exc:
            problems[name] = list(exc.details.get("problems") or [exc.message])
        except NotFound as exc:
            problems[name] = [exc.message]
    return problems


def _loadable(settings: Settings) -> dict[str, KitSpec]:
    """Valid specs only: one broken file must not take the public catalogue down."""
    specs: dict[str, KitSpec] = {}
    for name, path in sorted(_specs(settings).items()):
        try:
            specs[name] = load_spec_file(path)
        except SpecError as exc:
            log.error("kit spec %s is invalid and left out of the catalogue: %s", path, exc)
    return specs


def list_kits(graph: Graph, settings: Settings) -> list[dict[str, Any]]:
    specs = _loadable(settings)
    overview = repo.kits_overview(graph, list(specs))
    return [_summary(spec, overview.get(name, {}).get("releases", []))
            for name, spec in specs.items()]


def kit_specs(settings: Settings) -> list[dict[str, Any]]:
    """The catalogue as the GraphQL layer serves it: the specs alone. Its releases and builds
    are the model's records, compiled from the client's selection (``hackathon_kits.api``)."""
    return [_summary(spec, []) for spec in _loadable(settings).values()]


def kit_pages_of(graph: Graph, names: list[str], top: Selection, document: Hashable | None,
                 viewer: Visibility) -> dict[str, dict[str, Any]]:
    """The listed kits' releases and builds as ``top``'s children select them (one page per response
    key, newest first unless ordered), in one statement for the whole list: per kit name, its
    pages by response key."""
    key = None if document is None else (document, "kit-pages", viewer.scope, shape(top))
    plan = PLANS.get(key, lambda: repo.kit_pages_plan(top, viewer.scope))
    return repo.kit_pages_of(graph, plan, top, names, viewer)


def kit_spec(settings: Settings, name: str) -> dict[str, Any]:
    return _summary(load_kit(settings, name), [])


def get_kit(graph: Graph, settings: Settings, name: str) -> dict[str, Any]:
    spec = load_kit(settings, name)
    releases = repo.kits_overview(graph, [name]).get(name, {}).get("releases", [])
    return _summary(spec, releases)


def _dataset(dataset: Dataset) -> dict[str, Any]:
    source = dataset.source.model_dump() if dataset.source else None
    return {
        "name": dataset.name, "title": dataset.title, "description": dataset.description,
        "table": dataset.table, "source": source, "dimensions": list(dataset.dimensions),
        "measure": dataset.measure, "key": list(dataset.key),
        "quasiIdentifiers": list(dataset.quasi_identifiers),
        "columns": [c.model_dump() for c in dataset.columns],
    }


def request_build(graph: Graph, queue: TaskQueue, settings: Settings, name: str,
                  requester: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """Check the spec, record a queued build and send it to a worker.

    ``requester`` names who asked (``client``, ``person``, ``organisation``): they, lab staff
    and admins are who may read the build (the model's guard); the CLI's builds name nobody."""
    spec = load_kit(settings, name)
    check_read_only(graph, spec)
    build_id = str(uuid.uuid4())
    repo.upsert_kit(graph, {"name": spec.name, "id": str(uuid.uuid4()), "title": spec.title,
                            "licence": spec.licence, "specHash": spec.spec_hash()})
    build = repo.create_build(graph, build_id, spec.name, settings.kit_build_lease,
                              requester)
    try:
        queue.enqueue(BUILD_KIT, build_id=build_id, kit=spec.name)
    except QueueUnavailable:
        # No worker will ever take this build: end it now, so no QUEUED build waits for a task
        # that was never sent, and the caller is told to retry (503).
        repo.update_build(graph, build_id, {"state": "FAILED", "percent": 0.0,
                                            "stage": "QUEUE_DOWN",
                                            "error": "the task queue was unavailable"})
        raise
    return _public_build(build)


def get_build(graph: Graph, build_id: str) -> dict[str, Any]:
    build = repo.get_build(graph, build_id)
    if build is None:
        raise NotFound(f"no kit build with id {build_id!r}")
    return _public_build(build)


def _public_build(build: dict[str, Any]) -> dict[str, Any]:
    if build.get("lost"):
        build["state"] = "LOST"
        build["stage"] = "LOST"
    return build


class _Rows:
    """The pipeline's row source: counts and streams a dataset's query from Neo4j."""

    def __init__(self, graph: Graph, spec: KitSpec) -> None:
        self.graph = graph
        self.fetch_size = min(spec.build.batch_size, 10_000)

    def count(self, dataset: Dataset) -> int:
        assert dataset.cypher is not None
        return repo.count_rows(self.graph, dataset.cypher, dataset.parameters)

    @contextlib.contextmanager
    def rows(self, dataset: Dataset) -> Iterator[Iterator[Mapping[str, Any]]]:
        assert dataset.cypher is not None
        with repo.stream_rows(self.graph, dataset.cypher, dataset.parameters,
                              self.fetch_size) as rows:
            yield rows


@contextlib.contextmanager
def _heartbeat(graph: Graph, kit: str, build_id: str, lease: int) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(max(lease / 3, 0.5)):
            try:
                repo.heartbeat(graph, kit, build_id, lease)
            except Exception:  # a missed beat only shortens the lease; the build goes on
                log.warning("kit build %s: heartbeat failed", build_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"kit-heartbeat-{build_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class StillRunning(Exception):
    """This build's lock is held under a live lease: another delivery of the same task runs it
    (or ran it until a moment ago). Ask again once the lease has had time to lapse."""

    def __init__(self, build_id: str, lease: int) -> None:
        super().__init__(f"kit build {build_id} is held by another delivery; its lease is {lease}s")
        self.lease = lease


def run_build(graph: Graph, settings: Settings, build_id: str, name: str) -> dict[str, Any]:
    """The worker's side: build, validate and publish one release, or publish nothing.

    Celery may deliver the task again (a worker died before acknowledging it): a build that
    finished is returned as it is; one whose dead worker's lease lapsed is built again from the
    start (same data, same bytes); one whose lease is live raises :class:`StillRunning`.
    """
    lease = settings.kit_build_lease
    known = repo.get_build(graph, build_id)
    if known is not None and known.get("state") in FINISHED:
        return get_build(graph, build_id)
    holder = repo.claim(graph, name, build_id, lease) if _kit_exists(graph, settings, name) \
        else None
    if holder == build_id:
        raise StillRunning(build_id, lease)
    if holder is not None:
        repo.update_build(graph, build_id, {
            "state": "SKIPPED", "percent": 100.0, "stage": "ANOTHER_BUILD",
            "error": f"build {holder} holds the kit's lock"})
        return get_build(graph, build_id)
    store = settings.kit_store_dir
    scratch = store / ".tmp" / name
    work = scratch / build_id
    try:
        spec = load_kit(settings, name)
        check_read_only(graph, spec)
        with contextlib.suppress(FileNotFoundError):
            for stale in scratch.iterdir():  # we hold the lock: these are dead builds' leftovers
                if stale.name != build_id:
                    shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        repo.update_build(graph, build_id, {"state": "RUNNING", "percent": 0.0,
                                            "stage": "CHECKING", "error": None,
                                            "leaseSeconds": lease})
        snapshot = dt.datetime.now(dt.UTC)
        started = time.monotonic()

        def progress(percent: float, stage: str) -> None:
            repo.update_build(graph, build_id, {"percent": round(percent, 1), "stage": stage})

        with _heartbeat(graph, name, build_id, lease):
            output = build_kit(spec, _Rows(graph, spec), work, progress,
                               cell_key_secret=_cell_key_secret(settings, spec))
        progress(97, "PUBLISHING")
        release, created = _publish(graph, store, build_id, spec, output, snapshot,
                                    time.monotonic() - started)
        repo.update_build(graph, build_id, {
            "state": "SUCCEEDED", "percent": 100.0, "releaseNumber": release["number"],
            "unchanged": not created,
            "stage": "PUBLISHED" if created else "UNCHANGED"})
    except DisclosureRefused as exc:
        repo.update_build(graph, build_id, {"state": "REFUSED", "error": str(exc),
                                            "stage": "DISCLOSURE_REFUSED"})
    except (BuildFailed, PackageInvalid, BadInput, NotFound, SpecError) as exc:
        repo.update_build(graph, build_id, {"state": "FAILED", "error": str(exc),
                                            "stage": "FAILED"})
    except Exception as exc:
        log.exception("kit build %s failed", build_id)
        repo.update_build(graph, build_id, {"state": "FAILED", "error": f"internal error: {exc}",
                                            "stage": "FAILED"})
    finally:
        shutil.rmtree(work, ignore_errors=True)
        repo.unlock(graph, name, build_id)
    return get_build(graph, build_id)


def _kit_exists(graph: Graph, settings: Settings, name: str) -> bool:
    """Make sure the DataKit node exists so the lock has a node to live on."""
    try:
        spec = load_kit(settings, name)
    except (NotFound, BadInput):
        return False
    repo.upsert_kit(graph, {"name": spec.name, "id": str(uuid.uuid4()), "title": spec.title,
                            "licence": spec.licence, "specHash": spec.spec_hash()})
    return True


def _publish(graph: Graph, store: Path, build_id: str, spec: KitSpec, output: BuildOutput,
             snapshot: dt.datetime, seconds: float) -> tuple[dict[str, Any], bool]:
    relative = f"{spec.name}/{output.sha256}.zip"
    target = store / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # The zip is named by its sha256: one already there with the same size holds these very
    # bytes, and is left as it is, so its mtime (the downloads' Last-Modified) does not move and
    # a client's If-Modified-Since still gets 304. Otherwise one atomic replace: readers see no
    # zip or the whole zip.
    if not (target.is_file() and target.stat().st_size == output.size):
        os.chmod(output.zip_path, 0o444)
        os.replace(output.zip_path, target)
    recorded = repo.record_release(graph, build_id, {
        "id": str(uuid.uuid4()), "kit": spec.name, "sha256": output.sha256,
        "bytes": output.size, "path": relative, "specHash": spec.spec_hash(),
        "rows": output.rows, "disclosureReport": output.reports,
        "validation": output.validation, "snapshotAt": snapshot.isoformat(),
        "buildSeconds": round(seconds, 3)})
    try:  # each file served alone; a failure here only delays that to the first request
        releases.unpacked(store, relative)
    except (OSError, zipfile.BadZipFile):
        log.warning("kit %s: could not unpack %s", spec.name, relative, exc_info=True)
    return recorded


def search_kits(kits: list[dict[str, Any]], text: str = "",
                keywords: list[str] | None = None) -> list[dict[str, Any]]:
    """The kits whose title, description and keywords hold every word of ``text`` and that
    carry every keyword of ``keywords`` (case and accents of the case aside)."""
    words = text.casefold().split()
    wanted = {k.casefold() for k in keywords or [] if k.strip()}
    found = []
    for kit in kits:
        own = {k.casefold() for k in kit["keywords"]}
        haystack = " ".join([kit["title"], kit["description"], *kit["keywords"]]).casefold()
        if all(w in haystack for w in words) and wanted <= own:
            found.append(kit)
    return found


LIVE_DIR = Path(__file__).resolve().parent / "live"


def live_queries(name: str) -> str | None:
    """The GraphQL document that serves a kit's data live (``live/<kit>.graphql``), if the kit
    has one: a table the kit ships from a file has no live equivalent."""
    path = LIVE_DIR / f"{name}.graphql"
    return path.read_text(encoding="utf-8") if path.is_file() else None
