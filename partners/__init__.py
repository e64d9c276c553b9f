"""Connectors to partner platforms: one module per feed format, on the contract in ``contract``.

This package knows feed formats and transports only (fetching, parsing, mapping onto graph
records); it never imports the platform. ``partners.service.sync`` drives it and writes
the mapped records to the graph.
"""
