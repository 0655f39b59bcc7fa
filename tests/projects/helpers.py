"""Small builders shared by the projects tests."""

from __future__ import annotations

import io

from PIL import Image

from jmzhgd.core.actor import Actor
from projects.models import Declaration
from projects.services import submit_declaration
from tests import factories

CAPTCHA = {"captcha_0": "k", "captcha_1": "PASSED"}


def png_bytes(size=(40, 40), colour=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def declaration_data(**overrides) -> dict:
    data = {
        "name": "江门市测试安置房工程",
        "category": "01",
        "nature": "001",
        "district": "440703",
        "address": "江门市蓬江区测试路1号",
        "builder_name": "江门市测试建设投资有限公司",
        "builder_code": factories.credit_code(),
        "contractor_name": "广东测试建筑工程有限公司",
        "contractor_code": factories.credit_code(),
        "permit_number": "440703202611240101",
        "total_investment": "12000",
        "building_area": "56000",
        "start_date": "2026-12-01",
        "planned_completion_date": "2028-06-30",
        "contact_name": "陈联系",
        "contact_phone": "13800001111",
        "description": "测试申报",
    }
    data.update(overrides)
    return data


def make_declaration(ip: str | None = "10.0.0.1", **overrides) -> Declaration:
    """A pending declaration through the real action (the form's normal forms of the values)."""
    from datetime import date
    from decimal import Decimal

    data = declaration_data(**overrides)
    data["total_investment"] = Decimal(data["total_investment"]) if data["total_investment"] else None
    data["building_area"] = Decimal(data["building_area"]) if data["building_area"] else None
    data["start_date"] = date.fromisoformat(data["start_date"]) if data["start_date"] else None
    data["planned_completion_date"] = (
        date.fromisoformat(data["planned_completion_date"]) if data["planned_completion_date"] else None
    )
    return submit_declaration(Actor(ip=ip, label="申报人 测试"), data)
