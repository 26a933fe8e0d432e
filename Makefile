# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE := examples/hanoi-kh-30-ctr-tu-2024.txt
OUT    ?= out

.PHONY: demo test lint format venv clean neo4j neo4j-stop browser bench

# The virtual environment is rebuilt when pyproject.toml changes.  Its set-up is quiet: pip's and
# setuptools' messages (deprecation notices of the build) go to $(VENV)/install.log, shown only on failure.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "setting up $(VENV) (log: $(VENV)/install.log)"
	@( PYTHONWARNINGS=ignore $(BIN)/python -m pip install -q --upgrade pip \
	  && PYTHONWARNINGS=ignore $(BIN)/python -m pip install -q -e '.[dev]' ) >$(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	@touch $@

venv: $(BIN)/.installed

# The store goes where `kg` looks by default ($$KG_STORE, else .kg: kg/model/settings.py), so the
# commands printed at the end work as they are.
STORE ?= $(or $(KG_STORE),.kg)

# The main job on the bundled sample, embedded store only (no server).
demo: venv
	@mkdir -p $(OUT)
	@$(BIN)/kg extract $(SAMPLE) --format summary -q
	@$(BIN)/kg extract $(SAMPLE) --format json -o $(OUT)/sample-tasks.json -q
	@$(BIN)/kg build $(SAMPLE) --store $(STORE) -q
	@echo; echo "Top agencies by load (tasks led, directed, coordinated):"
	@$(BIN)/kg query agency-load --store $(STORE) | head -n 8
	@echo; echo "Tasks that depend on Sở Nội vụ (Department of Home Affairs):"
	@$(BIN)/kg query depends-on --param agency="Sở Nội vụ" --store $(STORE)
	@echo; echo "Who holds the plan's moved roles on 2026-01-01, after the 2025 reorganisation:"
	@$(BIN)/kg query current-holder --as-of 2026-01-01 --store $(STORE) --format json | $(BIN)/python -c \
	  'import json, sys; [print(" ", r["task"], r["role"], r["named"], "->", "; ".join(r["holder"])) for r in json.load(sys.stdin) if r["events"]]'
	@$(BIN)/kg viz $(SAMPLE) -o $(OUT)/network.html -q
	@$(BIN)/kg report $(SAMPLE) -o $(OUT)/report.html -q
	@echo
	@echo "Pages (open in a browser; they work offline): $(OUT)/report.html, $(OUT)/network.html"
	@echo "Store: $(STORE); tasks as JSON: $(OUT)/sample-tasks.json"
	@echo "Try next, after '. $(BIN)/activate' (which puts kg on the PATH):"
	@echo "  kg query agency-load"
	@echo "  kg query depends-on -p agency=\"so noi vu\" --format xlsx -o noi-vu.xlsx"
	@echo "  kg holders $(SAMPLE) --as-of today"
	@echo "The explorer on this store, in a browser: kg serve (http://127.0.0.1:8765/)"

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The test tiers that need a real Neo4j server, a real headless Chromium, Tesseract and LibreOffice get them here.
# Under CI=true a server or browser that cannot be had fails the run; elsewhere those tests skip.
# The tests' Neo4j is this project's own (scripts/with-neo4j.sh): on 7687 when that port is free, else on a
# free port, so `make test` passes beside another server (Neo4j Desktop) and never wipes its database.
test: venv lint
	@bash scripts/ensure-chromium.sh || [ "$$CI" != "true" ]
	@bash scripts/ensure-office-ocr.sh || [ "$$CI" != "true" ]
	@PYTHON=$(BIN)/python bash scripts/with-neo4j.sh $(BIN)/python -m pytest -q $(PYTEST_ARGS)

# A Neo4j Community server from Maven Central jars (cached in .cache/neo4j), on 127.0.0.1.
neo4j: venv
	@PYTHON=$(BIN)/python bash scripts/neo4j.sh start

neo4j-stop:
	@bash scripts/neo4j.sh stop

browser:
	@bash scripts/ensure-chromium.sh

# Benchmarks (not part of the test suite): generated corpora of SIZES plans, each phase in its own process.
SIZES ?= 1 100 1000 10000
# First the before/after table (lean graph, incremental builds, Neo4j import; with the load average).
SCALE_SIZES ?= 100 1000
bench: venv
	$(BIN)/python bench/scale.py --sizes "$(SCALE_SIZES)" $(if $(NEO4J),--neo4j,)
	$(BIN)/python bench/run.py --sizes "$(SIZES)" --query-timeout 60

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
