"""预警 actions: re-evaluate, handle (处理), and open a worker's report (rule 9). Each writes its audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .evaluation import evaluate
from .links import REPORT_MONTH_FACT
from .models import Alert, AlertState, SubjectType
from .registry import WORKER_REPORT_RULE

# What a project account may do with its own alerts: work on them and close them. Ignoring an alert
# and closing a worker's report are the supervisor's decisions (docs/requirements.md §11: 监管方 oversees the site).
PROJECT_STATES = (AlertState.IN_PROGRESS, AlertState.RESOLVED)
NOTE_MAX = 1000


def reevaluate(project_ids, rules: list[str] | None = None) -> None:
    """Re-run `rules` for these projects now (the hooks call it after an action commits)."""
    evaluate(rules, project_ids=list(project_ids))


def allowed_states(user, alert: Alert) -> list[tuple[str, str]]:
    if user.is_superuser or user.is_supervisor:
        return list(AlertState.choices)
    if user.is_project_user and user.project_id == alert.project_id and alert.rule != WORKER_REPORT_RULE:
        return [(value, label) for value, label in AlertState.choices if value in PROJECT_STATES]
    return []


@transaction.atomic
def handle_alert(actor: Actor, alert: Alert, state: str, note: str) -> Alert:
    """【处理】: move the alert to `state` with `note` (required for 已忽略 and 已处理)."""
    note = (note or "").strip()
    allowed = dict(allowed_states(actor.user, alert))
    if state not in dict(AlertState.choices):
        raise ValidationError("请选择处理状态。")
    if state not in allowed:
        raise ValidationError(f"项目账号不能将预警设为「{AlertState(state).label}」，请联系监管方处理。")
    if state in (AlertState.IGNORED, AlertState.RESOLVED) and not note:
        raise ValidationError(f"设为「{AlertState(state).label}」时必须填写处理说明。")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"处理说明不能超过{NOTE_MAX}字。")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    before = {"state": alert.get_state_display(), "note": alert.note}
    alert.state, alert.note = state, note
    alert.handled_by, alert.handled_at = actor.user, timezone.now()
    alert.save(update_fields=["state", "note", "handled_by", "handled_at"])
    audit.record(
        actor,
        "alert.handle",
        alert,
        project=alert.project_id,
        summary=f"处理预警：{alert}，{before['state']} → {alert.get_state_display()}",
        before=before,
        after={"state": alert.get_state_display(), "note": note},
    )
    return alert


WAGES_KIND = "wages"
REPORT_KINDS = {WAGES_KIND: "工资未按时足额发放", "attendance": "考勤记录有误", "other": "其他问题"}


@transaction.atomic
def open_worker_report(actor: Actor, project, person, kind: str, text: str, month=None) -> Alert:
    """【我要反映】: a worker's report becomes an alert (rule 9) for the project's supervisors. A report
    about wages names its month (the first day), so the alert can lead to that month's 工资支付表."""
    text = (text or "").strip()
    if kind not in REPORT_KINDS:
        raise ValidationError("请选择反映的问题类型。")
    if kind == WAGES_KIND and month is None:
        raise ValidationError("反映工资问题请选择工资月份。")
    if kind == WAGES_KIND and month > timezone.localdate().replace(day=1):
        raise ValidationError("工资月份不能晚于本月。")
    if not text:
        raise ValidationError("请填写反映的具体情况。")
    if len(text) > 500:
        raise ValidationError("反映内容不能超过500字。")
    now = timezone.now()
    alert = Alert.objects.create(
        project=project,
        rule=WORKER_REPORT_RULE,
        subject_type=SubjectType.PERSON,
        subject_id=person.pk,
        subject_label=f"{person.name}（{person.id_number_masked}）",
        facts={
            "问题类型": REPORT_KINDS[kind],
            "反映内容": text,
            "提交时间": f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
            **({REPORT_MONTH_FACT: f"{month:%Y-%m}"} if kind == WAGES_KIND else {}),
        },
        first_seen_at=now,
        last_seen_at=now,
    )
    audit.record(
        actor,
        "alert.report",
        alert,
        project=project,
        summary=f"工人反映：{alert.subject_label}，{REPORT_KINDS[kind]}",
    )
    return alert
