"""``civicgraph partners …``: register, promote, list and sync partner platforms from a shell.

The CLI is an operator's tool: it acts as a lab admin (it can promote) and runs a sync in this
process unless ``--queue`` hands it to a worker.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from civicgraph.config import load_settings
from civicgraph.core.errors import DomainError
from civicgraph.core.graph import Graph


@contextmanager
def _graph() -> Iterator[Graph]:
    settings = load_settings()
    graph = Graph.from_settings(settings)
    try:
        yield graph
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()


@click.group("partners")
def partners() -> None:
    """Partner platforms and their feeds."""


@partners.command("list")
def list_platforms() -> None:
    """List registered platforms, one JSON object a line."""
    from partners.service import platforms as partner_platforms

    with _graph() as graph:
        for platform in partner_platforms.list_all(graph):
            click.echo(json.dumps(platform, default=str))


@partners.command("register")
@click.argument("name")
@click.option("--kind", required=True, help="JOB_BOARD, TRAINING_CATALOGUE, COMPANY_REGISTER, …")
@click.option("--connector", required=True, help="schemaorg-jobposting, schemaorg-course, "
              "companies-house-basic")
@click.option("--transport", type=click.Choice(["HTTP", "FILE", "WEBHOOK"]), required=True)
@click.option("--location", default="", help="The feed's URL or file path.")
@click.option("--allow", multiple=True, help="A record type the platform may write (repeat).")
@click.option("--client-id", default=None, help="Its OAuth client id.")
@click.option("--every", type=int, default=None, help="Sync every N seconds (0: never).")
def register(name: str, kind: str, connector: str, transport: str, location: str,
             allow: tuple[str, ...], client_id: str | None, every: int | None) -> None:
    """Register a platform (it starts in TEST mode)."""
    from partners.service import platforms as partner_platforms

    with _graph() as graph:
        platform = partner_platforms.register(
            graph, name=name, kind=kind, connector=connector, transport=transport,
            location=location, allowed_record_types=list(allow) or None, client_id=client_id,
            schedule_seconds=every)
        click.echo(json.dumps(platform, default=str))


@partners.command("promote")
@click.argument("name")
def promote(name: str) -> None:
    """Move a platform from TEST to PRODUCTION."""
    from partners.service import platforms as partner_platforms

    with _graph() as graph:
        platform = partner_platforms.get(graph, name)
        promoted = partner_platforms.promote(graph, platform["id"], partner_platforms.OPERATOR)
        click.echo(json.dumps(promoted, default=str))


@partners.command("sync")
@click.argument("name")
@click.option("--queue", is_flag=True, help="Hand the run to a Celery worker instead.")
def sync(name: str, queue: bool) -> None:
    """Sync one platform's feed now and print the run's log."""
    from partners.service import sync as partner_sync

    with _graph() as graph:
        if queue:
            from civicgraph.core.queue import CeleryTaskQueue, create_celery

            tasks = CeleryTaskQueue(create_celery(load_settings()))
            click.echo(json.dumps(partner_sync.request_sync(graph, tasks, name)))
            return
        click.echo(json.dumps(partner_sync.sync_now(graph, name)))


@partners.command("sync-demo")
def sync_demo() -> None:
    """Load the ESCO-shaped sample and sync the three demo feeds in partners/data/demo/."""
    from partners import demo as partner_demo

    with _graph() as graph:
        click.echo(json.dumps(partner_demo.sync_demo(graph)))


@partners.command("load-esco")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False),
              default=None, help="A folder with ESCO's CSVs; the shipped sample by default.")
def load_esco(directory: str | None) -> None:
    """Load ESCO occupations, skills and their relations (idempotent)."""
    from civicgraph.partner_graph import vocabulary
    from partners.service import careers

    with _graph() as graph:
        data = vocabulary.load(Path(directory)) if directory else vocabulary.load()
        click.echo(json.dumps(careers.load_esco(graph, data)))
