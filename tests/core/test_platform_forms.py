"""The platform's form rules (jmzhgd.core.forms): plausible dates, compact codes, messages that name
the field and its limit in the platform's own Chinese."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from contracts.forms import ContractForm
from contracts.models import Contract
from enterprises.forms import EnterpriseForm, TeamForm
from projects.forms import LocationForm, ProjectEditForm
from tests import factories
from workforce.forms import PersonForm

pytestmark = pytest.mark.django_db

STOCK_WORDING = ("确保", "确认", "输入一个", "这个字段", "1-01-01")


def _errors(form) -> str:
    form.is_valid()
    return " ".join(message for messages in form.errors.values() for message in messages)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1949-12-31", "2101-01-01"])
def test_a_contract_date_outside_the_plausible_range_is_refused_naming_the_field(project, value):
    entry = factories.RosterEntryFactory(team__unit__project=project)
    data = {"unit": entry.unit_id, "contract_type": "labour", "period_type": "0", "start_date": "2026-03-03"}
    form = ContractForm({**data, "end_date": value}, project=project)
    assert "合同失效日期应在 1950-01-01 至 2100-12-31 之间。" in form.errors["end_date"]


def test_every_date_input_offers_the_plausible_range_to_the_browser(project):
    form = ProjectEditForm(instance=project)
    for name in ("start_date", "planned_completion_date", "completion_date"):
        assert form.fields[name].widget.attrs["min"] == "1950-01-01"
        assert form.fields[name].widget.attrs["max"] == "2100-12-31"


def test_person_dates_from_the_form_and_from_the_import_share_the_range(project):
    form = PersonForm(
        {
            "id_type": "01",
            "id_number": factories.id_number(),
            "name": "张三",
            "id_valid_from": "2016-01-01",
            "id_valid_to": "9999-12-31",
        }
    )
    assert "证件有效期止应在 1950-01-01 至 2100-12-31 之间。" in _errors(form)

    from django.core.exceptions import ValidationError

    from workforce.services.persons import _clean_person_data

    with pytest.raises(ValidationError) as refused:
        _clean_person_data({"id_number": factories.id_number(), "id_valid_to": "9999-12-31"})
    assert "证件有效期止应在 1950-01-01 至 2100-12-31 之间。" in refused.value.messages


def test_the_renewal_page_of_a_contract_stored_with_the_last_date_opens(project_client, project):
    entry = factories.RosterEntryFactory(team__unit__project=project)
    # Stored before dates were range-checked (the form refuses it now).
    contract = Contract.objects.create(
        project=project,
        roster_entry=entry,
        person=entry.person,
        unit=entry.unit,
        start_date=date(2026, 3, 3),
        end_date=date.max,
    )
    response = project_client.get(reverse("contracts:renew", args=[project.pk, contract.pk]))
    assert response.status_code == 200


def test_a_code_with_spaces_is_compacted_before_its_length_is_checked():
    code = factories.credit_code()
    form = EnterpriseForm(
        {"credit_code": f" {code[:6]} {code[6:]} ", "name": "某公司", "contact_phone": "13800138000"},
        registering=True,
    )
    assert "credit_code" not in form.errors or not form.errors["credit_code"], form.errors
    assert form.cleaned_data["credit_code"] == code


def test_code_inputs_have_no_maxlength_that_would_cut_a_pasted_value():
    form = EnterpriseForm(registering=True)
    assert "maxlength" not in form.fields["credit_code"].widget.attrs
    assert form.fields["name"].widget.attrs.get("maxlength")  # plain text keeps the browser's limit


def test_a_too_long_team_name_is_refused_naming_the_field_and_both_lengths(project):
    unit = factories.UnitFactory(project=project)
    form = TeamForm(
        {
            "unit": unit.pk,
            "team_type": "worker",
            "name": "班" * 101,
            "leader_name": "黄",
            "entry_date": "2026-03-02",
        },
        project=project,
    )
    assert form.errors["name"] == ["班组名称最多 100 个字，当前 101 个。"]


def test_number_fields_speak_the_platforms_chinese():
    form = LocationForm({"lat": "abc", "lng": "1234567890123.5"})
    text = _errors(form)
    assert "纬度应填写数字。" in text
    assert "经度最多 12 位数字。" in text
    assert not any(stock in text for stock in STOCK_WORDING), text


def test_an_invalid_date_and_a_missing_choice_name_their_field(project):
    entry = factories.RosterEntryFactory(team__unit__project=project)
    form = ContractForm(
        {
            "unit": entry.unit_id,
            "contract_type": "nonsense",
            "period_type": "0",
            "start_date": "2026-03-03",
            "end_date": "2026-02-30",
        },
        project=project,
    )
    text = _errors(form)
    assert "合同失效日期应为有效日期" in text or "合同失效日期格式应为 YYYY-MM-DD。" in text
    assert "的选项无效，请重新选择。" in text
    assert not any(stock in text for stock in STOCK_WORDING), text


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_form_of_the_platform_stands_on_the_platform_form_base():
    """Django's stock messages (English field errors, no plausible date range) never reach a user:
    every form class defined in the platform's packages inherits PlatformFormMixin."""
    import importlib
    import pkgutil

    from django import forms
    from django.apps import apps

    from jmzhgd.core.forms import PlatformFormMixin

    root = Path(__file__).parents[2]
    # The platform's own apps, by their top-level package (jmzhgd.* counts as jmzhgd).
    packages = {
        app.name.split(".")[0]
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(root) and "site-packages" not in app.path
    }
    for package in packages:
        for module in pkgutil.walk_packages([str(root / package)], prefix=f"{package}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    ours = {cls for cls in _all_subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in packages}
    assert len(ours) > 30  # the walk found the platform's forms
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, PlatformFormMixin))
    assert not missing, f"forms without PlatformFormMixin: {missing}"
