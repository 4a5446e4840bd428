# The two commands a newcomer needs: `make site` and `make test`. Both install what they need
# (scripts/setup.sh), so they work on a fresh Debian machine.
VENV   := .venv
BIN    := $(VENV)/bin
# Where `tambon build` writes by default.
SITE   := build/site

.PHONY: setup site offline test validate serve clean national-data bench-scale

setup:
	@bash scripts/setup.sh

site: setup
	$(BIN)/tambon build
	@echo ""
	@echo "Site built in $(SITE). To open it:"
	@echo "  make serve        (or: $(BIN)/tambon serve)"
	@echo "then browse http://127.0.0.1:8000/"

# The copy for a tambon office: opens from a folder or a USB stick, with no server.
offline: setup
	$(BIN)/tambon build --offline

# Runs every check (lint, format, the import rule of docs/architecture.md, tests) even when one fails, so one CI log shows every problem; fails if any did.
test: setup
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/lint-imports || status=1; \
	$(BIN)/pytest -n 2 || status=1; \
	exit $$status

# The national sample data (issue 12): every sub-district, published from synthetic records
# (kept in private/national-households/) into build/national-data/.
national-data: setup
	$(BIN)/tambon sample national

# The whole country's targets, in one run (hours; PROVINCES="80 10" for a part).
PROVINCES ?=
bench-scale: setup
	$(BIN)/python benchmarks/build_scale.py $(if $(PROVINCES),--provinces $(PROVINCES))

validate: setup
	$(BIN)/tambon validate

serve: setup
	$(BIN)/tambon serve

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
