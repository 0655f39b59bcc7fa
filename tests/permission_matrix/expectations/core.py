from ..spec import LOGIN, OK, PUBLIC_PAGE, SIGNED_IN_PAGE, SUPERVISOR_PAGE, Expect

EXPECTATIONS = {
    "home": Expect(anonymous=LOGIN, other=302, supervisor=302, own=302),
    "core:support": PUBLIC_PAGE,
    # 验证签章: any signed-in user uploads a sealed PDF and reads the verdict (nothing is stored).
    "core:verify_seal": SIGNED_IN_PAGE,
    "healthz": PUBLIC_PAGE,
    "core:audit_log": SUPERVISOR_PAGE,
    "core:project_audit_log": Expect(),
    "accounts:login": Expect(anonymous=OK, other=302, supervisor=302, own=302),
    "login_shortcut": Expect(anonymous=302, other=302, supervisor=302, own=302),
    # Logout is POST only: a GET is refused for everyone (405), a POST logs out and redirects.
    "accounts:logout": Expect(method="POST", anonymous=302, other=302, supervisor=302, own=302),
    "accounts:password_change": Expect(anonymous=LOGIN, other=OK, supervisor=OK, own=OK),
}

KWARGS = {
    "project_id": lambda project: project.pk,
}
