# framelens: `make report` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
SEED   := seeds/000_794d6e0919ecebcf.txt

.PHONY: all report test lab bench trust lock clean-reports clean

all: report

# The stamp is rebuilt when the dependency list or the lock changes. Every dependency is
# installed at the version pinned in requirements.lock, so the same inputs give the same report.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK) -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name framelens --display-name "Python (framelens)" >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/framelens report $(SEED) --out reports

test: $(STAMP)
	$(PY) -m pytest

# make lab LAB_PORT=8890 LAB_ARGS="--no-browser --ip 127.0.0.1" (on a server: no browser, loopback only)
LAB_PORT ?=
LAB_ARGS ?=
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(LAB_PORT),--port=$(LAB_PORT)) $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run.py $(BENCH_ARGS)
	$(PY) benchmarks/corpus.py

trust: $(STAMP)
	$(PY) benchmarks/trust.py

# Re-pin every dependency after editing pyproject.toml (tests/test_project.py checks they agree).
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra test --no-emit-index-url --no-emit-find-links \
		--output-file $(LOCK) pyproject.toml

clean-reports:
	rm -rf reports/*/

clean:
	rm -rf $(VENV)
