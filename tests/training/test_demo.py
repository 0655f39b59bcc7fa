"""seed_demo records trainings and certificates, and the 预警中心 shows the 进场 rules on them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Alert
from training.models import PersonalCertification, Training, TrainingAttendee

pytestmark = pytest.mark.django_db


def test_seed_demo_has_trainings_and_certificates_some_expiring_one_expired_on_site():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "培训与证书" in out.getvalue()
    today = timezone.localdate()
    assert Training.objects.exists() and TrainingAttendee.objects.filter(passed=False).exists()
    valid = PersonalCertification.objects.filter(status="1")
    assert valid.filter(valid_until__range=(today, today + timedelta(days=30))).exists()
    assert valid.filter(valid_until__lt=today, person__roster_entries__exit_date__isnull=True).exists()
    live = set(Alert.objects.filter(cleared_at=None).values_list("rule", flat=True))
    assert {"training_missing", "certificate_expiring", "certificate_review_overdue"} <= live
    trainings = Training.objects.count()
    call_command("seed_demo", stdout=out)
    assert Training.objects.count() == trainings
