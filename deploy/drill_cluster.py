"""The recovery drill's PostgreSQL clusters (deploy/drill.py): each on a port and in a directory of its
own, run as the `postgres` user when the drill runs as root (PostgreSQL refuses root)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
STANZA = "jmzhgd"
AS_ROOT = os.geteuid() == 0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if AS_ROOT else command


def run(command: list[str], **kwargs) -> str:
    kwargs.setdefault("timeout", 600)
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    name: str
    port: int
    work: Path

    @property
    def data(self) -> Path:
        return self.work / self.name

    @property
    def sockets(self) -> Path:
        return self.work / "sockets"

    def pg(self, tool: str, *args: str, **kwargs) -> str:
        return run(as_postgres([str(PG_BIN / tool), *args]), **kwargs)

    def start(self) -> None:
        self.pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.work / f"{self.name}.log"),
            "-w",
            "-t",
            "120",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                capture_output=True,
            )

    def sql(self, statement: str, database: str = "postgres") -> str:
        return self.pg(
            "psql", "-h", str(self.sockets), "-p", str(self.port), "-U", "postgres", "-d", database,
            "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement,
        ).strip()  # fmt: skip

    def ready(self) -> bool:
        check = as_postgres(
            [str(PG_BIN / "pg_isready"), "-h", str(self.sockets), "-p", str(self.port), "-t", "1"]
        )
        return subprocess.run(check, capture_output=True).returncode == 0

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def kill(self) -> int:
        """SIGKILL to the postmaster and every process it started, as when the machine dies."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = run(["ps", "-o", "pid=", "--ppid", str(postmaster)]).split()
        for pid in [postmaster, *map(int, children)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(children) + 1

    def append_conf(self, text: str, auto: bool = False) -> None:
        target = self.data / ("postgresql.auto.conf" if auto else "postgresql.conf")
        with open(target, "a") as conf:
            conf.write(text)
