"""``create_app``: the only place the web application is assembled.

``flask --app civicgraph.app:create_app run`` or gunicorn ``'civicgraph.app:create_app()'``.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

from civicgraph import console
from civicgraph.api.http import body, errors, health, metrics, request_log, sessions
from civicgraph.config import Settings, load_settings
from civicgraph.core.graph import Graph
from civicgraph.core.observability import configure_logging
from civicgraph.core.queue import CeleryTaskQueue, create_celery
from civicgraph.gateway import graphql_view
from civicgraph.identity import pages as identity_pages
from civicgraph.identity import pages_log as identity_pages_log
from civicgraph.identity import pages_purposes as identity_purposes
from civicgraph.identity import pages_rights as identity_rights
from civicgraph.identity import signin as identity_signin
from civicgraph.identity.oauth import routes as oauth
from civicgraph.identity.oauth import server as auth_server
from civicgraph.lab import pages as lab_pages
from hackathon_kits import pages as kits
from partners import routes as partner_webhook

# Each domain's console pages, in the order their routes go on the console's blueprint.
CONSOLE_PAGES = (
    identity_signin, *lab_pages.PAGES, identity_pages, identity_rights, identity_pages_log,
    identity_purposes,
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    settings: Settings = load_settings().with_overrides(overrides)
    configure_logging(settings.log_level, settings.log_json)

    app = Flask(__name__)
    app.config.update(SETTINGS=settings, JSON_SORT_KEYS=False)
    app.json = body.JSONProvider(app)
    app.json.max_depth = settings.max_json_depth
    app.wsgi_app = body.BodyGuard(app.wsgi_app, settings)  # type: ignore[method-assign]
    app.session_interface = sessions.CookieSessions()
    graph = Graph.from_settings(settings, interactive=True)
    # One immediate retry (a connection a Redis restart broke is replaced), then the error,
    # which the error handlers answer 503 (core/outages.py); redis-py's default retries with
    # growing pauses.
    redis_client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=settings.redis_timeout,
        socket_timeout=settings.redis_timeout, retry=Retry(NoBackoff(), 1))
    app.extensions["civicgraph"] = {
        "settings": settings,
        "graph": graph,
        "redis": redis_client,
        "redis_ping": redis_client.ping,
        "tasks": CeleryTaskQueue(create_celery(settings, interactive=True)),
    }

    auth_server.init_app(app, settings, graph, redis_client)

    request_log.register(app)
    errors.register(app, pages=(console.error_page,))
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(graphql_view.bp)
    app.register_blueprint(oauth.bp)
    app.register_blueprint(kits.bp)
    app.register_blueprint(partner_webhook.bp)
    console.init_app(app, CONSOLE_PAGES, (lab_pages.templates, identity_pages.templates))
    return app
