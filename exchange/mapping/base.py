"""What every record type's mapping shares: the context, the required-field check, the formats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..crypto import FieldCipher
from .images import ImageUnreadable, data_uri

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # entryTime, exitTime, attendance date
DATE_FORMAT = "%Y-%m-%d"


class MappingError(Exception):
    """A record the standard cannot take as it is (a required field is empty, a code has no national
    equivalent). The message names the record and the field, in Chinese."""


@dataclass
class Context:
    """What a mapping needs beyond the record: the field cipher (None while checking locally, when
    nothing leaves the process) and the teamSysNo the province gave each accepted team."""

    cipher: FieldCipher | None = None
    team_sys_no: dict[int, int] = field(default_factory=dict)
    _pictures: dict[str, str] = field(default_factory=dict, repr=False)  # file name -> data URI, per run

    def secret(self, value: str) -> str:
        return self.cipher.encrypt(value) if (self.cipher and value) else value

    def image(self, field_file, what: str) -> str:
        """A stored picture as the province takes it (mapping.images). While checking locally, the
        file's name stands for it: the check and the fingerprint see a new picture, nothing is
        re-encoded until it is sent."""
        if not field_file:
            return ""
        if self.cipher is None:
            return f"file:{field_file.name}"
        if field_file.name not in self._pictures:
            try:
                self._pictures[field_file.name] = data_uri(field_file)
            except ImageUnreadable as exc:
                raise MappingError(f"{what}无法读取，请重新上传（{exc}）") from exc
        return self._pictures[field_file.name]

    def team_no(self, team_id: int):
        # While checking locally the team may not be sent yet: a placeholder keeps the payload whole.
        return self.team_sys_no.get(team_id)


def as_datetime(day: date | None) -> str:
    if day is None:
        return ""
    return datetime.combine(day, time()).strftime(DATETIME_FORMAT)


def as_date(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def local_datetime(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(DATETIME_FORMAT)


def compact(values: dict) -> dict:
    """The standard's optional fields are left out rather than sent empty."""
    return {k: v for k, v in values.items() if v not in (None, "", [])}


class Mapper:
    """One record type of the standard. Subclasses say which rows it covers and how each maps."""

    method: str = ""
    update_method: str | None = None  # the standard's method for an edit of a record the province has
    rank: int = 0  # the standard's order: a record waits for every record it refers to
    label: str = ""  # Chinese name of the record type, for messages and the page
    list_name: str | None = None  # the batch list in `data` (workerList, dataList, …), if any
    batch_size: int = 1  # default; PROVINCE_BATCH_SIZES overrides it per method (docs/deploy.md)
    required: dict[str, str] = {}  # national field -> Chinese name
    append_only: bool = False  # rows that never change (punches): queued without a fingerprint
    # The timestamps whose change is a change of the payload (a row's own, and those of rows it reads).
    changed_by: tuple[str, ...] = ("updated_at",)

    @property
    def size(self) -> int:
        """Items per request: PROVINCE_BATCH_SIZES["<method>"] or the default, never below 1."""
        if self.list_name is None:
            return 1
        chosen = getattr(settings, "PROVINCE_BATCH_SIZES", {}).get(self.method, self.batch_size)
        return max(int(chosen), 1)

    def method_for(self, known: bool) -> str:
        """The method a record goes with: an edit of what the province holds is an update."""
        return self.update_method if (known and self.update_method) else self.method

    def rows(self, project):
        """The project's rows of this type, with what mapping them reads joined in."""
        raise NotImplementedError

    def changed(self, project, since: datetime | None) -> Iterator[tuple[str, object]]:
        """(object_key, row) for every row of `project` changed since `since` (all rows when None)."""
        rows = self.rows(project)
        if since is not None:
            changed = Q()
            for name in self.changed_by:
                changed |= Q(**{f"{name}__gt": since})
            rows = rows.filter(changed)
        return ((str(row.pk), row) for row in rows)

    def load(self, project, keys: Iterable[str]) -> dict[str, object]:
        return {str(row.pk): row for row in self.rows(project).filter(pk__in=list(keys))}

    def describe(self, obj) -> str:
        return str(obj)

    def header(self, obj, ctx: Context) -> dict:
        """The part of `data` shared by a batch (empty for single records)."""
        return {}

    def item(self, obj, ctx: Context) -> dict:
        raise NotImplementedError

    def requires(self, obj) -> list[tuple[str, str]]:
        """(method, object_key) of the records the province must have accepted first."""
        return []

    def for_update(self, obj, ctx: Context, header: dict, item: dict) -> tuple[dict, dict]:
        """The update method's (header, item): the Add's by default."""
        return header, item

    def missing_message(self, obj, missing: dict[str, str]) -> str:
        names = [f"{name}（{key}）" for key, name in missing.items()]
        return f"{self.label}【{self.describe(obj)}】缺少必填字段：{'、'.join(names)}"

    def payload(self, obj, ctx: Context, method: str | None = None) -> tuple[dict, dict]:
        """(header, item), after the required-field check: a MappingError names what is missing."""
        header, item = self.header(obj, ctx), self.item(obj, ctx)
        merged = {**header, **item}
        missing = {key: name for key, name in self.required.items() if merged.get(key) in (None, "")}
        if missing:
            raise MappingError(self.missing_message(obj, missing))
        if method is not None and method == self.update_method:
            header, item = self.for_update(obj, ctx, header, item)
        return header, item

    def data(self, header: dict, items: list[dict]) -> dict:
        """The request's `data`: a batch under its list name, or the single record itself."""
        if self.list_name:
            return {**header, self.list_name: items}
        return {**header, **items[0]}
