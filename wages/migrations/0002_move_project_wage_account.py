"""The 工资专户 number moves from the project (plain text) to WageAccount (encrypted, docs/requirements.md §11 PII):
copy each project's bank and account across, then blank the plain-text columns."""

from django.db import migrations


def forwards(apps, schema_editor):
    from wages.banks import bank_code_for

    Project = apps.get_model("projects", "Project")
    WageAccount = apps.get_model("wages", "WageAccount")
    projects = Project.objects.exclude(wage_bank_name="", wage_account_no="")
    for project in projects.iterator():
        if not WageAccount.objects.filter(project_id=project.pk).exists():
            WageAccount.objects.create(
                project_id=project.pk,
                bank_code=bank_code_for(project.wage_bank_name),
                branch_name=project.wage_bank_name[:100],
                account_number=project.wage_account_no,
            )
    projects.update(wage_bank_name="", wage_account_no="")


class Migration(migrations.Migration):
    dependencies = [
        ("wages", "0001_initial"),
        ("projects", "0002_declarations_permits"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
