"""From the demo `make run` seeds, every shipped kit is worth opening: each of its tables has
rows, and most of the cells of each aggregate table are published (a `[c]` in under a third of
the rows), so a team sees counts, not suppression markers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from civicgraph.cli import demo as demo_seed
from civicgraph.cli.devstack import Service
from civicgraph.config import PROJECT_ROOT
from civicgraph.core.graph import Graph
from civicgraph.partner_graph import demo as partner_graph_demo
from partners import demo as partner_demo
from tests.hackathon_kits.builders import build, unzip

pytestmark = pytest.mark.worker

SHIPPED = sorted(p.stem for p in (PROJECT_ROOT / "hackathon_kits" / "specs").glob("*.yaml"))


def test_every_shipped_kit_built_from_the_demo_shows_mostly_visible_cells(
    client: FlaskClient, graph: Graph, worker: Service, tmp_path: Path
) -> None:
    demo_seed.seed(graph, size=partner_graph_demo.FULL_SIZE)
    partner_demo.sync_demo(graph)
    assert len(SHIPPED) >= 5
    for name in SHIPPED:
        status = build(client, name)
        response = client.get(f"/kits/{name}/releases/{status['releaseNumber']}/download")
        assert response.status_code == 200, name
        (tmp_path / name).mkdir()
        root = unzip(response.get_data(), tmp_path / name)
        package = json.loads((root / "datapackage.json").read_text())
        tables = [r for r in package["resources"] if r["path"].endswith(".csv")
                  and r["path"].startswith("data/")]
        assert tables, name
        for table in tables:
            with (root / table["path"]).open() as handle:
                rows = list(csv.DictReader(handle))
            assert rows, f"{name}: {table['path']} is empty"
            suppressed = sum(1 for row in rows if "[c]" in row.values())
            assert suppressed < len(rows) / 3, (
                f"{name}: {table['path']} has [c] in {suppressed} of {len(rows)} rows")
