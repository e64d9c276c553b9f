"""The soak's load: 32 clients reading, writing with versions, using and revoking tokens
and pushing partner records, each answer written in the ledger; and the slow clients."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests

from bench.soak_report import Answer

if TYPE_CHECKING:
    from bench.soak import Stack

CLIENTS = 32
SLOW_CLIENTS = 20
REQUEST_TIMEOUT = 15.0

READ = """query Soak { organisations(first: 5, orderBy: [{field: NAME}]) {
  totalCount edges { node { id name region } } } }"""
WRITE = """mutation Soak($id: ID!, $version: Int!, $value: String!) {
  updateSkill(input: {id: $id, version: $version, name: $value}) { skill { id version name } } }"""
# A read that needs the token (graph:read): before its revocation it must answer 200, or the
# refusals after it would prove nothing.
TOKEN_READ = "{ partnerFeeds(first: 1) { totalCount } }"


@dataclass
class Ledger:
    """What the clients were told, to compare with the graph afterwards."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: list[Answer] = field(default_factory=list)
    # skill id -> the values sent, in order, each with True (acknowledged) or None (no answer)
    writes: dict[str, list[tuple[str, bool | None]]] = field(default_factory=dict)
    revoked: list[str] = field(default_factory=list)
    resurrected: int = 0
    pushed_keys: set[str] = field(default_factory=set)

    def answer(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


class Client:
    """One of the 32: its own HTTP session, admin token and skills."""

    def __init__(self, stack: Stack, ledger: Ledger, creds: dict[str, Any],
                 skills: list[str], seed_value: int) -> None:
        self.stack = stack
        self.ledger = ledger
        self.creds = creds
        self.http = requests.Session()
        self.rng = random.Random(seed_value)
        self.versions = dict.fromkeys(skills, 1)
        self.token: str | None = None

    def call(self, kind: str, method: str, path: str, **kwargs: Any
             ) -> tuple[int, dict[str, Any]]:
        started = time.monotonic()
        status, body = 0, {}
        try:
            response = self.http.request(method, self.stack.url + path,
                                         timeout=REQUEST_TIMEOUT, **kwargs)
            status = response.status_code
            with contextlib.suppress(ValueError):
                body = response.json()
        except requests.RequestException:
            pass
        errors = (body.get("errors") if isinstance(body, dict) else None) or []
        internal = any((e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
                       for e in errors)
        self.ledger.answer(Answer(started, kind, status, time.monotonic() - started, internal))
        return status, body if isinstance(body, dict) else {}

    def fetch_token(self, who: str) -> str | None:
        client_id, secret = self.creds[who]
        status, body = self.call("token", "POST", "/oauth/token",
                                 data={"grant_type": "client_credentials"},
                                 auth=(client_id, secret))
        return str(body["access_token"]) if status == 200 and "access_token" in body else None

    def gql(self, kind: str, query: str, variables: dict[str, Any], token: str
            ) -> tuple[int, dict[str, Any]]:
        return self.call(kind, "POST", "/graphql", json={"query": query, "variables": variables},
                         headers={"Authorization": f"Bearer {token}"})

    def step(self) -> None:
        if self.token is None:
            self.token = self.fetch_token("admin")
            if self.token is None:
                time.sleep(0.5)
                return
        roll = self.rng.random()
        if roll < 0.5:
            status, _ = self.gql("read", READ, {}, self.token)
            if status == 401:
                self.token = None
        elif roll < 0.75:
            self.write()
        elif roll < 0.9:
            self.revoke_one()
        else:
            self.push()

    def write(self) -> None:
        assert self.token is not None
        skill = self.rng.choice(list(self.versions))
        value = f"soak {uuid.uuid4().hex[:12]}"
        status, body = self.gql("write", WRITE, {"id": skill, "version": self.versions[skill],
                                                 "value": value}, self.token)
        data = (body.get("data") or {}).get("updateSkill") if status == 200 else None
        errors = body.get("errors") or []
        code = (errors[0].get("extensions") or {}).get("code") if errors else None
        with self.ledger.lock:
            sent = self.ledger.writes.setdefault(skill, [])
            if data and not errors:
                sent.append((value, True))
                self.versions[skill] = int(data["skill"]["version"])
            elif code == "CONFLICT":
                # Only this client writes this skill: a conflict means an earlier write that
                # got no answer did land. Carry on from the version the server has.
                self.versions[skill] = int(errors[0]["extensions"]["currentVersion"])
            elif code not in ("BAD_USER_INPUT", "FORBIDDEN", "UNAUTHENTICATED"):
                sent.append((value, None))  # unknown outcome: it may have landed
        if status == 401:
            self.token = None

    def revoke_one(self) -> None:
        token = self.fetch_token("victim")
        if token is None:
            return
        before, _ = self.gql("token-use", TOKEN_READ, {}, token)
        if before != 200:
            return  # not a working token (an outage, or a read the API refuses): no test
        client_id, secret = self.creds["victim"]
        status, _ = self.call("revoke", "POST", "/oauth/revoke", data={"token": token},
                              auth=(client_id, secret))
        if status != 200:
            return
        with self.ledger.lock:
            self.ledger.revoked.append(token)
        after, _ = self.gql("token-use", TOKEN_READ, {}, token)
        if after == 200:
            with self.ledger.lock:
                self.ledger.resurrected += 1

    def push(self) -> None:
        token = self.fetch_token("pusher")
        if token is None:
            return
        keys = [f"SOAK-{uuid.uuid4().hex[:10]}" for _ in range(2)]
        status, _ = self.call("push", "POST", "/partners/soak-board/records",
                              json=[posting(k) for k in keys],
                              headers={"Authorization": f"Bearer {token}"})
        if status == 201:
            with self.ledger.lock:
                self.ledger.pushed_keys.update(keys)


def posting(key: str) -> dict[str, Any]:
    return {"@context": "https://schema.org/", "@type": "JobPosting",
            "identifier": {"@type": "PropertyValue", "name": "Soak board", "value": key},
            "title": f"Soak job {key}", "description": "A job posted during the soak.",
            "datePosted": "2026-11-02", "validThrough": "2099-06-30T23:59:59Z",
            "hiringOrganization": {"@type": "Organization", "name": "SOAK EMPLOYER LTD",
                                   "identifier": {"@type": "PropertyValue",
                                                  "propertyID": "GB-COH", "value": "09999999"},
                                   "address": {"@type": "PostalAddress",
                                               "addressLocality": "LEEDS",
                                               "addressCountry": "GB"}},
            "jobLocation": {"@type": "Place", "address": {
                "@type": "PostalAddress", "addressLocality": "Leeds", "addressRegion": "North",
                "addressCountry": "GB"}},
            "employmentType": "FULL_TIME"}


def slow_clients(stack: Stack, count: int, hold: float) -> float:
    """``count`` connections that announce a 1,000-byte body and send 10 bytes, held ``hold``
    seconds; returns the slowest /healthz answer seen meanwhile (inf: none came)."""
    sockets = []
    for _ in range(count):
        with contextlib.suppress(OSError):
            sock = socket.create_connection(("127.0.0.1", stack.web_port), timeout=5)
            sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: soak\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                         b'{"query":')
            sockets.append(sock)
    worst = 0.0
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            requests.get(stack.url + "/healthz", timeout=hold)
            worst = max(worst, time.monotonic() - started)
        except requests.RequestException:
            worst = float("inf")
        time.sleep(0.5)
    for sock in sockets:
        sock.close()
    return worst
