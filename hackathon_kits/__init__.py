"""Hackathon data kits: YAML specs, shipped open data and the builder that turns them into releases.

The builder is a library with no knowledge of Neo4j, Celery or Flask: the platform's kits service
hands it row sources and a progress callback, so the same pipeline runs in a worker, a benchmark
or a test.
"""
