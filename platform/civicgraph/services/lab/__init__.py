"""The innovation lab: ideas, challenges, proposals, evaluation, pilots, sessions and webhooks.

Every status change goes through :mod:`civicgraph.services.lab.machine`, driven by the tables in
:mod:`civicgraph.services.lab.lifecycles`; nothing else in the lab sets a record's status.
"""
