"""The benchmark database and the process environment, prepared before Django starts.

The bench database (BENCH_DATABASE_URL, default postgres://postgres@/jmzhgd_bench) is
the harness's own: created when missing, dropped and created again when it holds no complete dataset
(an interrupted build leaves no marker) or when BENCH_REBUILD=1.

The platform runs here as in production (DJANGO_DEBUG=0), so it needs real keys. They are throwaway
keys generated at the first build and kept in the bench database itself (table ``bench_meta``): the ID
numbers in that database are encrypted under them, so they must live exactly as long as the data.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from cryptography.fernet import Fernet

DEFAULT_URL = "postgres://postgres@/jmzhgd_bench"
META_TABLE = "bench_meta"
KEY_NAMES = ("DJANGO_SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_DIGEST_KEY")


def bench_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def scale_url(factor: int) -> str:
    """The database of the dataset at `factor` × the city: BENCH_DATABASE_URL for 1×, else
    BENCH_X<factor>_DATABASE_URL, by default the 1× database's name with "_x<factor>" appended."""
    if factor == 1:
        return bench_url()
    named = os.environ.get(f"BENCH_X{factor}_DATABASE_URL")
    if named:
        return named
    parts = urlsplit(bench_url())
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_x{factor}"))


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def _has_complete_dataset(url: str, scale_key: str) -> bool:
    import json

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT value FROM bench_meta WHERE key = 'dataset'"
                if _table_exists(conn, META_TABLE)
                else "SELECT NULL WHERE false"
            ).fetchone()
    except psycopg.OperationalError:
        return False
    if not row:
        return False
    return json.dumps(json.loads(row[0]).get("scale"), sort_keys=True) == scale_key


def _table_exists(conn, table: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", [table]).fetchone()[0]


def prepare_database(url: str, scale_key: str, *, rebuild: bool = False, log=print) -> bool:
    """Make sure the bench database exists; True when it already holds a complete dataset."""
    admin, name = _admin_url(url)
    if not rebuild and _has_complete_dataset(url, scale_key):
        return True
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            log(f"数据库 {name} 中没有完整的基准数据集：删除后重建。")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def bench_keys(url: str) -> dict[str, str]:
    """The bench database's throwaway production keys, created with the database."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(100) PRIMARY KEY, value text NOT NULL)"
        )
        stored = dict(
            conn.execute(f"SELECT key, value FROM {META_TABLE} WHERE key = ANY(%s)", [list(KEY_NAMES)])
        )
        fresh = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "PII_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "PII_DIGEST_KEY": secrets.token_urlsafe(32),
        }
        for name in KEY_NAMES:
            if name not in stored:
                conn.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [name, fresh[name]])
                stored[name] = fresh[name]
    return stored


def production_environment(url: str, keys: dict[str, str], work_dir: str) -> dict[str, str]:
    """What the platform (this process, gunicorn, subprocesses) runs with during the benchmark."""
    return {
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "jmzhgd.settings",
        "STATIC_ROOT": f"{work_dir}/static",
        "MEDIA_ROOT": f"{work_dir}/media",  # uploads of the import scenario, not the repository's media/
        # The load run and the single-request ingestion send far more than the default 6,000 API
        # requests a minute from one address; the limit itself is not what is being measured.
        "API_RATE_LIMIT_PER_MINUTE": "10000000",
        "LOG_LEVEL": "WARNING",
        # Every export streams from the main server, so "details export (.xlsx)" keeps measuring the
        # workbook writer; bench/job_scenarios.py runs the job path with the production threshold.
        "EXPORT_JOB_THRESHOLD_ROWS": "1000000000",
        **keys,
    }
