"""Re-encrypt every encrypted field under the first key of PII_ENCRYPTION_KEYS.

Rotation (README, deploy guide): put the new key first in PII_ENCRYPTION_KEYS, keep the old one after
it, restart, run this command, then remove the old key. Safe to interrupt and run again: tokens already
under the new key are rotated to themselves.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from jmzhgd.core.pii import EncryptedTextField, rotate_token


class Command(BaseCommand):
    help = "用 PII_ENCRYPTION_KEYS 中的第一个密钥重新加密所有证件号码、工资卡号、手机号等加密字段。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            columns = [f.column for f in fields]
            count = self._rotate_model(model, columns, batch_size)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} 行")
        self.stdout.write(self.style.SUCCESS(f"完成，共重新加密 {total} 行。"))

    def _rotate_model(self, model, columns: list[str], batch_size: int) -> int:
        # Work on the raw tokens (values() on the column names bypasses decryption), so the command never
        # holds clear ID numbers in memory longer than MultiFernet.rotate does.
        table = model._meta.db_table
        pk = model._meta.pk.column
        from django.db import connection

        quote = connection.ops.quote_name
        done, last_pk = 0, None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {quote(pk)} > %s " if last_pk is not None else ""
                cursor.execute(
                    f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
                    f"{where}ORDER BY {quote(pk)} LIMIT %s",
                    ([last_pk] if last_pk is not None else []) + [batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    return done
                for row in rows:
                    updates = [(c, rotate_token(v)) for c, v in zip(columns, row[1:], strict=True) if v]
                    if updates:
                        assignments = ", ".join(f"{quote(c)} = %s" for c, _ in updates)
                        cursor.execute(
                            f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",
                            [v for _, v in updates] + [row[0]],
                        )
                done += len(rows)
                last_pk = rows[-1][0]
