"""The ``civicgraph`` command: migrate, seed, print the schema, ``up``; each domain adds its
group (identity's ``clients``, ``keys``, ``accounts``; ``generate``; ``partners``; ``kits``)."""

from __future__ import annotations

import json
import logging
import os

import click

from civicgraph.cli import stack
from civicgraph.config import load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.observability import configure_logging
from civicgraph.identity.cli import GROUPS as IDENTITY_GROUPS
from civicgraph.partner_graph.cli import generate
from graph_schema import MigrationError, Migrator
from hackathon_kits.cli import kits
from partners.cli import partners

log = logging.getLogger("civicgraph.cli")


@click.group()
def main() -> None:
    """CivicGraph: a GraphQL gateway over a Neo4j partner graph."""
    configure_logging(os.environ.get("CIVICGRAPH_LOG_LEVEL", "INFO"), json_lines=False)


@main.command()
@click.option("--status", is_flag=True, help="List migrations and whether each is applied.")
def migrate(status: bool) -> None:
    """Apply pending graph_schema migrations in order (safe to run again)."""
    settings = load_settings()
    graph = Graph.from_settings(settings)
    try:
        migrator = Migrator(graph.driver, settings.neo4j_database)
        if status:
            for row in migrator.status():
                click.echo(json.dumps(row))
            return
        applied = migrator.migrate()
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        graph.close()
    if applied:
        click.echo("applied: " + ", ".join(m.filename for m in applied))
    else:
        click.echo("schema is up to date")


@main.command()
def seed() -> None:
    """Load the demo ecosystem, at the size `make run` seeds (adds nothing already there)."""
    from civicgraph.cli import demo as demo_seed
    from civicgraph.partner_graph import demo as partner_graph_demo

    settings = load_settings()
    graph = Graph.from_settings(settings)
    try:
        click.echo(json.dumps(demo_seed.seed(graph, settings.issuer,
                                             size=partner_graph_demo.FULL_SIZE)))
        click.echo(json.dumps(stack.seed_lab(graph)))
    finally:
        graph.close()


@main.command("schema")
def print_schema() -> None:
    """Print the GraphQL schema (SDL); `make schema` writes it to the committed file."""
    from civicgraph.gateway.schema import sdl

    click.echo(sdl(), nl=False)


main.add_command(stack.up)
main.add_command(generate)
main.add_command(partners)
main.add_command(kits)
for _group in IDENTITY_GROUPS:
    main.add_command(_group)


if __name__ == "__main__":
    main()
