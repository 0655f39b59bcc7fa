"""项目档案 (docs/retention.md §4): one .zip made as a job, in 【我的导出】, whose manifest lists every
file with its SHA-256; only the project's own account and supervisors may ask for it."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jmzhgd.core.seal import verify_pdf
from jmzhgd.jobs.models import Export, ExportState
from records.dossier import MANIFEST
from tests import factories
from training.models import PersonalCertification, Training

pytestmark = pytest.mark.django_db

RANGE = {"date_from": "2021-04-15", "date_to": "2021-06-30"}


@pytest.fixture
def dossier_project(free):
    """The old project of the purge tests, with a training and a certificate besides."""
    project = free["project"]
    training = Training(
        project=project, name="三级安全教育", training_date=datetime.date(2021, 5, 2), hours="2.0"
    )
    training.sign_in_scan.save("sign-in.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    certificate = PersonalCertification(
        person=free["punched"].person,
        certificate_type="01",
        number="粤A012021000001",
        issuer="广东省住房和城乡建设厅",
        issue_date=datetime.date(2020, 1, 1),
    )
    certificate.scan.save("cert.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return project


@pytest.fixture
def own_client(client, dossier_project):
    client.force_login(factories.ProjectUserFactory(project=dossier_project))
    return client


def ask(client, project, data=RANGE):
    return client.post(reverse("records:dossier", kwargs={"project_id": project.pk}), data)


def test_the_dossier_is_a_job_whose_manifest_matches_every_file(own_client, dossier_project):
    response = ask(own_client, dossier_project)
    assert response.status_code == 302 and response["Location"].startswith(reverse("jobs:export_list"))
    export = Export.objects.get(project=dossier_project, exporter="records:dossier")
    assert export.state == ExportState.READY and export.filename.endswith(".zip")
    listing = own_client.get(reverse("jobs:export_list")).content.decode()
    assert (
        "项目档案 2021-04-15 至 2021-06-30" in listing
        and f"{export.total_rows} / {export.total_rows} 个文件" in listing
    )

    download = own_client.get(reverse("jobs:export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    listed = {}
    for line in archive.read(MANIFEST).decode().splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    assert set(listed) == names - {MANIFEST}  # every file listed, nothing listed that is not there
    for path, digest in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest, path

    expected = {
        "01-用工台账/花名册.xlsx",
        "02-劳动合同/合同台账.xlsx",
        "03-工资支付台账/工资支付台账.xlsx",
        "04-考勤/2021-04-月考勤.xlsx",
        "04-考勤/2021-05-月考勤.xlsx",
        "04-考勤/2021-06-月考勤.xlsx",
        "05-培训/培训台账.xlsx",
        "index.html",
    }
    assert expected <= names
    assert any(n.startswith("02-劳动合同/扫描件/") and n.endswith(".pdf") for n in names)
    assert any(
        n.startswith("03-工资支付台账/2021-05-木工班-") and n.endswith("工资支付表.xlsx") for n in names
    )
    assert any(n.endswith("银行代发凭证.pdf") for n in names)
    # The paid sheet also as the platform sealed it, a file the inspector can check without the platform.
    (sealed,) = [n for n in names if n.endswith("工资支付表-电子签章.pdf")]
    assert verify_pdf(archive.read(sealed)).valid
    assert any(n.startswith("05-培训/签到表/") for n in names) and any(
        n.startswith("05-培训/证书/") for n in names
    )
    index = archive.read("index.html").decode()
    assert "项目档案" in index and "《保障农民工工资支付条例》第五十条" in index and "木工班" in index


def test_a_supervisor_may_ask_and_another_project_gets_404(client, supervisor, project_user, dossier_project):
    client.force_login(project_user)  # the account of another project
    assert ask(client, dossier_project).status_code == 404
    client.force_login(supervisor)
    assert ask(client, dossier_project).status_code == 302
    assert Export.objects.get(user=supervisor).state == ExportState.READY


def test_a_bad_range_is_answered_in_chinese(own_client, dossier_project):
    page = ask(own_client, dossier_project, {"date_from": "2021-07-01", "date_to": "2021-06-01"})
    assert "结束日期不能早于开始日期" in page.content.decode()
    page = ask(own_client, dossier_project, {"date_from": "2000-01-01", "date_to": "2021-06-01"})
    assert "日期范围不能超过 60 个月" in page.content.decode()
    assert not Export.objects.exists()
