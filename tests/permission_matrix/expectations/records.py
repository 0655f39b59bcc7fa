"""法律保全 and 保存期限 (supervisors only), and 项目档案 (the project's own account and supervisors)."""

from __future__ import annotations

from ..spec import PROJECT_PAGE, SUPERVISOR_PAGE

EXPECTATIONS = {
    "records:holds": SUPERVISOR_PAGE,
    "records:hold_end": SUPERVISOR_PAGE,
    "records:retention": SUPERVISOR_PAGE,
    # The form; its POST queues the dossier job for the same two personas (tests/records/test_dossier.py).
    "records:dossier": PROJECT_PAGE,
}


def _hold(project):
    from records.models import LegalHold

    return LegalHold.objects.create(project=project, reason="劳动争议仲裁 江劳人仲案〔2026〕1号").pk


KWARGS = {"hold_id": _hold}
