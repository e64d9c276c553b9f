"""A console session outlives its 15-minute access token: the refresh token renews it, once,
even when two pages of one browser find it expired together; sign-out ends both tokens."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt

from civicgraph.console.shell import TOKEN_KEY
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.oauth.keys import ALG
from civicgraph.identity.signin import REFRESH_KEY
from tests.console.test_console_auth import _csrf, _signed_in


def _expire_access_token(app: Flask, browser: FlaskClient) -> str:
    """The session's access token as the server signed it, but issued 20 minutes ago (so it
    expired 5 minutes ago); returns the refresh token the session holds."""
    ext = app.extensions["civicgraph_auth"]
    with browser.session_transaction() as session:
        claims: dict[str, Any] = dict(ext.verifier.decode(session[TOKEN_KEY]))
        now = int(time.time())
        claims.update(iat=now - 20 * 60, exp=now - 5 * 60)
        key = ext.keyring.signing_key()
        session[TOKEN_KEY] = jwt.encode({"alg": ALG, "typ": "at+jwt", "kid": key.kid}, claims,
                                        key)
        refresh: str = session[REFRESH_KEY]
    return refresh


def _tokens(browser: FlaskClient) -> tuple[str, str]:
    with browser.session_transaction() as session:
        return session[TOKEN_KEY], session[REFRESH_KEY]


def test_an_expired_access_token_is_renewed_and_the_page_served(
    app: Flask, graph: Graph
) -> None:
    browser = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    old_refresh = _expire_access_token(app, browser)
    expired, _ = _tokens(browser)
    page = browser.get("/console/staff")
    assert page.status_code == 200 and "Lab figures" in page.get_data(as_text=True)
    access, refresh = _tokens(browser)
    assert access != expired and refresh != old_refresh  # renewed, and the refresh rotated
    claims = app.extensions["civicgraph_auth"].verifier.verify(access).claims
    assert claims["exp"] > time.time() + 10 * 60 and "LAB_STAFF" in claims["roles"]


def test_two_pages_that_find_it_expired_together_keep_the_session(
    app: Flask, graph: Graph
) -> None:
    """Both requests send the same refresh token; had both used it, the second use would have
    looked like theft and revoked the family, signing the person out everywhere."""
    browser = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    _expire_access_token(app, browser)
    cookie = browser.get_cookie("session")
    assert cookie is not None
    tabs = [app.test_client() for _ in range(4)]
    for tab in tabs:
        tab.set_cookie("session", cookie.value)
    start = threading.Barrier(len(tabs))
    statuses: list[int] = []

    def open_page(tab: FlaskClient) -> None:
        start.wait()
        statuses.append(tab.get("/console/staff").status_code)

    threads = [threading.Thread(target=open_page, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * len(tabs)
    pairs = {_tokens(tab) for tab in tabs}
    assert len(pairs) == 1  # one renewal, handed to every tab
    # The family was not revoked: the renewed refresh token still renews.
    tab = tabs[0]
    _expire_access_token(app, tab)
    assert tab.get("/console/staff").status_code == 200
    live = graph.run("MATCH (t:RefreshToken) WHERE t.revokedAt IS NULL RETURN count(t) AS n")
    assert live[0]["n"] == 1


def test_sign_out_revokes_the_refresh_token_too(app: Flask, graph: Graph) -> None:
    browser = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    _expire_access_token(app, browser)
    stolen = browser.get_cookie("session")
    assert stolen is not None
    page = browser.get("/console/staff")
    assert page.status_code == 200
    current = browser.get_cookie("session")
    assert current is not None
    assert browser.post("/console/logout",
                        data={"csrf_token": _csrf(page.get_data(as_text=True))}).status_code == 302
    # A copy of the cookie taken before sign-out, its access token expired: the refresh token
    # it holds was rotated or revoked, so nothing renews it.
    for copy in (stolen, current):
        replay = app.test_client()
        replay.set_cookie("session", copy.value)
        refused = replay.get("/console/staff")
        assert refused.status_code == 302 and "/console/login" in refused.headers["Location"]
    live = graph.run("MATCH (t:RefreshToken) WHERE t.revokedAt IS NULL RETURN count(t) AS n")
    assert live[0]["n"] == 0
