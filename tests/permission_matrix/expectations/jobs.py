"""【我的导出】 (jmzhgd.jobs): every signed-in user has the list of his own exports; an export's status,
its file, 【取消】 and 【重试】 answer only the user who asked for it (anyone else: 404)."""

from django.core.files.base import ContentFile

from ..spec import OK, SIGNED_IN_PAGE, Expect

OWNER_ONLY = Expect(other=404, supervisor=404, own=OK)
OWNER_ACTION = Expect(method="POST", other=404, supervisor=404, own=(302,))

EXPECTATIONS = {
    "jobs:export_list": SIGNED_IN_PAGE,
    "jobs:export_status": OWNER_ONLY,
    "jobs:export_download": OWNER_ONLY,
    "jobs:export_cancel": OWNER_ACTION,
    "jobs:export_retry": OWNER_ACTION,
}


def _export(project) -> int:
    """A finished export of `project` asked for by the project's own account."""
    from jmzhgd.accounts.models import User
    from jmzhgd.jobs.models import Export, ExportState

    export = Export(
        user=User.objects.get(project=project),
        project=project,
        exporter="attendance:details",
        label="考勤明细",
        filename="考勤明细.xlsx",
        state=ExportState.READY,
        total_rows=1,
        done_rows=1,
    )
    export.file.save(export.storage_name.removeprefix("exports/"), ContentFile(b"PK"), save=False)
    export.size = 2
    export.save()
    return export.pk


KWARGS = {"export_id": _export}
