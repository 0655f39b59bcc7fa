"""【批量人员进场】 (workforce.urls_import).

The upload page, the template and the downloads that carry full ID numbers (the original file and
the failed rows as typed) are for the project's own account only; supervisors read the history,
a batch's page and its masked report.
"""

from django.core.files.base import ContentFile

from ..spec import PROJECT_ACTION, PROJECT_FORM, PROJECT_PAGE

EXPECTATIONS = {
    "workforce:import": PROJECT_FORM,
    "workforce:import_template": PROJECT_FORM,
    "workforce:import_history": PROJECT_PAGE,
    "workforce:import_detail": PROJECT_PAGE,
    "workforce:import_status": PROJECT_PAGE,
    "workforce:import_commit": PROJECT_ACTION,
    "workforce:import_abandon": PROJECT_ACTION,
    "workforce:import_errors": PROJECT_FORM,
    "workforce:import_report": PROJECT_PAGE,
    "workforce:import_file": PROJECT_FORM,
}


def _batch(project) -> int:
    """A preview batch with one failed row, its original file stored."""
    from tests.workforce.fixtures.site import row, workbook_bytes
    from workforce.models import ImportBatch

    batch = ImportBatch(
        project=project,
        file_name="矩阵.xlsx",
        total_rows=1,
        failed_count=1,
        report=[
            {
                "row": 2,
                "name": "某人",
                "id": "",
                "status": "error",
                "errors": [["证件号码", "x"]],
                "warnings": [],
            }
        ],
    )
    batch.original_file.save("matrix.xlsx", ContentFile(workbook_bytes([row("某人", "123")])), save=False)
    batch.save()
    return batch.pk


KWARGS = {"batch_id": _batch}
