"""Request bodies read whole, within a size, a time and a JSON depth, before any view runs.

Views used to read bodies themselves, so every way a body can be wrong ended as a 500 from the
middle of a view: a 32 MB body was accepted, a body nested 100,000 deep overflowed Python's
recursion in the JSON parser, a malformed chunk raised from the server's reader. Reading the
body here, once, answers each of those with a 4xx and a JSON error before a view exists:

- larger than the limit of its route (``Content-Length`` or counted while reading a chunked
  body): 413;
- not arriving within ``CIVICGRAPH_BODY_TIMEOUT_SECONDS``: 408 (a client that announces 1,000
  bytes and sends 10 holds one cheap greenlet for that long, never a thread);
- malformed (bad chunk framing, a ``Content-Length`` that is not a number, a disconnect): 400.

JSON is parsed by orjson (no Python recursion, so no ``RecursionError``), after a scan of the raw
bytes refuses anything nested deeper than ``CIVICGRAPH_MAX_JSON_DEPTH``: the views never see a
structure deep enough to overflow the Python code that walks it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

from civicgraph.config import Settings
from civicgraph.core import metrics

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# Routes whose bodies may be larger than an API request: the partner push takes whole feeds.
LARGE_BODY_PREFIXES = ("/partners/",)
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")
_OPENING = frozenset(b"[{")
_ORJSON_OPTIONS = (orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                   | orjson.OPT_PASSTHROUGH_DATACLASS)


class JSONTooDeep(ValueError):
    """Raised before parsing; a ValueError, so Flask answers it as a 400 like any bad JSON."""


def json_depth(data: bytes, stop_at: int) -> int:
    """The nesting depth of a JSON text, or ``stop_at + 1`` as soon as it is known to exceed it.

    Strings are cut out first (brackets inside them do not nest), so only the brackets are
    walked; a request of ordinary shape never gets that far.
    """
    if data.count(b"[") + data.count(b"{") <= stop_at:
        return min(stop_at, data.count(b"[") + data.count(b"{"))
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    depth = deepest = 0
    for byte in brackets:
        if byte in _OPENING:
            depth += 1
            if depth > stop_at:
                return depth
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads_limited(data: str | bytes, max_depth: int) -> Any:
    raw = data.encode() if isinstance(data, str) else data
    if json_depth(raw, max_depth) > max_depth:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels")
    return orjson.loads(raw)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, parsed by orjson within the depth limit (``request.get_json`` uses it)."""

    max_depth = 64

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_limited(s, self.max_depth)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self.encoded(obj).decode()

    def encoded(self, obj: Any) -> bytes:
        """orjson, about ten times faster than the standard library on a nested read's 50 kB
        answer (a measurable part of a request). Keys keep their order (a GraphQL answer's
        follows the selection; Flask's default sorted them); what orjson would write otherwise
        than Flask (dates as HTTP dates, dataclasses) still goes through Flask's ``default``."""
        return orjson.dumps(obj, default=self.default, option=_ORJSON_OPTIONS)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return Response(self.encoded(self._prepare_response_obj(args, kwargs)),
                        mimetype=self.mimetype)


def error_body(code: str, message: str) -> bytes:
    """The JSON every HTTP error of ours has (api/http/errors.py), for answers made below Flask."""
    return orjson.dumps({"error": {"code": code, "message": message}})


def _answer(start_response: StartResponse, status: str, code: str, message: str,
            environ: dict[str, Any]) -> list[bytes]:
    # Counted like the app's answers, under a route of its own: no view ran.
    metrics.http_request("<request body>", str(environ.get("REQUEST_METHOD", "-")),
                         int(status[:3]), "-", 0.0)
    body = error_body(code, message)
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))), ("Connection", "close")])
    return [body]


class BodyGuard:
    """WSGI middleware: reads the whole body within its limits and hands the view a buffer."""

    def __init__(self, app: WSGIApp, settings: Settings) -> None:
        self.app = app
        self.max_bytes = settings.max_body_bytes
        self.max_large_bytes = settings.max_push_body_bytes
        self.timeout = settings.body_timeout_seconds

    def limit_for(self, path: str) -> int:
        return self.max_large_bytes if path.startswith(LARGE_BODY_PREFIXES) else self.max_bytes

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        limit = self.limit_for(environ.get("PATH_INFO", ""))
        raw_length = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(raw_length) if raw_length else 0
        except ValueError:
            return _answer(start_response, "400 Bad Request", "BAD_REQUEST",
                           "Content-Length is not a number", environ)
        if length < 0:
            return _answer(start_response, "400 Bad Request", "BAD_REQUEST",
                           "Content-Length is negative", environ)
        if length > limit:
            return _too_large(start_response, limit, environ)
        if not length and not chunked:
            return self.app(environ, start_response)
        try:
            body = self._read(environ, length if length else limit + 1)
        except TimeoutError:
            return _answer(start_response, "408 Request Timeout", "REQUEST_TIMEOUT",
                           f"the request body did not arrive within {self.timeout:g} s", environ)
        except Exception as exc:  # the server's reader: bad chunk framing, a disconnect
            return _answer(start_response, "400 Bad Request", "BAD_REQUEST",
                           f"the request body could not be read: {type(exc).__name__}",
                           environ)
        if len(body) > limit:
            return _too_large(start_response, limit, environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input_terminated"] = True
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)

    def _read(self, environ: dict[str, Any], most: int) -> bytes:
        sock = environ.get("gunicorn.socket")
        stream = environ["wsgi.input"]
        previous = sock.gettimeout() if sock is not None else None
        if sock is not None:
            sock.settimeout(self.timeout)
        try:
            parts: list[bytes] = []
            remaining = most
            while remaining > 0:
                chunk = stream.read(min(remaining, 64 * 1024))
                if not chunk:
                    break
                parts.append(chunk)
                remaining -= len(chunk)
            return b"".join(parts)
        finally:
            if sock is not None:
                sock.settimeout(previous)


def _too_large(start_response: StartResponse, limit: int,
               environ: dict[str, Any]) -> list[bytes]:
    return _answer(start_response, "413 Content Too Large", "CONTENT_TOO_LARGE",
                   f"the request body is larger than this endpoint takes ({limit} bytes)",
                   environ)
