# CivicGraph: `make run` starts everything and seeds a demo; `make test` runs lint and the tests
# against real Neo4j, Redis and Celery. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.civicgraph-installed
NEO4J_DIR := neo4j_embedded
NEO4J_LIB_STAMP := $(NEO4J_DIR)/target/lib/.fetched
NEO4J_LAUNCHER := $(NEO4J_DIR)/target/classes/org/civicgraph/neo4j/EmbeddedNeo4j.class
APOC_STAMP := $(NEO4J_DIR)/target/plugins/.fetched
GRAPHIQL_DIR := platform/civicgraph/gateway/static
GRAPHIQL_STAMP := $(GRAPHIQL_DIR)/node_modules/graphiql/graphiql.min.js
MVN := mvn -B -q

.PHONY: help run test test-fast lint bench bench-graph bench-kits bench-partners soak schema deps python neo4j redis graphiql clean

help:
	@echo "make run     start Neo4j, Redis, a Celery worker and the web app; seed a demo; serve GraphQL"
	@echo "make test    ruff, mypy, import contracts and pytest on real Neo4j, Redis and Celery"
	@echo "make test-fast  the tests that need no service (pure rules, compiled Cypher): seconds"
	@echo "make lint    the static checks only"
	@echo "make bench   benchmarks (not part of make test); figures go to docs/benchmarks.md"
	@echo "make soak    the stack under load while workers, Redis and Neo4j are killed (SOAK_SECONDS, default 300); docs/reliability.md"
	@echo "make schema  rewrite the committed GraphQL schema file from the code"
	@echo "make clean   remove var/ (the local database and logs) and build output"

run: deps graphiql
	$(BIN)/civicgraph up

test: deps lint
	@scripts/require.sh chromium
	$(BIN)/pytest

# The tests marked `services` (tests/conftest.py marks every test whose fixtures need Neo4j,
# Redis or a worker) are left out: nothing is started.
test-fast: python
	$(BIN)/pytest -m "not services"

lint: python
	$(BIN)/ruff check platform graph_schema hackathon_kits partners bench scripts tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# Each domain adds its own bench-* target; `make bench` runs them all.
bench: bench-graph bench-kits bench-partners

# Partner-feed sync throughput and career matching latency (docs/benchmarks.md).
bench-partners: deps
	$(BIN)/python -m bench.partners_bench

# A 1M-row kit build: rows/s and peak memory, 100k vs 1M rows (docs/benchmarks.md).
bench-kits: deps
	$(BIN)/python -m bench.kits_bench run --write docs/benchmarks.md

# The stack under 32 mixed clients while a worker is killed and Redis and Neo4j restart; it stops
# by itself after SOAK_SECONDS (default 300) and writes its verdict to docs/reliability.md.
soak: deps
	$(BIN)/python -m bench.soak --write docs/reliability.md

BENCH_PEER_STAMP := bench/node_modules/@neo4j/graphql/package.json

# The partner graph's nested read: CivicGraph vs bare Cypher vs @neo4j/graphql (docs/benchmarks.md).
bench-graph: deps $(BENCH_PEER_STAMP)
	$(BIN)/python -m bench.graph_bench

# APOC core: the gateway's answers are written as JSON by the database with it
# (compiler/json_text.py), and the benchmark's peer needs it. On the classpath and in the
# plugin dir.
$(APOC_STAMP): $(NEO4J_DIR)/pom.xml
	cd $(NEO4J_DIR) && $(MVN) -P plugins dependency:copy-dependencies -DincludeScope=runtime \
	  -DincludeArtifactIds=apoc-core -DoutputDirectory=target/plugins
	@touch $@

$(BENCH_PEER_STAMP): bench/package.json
	@command -v npm >/dev/null || \
	  { echo "npm is needed for the benchmark's peer (@neo4j/graphql): install Node.js 20+"; exit 1; }
	npm install --prefix bench --no-package-lock --no-audit --no-fund --silent

schema: python
	$(BIN)/civicgraph schema > platform/civicgraph/gateway/schema.graphql

deps: python neo4j redis

python: $(PY_STAMP)

$(PY_STAMP): pyproject.toml scripts/require.sh
	@scripts/require.sh python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

neo4j:
	@if [ -n "$$NEO4J_URI" ]; then echo "NEO4J_URI is set: using that server, not building the embedded Neo4j"; \
	else scripts/require.sh java && $(MAKE) --no-print-directory $(NEO4J_LAUNCHER) $(APOC_STAMP); fi

$(NEO4J_LIB_STAMP): $(NEO4J_DIR)/pom.xml
	@echo "fetching Neo4j's jars with Maven (first time only, about 120 MB)…"
	cd $(NEO4J_DIR) && $(MVN) dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
	@touch $@

$(NEO4J_LAUNCHER): $(NEO4J_LIB_STAMP) $(NEO4J_DIR)/src/main/java/org/civicgraph/neo4j/EmbeddedNeo4j.java
	mkdir -p $(NEO4J_DIR)/target/classes
	javac --release 17 -d $(NEO4J_DIR)/target/classes -cp "$(NEO4J_DIR)/target/lib/*" \
	  $(NEO4J_DIR)/src/main/java/org/civicgraph/neo4j/EmbeddedNeo4j.java

redis:
	@scripts/require.sh redis

# GraphiQL's browser assets, from npm; without them /graphql serves a plain query form instead.
graphiql:
	@if [ -f $(GRAPHIQL_STAMP) ]; then true; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "installing GraphiQL's browser assets with npm…"; \
	  npm install --prefix $(GRAPHIQL_DIR) --no-package-lock --no-audit --no-fund --silent \
	    || echo "npm could not install GraphiQL; /graphql will serve a plain query form"; \
	else echo "npm not found: /graphql will serve a plain query form instead of GraphiQL"; fi

clean:
	rm -rf var build *.egg-info test-artifacts
