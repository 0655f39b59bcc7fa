from ..spec import LOGIN, OK, PROJECT_FORM, PROJECT_PAGE, PUBLIC_PAGE, SUPERVISOR_PAGE, Expect

# Supervisor actions (POST): other roles get 404, a supervisor is redirected to the result page.
SUPERVISOR_ACTION = Expect(method="POST", other=404, own=404, supervisor=302)

EXPECTATIONS = {
    # Public: 项目申报 and 申报进度查询 (also open to a signed-in user).
    "projects:declare": PUBLIC_PAGE,
    # Shows the number of the declaration this browser just submitted; without one, back to the form.
    "projects:declaration_submitted": Expect(anonymous=302, other=302, supervisor=302, own=302),
    "projects:declaration_status": PUBLIC_PAGE,
    # Review queue.
    "projects:review_list": SUPERVISOR_PAGE,
    "projects:review_detail": SUPERVISOR_PAGE,
    "projects:review_approve": SUPERVISOR_ACTION,
    "projects:review_reject": Expect(
        method="POST", other=404, own=404, supervisor=302, data={"reason": "资料不全"}
    ),
    "projects:declaration_attachment": SUPERVISOR_PAGE,
    # Project accounts.
    "projects:account_list": SUPERVISOR_PAGE,
    "projects:account_create": SUPERVISOR_PAGE,
    "projects:account_notice": SUPERVISOR_PAGE,
    "projects:account_reset_password": SUPERVISOR_ACTION,
    "projects:account_set_active": Expect(
        method="POST", other=404, own=404, supervisor=302, data={"active": "0"}
    ),
    # Supervisor overview pages.
    "projects:dashboard": SUPERVISOR_PAGE,
    "projects:list": SUPERVISOR_PAGE,
    # 月报 (GET: last month; its POST queues the job: tests/projects/test_monthly_report.py).
    "projects:monthly_report": SUPERVISOR_PAGE,
    # Address search for the map: any signed-in user (without a geocoder, the shipped gazetteer answers).
    "projects:geocode": Expect(anonymous=LOGIN, other=OK, supervisor=OK, own=OK, data={"q": "蓬江区"}),
    # Inside a project.
    "projects:overview": PROJECT_PAGE,
    "projects:card": PROJECT_PAGE,
    "projects:edit": PROJECT_FORM,
    "projects:place_code": PROJECT_FORM,
    # The matrix's project has no QR image, so those who may see it get 404 for the missing file;
    # serving a registered image is tested in tests/projects/test_library.py.
    "projects:place_code_image": Expect(supervisor=404, own=404),
    # Supervisors see the map read-only (its POST is refused with 403: tests/projects/test_library.py).
    "projects:location": PROJECT_PAGE,
}


def _declaration(project):
    """One declaration per matrix project, in its district (found again by both builders below)."""
    from projects.models import Declaration
    from tests.projects.helpers import make_declaration

    name = f"矩阵申报{project.pk}"
    return Declaration.objects.filter(name=name).first() or make_declaration(
        ip=None, name=name, district=project.district
    )


def _attachment(project):
    from django.core.files.base import ContentFile

    from projects.models import DeclarationAttachment
    from tests.projects.helpers import png_bytes

    declaration = _declaration(project)
    attachment = declaration.attachments.first() or DeclarationAttachment.objects.create(
        declaration=declaration, file=ContentFile(png_bytes(), name="m.png"), original_name="附件.png"
    )
    return attachment.pk


def _account(project):
    """A second project account (not the persona's own, whose password a reset would change)."""
    from jmzhgd.accounts.models import User
    from tests import factories

    username = f"xm{project.code}m"
    user = User.objects.filter(username=username).first() or factories.ProjectUserFactory(
        project=project, username=username
    )
    return user.pk


KWARGS = {
    "declaration_id": lambda project: _declaration(project).pk,
    "attachment_id": _attachment,
    "user_id": _account,
}
