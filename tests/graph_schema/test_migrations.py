"""Schema migrations: applied once, in order, recorded with checksums; edits are refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from civicgraph.core.graph import Graph
from graph_schema import MigrationError, Migrator, discover_migrations


def test_all_shipped_migrations_are_recorded_in_order(graph: Graph) -> None:
    shipped = discover_migrations()
    assert shipped[0].filename == "V001__ids.cypher"
    records = graph.run(
        "MATCH (m:SchemaMigration) RETURN m.version AS version, m.checksum AS checksum "
        "ORDER BY version"
    )
    assert [(r["version"], r["checksum"]) for r in records] == [
        (m.version, m.checksum) for m in shipped
    ]
    chain = graph.run(
        "MATCH p = (:SchemaMigration {version: $first})-[:NEXT*0..]->(last:SchemaMigration) "
        "RETURN length(p) AS hops ORDER BY hops DESC LIMIT 1", {"first": shipped[0].version})
    assert chain[0]["hops"] == len(shipped) - 1


def test_running_again_changes_nothing(graph: Graph) -> None:
    before = graph.run("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"]
    assert Migrator(graph.driver, graph.database).migrate() == []
    after = graph.run("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"]
    assert before == after


def test_unique_id_constraint_holds(graph: Graph) -> None:
    from neo4j.exceptions import ConstraintError

    graph.run("CREATE (:Skill {id: 'dup'})", write=True)
    with pytest.raises(ConstraintError):
        graph.run("CREATE (:Skill {id: 'dup'})", write=True)


def _write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text)


def test_edited_applied_migration_is_refused_by_name(graph: Graph, tmp_path: Path) -> None:
    _write(tmp_path, "V901__probe_index.cypher",
           "CREATE INDEX probe_901 IF NOT EXISTS FOR (n:MigrationProbe) ON (n.name);\n")
    try:
        migrator = Migrator(graph.driver, graph.database, discover_migrations(tmp_path))
        assert [m.version for m in migrator.migrate()] == [901]
        assert migrator.migrate() == []

        _write(tmp_path, "V901__probe_index.cypher",
               "CREATE INDEX probe_901b IF NOT EXISTS FOR (n:MigrationProbe) ON (n.other);\n")
        edited = Migrator(graph.driver, graph.database, discover_migrations(tmp_path))
        with pytest.raises(MigrationError, match=r"V901__probe_index\.cypher was edited"):
            edited.migrate()
        indexes = graph.run("SHOW INDEXES YIELD name WHERE name STARTS WITH 'probe_901' "
                            "RETURN collect(name) AS names")[0]["names"]
        assert indexes == ["probe_901"]
    finally:
        graph.run("MATCH (m:SchemaMigration) WHERE m.version >= 900 DETACH DELETE m", write=True)
        graph.run("DROP INDEX probe_901 IF EXISTS", write=True)
        graph.run("DROP INDEX probe_901b IF EXISTS", write=True)


def test_badly_named_file_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "add_things.cypher", "RETURN 1;")
    with pytest.raises(MigrationError, match=r"add_things\.cypher"):
        discover_migrations(tmp_path)


def test_cli_reports_up_to_date(graph: Graph) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "civicgraph.cli", "migrate"], capture_output=True, text=True,
        env=dict(os.environ), timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "schema is up to date" in result.stdout
