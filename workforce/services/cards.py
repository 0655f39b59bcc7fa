"""工资卡 per employment (docs/architecture.md pattern 11; 保障农民工工资支付条例 art. 31).

Each project holds the card it pays a worker into (workforce.models.PayCard): set by that project
only (its person form, 采集, the API's payRollBank* fields), each change audited in that project
with the previous card's last four digits. No other project's card is read or written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.validators import normalise_text, validate_name

from ..models import PayCard, Person, RosterEntry

CARD_KEYS = ("bank_name", "bank_card_number")
CARD_INVALID = "工资卡号应为12至30位数字。"


def clean_card_number(value) -> str:
    card = normalise_text(value).replace(" ", "")
    if card and (not card.isdigit() or not 12 <= len(card) <= 30):
        raise ValidationError({"bank_card_number": [CARD_INVALID]})
    return card


def clean_bank_name(value) -> str:
    bank_name = " ".join(str(value or "").split())
    if bank_name:
        try:
            validate_name(value, "工资卡开户行")
        except ValidationError as exc:
            raise ValidationError({"bank_name": exc.messages}) from None
        if len(bank_name) > 100:
            raise ValidationError({"bank_name": ["工资卡开户行不能超过100个字。"]})
    return bank_name


def clean_card(data: dict) -> dict:
    """The 工资卡 fields of `data`, checked (ValidationError naming each bad field)."""
    errors, card = {}, {}
    for key, clean in (("bank_name", clean_bank_name), ("bank_card_number", clean_card_number)):
        try:
            card[key] = clean(data.get(key))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {key: value for key, value in card.items() if value}


def card_of(project, person) -> PayCard | None:
    return PayCard.objects.filter(project=project, person=person).first()


@transaction.atomic
def set_pay_card(actor: Actor, project, person: Person, *, bank_name: str = "", bank_card_number: str = ""):
    """Record the card `project` pays `person` into. A blank number keeps the stored one (the
    forms show it masked); returns the card, or None when there is nothing to record."""
    number = clean_card_number(bank_card_number)
    bank_name = clean_bank_name(bank_name)
    card = PayCard.objects.select_for_update().filter(project=project, person=person).first()
    if card is None:
        if not number:
            if bank_name:
                raise ValidationError({"bank_card_number": ["请填写工资卡号。"]})
            return None
        card = PayCard(project=project, person=person)
    old_number, old_bank = card.bank_card_number, card.bank_name
    card.bank_name = bank_name or old_bank
    card.bank_card_number = number or old_number
    if card.pk and (card.bank_card_number, card.bank_name) == (old_number, old_bank):
        return card
    before = {"bank_name": old_bank, "卡号尾号": old_number[-4:]}
    after = {"bank_name": card.bank_name, "卡号尾号": card.last4}
    card.save()
    audit.record(
        actor,
        "pay_card.update",
        card,
        project=project.pk,
        summary=(f"工资卡登记：{person.name}，原卡尾号 {old_number[-4:] or '（无）'}，新卡尾号 {card.last4}"),
        before=before,
        after=after,
    )
    return card


def set_pay_cards(actor: Actor, person: Person, project, card: dict) -> None:
    """The 工资卡 fields of a person form or upload: `project`'s own card. Without a project (the
    legacy import) the card is recorded for every project that has had him on its roster."""
    projects = (
        [project]
        if project is not None
        else list(
            {entry.project for entry in RosterEntry.objects.filter(person=person).select_related("project")}
        )
    )
    for each in projects:
        set_pay_card(actor, each, person, **{key: card.get(key, "") for key in CARD_KEYS})
