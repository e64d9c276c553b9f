"""Reading feeds: HTTP JSON pages (with ETag / If-Modified-Since, 429 and retries) and file drops.

JSON is parsed with orjson (several times faster than the standard library on large drops).
Retries are bounded: a feed that keeps failing fails the sync run (which can resume later from
its cursor) rather than holding a worker forever.
"""

from __future__ import annotations

import contextlib
import csv
import email.utils
import hashlib
import io
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

_LINK_NEXT = re.compile(r'<([^>]+)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


class FetchError(RuntimeError):
    """The feed could not be read after bounded retries (or answered with a client error)."""


@dataclass
class Page:
    url: str
    items: list[Any] = field(default_factory=list)
    next_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    # sha256 of the body: a feed without ETags still lets a re-sync skip an identical page.
    body_hash: str | None = None


def parse_records(body: bytes, fmt: str) -> list[Any]:
    """Records in a JSON(-LD) or CSV body.

    JSON: a list, an ItemList's `itemListElement` (ListItem `item`s unwrapped), a JSON-LD
    `@graph`, an API's `items`/`data`, or one object. CSV: rows keyed by stripped header names.
    """
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(reader, [])]
        return [dict(zip(header, row, strict=False)) for row in reader if any(row)]
    data = orjson.loads(body.removeprefix(b"\xef\xbb\xbf"))
    if not isinstance(data, Mapping | list):
        # orjson's error is a json.JSONDecodeError: callers treat both alike.
        raise orjson.JSONDecodeError(
            f"a feed body is a list of records or an object, not {type(data).__name__}",
            body.decode("utf-8", "replace")[:100], 0)
    return records_in(data)


def records_in(data: Mapping[str, Any] | list[Any]) -> list[Any]:
    """The records of a parsed JSON(-LD) body (see ``parse_records``), so a caller that has
    already parsed the body (the push route, with its depth limit) does not parse it again."""
    if isinstance(data, Mapping):
        for name in ("itemListElement", "@graph", "items", "data"):
            if isinstance(data.get(name), list):
                data = data[name]
                break
        else:
            data = [data]
    return [item.get("item", item) if isinstance(item, Mapping) and "item" in item
            and isinstance(item.get("item"), Mapping) else item for item in data]


def _next_link(url: str, header: str | None, body: Any) -> str | None:
    if header:
        match = _LINK_NEXT.search(header)
        if match:
            return str(urllib.parse.urljoin(url, match.group(1)))
    if isinstance(body, Mapping) and isinstance(body.get("next"), str) and body["next"]:
        return str(urllib.parse.urljoin(url, str(body["next"])))
    return None


def _retry_after(value: str | None, cap: float) -> float:
    """Retry-After as seconds or an HTTP date (RFC 9110), never longer than ``cap``."""
    if not value:
        return 1.0
    with contextlib.suppress(ValueError):
        return min(cap, max(0.0, float(value)))
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        return min(cap, max(0.0, when.timestamp() - time.time()))
    return 1.0


@dataclass
class HttpFetcher:
    max_attempts: int = 6
    backoff: float = 0.25
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def fetch(self, url: str, fmt: str, validators: Mapping[str, str] | None = None,
              headers: Mapping[str, str] | None = None) -> Page:
        request_headers = {"Accept": "application/ld+json, application/json, text/csv",
                           **(headers or {})}
        if validators and validators.get("etag"):
            request_headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("lastModified"):
            request_headers["If-Modified-Since"] = validators["lastModified"]
        delay = self.backoff
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(url, headers=request_headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                    return self._page(url, fmt, body, response.headers)
            except urllib.error.HTTPError as exc:
                if exc.code == 304:
                    return Page(url=url, not_modified=True,
                                etag=exc.headers.get("ETag") or (validators or {}).get("etag"),
                                last_modified=exc.headers.get("Last-Modified")
                                or (validators or {}).get("lastModified"))
                if exc.code == 429:
                    wait = _retry_after(exc.headers.get("Retry-After"), self.max_retry_after)
                    log.info("feed %s asked us to wait %.1fs (429)", url, wait)
                elif exc.code >= 500:
                    wait = delay
                    log.info("feed %s answered %s; retrying in %.2fs", url, exc.code, wait)
                else:
                    raise FetchError(f"{url} answered {exc.code} {exc.reason}") from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                wait = delay
                log.info("feed %s unreachable (%s); retrying in %.2fs", url, exc, wait)
            if attempt == self.max_attempts:
                break
            self.sleep(wait)
            delay = min(self.max_backoff, delay * 2)
        raise FetchError(f"{url} still failing after {self.max_attempts} attempts")

    @staticmethod
    def _page(url: str, fmt: str, body: bytes, headers: Any) -> Page:
        parsed: Any = None
        if fmt == "json":
            try:
                parsed = orjson.loads(body.removeprefix(b"\xef\xbb\xbf"))
            except json.JSONDecodeError as exc:
                raise FetchError(f"{url} did not return JSON: {exc}") from exc
        return Page(
            url=url,
            items=parse_records(body, fmt),
            next_url=_next_link(url, headers.get("Link"), parsed),
            etag=headers.get("ETag"),
            last_modified=headers.get("Last-Modified"),
            body_hash=hashlib.sha256(body).hexdigest(),
        )


def read_file(path: str | Path, fmt: str) -> tuple[list[Any], str]:
    """A dropped file's records and the sha256 of its bytes (the file's own "ETag")."""
    data = Path(path).read_bytes()
    return parse_records(data, fmt), hashlib.sha256(data).hexdigest()
