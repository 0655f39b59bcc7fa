from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_contracts_open_in_the_admin_but_cannot_be_deleted_there(client, scan):
    client.force_login(factories.AdminFactory())
    contract = scan.contract
    page = client.get(f"/admin/contracts/contract/{contract.pk}/change/")
    assert page.status_code == 200 and "a.png" in page.content.decode()
    assert client.get(f"/admin/contracts/contract/{contract.pk}/delete/").status_code == 403
    assert client.get(f"/admin/contracts/contractscan/{scan.pk}/change/").status_code == 200
    assert client.get(f"/admin/contracts/contractscan/{scan.pk}/delete/").status_code == 403
