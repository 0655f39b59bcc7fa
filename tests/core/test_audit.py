import pytest
from django.urls import reverse

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_before_and_after_values_are_masked(project):
    person = PersonFactory(id_number="11010519491231002X", phone="13750017262")
    row = audit.record(
        Actor.system(),
        "person.update",
        person,
        project=project,
        before={"id_number": "11010519491231002X", "phone": "13750017262", "note": "号码 11010519491231002X"},
        after=audit.snapshot(person),
    )
    row.refresh_from_db()
    assert row.before == {
        "id_number": "1101**********002X",
        "phone": "137****7262",
        "note": "号码 1101**********002X",
    }
    assert "11010519491231002X" not in str(row.after)
    assert "id_number_digest" not in row.after


@pytest.mark.django_db
def test_project_reads_its_own_audit_log_and_not_another_projects(
    client, project, project_user, other_project
):
    audit.record(Actor.system(), "demo.ours", project, summary="本项目的记录")
    audit.record(Actor.system(), "demo.theirs", other_project, summary="其他项目的记录")
    client.force_login(project_user)
    html = client.get(reverse("core:project_audit_log", args=[project.pk])).content.decode()
    assert "本项目的记录" in html and "其他项目的记录" not in html
    assert client.get(reverse("core:project_audit_log", args=[other_project.pk])).status_code == 404
    assert client.get(reverse("core:audit_log")).status_code == 404


@pytest.mark.django_db
def test_district_supervisor_reads_only_projects_in_scope(client, project, other_project):
    from tests.factories import SupervisorFactory

    other_project.district = "440781"
    other_project.save()
    supervisor = SupervisorFactory(districts=["440703"])
    audit.record(Actor.system(), "demo.in", project, summary="蓬江项目")
    audit.record(Actor.system(), "demo.out", other_project, summary="台山项目")
    client.force_login(supervisor)
    html = client.get(reverse("core:audit_log")).content.decode()
    assert "蓬江项目" in html and "台山项目" not in html
    filtered = client.get(reverse("core:audit_log"), {"q": "蓬江"}).content.decode()
    assert "蓬江项目" in filtered
    assert AuditLog.objects.visible_to(supervisor).filter(action__startswith="demo.").count() == 1


@pytest.mark.django_db
def test_a_birth_date_never_reaches_the_audit_log(project):
    # Beside the masked number the birth date is 8 of the 18 digits; the log is readable without the
    # audited reveal.
    person = PersonFactory(id_number="11010519491231002X")
    row = audit.record(Actor.system(), "person.update", person, project=project, after=audit.snapshot(person))
    row.refresh_from_db()
    assert person.birth_date is not None
    assert row.after["birth_date"] == audit.HIDDEN_DATE
    assert "1949" not in str(row.after) and "19491231" not in str(row.after)
