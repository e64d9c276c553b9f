"""Start, watch and stop the real services CivicGraph needs on one machine.

`make run` and the test session both use this module, so the way Neo4j, Redis, the worker and the
web app are started is written once. Each service runs in its own process group, so Ctrl-C reaches
this supervisor first and it stops the children in reverse order of starting.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from civicgraph.config import PROJECT_ROOT

log = logging.getLogger(__name__)

EMBEDDED_DIR = PROJECT_ROOT / "neo4j_embedded"
LAUNCHER_CLASS = "org.civicgraph.neo4j.EmbeddedNeo4j"


class StackError(RuntimeError):
    """A service could not start; the message says what to do about it."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_until(check: Callable[[], bool], timeout: float, what: str,
               alive: Callable[[], bool] = lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise StackError(f"{what} exited while starting")
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.25)
    raise StackError(f"{what} was not ready after {timeout:.0f}s")


@dataclass
class Service:
    """One child process with its log file."""

    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = PROJECT_ROOT
    process: subprocess.Popen[bytes] | None = None
    _log_file: IO[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("ab")
        log.info("starting %s (log: %s)", self.name, self.log_path)
        self.process = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdout=self._log_file,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            log.info("stopping %s", self.name)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %.0fs; killing it", self.name, timeout)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self._log_file:
            self._log_file.close()
        self.process = None

    def kill(self) -> None:
        """End the service abruptly (SIGKILL), as a crash would; used by failure tests."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def neo4j_classpath() -> str:
    classes = EMBEDDED_DIR / "target" / "classes"
    lib = EMBEDDED_DIR / "target" / "lib"
    launcher = classes / "org" / "civicgraph" / "neo4j" / "EmbeddedNeo4j.class"
    if not launcher.exists() or not lib.is_dir():
        raise StackError(
            "the embedded Neo4j is not built: run `make neo4j` (needs Java 17+ and Maven), "
            "or set NEO4J_URI to use a Neo4j server you run yourself"
        )
    return f"{classes}{os.pathsep}{lib}{os.sep}*"


def apoc_jar() -> Path | None:
    """APOC core as `make neo4j` fetches it, if it has."""
    jars = sorted((EMBEDDED_DIR / "target" / "plugins").glob("apoc-core-*.jar"))
    return jars[-1] if jars else None


NEO4J_JVM_FLAGS = ("-XX:+UseParallelGC", "-XX:NewRatio=1")
"""The embedded Neo4j's collector: the throughput collector with half the heap young, and the
heap taken whole at start (``-Xms`` = ``-Xmx``). A write transaction holds its state until it
commits, and with G1's adaptive young generation (or ParallelGC's default third) much of it was
promoted and then collected in the old generation. Measured by the JVM's CPU per new posting of
a partner sync (20k and 80k, after a warm-up): the collectors' share went from 75-95 and 64-71
(G1) to about 20 and 30 µs; with the two databases running side by side, 20k-posting syncs
alternating between them, the JVM's whole CPU per posting was 437 against G1's 626 µs (median of
three). Reads did not suffer: the JVM's CPU per nested or cross-domain read of
``make bench-graph`` was 5-15% lower than under G1, interleaved on two databases beside an
unchanged third as control."""


def neo4j_service(port: int, home: Path, log_path: Path, heap: str = "1g") -> Service:
    """The embedded Neo4j, with APOC core where `make neo4j` fetched it (without it the
    gateway writes answers itself: compiler/json_text.py)."""
    java = shutil.which("java")
    if java is None:
        raise StackError("java is not installed: install a Java 17+ runtime, or set NEO4J_URI")
    classpath = neo4j_classpath()
    apoc = apoc_jar()
    plugins = [] if apoc is None else ["--plugins", str(apoc.parent)]
    if apoc is not None:
        classpath += os.pathsep + str(apoc)
    argv = [java, *NEO4J_JVM_FLAGS, f"-Xms{heap}", f"-Xmx{heap}", "-cp", classpath,
            LAUNCHER_CLASS, "--home", str(home), "--port", str(port), *plugins]
    return Service("neo4j", argv, log_path)


def wait_for_bolt(uri: str, user: str, password: str, timeout: float,
                  alive: Callable[[], bool] = lambda: True) -> None:
    from neo4j import GraphDatabase

    def bolt_answers() -> bool:
        auth = (user, password) if password else None
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=2) as driver:
            driver.verify_connectivity()
        return True

    wait_until(bolt_answers, timeout, f"Neo4j at {uri}", alive)


def redis_service(port: int, data_dir: Path, log_path: Path) -> Service:
    server = shutil.which("redis-server")
    if server is None:
        raise StackError(
            "redis-server is not installed: `apt-get install redis-server` (make does this when "
            "run as root), or set REDIS_URL to a Redis you run yourself"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--save", "", "--appendonly", "no", "--protected-mode", "yes"]
    return Service("redis", argv, log_path)


def wait_for_redis(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> None:
    import redis

    wait_until(lambda: bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping()),
               timeout, f"Redis at {url}", alive)


def worker_service(env: dict[str, str], log_path: Path, concurrency: int = 2,
                   pool: str = "prefork", queues: str | None = None,
                   name: str | None = None) -> Service:
    argv = [sys.executable, "-m", "celery", "-A", "civicgraph.workers.celery_app", "worker",
            "--loglevel=INFO", f"--pool={pool}", f"--concurrency={concurrency}",
            "--without-gossip", "--without-mingle",
            "-n", name or f"civicgraph-{os.getpid()}@%h"]
    if queues:
        argv += ["-Q", queues]
    return Service("worker", argv, log_path, env=env)


def beat_service(env: dict[str, str], log_path: Path, schedule_path: Path) -> Service:
    """Celery beat: sends the scheduled tasks (one beat per deployment, however many workers)."""
    schedule_path.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "celery", "-A", "civicgraph.workers.celery_app", "beat",
            "--loglevel=INFO", f"--schedule={schedule_path}"]
    return Service("beat", argv, log_path, env=env)


def web_service(env: dict[str, str], host: str, port: int, log_path: Path,
                workers: int = 2) -> Service:
    """gunicorn with gevent workers and JSON errors (its configuration: api/http/serving.py)."""
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:civicgraph.api.http.serving",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
            "civicgraph.app:create_app()"]
    return Service("web", argv, log_path, env=env)


class Supervisor:
    """Restart a child that died instead of stopping everything: a worker's crash must not take
    the web app, Redis and Neo4j down with it.

    Each restart of a service waits longer (``backoff`` seconds, doubling to ``backoff_max``);
    a service that then stays up for ``steady`` seconds starts again from the first delay.
    Every death and restart is one log line naming the service, how it ended, how long it had
    run, when it comes back and where its log is.
    """

    def __init__(self, services: list[Service], say: Callable[[str], None],
                 backoff: float = 1.0, backoff_max: float = 30.0, steady: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.services = services
        self.say = say
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.steady = steady
        self.clock = clock
        self.restarts: dict[str, int] = {}
        self._delay: dict[str, float] = {}
        self._started: dict[str, float] = {s.name: clock() for s in services}
        self._due: dict[str, float] = {}

    def check(self) -> None:
        """One look at every child: note the dead, restart those whose delay has passed."""
        now = self.clock()
        for service in self.services:
            if service.name in self._due:
                if now >= self._due[service.name]:
                    del self._due[service.name]
                    self._restart(service, now)
                continue
            if service.alive():
                if now - self._started.get(service.name, now) >= self.steady:
                    self._delay.pop(service.name, None)
                continue
            self._died(service, now)

    def _died(self, service: Service, now: float) -> None:
        code = service.process.returncode if service.process is not None else None
        how = (f"was killed by {signal.Signals(-code).name}" if code is not None and code < 0
               else f"exited with code {code}")
        delay = self._delay.get(service.name, self.backoff)
        self._delay[service.name] = min(delay * 2, self.backoff_max)
        ran = now - self._started.get(service.name, now)
        self.say(f"{service.name} {how} after {ran:.1f}s; restarting it in {delay:.0f}s "
                 f"(restart {self.restarts.get(service.name, 0) + 1}; log: {service.log_path})")
        self._due[service.name] = now + delay

    def _restart(self, service: Service, now: float) -> None:
        service.stop()  # closes the old log handle and reaps the process
        service.start()
        self.restarts[service.name] = self.restarts.get(service.name, 0) + 1
        self._started[service.name] = now
        pid = service.process.pid if service.process is not None else "?"
        self.say(f"{service.name} restarted (pid {pid})")


@contextlib.contextmanager
def running(services: list[Service]) -> Iterator[list[Service]]:
    """Stop every service that was started, in reverse order, however the block ends."""
    try:
        yield services
    finally:
        for service in reversed(services):
            service.stop()
