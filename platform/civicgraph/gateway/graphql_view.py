"""``/graphql``: POST and GET queries, and GraphiQL for a browser that asks for HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.api.context import RequestContext
from civicgraph.api.http.bearer import principal_or_401
from civicgraph.api.limits import Limits
from civicgraph.compiler import json_text
from civicgraph.core import metrics
from civicgraph.core.access import Principal
from civicgraph.core.graph import StatementLog, recording_statements
from civicgraph.core.outages import unavailable
from civicgraph.gateway import execution

STATIC_DIR = Path(__file__).resolve().parent / "static"
bp = Blueprint(
    "graphql",
    __name__,
    template_folder="templates",
    static_folder=str(STATIC_DIR),
    static_url_path="/graphql/static",
)

DEFAULT_QUERY = """# Welcome to CivicGraph. Try:
query {
  organisations(first: 5) {
    totalCount
    edges { node { id name kind region partners { name } } }
  }
}
"""


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and "query" not in request.args


def _context(principal: Principal) -> RequestContext:
    ext: dict[str, Any] = current_app.extensions["civicgraph"]
    return RequestContext(graph=ext["graph"], tasks=ext["tasks"], request_id=g.request_id,
                          principal=principal, introspection=ext["settings"].introspection,
                          settings=ext["settings"], limits=Limits.from_settings(ext["settings"]))


def _respond(query: Any, variables: Any, operation_name: Any, allow_mutations: bool) -> Response:
    settings = current_app.extensions["civicgraph"]["settings"]
    g.graphql_operation = metrics.operation_label(operation_name)
    try:
        principal = principal_or_401()
        if isinstance(principal, Response):
            return principal
        # This answer is written straight out: its page items may come as the database's
        # JSON text (compiler/json_text.py).
        wanted = json_text.WANTED.set(True)
        try:
            with recording_statements() as statements:
                result = execution.run(
                    query, variables, operation_name, _context(principal),
                    allow_mutations=allow_mutations,
                )
        finally:
            json_text.WANTED.reset(wanted)
    except Exception as exc:
        outage = unavailable(exc)
        if outage is None:
            raise
        result = execution.outage_response(outage, settings.retry_after_seconds)
        statements = StatementLog()
    body = result.body
    if settings.debug_cypher:
        body.setdefault("extensions", {})["cypher"] = statements.entries
    response = jsonify(body)
    response.status_code = result.status
    response.headers.update(result.headers)
    return response


@bp.get("/graphql")
def graphql_get() -> ResponseReturnValue:
    if _wants_html():
        settings = current_app.extensions["civicgraph"]["settings"]
        if not settings.graphiql:
            return jsonify(errors=[{"message": "GraphiQL is off in this deployment",
                                    "extensions": {"code": "NOT_FOUND"}}]), 404
        assets = (STATIC_DIR / "node_modules" / "graphiql" / "graphiql.min.js").exists()
        return render_template(
            "graphiql.html", assets=assets, endpoint=request.path, default_query=DEFAULT_QUERY
        )
    variables: Any = None
    raw_variables = request.args.get("variables")
    if raw_variables:
        try:
            variables = current_app.json.loads(raw_variables)
        except ValueError as exc:
            return jsonify(errors=[{"message": f"variables is not usable JSON: {exc}",
                                    "extensions": {"code": "BAD_REQUEST"}}]), 400
    return _respond(
        request.args.get("query"), variables, request.args.get("operationName"), False
    )


@bp.post("/graphql")
def graphql_post() -> ResponseReturnValue:
    try:
        # The app's JSON provider refuses a body nested too deep before parsing (api/http/body.py).
        payload = current_app.json.loads(request.get_data()) if request.is_json else None
    except ValueError as exc:
        return jsonify(errors=[{"message": f"The body is not usable JSON: {exc}",
                                "extensions": {"code": "BAD_REQUEST"}}]), 400
    if not isinstance(payload, dict):
        return jsonify(errors=[{
            "message": "POST a JSON object: {\"query\": ..., \"variables\": {...}}",
            "extensions": {"code": "BAD_REQUEST"},
        }]), 400
    return _respond(
        payload.get("query"), payload.get("variables"), payload.get("operationName"), True
    )
