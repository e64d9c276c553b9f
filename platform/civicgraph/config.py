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


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


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
    # Identity and access (README: "Identity, access and consent").
    issuer: str = "http://127.0.0.1:8000"
    audience: str = "civicgraph-api"
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    auth_code_seconds: int = 60
    keys_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var" / "keys")
    secret_key: str = ""
    token_rate_per_client: int = 30
    token_rate_per_ip: int = 60
    token_rate_window: int = 60
    # The lab console signs people in as this public OAuth client (PKCE), seeded by the demo.
    console_client_id: str = "demo-console"
    # Hackathon kits: where releases are published, where specs are read from, how long a
    # build's lock lasts without a heartbeat (a killed worker's lock frees itself after this).
    kit_store: Path | None = None
    kit_specs: tuple[Path, ...] = ()
    kit_build_lease: int = 30
    # Keys the records of kits perturbed by cell key (HMAC of each record id); never published.
    # Empty: one is made once and kept beside the signing keys, so every build uses the same.
    kit_cell_key_secret: str = ""
    # A task a worker took but never acknowledged (the worker died) goes back to the queue this
    # long after it was delivered; longer than a kit's lease, so the dead build's lock is free.
    task_visibility_seconds: int = 300
    # The lab's webhooks: first retry delay, doubling each attempt; HTTP timeout.
    webhook_backoff_seconds: float = 30.0
    webhook_backoff_max_seconds: float = 3600.0
    webhook_task_retries: int = 8
    webhook_timeout_seconds: float = 10.0
    # POST /partners/<platform>/records, where platforms push records to us.
    partner_webhooks: bool = True
    # GraphQL request limits (graphql/limits.py); defaults close to GraphQL Armor's.
    max_depth: int = 10
    max_aliases: int = 15
    max_cost: int = 5000
    max_tokens: int = 2000
    max_page_size: int = 100
    # A repeated query of compiled reads skips graphql-core's execution (gateway/plans.py);
    # off only to compare answers with the usual path.
    plan_cache: bool = True
    # The edge (api/http/body.py): request bodies are read whole, within these bounds, before
    # any view sees them. The partner push takes whole feeds, so it has its own, larger limit.
    max_body_bytes: int = 1024 * 1024
    max_push_body_bytes: int = 16 * 1024 * 1024
    max_json_depth: int = 64
    body_timeout_seconds: float = 10.0
    # Outages (core/graph.py, the Redis client, core/queue.py): how long a request waits for a
    # dependency before it is answered 503 with Retry-After.
    neo4j_connect_timeout: float = 1.0
    neo4j_acquire_timeout: float = 1.5
    neo4j_retry_seconds: float = 0.5
    redis_timeout: float = 0.75
    retry_after_seconds: int = 5
    # /metrics (api/http/metrics.py): open outside production; in production only with this
    # bearer token, and not served at all without one.
    metrics_token: str = ""

    def __post_init__(self) -> None:
        if not 5 <= self.access_token_minutes <= 60:
            raise ValueError(
                "CIVICGRAPH_ACCESS_TOKEN_MINUTES must be between 5 and 60, "
                f"got {self.access_token_minutes}"
            )
        if self.production:
            # Production never shows GraphiQL, schema introspection or Cypher, whatever else says.
            object.__setattr__(self, "graphiql", False)
            object.__setattr__(self, "debug_cypher", False)

    @property
    def kit_store_dir(self) -> Path:
        return self.kit_store or self.var_dir / "kits"

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def introspection(self) -> bool:
        """``__schema``/``__type`` queries are answered outside production only."""
        return not self.production

    def with_overrides(self, overrides: dict[str, Any] | None) -> Settings:
        return replace(self, **(overrides or {}))


def load_settings() -> Settings:
    """Read the environment; NEO4J_URI switches from the embedded database to a user's server."""
    external_uri = os.environ.get("NEO4J_URI", "").strip()
    neo4j_port = _env_int("CIVICGRAPH_NEO4J_PORT", 7687)
    redis_port = _env_int("CIVICGRAPH_REDIS_PORT", 6379)
    env = _env("CIVICGRAPH_ENV", "development")
    http_host = _env("CIVICGRAPH_HTTP_HOST", "127.0.0.1")
    http_port = _env_int("CIVICGRAPH_HTTP_PORT", 8000)
    var_dir = Path(_env("CIVICGRAPH_VAR_DIR", str(PROJECT_ROOT / "var")))
    return Settings(
        env=env,
        neo4j_uri=external_uri or f"bolt://127.0.0.1:{neo4j_port}",
        neo4j_user=_env("NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
        neo4j_database=_env("NEO4J_DATABASE", "neo4j"),
        neo4j_external=bool(external_uri),
        redis_url=_env("REDIS_URL", f"redis://127.0.0.1:{redis_port}/0"),
        var_dir=var_dir,
        http_host=http_host,
        http_port=http_port,
        log_level=_env("CIVICGRAPH_LOG_LEVEL", "INFO").upper(),
        log_json=_env_bool("CIVICGRAPH_LOG_JSON", True),
        debug_cypher=_env_bool("CIVICGRAPH_DEBUG_CYPHER", env != "production"),
        graphiql=_env_bool("CIVICGRAPH_GRAPHIQL", env != "production"),
        issuer=_env("CIVICGRAPH_ISSUER", f"http://{http_host}:{http_port}").rstrip("/"),
        audience=_env("CIVICGRAPH_AUDIENCE", "civicgraph-api"),
        access_token_minutes=_env_int("CIVICGRAPH_ACCESS_TOKEN_MINUTES", 15),
        refresh_token_days=_env_int("CIVICGRAPH_REFRESH_TOKEN_DAYS", 14),
        keys_dir=Path(_env("CIVICGRAPH_KEYS_DIR", str(var_dir / "keys"))),
        secret_key=os.environ.get("CIVICGRAPH_SECRET_KEY", ""),
        token_rate_per_client=_env_int("CIVICGRAPH_TOKEN_RATE_PER_CLIENT", 30),
        token_rate_per_ip=_env_int("CIVICGRAPH_TOKEN_RATE_PER_IP", 60),
        token_rate_window=_env_int("CIVICGRAPH_TOKEN_RATE_WINDOW", 60),
        console_client_id=_env("CIVICGRAPH_CONSOLE_CLIENT_ID", "demo-console"),
        kit_store=Path(os.environ["CIVICGRAPH_KIT_STORE"])
        if os.environ.get("CIVICGRAPH_KIT_STORE", "").strip() else None,
        kit_specs=tuple(Path(p) for p in os.environ.get("CIVICGRAPH_KIT_SPECS", "").split(
            os.pathsep) if p.strip()) or (PROJECT_ROOT / "hackathon_kits" / "specs",),
        kit_build_lease=_env_int("CIVICGRAPH_KIT_BUILD_LEASE", 30),
        kit_cell_key_secret=os.environ.get("CIVICGRAPH_KIT_CELL_KEY_SECRET", ""),
        task_visibility_seconds=_env_int("CIVICGRAPH_TASK_VISIBILITY_SECONDS", 300),
        webhook_backoff_seconds=_env_float("CIVICGRAPH_WEBHOOK_BACKOFF_SECONDS", 30.0),
        webhook_backoff_max_seconds=_env_float("CIVICGRAPH_WEBHOOK_BACKOFF_MAX_SECONDS", 3600.0),
        webhook_task_retries=_env_int("CIVICGRAPH_WEBHOOK_TASK_RETRIES", 8),
        webhook_timeout_seconds=_env_float("CIVICGRAPH_WEBHOOK_TIMEOUT_SECONDS", 10.0),
        partner_webhooks=_env_bool("CIVICGRAPH_PARTNER_WEBHOOKS", True),
        max_depth=_env_int("CIVICGRAPH_MAX_DEPTH", 10),
        max_aliases=_env_int("CIVICGRAPH_MAX_ALIASES", 15),
        max_cost=_env_int("CIVICGRAPH_MAX_COST", 5000),
        max_tokens=_env_int("CIVICGRAPH_MAX_TOKENS", 2000),
        max_page_size=_env_int("CIVICGRAPH_MAX_PAGE_SIZE", 100),
        plan_cache=_env_bool("CIVICGRAPH_PLAN_CACHE", True),
        max_body_bytes=_env_int("CIVICGRAPH_MAX_BODY_BYTES", 1024 * 1024),
        max_push_body_bytes=_env_int("CIVICGRAPH_MAX_PUSH_BODY_BYTES", 16 * 1024 * 1024),
        max_json_depth=_env_int("CIVICGRAPH_MAX_JSON_DEPTH", 64),
        body_timeout_seconds=_env_float("CIVICGRAPH_BODY_TIMEOUT_SECONDS", 10.0),
        neo4j_connect_timeout=_env_float("CIVICGRAPH_NEO4J_CONNECT_TIMEOUT", 1.0),
        neo4j_acquire_timeout=_env_float("CIVICGRAPH_NEO4J_ACQUIRE_TIMEOUT", 1.5),
        neo4j_retry_seconds=_env_float("CIVICGRAPH_NEO4J_RETRY_SECONDS", 0.5),
        redis_timeout=_env_float("CIVICGRAPH_REDIS_TIMEOUT", 0.75),
        retry_after_seconds=_env_int("CIVICGRAPH_RETRY_AFTER_SECONDS", 5),
        metrics_token=os.environ.get("CIVICGRAPH_METRICS_TOKEN", "").strip(),
    )
