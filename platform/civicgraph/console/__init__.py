"""The lab console: server-rendered pages for lab staff, experts, citizens and the public.

Every action calls the same services as GraphQL, with the ``Actor`` made by the same function
(``services.lab.actor.actor_for``) from the principal of the signed-in person's access token.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, before_render_template, request, session
from flask_babel import Babel, gettext

from civicgraph.config import Settings
from civicgraph.console.forms import show_kept_failure
from civicgraph.console.shell import bp, error_page

LANGUAGES = ("en", "fr")
SOURCE = Path(__file__).resolve().parent / "translations"

__all__ = ["error_page", "init_app"]


def _locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    kept = session.get("lang")
    if kept in LANGUAGES:
        return str(kept)
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _compile_translations(out: Path) -> Path:
    """The committed .po catalogues, compiled to .mo under var/ (no binary file in the repo)."""
    for po in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        target = out / po.relative_to(SOURCE).with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= po.stat().st_mtime:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source:
            catalog = read_po(source)
        partial = target.with_name(f"messages.{os.getpid()}.tmp")
        with partial.open("wb") as sink:
            write_mo(sink, catalog)
        os.replace(partial, target)  # several web workers may compile at once
    return out


_registered: set[str] = set()


def _register_pages(pages: Sequence[ModuleType]) -> None:
    """Routes go on the blueprint once per process: a blueprint takes no new routes after its
    first registration, and the tests build several apps in one process."""
    for module in pages:
        if module.__name__ not in _registered:
            module.register(bp)
            _registered.add(module.__name__)


def init_app(app: Flask, pages: Sequence[ModuleType], folders: Sequence[Blueprint]) -> None:
    """The shell (layout, languages, errors) with each domain's page modules on it, each with a
    ``register(bp)``; ``folders`` are route-less blueprints that carry the domains' templates."""
    _register_pages(pages)
    settings: Settings = app.config["SETTINGS"]
    compiled = _compile_translations(Path(settings.var_dir) / "translations")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    Babel(app, locale_selector=_locale)
    # A service's message in the reader's language where the catalogue has it (a message with
    # values in it has none, and is shown as the service wrote it).
    app.jinja_env.filters["translated"] = gettext
    before_render_template.connect(show_kept_failure, app)
    app.register_blueprint(bp)
    for folder in folders:
        app.register_blueprint(folder)
