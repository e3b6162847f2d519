# Two commands on a fresh machine with Python 3.11+ and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py rundev

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Quick by default; `make bench BENCH_SCALE_MOVES=10000000` for the issue's full-size stock ledger.
BENCH_SCALE_MOVES ?= 200000
export BENCH_SCALE_MOVES
BENCHMARKS := provisioning stock_posting stock_hot_item stock_scale order_to_cash

bench: $(STAMP)
	@status=0; for name in $(BENCHMARKS); do $(PY) bench/$$name.py || status=1; done; exit $$status

clean:
	rm -rf $(VENV) .data
