import pytest
from django.apps import apps
from django.contrib import admin

from tests.factories import AdminFactory


def test_every_model_of_the_platform_is_registered_in_the_admin():
    ours = [
        m
        for m in apps.get_models()
        if m.__module__.split(".")[0]
        in {"jmzhgd", "projects", "enterprises", "workforce", "attendance", "contracts"}
    ]
    missing = [m._meta.label for m in ours if m not in admin.site._registry and not m._meta.auto_created]
    inline_only = {"enterprises.UnitStay"}
    assert sorted(set(missing) - inline_only) == []


@pytest.mark.django_db
def test_admin_pages_open_for_an_administrator_and_not_for_a_project_account(client, project_user):
    client.force_login(AdminFactory())
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "张"}).status_code == 200, url
    client.force_login(project_user)
    assert client.get("/admin/workforce/person/").status_code == 302
