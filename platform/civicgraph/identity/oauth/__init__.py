"""Authlib's wiring: the authorization server, its grants and endpoints, keys and tokens, and
the HTTP routes of ``/oauth/*`` with the login page.

It sits above identity's services: the gateway uses it to issue tokens and to turn a bearer
token into a ``Principal``.
"""
