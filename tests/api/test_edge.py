"""Bad input at the edge, sent over HTTP to the real web tier: a 4xx with a JSON error, never a
500 and never gunicorn's HTML page."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from civicgraph.core.graph import Graph
from partners.service import platforms as partner_platforms
from tests.api.conftest import Served
from tests.builders import create_client

DEEP = b"[" * 100_000 + b"]" * 100_000


def _split(answer: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert headers["content-type"].startswith("application/json"), answer[:300]
    return status, headers, json.loads(body)


def _message(body: dict[str, Any]) -> str:
    if "errors" in body:
        return str(body["errors"][0]["message"])
    return str(body["error"]["message"])


@pytest.fixture
def pusher(served: Served, graph: Graph) -> requests.Session:
    """The push-board platform's own client, with a token from the served token endpoint."""
    client_id, secret = create_client(graph, ["graph:write"])
    partner_platforms.register(graph, name="push-board", kind="JOB_BOARD",
                               connector="schemaorg-jobposting", transport="WEBHOOK",
                               client_id=client_id)
    token = requests.post(f"{served.base}/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(client_id, secret), timeout=30)
    assert token.status_code == 200, token.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return session


def test_json_nested_100k_deep_on_graphql_is_400(served: Served) -> None:
    response = requests.post(f"{served.base}/graphql", data=DEEP,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400
    assert "nested deeper than 64" in _message(response.json())


def test_json_nested_100k_deep_on_the_push_endpoint_is_400(
        served: Served, pusher: requests.Session) -> None:
    response = pusher.post(f"{served.base}/partners/push-board/records", data=DEEP,
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400, response.text
    assert "nested deeper than 64" in _message(response.json())


@pytest.mark.parametrize("body", [b"42", b"null", b'"records"'])
def test_a_push_that_is_not_an_array_or_object_is_400(
        served: Served, pusher: requests.Session, body: bytes) -> None:
    response = pusher.post(f"{served.base}/partners/push-board/records", data=body,
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400, response.text
    assert "JSON array of records" in _message(response.json())


def test_a_push_may_be_larger_than_an_api_request(
        served: Served, pusher: requests.Session) -> None:
    """The push takes whole feeds (16 MiB by default), GraphQL 1 MiB."""
    body = b"[" + b" " * (2 * 1024 * 1024) + b"]"
    api = requests.post(f"{served.base}/graphql", data=body,
                        headers={"Content-Type": "application/json"}, timeout=30)
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "CONTENT_TOO_LARGE"
    pushed = pusher.post(f"{served.base}/partners/push-board/records", data=body,
                         headers={"Content-Type": "application/json"}, timeout=30)
    assert pushed.status_code == 201, pushed.text


def test_a_32_mb_graphql_body_is_refused_unread(served: Served) -> None:
    head = (b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 33554432\r\n\r\n")
    status, _, body = _split(served.raw(head))
    assert status == 413
    assert "1048576 bytes" in body["error"]["message"]


def test_an_oversized_chunked_body_is_413(served: Served) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 65536

    response = requests.post(f"{served.base}/graphql", data=chunks(),
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413


def test_a_malformed_chunked_body_is_400(served: Served) -> None:
    status, _, body = _split(served.raw(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"))
    assert status == 400
    assert body["error"]["code"] == "BAD_REQUEST"


def test_a_well_formed_chunked_graphql_request_is_served(served: Served) -> None:
    query = json.dumps({"query": "{ __typename }"}).encode()
    response = requests.post(f"{served.base}/graphql", data=iter([query[:5], query[5:]]),
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/introspect", "/oauth/revoke"])
def test_basic_credentials_that_are_not_utf8_are_401_invalid_client(
        served: Served, path: str) -> None:
    credentials = base64.b64encode(b"\xff\xfe\xfa:\xc3\x28").decode()
    response = requests.post(f"{served.base}{path}", data={"grant_type": "client_credentials",
                                                          "token": "x"},
                             headers={"Authorization": f"Basic {credentials}"}, timeout=30)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_release_number_of_10_to_the_23_is_404(served: Served) -> None:
    response = requests.get(
        f"{served.base}/kits/courses-and-skills/releases/{10**23}/download", timeout=30)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_gunicorns_own_refusals_are_json(served: Served) -> None:
    status, _, body = _split(served.raw(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert (status, body["error"]["code"]) == (414, "URI_TOO_LONG")
    status, _, body = _split(served.raw(
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n"))
    assert (status, body["error"]["code"]) == (431, "REQUEST_HEADER_FIELDS_TOO_LARGE")
    status, _, body = _split(served.raw(b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"))
    assert status == 400
    assert body["error"]["code"] == "BAD_REQUEST"


def test_a_body_that_never_arrives_is_408(served: Served) -> None:
    """The served app waits CIVICGRAPH_BODY_TIMEOUT_SECONDS=5 for a body, then answers."""
    status, _, body = _split(served.raw(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n0123456789", timeout=60))
    assert status == 408
    assert body["error"]["code"] == "REQUEST_TIMEOUT"


def test_deep_variables_in_a_get_query_are_400(served: Served) -> None:
    variables = b"[" * 2000 + b"]" * 2000
    status, _, body = _split(served.raw(
        b"GET /graphql?query=%7B__typename%7D&variables=" + variables
        + b" HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n"))
    assert status == 400
    assert "nested deeper than 64" in _message(body)
