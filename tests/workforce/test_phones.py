"""Workers' and emergency contacts' phones: encrypted at rest, found by the whole number (digest) or
its last 4 digits, shown masked, re-encrypted by rotate_pii_key (docs/requirements.md §11 PII)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from jmzhgd.core.actor import Actor
from jmzhgd.core.pii import phone_digest
from tests.factories import PersonFactory, RosterEntryFactory, TeamFactory, UnitFactory
from workforce.filters import person_search
from workforce.models import Person, PersonSource
from workforce.services import upsert_person

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
URGENT = "0750-3331234"


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


def raw_columns(person) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, phone_digest, phone_last4, urgent_contact_phone, urgent_contact_phone_last4 "
            "FROM workforce_person WHERE id = %s",
            [person.pk],
        )
        return cursor.fetchone()


def test_no_database_column_holds_a_phone_in_clear():
    person, _ = upsert_person(
        Actor.system("测试"),
        {"id_number": "11010519491231002X", "name": "张三", "phone": PHONE, "urgent_contact_phone": URGENT},
        source=PersonSource.WEB,
    )
    phone, digest, last4, urgent, urgent_last4 = raw_columns(person)
    assert PHONE not in phone and "12345678" not in phone and "3331234" not in urgent
    assert digest == phone_digest(PHONE) and PHONE not in digest
    assert (last4, urgent_last4) == ("5678", "1234")
    person = Person.objects.get(pk=person.pk)
    assert (person.phone, person.urgent_contact_phone) == (PHONE, URGENT)
    assert person.phone_masked == "138****5678"


def test_the_whole_phone_or_its_last_4_digits_find_the_person_and_a_middle_part_does_not():
    person = PersonFactory(phone=PHONE)
    PersonFactory(phone="13900001111")
    for text in (PHONE, "138-1234-5678", "+8613812345678", "5678"):
        assert list(Person.objects.filter(person_search(text))) == [person], text
    assert not Person.objects.filter(person_search("1234567")).exists()


def test_the_roster_search_finds_a_worker_by_phone(project_client, project, team):
    entry = RosterEntryFactory(team=team, person__phone=PHONE)
    other = RosterEntryFactory(team=team, person__phone="13900001111")
    page = project_client.get(reverse("workforce:roster", args=[project.pk]), {"q": PHONE}).content.decode()
    assert entry.person.name in page and other.person.name not in page


def test_rotating_the_pii_key_re_encrypts_phones(settings):
    person = PersonFactory(phone=PHONE, urgent_contact_phone=URGENT)
    old_key = settings.PII_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_pii_key", stdout=io.StringIO())
    settings.PII_ENCRYPTION_KEYS = [new_key]
    phone, _, _, urgent, _ = raw_columns(person)
    assert Fernet(new_key.encode()).decrypt(phone.encode()).decode() == PHONE
    assert Fernet(new_key.encode()).decrypt(urgent.encode()).decode() == URGENT
    assert Person.objects.filter(phone_digest=phone_digest(PHONE)).get().phone == PHONE


def test_pages_show_phones_masked_and_the_edit_form_keeps_a_blank_phone(project_client, project, team):
    person = RosterEntryFactory(team=team, person__phone=PHONE, person__urgent_contact_phone=URGENT).person
    args = [project.pk, person.pk]
    detail = project_client.get(reverse("workforce:person_detail", args=args)).content.decode()
    assert "138****5678" in detail and PHONE not in detail and "3331234" not in detail
    edit = reverse("workforce:person_edit", args=args)
    form = project_client.get(edit).content.decode()
    assert PHONE not in form and "当前：138****5678，留空则不修改。" in form
    project_client.post(edit, {"name": person.name, "phone": "", "urgent_contact_phone": "13900001111"})
    person.refresh_from_db()
    assert person.phone == PHONE and person.urgent_contact_phone == "13900001111"
    assert raw_columns(person)[4] == "1111"


def test_the_roster_export_masks_phones_unless_full_numbers_were_asked_for(project_client, project, team):
    RosterEntryFactory(team=team, person__phone=PHONE)
    url = reverse("workforce:roster_export", args=[project.pk])

    def phones(**params):
        content = b"".join(project_client.get(url, params).streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        return [row[5] for row in sheet.iter_rows(min_row=3, values_only=True)]

    assert phones() == ["138****5678"]
    assert phones(full_ids="1") == [PHONE]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_phones_and_reverses_to_clear_text():
    from django.db.migrations.executor import MigrationExecutor

    clear_state = [("workforce", "0003_masks_four_and_four")]
    encrypted_state = [("workforce", "0004_phones_encrypted")]
    executor = MigrationExecutor(connection)
    executor.migrate(clear_state)
    old_person = executor.loader.project_state(clear_state).apps.get_model("workforce", "Person")
    pk = old_person.objects.create(
        id_number="11010519491231002X", name="张三", phone=PHONE, urgent_contact_phone=URGENT
    ).pk
    try:
        MigrationExecutor(connection).migrate(encrypted_state)
        person = Person.objects.get(pk=pk)
        phone, digest, last4, urgent, urgent_last4 = raw_columns(person)
        assert PHONE not in phone and "3331234" not in urgent
        assert (digest, last4, urgent_last4) == (phone_digest(PHONE), "5678", "1234")
        assert (person.phone, person.urgent_contact_phone) == (PHONE, URGENT)
        MigrationExecutor(connection).migrate(clear_state)
        with connection.cursor() as cursor:
            cursor.execute("SELECT phone, urgent_contact_phone FROM workforce_person WHERE id = %s", [pk])
            assert cursor.fetchone() == (PHONE, URGENT)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
