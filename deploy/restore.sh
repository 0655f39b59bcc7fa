#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh: the database (its objects replaced) and the media.
# Usage: deploy/restore.sh /var/backups/jmzhgd/jmzhgd-20261124T020000Z
# Stop the application servers first. Reads DATABASE_URL and MEDIA_ROOT from the environment.
set -euo pipefail
source_dir=${1:?usage: restore.sh BACKUP_DIRECTORY}
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${MEDIA_ROOT:?MEDIA_ROOT is required}"
python=${PYTHON:-python3}
( cd "$source_dir" && sha256sum --check --quiet SHA256SUMS )
case "$DATABASE_URL" in
  postgres://*|postgresql://*)
    # One transaction: the partitioned tables (the punch table, attendance/partitions.py) are dropped
    # first, whole, because pg_restore --clean would try to drop their partitions' inherited
    # constraints one by one, which PostgreSQL refuses; then the dump's own DROPs and contents.
    {
      cat <<'SQL'
DO $$
DECLARE parent regclass;
BEGIN
  FOR parent IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'p' AND NOT c.relispartition AND n.nspname = 'public' LOOP
    EXECUTE format('DROP TABLE %s CASCADE', parent);
  END LOOP;
END $$;
SQL
      pg_restore --clean --if-exists --no-owner --no-privileges --file=- "$source_dir/database.dump"
    } | psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --single-transaction --file=- "$DATABASE_URL" >/dev/null ;;
  sqlite:///*)
    "$python" - "$source_dir/database.sqlite3" "${DATABASE_URL#sqlite://}" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)
target.close(); source.close()
PY
    ;;
  *) echo "unsupported DATABASE_URL" >&2; exit 2 ;;
esac
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$source_dir/media.tar.gz" --directory="$MEDIA_ROOT"
echo "restored from $source_dir"
