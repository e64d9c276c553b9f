"""A real HTTP feed server for the sync tests: pages, ETags, 429s, 500s, all on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FeedServer:
    """Serves ``/<feed>?page=N`` as a schema.org ItemList, with a Link rel="next" header.

    ``faults[path]`` lists (status, headers) answers to give before the real page, once each;
    ``delay`` slows every page down (for killing a worker mid-sync); ``log`` records each answer.
    """

    def __init__(self) -> None:
        self.feeds: dict[str, list[list[Any]]] = {}
        self.faults: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.delay = 0.0
        self.log: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.port = 0

    def url(self, feed: str) -> str:
        return f"http://127.0.0.1:{self.port}/{feed}?page=1"

    def answers(self, path: str) -> list[int]:
        return [status for p, status in self.log if p == path]

    def body(self, feed: str, page: int) -> tuple[bytes, bool]:
        pages = self.feeds[feed]
        items = pages[page - 1] if 0 < page <= len(pages) else []
        body = {"@context": "https://schema.org/", "@type": "ItemList",
                "itemListElement": [{"@type": "ListItem", "position": i + 1, "item": item}
                                    for i, item in enumerate(items)]}
        return json.dumps(body, sort_keys=True).encode(), page < len(pages)


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, path: str, status: int, headers: dict[str, str],
                    body: bytes = b"") -> None:
            with server.lock:
                server.log.append((path, status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parsed = urllib.parse.urlparse(self.path)
            feed = parsed.path.strip("/")
            page = int(urllib.parse.parse_qs(parsed.query).get("page", ["1"])[0])
            path = f"/{feed}?page={page}"
            if server.delay:
                time.sleep(server.delay)
            with server.lock:
                queued = server.faults.get(path) or []
                fault = queued.pop(0) if queued else None
            if fault is not None:
                self._answer(path, fault[0], fault[1], b'{"error": "try again"}')
                return
            if feed not in server.feeds:
                self._answer(path, 404, {})
                return
            body, more = server.body(feed, page)
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(path, 304, {"ETag": etag})
                return
            headers = {"Content-Type": "application/ld+json", "ETag": etag}
            if more:
                headers["Link"] = f'</{feed}?page={page + 1}>; rel="next"'
            self._answer(path, 200, headers, body)

    return Handler


@contextmanager
def serving() -> Iterator[FeedServer]:
    server = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


def posting(n: int, skills: list[tuple[str, bool]] | None = None, title: str | None = None,
            employer: str = "Feed Test Employer Ltd") -> dict[str, Any]:
    """A schema.org JobPosting as a job board publishes it."""
    terms = [{"@type": "DefinedTerm", "@id": f"urn:esco-sample:skill:{s}", "name": s,
              **({} if essential else {"esco:relationType": "optional"})}
             for s, essential in (skills or [("python", True), ("sql", False)])]
    return {
        "@context": "https://schema.org/", "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "value": f"JOB-{n:05d}"},
        "title": title or f"Job {n}", "description": f"Posting number {n}",
        "datePosted": "2026-11-01", "validThrough": "2099-01-01",
        "hiringOrganization": {"@type": "Organization", "name": employer},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Leeds"}},
        "employmentType": "FULL_TIME",
        "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP",
                       "value": {"@type": "QuantitativeValue", "minValue": 25000,
                                 "maxValue": 30000, "unitText": "YEAR"}},
        "skills": terms,
    }
