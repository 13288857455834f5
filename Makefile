# vliegwiel: the two commands that matter are `make run` and `make test`.
# Both create the virtual environment if it is missing and install the package into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed


.PHONY: baseline
.PHONY: refresh run explore compare questions test test-fast test-random test-cluster bench install clean help viz viz-assets calibrate validate screenshots bytecode

VIZ_HOST ?= 127.0.0.1
VIZ_PORT ?= 8765
ASSETS   := $(VENV)/share/solara/cdn/.vliegwiel-assets

help:
	@echo "make run    - robust advice: every instrument across 48 plausible worlds, 2 replicates each (results/explore/robust/)"
	@echo "make explore ARGS=... - the same command with other settings (e.g. ARGS=\"--worlds 250 --dir results/explore/large\")"
	@echo "make compare - the point comparison alone: every instrument at the default values, 20 paired replicates"
	@echo "make questions - the province's ten questions: every question's comparison, then docs/QUESTIONS.md and README (ARGS=\"--workers 1\")"
	@echo "make test   - run the whole test suite (what CI runs)"
	@echo "make test-fast - the fast tier while working: in-process, no subprocesses, no browser (< 2 min)"
	@echo "make test-random - the whole suite in a random order (SEED=...)"
	@echo "make test-cluster - install the ray extra; the executors against a two-node Ray cluster and submitit"
	@echo "make calibrate - ABC-SMC fit to the Dutch energy co-operatives and care initiatives, forecast, hindcast (results/calibration/)"
	@echo "make bench  - run the benchmarks (figures under results/benchmarks/)"
	@echo "make viz    - serve the browser page on http://$(VIZ_HOST):$(VIZ_PORT) (offline)"
	@echo "make screenshots - the README's screenshots of the page, by its browser tests (docs/img/; SCREENSHOTS=dir)"
	@echo "make validate - the model next to the literature (Bass, Watts, Rogers) -> results/validation/ (ARGS=--fast: quick subset)"
	@echo "make refresh - after a change of the model or its calibration: every result and figure the README and docs show (about half an hour)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "vliegwiel needs Python >= 3.12 (see .python-version); found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# Hydra's launcher plugins of earlier versions would shadow configs/hydra/launcher/
	-@$(BIN)/python -m pip uninstall --quiet --yes hydra-joblib-launcher hydra-submitit-launcher hydra-ray-launcher 2>/dev/null
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP) bytecode

# the package's bytecode, written once (this machine's PYTHONDONTWRITEBYTECODE=1 would have every
# process compile every module of sim/ again: about 0.1-0.2 s at each start of the command, its
# workers' server and each test's subprocess); Python checks each file's time stamp, so an edited
# module is compiled afresh until the next make
bytecode: $(STAMP)
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q -j 0 sim benchmarks docs >/dev/null

# the main job: every instrument across plausible worlds (sim/explore/, README "Robust advice")
run: $(STAMP) bytecode
	$(BIN)/vliegwiel-explore $(ARGS)

explore: $(STAMP) bytecode
	$(BIN)/vliegwiel-explore $(ARGS)

# the comparison at the default values alone (results/comparisons/compare_instruments/)
compare: $(STAMP) bytecode
	$(BIN)/vliegwiel scenario=compare_instruments $(ARGS)

# the province's ten questions (README "The province's questions"): each question's comparison,
# then docs/QUESTIONS.md, README's questions and compare blocks and docs/img/compare_instruments.png
questions: $(STAMP) bytecode
	$(BIN)/python docs/questions.py $(ARGS)

# ABC-SMC against the Dutch energy co-operatives and care initiatives (README "Calibration and
# forecast"; resumes): the fit 2009-2019 with its forecast 2020-2024, shipped as the default
# (configs/calibration/energy.yaml, sim/data/calibration/), then the hindcast fitted up to 2016
calibrate: $(STAMP) bytecode
	$(BIN)/vliegwiel-calibrate --ship $(ARGS)
	$(BIN)/vliegwiel-calibrate --ship --fit-until 2016 $(ARGS)

# the validation suite (docs/ODD.md s10); ARGS=--fast for the quick subset that make test also runs
validate: $(STAMP) bytecode
	$(BIN)/vliegwiel-validate $(ARGS)

# after a change of the model or of its calibration (make calibrate): every result the README and
# docs show, made again in order: the parameter tables, the robust analysis (make run) and its
# 223-world ensemble (README "Robust advice", docs/img/robust_*.png), the province's questions,
# the validation (its exit status is reported, not fatal: README "Validation" names the checks
# that fail), and the page's screenshots on these results. The default runs' pinned numbers
# (make baseline) are left to the person who meant them to move.
LARGE := results/explore/large
refresh: $(STAMP) bytecode $(ASSETS)
	$(BIN)/python -m sim.paramdoc
	$(BIN)/vliegwiel-explore
	$(BIN)/vliegwiel-explore --worlds 223 --replicates 2 --point-replicates 0 --workers 2 --dir $(LARGE)
	cp $(LARGE)/robustness/win_shares.png docs/img/robust_win_shares.png
	cp $(LARGE)/robustness/ranks_participation_end.png docs/img/robust_ranks.png
	cp $(LARGE)/robustness/regret.png docs/img/robust_regret.png
	$(BIN)/python docs/questions.py
	$(BIN)/vliegwiel-validate || echo "make refresh: some validation checks fail (results/validation/report.md)"
	$(MAKE) screenshots
	$(BIN)/python docs/screenshots.py

# the suite on JOBS processes (pytest-xdist; a file's tests stay in one process, so its
# fixtures are built once); JOBS=0 runs it in this process
JOBS ?= 2
XDIST = $(if $(filter 0,$(JOBS)),,-n $(JOBS) --dist loadfile)
test: $(STAMP) bytecode $(ASSETS)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(STAMP) bytecode
	$(BIN)/python -m pytest $(XDIST) -m "not subprocess and not browser" $(PYTEST_ARGS)

SEED ?= $(shell date +%s)
test-random: $(STAMP) bytecode $(ASSETS)
	$(BIN)/python -m pytest --shuffle $(SEED) $(PYTEST_ARGS)

# re-pin the default runs' numbers (tests/baseline.json) after a change meant to move them
baseline: $(STAMP) bytecode
	$(BIN)/python -m sim.baseline --update

# the executors beyond one machine: submitit's local path and a real two-node Ray cluster
# started on this machine (benchmarks/cluster.sh: tests, then the figures in
# results/benchmarks/cluster.json; CLUSTER_BENCH=0 skips those); not part of make test (Ray is ~200 MB)
test-cluster: $(VENV)/.installed-ray
	bash benchmarks/cluster.sh $(BIN)

$(VENV)/.installed-ray: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[ray]"
	@touch $@

bench: $(STAMP) bytecode $(ASSETS)
	$(BIN)/python benchmarks/bench_model.py $(ARGS)
	$(BIN)/python benchmarks/bench_sweep.py --ensemble 4000
	$(BIN)/python benchmarks/bench_viz.py $(if $(wildcard results/explore/robust/robustness/summary.json),--explore results/explore/robust)

# Solara's front-end files, fetched once with npm pack and served locally (sim/viz/assets.py)
$(ASSETS): $(STAMP) sim/viz/assets.py
	$(BIN)/python -m sim.viz.assets

viz-assets: $(ASSETS)

# the README's screenshots of the page (start view, how sure, the Utrecht map, the live model,
# comparisons), written by the browser tests that check those views, with the page's own
# replicates (5 per answer, 3 per loop); SCREENSHOTS=dir writes them elsewhere
SCREENSHOTS ?= docs/img
SHOT_TESTS  := start_view or robust_view or utrecht_map or live_model_steps or compare_view
screenshots: $(STAMP) $(ASSETS)
	VLIEGWIEL_SCREENSHOTS=$(abspath $(SCREENSHOTS)) VLIEGWIEL_PAGE_REPLICATES=5 VLIEGWIEL_PAGE_WHY_REPLICATES=3 \
		$(BIN)/python -m pytest -q tests/test_viz_browser.py -k "$(SHOT_TESTS)"

# Solara's server behind the Host/Origin check of sim/viz/security.py (VLIEGWIEL_ALLOWED_HOSTS adds names)
viz: $(STAMP) $(ASSETS)
	SOLARA_TELEMETRY_MIXPANEL_ENABLE=False $(BIN)/python -m sim.viz.server --host $(VIZ_HOST) --port $(VIZ_PORT)

clean:
	rm -rf $(VENV) build *.egg-info
