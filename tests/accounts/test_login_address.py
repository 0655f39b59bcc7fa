"""The address people type, /login/ (or /login), leads to the login page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["/login/", "/login"])
def test_the_typed_login_address_redirects_to_the_login_page(client, address):
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get(response["Location"]).status_code == 200


def test_the_page_asked_for_after_login_is_kept(client):
    response = client.get("/login/?next=/projects/")
    assert response["Location"] == "/accounts/login/?next=/projects/"
