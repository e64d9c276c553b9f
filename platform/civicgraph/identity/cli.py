"""Identity's command groups: OAuth clients, signing keys, people's accounts and the citizens'
access logs."""

from __future__ import annotations

import json

import click

from civicgraph.config import load_settings
from civicgraph.core.graph import Graph


@click.group()
def clients() -> None:
    """OAuth clients: create, list, revoke."""


@clients.command("create")
@click.option("--name", required=True)
@click.option("--organisation", "organisation_id", help="Id of the organisation it acts for.")
@click.option("--scope", "scopes", multiple=True, required=True, help="Repeat for each scope.")
@click.option("--grant-type", "grant_types", multiple=True, default=["client_credentials"],
              show_default=True, help="client_credentials, authorization_code, refresh_token.")
@click.option("--redirect-uri", "redirect_uris", multiple=True)
@click.option("--public", is_flag=True, help="No secret: a browser or native app using PKCE.")
def clients_create(name: str, organisation_id: str | None, scopes: tuple[str, ...],
                   grant_types: tuple[str, ...], redirect_uris: tuple[str, ...],
                   public: bool) -> None:
    """Register a client and print its id and secret (the secret is shown only now)."""
    from civicgraph.core.errors import DomainError
    from civicgraph.identity.service import clients as oauth_clients

    graph = Graph.from_settings(load_settings())
    try:
        created, secret = oauth_clients.create(
            graph, name=name, organisation_id=organisation_id, scopes=list(scopes),
            grant_types=list(grant_types), redirect_uris=list(redirect_uris), public=public)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()
    click.echo(json.dumps({"clientId": created["clientId"], "clientSecret": secret,
                           "scopes": created["scopes"], "grantTypes": created["grantTypes"]}))


@clients.command("list")
def clients_list() -> None:
    """One JSON line per client (never its secret)."""
    from civicgraph.identity.service import clients as oauth_clients

    graph = Graph.from_settings(load_settings())
    try:
        for row in oauth_clients.list_all(graph):
            row.pop("secretHash", None)
            click.echo(json.dumps(row))
    finally:
        graph.close()


@clients.command("revoke")
@click.argument("client_id")
def clients_revoke(client_id: str) -> None:
    """Refuse the client's tokens from now on: new ones, refresh tokens and live access tokens."""
    import redis

    from civicgraph.core.errors import DomainError
    from civicgraph.identity.oauth.tokens import mark_client_revoked
    from civicgraph.identity.service import clients as oauth_clients

    settings = load_settings()
    graph = Graph.from_settings(settings)
    try:
        oauth_clients.revoke(graph, client_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()
    mark_client_revoked(redis.Redis.from_url(settings.redis_url), client_id)
    click.echo(f"revoked {client_id}")


@click.group()
def keys() -> None:
    """Signing keys for access tokens."""


@keys.command("rotate")
def keys_rotate() -> None:
    """Sign with a new key from now on; older keys stay published until their tokens expired."""
    from civicgraph.identity.oauth.keys import KeyRing

    kid, removed = KeyRing(load_settings().keys_dir).rotate()
    click.echo(json.dumps({"signingKey": kid, "removed": removed}))


@click.group()
def accounts() -> None:
    """People's accounts (sign-in with the authorization code flow)."""


@accounts.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              help="CITIZEN, EXPERT, LAB_STAFF, PARTICIPANT or ADMIN; repeat for several.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def accounts_create(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    from civicgraph.core.errors import DomainError
    from civicgraph.identity.service import accounts as service

    graph = Graph.from_settings(load_settings())
    try:
        person = service.create(graph, email=email, name=name, password=password,
                                roles=list(roles))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        graph.close()
    click.echo(json.dumps(person))


@click.group("access-log")
def access_log() -> None:
    """The citizens' hash-chained access logs: verify a download, sign a checkpoint."""


def _read_json(source: str) -> object:
    """A JSON document from a file or an http(s) URL."""
    import urllib.request
    from pathlib import Path

    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=10) as response:
            return json.loads(response.read().decode("utf-8"))
    return json.loads(Path(source).read_text(encoding="utf-8"))


@access_log.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--jwks", "jwks_source", help="URL or file of the JWKS; default: the file's "
              "jwks_uri.")
def access_log_verify(file: str, jwks_source: str | None) -> None:
    """Check a downloaded access log (civicgraph-access-log.json): exit 1 naming the first
    event that was changed, removed, inserted or moved, or a signature that does not hold."""
    from civicgraph.identity.service import access_log as service

    try:
        document = _read_json(file)
    except ValueError as exc:
        raise click.ClickException(f"{file} is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise click.ClickException(f"{file} is not an access log (a JSON object)")
    source = jwks_source or str(document.get("jwks_uri") or "")
    if not source:
        raise click.ClickException("no JWKS: give --jwks URL_OR_FILE")
    try:
        jwks = _read_json(source)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"cannot read the JWKS from {source}: {exc}") from exc
    verdict = service.verify(document, jwks if isinstance(jwks, dict) else {})
    click.echo(str(verdict))
    if not verdict.ok:
        raise SystemExit(1)


@access_log.command("checkpoint")
def access_log_checkpoint() -> None:
    """Sign every chain's head now (as the beat task does hourly) and print the checkpoint."""
    from civicgraph.identity.oauth.keys import KeyRing
    from civicgraph.identity.service import access_log as service

    settings = load_settings()
    graph = Graph.from_settings(settings)
    try:
        made = service.make_checkpoint(graph, KeyRing(settings.keys_dir).signing_key())
    finally:
        graph.close()
    click.echo(json.dumps({k: made[k] for k in ("id", "at", "chains")}))


@access_log.command("rehash")
def access_log_rehash() -> None:
    """Hash the chains migration V141 numbered but could not hash (events logged before it)."""
    from civicgraph.identity.service import access_log as service

    graph = Graph.from_settings(load_settings())
    try:
        click.echo(json.dumps({"chainsHashed": service.rehash_pending(graph)}))
    finally:
        graph.close()


GROUPS = (clients, keys, accounts, access_log)
