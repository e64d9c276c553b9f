"""The ``civicgraph`` command: migrate, seed, print the schema, and run the whole stack locally."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import urllib.request
from types import FrameType

import click

from civicgraph.cli import devstack
from civicgraph.config import Settings, load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.observability import configure_logging
from graph_schema import MigrationError, Migrator
from hackathon_kits.cli import kits
from partners.cli import partners

log = logging.getLogger("civicgraph.cli")


def _graph(settings: Settings) -> Graph:
    return Graph.connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                         settings.neo4j_database)


@click.group()
def main() -> None:
    """CivicGraph: a GraphQL gateway over a Neo4j partner graph."""
    configure_logging(os.environ.get("CIVICGRAPH_LOG_LEVEL", "INFO"), json_lines=False)


@main.command()
@click.option("--status", is_flag=True, help="List migrations and whether each is applied.")
def migrate(status: bool) -> None:
    """Apply pending graph_schema migrations in order (safe to run again)."""
    settings = load_settings()
    graph = _graph(settings)
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


main.add_command(partners)


@main.command()
def seed() -> None:
    """Load the demo ecosystem (adds nothing that is already there)."""
    from civicgraph.cli import demo as demo_seed

    settings = load_settings()
    graph = _graph(settings)
    try:
        click.echo(json.dumps(demo_seed.seed(graph, settings.issuer)))
        click.echo(json.dumps(_seed_lab(graph)))
    finally:
        graph.close()


@main.group()
def clients() -> None:
    """OAuth clients: create, list, revoke."""


@clients.command("create")
@click.option("--name", required=True)
@click.option("--organisation", "organisation_id", help="Id of the organisation it acts for.")
@click.option("--scope", "scopes", multiple=True, required=True, help="Repeat for each scope.")
@click.option("--grant-type", "grant_types", multiple=True, default=["client_credentials"],
              show_default=True, help="client_credentials, authorization_code, refresh_token.")
@click.option("--redirect-uri", "redirect_uris", multiple=True)
@click.option("--public", is_flag=True, help="No secret: a browser or native app using PKCE.")
def clients_create(name: str, organisation_id: str | None, scopes: tuple[str, ...],
                   grant_types: tuple[str, ...], redirect_uris: tuple[str, ...],
                   public: bool) -> None:
    """Register a client and print its id and secret (the secret is shown only now)."""
    from civicgraph.core.errors import DomainError
    from civicgraph.identity.service import clients as oauth_clients

    graph = _graph(load_settings())
    try:
        created, secret = oauth_clients.create(
            graph, name=name, organisation_id=organisation_id, scopes=list(scopes),
            grant_types=list(grant_types), redirect_uris=list(redirect_uris), public=public)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()
    click.echo(json.dumps({"clientId": created["clientId"], "clientSecret": secret,
                           "scopes": created["scopes"], "grantTypes": created["grantTypes"]}))


@clients.command("list")
def clients_list() -> None:
    """One JSON line per client (never its secret)."""
    from civicgraph.identity.service import clients as oauth_clients

    graph = _graph(load_settings())
    try:
        for row in oauth_clients.list_all(graph):
            row.pop("secretHash", None)
            click.echo(json.dumps(row))
    finally:
        graph.close()


@clients.command("revoke")
@click.argument("client_id")
def clients_revoke(client_id: str) -> None:
    """Refuse the client's tokens from now on: new ones, refresh tokens and live access tokens."""
    import redis

    from civicgraph.core.errors import DomainError
    from civicgraph.identity.oauth.tokens import mark_client_revoked
    from civicgraph.identity.service import clients as oauth_clients

    settings = load_settings()
    graph = _graph(settings)
    try:
        oauth_clients.revoke(graph, client_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()
    mark_client_revoked(redis.Redis.from_url(settings.redis_url), client_id)
    click.echo(f"revoked {client_id}")


@main.group()
def keys() -> None:
    """Signing keys for access tokens."""


@keys.command("rotate")
def keys_rotate() -> None:
    """Sign with a new key from now on; older keys stay published until their tokens expired."""
    from civicgraph.identity.oauth.keys import KeyRing

    kid, removed = KeyRing(load_settings().keys_dir).rotate()
    click.echo(json.dumps({"signingKey": kid, "removed": removed}))


@main.group()
def accounts() -> None:
    """People's accounts (sign-in with the authorization code flow)."""


@accounts.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              help="CITIZEN, EXPERT, LAB_STAFF, PARTICIPANT or ADMIN; repeat for several.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def accounts_create(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    from civicgraph.core.errors import DomainError
    from civicgraph.identity.service import accounts as service

    graph = _graph(load_settings())
    try:
        person = service.create(graph, email=email, name=name, password=password,
                                roles=list(roles))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()
    click.echo(json.dumps(person))
@main.command()
@click.option("--organisations", default=1000, show_default=True, type=click.IntRange(0))
@click.option("--vacancies", default=10000, show_default=True, type=click.IntRange(0))
@click.option("--skills", default=500, show_default=True, type=click.IntRange(1))
@click.option("--partners", default=3, show_default=True, type=click.IntRange(0),
              help="Partnerships started per organisation (about twice as many partners each).")
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(1))
def generate(organisations: int, vacancies: int, skills: int, partners: int, seed: int,
             batch: int) -> None:
    """Write a seeded, reproducible ecosystem of the given size (UNWIND batches)."""
    from civicgraph.partner_graph import generator

    graph = _graph(load_settings())
    size = generator.Size(organisations, vacancies, skills, partners, batch)

    def progress(name: str, rows: int, seconds: float) -> None:
        click.echo(f"{name}: {rows} rows in {seconds:.1f}s", err=True)

    try:
        report = generator.generate(graph, size, seed, progress)
    finally:
        graph.close()
    click.echo(json.dumps(report.as_dict()))


@main.command("schema")
def print_schema() -> None:
    """Print the GraphQL schema (SDL); `make schema` writes it to the committed file."""
    from civicgraph.api.schema import sdl

    click.echo(sdl(), nl=False)


@main.command()
@click.option("--no-seed", is_flag=True, help="Start without loading the demo ecosystem.")
def up(no_seed: bool) -> None:
    """Start Neo4j, Redis, a worker and the web app; Ctrl-C stops what was started."""
    settings = load_settings()
    var = settings.var_dir
    stack: list[devstack.Service] = []
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    # Children read the same environment, so they derive the same settings as this process.
    env = dict(os.environ)

    with devstack.running(stack):
        try:
            _start_neo4j(settings, stack)
            _start_redis(settings, stack)
            graph = _graph(settings)
            applied = Migrator(graph.driver, settings.neo4j_database).migrate()
            click.echo(f"migrations applied: {len(applied)} new")
            if not no_seed:
                from civicgraph.cli import demo as demo_seed

                seeded = demo_seed.seed(graph, settings.issuer)
                click.echo(f"demo ecosystem: {json.dumps(seeded)}")
                from partners import demo as partner_demo

                click.echo(f"demo partner feeds: {json.dumps(partner_demo.sync_demo(graph))}")
                click.echo(f"demo lab: {json.dumps(_seed_lab(graph))}")
                click.echo(f"demo kits: {_queue_kit_builds(graph, settings)} builds queued "
                           "(the worker publishes them; `civicgraph kits list` shows them)")
            graph.close()
            worker = devstack.worker_service(env, var / "log" / "worker.log")
            worker.start()
            stack.append(worker)
            beat = devstack.beat_service(env, var / "log" / "beat.log",
                                         var / "celery" / "beat-schedule")
            beat.start()
            stack.append(beat)
            web = devstack.web_service(env, settings.http_host, settings.http_port,
                                       var / "log" / "web.log")
            web.start()
            stack.append(web)
            base = f"http://{settings.http_host}:{settings.http_port}"
            devstack.wait_until(
                lambda: urllib.request.urlopen(base + "/healthz", timeout=2).status == 200,
                60, "the web app", web.alive)
        except (devstack.StackError, MigrationError) as exc:
            for service in stack:
                if not service.alive():
                    click.echo(f"--- last lines of {service.log_path}:\n{service.log_tail()}",
                               err=True)
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"\nCivicGraph is running.\n  GraphiQL:  {base}/graphql\n"
            f"  Readiness: {base}/readyz\n  Logs:      {var / 'log'}\n"
            f"  OAuth:     {base}/.well-known/oauth-authorization-server\n"
            + ("" if no_seed else _demo_banner()) + "Press Ctrl-C to stop.\n"
        )
        while not stopping:
            dead = [s for s in stack if not s.alive()]
            if dead:
                for service in dead:
                    click.echo(f"{service.name} stopped unexpectedly; last lines of "
                               f"{service.log_path}:\n{service.log_tail()}", err=True)
                break
            time.sleep(0.5)
        click.echo("stopping…")
    if not stopping:
        sys.exit(1)


def _seed_lab(graph: Graph) -> dict[str, object]:
    """A challenge in evaluation with proposals and experts, for the console walk-through."""
    from civicgraph.identity import demo as demo_identity
    from civicgraph.lab.service import demo as lab_demo

    return lab_demo.seed(graph, demo_identity.STAFF_EMAIL)


def _demo_banner() -> str:
    from civicgraph.identity import demo as demo_identity

    return demo_identity.banner()


def _queue_kit_builds(graph: Graph, settings: Settings) -> int:
    """Queue a build of every shipped kit, so the catalogue offers downloads after `make run`.

    Unchanged data gives the same bytes, so a restart publishes no new release.
    """
    from civicgraph.core.queue import CeleryTaskQueue, create_celery
    from hackathon_kits import service as kits

    queue = CeleryTaskQueue(create_celery(settings))
    names = [kit["name"] for kit in kits.list_kits(graph, settings)]
    for name in names:
        kits.request_build(graph, queue, settings, name)
    return len(names)


def _start_neo4j(settings: Settings, stack: list[devstack.Service]) -> None:
    if settings.neo4j_external:
        click.echo(f"using the Neo4j at {settings.neo4j_uri} (NEO4J_URI is set)")
    else:
        port = int(settings.neo4j_uri.rsplit(":", 1)[-1])
        if devstack.port_in_use(port):
            raise devstack.StackError(
                f"port {port} is taken: stop what listens there, or choose another with "
                "CIVICGRAPH_NEO4J_PORT, or point NEO4J_URI at that server"
            )
        neo4j = devstack.neo4j_service(port, settings.var_dir / "neo4j",
                                       settings.var_dir / "log" / "neo4j.log",
                                       os.environ.get("CIVICGRAPH_NEO4J_HEAP", "1g"))
        neo4j.start()
        stack.append(neo4j)
        click.echo("waiting for Neo4j to answer over Bolt…")
    devstack.wait_for_bolt(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                           120, stack[-1].alive if stack else (lambda: True))


def _start_redis(settings: Settings, stack: list[devstack.Service]) -> None:
    url = settings.redis_url
    if os.environ.get("REDIS_URL"):
        click.echo(f"using the Redis at {url} (REDIS_URL is set)")
    else:
        port = int(url.rsplit(":", 1)[-1].split("/")[0])
        if devstack.port_in_use(port):
            click.echo(f"a Redis already answers on port {port}; using it")
        else:
            redis_server = devstack.redis_service(port, settings.var_dir / "redis",
                                                  settings.var_dir / "log" / "redis.log")
            redis_server.start()
            stack.append(redis_server)
    devstack.wait_for_redis(url, 30)


main.add_command(kits)


if __name__ == "__main__":
    main()
