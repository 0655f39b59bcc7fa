"""The recovery drill's short run (deploy/drill.py --short, `make drill DRILL_ARGS=--short`): two
PostgreSQL 15 clusters with pgBackRest, a few hundred punches, SIGKILL of the primary, promotion of
the synchronous standby, then a point-in-time restore (docs/deploy.md, "Recovery drill")."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

DRILL = Path(__file__).parents[2] / "deploy" / "drill.py"


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports, so that a drill running beside does not collide."""
    while True:
        base = random.randrange(20000, 40000)
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base


def test_the_short_drill_loses_no_acknowledged_punch_and_restores_to_before_the_bad_update(tmp_path):
    report_file = tmp_path / "drill.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    command = [sys.executable, str(DRILL), "--short", "--report", str(report_file)]
    result = subprocess.run(
        [*command, "--base-port", str(free_ports(3))],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(report_file.read_text())
    failover, pitr = report["failover"], report["pitr"]
    assert failover["acknowledged_before_kill"] > 0  # the kill fell mid-load
    assert failover["punches_acknowledged"] > failover["acknowledged_before_kill"]  # and it went on after
    assert failover["punches_lost"] == 0
    assert failover["seconds_to_serve_again"] <= 60
    assert failover["pages_served"] > 0 and failover["standby_transactions_before_kill"] > 0
    assert pitr["rows_damaged"] > 0 and pitr["rows_back"]
    assert pitr["archive"]["cipher"] == "aes-256-cbc"
    assert [b["type"] for b in pitr["archive"]["backups"]] == ["full", "incr"]
    assert "丢失 0 条" in result.stdout
