"""考勤设备 pages (docs/requirements.md §8): read by the project and supervisors, changed by the project's account."""

from __future__ import annotations

from ..spec import PROJECT_FORM, PROJECT_PAGE, Expect

EXPECTATIONS = {
    "attendance:device_list": PROJECT_PAGE,
    "attendance:device_create": PROJECT_FORM,
    "attendance:device_edit": PROJECT_FORM,
    "attendance:device_deactivate": Expect(method="POST", supervisor=403, own=302),
}


def device_in(project) -> int:
    from tests import factories

    return factories.DeviceFactory(project=project).pk


KWARGS = {"device_id": device_in}
