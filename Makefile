# framelens: `make report` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SEED   := seeds/000_794d6e0919ecebcf.txt

.PHONY: all report test lab bench trust clean-reports clean

all: report

# The stamp is rebuilt when the dependency list changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name framelens --display-name "Python (framelens)" >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/framelens report $(SEED) --out reports

test: $(STAMP)
	$(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run.py $(BENCH_ARGS)

trust: $(STAMP)
	$(PY) benchmarks/trust.py

clean-reports:
	rm -rf reports/*/

clean:
	rm -rf $(VENV)
