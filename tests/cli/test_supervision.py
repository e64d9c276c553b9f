"""`civicgraph up` keeps the stack up: a child that dies is restarted with a growing delay and a
line that says what happened, instead of the whole stack stopping. Real child processes, killed
with SIGKILL as a crash would; the supervisor's clock is the test's, so no test waits on time."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicgraph.cli import devstack


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sleeper(tmp_path: Path) -> Iterator[devstack.Service]:
    service = devstack.Service("worker", [sys.executable, "-c", "import time; time.sleep(600)"],
                               tmp_path / "worker.log")
    service.start()
    try:
        yield service
    finally:
        service.stop()


def test_a_killed_child_is_restarted_with_backoff_and_a_readable_line(
        sleeper: devstack.Service, tmp_path: Path) -> None:
    other = devstack.Service("web", [sys.executable, "-c", "import time; time.sleep(600)"],
                             tmp_path / "web.log")
    other.start()
    lines: list[str] = []
    clock = Clock()
    supervisor = devstack.Supervisor([other, sleeper], lines.append, backoff=1.0,
                                     backoff_max=4.0, steady=60.0, clock=clock)
    try:
        web_pid = other.process.pid if other.process else None
        first_pid = sleeper.process.pid if sleeper.process else None
        sleeper.kill()
        supervisor.check()
        assert lines == [f"worker was killed by SIGKILL after 0.0s; restarting it in 1s "
                         f"(restart 1; log: {sleeper.log_path})"]
        assert not sleeper.alive() and other.alive()  # the rest of the stack keeps running
        clock.now += 1.0
        supervisor.check()
        assert sleeper.alive() and sleeper.process is not None
        assert sleeper.process.pid != first_pid
        assert lines[-1] == f"worker restarted (pid {sleeper.process.pid})"

        # Dying again soon after: the delay doubles, up to the cap.
        for expected in ("2s", "4s", "4s"):
            clock.now += 5.0
            sleeper.kill()
            supervisor.check()
            assert f"restarting it in {expected}" in lines[-1]
            clock.now += 4.0
            supervisor.check()
            assert sleeper.alive()
        # Up for a minute: the next crash starts from the first delay again.
        clock.now += 60.0
        supervisor.check()
        sleeper.kill()
        supervisor.check()
        assert "restarting it in 1s (restart 5;" in lines[-1]
        assert other.alive() and other.process is not None and other.process.pid == web_pid
        assert supervisor.restarts == {"worker": 4}
    finally:
        other.stop()


def test_an_exit_code_is_reported(tmp_path: Path) -> None:
    failing = devstack.Service("beat", [sys.executable, "-c", "raise SystemExit(3)"],
                               tmp_path / "beat.log")
    failing.start()
    assert failing.process is not None
    failing.process.wait(30)
    lines: list[str] = []
    supervisor = devstack.Supervisor([failing], lines.append, clock=Clock())
    supervisor.check()
    failing.stop()
    assert lines[0].startswith("beat exited with code 3 after ")
