"""``civicgraph kits``: list kits and build one on a worker while a progress bar follows it."""

from __future__ import annotations

import time
from collections.abc import Mapping

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from civicgraph.compiler.domains.kits import BUILD_STAGES
from civicgraph.config import load_settings
from civicgraph.core.errors import DomainError
from civicgraph.core.graph import Graph
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from hackathon_kits import service

FINISHED = {"SUCCEEDED", "FAILED", "REFUSED", "SKIPPED", "LOST"}


def _graph() -> Graph:
    settings = load_settings()
    return Graph.from_settings(settings)


@click.group()
def kits() -> None:
    """Hackathon data kits: list them, build a release."""


@kits.command("list")
def list_kits() -> None:
    """List the kits (from their specs) with their latest release."""
    graph = _graph()
    try:
        rows = service.list_kits(graph, load_settings())
    finally:
        graph.close()
    table = Table("kit", "licence", "latest release", "sha256", "downloads")
    table.columns[0].no_wrap = True
    for kit in rows:
        latest = kit["latestRelease"]
        table.add_row(kit["name"], kit["licence"],
                      f"{latest['number']} ({latest['builtAt'][:10]})" if latest else "none",
                      latest["sha256"][:12] if latest else "",
                      str(latest["downloads"]) if latest else "")
    Console().print(table)


@kits.command("check")
@click.argument("names", nargs=-1)
def check(names: tuple[str, ...]) -> None:
    """Check kit specs (all, or NAMES): the schema, and that every query only reads."""
    graph = _graph()
    try:
        problems = service.check_specs(graph, load_settings(), list(names) or None)
    finally:
        graph.close()
    for name, found in problems.items():
        click.echo(f"{name}: ok" if not found else f"{name}:\n  " + "\n  ".join(found))
    if any(problems.values()):
        raise click.ClickException("some kit specs are invalid")


@kits.command("build")
@click.argument("name")
@click.option("--timeout", default=3600.0, show_default=True, help="Seconds to wait.")
def build(name: str, timeout: float) -> None:
    """Ask a worker to build NAME and follow its progress until it ends."""
    settings = load_settings()
    graph = _graph()
    try:
        queue = CeleryTaskQueue(create_celery(settings))
        try:
            started = service.request_build(graph, queue, settings, name)
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
        status = _follow(graph, started["id"], name, timeout)
    finally:
        graph.close()
    if status["state"] != "SUCCEEDED":
        raise click.ClickException(
            f"build {status['id']} {status['state']}: {status.get('error') or _words(status)}")
    click.echo(f"{_words(status)} (build {status['id']})")


def _words(status: Mapping[str, object]) -> str:
    """The build's stage in words (the API serves its code, described by the enum)."""
    stage, number = str(status.get("stage") or ""), status.get("releaseNumber")
    if stage == "PUBLISHED":
        return f"published release {number}"
    if stage == "UNCHANGED":
        return f"same bytes as release {number}; nothing new to publish"
    return BUILD_STAGES.get(stage, stage)


def _follow(graph: Graph, build_id: str, name: str, timeout: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[stage]}"))
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(name, total=100, stage="queued")
        while True:
            status = service.get_build(graph, build_id)
            bar.update(task, completed=float(status["percent"] or 0), stage=_words(status))
            if status["state"] in FINISHED:
                return status
            if time.monotonic() > deadline:
                raise click.ClickException(f"build {build_id} still {status['state']}; "
                                           "follow it with the kitBuild query")
            time.sleep(0.5)
