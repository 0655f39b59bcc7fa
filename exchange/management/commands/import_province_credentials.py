"""`manage.py import_province_credentials FILE.csv`: each project's appid and secret from the
province's list (docs/deploy.md, 数据对接). All rows are checked before any is written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.credentials import MAX_IMPORT_BYTES, import_credentials
from jmzhgd.core.actor import Actor


class Command(BaseCommand):
    help = "从省平台下发的清单（CSV：appid/项目编码、密钥）导入各项目的对接凭据"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV 文件（UTF-8，首行为列名）")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        with file.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
        count, problems = import_credentials(Actor.system("导入省平台对接凭据"), data)
        if problems:
            raise CommandError("未导入任何凭据：\n" + "\n".join(problems))
        self.stdout.write(f"已导入 {count} 个项目的省平台对接凭据。")
