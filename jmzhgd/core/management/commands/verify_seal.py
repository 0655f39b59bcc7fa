"""`manage.py verify_seal FILE.pdf`: is the file sealed by this platform and unchanged since (docs/signatures.md §4)?

Prints 有效 or 无效 with the reason; the exit status is 0 only for a valid seal.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jmzhgd.core import seal


class Command(BaseCommand):
    help = "验证PDF文件的平台电子签章是否有效"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="要验证的PDF文件")

    def handle(self, *args, files=(), **options):
        invalid = 0
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"文件不存在：{name}")
            verdict = seal.verify_pdf(path.read_bytes())
            invalid += not verdict.valid
            when = f"，签章时间 {verdict.signed_at:%Y-%m-%d %H:%M}" if verdict.signed_at else ""
            self.stdout.write(f"{name}：{'有效' if verdict.valid else '无效'} — {verdict.message}{when}")
        if invalid:
            raise CommandError(f"{invalid} 个文件的签章无效。")
