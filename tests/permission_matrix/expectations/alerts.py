from ..spec import PROJECT_PAGE, SUPERVISOR_PAGE, Expect

EXPECTATIONS = {
    # 预警中心: supervisors only (a project reads its own list inside the project).
    "alerts:center": SUPERVISOR_PAGE,
    "alerts:project_list": PROJECT_PAGE,
    "alerts:detail": PROJECT_PAGE,
    # 处理: the supervisor and the project's own account both may (the project not to 已忽略).
    "alerts:handle": Expect(
        method="POST", supervisor=302, own=302, data={"state": "in_progress", "note": "已通知班组"}
    ),
}


def _alert(project):
    from django.utils import timezone

    from alerts.models import Alert

    now = timezone.now()
    alert = Alert.objects.filter(project=project).first() or Alert.objects.create(
        project=project,
        rule="no_attendance",
        subject_type="project",
        subject_id=project.pk,
        subject_label=project.name,
        first_seen_at=now,
        last_seen_at=now,
    )
    return alert.pk


KWARGS = {"alert_id": _alert}
