from django.core.files.base import ContentFile

from tests import factories

from ..spec import PROJECT_ACTION, PROJECT_FORM, PROJECT_PAGE, SIGNED_IN_PAGE, Expect

# 再次进场 of a unit/team that is on site answers with a redirect back to its detail page.
REENTER = Expect(supervisor=403, own=(200, 302))

EXPECTATIONS = {
    "enterprises:list": SIGNED_IN_PAGE,
    "enterprises:register": SIGNED_IN_PAGE,
    "enterprises:detail": SIGNED_IN_PAGE,
    # 企业信息完善: supervisors any enterprise; a project user those in its own project and those it
    # registered while no other project uses them (this one): another project cannot edit it.
    "enterprises:edit": Expect(other=403, supervisor=200, own=200),
    # Deletion is supervisors' only (this enterprise is used by no project: deleted, 302).
    "enterprises:delete": Expect(method="POST", other=404, own=404, supervisor=302),
    "enterprises:licence": Expect(other=404, supervisor=200, own=200),
    "enterprises:unit_list": PROJECT_PAGE,
    "enterprises:unit_export": PROJECT_PAGE,
    "enterprises:unit_add": PROJECT_FORM,
    "enterprises:unit_detail": PROJECT_PAGE,
    "enterprises:unit_edit": PROJECT_FORM,
    "enterprises:unit_exit": PROJECT_FORM,
    "enterprises:unit_reenter": REENTER,
    "enterprises:unit_delete": PROJECT_ACTION,
    "enterprises:team_list": PROJECT_PAGE,
    "enterprises:team_export": PROJECT_PAGE,
    "enterprises:team_add": PROJECT_FORM,
    "enterprises:team_detail": PROJECT_PAGE,
    "enterprises:team_edit": PROJECT_FORM,
    "enterprises:team_exit": PROJECT_FORM,
    "enterprises:team_reenter": REENTER,
    "enterprises:team_delete": PROJECT_ACTION,
}


def _enterprise(project):
    """An enterprise registered by `project`'s account and not yet a 参建单位 anywhere, with a
    business-licence scan: its project may edit it (and see the scan), no other project may."""
    enterprise = factories.EnterpriseFactory(created_by=project.accounts.get())
    enterprise.licence_scan.save("licence.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return enterprise.pk


KWARGS = {
    "enterprise_id": _enterprise,
    "unit_id": lambda project: factories.UnitFactory(project=project).pk,
    "team_id": lambda project: factories.TeamFactory(unit=factories.UnitFactory(project=project)).pk,
}
