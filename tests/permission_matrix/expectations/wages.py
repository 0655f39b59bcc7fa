"""工资管理 URLs. The builder makes a sheet (one row, a voucher and a signature scan) inside the project."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from tests import factories

from ..spec import PROJECT_FORM, PROJECT_PAGE, SUPERVISOR_PAGE, Expect

# A transition: supervisors read only (403); the own account's POST is answered with a redirect back
# to the sheet (refused transitions too, with the reason as a message).
TRANSITION = Expect(method="POST", supervisor=403, own=(302,))

EXPECTATIONS = {
    "wages:ledger": PROJECT_PAGE,
    "wages:account": PROJECT_PAGE,  # read-only for supervisors; POST is checked in tests/wages
    "wages:poster": PROJECT_PAGE,
    "wages:project_arrears": PROJECT_PAGE,
    "wages:generate": PROJECT_FORM,
    "wages:detail": PROJECT_PAGE,
    "wages:rule": TRANSITION,
    "wages:submit": TRANSITION,
    "wages:approve": TRANSITION,
    "wages:return": TRANSITION,
    "wages:pay": TRANSITION,
    "wages:confirm": TRANSITION,
    "wages:export": PROJECT_PAGE,
    "wages:print": PROJECT_PAGE,
    # The sealed PDF: whoever reads the sheet; a sheet not yet approved redirects back with the reason.
    "wages:sealed_pdf": Expect(supervisor=(200, 302), own=(200, 302)),
    "wages:slips": PROJECT_PAGE,
    # Full card numbers: only the project itself; a draft sheet redirects back with the reason.
    "wages:bank_file": Expect(supervisor=403, own=(200, 302)),
    "wages:bank_result": PROJECT_FORM,
    "wages:voucher": PROJECT_PAGE,
    "wages:signature": PROJECT_PAGE,
    "wages:arrears": SUPERVISOR_PAGE,
}


def _payroll(project):
    from wages.models import Payroll, PayrollRow

    entry = factories.RosterEntryFactory(team__unit__project=project)
    payroll = Payroll(
        project=project, unit=entry.unit, team=entry.team, pay_month=timezone.localdate().replace(day=1)
    )
    payroll.voucher.save("voucher.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    payroll.signature_scan.save("signed.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    payroll.save()
    PayrollRow.objects.create(payroll=payroll, person=entry.person, roster_entry=entry, days=1)
    return payroll.pk


KWARGS = {"payroll_id": _payroll}
