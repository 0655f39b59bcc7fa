"""Send signed punches for a project's on-site roster to a running platform over HTTP.

For demos and load tests; it uses only the public API through the reference client
(clients/jmzhgd_client.py), exactly as a device vendor would:

    manage.py simulate_devices --url http://127.0.0.1:8000 --project 1 --app-key K --app-secret S --days 3

The roster comes from GET /roster; every person gets an in punch in the morning and an out punch in
the evening of each day (up to now). Record ids are derived from person, day and direction, so
running the command again is answered "duplicate" and stores nothing new.
"""

from __future__ import annotations

import datetime
import random
import time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from clients.jmzhgd_client import ApiError, PlatformClient
from jmzhgd.core.fakes import random_id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Command(BaseCommand):
    help = "模拟考勤设备：按项目在场人员生成签名考勤记录，经平台接口上传（演示与压力测试用）。"

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="平台地址，例如 http://127.0.0.1:8000")
        parser.add_argument("--project", type=int, required=True, help="项目ID")
        parser.add_argument("--app-key", required=True)
        parser.add_argument("--app-secret", required=True)
        parser.add_argument("--days", type=int, default=1, help="模拟最近几天（含今天），默认 1")
        parser.add_argument("--device-sn", default="", help="设备序列号（须已登记到该项目）；省略则不经设备")
        parser.add_argument("--batch-size", type=int, default=100, help="每批条数，1–500，默认 100")
        parser.add_argument(
            "--anomalies", type=int, default=0, help="另外发送几条不在花名册的考勤（异常考勤）"
        )
        parser.add_argument(
            "--seed", type=int, default=20260701, help="随机数种子（同一种子生成相同的打卡时间）"
        )

    def handle(self, *args, **options):
        if not 1 <= options["batch_size"] <= 500:
            raise CommandError("--batch-size 应在 1 到 500 之间。")
        if options["days"] < 1:
            raise CommandError("--days 至少为 1。")
        client = PlatformClient(options["url"], app_key=options["app_key"], app_secret=options["app_secret"])
        project_id = options["project"]
        try:
            persons = self._roster(client, project_id)
            records = self._records(persons, options)
            device_sn = options["device_sn"] or None
            if device_sn:
                client.heartbeat(project_id, device_sn)
            totals = {"created": 0, "duplicate": 0, "anomaly": 0, "error": 0}
            started = time.perf_counter()
            size = options["batch_size"]
            for start in range(0, len(records), size):
                result = client.upload_punches(project_id, records[start : start + size], device_sn=device_sn)
                for key in totals:
                    totals[key] += result[key]
                for item in result["results"]:
                    if item["status"] == "error":
                        self.stderr.write(f"第 {start + item['index'] + 1} 条未保存：{item['message']}")
            elapsed = time.perf_counter() - started
        except ApiError as exc:
            raise CommandError(f"平台拒绝请求：{exc.status} {exc.code} {exc.message}") from None
        except OSError as exc:
            raise CommandError(f"无法连接平台 {options['url']}：{exc}") from None
        rate = len(records) / elapsed if elapsed > 0 else 0
        self.stdout.write(
            f"在场人员 {len(persons)} 人，发送考勤 {len(records)} 条，用时 {elapsed:.2f} 秒（{rate:.0f} 条/秒）："
            f"新增 {totals['created']}，异常 {totals['anomaly']}，重复 {totals['duplicate']}，错误 {totals['error']}。"
        )

    def _roster(self, client: PlatformClient, project_id: int) -> list[dict]:
        persons, page = [], 1
        while True:
            data = client.roster(project_id, page=page, page_size=500)
            persons += data["items"]
            if page * data["pageSize"] >= data["total"]:
                return persons
            page += 1

    def _records(self, persons: list[dict], options) -> list[dict]:
        rng = random.Random(options["seed"])
        now = datetime.datetime.now(SHANGHAI)
        today = now.date()
        records = []
        for back in range(options["days"] - 1, -1, -1):
            day = today - datetime.timedelta(days=back)
            for person in persons:
                if person["entryDate"] > day.isoformat():
                    continue
                arrive = datetime.datetime(
                    day.year, day.month, day.day, 7, tzinfo=SHANGHAI
                ) + datetime.timedelta(seconds=rng.randint(0, 90 * 60))
                leave = datetime.datetime(
                    day.year, day.month, day.day, 17, tzinfo=SHANGHAI
                ) + datetime.timedelta(seconds=rng.randint(0, 120 * 60))
                for moment, direction in ((arrive, "01"), (leave, "02")):
                    if moment > now:
                        continue
                    records.append(
                        {
                            "recordId": f"sim-{person['rosterEntryId']}-{day:%Y%m%d}-{direction}",
                            "idCardType": person["idCardType"],
                            "idCardNumber": person["idCardNumber"],
                            "name": person["name"],
                            "time": moment.strftime("%Y-%m-%d %H:%M:%S"),
                            "direction": direction,
                            "attendType": "001",
                        }
                    )
        for index in range(options["anomalies"]):
            moment = now - datetime.timedelta(minutes=rng.randint(1, 600))
            records.append(
                {
                    "recordId": f"sim-stranger-{moment:%Y%m%d%H%M%S}-{index}",
                    "idCardNumber": random_id_number(rng),
                    "name": "陌生人",
                    "time": moment.strftime("%Y-%m-%d %H:%M:%S"),
                    "direction": "01",
                }
            )
        return records
