"""The partner graph's command: a generated, reproducible ecosystem of any size."""

from __future__ import annotations

import json

import click

from civicgraph.config import load_settings
from civicgraph.core.graph import Graph


@click.command()
@click.option("--organisations", default=1000, show_default=True, type=click.IntRange(0))
@click.option("--vacancies", default=10000, show_default=True, type=click.IntRange(0))
@click.option("--skills", default=500, show_default=True, type=click.IntRange(1),
              help="At most this many of the vocabulary's skills (all when it has fewer).")
@click.option("--courses", default=0, show_default=True, type=click.IntRange(0))
@click.option("--partners", default=3, show_default=True, type=click.IntRange(0),
              help="Partnerships started per organisation (about twice as many partners each).")
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(1))
def generate(organisations: int, vacancies: int, skills: int, courses: int, partners: int,
             seed: int, batch: int) -> None:
    """Write a seeded, reproducible ecosystem of the given size (UNWIND batches), on the demo's
    vocabulary (regions with their GSS codes, the ESCO-shaped skills and occupations)."""
    from civicgraph.partner_graph import generator

    graph = Graph.from_settings(load_settings())
    size = generator.Size(organisations, vacancies, skills, partners, batch, courses)

    def progress(name: str, rows: int, seconds: float) -> None:
        click.echo(f"{name}: {rows} rows in {seconds:.1f}s", err=True)

    try:
        report = generator.generate(graph, size, seed, progress)
    finally:
        graph.close()
    click.echo(json.dumps(report.as_dict()))
