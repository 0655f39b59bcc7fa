"""接口凭证 pages (docs/requirements.md §10): supervisors manage credentials for projects in scope; a project its own.

The ninja API itself (namespace api-1) is outside the page matrix; tests/api covers its scoping.
"""

from __future__ import annotations

from ..spec import LOGIN, PROJECT_FORM, PROJECT_PAGE, SIGNED_IN_PAGE, SUPERVISOR_PAGE, Expect

EXPECTATIONS = {
    "api_credentials:list": SUPERVISOR_PAGE,
    "api_credentials:create": SUPERVISOR_PAGE,
    "api_credentials:revoke": Expect(method="POST", anonymous=LOGIN, other=404, own=404, supervisor=302),
    "api_credentials:project_list": PROJECT_PAGE,
    "api_credentials:project_create": PROJECT_FORM,
    "api_credentials:project_revoke": Expect(method="POST", supervisor=403, own=302),
    # Downloads linked from 接口文档: any signed-in account, never an anonymous visitor.
    "api_credentials:client_download": SIGNED_IN_PAGE,
    "api_credentials:sample_request": SIGNED_IN_PAGE,
}


def credential_in(project) -> int:
    from jmzhgd.api.services import create_credential
    from jmzhgd.core.actor import Actor

    credential, _secret = create_credential(Actor.system(), name="矩阵厂商", projects=[project])
    return credential.pk


KWARGS = {"credential_id": credential_in}
