"""Two supervisors approve the same declaration at the same moment: one project, one account.

Two real transactions run in two threads, each on its own database connection. On PostgreSQL the
declaration row lock (SELECT … FOR UPDATE) makes the second wait for the first and then find the
declaration approved; on SQLite the IMMEDIATE transactions serialize the writers the same way.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from enterprises.models import Enterprise, ParticipatingUnit
from jmzhgd.accounts.models import User
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from projects import services
from projects.models import Declaration, DeclarationStatus, Project
from tests import factories

from .helpers import make_declaration

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(*calls):
    """Run each call in its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts on
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an approval never finished"
    return outcomes


def test_two_supervisors_approving_at_once_create_one_project():
    declaration = make_declaration()
    first, second = factories.SupervisorFactory(), factories.SupervisorFactory()

    outcomes = run_at_once(
        lambda: services.approve_declaration(Actor(user=first), declaration.pk),
        lambda: services.approve_declaration(Actor(user=second), declaration.pk),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError) and "不能重复审核" in error.messages[0]
    assert Project.objects.filter(name=declaration.name).count() == 1
    project = Project.objects.get(name=declaration.name)
    assert User.objects.filter(project=project).count() == 1
    assert ParticipatingUnit.objects.filter(project=project).count() == 2
    assert Enterprise.objects.filter(credit_code=declaration.builder_code).count() == 1
    assert AuditLog.objects.filter(action="declaration.approve").count() == 1
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.APPROVED and declaration.project == project


def test_two_declarations_of_one_builder_approved_at_once_share_the_enterprise():
    """Different declarations, same district and builder: two projects with distinct codes, one
    enterprise in the library (the registration race is absorbed, not a failed approval)."""
    builder = factories.credit_code()
    a = make_declaration(name="同一建设单位甲", builder_code=builder)
    b = make_declaration(name="同一建设单位乙", builder_code=builder)
    supervisor = factories.SupervisorFactory()

    outcomes = run_at_once(
        lambda: services.approve_declaration(Actor(user=supervisor), a.pk),
        lambda: services.approve_declaration(Actor(user=supervisor), b.pk),
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    codes = set(Project.objects.filter(declaration__in=[a, b]).values_list("code", flat=True))
    assert len(codes) == 2
    assert Enterprise.objects.filter(credit_code=builder).count() == 1
    assert Declaration.objects.filter(status=DeclarationStatus.APPROVED).count() == 2
