"""花名册 and 人员库 filters. An ID number is encrypted, so it is found by its digest (the whole
number) or by the last characters of its masked form (尾号)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from jmzhgd.core.filters import BootstrapFilterSet
from jmzhgd.core.pii import id_digest, phone_digest
from jmzhgd.core.validators import normalise_text

from .models import Person


def person_search(value: str, prefix: str = "") -> Q:
    """Name, the whole phone number or its last 4 digits, the whole ID number or its last digits (up
    to 4, from the masked form). Phones are encrypted, so a part of one other than the last 4 digits
    finds nothing."""
    text = normalise_text(value).upper()
    if not text:
        return Q()
    query = Q(**{f"{prefix}name__icontains": text})
    phone = text.removeprefix("+86").replace("-", "")
    if phone.isdigit() and len(phone) >= 7:
        query |= Q(**{f"{prefix}phone_digest": phone_digest(phone)})
    elif len(text) == 4 and text.isdigit():
        query |= Q(**{f"{prefix}phone_last4": text})
    if len(text) <= 4 and text.rstrip("X").isdigit():
        query |= Q(**{f"{prefix}id_number_masked__endswith": text})
    elif len(text) >= 8:
        query |= Q(**{f"{prefix}id_number_digest": id_digest(text)})
    return query


class PersonPickFilter(BootstrapFilterSet):
    """Step 1 of the 人员进场 wizard: the 人员库, searched."""

    q = django_filters.CharFilter(
        method="search",
        label="搜索",
        widget=forms.TextInput(attrs={"placeholder": "姓名/手机号/证件号码或尾号"}),
    )

    class Meta:
        model = Person
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(person_search(value))
