"""The recovery drill (docs/deploy.md, "Recovery drill"): `make drill`, or
`.venv/bin/python deploy/drill.py [--short] [--report FILE]`.

On this machine it builds two PostgreSQL 15 clusters on ports of their own (a primary archiving its
WAL with pgBackRest, and a synchronous streaming standby), loads the demo data, starts the platform
(gunicorn) on the primary with reads from the standby, and drives it: the device simulator's punches
through the API (each device resending a batch until it is acknowledged, as a device does) and the
supervisor pages. Mid-load it kills every process of the primary with SIGKILL, promotes the standby,
and the platform, whose DATABASE_URL lists both hosts with target_session_attrs=read-write, serves
from it. It reports the acknowledged punches lost (goal 0), the time to serve again (goal ≤ 60 s) and
the errors the clients saw. Then a point-in-time restore: a deliberate bad UPDATE, a restore of the
archive to the moment before it into a third cluster, the time it took and whether the rows are back.

Everything lives in a temporary directory, removed at the end with the clusters and the server
(--keep leaves it). As root the clusters run as the `postgres` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from attendance.management.commands.simulate_devices import Command as Simulator  # noqa: E402
from clients.jmzhgd_client import ApiError, PlatformClient  # noqa: E402
from deploy.drill_cluster import AS_ROOT, STANZA, Cluster, as_postgres, free_port, log, run  # noqa: E402
from deploy.drill_load import SESSION_SNIPPET, Device, Traffic, healthy  # noqa: E402
from deploy.drill_report import machine, summary  # noqa: E402


class Drill:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="jmzhgd-drill-"))
        self.work.chmod(0o755)
        if AS_ROOT:
            shutil.chown(self.work, "postgres", "postgres")
        base = args.base_port
        self.primary = Cluster("primary", base, self.work)
        self.standby = Cluster("standby", base + 1, self.work)
        self.restored = Cluster("restored", base + 2, self.work)
        self.conf = self.work / "pgbackrest.conf"
        self.server: subprocess.Popen | None = None
        self.app_port = free_port()
        self.keys = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "PII_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),  # a Fernet key
            "PII_DIGEST_KEY": secrets.token_urlsafe(32),
        }
        self.report: dict = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine()}

    # --- the clusters and the archive -------------------------------------------------------------
    def pgbackrest(self, *args: str, cluster: Cluster | None = None) -> str:
        cluster = cluster or self.primary
        command = ["pgbackrest", f"--config={self.conf}", f"--stanza={STANZA}"]
        if "info" not in args:  # which cluster: restore writes into it, the others connect to it
            command.append(f"--pg1-path={cluster.data}")
        if "info" not in args and "restore" not in args:
            command += [f"--pg1-port={cluster.port}", f"--pg1-socket-path={cluster.sockets}"]
        return run(as_postgres([*command, *args]))

    def archive_command(self, cluster: Cluster) -> str:
        return f"pgbackrest --config={self.conf} --stanza={STANZA} --pg1-path={cluster.data} archive-push %p"

    def build(self) -> None:
        log(f"工作目录 {self.work}；主库端口 {self.primary.port}，备库端口 {self.standby.port}")
        for directory in ("sockets", "repo", "log", "lock", "spool", "media"):
            (self.work / directory).mkdir()
            if AS_ROOT:
                shutil.chown(self.work / directory, "postgres", "postgres")
        # The drill's repository: the same settings as deploy/pgbackrest.conf, in the work directory.
        self.conf.write_text(
            "[global]\n"
            f"repo1-path={self.work / 'repo'}\nrepo1-cipher-type=aes-256-cbc\n"
            f"repo1-cipher-pass={secrets.token_urlsafe(32)}\nrepo1-retention-full=2\n"
            f"log-path={self.work / 'log'}\nlock-path={self.work / 'lock'}\nspool-path={self.work / 'spool'}\n"
            "start-fast=y\ncompress-type=zst\ncompress-level=3\nlog-level-console=warn\nlog-level-file=info\n"
            f"\n[{STANZA}]\npg1-path={self.primary.data}\npg1-user=postgres\n"
        )
        self.conf.chmod(0o640)
        if AS_ROOT:
            shutil.chown(self.conf, "postgres", "postgres")
        self.primary.pg("initdb", "-D", str(self.primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8")  # fmt: skip
        self.primary.append_conf(
            "\n# jmzhgd recovery drill (deploy/postgresql-primary.conf)\n"
            f"port = {self.primary.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.primary.sockets}'\n"
            "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nhot_standby_feedback = on\n"
            "archive_mode = on\n"
            f"archive_command = '{self.archive_command(self.primary)}'\n"
            "synchronous_commit = on\n"
            "shared_buffers = 128MB\nmax_connections = 60\njit = off\n"
        )
        self.primary.start()
        self.pgbackrest("stanza-create")
        self.primary.sql("CREATE DATABASE jmzhgd")
        log("主库已就绪")

    def add_standby(self) -> None:
        # The standby: a base backup over the replication protocol, streaming from a slot.
        self.primary.sql("SELECT pg_create_physical_replication_slot('standby')")
        self.standby.pg("pg_basebackup", "-h", str(self.primary.sockets), "-p", str(self.primary.port), "-U",
                        "postgres", "-D", str(self.standby.data), "-R", "-S", "standby", "-X", "stream", "-c", "fast")  # fmt: skip
        self.standby.append_conf(
            f"port = {self.standby.port}\n"
            f"primary_conninfo = 'host={self.primary.sockets} port={self.primary.port} user=postgres "
            "application_name=standby'\n"
            # Once promoted it is alone: no standby to wait for, and it archives into the same stanza.
            "synchronous_standby_names = ''\n"
            f"archive_command = '{self.archive_command(self.standby)}'\n",
            auto=True,
        )
        self.standby.start()
        # Synchronous: a commit returns once the standby has flushed it (docs/deploy.md). Set once the
        # standby streams: with it named and absent, every commit would wait.
        self.primary.sql("ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (standby)'")
        self.primary.sql("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 30
        while self.primary.sql("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") != "1":
            if time.monotonic() > deadline:
                raise RuntimeError("the standby did not become synchronous")
            time.sleep(0.2)
        log("主库与同步备库已就绪")

    # --- the platform -------------------------------------------------------------------------------
    def env(self) -> dict:
        primary, standby = self.primary, self.standby
        return {
            **os.environ,
            # Production settings (errors as clients see them: an API 503 while the database is away).
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "jmzhgd.settings",
            **self.keys,
            "STATIC_ROOT": str(self.work / "static"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Both hosts: libpq takes the one that accepts writes, so a promoted standby is found by
            # the next connection, with no change of configuration (docs/deploy.md).
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary.port},127.0.0.1:{standby.port}/jmzhgd"
            "?target_session_attrs=read-write&connect_timeout=2",
            "DATABASE_REPLICA_URL": standby.url("jmzhgd") + "?connect_timeout=2",
            "MEDIA_ROOT": str(self.work / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "GUNICORN_WORKERS": str(self.args.workers),
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str) -> str:
        return run([sys.executable, str(ROOT / "manage.py"), *args], env=self.env(), cwd=ROOT)

    def load(self) -> None:
        started = time.monotonic()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        seeded = self.manage("seed_demo", "--url", f"http://127.0.0.1:{self.app_port}")
        key, secret = re.search(r"App Key\s+(\S+)\s+App Secret\s+([^\s（]+)", seeded).groups()
        self.credentials = key, secret
        self.session = self.manage("shell", "-c", SESSION_SNIPPET).strip().splitlines()[-1]
        log(f"演示数据已载入（{time.monotonic() - started:.0f} 秒）")
        started = time.monotonic()
        self.pgbackrest("backup", "--type=full")
        log(f"pgBackRest 全量备份完成（{time.monotonic() - started:.1f} 秒）")
        self.add_standby()

    def serve(self) -> None:
        out = open(self.work / "gunicorn.log", "w")
        self.server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "jmzhgd.wsgi", "-c", str(ROOT / "deploy/gunicorn.conf.py")],
            env=self.env(), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not healthy(self.base_url):
            if time.monotonic() > deadline or self.server.poll() is not None:
                raise RuntimeError("the platform did not start: see gunicorn.log")
            time.sleep(0.3)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    # --- load, kill, promote ---------------------------------------------------------------------
    def failover(self) -> None:
        key, secret = self.credentials
        client = PlatformClient(self.base_url, app_key=key, app_secret=secret, timeout=10)
        projects = self.projects(client)[: self.args.devices]
        traffic = Traffic(self.base_url, self.session, stop=threading.Event())
        devices = [Device(client, project, persons, traffic, self.args) for project, persons in projects]
        threads = [threading.Thread(target=d.run, daemon=True) for d in devices]
        threads.append(threading.Thread(target=traffic.pages, daemon=True))
        for thread in threads:
            thread.start()
        reads_at_start = self.standby_reads()
        time.sleep(self.args.kill_after)
        standby_reads = self.standby_reads() - reads_at_start
        acked_before = sum(len(d.acknowledged) for d in devices)
        killed_at = time.monotonic()
        traffic.killed_at = killed_at
        processes = self.primary.kill()
        log(f"SIGKILL 主库（{processes} 个进程），此前已确认考勤 {acked_before} 条")
        # The failover manager's part: two failed checks a second apart, then promote.
        failures = 0
        while failures < 2:
            failures = failures + 1 if not self.primary.ready() else 0
            time.sleep(1)
        self.standby.pg("pg_ctl", "-D", str(self.standby.data), "-w", "-t", "60", "promote")
        promoted = time.monotonic() - killed_at
        log(f"备库已提升为主库（故障后 {promoted:.1f} 秒）")
        deadline = time.monotonic() + 90
        while traffic.recovered_at is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(self.args.after_seconds)
        traffic.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        acknowledged = set().union(*(d.acknowledged for d in devices))
        stored = self.stored_record_ids()
        lost = sorted(acknowledged - stored)
        recovered = None if traffic.recovered_at is None else traffic.recovered_at - killed_at
        self.report["failover"] = {
            "punches_acknowledged": len(acknowledged),
            "acknowledged_before_kill": acked_before,
            "punches_lost": len(lost),
            "lost_examples": lost[:5],
            "seconds_to_promote": round(promoted, 1),
            "seconds_to_serve_again": None if recovered is None else round(recovered, 1),
            "client_errors": traffic.errors_summary(),
            "requests": traffic.requests,
            "pages_served": traffic.page_ok,
            "standby_transactions_before_kill": standby_reads,
        }

    def projects(self, client: PlatformClient) -> list[tuple[int, list[dict]]]:
        ids = self.manage("shell", "-c", "from projects.models import Project;"
                          "print(*Project.objects.order_by('pk').values_list('pk', flat=True))")  # fmt: skip
        ids = ids.strip().splitlines()[-1].split()
        found = []
        for project_id in map(int, ids):
            try:
                persons = Simulator()._roster(client, project_id)
                client.heartbeat(project_id, f"DEMO{project_id:04d}GATE01")
            except ApiError:
                continue  # a project the demo credential is not bound to, or without the demo's gate
            if persons:
                found.append((project_id, persons))
        if not found:
            raise RuntimeError("no demo project with a roster")
        return found

    def standby_reads(self) -> int:
        """Transactions the standby has run for the platform (the pages' reads: it takes no writes)."""
        return int(self.standby.sql("SELECT xact_commit FROM pg_stat_database WHERE datname = 'jmzhgd'"))

    def stored_record_ids(self) -> set[str]:
        rows = self.standby.sql(
            "SELECT record_id FROM attendance_punch WHERE record_id LIKE 'sim-%'", "jmzhgd"
        )
        return set(rows.split())

    # --- point-in-time restore ---------------------------------------------------------------------
    def point_in_time(self) -> None:
        new_primary = self.standby
        # A promoted standby writes its new timeline to pg_control at its first checkpoint, which
        # pgBackRest checks against the WAL it archives: do it now rather than wait for it.
        new_primary.sql("CHECKPOINT")
        self.pgbackrest("backup", "--type=incr", cluster=new_primary)
        fingerprint = "SELECT md5(string_agg(id || ':' || name, ',' ORDER BY id)) FROM projects_project"
        before = new_primary.sql(fingerprint, "jmzhgd")
        target = new_primary.sql("SELECT clock_timestamp()")
        time.sleep(1.0)
        damaged = new_primary.sql("WITH u AS (UPDATE projects_project SET name = '误操作' RETURNING 1) "
                                  "SELECT count(*) FROM u", "jmzhgd")  # fmt: skip
        assert new_primary.sql(fingerprint, "jmzhgd") != before
        # The bad UPDATE's WAL leaves for the archive (a segment is otherwise archived when full).
        segment = new_primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + 60
        while new_primary.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < segment:
            if time.monotonic() > deadline:
                raise RuntimeError("the WAL with the bad UPDATE was not archived")
            time.sleep(0.2)
        log(f"误操作：UPDATE 改写了 {damaged} 个项目名称；恢复到 {target}")
        started = time.monotonic()
        self.restored.data.mkdir(mode=0o700)
        if AS_ROOT:
            shutil.chown(self.restored.data, "postgres", "postgres")
        self.pgbackrest("restore", "--type=time", f"--target={target}", "--target-action=promote",
                        "--target-timeline=latest", cluster=self.restored)  # fmt: skip
        self.restored.append_conf(
            f"port = {self.restored.port}\narchive_mode = off\nsynchronous_standby_names = ''\n", auto=True
        )
        self.restored.start()
        while self.restored.sql("SELECT pg_is_in_recovery()") != "f":
            time.sleep(0.2)
        took = time.monotonic() - started
        after = self.restored.sql(fingerprint, "jmzhgd")
        self.report["pitr"] = {
            "target": target,
            "rows_damaged": int(damaged),
            "seconds": round(took, 1),
            "rows_back": after == before,
            "archive": self.archive_info(),
        }

    def archive_info(self) -> dict:
        info = json.loads(self.pgbackrest("info", "--output=json", cluster=self.standby))[0]
        backups = [
            {
                "type": b["type"],
                "database_bytes": b["info"]["size"],
                "stored_bytes": b["info"]["repository"]["delta"],
            }
            for b in info["backup"]
        ]
        segments = [
            f for f in (self.work / "repo" / "archive").rglob("*") if re.match(r"[0-9A-F]{24}-", f.name)
        ]
        wal = sum(f.stat().st_size for f in segments)
        return {
            "backups": backups,
            "cipher": info["cipher"],
            "archived_wal_bytes": wal,
            "archived_wal_segments": len(segments),
        }

    def cleanup(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
        for cluster in (self.restored, self.standby, self.primary):
            cluster.stop()
        if self.args.keep:
            log(f"保留工作目录 {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="恢复演练：同步备库切换与时间点恢复（docs/deploy.md）")
    parser.add_argument("--short", action="store_true", help="短演练（CI）：约两百条考勤、两台设备")
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("DRILL_PORT", 5442)))
    parser.add_argument("--report", help="另将结果写入此 JSON 文件")
    parser.add_argument("--keep", action="store_true", help="保留工作目录（日志、集群）")
    args = parser.parse_args()
    args.devices, args.days, args.batch, args.workers = (2, 3, 5, 2) if args.short else (4, 30, 20, 3)
    args.kill_after, args.after_seconds = (4, 2) if args.short else (20, 10)
    drill = Drill(args)
    try:
        drill.build()
        drill.load()
        drill.serve()
        drill.failover()
        drill.point_in_time()
    finally:
        drill.cleanup()
    print(summary(drill.report))
    if args.report:
        Path(args.report).write_text(json.dumps(drill.report, ensure_ascii=False, indent=2))
    failover, pitr = drill.report["failover"], drill.report["pitr"]
    serve = failover["seconds_to_serve_again"]
    good = failover["punches_lost"] == 0 and serve is not None and serve <= 60 and pitr["rows_back"]
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
