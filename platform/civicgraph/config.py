"""Settings read from the environment once, typed, with defaults that work on a laptop.

Every setting has one environment variable (documented in the README's configuration table), so
that the web app, the worker and the tests see the same values without a config file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """What the platform needs to know about its surroundings."""

    env: str = "development"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    # True when NEO4J_URI was given: the platform then starts no embedded database.
    neo4j_external: bool = False
    redis_url: str = "redis://127.0.0.1:6379/0"
    var_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var")
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    debug_cypher: bool = False
    graphiql: bool = True
    # GraphQL request limits (graphql/limits.py); defaults close to GraphQL Armor's.
    max_depth: int = 10
    max_aliases: int = 15
    max_cost: int = 5000
    max_tokens: int = 2000
    max_page_size: int = 100

    @property
    def production(self) -> bool:
        return self.env == "production"

    def with_overrides(self, overrides: dict[str, Any] | None) -> Settings:
        return replace(self, **(overrides or {}))


def load_settings() -> Settings:
    """Read the environment; NEO4J_URI switches from the embedded database to a user's server."""
    external_uri = os.environ.get("NEO4J_URI", "").strip()
    neo4j_port = _env_int("CIVICGRAPH_NEO4J_PORT", 7687)
    redis_port = _env_int("CIVICGRAPH_REDIS_PORT", 6379)
    env = _env("CIVICGRAPH_ENV", "development")
    return Settings(
        env=env,
        neo4j_uri=external_uri or f"bolt://127.0.0.1:{neo4j_port}",
        neo4j_user=_env("NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
        neo4j_database=_env("NEO4J_DATABASE", "neo4j"),
        neo4j_external=bool(external_uri),
        redis_url=_env("REDIS_URL", f"redis://127.0.0.1:{redis_port}/0"),
        var_dir=Path(_env("CIVICGRAPH_VAR_DIR", str(PROJECT_ROOT / "var"))),
        http_host=_env("CIVICGRAPH_HTTP_HOST", "127.0.0.1"),
        http_port=_env_int("CIVICGRAPH_HTTP_PORT", 8000),
        log_level=_env("CIVICGRAPH_LOG_LEVEL", "INFO").upper(),
        log_json=_env_bool("CIVICGRAPH_LOG_JSON", True),
        debug_cypher=_env_bool("CIVICGRAPH_DEBUG_CYPHER", env != "production"),
        graphiql=_env_bool("CIVICGRAPH_GRAPHIQL", env != "production"),
        max_depth=_env_int("CIVICGRAPH_MAX_DEPTH", 10),
        max_aliases=_env_int("CIVICGRAPH_MAX_ALIASES", 15),
        max_cost=_env_int("CIVICGRAPH_MAX_COST", 5000),
        max_tokens=_env_int("CIVICGRAPH_MAX_TOKENS", 2000),
        max_page_size=_env_int("CIVICGRAPH_MAX_PAGE_SIZE", 100),
    )
