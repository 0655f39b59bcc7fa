"""The 工资卡 moves from the shared person to each employment: every project that had him on its
roster keeps paying into the card it paid into, and existing sheets are untouched."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jmzhgd.core.pii import decrypt, encrypt, mask_id
from tests import factories
from workforce.models import PayCard

CARD = "6217000000000000011"
BEFORE = [("workforce", "0007_project_site_counts")]


@pytest.mark.django_db(transaction=True)
def test_each_project_that_had_him_keeps_his_card_and_it_reverses():
    worker = factories.RosterEntryFactory()
    factories.RosterEntryFactory(person=worker.person, exit_date=worker.entry_date)  # a second, past stay
    stranger = factories.PersonFactory()  # never on a roster: nobody paid into his card
    try:
        MigrationExecutor(connection).migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE workforce_person SET bank_name = %s, bank_card_number = %s, bank_card_number_masked = %s "
                "WHERE id = %s",
                [
                    ("中国建设银行江门分行", encrypt(CARD), mask_id(CARD), p.pk)
                    for p in (worker.person, stranger)
                ],
            )
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        cards = PayCard.objects.order_by("project_id")
        assert [(c.person_id, c.bank_card_number, c.bank_name) for c in cards] == [
            (worker.person_id, CARD, "中国建设银行江门分行")
        ] * 2
        assert sorted(c.project_id for c in cards) == sorted(
            worker.person.roster_entries.values_list("project_id", flat=True)
        )
        MigrationExecutor(connection).migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT bank_card_number FROM workforce_person WHERE id = %s", [worker.person_id])
            assert decrypt(cursor.fetchone()[0]) == CARD
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
