#!/bin/sh
# The fault runs of docs/deploy.md "Fault runs", repeatable: the database's connections dropped
# under a stream of signed punch batches resent byte for byte, the job worker's connections
# dropped and the worker killed, faults at every write of the all-or-nothing actions, double
# actions at once, jobs killed mid-run, a backup restored. Run it on PostgreSQL (as production):
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/jmzhgd_faults scripts/fault-runs.sh
#
# The database named is used as the test database's name stem (pytest-django creates test_<name>
# and drops it); connections are dropped only to that test database, never the server restarted.
# It prints pytest's result and timings, then one line of figures per measured fault.
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL database (see the comment at the top)}"
PYTHON=${PYTHON:-.venv/bin/python}
figures=$(mktemp)
trap 'rm -f "$figures"' EXIT
FAULT_FIGURES="$figures" "$PYTHON" -m pytest -q --durations=15 \
  tests/faults \
  tests/jobs/test_worker.py tests/jobs/test_job_faults.py \
  tests/workforce/test_import_job.py \
  tests/core/test_backup_restore.py \
  "$@"
echo
echo "Figures:"
cat "$figures"
