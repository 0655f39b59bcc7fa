"""The punch table's monthly partitions on PostgreSQL (attendance.partitions, docs/deploy.md "Punch partitions").

    manage.py punch_partitions create [--ahead 3] [--since YYYY-MM]   daily: partitions ready ahead
    manage.py punch_partitions status                                 monitoring: non-zero exit on a warning
    manage.py punch_partitions detach --month YYYY-MM [--archive-dir DIR]   retention, never a delete

On SQLite the punch table is a plain table: `create` and `status` say so and succeed.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attendance import partition_retention, partitions
from jmzhgd.core.actor import Actor

SQLITE = "当前数据库为 SQLite，考勤记录为普通表，无需分区。"


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"月份格式应为 YYYY-MM：{value}") from None


class Command(BaseCommand):
    help = "管理考勤记录表（PostgreSQL）的月份分区：提前创建、查看状态、分离归档超过保留期限的月份。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="创建缺少的月份分区（从最早的月份到本月之后 N 个月）")
        create.add_argument(
            "--ahead", type=int, default=partitions.AHEAD_MONTHS, help="提前创建的月数（默认 3）"
        )
        create.add_argument(
            "--since", type=_month, help="同时创建从该月（YYYY-MM）起的分区，例如导入历史数据之前"
        )
        actions.add_parser("status", help="列出分区；默认分区有记录或后续分区不足时以非零状态退出")
        detach = actions.add_parser("detach", help="分离超过保留期限的月份分区（记录保留在独立表中）")
        detach.add_argument("--month", type=_month, required=True, help="月份 YYYY-MM")
        detach.add_argument("--archive-dir", type=Path, help="用 pg_dump 归档到该目录并校验（不删除表）")

    def handle(self, *args, action: str, **options):
        connection = partitions.database()
        if connection.vendor != "postgresql":
            if action == "detach":
                raise CommandError("当前数据库为 SQLite，考勤记录表没有月份分区，无法分离归档。")
            self.stdout.write(SQLITE)
            return
        if not partitions.is_partitioned(connection):
            raise CommandError("考勤记录表尚未分区，请先执行 manage.py migrate。")
        try:
            getattr(self, action)(**options)
        except partitions.PartitionError as exc:
            raise CommandError(str(exc)) from exc

    def create(self, *, ahead: int, since: datetime.date | None, **options):
        if ahead < partitions.STATUS_MIN_AHEAD:
            raise CommandError(f"--ahead 至少为 {partitions.STATUS_MIN_AHEAD}。")
        done = partitions.create_partitions(ahead, since=since)
        for month in done.skipped:
            self.stderr.write(
                self.style.WARNING(
                    f"跳过 {month:%Y-%m}：已有同名独立表（该月已分离归档），该月的记录留在默认分区，请人工核查。"
                )
            )
        if not done.months:
            self.stdout.write(f"月份分区已齐全（至本月之后 {ahead} 个月），无需创建。")
            return
        for month in done.months:
            moved = done.moved.get(month)
            note = f"，并从默认分区移入 {moved} 条记录" if moved else ""
            self.stdout.write(f"已创建 {month:%Y-%m} 的分区{note}。")
        self.stdout.write(self.style.SUCCESS(f"共创建 {len(done.months)} 个月份分区。"))

    def status(self, **options):
        status = partitions.partition_status()
        for partition in status.partitions:
            rows = f"{partition.rows} 条" if partition.is_default else f"约 {partition.rows} 条"
            self.stdout.write(f"{partition.name:<28} {partition.label:<8} {rows:<14} {partition.size}")
        if status.warnings:
            for warning in status.warnings:
                self.stderr.write(self.style.WARNING(f"警告：{warning}"))
            raise CommandError(f"考勤分区有 {len(status.warnings)} 项警告。")
        self.stdout.write(self.style.SUCCESS("考勤分区正常。"))

    def detach(self, *, month: datetime.date, archive_dir: Path | None, **options):
        actor = Actor.system("考勤分区归档")
        detached = partition_retention.detach_month(actor, month)
        name = detached.table
        if detached.already:
            self.stdout.write(
                f"{month:%Y-%m} 的分区此前已分离，记录仍在独立表 {name} 中（{detached.rows} 条）。"
            )
        else:
            self.stdout.write(
                f"已分离 {month:%Y-%m} 的分区：{detached.rows} 条考勤记录已不在考勤记录表中，"
                f"全部保留在独立表 {name} 中（未删除任何记录，已记入审计日志）。"
            )
        if archive_dir is not None:
            archive = partition_retention.archive_partition(actor, name, archive_dir)
            self.stdout.write(f"已用 pg_dump 归档到 {archive}，并用 pg_restore --list 校验通过。")
            self.stdout.write("下一步（由运维人员手工执行）：")
            self.stdout.write(f"  1. 将 {archive} 复制到异地保存；")
            self.stdout.write(f"  2. 确认无误后手工删除该表：psql -c 'DROP TABLE {name};'")
            return
        self.stdout.write("下一步（由运维人员手工执行，本命令不会删除任何数据）：")
        self.stdout.write(f"  1. 归档：pg_dump -Fc -t {name} <数据库连接参数> > {name}.dump")
        self.stdout.write(f"  2. 校验：pg_restore --list {name}.dump（应列出 TABLE DATA … {name}）")
        self.stdout.write(f"  3. 将归档文件复制到异地保存后，手工删除该表：psql -c 'DROP TABLE {name};'")
