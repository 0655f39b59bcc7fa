"""合同管理 URLs. Builders create a contract with one scan page inside the given project."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from tests import factories

from ..spec import PROJECT_FORM, PROJECT_PAGE, Expect

EXPECTATIONS = {
    "contracts:list": PROJECT_PAGE,
    "contracts:export": PROJECT_PAGE,
    # GET shows the contract (read-only for supervisors); POST is checked in tests/contracts.
    "contracts:entry": PROJECT_PAGE,
    "contracts:renew": PROJECT_FORM,
    "contracts:scan": PROJECT_PAGE,
    "contracts:scan_thumbnail": PROJECT_PAGE,
    "contracts:scan_view": PROJECT_PAGE,
    # Removing a page: supervisors 403; the own account's POST removes it and redirects.
    "contracts:scan_remove": Expect(method="POST", supervisor=403, own=(302,)),
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, "PNG")
    return out.getvalue()


def _contract(project):
    return factories.ContractFactory(roster_entry=factories.RosterEntryFactory(team__unit__project=project))


def _scan(project):
    from contracts.models import ContractScan

    contract = _contract(project)
    scan = ContractScan(
        project=project, contract=contract, content_type="image/png", original_name="合同.png"
    )
    data = _png()
    scan.file.save("page.png", ContentFile(data), save=False)
    scan.thumbnail.save("thumb.jpg", ContentFile(data), save=False)
    scan.save()
    return scan.pk


# <entry_id> (a RosterEntry pk in the project) is built by the workforce module, whose roster URLs use it too.
KWARGS = {
    "contract_id": lambda project: _contract(project).pk,
    "scan_id": _scan,
}
