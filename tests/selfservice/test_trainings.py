"""工人自助查询 shows the worker his trainings and his certificates with their expiry."""

from __future__ import annotations

from datetime import date

import pytest

from training.models import PersonalCertification, Training

from .test_lookup import ask

pytestmark = pytest.mark.django_db


def test_he_sees_his_trainings_and_certificates_with_their_expiry(client, worker):
    training = Training.objects.create(
        project=worker.project,
        training_type="003002",
        name="三级安全教育",
        training_date=date(2026, 3, 3),
        hours="8",
    )
    training.attendees.create(person=worker.person, passed=True)
    PersonalCertification.objects.create(
        person=worker.person,
        certificate_type="02",
        number="粤A022020000123",
        issuer="广东省住房和城乡建设厅",
        issue_date=date(2020, 1, 1),
        valid_until=date(2022, 1, 1),
    )
    html = ask(client, worker.person.name, worker.person.id_number).content.decode()
    assert "我的培训" in html and "2026-03-03 · 入场教育" in html and "合格" in html
    assert "我的证书" in html and "建筑架子工" in html and "已过期" in html and "2022-01-01" in html
