"""The lab console: server-rendered pages for lab staff, experts, citizens and the public.

Every action calls the same services as GraphQL, with the ``Actor`` made by the same function
(``services.lab.actor.actor_for``) from the principal of the signed-in person's access token.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel

from civicgraph.http.console import auth, citizen, expert, public, staff
from civicgraph.http.console.core import bp

LANGUAGES = ("en", "fr")

__all__ = ["init_app"]


def _locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    kept = session.get("lang")
    if kept in LANGUAGES:
        return str(kept)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def init_app(app: Flask) -> None:
    for module in (auth, public, staff, expert, citizen):
        module.register(bp)
    Babel(app, locale_selector=_locale)
    app.register_blueprint(bp)
