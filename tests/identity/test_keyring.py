"""Signing keys: the newest signs, retired keys stay published until their tokens expired."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from civicgraph.identity.oauth.keys import KeyRing, session_secret


def test_rotation_keeps_recent_keys_and_drops_long_retired_ones(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path)
    first = str(ring.signing_key().kid)
    second, removed = ring.rotate()
    assert removed == [] and str(ring.signing_key().kid) == second
    assert [k["kid"] for k in ring.jwks()["keys"]] == [first, second]
    # The first key was retired when the second appeared: pretend that was two hours ago.
    two_hours_ago = time.time() - 2 * 3600
    os.utime(tmp_path / f"{second}.jwk.json", (two_hours_ago, two_hours_ago))
    third, removed = ring.rotate()
    assert removed == [first]
    assert [k["kid"] for k in ring.jwks()["keys"]] == [second, third]
    assert all("d" not in k for k in ring.jwks()["keys"])


def test_another_process_sees_a_rotation(tmp_path: Path) -> None:
    web_a, web_b = KeyRing(tmp_path), KeyRing(tmp_path)
    assert web_a.signing_key().kid == web_b.signing_key().kid
    new_kid, _ = web_a.rotate()
    assert web_b.signing_key().kid == new_kid
    assert len(web_b.verification_keys().keys) == 2


def _secret_after(folder: str, start: float) -> str:
    time.sleep(max(0.0, start - time.time()))  # all processes ask at the same moment
    return session_secret(Path(folder), "")


def test_web_workers_starting_together_share_one_session_secret(tmp_path: Path) -> None:
    """gunicorn starts its workers at once; each must sign sessions with the same key, and none
    may fail to boot on another's half-written file."""
    start = time.time() + 3.0  # time for every process to start before they all ask
    # Spawned, not forked: a fork would inherit this test session's open broker connections.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=8, mp_context=spawn) as pool:
        secrets = list(pool.map(_secret_after, [str(tmp_path)] * 16, [start] * 16))
    assert len(set(secrets)) == 1 and len(secrets[0]) >= 48
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.secret"]
