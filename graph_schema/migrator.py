"""Apply ``migrations/V###__description.cypher`` in order and record each in the graph.

Modelled on neo4j-migrations: a chain of ``SchemaMigration`` nodes holds version, description,
checksum and time applied; a lock node keeps two runners from applying the same file at once;
an applied file that was edited afterwards is refused by name, because the graph was shaped by
the old text and silently re-reading it would hide that.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import LiteralString, cast

from neo4j import Driver

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_FILE_PATTERN = re.compile(r"^V(?P<version>\d{3,})__(?P<description>[A-Za-z0-9_]+)\.cypher$")
_LOCK_TTL_SECONDS = 300


class MigrationError(RuntimeError):
    """A migration cannot be applied; the message names the file and what to do."""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    path: Path
    checksum: str
    statements: tuple[str, ...]

    @property
    def filename(self) -> str:
        return self.path.name


def _split_statements(text: str) -> tuple[str, ...]:
    """Split on semicolons that end a line; ``//`` comment lines are dropped."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    body = "\n".join(lines)
    parts = re.split(r";\s*(?:\n|$)", body)
    return tuple(p.strip() for p in parts if p.strip())


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations: list[Migration] = []
    seen: dict[int, Path] = {}
    for path in sorted(directory.glob("*.cypher")):
        match = _FILE_PATTERN.match(path.name)
        if not match:
            raise MigrationError(
                f"{path.name}: migration files are named V###__description.cypher; rename it"
            )
        version = int(match["version"])
        if version in seen:
            raise MigrationError(f"{path.name} and {seen[version].name} share version {version}")
        seen[version] = path
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        migrations.append(
            Migration(
                version=version,
                description=match["description"].replace("_", " "),
                path=path,
                checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                statements=_split_statements(text),
            )
        )
    return sorted(migrations, key=lambda m: m.version)


class Migrator:
    """Applies pending migrations against one database, holding the graph's migration lock."""

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        migrations: Iterable[Migration] | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.migrations = list(migrations) if migrations is not None else discover_migrations()

    def _run(self, cypher: LiteralString, **params: object) -> list[dict[str, object]]:
        records, _, _ = self.driver.execute_query(cypher, params, database_=self.database)
        return [r.data() for r in records]

    def applied(self) -> dict[int, dict[str, object]]:
        rows = self._run(
            "MATCH (m:SchemaMigration) "
            "RETURN m.version AS version, m.description AS description, "
            "m.checksum AS checksum, toString(m.appliedAt) AS appliedAt ORDER BY version"
        )
        return {cast(int, r["version"]): r for r in rows}

    def pending(self) -> list[Migration]:
        applied = self.applied()
        self._check_checksums(applied)
        return [m for m in self.migrations if m.version not in applied]

    def _check_checksums(self, applied: dict[int, dict[str, object]]) -> None:
        for migration in self.migrations:
            record = applied.get(migration.version)
            if record is not None and record["checksum"] != migration.checksum:
                raise MigrationError(
                    f"{migration.filename} was edited after it was applied "
                    f"(recorded checksum {record['checksum']!s:.12}…, file now "
                    f"{migration.checksum[:12]}…). Applied migrations are never edited: restore "
                    "the file and put the change in a new migration."
                )

    def migrate(self) -> list[Migration]:
        """Apply what is pending, in order; return what was applied (empty when up to date)."""
        self._run(
            "CREATE CONSTRAINT schema_migration_version IF NOT EXISTS "
            "FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE"
        )
        self._run(
            "CREATE CONSTRAINT schema_migration_lock IF NOT EXISTS "
            "FOR (l:SchemaMigrationLock) REQUIRE l.name IS UNIQUE"
        )
        owner = str(uuid.uuid4())
        self._acquire_lock(owner)
        try:
            done: list[Migration] = []
            for migration in self.pending():
                log.info("applying migration %s", migration.filename)
                for statement in migration.statements:
                    self._run(statement)  # trusted text of a committed migration file
                self._run(
                    "MATCH (prev:SchemaMigration) WITH max(prev.version) AS last "
                    "CREATE (m:SchemaMigration {version: $version, description: $description, "
                    "checksum: $checksum, filename: $filename, appliedAt: datetime()}) "
                    "WITH m, last OPTIONAL MATCH (p:SchemaMigration {version: last}) "
                    "FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | "
                    "CREATE (p)-[:NEXT]->(m))",
                    version=migration.version,
                    description=migration.description,
                    checksum=migration.checksum,
                    filename=migration.filename,
                )
                done.append(migration)
            return done
        finally:
            self._run("MATCH (l:SchemaMigrationLock {name: 'schema', owner: $owner}) DELETE l",
                      owner=owner)

    def _acquire_lock(self, owner: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            rows = self._run(
                "MERGE (l:SchemaMigrationLock {name: 'schema'}) "
                "ON CREATE SET l.owner = $owner, l.at = datetime() "
                "WITH l, CASE WHEN l.at < datetime() - duration({seconds: $ttl}) "
                "THEN true ELSE false END AS stale "
                "FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END | "
                "SET l.owner = $owner, l.at = datetime()) "
                "RETURN l.owner = $owner AS mine",
                owner=owner,
                ttl=_LOCK_TTL_SECONDS,
            )
            if rows and rows[0]["mine"]:
                return
            if time.monotonic() > deadline:
                raise MigrationError(
                    "another process holds the schema migration lock; wait for it to finish "
                    "or delete the (:SchemaMigrationLock) node if that process died"
                )
            time.sleep(0.5)

    def status(self) -> list[dict[str, object]]:
        applied = self.applied()
        return [
            {
                "version": m.version,
                "file": m.filename,
                "applied": m.version in applied,
                "appliedAt": applied.get(m.version, {}).get("appliedAt"),
                "checksumMatches": m.version not in applied
                or applied[m.version]["checksum"] == m.checksum,
            }
            for m in self.migrations
        ]
