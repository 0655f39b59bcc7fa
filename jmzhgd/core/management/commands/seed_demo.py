from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from jmzhgd.core.demo import SEEDER_ORDER, DemoContext


class Command(BaseCommand):
    help = "载入演示数据（监管方、管理员、江门演示项目、企业、人员等）；可重复运行。"

    def handle(self, *args, **options):
        demo = DemoContext(write=self.stdout.write)
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
        for role, username, password in demo.logins:
            self.stdout.write(f"  {role:<8} 账号 {username:<24} 密码 {password}")
