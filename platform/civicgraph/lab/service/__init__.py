"""The innovation lab: ideas, challenges, proposals, evaluation, pilots, sessions and webhooks.

Every status change goes through :mod:`civicgraph.lab.service.machine`, driven by the tables in
:mod:`civicgraph.lab.service.lifecycles`; nothing else in the lab sets a record's status.
"""
