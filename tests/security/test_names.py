"""Names (persons, enterprises, teams, projects, contacts) refuse control characters, invisible
direction characters and emoji with a message that says so, on every path (ASVS 5.1.3, 5.1.4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.forms import EnterpriseForm, TeamForm, UnitDetailsForm
from jmzhgd.core.actor import Actor
from jmzhgd.core.validators import validate_name
from projects.forms import DeclarationForm, PermitForm
from tests import factories
from tests.api.conftest import error_of, make_signed
from tests.workforce.fixtures.site import PERSONS, build_site, row, workbook_bytes
from workforce import imports
from workforce.models import Person
from workforce.services import upsert_person

INVISIBLE = "不能包含控制字符或不可见的方向字符"
EMOJI = "不能包含表情符号"
BAD = [
    ("张\x00三", INVISIBLE),
    ("张\x07三", INVISIBLE),
    ("张\x1f三", INVISIBLE),
    ("张\u202e三", INVISIBLE),
    ("张\u202a三", INVISIBLE),
    ("张\u2066三\u2069", INVISIBLE),
    ("张\u200e三", INVISIBLE),
    ("张\u200f三", INVISIBLE),
    ("张\u200b三", INVISIBLE),
    ("张三😀", EMOJI),
    ("张三⭐", EMOJI),
    ("张三🇨🇳", EMOJI),
    ("张三❤\ufe0f", EMOJI),
]
GOOD = [
    "王强",
    "欧阳·娜娜",
    "阿卜杜·热合曼",
    "Maria José",
    "𠮷野",
    "江门市建安劳务有限公司（二分公司）",
    "钢筋1班-A",
]


@pytest.mark.parametrize(("name", "problem"), BAD)
def test_the_validator_says_what_is_wrong_with_a_name(name, problem):
    with pytest.raises(ValidationError) as error:
        validate_name(name, "姓名")
    assert error.value.messages == [f"姓名{problem}。"]


@pytest.mark.parametrize("name", GOOD)
def test_real_names_pass_including_rare_characters_and_middle_dots(name):
    validate_name(name, "姓名")


@pytest.mark.parametrize(("name", "problem"), BAD)
def test_every_name_field_of_the_enterprise_unit_team_project_and_permit_forms_refuses(name, problem):
    forms = [
        (
            EnterpriseForm({"name": name, "legal_rep": name, "contact_name": name}),
            ["name", "legal_rep", "contact_name"],
        ),
        (UnitDetailsForm({"pm_name": name, "wage_bank_name": name}), ["pm_name", "wage_bank_name"]),
        (
            TeamForm({"name": name, "leader_name": name, "responsible_name": name}),
            ["name", "leader_name", "responsible_name"],
        ),
        (
            DeclarationForm(
                {"name": name, "builder_name": name, "contractor_name": name, "contact_name": name}
            ),
            ["name", "builder_name", "contractor_name", "contact_name"],
        ),
        (PermitForm({"scope_name": name}), ["scope_name"]),
    ]
    for form, fields in forms:
        form.is_valid()
        for field in fields:
            assert any(problem in message for message in form.errors.get(field, [])), (type(form), field)
            assert not any("空字符串" in message for message in form.errors.get(field, []))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "problem"), BAD[:2] + BAD[3:4] + BAD[9:10])
def test_the_person_form_refuses_the_name_and_writes_nothing(project_client, project, name, problem):
    url = reverse("workforce:person_create", kwargs={"project_id": project.pk})
    number = factories.id_number()
    page = project_client.post(url, {"id_type": "01", "id_number": number, "name": name}).content.decode()
    assert f"姓名{problem}" in page and "不允许是用空字符串" not in page
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_person_action_refuses_every_bad_name_field(project):
    data = {"id_number": factories.id_number(), "name": "王强", "urgent_contact_name": "李\u202e四"}
    data["bank_name"] = "工商银行🏦"
    with pytest.raises(ValidationError) as error:
        upsert_person(Actor.system(), data, source="web", project=project)
    assert error.value.message_dict == {
        "urgent_contact_name": [f"紧急联系人{INVISIBLE}。"],
        "bank_name": [f"工资卡开户行{EMOJI}。"],
    }
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_batch_import_reports_the_bad_name_cell(project):
    build_site(project)
    number = PERSONS["李建国"]
    upload = SimpleUploadedFile(
        "a.xlsx", workbook_bytes([row("李建\u202e国", number), row("李建国😀", number)])
    )
    batch = imports.create_preview(Actor.system(), project, upload)
    assert batch.report[0]["errors"][0] == ["姓名", f"姓名{INVISIBLE}"]
    assert batch.report[1]["errors"][0] == ["姓名", f"姓名{EMOJI}"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("workerName", "张\u202e三", "姓名"),
        ("workerName", "张三😀", "姓名"),
        ("urgentLinkMan", "李\u2066四", "紧急联系人"),
        ("payRollBankName", "银行\x07", "工资卡开户行"),
    ],
)
def test_the_api_answers_422_naming_the_field_and_the_problem(client, project, field, value, label):
    payload = {"workerName": "张三", "idCardNumber": factories.id_number(), field: value}
    response = make_signed(client, project).post(f"/api/v1/projects/{project.pk}/persons", payload)
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == field and label in error["message"]
    assert INVISIBLE in error["message"] or EMOJI in error["message"]
    assert not Person.objects.exists()
