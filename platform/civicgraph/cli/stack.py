"""``civicgraph up``: the whole stack on one machine, for `make run`: Neo4j, Redis, migrations,
the demo ecosystem, a worker, beat and the web app; Ctrl-C stops what it started."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.request
from pathlib import Path
from types import FrameType

import click

from civicgraph.cli import devstack
from civicgraph.config import Settings, load_settings
from civicgraph.core.graph import Graph
from graph_schema import MigrationError, Migrator


@click.command()
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
    # The web tier's and the worker's metrics, summed by /metrics: one folder, emptied at each
    # start (prometheus_client would otherwise add an earlier run's counters to this one's).
    metrics_dir = Path(env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(var / "metrics")))
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)

    with devstack.running(stack):
        try:
            _start_neo4j(settings, stack)
            _start_redis(settings, stack)
            graph = Graph.from_settings(settings)
            applied = Migrator(graph.driver, settings.neo4j_database).migrate()
            click.echo(f"migrations applied: {len(applied)} new")
            if not no_seed:
                from civicgraph.cli import demo as demo_seed
                from civicgraph.partner_graph import demo as partner_graph_demo

                seeded = demo_seed.seed(graph, settings.issuer,
                                        size=partner_graph_demo.FULL_SIZE)
                click.echo(f"demo ecosystem: {json.dumps(seeded)}")
                from partners import demo as partner_demo

                click.echo(f"demo partner feeds: {json.dumps(partner_demo.sync_demo(graph))}")
                click.echo(f"demo lab: {json.dumps(seed_lab(graph))}")
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
        # A child that dies is restarted (with backoff and a line saying so); only Ctrl-C or
        # SIGTERM stops the stack.
        supervisor = devstack.Supervisor(stack, lambda line: click.echo(line, err=True))
        while not stopping:
            supervisor.check()
            time.sleep(0.5)
        click.echo("stopping…")


def seed_lab(graph: Graph) -> dict[str, object]:
    """A challenge in evaluation with proposals and experts, and sessions to register for, for
    the console walk-through."""
    from civicgraph.identity import demo as demo_identity
    from civicgraph.lab.service import demo as lab_demo

    return {**lab_demo.seed(graph, demo_identity.STAFF_EMAIL),
            **lab_demo.seed_field_experts(graph),
            **lab_demo.seed_stages(graph, demo_identity.STAFF_EMAIL),
            **lab_demo.seed_ideas(graph, {
                "LAB_STAFF": demo_identity.STAFF_EMAIL, "CITIZEN": demo_identity.CITIZEN_EMAIL,
                "PARTICIPANT": demo_identity.PARTNER_MEMBER_EMAIL}),
            **lab_demo.seed_sessions(graph, demo_identity.STAFF_EMAIL)}


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
