#!/usr/bin/env bash
# Back up the platform — the database and the private media — into one timestamped directory.
# Usage: deploy/backup.sh /var/backups/jmzhgd      (prints the backup directory it wrote)
# Reads DATABASE_URL and MEDIA_ROOT from the environment (e.g. `set -a; . /etc/jmzhgd/env; set +a`).
# PostgreSQL (production): pg_dump custom format. SQLite (the embedded default): Python's online backup API.
set -euo pipefail
target_root=${1:?usage: backup.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${MEDIA_ROOT:?MEDIA_ROOT is required}"
python=${PYTHON:-python3}
stamp=$(date -u +%Y%m%dT%H%M%S%NZ)
target="$target_root/jmzhgd-$stamp"
umask 077
mkdir -p "$target"
case "$DATABASE_URL" in
  postgres://*|postgresql://*)
    pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL" ;;
  sqlite:///*)
    "$python" - "${DATABASE_URL#sqlite://}" "$target/database.sqlite3" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)
target.close(); source.close()
PY
    ;;
  *) echo "unsupported DATABASE_URL" >&2; exit 2 ;;
esac
mkdir -p "$MEDIA_ROOT"
tar --create --gzip --file="$target/media.tar.gz" --directory="$MEDIA_ROOT" .
( cd "$target" && sha256sum database.* media.tar.gz > SHA256SUMS )
echo "$target"
