from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jmzhgd.core.demo import SEEDER_ORDER, DemoContext


class Command(BaseCommand):
    help = "载入演示数据（监管方、管理员、江门演示项目、企业、人员等）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="平台地址，用于打印的提示（make run 传入其端口）"
        )
        parser.add_argument(
            "--keep-passwords",
            action="store_true",
            help="已有演示账号保留现有密码（不再重新设置，启动更快）",
        )

    def handle(self, *args, **options):
        url = options["url"].rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise CommandError("--url 须为以 http:// 或 https:// 开头的平台地址")
        demo = DemoContext(write=self.stdout.write, base_url=url, keep_passwords=options["keep_passwords"])
        for app in SEEDER_ORDER:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(demo)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号："))
        if demo.keep_passwords:
            self.stdout.write("  （已有账号沿用现有密码；若曾修改，运行 manage.py seed_demo 重置）")
        for role, username, password in demo.logins:
            self.stdout.write(f"  {role:<8} 账号 {username:<24} 密码 {password}")
