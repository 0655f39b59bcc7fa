import django.db.models.deletion
from django.db import migrations, models


def fill_scan_project(apps, schema_editor):
    ContractScan = apps.get_model("contracts", "ContractScan")
    for scan in ContractScan.objects.select_related("contract"):
        scan.project_id = scan.contract.project_id
        scan.save(update_fields=["project"])


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contractscan",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contract_scans",
                to="projects.project",
                verbose_name="项目",
            ),
        ),
        migrations.RunPython(fill_scan_project, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contractscan",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contract_scans",
                to="projects.project",
                verbose_name="项目",
            ),
        ),
        migrations.AddField(
            model_name="contractscan",
            name="removed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="移除时间"),
        ),
        migrations.AddField(
            model_name="contractscan",
            name="thumbnail",
            field=models.FileField(blank=True, upload_to="contracts/thumbs/%Y/%m/", verbose_name="缩略图"),
        ),
        migrations.AlterConstraint(
            model_name="contract",
            name="contract_end_not_before_start",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"
                ),
                name="contract_end_not_before_start",
                violation_error_message="合同失效日期不能早于合同生效日期。",
            ),
        ),
        migrations.AlterConstraint(
            model_name="contract",
            name="fixed_term_contract_has_end",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("period_type", "0"), _negated=True),
                    ("end_date__isnull", False),
                    _connector="OR",
                ),
                name="fixed_term_contract_has_end",
                violation_error_message="固定期限合同必须填写合同失效日期。",
            ),
        ),
    ]
