# The README's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test migrate demo lint bench check-deploy drill system-packages-test system-packages-bench system-packages-drill

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/activate
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Sets up and starts the platform: virtualenv, dependencies, migrations, demo data, server.
# Without DATABASE_URL it uses an SQLite file (db.sqlite3); DJANGO_DEBUG=1 serves static files and
# allows the development keys, so a fresh machine needs no configuration. A second start skips what
# is done: the install by its stamp file, migrate when `migrate --check` finds nothing to apply, and
# the slow part of seeding (hashing the demo passwords again) with --keep-passwords.
DEV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
run: install
	@$(DEV) $(PY) manage.py migrate --check >/dev/null 2>&1 || $(DEV) $(PY) manage.py migrate --noinput
	@# The platform's seal for signed PDFs: a self-signed one for development (docs/signatures.md §2).
	@$(DEV) $(PY) manage.py make_seal_cert --if-missing
	@$(DEV) $(PY) manage.py seed_demo --keep-passwords --url http://$(HOST):$(PORT)
	@echo ""
	@echo "平台地址： http://$(HOST):$(PORT)/  （登录页 http://$(HOST):$(PORT)/login/）"
	@echo "系统管理： http://$(HOST):$(PORT)/admin/"
	@# Background jobs (large exports, imports; docs/jobs.md): one worker beside the server, started
	@# again whenever it exits (keep_worker), stopped with the server.
	@echo "后台任务： 一个 db_worker 进程，退出后自动重新启动（状态见 http://$(HOST):$(PORT)/healthz）"
	@$(DEV) $(PY) manage.py keep_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# Installs what the tests need (system packages: scripts/system-packages.sh, first, so a machine
# that lacks them stops at once) and runs the whole suite (browser tests included) on the database
# DATABASE_URL names, or on SQLite when it is unset.
system-packages-test:
	@scripts/system-packages.sh test

test: system-packages-test install-test
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff, and import-linter's contracts in pyproject.toml: no import runs up a floor (README "Floors").
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

check-deploy: install
	$(PY) manage.py check --deploy --fail-level WARNING

# City-scale benchmark (bench/README.md): builds the Jiangmen-sized dataset once in
# BENCH_DATABASE_URL (default postgres://postgres@/jmzhgd_bench), then runs every
# scenario against gunicorn on it and prints one table (also written to bench/results/). Needs
# PostgreSQL and wrk (the API scenarios' client): scripts/system-packages.sh installs them when missing.
#
# It measures the platform as deployed: in a virtualenv of its own made from Debian's python3.11,
# which docs/deploy.md installs (built with profile-guided optimisation; a plain source build such
# as pyenv's default runs the same code about a tenth slower). Without it, from $(PYTHON).
BENCH_PYTHON ?= $(shell test -x /usr/bin/python3.11 && echo /usr/bin/python3.11 || echo $(PYTHON))
BENCH_VENV ?= .venv-bench

$(BENCH_VENV)/.installed: pyproject.toml
	@$(BENCH_PYTHON) -m venv $(BENCH_VENV) 2>/dev/null || { \
	  echo "$(BENCH_PYTHON) 无法创建虚拟环境（缺少 python3.11-venv？），改用 $(PYTHON)"; \
	  rm -rf $(BENCH_VENV); $(PYTHON) -m venv $(BENCH_VENV); }
	$(BENCH_VENV)/bin/pip install -q --upgrade pip
	$(BENCH_VENV)/bin/pip install -q -e .[face]
	@touch $@

system-packages-bench:
	@scripts/system-packages.sh bench

bench: system-packages-bench $(BENCH_VENV)/.installed
	@pg_isready -h 127.0.0.1 -p 5432 -q || { pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }
	$(BENCH_VENV)/bin/python -m bench.run $(BENCH_ARGS)

# Recovery drill (docs/deploy.md, "Recovery drill"): two PostgreSQL 15 clusters of its own (a primary
# archiving with pgBackRest and a synchronous standby, on ports 5442 and 5443, DRILL_PORT moves them),
# the demo data, punches and page traffic, SIGKILL of the primary, promotion, then a point-in-time
# restore. Prints the punches lost, the time to serve again and the restore's time; exits non-zero
# when a goal is missed. DRILL_ARGS=--short is the CI's version (tests/core/test_drill.py).
system-packages-drill:
	@scripts/system-packages.sh drill

drill: system-packages-drill install
	$(PY) deploy/drill.py $(DRILL_ARGS)
