"""``python -m civicgraph.cli``: the same command as ``civicgraph``."""

from civicgraph.cli import main

main()
