"""Seed Jiangmen's 最低工资标准 (the wage checks' minimum-wage rule, wages.checks).

Jiangmen is in the third tier of Guangdong's enterprise minimum wage (with 汕头, 惠州, 湛江, 肇庆):

- from 2025-03-01: 1850 元/月, by the 广东省人民政府《关于调整我省企业职工最低工资标准的通知》 that took
  effect on 1 March 2025 (第一类 广州 2500, 第二类 珠海/佛山/东莞/中山 2080, 第三类 1850, 第四类 1720);
- from 2021-12-01: 1720 元/月, the previous notice's third tier, so that months before March 2025 are
  checked against the standard in force then.

The hourly (非全日制) figures are left blank: the checks use the monthly figure pro rata to days. The
figures are the published notices'; when the province revises the standard, an administrator adds the
new row in the admin (最低工资标准) rather than editing these.
"""

from decimal import Decimal

from django.db import migrations

SOURCE = "广东省人民政府关于调整我省企业职工最低工资标准的通知（第三类地区）"
ROWS = [
    ("2021-12-01", Decimal("1720.00")),
    ("2025-03-01", Decimal("1850.00")),
]


def seed(apps, schema_editor):
    MinimumWage = apps.get_model("wages", "MinimumWage")
    for day, amount in ROWS:
        MinimumWage.objects.get_or_create(
            region="江门市", effective_from=day, defaults={"monthly_amount": amount, "source": SOURCE}
        )


class Migration(migrations.Migration):
    dependencies = [("wages", "0003_payroll_checks")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
