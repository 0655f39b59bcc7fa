"""A strict fake provincial platform for tests and the benchmark: a real HTTP server on 127.0.0.1
that checks what the national platform checks (docs/domain.md §2) and answers as it does.

It is written from the standard and the messages public clients handle, not from exchange.mapping,
so a mapping that drifts is refused here:
- the envelope: a known appid (the project's national code, one secret each; the secret is the AES
  key unless one key is given for all), the signature, the projectCode of the appid's own project;
- every ID and card number's AES round trip (and the ID's check digit), required fields (a worker
  without headImage: "[0][headImage]不能为空!"), lengths, every code table's values (民族 as the ID
  card writes it: "汉", "蒙古"), pictures (jpg/png, ≤ 50 KB), no future dates;
- the order: a worker of a team it does not know ("[teamSysNo]值超出范围或无效!"), wages of a worker
  it does not know ("…的工人信息,不允许上传该工人的工资发放信息!");
- duplicates: an Add of what it holds answers "…已存在…" (a team names its teamSysNo); an Update of
  what it does not hold is refused;
- answers as the real one sends them: `result` an object, an array (Payroll) or, every other
  answer, a string holding the JSON; with `flaky` > 0 some requests and polls fail transiently
  (HTTP 500, "Internal Error" answered at once or as the asynchronous result), seeded, so reproducible.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import threading
import urllib.parse
from datetime import datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .crypto import FieldCipher
from .province_checks import (
    IMAGES,
    LENGTHS,
    LISTS,
    REQUIRED,
    SECRET_FIELDS,
    TABLES,
    Refusal,
    check_image,
    valid_id_number,
)


class FakeProvince:
    """`with FakeProvince({appid: secret}) as province:`; `province.url` is the endpoint.

    `aes_key` (one key for every appid) stands for a province that issues one; `flaky` is the share of
    requests that fail transiently; `pending_polls` polls are answered 0 待处理 before the result."""

    def __init__(
        self,
        credentials: dict[str, str] | None = None,
        *,
        aes_key: str = "",
        pending_polls: int = 1,
        flaky: float = 0.0,
        seed: int = 37,
    ):
        self.credentials = dict(credentials or {})
        self.aes_key = aes_key
        self.pending_polls = pending_polls  # polls answered 0 待处理 before the result
        self.flaky, self.random = flaky, random.Random(seed)
        self.lock = threading.Lock()
        self.received: list[tuple[str, dict]] = []  # (method, data) of every accepted write, decrypted
        self.results: dict[str, list] = {}  # serial -> [polls left, status, result]
        self.failures = 0  # the next N requests answer 503
        self.faults = 0  # transient faults answered so far (flaky)
        self.scheduled: list[str] = []  # faults for the next requests, in order (fault_next)
        self.corps: set[str] = set()
        self.projects: set[str] = set()
        self.units: set[tuple[str, str]] = set()
        self.workers: set[tuple[str, str]] = set()
        self.teams: dict[int, tuple[str, str, str]] = {}  # teamSysNo -> (project, corp, teamName)
        self._serials, self._team_numbers = itertools.count(1), itertools.count(1001)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/openapi"

    def __enter__(self) -> FakeProvince:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def register(self, appid: str, secret: str) -> None:
        """A project's credentials as the province issued them."""
        with self.lock:
            self.credentials[appid] = secret

    def fail_next(self, count: int = 1) -> None:
        self.failures += count

    def fault_next(self, *kinds: str) -> None:
        """The next requests fail transiently: "http" (500), "sync" (code -1 Internal Error) or
        "async" (a write answered, its result 处理失败 "Internal Error")."""
        self.scheduled.extend(kinds)

    def methods(self) -> list[str]:
        return [method for method, _ in self.received]

    def team_number(self, project_code: str, corp_code: str, team_name: str) -> int | None:
        for number, team in self.teams.items():
            if team == (project_code, corp_code, team_name):
                return number
        return None

    # --- HTTP ------------------------------------------------------------------------------------

    def _handler(self):
        province = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                status, answer = province.handle(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))
                payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler

    def _fault(self) -> str | None:
        """Now and then (flaky): 'http' (a 500), 'sync' (code -1 Internal Error) or 'async'."""
        if self.scheduled:
            self.faults += 1
            return self.scheduled.pop(0)
        if self.flaky and self.random.random() < self.flaky:
            self.faults += 1
            return self.random.choice(["http", "sync", "async"])
        return None

    def handle(self, params: dict) -> tuple[int, dict]:
        with self.lock:
            if self.failures:
                self.failures -= 1
                return 503, {"code": 503, "message": "服务暂不可用"}
            fault = self._fault()
            if fault == "http":
                return 500, {"code": 500, "message": "Internal Server Error"}
            if fault == "sync":
                return 200, {"code": -1, "message": "Internal Error"}
            try:
                data, cipher = self._check_envelope(params)
                method = params["method"]
                if method == "AsyncHandleResult.Query":
                    return 200, {"code": 0, "message": "成功", "data": self._query(data)}
                number = next(self._serials)
                serial = f"REQ{number:08d}"
                if fault == "async":
                    self.results[serial] = [self.pending_polls, "10", "Internal Error"]
                else:
                    try:
                        result = self._apply(method, data, params["appid"], cipher)
                        # Every other answer carries its result as a string of JSON, as some do.
                        self.results[serial] = [
                            self.pending_polls,
                            "20",
                            json.dumps(result, ensure_ascii=False) if number % 2 else result,
                        ]
                    except Refusal as exc:
                        message = str(exc)
                        self.results[serial] = [
                            self.pending_polls,
                            "10",
                            message if number % 2 else {"message": message},
                        ]
                return 200, {"code": 0, "message": "成功", "data": {"requestSerialCode": serial}}
            except Refusal as exc:
                return 200, {"code": 1, "message": str(exc)}

    def _check_envelope(self, params: dict) -> tuple[dict, FieldCipher]:
        for name in ("appid", "format", "method", "version", "timestamp", "nonce", "data", "sign"):
            if not params.get(name):
                raise Refusal(f"[{name}]不能为空!")
        secret = self.credentials.get(params["appid"])
        if secret is None:
            raise Refusal("[appid]无效!")
        names = sorted(k for k in params if k != "sign")
        text = "&".join(f"{k}={params[k]}" for k in names) + f"&appsecret={secret}"
        if hashlib.sha256(text.lower().encode("utf-8")).hexdigest() != params["sign"]:
            raise Refusal("签名验证失败!")
        try:
            datetime.strptime(params["timestamp"], "%Y%m%d%H%M%S")
            data = json.loads(params["data"])
        except ValueError as exc:
            raise Refusal(f"请求参数格式不正确: {exc}") from exc
        if not isinstance(data, dict):
            raise Refusal("请求参数格式不正确")
        return data, FieldCipher(self.aes_key or secret)

    def _query(self, data: dict) -> dict:
        entry = self.results.get(str(data.get("requestSerialCode")))
        if entry is None:
            raise Refusal("[requestSerialCode]值超出范围或无效!")
        if entry[0] > 0:
            entry[0] -= 1
            return {"status": "0", "result": None}
        return {"status": entry[1], "result": entry[2]}

    # --- the standard's checks -------------------------------------------------------------------

    def _fields(self, values: dict, method: str, cipher: FieldCipher, where: str = "") -> dict:
        plain = dict(values)
        for name in REQUIRED[method]:
            if values.get(name) in (None, "", []):
                raise Refusal(f"{where}[{name}]不能为空!")
        for name, limit in LENGTHS.items():
            if len(str(values.get(name, ""))) > limit:
                raise Refusal(f"{where}[{name}]长度不能超过{limit}!")
        for name in SECRET_FIELDS:
            if values.get(name):
                try:
                    plain[name] = cipher.decrypt(values[name])
                except ValueError as exc:
                    raise Refusal(f"{where}[{name}]解密失败!") from exc
        if plain.get("idCardType") == "01" and not valid_id_number(plain["idCardNumber"]):
            raise Refusal(f"{where}[idCardNumber]身份证号码无效!")
        for name, table in TABLES.items():
            if name == "subCorpType":
                continue
            if name == "corpType" and method.startswith("ProjectSubContractor."):
                table = TABLES["subCorpType"]  # ProjectSubContractor's corpType is 参建单位类型 (3.1)
            if name in values and str(values[name]) not in table:
                raise Refusal(f"{where}[{name}]参数值不正确,请参见字典表!")
        for name in IMAGES:
            if values.get(name):
                check_image(values[name], where, name)
                plain[name] = f"<{name}>"  # what the tests read back needs no pictures
        day = str(plain.get("date", ""))[:10]
        if day and day > datetime.now().strftime("%Y-%m-%d"):
            raise Refusal("[date]不能大于当天!")
        return plain

    def _team(self, data: dict) -> int:
        team = self.teams.get(data.get("teamSysNo"))
        if team is None or team[0] != data.get("projectCode"):
            raise Refusal("[teamSysNo]值超出范围或无效!")
        return data["teamSysNo"]

    def _apply(self, method: str, data: dict, appid: str, cipher: FieldCipher):
        if method not in REQUIRED:
            raise Refusal(f"[method]{method}不存在!")
        if "projectCode" in data and data["projectCode"] != appid:
            raise Refusal("[projectCode]与appid不一致!")
        header = self._fields(data, method, cipher)
        items = []
        for index, item in enumerate(data.get(LISTS.get(method, ""), []) or []):
            items.append(self._fields(item, f"{method}/item", cipher, f"[{index}]"))
        result = getattr(self, "_" + method.replace(".", "_").lower())(data, items)
        self._record(method, {**header, **({LISTS[method]: items} if method in LISTS else {})})
        return result if result is not None else {}

    def _corp_upload(self, data, items):
        self.corps.add(data["corpCode"])

    def _project_add(self, data, items):
        if data["projectCode"] in self.projects:
            raise Refusal(f"[projectCode]项目编码{data['projectCode']}已存在!")
        self.projects.add(data["projectCode"])

    def _project_partupdate(self, data, items):
        if data["projectCode"] not in self.projects:
            raise Refusal("[projectCode]项目不存在!")

    def _projectsubcontractor_add(self, data, items):
        if data["projectCode"] not in self.projects or data["corpCode"] not in self.corps:
            raise Refusal("[corpCode]企业或项目未上传!")
        if (data["projectCode"], data["corpCode"]) in self.units:
            raise Refusal("[corpCode]该参建单位已存在!")
        self.units.add((data["projectCode"], data["corpCode"]))

    def _projectsubcontractor_update(self, data, items):
        if (data["projectCode"], data["corpCode"]) not in self.units:
            raise Refusal("[corpCode]该企业不是本项目的参建单位!")

    def _team_add(self, data, items):
        if (data["projectCode"], data["corpCode"]) not in self.units:
            raise Refusal("[corpCode]该企业不是本项目的参建单位!")
        there = self.team_number(data["projectCode"], data["corpCode"], data["teamName"])
        if there is not None:
            raise Refusal(f"[teamName]班组名称已存在,teamSysNo:{there}")
        number = next(self._team_numbers)
        self.teams[number] = (data["projectCode"], data["corpCode"], data["teamName"])
        return {"teamSysNo": number}

    def _team_update(self, data, items):
        self._team(data)
        there = self.team_number(data["projectCode"], data["corpCode"], data["teamName"])
        if there not in (None, data["teamSysNo"]):
            raise Refusal(f"[teamName]班组名称已存在,teamSysNo:{there}")
        self.teams[data["teamSysNo"]] = (data["projectCode"], data["corpCode"], data["teamName"])

    def _projectworker_add(self, data, items):
        self._team(data)
        for index, item in enumerate(items):
            if (data["projectCode"], item["idCardNumber"]) in self.workers:
                raise Refusal(f"[{index}][idCardNumber]该项目下已存在该工人!")
        self.workers.update((data["projectCode"], w["idCardNumber"]) for w in items)

    def _projectworker_update(self, data, items):
        self._team(data)
        for index, item in enumerate(items):
            if (data["projectCode"], item["idCardNumber"]) not in self.workers:
                raise Refusal(f"[{index}][idCardNumber]该项目下不存在该工人!")

    def _known_workers(self, data, items):
        for item in items:
            if (data["projectCode"], item["idCardNumber"]) not in self.workers:
                raise Refusal("未找到该项目下的工人信息,不允许上传!")

    def _workerentryexit_add(self, data, items):
        self._team(data)
        self._known_workers(data, items)

    def _workerattendance_add(self, data, items):
        self._team(data)
        self._known_workers(data, items)

    def _workercontract_add(self, data, items):
        self._known_workers(data, items)

    def _projecttraining_add(self, data, items):
        if str(data["trainingDate"]) > datetime.now().strftime("%Y-%m-%d"):
            raise Refusal("[trainingDate]不能大于当天!")
        self._known_workers(data, items)

    def _personalcertifications_add(self, data, items):
        for index, item in enumerate(items):
            if str(item["firstIssueDate"]) > datetime.now().strftime("%Y-%m-%d"):
                raise Refusal(f"[{index}][firstIssueDate]不能大于当天!")
        self._known_workers(data, items)

    def _payroll_add(self, data, items):
        self._team(data)
        self._payroll(data["projectCode"], str(data["payMonth"]), items)
        return [{"thirdPayRollCode": item["thirdPayRollCode"], "status": "20"} for item in items]

    def _payroll(self, project_code: str, pay_month: str, items: list[dict]) -> None:
        """The 工资单 rules: payMonth yyyy-MM not after this month, balanceDate not after today,
        amounts in 元 not negative, backPayMonth with a back pay, and a worker the province knows."""
        now = datetime.now()
        try:
            if datetime.strptime(pay_month, "%Y-%m").strftime("%Y-%m") != pay_month:
                raise ValueError(pay_month)
        except ValueError:
            raise Refusal("[payMonth]格式不正确,应为yyyy-MM!") from None
        if pay_month > now.strftime("%Y-%m"):
            raise Refusal("[payMonth]不能大于今天!")
        for index, item in enumerate(items):
            where = f"[{index}]"
            for name in ("totalPayAmount", "actualAmount"):
                try:
                    amount = Decimal(str(item[name]))
                except InvalidOperation:
                    raise Refusal(f"{where}[{name}]格式不正确!") from None
                if not amount.is_finite() or amount < 0:
                    raise Refusal(f"{where}[{name}]不能小于0!")
            try:
                balance = datetime.strptime(str(item["balanceDate"]), "%Y-%m-%d")
            except ValueError:
                raise Refusal(f"{where}[balanceDate]格式不正确,应为yyyy-MM-dd!") from None
            if balance.date() > now.date():
                raise Refusal(f"{where}[balanceDate]发放日期不能大于今天")
            if str(item["isBackPay"]) == "1" and not item.get("backPayMonth"):
                raise Refusal(f"{where}[backPayMonth]补发时不能为空!")
            if (project_code, item["idCardNumber"]) not in self.workers:
                raise Refusal(
                    f"{where}[idCardNumber]未找到证件号码为{item['idCardNumber'][:6]}****的工人信息,"
                    "不允许上传该工人的工资发放信息!"
                )

    def _record(self, method: str, data: dict) -> None:
        self.received.append((method, data))
