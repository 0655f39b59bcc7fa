import logging

import pytest
from django.db import connection

from jmzhgd.core.logging import MaskIdNumbersFilter, mask_id_numbers
from jmzhgd.core.pii import id_digest, mask_id
from tests.factories import PersonFactory, ProjectFactory
from workforce.models import PayCard, Person

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
    assert masked == "1101**********002X"
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
    assert record.getMessage() == "人员 1101**********002X 进场"
    assert mask_id_numbers(f"订单号 {NUMBER}9 不是身份证") == f"订单号 {NUMBER}9 不是身份证"


def test_a_mask_keeps_four_and_four_so_no_birth_date_digit_is_shown():
    # Area (6) + birth date (8) + sequence (3) + check (1): the old 6 + 4 mask with a birth date
    # beside it was the whole number.
    assert mask_id(NUMBER) == "1101**********002X"
    assert mask_id("6222021234567890123") == "6222***********0123"  # a bank card
    assert mask_id("E12345678") == "E1*****78"  # a passport: half or more hidden
    assert mask_id("ABC") == "***"
    assert mask_id(mask_id(NUMBER)) == mask_id(NUMBER)
    assert mask_id("110105********002X") == "1101**********002X"  # what the migration does


def test_log_records_and_old_masks_in_text_are_cut_to_four_and_four():
    from jmzhgd.core.logging import remask_old_masks

    assert mask_id_numbers(f"号码{NUMBER}。") == "号码1101**********002X。"
    assert remask_old_masks("张三（110105********002X）") == "张三（1101**********002X）"


@pytest.mark.django_db
def test_remask_column_re_cuts_stored_masks_without_the_clear_number():
    from jmzhgd.core.pii import remask_column

    person = PersonFactory(id_number=NUMBER)
    card = PayCard.objects.create(
        project=ProjectFactory(), person=person, bank_card_number="6222021234567890123"
    )
    Person.objects.filter(pk=person.pk).update(id_number_masked="110105********002X")
    PayCard.objects.filter(pk=card.pk).update(bank_card_number_masked="622202*********0123")
    remask_column(Person.objects.all(), "id_number_masked")
    remask_column(PayCard.objects.all(), "bank_card_number_masked")
    person.refresh_from_db()
    card.refresh_from_db()
    assert person.id_number_masked == "1101**********002X"
    assert card.bank_card_number_masked == "6222***********0123"
