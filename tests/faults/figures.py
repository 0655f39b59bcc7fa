"""The figures of a fault run (scripts/fault-runs.sh, docs/deploy.md "Fault runs"): a test that
injects a fault calls `record` with what it measured; with FAULT_FIGURES naming a file, each call
appends one JSON line to it, otherwise it does nothing."""

from __future__ import annotations

import json
import os


def record(fault: str, **figures) -> None:
    path = os.environ.get("FAULT_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"fault": fault, **figures}, ensure_ascii=False) + "\n")
