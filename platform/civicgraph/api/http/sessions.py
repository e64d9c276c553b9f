"""Flask's signed-cookie sessions, opened for nothing when a request sends no cookie.

Flask opens the session of every request before its view: it builds an itsdangerous signer
(which serialises ``{}`` once to learn its kind) and parses the cookies. API clients send no
cookies, so on a GraphQL read that was a measurable slice of the request's own CPU (about 60
Python calls of some 1,200 above the statement's). A request without a ``Cookie`` header gets
the empty session Flask would have made for it, so the console's signed-in browser, which does
send its cookie, is served exactly as before.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None  # as Flask's: its null session refuses writes
        if not request.environ.get("HTTP_COOKIE"):
            return self.session_class()
        return super().open_session(app, request)
