"""Re-evaluate the rules an action can affect, right after it commits (the nightly run is the backstop).

The lower floors do not know the 预警中心 exists: it follows Django's post_save of the models their
actions save, and `jmzhgd.core.signals.records_changed`, which the bulk actions send (roster 进场 /
退场, punch ingestion). Every 工资支付表 transition (发放 by voucher or by the bank's result included)
saves the sheet, so its post_save re-evaluates rule 7 for the project. Work is collected per project
while the transaction runs and done once on commit; a failure is logged and never undoes or fails the
user's action.
"""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction
from django.db.models.signals import post_save

from jmzhgd.core.signals import records_changed

from .deposit_rules import DEPOSIT_MISSING, DEPOSIT_RULES
from .entry_rules import CERTIFICATE_RULES, ENTRY_RULES, TRAINING_RULES
from .key_post_rules import KEY_POST_RULES
from .wage_rules import WAGE_RULE

logger = logging.getLogger(__name__)

PERSON_RULES = ("contract_missing", "contract_expiring", "id_expiring", "age_limit", "double_site")
ROSTER_RULES = (*PERSON_RULES, "team_empty", "wage_clerk_missing", *ENTRY_RULES, *KEY_POST_RULES)
CONTRACT_RULES = ("contract_missing", "contract_expiring")
SITE_RULES = ("no_attendance", "device_silent", "key_post_absent")
WAGE_RULES = (WAGE_RULE,)


def schedule(project_ids, rules) -> None:
    """Re-evaluate `rules` for `project_ids` once the current transaction commits (at once outside one)."""
    pending = connection.__dict__.setdefault("_alerts_pending", {})
    for project_id in project_ids:
        if project_id is not None:
            pending.setdefault(project_id, set()).update(rules)
    if pending:
        transaction.on_commit(_flush)


def _flush() -> None:
    pending = connection.__dict__.get("_alerts_pending") or {}
    work, pending_copy = {}, dict(pending)
    pending.clear()
    for project_id, rules in pending_copy.items():
        work.setdefault(frozenset(rules), []).append(project_id)
    from .services import reevaluate

    for rules, project_ids in work.items():
        try:
            reevaluate(project_ids, sorted(rules))
        except Exception:  # the action has committed; the nightly evaluation will catch up
            logger.exception("预警重新评估失败（项目 %s）", project_ids)


# --- punches: the hot path --------------------------------------------------------------------
# An upload can close "no attendance" or "device silent", but it runs hundreds of times a second:
# only projects that have such a live alert are re-evaluated, and which those are is read at most
# once a minute per process (an upload costs no query at all otherwise).
WATCH_SECONDS = 60
_watch = {"until": 0.0, "projects": frozenset()}


def forget_watch() -> None:
    _watch["until"] = 0.0


def _watched_projects() -> frozenset:
    if time.monotonic() >= _watch["until"]:
        from .models import Alert

        live = Alert.objects.live().filter(rule__in=SITE_RULES).order_by()
        _watch["projects"] = frozenset(live.values_list("project_id", flat=True).distinct())
        _watch["until"] = time.monotonic() + WATCH_SECONDS
    return _watch["projects"]


def _punches_stored(project_ids) -> None:
    watched = _watched_projects()
    hit = [p for p in project_ids if p in watched]
    if hit:
        _watch["projects"] = watched - set(hit)
        schedule(hit, SITE_RULES)


# --- receivers --------------------------------------------------------------------------------


def _on_records_changed(sender, project_ids=(), **kwargs) -> None:
    try:
        if sender._meta.label == "attendance.Punch":
            _punches_stored(list(project_ids))
        elif sender._meta.label == "workforce.RosterEntry":
            schedule(project_ids, ROSTER_RULES)
        elif sender._meta.label == "training.TrainingAttendee":
            schedule(project_ids, TRAINING_RULES)
        elif sender._meta.label == "training.PersonalCertification":
            schedule(project_ids, CERTIFICATE_RULES)
    except Exception:  # as in _flush: the sender's action has happened and must not fail for this
        logger.exception("预警重新评估安排失败（项目 %s）", list(project_ids))


def _project_of(rules):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            schedule([instance.project_id], rules)

    return receiver


def _on_person_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # a new person is on no roster yet
        return
    from workforce.models import RosterEntry

    on_site = RosterEntry.objects.filter(person=instance, exit_date__isnull=True).values_list(
        "project_id", flat=True
    )
    schedule(list(on_site), ("id_expiring", "age_limit"))


def _on_project_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule([instance.pk], (*SITE_RULES, DEPOSIT_MISSING))


def _on_deposit_saved(sender, instance, raw=False, **kwargs):
    """A 工资保证金 covers every project of its 总包 in its 区县."""
    if raw:
        return
    from projects.models import Project

    covered = Project.objects.filter(contractor_code=instance.contractor_code, district=instance.district)
    schedule(list(covered.values_list("pk", flat=True)), DEPOSIT_RULES)


_RECEIVERS = []


def connect() -> None:
    from attendance.models import Device
    from contracts.models import Contract
    from deposits.models import Deposit
    from enterprises.models import ParticipatingUnit, Team
    from projects.models import Project
    from wages.models import Payroll, WageAccount
    from workforce.models import Person, RosterEntry

    by_model = {
        RosterEntry: _project_of(ROSTER_RULES),
        Contract: _project_of(CONTRACT_RULES),
        Team: _project_of(("team_empty",)),
        ParticipatingUnit: _project_of(("wage_clerk_missing", "team_empty", "key_post_vacant")),
        Device: _project_of(("device_silent",)),
        Person: _on_person_saved,
        Project: _on_project_saved,
        Payroll: _project_of(WAGE_RULES),
        WageAccount: _project_of(WAGE_RULES),  # its 工资支付日期 moves every deadline
        Deposit: _on_deposit_saved,
    }
    for model, receiver in by_model.items():
        _RECEIVERS.append(receiver)  # signals hold weak references
        post_save.connect(receiver, sender=model, dispatch_uid=f"alerts.{model._meta.label}")
    records_changed.connect(_on_records_changed, dispatch_uid="alerts.records_changed")
