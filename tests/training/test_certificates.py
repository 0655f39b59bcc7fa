"""人员证书: a shared record changed by his on-site project or a supervisor; the entry gate for the
special trades."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.models import AuditLog, WorkType
from tests.factories import ProjectUserFactory, RosterEntryFactory
from training.models import PersonalCertification
from workforce.services import EntryRequest, check_entries

from .conftest import make_training

pytestmark = pytest.mark.django_db
VALUES = {
    "kind": "01",
    "certificate_type": "01",
    "number": "粤A012026000001",
    "issuer": "广东省住房和城乡建设厅",
    "issue_date": "2025-01-01",
    "valid_until": "2031-01-01",
    "status": "1",
}


def certificate(person, **kwargs):
    values = {**VALUES, "issue_date": date(2025, 1, 1), "valid_until": date(2031, 1, 1), **kwargs}
    return PersonalCertification.objects.create(person=person, **values)


def png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return SimpleUploadedFile("证书.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def entry(project):
    return RosterEntryFactory(team__unit__project=project)


def test_his_on_site_project_records_a_certificate_with_a_scan_audited_where_he_is_on_site(
    project_client, project, other_project, entry
):
    RosterEntryFactory(person=entry.person, team__unit__project=other_project)  # on site there too
    url = reverse(
        "training:certificate_create", kwargs={"project_id": project.pk, "person_id": entry.person_id}
    )
    response = project_client.post(url, {**VALUES, "scan_file": png()})
    cert = PersonalCertification.objects.get(person=entry.person)
    assert response.status_code == 302 and cert.scan
    audited = set(AuditLog.objects.filter(action="certificate.create").values_list("project_id", flat=True))
    assert audited == {project.pk, other_project.pk}


def test_a_hostile_scan_and_dates_out_of_order_are_refused(project_client, project, entry):
    url = reverse(
        "training:certificate_create", kwargs={"project_id": project.pk, "person_id": entry.person_id}
    )
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    assert project_client.post(url, {**VALUES, "scan_file": bad}).status_code == 200
    assert project_client.post(url, {**VALUES, "valid_until": "2024-01-01"}).status_code == 200
    assert not PersonalCertification.objects.exists()


def test_a_project_he_left_sees_only_that_a_valid_certificate_of_a_type_exists(client, other_project, entry):
    RosterEntryFactory(person=entry.person, team__unit__project=other_project, exit_date=date(2026, 3, 9))
    cert = certificate(entry.person)
    certificate(entry.person, certificate_type="02", number="EXPIRED-1", valid_until=date(2025, 12, 31))
    client.force_login(ProjectUserFactory(project=other_project))
    page = client.get(
        reverse(
            "workforce:person_detail", kwargs={"project_id": other_project.pk, "person_id": entry.person_id}
        )
    )
    html = page.content.decode()
    assert "持有有效的建筑电工证书" in html and "粤A012026000001" not in html and "建筑架子工" not in html
    for name in ("certificate_edit", "certificate_scan"):
        url = reverse(f"training:{name}", kwargs={"project_id": other_project.pk, "certificate_id": cert.pk})
        assert client.get(url).status_code == 404
    create = reverse(
        "training:certificate_create", kwargs={"project_id": other_project.pk, "person_id": entry.person_id}
    )
    assert client.post(create, VALUES).status_code == 403
    assert PersonalCertification.objects.count() == 2


def test_a_supervisor_may_change_a_certificate(supervisor_client, project, entry):
    cert = certificate(entry.person)
    url = reverse("training:certificate_edit", kwargs={"project_id": project.pk, "certificate_id": cert.pk})
    response = supervisor_client.post(url, {**VALUES, "status": "3"})
    cert.refresh_from_db()
    assert response.status_code == 302 and cert.get_status_display() == "暂扣"
    assert AuditLog.objects.filter(action="certificate.update", project=project).exists()


def electrician(person, team, day=date(2026, 3, 10)):
    return EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category=PersonCategory.WORKER,
        work_type=WorkType.objects.get(code="130"),
        entry_date=day,
    )


@pytest.mark.parametrize(
    ("status", "valid_until", "ok"),
    [
        ("1", date(2027, 1, 1), True),
        ("1", date(2026, 3, 10), True),  # valid on the entry date itself
        ("1", date(2026, 3, 9), False),  # expired the day before
        ("3", date(2027, 1, 1), False),  # 暂扣
    ],
)
def test_a_special_trade_needs_a_valid_certificate_of_its_type(
    settings, project, team, status, valid_until, ok
):
    settings.ENTRY_CHECKS = "require"
    person = RosterEntryFactory().person
    make_training(project, [person], day=date(2026, 3, 9))
    certificate(person, status=status, valid_until=valid_until)
    check = check_entries(project, [electrician(person, team)])
    assert check.ok is ok
    if not ok:
        assert "须持有效的建筑电工证书" in check.error_messages()[0]


def test_a_trade_without_a_requirement_needs_no_certificate(settings, project, team):
    settings.ENTRY_CHECKS = "require"
    person = RosterEntryFactory().person
    make_training(project, [person], day=date(2026, 3, 9))
    request = electrician(person, team)
    request.work_type = WorkType.objects.get(code="020")  # 钢筋工
    assert check_entries(project, [request]).ok


def test_the_seeded_requirements_cover_the_special_trades():
    from training.models import WorkTypeCertificate

    names = set(WorkTypeCertificate.objects.values_list("work_type__name", flat=True))
    assert {"架子工", "建筑电工", "电焊工", "起重信号工"} <= names


def test_a_certificate_is_recorded_by_id_number_before_the_entry_but_not_for_someone_on_site_elsewhere(
    project_client, project, other_project
):
    from tests.factories import PersonFactory

    newcomer = PersonFactory()
    url = reverse("training:certificate_add", kwargs={"project_id": project.pk})
    form = project_client.get(url, {"id_number": newcomer.id_number})
    assert 'data-testid="certificate-form"' in form.content.decode()
    response = project_client.post(url, {**VALUES, "id_number": newcomer.id_number})
    assert response.status_code == 302 and PersonalCertification.objects.filter(person=newcomer).exists()

    busy = RosterEntryFactory(team__unit__project=other_project).person
    page = project_client.post(url, {**VALUES, "id_number": busy.id_number}).content.decode()
    assert "证书由其在场项目维护" in page and not PersonalCertification.objects.filter(person=busy).exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", "abc"])
def test_an_implausible_date_is_a_form_error_not_a_500(project_client, project, entry, day):
    url = reverse(
        "training:certificate_create", kwargs={"project_id": project.pk, "person_id": entry.person_id}
    )
    assert project_client.post(url, {**VALUES, "review_date": day}).status_code == 200
    training_url = reverse("training:create", kwargs={"project_id": project.pk})
    data = {"training_type": "003001", "name": "安全", "training_date": day, "hours": "2"}
    assert project_client.post(training_url, data).status_code == 200
    assert not PersonalCertification.objects.exists()
