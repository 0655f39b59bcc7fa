"""工资保证金 URLs: the register is the supervisors'; a project reads its 总包's deposit on its own page.
The builders find or make the held deposit of project A's 总包 (one per 总包 and 区县), with documents."""

from __future__ import annotations

from ..spec import PROJECT_PAGE, SUPERVISOR_PAGE

EXPECTATIONS = {
    "deposits:coverage": SUPERVISOR_PAGE,
    "deposits:export": SUPERVISOR_PAGE,
    "deposits:create": SUPERVISOR_PAGE,
    "deposits:detail": SUPERVISOR_PAGE,
    "deposits:edit": SUPERVISOR_PAGE,
    "deposits:event": SUPERVISOR_PAGE,
    "deposits:document": SUPERVISOR_PAGE,
    "deposits:event_document": SUPERVISOR_PAGE,
    # Read-only for the project's own account and supervisors; another project's is a 404.
    "deposits:project": PROJECT_PAGE,
}

PDF = b"%PDF-1.4\n%%EOF\n"


def _held_deposit(project):
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from deposits.models import Deposit

    deposit = (
        Deposit.objects.held()
        .filter(contractor_code=project.contractor_code, district=project.district)
        .first()
    )
    if deposit is None:
        deposit = Deposit(
            contractor_code=project.contractor_code,
            contractor_name=project.contractor_name,
            district=project.district,
            form="cash",
            bank_code="102",
            amount=Decimal("100000"),
            balance=Decimal("100000"),
            deposited_on=datetime.date(2026, 6, 1),
            document_name="存款凭证.pdf",
        )
        deposit.document.save("deposit.pdf", ContentFile(PDF), save=False)
        deposit.save()
    return deposit


def _deposit(project):
    return _held_deposit(project).pk


def _event(project):
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from deposits.models import DepositEvent

    event = DepositEvent(
        deposit=_held_deposit(project),
        kind="used",
        happened_on=datetime.date(2026, 7, 1),
        amount=Decimal("1000"),
        balance_after=Decimal("99000"),
        reason="支付通知书",
        document_name="支付通知书.pdf",
    )
    event.document.save("notice.pdf", ContentFile(PDF), save=False)
    event.save()
    return event.pk


KWARGS = {"deposit_id": _deposit, "event_id": _event}
