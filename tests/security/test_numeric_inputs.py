"""No numeric input of the platform gives a 500, and a value that is not a plain number is refused as
such, in Chinese (docs/security.md, "Amounts").

`NaN`, infinities and exponents are numbers to Decimal() and float(); `1e309` overflowed the
quantize of an amount, `9999999999.99` as a 单价 the database column, and `NaN` was called negative.
The values are posted to every numeric field of every form, to the wage pages that parse amounts by
hand, to the bank result's 金额, and to every numeric property of every API request schema.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from ninja.responses import NinjaJSONEncoder
from openpyxl import Workbook

from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.money import AmountField
from jmzhgd.core.months import parse_month
from jmzhgd.portal.api import api
from tests import factories
from tests.api.conftest import make_signed
from tests.wages.approval import CONFIRMED
from wages import services, transitions
from wages.models import Payroll, PayrollRow, PayRule, WageAccount

NOT_NUMBERS = ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "1e309", "1e30", "1E3", "1,5e2"]
TOO_LARGE = ["9999999999.99", "99999999999999999999", "1" + "0" * 400]
HOSTILE = NOT_NUMBERS + TOO_LARGE + ["-1", "-0.001"]
STOCK_WORDING = ("确保", "输入一个", "这个字段", "Enter a")
CJK = re.compile(r"[\u4e00-\u9fff]")
APRIL = "2026-04"


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the platform (the URL conf imports every view, and with it every form)."""
    get_resolver().url_patterns  # noqa: B018 — import every view module
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if not sub.__module__.startswith(("django", "crispy", "captcha", "django_filters", "ninja")):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def numeric_fields(cls) -> dict[str, forms.Field]:
    fields = copy.deepcopy(cls.base_fields)
    if issubclass(cls, PlatformFormMixin):
        from jmzhgd.core.forms import apply_platform_rules

        for name, field in fields.items():
            apply_platform_rules(field, name)
    return {
        f"{cls.__module__}.{cls.__qualname__}.{name}": field
        for name, field in fields.items()
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField | AmountField)
    }


FIELDS = {key: field for cls in project_forms() for key, field in numeric_fields(cls).items()}


def _bounded(field) -> bool:
    if isinstance(field, AmountField):
        return True
    if getattr(field, "max_value", None) is not None:
        return True
    return isinstance(field, forms.DecimalField) and field.max_digits is not None


def test_the_walk_finds_the_numeric_fields_of_the_platforms_forms():
    names = {key.rsplit(".", 1)[-1] for key in FIELDS}
    assert {"deposit_amount", "pay_day", "lat", "lng", "unit_price"} <= names


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_every_numeric_form_field_refuses_what_is_not_a_plain_bounded_number_in_chinese(key):
    field = FIELDS[key]
    assert _bounded(field), f"{key}: a numeric field without an upper bound reaches the database as typed"
    for value in HOSTILE:
        try:
            cleaned = field.clean(value)
        except ValidationError as exc:
            text = " ".join(exc.messages)
            assert CJK.search(text) and not any(w in text for w in STOCK_WORDING), (key, value, text)
            if value in NOT_NUMBERS:
                assert "负数" not in text, (key, value, text)
        else:
            assert value not in NOT_NUMBERS, f"{key} accepted {value!r} as {cleaned!r}"


# --- the wage pages, which parse amounts typed into their tables -------------------------------


@pytest.fixture
def draft(project, today_may):
    from tests.wages.conftest import present

    team = factories.TeamFactory(unit__project=project, name="钢筋一班")
    entry = factories.RosterEntryFactory(team=team, person__name="张三")
    import datetime

    present(entry, datetime.date(2026, 4, 1))
    return team, entry


@pytest.fixture
def today_may(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 5, 20))


@pytest.mark.django_db
def test_no_amount_typed_on_the_wage_pages_gives_a_500(project_client, project, project_user, draft):
    from jmzhgd.core.actor import Actor

    team, _ = draft
    actor = Actor(user=project_user, ip="127.0.0.1")
    sheet = services.generate_payroll(actor, team, parse_month(APRIL))
    row = sheet.rows.get()
    p = {"project_id": project.pk}
    s = {**p, "payroll_id": sheet.pk}
    account = {"bank_code": "105", "branch_name": "江门分行", "account_number": "44050166010100001234"}
    posts = {
        "生成工资表 单价": (
            reverse("wages:generate", kwargs=p),
            lambda v: {"team": team.pk, "pay_month": "2026-03", "pay_rule": "daily", "rate": v},
        ),
        "按规则计算 单价": (reverse("wages:rule", kwargs=s), lambda v: {"pay_rule": "daily", "rate": v}),
        "应发": (reverse("wages:detail", kwargs=s), lambda v: {f"total_{row.pk}": v}),
        "代扣代缴": (
            reverse("wages:detail", kwargs=s),
            lambda v: {f"total_{row.pk}": "1", f"deduct_{row.pk}": v},
        ),
        "实发": (
            reverse("wages:detail", kwargs=s),
            lambda v: {f"total_{row.pk}": "1", f"actual_{row.pk}": v},
        ),
        "计件数量": (
            reverse("wages:detail", kwargs=s),
            lambda v: {f"total_{row.pk}": "1", f"qty_{row.pk}": v},
        ),
        "工资保证金": (
            reverse("wages:account", kwargs=p),
            lambda v: {**account, "pay_day": "15", "deposit_amount": v},
        ),
        "工资支付日期": (reverse("wages:account", kwargs=p), lambda v: {**account, "pay_day": v}),
    }
    for label, (url, data) in posts.items():
        for value in HOSTILE:
            response = project_client.post(url, data(value), follow=True)
            assert response.status_code < 500, (label, value)
            html = response.content.decode()
            if value in NOT_NUMBERS:
                assert "负数" not in html and ("数字" in html or "整数" in html), (label, value)
            elif value in TOO_LARGE:
                assert any(w in html for w in ("不能超过", "不能大于", "最多", "应填写整数")), (label, value)
    assert not WageAccount.objects.exists()
    assert set(PayrollRow.objects.values_list("total_amount", flat=True)) == {Decimal("0.00")}
    assert Payroll.objects.count() == 1 and Payroll.objects.get().pay_rule == PayRule.MANUAL


@pytest.mark.django_db
def test_no_amount_in_a_bank_result_gives_a_500(project_client, project, project_user, draft):
    from jmzhgd.core.actor import Actor

    team, entry = draft
    actor = Actor(user=project_user, ip="127.0.0.1")
    sheet = services.generate_payroll(actor, team, parse_month(APRIL))
    services.update_rows(actor, sheet, {sheet.rows.get().pk: {"total_amount": "300"}})
    sheet = transitions.approve(actor, transitions.submit(actor, sheet), confirmation=CONFIRMED)
    url = reverse("wages:bank_result", kwargs={"project_id": project.pk, "payroll_id": sheet.pk})
    card = sheet.rows.get().bank_card_number or "6217000000000000011"
    for value in HOSTILE + [float("nan"), float("inf"), 1e30]:
        book = Workbook()
        book.active.append(["卡号", "金额", "状态"])
        book.active.append([card, value, "成功"])
        out = io.BytesIO()
        book.save(out)
        response = project_client.post(url, {"file": SimpleUploadedFile("结果.xlsx", out.getvalue())})
        assert response.status_code == 200, value
        html = response.content.decode()
        assert "文件未导入" in html and "第2行" in html, value
        if str(value) in NOT_NUMBERS or value != value or value in (float("inf"), 1e30):
            assert "负数" not in html, value


# --- the API -----------------------------------------------------------------------------------

RAW_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e30",
    "9999999999.99",
    "99999999999999999999",
    '"NaN"',
]
PLACEHOLDER = "__NUMBER__"


def _openapi() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def numeric_properties() -> set[tuple[str, str]]:
    """(operation path, property path) of every number or integer in a request body."""
    doc = _openapi()
    schemas = doc["components"]["schemas"]

    def walk(schema, path):
        if "$ref" in schema:
            yield from walk(schemas[schema["$ref"].split("/")[-1]], path)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(key, []):
                yield from walk(option, path)
        if schema.get("type") in ("number", "integer"):
            yield path
        if schema.get("type") == "array" and "items" in schema:
            yield from walk(schema["items"], path + "[0]")
        for name, sub in schema.get("properties", {}).items():
            yield from walk(sub, f"{path}.{name}" if path else name)

    found = set()
    for route, operations in doc["paths"].items():
        for operation in operations.values():
            body = operation.get("requestBody")
            if body:
                found |= {(route, p) for p in walk(body["content"]["application/json"]["schema"], "")}
    return found


def _set(body: dict, path: str, value) -> dict:
    body = copy.deepcopy(body)
    target, parts = body, re.findall(r"[^.\[\]]+|\[0\]", path)
    for part in parts[:-1]:
        target = target[0] if part == "[0]" else target.setdefault(part, {})
    target[parts[-1]] = value
    return body


def _tiny_jpeg() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


def sample_bodies(project, team, entry) -> dict[str, dict]:
    """A request each endpoint would accept; every numeric property is then replaced in turn."""
    person = entry.person
    return {
        "/api/v1/projects/{project_id}/persons": {
            "workerName": person.name,
            "idCardType": "01",
            "idCardNumber": person.id_number,
            "entry": {"teamId": team.pk},
        },
        "/api/v1/projects/{project_id}/punches": {
            "records": [
                {
                    "idCardNumber": person.id_number,
                    "time": "2026-05-20 08:00:00",
                    "direction": "01",
                    "lat": 22.58,
                    "lng": 113.08,
                }
            ]
        },
        "/api/v1/projects/{project_id}/fence-punches": {
            "records": [
                {
                    "uuid": "0b6f2c1e-8d4a-4f57-9a3e-2f1c6d7e8a90",
                    "idCardNumber": person.id_number,
                    "time": "2026-05-20 08:00:00",
                    "direction": "01",
                    "lat": 22.58,
                    "lng": 113.08,
                    "accuracy": 15,
                    "image": _tiny_jpeg(),
                }
            ]
        },
        "/api/v1/projects/{project_id}/payrolls": {
            "corpCode": team.unit.enterprise.credit_code,
            "teamName": team.name,
            "payMonth": APRIL,
            "thirdPayRollCode": "V-1",
            "detailList": [
                {
                    "idCardNumber": person.id_number,
                    "days": 1,
                    "workHours": 8,
                    "totalPayAmount": 300,
                    "actualAmount": 300,
                    "isBackPay": 0,
                }
            ],
        },
    }


@pytest.mark.django_db
def test_no_number_in_any_api_request_gives_a_500(client, project, draft):
    team, entry = draft
    signed = make_signed(client, project)
    bodies = sample_bodies(project, team, entry)
    properties = numeric_properties()
    assert {route for route, _ in properties} <= set(bodies), "a new request schema needs a sample body"
    assert len(properties) >= 8
    for route, prop in sorted(properties):
        path = route.replace("{project_id}", str(project.pk))
        text = json.dumps(_set(bodies[route], prop, PLACEHOLDER), ensure_ascii=False)
        for token in RAW_TOKENS:
            body = text.replace(f'"{PLACEHOLDER}"', token).encode()
            response = signed.request("POST", path, body=body)
            assert response.status_code < 500, (route, prop, token, response.content[:300])
    assert not Payroll.objects.filter(rows__total_amount__gt=100000).exists()
