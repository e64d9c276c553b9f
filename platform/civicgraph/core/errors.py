"""Typed domain errors: services raise them, the GraphQL layer turns each into an error code.

Keeping the code on the exception means a resolver never decides what a failure is called, and
HTTP handlers can map the same errors to 4xx statuses.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure the caller can act on; its message is safe to show."""

    code = "INTERNAL_SERVER_ERROR"
    http_status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadInput(DomainError):
    code = "BAD_USER_INPUT"
    http_status = 400


class NotFound(DomainError):
    code = "NOT_FOUND"
    http_status = 404


class Conflict(DomainError):
    code = "CONFLICT"
    http_status = 409


class Forbidden(DomainError):
    code = "FORBIDDEN"
    http_status = 403


class Unauthenticated(DomainError):
    """No token, or one that cannot be trusted: the caller must (re)authenticate."""

    code = "UNAUTHENTICATED"
    http_status = 401


class ServiceUnavailable(DomainError):
    """A dependency (Neo4j, Redis) does not answer: retry later; nothing was decided about the
    caller's input. HTTP answers it 503 with ``Retry-After`` (core/outages.py finds it in the
    driver's and the clients' own exceptions)."""

    code = "SERVICE_UNAVAILABLE"
    http_status = 503
