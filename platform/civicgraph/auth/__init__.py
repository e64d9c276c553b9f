"""Authlib's wiring: the authorization server, its grants and endpoints, keys and tokens.

It sits beside ``civicgraph.graphql`` (neither imports the other) and above the services: the
HTTP layer uses it to issue tokens and to turn a bearer token into a ``Principal``.
"""
