"""Abandon 批量人员进场 previews nobody imported or abandoned, deleting their uploaded files.

    manage.py purge_import_previews [--days 7]

An upload keeps the ID numbers as typed; a preview left open would keep them for ever. Run daily
(docs/deploy.md); each purge is audited as the system.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from workforce.imports import PREVIEW_RETENTION_DAYS, purge_stale_previews


class Command(BaseCommand):
    help = "放弃超过保留期限仍未导入的批量进场预览，并删除其原始文件（含完整证件号码）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=PREVIEW_RETENTION_DAYS, help="保留天数（默认 7）")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days 至少为 1。")
        purged = purge_stale_previews(days=days)
        self.stdout.write(f"已放弃 {purged} 个超过 {days} 天未导入的预览，并删除其原始文件。")
