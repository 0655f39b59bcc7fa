"""The 审计日志 page as a supervisor reads it (docs/requirements.md §11): the object as a link to its page, and the
changes as the fields' Chinese labels with old → new values written as the forms show them.

The audit row keeps what was stored (field names, JSON values); this module only reads it. Models
are looked up by their label so that the shell imports no app above it."""

from __future__ import annotations

import datetime
import re

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

EMPTY = "—"

# object_type -> (URL name, whether the URL is inside the row's project). Pages not listed (a
# contract, an upload) have no page of their own: the object is shown as text.
OBJECT_PAGES = {
    "projects.Project": ("projects:card", False),
    "enterprises.Enterprise": ("enterprises:detail", False),
    "enterprises.ParticipatingUnit": ("enterprises:unit_detail", True),
    "enterprises.Team": ("enterprises:team_detail", True),
    "workforce.Person": ("workforce:person_detail", True),
}
SUPERVISOR_PAGES = {"projects.Declaration": ("projects:review_detail", False)}


def _model(label: str):
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def object_label(record) -> str:
    # A roster entry's own text is 「姓名 @ 项目ID」: the project is the row's 项目 column already.
    return re.sub(r" @ \d+$", "", record.object_repr)


def object_link(record, user, person_of_entry: dict[str, int]) -> str:
    label = object_label(record)
    url = None
    type_, id_ = record.object_type, record.object_id
    if type_ == "workforce.RosterEntry" and id_ in person_of_entry:
        type_, id_ = "workforce.Person", str(person_of_entry[id_])
    page = OBJECT_PAGES.get(type_) or (SUPERVISOR_PAGES.get(type_) if not user.is_project_user else None)
    if page and id_.isdigit() and (record.project_id or not page[1]):
        name, in_project = page
        try:
            url = reverse(name, args=[record.project_id, int(id_)] if in_project else [int(id_)])
        except NoReverseMatch:
            url = None
    return format_html('<a href="{}">{}</a>', url, label) if url else label


def persons_of_entries(records) -> dict[str, int]:
    """Roster entry id -> person id for the entries among `records` (one query for a page)."""
    ids = [
        int(r.object_id)
        for r in records
        if r.object_type == "workforce.RosterEntry" and r.object_id.isdigit()
    ]
    model = _model("workforce.RosterEntry")
    if not ids or model is None:
        return {}
    return {
        str(pk): person
        for pk, person in model._base_manager.filter(pk__in=ids).values_list("pk", "person_id")
    }


def _field(model, key: str):
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if key in (field.name, field.attname):
            return field
    return None


def display_value(field, value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool) or (field is not None and isinstance(field, models.BooleanField)):
        return "是" if value else "否"
    if field is not None and field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if isinstance(value, list):
            return "、".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if field is not None and field.is_relation and field.related_model is not None:
        # Actions store a relation as its id or, like 人员进场, as the object's text: only an id is
        # looked up (a text looked up as a key was a 500 on every log page holding such a row).
        if isinstance(value, bool) or not str(value).isdigit():
            return str(value)
        related = field.related_model._base_manager.filter(pk=int(value)).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, str) and field is not None and isinstance(field, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)  # stored in UTC; the platform's time is Asia/Shanghai
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def change_rows(record) -> list[tuple[str, str, str]]:
    """(field label, old value, new value) for each key of the row's before/after."""
    model = _model(record.object_type)
    before, after = record.before or {}, record.after or {}
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else key
        rows.append(
            (
                label,
                display_value(field, before.get(key)) if key in before else EMPTY,
                display_value(field, after.get(key)) if key in after else EMPTY,
            )
        )
    return rows


def changes_table(record) -> str:
    rows = change_rows(record)
    if not rows:
        return ""
    body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>→ {}</td></tr>", rows)
    return format_html(
        '<table class="table table-sm table-borderless mb-0 small audit-changes">'
        "<thead><tr><th>字段</th><th>修改前</th><th>修改后</th></tr></thead><tbody>{}</tbody></table>",
        body,
    )
