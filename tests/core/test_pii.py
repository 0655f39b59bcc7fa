import logging

import pytest
from django.db import connection

from jmzhgd.core.logging import MaskIdNumbersFilter, mask_id_numbers
from jmzhgd.core.pii import id_digest, mask_id
from tests.factories import PersonFactory
from workforce.models import Person

NUMBER = "11010519491231002X"


@pytest.mark.django_db
def test_id_number_is_not_readable_in_the_database_table():
    person = PersonFactory(id_number=NUMBER)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, id_number_digest, id_number_masked FROM workforce_person WHERE id = %s",
            [person.pk],
        )
        stored, digest, masked = cursor.fetchone()
    assert NUMBER not in stored and "19491231" not in stored
    assert digest == id_digest(NUMBER) and NUMBER not in digest
    assert masked == "110105********002X"
    assert Person.objects.get(pk=person.pk).id_number == NUMBER


@pytest.mark.django_db
def test_lookup_by_digest_finds_the_person_and_identity_is_unique():
    from django.db import IntegrityError, transaction

    PersonFactory(id_number=NUMBER)
    assert Person.objects.filter(id_number_digest=id_digest(NUMBER.lower())).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=NUMBER)


@pytest.mark.django_db
def test_bulk_create_fills_digest_and_mask():
    Person.objects.bulk_create([Person(id_number=NUMBER, name="张三")])
    person = Person.objects.get(id_number_digest=id_digest(NUMBER))
    assert person.id_number_masked == mask_id(NUMBER)


def test_old_key_still_decrypts_after_rotation(settings):
    from cryptography.fernet import Fernet

    from jmzhgd.core import pii

    old = settings.PII_ENCRYPTION_KEYS[0]
    token = pii.encrypt(NUMBER)
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert pii.decrypt(token) == NUMBER
    rotated = pii.rotate_token(token)
    settings.PII_ENCRYPTION_KEYS = settings.PII_ENCRYPTION_KEYS[:1]
    assert pii.decrypt(rotated) == NUMBER


def test_log_records_have_id_numbers_masked():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "人员 %s 进场", (NUMBER,), None)
    MaskIdNumbersFilter().filter(record)
    assert record.getMessage() == "人员 110105********002X 进场"
    assert mask_id_numbers(f"订单号 {NUMBER}9 不是身份证") == f"订单号 {NUMBER}9 不是身份证"
