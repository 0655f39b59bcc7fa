"""工资单上传 (Payroll.Add) through the signed API: idempotent, and every bad input refused whole."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.api.conftest import error_of, make_signed
from wages.models import Payroll, PayrollRow

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(client, project):
    return make_signed(client, project)


def path(project):
    return f"/api/v1/projects/{project.pk}/payrolls"


def body(team, workers, **changes):
    zhang, li = workers["zhang"].person, workers["li"].person
    payload = {
        "corpCode": team.unit.enterprise.credit_code,
        "teamName": team.name,
        "payMonth": "2026-04",
        "thirdPayRollCode": "VENDOR-2026-04-001",
        "detailList": [
            {
                "idCardNumber": zhang.id_number,
                "days": 3,
                "totalPayAmount": 900,
                "actualAmount": 880,
                "balanceDate": "2026-05-15",
            },
            {"idCardNumber": li.id_number, "totalPayAmount": "600.00", "actualAmount": "600.00"},
        ],
    }
    payload.update(changes)
    return payload


def test_an_upload_makes_a_draft_sheet_with_the_amounts_and_the_platforms_attendance(
    signed, project, team, workers, today_may
):
    response = signed.post(path(project), body(team, workers))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["created"] is True and data["status"] == "draft" and data["rows"] == 3
    rows = {r.person.name: r for r in PayrollRow.objects.select_related("person")}
    assert (rows["张三"].days, rows["张三"].total_amount, rows["张三"].actual_amount) == (
        3,
        Decimal("900"),
        Decimal("880"),
    )
    assert rows["王五"].total_amount == Decimal("0.00")  # on the team that month, not in the upload


def test_the_same_third_party_code_again_writes_nothing(signed, project, team, workers, today_may):
    first = signed.post(path(project), body(team, workers)).json()
    again = signed.post(path(project), body(team, workers))
    assert again.status_code == 200 and again.json() == {**first, "created": False}
    assert Payroll.objects.count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"payMonth": "2026-06"}, "payMonth", "未来月份"),
        ({"payMonth": "2026-13"}, "payMonth", "YYYY-MM"),
        ({"teamName": "不存在的班组"}, "teamName", "班组不存在"),
    ],
)
def test_a_bad_header_is_refused(signed, project, team, workers, today_may, change, field, message):
    error = error_of(signed.post(path(project), body(team, workers, **change)))
    assert error["field"] == field and message in error["message"]
    assert not Payroll.objects.exists()


def test_a_worker_not_on_the_team_that_month_is_refused_and_nothing_is_written(
    signed, project, team, workers, today_may
):
    from tests import factories

    stranger = factories.PersonFactory()
    payload = body(team, workers)
    payload["detailList"].append({"idCardNumber": stranger.id_number, "totalPayAmount": 1, "actualAmount": 1})
    error = error_of(signed.post(path(project), payload))
    assert (
        error["field"] == "detailList[2].idCardNumber"
        and "不允许上传该工人的工资发放信息" in error["message"]
    )
    assert not Payroll.objects.exists() and not PayrollRow.objects.exists()


@pytest.mark.parametrize(
    "detail, field, message",
    [
        ({"balanceDate": "2026-05-21"}, "detailList[0].balanceDate", "不能大于今天"),
        ({"balanceDate": "2026-13-01"}, "detailList[0].balanceDate", "YYYY-MM-DD"),
        ({"totalPayAmount": -1}, "detailList.0.totalPayAmount", None),
        ({"totalPayAmount": "abc"}, "detailList.0.totalPayAmount", None),
        ({"actualAmount": 950}, "detailList", "须填写原因"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_written(
    signed, project, team, workers, today_may, detail, field, message
):
    payload = body(team, workers)
    payload["detailList"][0].update(detail)
    error = error_of(signed.post(path(project), payload))
    assert error["field"] == field
    assert message is None or message in error["message"]
    assert not Payroll.objects.exists()


def test_another_projects_credential_gets_a_404(client, other_project, project, team, workers, today_may):
    other = make_signed(client, other_project)
    assert other.post(path(project), body(team, workers)).status_code == 404
    assert not Payroll.objects.exists()


def test_the_upload_is_documented_in_the_openapi_page(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/projects/{project_id}/payrolls" in schema["paths"]
