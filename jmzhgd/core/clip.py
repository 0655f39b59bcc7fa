"""Text cut to the column it goes into: the model field's own max_length, so a length is written once
(on the field) and a longer value (a province's answer, a device's name, a file name) is stored cut
rather than refused by the database."""

from __future__ import annotations


def clip(model, field_name: str, value) -> str:
    """`value` as text, cut to `model.field_name`'s max_length."""
    return str(value or "")[: model._meta.get_field(field_name).max_length]
