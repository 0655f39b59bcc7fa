"""Fault-injection helpers: a picture of the whole database and media before and after a failure,
and a switch that makes the platform's own audit writes raise at a chosen point of an action.

Raising from a platform function (the audit writer, the summary refresher) is fault injection:
the database and Django are the real ones, and every write before the fault really happened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings

from jmzhgd.core import audit


class InjectedFault(RuntimeError):
    """The failure a test injects; nothing in the platform catches it on purpose."""


def row_counts() -> dict[str, int]:
    """Rows of every table the platform owns (every managed, concrete model)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def media_files() -> set[str]:
    """Every file under MEDIA_ROOT, relative to it."""
    root = settings.MEDIA_ROOT
    found = set()
    for directory, _dirs, files in os.walk(root):
        for name in files:
            found.add(os.path.relpath(os.path.join(directory, name), root))
    return found


@dataclass
class State:
    counts: dict[str, int]
    files: set[str]

    @classmethod
    def now(cls) -> State:
        return cls(row_counts(), media_files())

    def grown_tables(self, later: State) -> dict[str, tuple[int, int]]:
        return {
            label: (count, later.counts[label])
            for label, count in self.counts.items()
            if later.counts[label] != count
        }

    def assert_unchanged(self) -> None:
        """Fails naming every table whose row count changed and every file left on disk."""
        later = State.now()
        assert self.grown_tables(later) == {}, "rows were left behind"
        assert later.files - self.files == set(), "files were left behind"
        assert self.files - later.files == set(), "files were removed"


@dataclass
class AuditFault:
    """Counts the audit writes (record and record_many) and raises InjectedFault at write `fail_at`.

    Every action writes its audit row(s) right after the rows it describes, so failing at write k
    means writes 1..k-1 and their rows are already in the transaction when the fault strikes.
    """

    fail_at: int | None = None
    seen: list[str] = field(default_factory=list)

    def _count(self, action: str) -> None:
        self.seen.append(action)
        if self.fail_at is not None and len(self.seen) == self.fail_at:
            raise InjectedFault(f"injected at audit write {self.fail_at} ({action})")

    def install(self, monkeypatch) -> AuditFault:
        record, record_many = audit.record, audit.record_many

        def failing_record(actor, action, obj=None, **details):
            self._count(action)
            return record(actor, action, obj, **details)

        def failing_record_many(rows):
            self._count(rows[0].action if rows else "")
            return record_many(rows)

        monkeypatch.setattr(audit, "record", failing_record)
        monkeypatch.setattr(audit, "record_many", failing_record_many)
        return self


def fail_at_each_audit_write(action, *, after_failure=None, limit: int = 40) -> list[str]:
    """Run `action()` failing at audit write 1, then 2, … until it runs through without reaching the
    fault; after every failure the database and the media must be exactly as before (and
    `after_failure()`, which asserts on rows an action updates rather than adds, must pass).

    Returns the audit actions of the final, successful run (each of them was a failure point).
    """
    for fail_at in range(1, limit + 1):
        before = State.now()
        with pytest.MonkeyPatch.context() as patch:
            fault = AuditFault(fail_at=fail_at).install(patch)
            try:
                action()
            except InjectedFault:
                before.assert_unchanged()
                if after_failure is not None:
                    after_failure()
                continue
        assert fail_at > 1, "the action wrote no audit row at all"
        return fault.seen
    pytest.fail(f"the action still reached audit write {limit}")
