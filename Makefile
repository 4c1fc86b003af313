# One command runs every check: `make check` (tests, lint, formatting, types).
PYTHON ?= python3

.PHONY: check test lint types example bench templates scale-out load-test

check: lint types test

test:
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

types:
	$(PYTHON) -m mypy
	lint-imports

example:
	reportgen serve --demo

bench:
	$(PYTHON) benchmarks/bench_build.py
	$(PYTHON) benchmarks/bench_dfe.py
	$(PYTHON) benchmarks/bench_charts.py
	$(PYTHON) benchmarks/bench_history.py
	$(PYTHON) benchmarks/bench_pack.py
	$(PYTHON) benchmarks/bench_join.py
	$(PYTHON) benchmarks/bench_cases.py
	$(PYTHON) benchmarks/bench_scale.py --repeat 3
	$(PYTHON) benchmarks/bench_guards.py
	$(PYTHON) benchmarks/bench_service.py

templates:
	$(PYTHON) scripts/make_templates.py

# The service on PostgreSQL and Redis with two workers, as CI proves it (about 2 minutes).
scale-out:
	bash .ci/scale-out

# Clerks building packs while officers edit, on SQLite and on PostgreSQL + Redis (~15 minutes).
load-test:
	$(PYTHON) benchmarks/load_test.py
