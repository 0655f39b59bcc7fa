import pytest

from jmzhgd.core.csp import build_policy, tile_sources


@pytest.mark.django_db
def test_every_page_carries_a_policy_with_a_fresh_nonce_and_no_unsafe_scripts(client):
    first = client.get("/accounts/login/")["Content-Security-Policy"]
    second = client.get("/accounts/login/")["Content-Security-Policy"]
    assert (
        "default-src 'self'" in first and "frame-ancestors 'none'" in first and "object-src 'none'" in first
    )
    script_src = next(d for d in first.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert first != second  # the nonce changes per request


def test_the_configured_tile_host_is_the_only_outside_image_source(settings):
    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&l={z}"
    assert tile_sources() == ["https://t*.tianditu.gov.cn"]
    policy = build_policy("n")
    assert "img-src 'self' data: blob: https://t*.tianditu.gov.cn" in policy
    settings.MAP_TILE_URL = ""
    assert "tianditu" not in build_policy("n")


@pytest.mark.django_db
def test_private_files_keep_their_stricter_policy(client):
    from django.http import HttpResponse

    from jmzhgd.core.csp import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    from django.test import RequestFactory

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
