# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE := examples/hanoi-kh-30-ctr-tu-2024.txt
OUT    ?= out

.PHONY: demo test lint format venv clean neo4j neo4j-stop browser bench

# The virtual environment is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

# The main job on the bundled sample, embedded store only (no server).
demo: venv
	@mkdir -p $(OUT)
	@$(BIN)/kg extract $(SAMPLE) --format summary
	@$(BIN)/kg extract $(SAMPLE) --format json -o $(OUT)/sample-tasks.json
	@$(BIN)/kg build $(SAMPLE) --store $(OUT)/kg
	@echo; echo "Top agencies by load (tasks led, directed, coordinated):"
	@$(BIN)/kg query agency-load --store $(OUT)/kg | head -n 8
	@echo; echo "Tasks that depend on Sở Nội vụ (Department of Home Affairs):"
	@$(BIN)/kg query depends-on --param agency="Sở Nội vụ" --store $(OUT)/kg
	@echo; echo "Who holds the plan's moved roles on 2026-01-01, after the 2025 reorganisation:"
	@$(BIN)/kg query current-holder --as-of 2026-01-01 --store $(OUT)/kg --format json | $(BIN)/python -c \
	  'import json, sys; [print(" ", r["task"], r["role"], r["named"], "->", "; ".join(r["holder"])) for r in json.load(sys.stdin) if r["events"]]'
	@echo
	@$(BIN)/kg viz $(SAMPLE) -o $(OUT)/network.html
	@$(BIN)/kg report $(SAMPLE) -o $(OUT)/report.html

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The test tiers that need a real Neo4j server and a real headless Chromium get them here.
# Under CI=true a server or browser that cannot be had fails the run; elsewhere those tests skip.
test: venv lint
	@bash scripts/ensure-chromium.sh || [ "$$CI" != "true" ]
	@started=; \
	if ! bash scripts/neo4j.sh status >/dev/null 2>&1; then \
	  if PYTHON=$(BIN)/python bash scripts/neo4j.sh start; then started=1; \
	  elif [ "$$CI" = "true" ]; then exit 1; fi; \
	fi; \
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ -n "$$started" ]; then bash scripts/neo4j.sh stop >/dev/null; fi; \
	exit $$status

# A Neo4j Community server from Maven Central jars (cached in .cache/neo4j), on 127.0.0.1.
neo4j: venv
	@PYTHON=$(BIN)/python bash scripts/neo4j.sh start

neo4j-stop:
	@bash scripts/neo4j.sh stop

browser:
	@bash scripts/ensure-chromium.sh

# Benchmarks (not part of the test suite): generated corpora of SIZES plans, each phase in its own process.
SIZES ?= 1 100 1000 10000
# First the before/after table of issue 17 (lean graph, incremental builds, Neo4j import; with the load average).
SCALE_SIZES ?= 100 1000
bench: venv
	$(BIN)/python bench/scale.py --sizes "$(SCALE_SIZES)" $(if $(NEO4J),--neo4j,)
	$(BIN)/python bench/run.py --sizes "$(SIZES)" --query-timeout 60

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
