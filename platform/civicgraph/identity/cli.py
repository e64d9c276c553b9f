"""Identity's command groups: OAuth clients, signing keys and people's accounts."""

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


GROUPS = (clients, keys, accounts)
