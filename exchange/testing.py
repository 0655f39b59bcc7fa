"""A fake provincial platform for tests and the benchmark: a real HTTP server on 127.0.0.1 that
checks what the national standard checks (docs/domain.md §2) and answers asynchronously.

It is written from the standard, not from exchange.mapping, so a mapping that drifts from the
standard is refused here: the signature, the AES round trip of every ID number (and its check digit),
required fields, field lengths, code-table values, no future dates, and the order (a worker whose
team the province does not know is refused with "[teamSysNo]值超出范围或无效!", wages of a worker
it does not know with "…的工人信息,不允许上传该工人的工资发放信息!").
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import urllib.parse
from datetime import datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .crypto import FieldCipher

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
TABLES = {
    "subCorpType": {f"{i:03d}" for i in range(1, 13)},  # 3.1 参建单位类型
    # 3.7 企业登记注册类型
    "corpType": set(
        "100 110 120 130 140 141 142 143 149 150 151 159 160 170 171 172 173 174 190 "
        "200 210 220 230 240 290 300 310 320 330 340 390 810".split()
    ),
    "workType": {f"{i:03d}" for i in range(10, 390, 10) if i not in (260, 370)} | {"390", "900", "1000"},
    "workRole": {"10", "20"},
    "idCardType": {f"{i:02d}" for i in range(1, 18)},
    "direction": {"01", "02"},
    "type": {"0", "1"},
    "attendType": {f"{i:03d}" for i in range(1, 12)},
    "contractPeriodType": {"0", "1"},
    "category": {f"{i:02d}" for i in range(1, 13)} | {"99"},
    "prjStatus": {"001", "002", "003", "004", "005"},
    "isBackPay": {"0", "1"},  # 是否
    # 3.13 银行代码: 3-digit 行别代码 (the full table is ~90 rows; the format is what is known)
    "payRollBankCode": {f"{i:03d}" for i in range(100, 1000)},
    "payBankCode": {f"{i:03d}" for i in range(100, 1000)},
}
LENGTHS = {
    "projectCode": 32,
    "corpCode": 18,
    "corpName": 200,
    "name": 200,
    "teamName": 100,
    "workerName": 50,
    "address": 200,
    "remark": 200,
    "description": 1000,
    "linkMan": 50,
    "linkPhone": 50,
    "areaCode": 6,
    "cellPhone": 20,
    "pmName": 50,
    "nation": 10,
}
SECRET_FIELDS = (
    "idCardNumber",
    "pmIDCardNumber",
    "teamLeaderIDNumber",
    "responsiblePersonIDNumber",
    "payRollBankCardNumber",
    "payBankCardNumber",
)
REQUIRED = {
    "Corp.Upload": ["corpCode", "corpName"],
    "Project.Add": [
        "projectCode",
        "name",
        "category",
        "areaCode",
        "contractorCorpCode",
        "buildCorpCode",
        "prjStatus",
    ],
    "ProjectSubContractor.Add": ["projectCode", "corpCode", "corpName", "corpType", "entryTime"],
    "Team.Add": ["projectCode", "corpCode", "corpName", "teamName", "entryTime"],
    "ProjectWorker.Add": ["projectCode", "corpCode", "teamSysNo", "workerList"],
    "ProjectWorker.Add/item": [
        "workerName",
        "idCardType",
        "idCardNumber",
        "workType",
        "workRole",
        "cellPhone",
    ],
    "WorkerEntryExit.Add": ["projectCode", "corpCode", "teamSysNo", "workerList"],
    "WorkerEntryExit.Add/item": ["idCardType", "idCardNumber", "date", "type"],
    "WorkerAttendance.Add": ["projectCode", "teamSysNo", "dataList"],
    "WorkerAttendance.Add/item": ["idCardType", "idCardNumber", "date", "direction"],
    "WorkerContract.Add": ["projectCode", "contractList"],
    "WorkerContract.Add/item": ["corpCode", "idCardType", "idCardNumber", "contractPeriodType", "startDate"],
    "Payroll.Add": ["projectCode", "corpCode", "corpName", "teamSysNo", "payMonth", "detailList"],
    "Payroll.Add/item": [
        "idCardType",
        "idCardNumber",
        "payRollBankCardNumber",
        "payRollBankCode",
        "payRollBankName",
        "payBankCardNumber",
        "payBankCode",
        "payBankName",
        "totalPayAmount",
        "actualAmount",
        "isBackPay",
        "balanceDate",
        "thirdPayRollCode",
    ],
}
LISTS = {
    "ProjectWorker.Add": "workerList",
    "WorkerEntryExit.Add": "workerList",
    "WorkerAttendance.Add": "dataList",
    "WorkerContract.Add": "contractList",
    "Payroll.Add": "detailList",
}


class Refusal(Exception):
    pass


def valid_id_number(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return (
        number[17]
        == "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11]
    )


class FakeProvince:
    """Start with `with FakeProvince(appid, secret, aes_key) as province:`; `province.url` is the endpoint."""

    def __init__(self, appid: str, secret: str, aes_key: str, *, pending_polls: int = 1):
        self.appid, self.secret, self.cipher = appid, secret, FieldCipher(aes_key)
        self.pending_polls = pending_polls  # polls answered 0 待处理 before the result
        self.lock = threading.Lock()
        self.received: list[tuple[str, dict]] = []  # (method, data) of every accepted write, decrypted
        self.results: dict[str, list] = {}  # serial -> [polls left, status, result]
        self.failures = 0  # the next N requests answer 503
        self.corps, self.projects, self.units, self.workers = set(), set(), set(), set()
        self.teams: dict[int, tuple[str, str]] = {}
        self._serials, self._team_numbers = itertools.count(1), itertools.count(1001)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/openapi"

    def __enter__(self) -> FakeProvince:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int = 1) -> None:
        self.failures += count

    def methods(self) -> list[str]:
        return [method for method, _ in self.received]

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

    def handle(self, params: dict) -> tuple[int, dict]:
        with self.lock:
            if self.failures:
                self.failures -= 1
                return 503, {"code": 503, "message": "服务暂不可用"}
            try:
                data = self._check_envelope(params)
                method = params["method"]
                if method == "AsyncHandleResult.Query":
                    return 200, {"code": 0, "message": "成功", "data": self._query(data)}
                serial = f"REQ{next(self._serials):08d}"
                try:
                    result = self._apply(method, data)
                    self.results[serial] = [self.pending_polls, "20", result]
                except Refusal as exc:
                    self.results[serial] = [self.pending_polls, "10", str(exc)]
                return 200, {"code": 0, "message": "成功", "data": {"requestSerialCode": serial}}
            except Refusal as exc:
                return 200, {"code": 1, "message": str(exc)}

    def _check_envelope(self, params: dict) -> dict:
        for name in ("appid", "format", "method", "version", "timestamp", "nonce", "data", "sign"):
            if not params.get(name):
                raise Refusal(f"[{name}]不能为空!")
        if params["appid"] != self.appid:
            raise Refusal("[appid]无效!")
        names = sorted(k for k in params if k != "sign")
        text = "&".join(f"{k}={params[k]}" for k in names) + f"&appsecret={self.secret}"
        if hashlib.sha256(text.lower().encode("utf-8")).hexdigest() != params["sign"]:
            raise Refusal("签名验证失败!")
        try:
            datetime.strptime(params["timestamp"], "%Y%m%d%H%M%S")
            return json.loads(params["data"])
        except ValueError as exc:
            raise Refusal(f"请求参数格式不正确: {exc}") from exc

    def _query(self, data: dict) -> dict:
        entry = self.results.get(str(data.get("requestSerialCode")))
        if entry is None:
            raise Refusal("[requestSerialCode]值超出范围或无效!")
        if entry[0] > 0:
            entry[0] -= 1
            return {"status": "0", "result": None}
        return {"status": entry[1], "result": entry[2] if entry[1] == "20" else {"message": entry[2]}}

    # --- the standard's checks -------------------------------------------------------------------

    def _fields(
        self, values: dict, required: list[str], where: str = "", sub_contractor: bool = False
    ) -> dict:
        plain = dict(values)
        for name in required:
            if values.get(name) in (None, "", []):
                raise Refusal(f"[{where}{name}]不能为空!")
        for name, limit in LENGTHS.items():
            if len(str(values.get(name, ""))) > limit:
                raise Refusal(f"[{where}{name}]长度不能超过{limit}!")
        for name in SECRET_FIELDS:
            if values.get(name):
                try:
                    plain[name] = self.cipher.decrypt(values[name])
                except ValueError as exc:
                    raise Refusal(f"[{where}{name}]解密失败!") from exc
        if plain.get("idCardType") == "01" and not valid_id_number(plain["idCardNumber"]):
            raise Refusal(f"[{where}idCardNumber]身份证号码无效!")
        for name, table in TABLES.items():
            if name == "subCorpType":
                continue
            if name == "corpType" and sub_contractor:
                table = TABLES["subCorpType"]  # ProjectSubContractor's corpType is 参建单位类型 (3.1)
            if name in values and str(values[name]) not in table:
                raise Refusal(f"[{where}{name}]参数值不正确,请参见字典表!")
        day = str(plain.get("date", ""))[:10]
        if day and day > datetime.now().strftime("%Y-%m-%d"):
            raise Refusal("[date]不能大于当天!")
        return plain

    def _team(self, data: dict) -> int:
        team = self.teams.get(data.get("teamSysNo"))
        if team is None or team[0] != data.get("projectCode"):
            raise Refusal("[teamSysNo]值超出范围或无效!")
        return data["teamSysNo"]

    def _apply(self, method: str, data: dict):
        if method not in REQUIRED:
            raise Refusal(f"[method]{method}不存在!")
        header = self._fields(data, REQUIRED[method], sub_contractor=method == "ProjectSubContractor.Add")
        items = []
        for index, item in enumerate(data.get(LISTS.get(method, ""), []) or []):
            items.append(self._fields(item, REQUIRED[f"{method}/item"], f"{LISTS[method]}[{index}]."))
        if method == "Corp.Upload":
            self.corps.add(data["corpCode"])
        elif method == "Project.Add":
            self.projects.add(data["projectCode"])
        elif method == "ProjectSubContractor.Add":
            if data["projectCode"] not in self.projects or data["corpCode"] not in self.corps:
                raise Refusal("[corpCode]企业或项目未上传!")
            self.units.add((data["projectCode"], data["corpCode"]))
        elif method == "Team.Add":
            if (data["projectCode"], data["corpCode"]) not in self.units:
                raise Refusal("[corpCode]该企业不是本项目的参建单位!")
            number = next(self._team_numbers)
            self.teams[number] = (data["projectCode"], data["corpCode"])
            self._record(method, header)
            return {"teamSysNo": number}
        elif method == "ProjectWorker.Add":
            self._team(data)
            self.workers.update((data["projectCode"], w["idCardNumber"]) for w in items)
        elif method == "Payroll.Add":
            self._team(data)
            self._payroll(data["projectCode"], str(data["payMonth"]), items)
        else:
            if method != "WorkerContract.Add":
                self._team(data)
            for item in items:
                if (data["projectCode"], item["idCardNumber"]) not in self.workers:
                    raise Refusal("未找到该项目下的工人信息,不允许上传!")
        self._record(method, {**header, **({LISTS[method]: items} if method in LISTS else {})})
        return {}

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
            where = f"detailList[{index}]."
            for name in ("totalPayAmount", "actualAmount"):
                try:
                    amount = Decimal(str(item[name]))
                except InvalidOperation:
                    raise Refusal(f"[{where}{name}]格式不正确!") from None
                if not amount.is_finite() or amount < 0:
                    raise Refusal(f"[{where}{name}]不能小于0!")
            try:
                balance = datetime.strptime(str(item["balanceDate"]), "%Y-%m-%d")
            except ValueError:
                raise Refusal(f"[{where}balanceDate]格式不正确,应为yyyy-MM-dd!") from None
            if balance.date() > now.date():
                raise Refusal(f"[{where}balanceDate]发放日期不能大于今天")
            if str(item["isBackPay"]) == "1" and not item.get("backPayMonth"):
                raise Refusal(f"[{where}backPayMonth]补发时不能为空!")
            if (project_code, item["idCardNumber"]) not in self.workers:
                raise Refusal(
                    f"[{where}idCardNumber]未找到证件号码为{item['idCardNumber'][:6]}****的工人信息,"
                    "不允许上传该工人的工资发放信息!"
                )

    def _record(self, method: str, data: dict) -> None:
        self.received.append((method, data))
