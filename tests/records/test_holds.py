"""Legal holds: a supervisor sets one with a reason and ends it with a reason, both audited; nobody
else may (docs/retention.md §3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from records import services
from records.models import LegalHold

pytestmark = pytest.mark.django_db

REASON = "劳动争议仲裁 江劳人仲案〔2026〕12号"


def test_a_hold_needs_a_reason_and_a_supervisor(project, supervisor, project_user):
    with pytest.raises(ValidationError, match="请填写保全原因"):
        services.set_hold(Actor(user=supervisor), project, "  ")
    with pytest.raises(PermissionDenied, match="只有监管部门"):
        services.set_hold(Actor(user=project_user), project, REASON)
    assert not LegalHold.objects.exists()

    hold = services.set_hold(Actor(user=supervisor), project, REASON)
    with pytest.raises(ValidationError, match="已有生效中的保全"):
        services.set_hold(Actor(user=supervisor), project, REASON)
    with pytest.raises(ValidationError, match="请填写解除原因"):
        services.end_hold(Actor(user=supervisor), hold, "")
    with pytest.raises(PermissionDenied):
        services.end_hold(Actor(user=project_user), hold, "仲裁已结案")
    services.end_hold(Actor(user=supervisor), hold, "仲裁已结案，裁决书已执行")

    hold.refresh_from_db()
    assert not hold.is_active and hold.end_reason == "仲裁已结案，裁决书已执行"
    logged = list(AuditLog.objects.filter(project=project).order_by("id").values_list("action", "summary"))
    assert logged == [
        ("legal_hold.set", f"设置法律保全：{REASON}"),
        ("legal_hold.end", "解除法律保全：仲裁已结案，裁决书已执行"),
    ]


def test_a_supervisor_sets_and_ends_a_hold_on_the_page(supervisor_client, project):
    url = reverse("records:holds")
    response = supervisor_client.post(url, {"project_code": project.code, "reason": ""})
    assert response.status_code == 200 and "保全原因" in response.content.decode()
    response = supervisor_client.post(url, {"project_code": "NOSUCHCODE", "reason": REASON})
    assert "监管范围内没有项目编码为 NOSUCHCODE 的项目" in response.content.decode()

    response = supervisor_client.post(url, {"project_code": project.code, "reason": REASON})
    assert response.status_code == 302
    hold = LegalHold.objects.active().get(project=project)
    page = supervisor_client.get(url).content.decode()
    assert REASON in page and "保全中" in page

    end_url = reverse("records:hold_end", kwargs={"hold_id": hold.pk})
    assert "确认解除" in supervisor_client.get(end_url).content.decode()
    assert supervisor_client.post(end_url, {"reason": ""}).status_code == 200
    assert supervisor_client.post(end_url, {"reason": "争议已调解结案"}).status_code == 302
    assert not LegalHold.objects.active().exists()
    assert supervisor_client.get(end_url).status_code == 404  # an ended hold is not ended twice


def test_the_retention_page_shows_the_table_and_the_dry_run(supervisor_client, free, held):
    page = supervisor_client.get(reverse("records:retention")).content.decode()
    assert "《保障农民工工资支付条例》第二十八条" in page
    assert "已竣工甲项目" in page and "争议中乙项目" in page and "跳过" in page
