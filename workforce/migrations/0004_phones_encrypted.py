"""Workers' and emergency contacts' phones encrypted at rest (docs/requirements.md §11 PII), with a digest for exact
search and the last 4 digits for 尾号 lookups and display.

Reversible: backwards, the tokens are decrypted into the columns again before they become
varchar(20) (which needs the keys that encrypted them, as every other read does)."""

from django.db import migrations

import jmzhgd.core.pii


def _rows(schema_editor):
    """(id, phone, urgent_contact_phone) of every person with a phone, read raw: the ORM's field
    would decrypt, and these are clear text on the way forwards and tokens on the way back."""
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, phone, urgent_contact_phone FROM {quote('workforce_person')} "
            "WHERE phone <> '' OR urgent_contact_phone <> '' ORDER BY id"
        )
        return cursor.fetchall()


def _write(schema_editor, updates):
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote('workforce_person')} SET phone = %s, phone_digest = %s, phone_last4 = %s, "
            "urgent_contact_phone = %s, urgent_contact_phone_last4 = %s WHERE id = %s",
            updates,
        )


def _is_token(value: str) -> bool:
    return value.startswith("gAAAAA")  # a Fernet token's version byte and timestamp, base64


def encrypt_phones(apps, schema_editor):
    from jmzhgd.core.pii import encrypt, phone_digest, phone_digits

    updates = []
    for pk, phone, urgent in _rows(schema_editor):
        if _is_token(phone) or _is_token(urgent):
            continue  # written by an earlier run: both columns of a row are written together
        updates.append(
            (
                encrypt(phone) if phone else "",
                phone_digest(phone) if phone else "",
                phone_digits(phone)[-4:],
                encrypt(urgent) if urgent else "",
                phone_digits(urgent)[-4:],
                pk,
            )
        )
    _write(schema_editor, updates)


def decrypt_phones(apps, schema_editor):
    from jmzhgd.core.pii import decrypt

    def opened(value):
        return decrypt(value) if value and _is_token(value) else value

    _write(schema_editor, [(opened(p), "", "", opened(u), "", pk) for pk, p, u in _rows(schema_editor)])


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0003_masks_four_and_four"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phone_digest",
            field=jmzhgd.core.pii.PhoneDigestField(blank=True, db_index=True, max_length=64, source="phone"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_last4",
            field=jmzhgd.core.pii.PhoneTailField(blank=True, db_index=True, max_length=4, source="phone"),
        ),
        migrations.AddField(
            model_name="person",
            name="urgent_contact_phone_last4",
            field=jmzhgd.core.pii.PhoneTailField(blank=True, max_length=4, source="urgent_contact_phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=jmzhgd.core.pii.EncryptedTextField(blank=True, verbose_name="手机号"),
        ),
        migrations.AlterField(
            model_name="person",
            name="urgent_contact_phone",
            field=jmzhgd.core.pii.EncryptedTextField(blank=True, verbose_name="紧急联系人电话"),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
    ]
