"""Shared steps of the kit tests: start a build through GraphQL and wait for its outcome."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from tests.helpers import gql, wait_for

BUILD = "mutation($name: String!) { buildKit(name: $name) { build { id state percent } } }"
STATUS = ("query($id: ID!) { kitBuild(id: $id) { id kit state percent stage error "
          "releaseNumber unchanged } }")
FINISHED = {"SUCCEEDED", "FAILED", "REFUSED", "SKIPPED", "LOST"}


def start_build(client: FlaskClient, name: str) -> str:
    body = gql(client, BUILD, {"name": name})
    assert "errors" not in body, body
    build: dict[str, Any] = body["data"]["buildKit"]["build"]
    assert build["state"] == "QUEUED"
    return str(build["id"])


def build_status(client: FlaskClient, build_id: str) -> dict[str, Any]:
    body = gql(client, STATUS, {"id": build_id})
    assert "errors" not in body, body
    status: dict[str, Any] = body["data"]["kitBuild"]
    return status


def wait_finished(client: FlaskClient, build_id: str, timeout: float = 120) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        status = build_status(client, build_id)
        return status if status["state"] in FINISHED else None

    result: dict[str, Any] = wait_for(done, timeout=timeout, interval=0.3)
    return result


def build(client: FlaskClient, name: str) -> dict[str, Any]:
    status = wait_finished(client, start_build(client, name))
    assert status["state"] == "SUCCEEDED", status
    return status


def unzip(data: bytes, target: Path) -> Path:
    archive = target / "kit.zip"
    archive.write_bytes(data)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target / "kit")
    return target / "kit"
