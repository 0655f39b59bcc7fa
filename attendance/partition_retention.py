"""The punch partitions' retention step (`manage.py punch_partitions detach`): a month older than
PUNCH_RETENTION_MONTHS is detached, audited and, when asked, archived with pg_dump; nothing here
ever deletes a punch (docs/deploy.md "Punch partitions")."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.months import add_months, month_of

from .partitions import (
    PartitionError,
    attached_partitions,
    database,
    lock_or_give_up,
    partition_name,
    punch_table,
)

# --- Retention: detach, archive; the operator drops ---------------------------------------------


def retention_months() -> int:
    return settings.PUNCH_RETENTION_MONTHS


def may_detach(month: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether every day of `month` is older than the retention period."""
    return add_months(month_of(month), 1 + retention_months()) <= (today or timezone.localdate())


@dataclass(frozen=True)
class Detached:
    table: str
    rows: int
    already: bool = False  # detached by an earlier run


def detach_month(actor: Actor, month: datetime.date, today: datetime.date | None = None) -> Detached:
    """Detach `month`'s partition from the punch table: its punches leave every page, export and
    count, and stay, all of them, in the now stand-alone table of the same name. Audited. Refused
    for a month younger than PUNCH_RETENTION_MONTHS. Detaching a month detached before answers
    `already` (so that a failed archive can be run again)."""
    connection, table = database(), punch_table()
    q = connection.ops.quote_name
    month = month_of(month)
    if not may_detach(month, today):
        raise PartitionError(
            f"{month:%Y-%m} 的考勤记录未满保留期限（{retention_months()} 个月，PUNCH_RETENTION_MONTHS），"
            "不能分离归档。"
        )
    name = partition_name(table, month)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if name not in {partition.name for partition in attached_partitions(cursor, q, table)}:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [q(name)])
            if not cursor.fetchone()[0]:
                raise PartitionError(f"没有 {month:%Y-%m} 的月份分区（{name}）。")
            cursor.execute(f"SELECT count(*) FROM {q(name)}")
            return Detached(name, cursor.fetchone()[0], already=True)
        lock_or_give_up(cursor, f"ALTER TABLE {q(table)} DETACH PARTITION {q(name)}")
        cursor.execute(f"SELECT count(*) FROM {q(name)}")
        rows = cursor.fetchone()[0]
        audit.record(
            actor,
            "punch.partition_detach",
            summary=f"分离考勤月份分区 {name}（{month:%Y-%m}，{rows} 条记录）：记录保留在独立表中，待归档校验后手工删除",
        )
    return Detached(name, rows)


def archive_partition(actor: Actor, name: str, directory: Path) -> Path:
    """Dump the stand-alone table `name` with pg_dump (custom format) into `directory` and verify
    the file with pg_restore --list; audited. Never drops the table, never overwrites a file."""
    connection = database()
    target = Path(directory) / f"{name}.dump"
    if target.exists():
        raise PartitionError(f"归档文件 {target} 已存在，不会覆盖。")
    Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {**os.environ, **pg_environment(connection)}
    dump = subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--table={name}",
            f"--file={target}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=24 * 3600,
    )
    if dump.returncode != 0:
        raise PartitionError(f"pg_dump 失败：{dump.stderr.strip()}")
    target.chmod(0o600)  # names, masks and anomalies' encrypted ID numbers: readable by the operator only
    listed = subprocess.run(
        ["pg_restore", "--list", str(target)], env=env, capture_output=True, text=True, timeout=600
    )
    if listed.returncode != 0 or not re.search(rf"TABLE DATA \S+ {re.escape(name)} ", listed.stdout):
        raise PartitionError(
            f"归档文件校验失败（pg_restore --list 未列出 {name} 的数据）：{listed.stderr.strip()}"
        )
    audit.record(
        actor,
        "punch.partition_archive",
        summary=f"归档考勤月份表 {name} 到 {target}（{target.stat().st_size} 字节，已用 pg_restore --list 校验）",
    )
    return target


def pg_environment(connection) -> dict[str, str]:
    """libpq's environment for the connection's settings (pg_dump, pg_restore)."""
    config = connection.settings_dict
    names = {
        "NAME": "PGDATABASE",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "HOST": "PGHOST",
        "PORT": "PGPORT",
    }
    env = {variable: str(config[key]) for key, variable in names.items() if config.get(key)}
    if sslmode := config.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env
